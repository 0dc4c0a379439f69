#pragma once
// The rules a note must satisfy, checked the same way for a draft and for a patch.
#include <cstddef>
#include <expected>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "notes/error.hpp"
#include "notes/note.hpp"

namespace notes {

inline constexpr std::size_t max_title_length = 200;       // code points
inline constexpr std::size_t max_content_length = 100'000; // code points
inline constexpr std::size_t max_tag_length = 50;           // code points
inline constexpr std::size_t max_tags = 20;                 // per note

// A tag is 1 to max_tag_length letters, digits, '-', '_' and '/'. Letters are ASCII ones and
// those of the common scripts (Latin with its accents, Greek, Cyrillic, Armenian, Hebrew,
// Arabic, Devanagari, Thai, Georgian, Hangul, kana, CJK ideographs); no spaces, punctuation or
// emoji. A tag is judged as NFC (a letter and its accent typed apart count as the letter), and
// tags compare by text::search_key.
bool is_valid_tag(std::string_view tag);
std::string fold_tag(std::string_view tag);

// The keys of `tags` (fold_tag), each once, in the order they first appear; `first_spellings`,
// when given, receives the tag each key was first spelt as.
std::vector<std::string> fold_tags(std::span<const std::string> tags,
                                   std::vector<std::string>* first_spellings = nullptr);

// The tags of a note checked (each trimmed, at most max_tags), tags that fold equal kept once
// in their first spelling; or the message for the field "tags".
std::expected<std::vector<std::string>, field_error> validate_tags(
    std::span<const std::string> tags);

// "work, home,,x" -> {"work", "home", "x"}: the form's one field, pieces trimmed, empty ones
// dropped.
std::vector<std::string> split_tags(std::string_view comma_separated);
// The other way, for showing a note's tags in that field.
std::string join_tags(std::span<const std::string> tags);

// Returns the draft with title and content trimmed, or every failed field.
std::expected<note_draft, std::vector<field_error>> validate(const note_draft& draft);

// Checks only the fields present; returns the patch with present text fields trimmed.
std::expected<note_patch, std::vector<field_error>> validate(const note_patch& patch);

}  // namespace notes
