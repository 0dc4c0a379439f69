#pragma once
// The rules a note must satisfy, checked the same way for a draft and for a patch.
#include <cstddef>
#include <expected>
#include <vector>

#include "notes/error.hpp"
#include "notes/note.hpp"

namespace notes {

inline constexpr std::size_t max_title_length = 200;       // code points
inline constexpr std::size_t max_content_length = 100'000; // code points

// Returns the draft with title and content trimmed, or every failed field.
std::expected<note_draft, std::vector<field_error>> validate(const note_draft& draft);

// Checks only the fields present; returns the patch with present text fields trimmed.
std::expected<note_patch, std::vector<field_error>> validate(const note_patch& patch);

}  // namespace notes
