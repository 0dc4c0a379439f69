#include "notes/validation.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "notes/text.hpp"

namespace notes {
namespace {

// A title is one line; content keeps its tabs and line breaks (CR LF from browser forms too).
constexpr std::string_view title_controls = "";
constexpr std::string_view content_controls = "\t\n\r";

// Checks one text field and returns its trimmed value; appends a message on failure.
std::string check_text(std::string_view field, std::string_view label, std::string_view raw,
                       std::size_t max_length, std::string_view allowed_controls,
                       std::vector<field_error>& errors) {
  auto fail = [&](std::string_view what) {
    errors.push_back({std::string(field), std::string(label) + std::string(what)});
    return std::string();
  };
  if (!text::is_valid_utf8(raw)) return fail(" must be valid UTF-8 text.");
  const std::string_view trimmed = text::trim(raw);
  if (trimmed.empty()) return fail(" is required.");
  // NUL and other control characters are invisible, cut strings short in C APIs (libpq) and
  // break search; tabs and line breaks stay allowed where the text has lines.
  if (text::has_control_characters(trimmed, allowed_controls)) {
    return fail(allowed_controls == content_controls
                    ? " must not contain control characters other than tabs and line breaks."
                    : " must not contain control characters or line breaks.");
  }
  if (text::code_point_count(trimmed) > max_length) {
    return fail(" must be at most " + std::to_string(max_length) + " characters.");
  }
  return std::string(trimmed);
}

// The letters a tag may hold beyond ASCII: whole blocks of the common scripts, less the two
// signs in Latin-1 (U+00D7, U+00F7). Combining marks inside these blocks pass too.
constexpr std::array<std::pair<char32_t, char32_t>, 18> tag_letter_ranges = {{
    {0x00C0, 0x00D6},
    {0x00D8, 0x00F6},
    {0x00F8, 0x024F},  // Latin-1 letters, Latin Extended-A and -B
    {0x0370, 0x03FF},  // Greek
    {0x0400, 0x052F},  // Cyrillic
    {0x0531, 0x058F},  // Armenian
    {0x05D0, 0x05EA},  // Hebrew letters
    {0x0620, 0x064A},  // Arabic letters
    {0x0900, 0x097F},  // Devanagari
    {0x0E01, 0x0E4E},  // Thai
    {0x10A0, 0x10FF},  // Georgian
    {0x1E00, 0x1FFF},  // Latin Extended Additional, Greek Extended
    {0x3041, 0x30FF},  // Hiragana, Katakana
    {0x3400, 0x4DBF},  // CJK Extension A
    {0x4E00, 0x9FFF},  // CJK Unified Ideographs
    {0xAC00, 0xD7A3},  // Hangul syllables
    {0xF900, 0xFAFF},  // CJK Compatibility Ideographs
    {0x20000, 0x2A6DF},  // CJK Extension B
}};

bool is_tag_character(char32_t c) noexcept {
  if (c < 0x80) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_' || c == '/';
  }
  return std::ranges::any_of(tag_letter_ranges,
                             [c](const auto& r) { return c >= r.first && c <= r.second; });
}

}  // namespace

bool is_valid_tag(std::string_view tag) {
  if (tag.empty() || !text::is_valid_utf8(tag)) return false;
  // Judged as composed: "e" + U+0301 (as macOS may type it) is the letter U+00E9.
  const std::u32string points = text::code_points(text::normalize_nfc(tag));
  return points.size() <= max_tag_length && std::ranges::all_of(points, is_tag_character);
}

std::string fold_tag(std::string_view tag) { return text::search_key(tag); }

std::vector<std::string> fold_tags(std::span<const std::string> tags,
                                   std::vector<std::string>* first_spellings) {
  std::vector<std::string> keys;
  for (const std::string& tag : tags) {
    std::string key = fold_tag(tag);
    if (std::ranges::find(keys, key) != keys.end()) continue;
    keys.push_back(std::move(key));
    if (first_spellings != nullptr) first_spellings->push_back(tag);
  }
  return keys;
}

std::expected<std::vector<std::string>, field_error> validate_tags(
    std::span<const std::string> tags) {
  auto fail = [](std::string message) {
    return std::unexpected(field_error{"tags", std::move(message)});
  };
  std::vector<std::string> checked;
  for (const std::string& raw : tags) {
    if (!text::is_valid_utf8(raw)) return fail("Tags must be valid UTF-8 text.");
    const std::string_view tag = text::trim(raw);
    if (tag.empty()) return fail("Tags must not be empty.");
    if (text::code_point_count(text::normalize_nfc(tag)) > max_tag_length) {
      return fail("Tags must be at most " + std::to_string(max_tag_length) + " characters.");
    }
    if (!is_valid_tag(tag)) {
      return fail("Tag \"" + std::string(tag) +
                  "\" may hold only letters, digits, '-', '_' and '/'.");
    }
    checked.emplace_back(tag);
  }
  std::vector<std::string> kept;
  fold_tags(checked, &kept);
  if (kept.size() > max_tags) {
    return fail("A note may have at most " + std::to_string(max_tags) + " tags.");
  }
  return kept;
}

std::vector<std::string> split_tags(std::string_view comma_separated) {
  std::vector<std::string> out;
  while (true) {
    const auto comma = comma_separated.find(',');
    const std::string_view piece = text::trim(comma_separated.substr(0, comma));
    if (!piece.empty()) out.emplace_back(piece);
    if (comma == std::string_view::npos) break;
    comma_separated.remove_prefix(comma + 1);
  }
  return out;
}

std::string join_tags(std::span<const std::string> tags) {
  std::string out;
  for (const std::string& tag : tags) {
    if (!out.empty()) out += ", ";
    out += tag;
  }
  return out;
}

std::expected<note_draft, std::vector<field_error>> validate(const note_draft& draft) {
  std::vector<field_error> errors;
  note_draft clean;
  clean.title = check_text("title", "Title", draft.title, max_title_length, title_controls, errors);
  clean.content = check_text("content", "Content", draft.content, max_content_length, content_controls, errors);
  clean.is_pinned = draft.is_pinned;
  if (auto tags = validate_tags(draft.tags)) {
    clean.tags = std::move(*tags);
  } else {
    errors.push_back(std::move(tags.error()));
  }
  if (!errors.empty()) return std::unexpected(std::move(errors));
  return clean;
}

std::expected<note_patch, std::vector<field_error>> validate(const note_patch& patch) {
  std::vector<field_error> errors;
  note_patch clean;
  if (patch.title) clean.title = check_text("title", "Title", *patch.title, max_title_length, title_controls, errors);
  if (patch.content) {
    clean.content = check_text("content", "Content", *patch.content, max_content_length, content_controls, errors);
  }
  clean.is_pinned = patch.is_pinned;
  if (patch.tags) {
    if (auto tags = validate_tags(*patch.tags)) {
      clean.tags = std::move(*tags);
    } else {
      errors.push_back(std::move(tags.error()));
    }
  }
  if (!errors.empty()) return std::unexpected(std::move(errors));
  return clean;
}

}  // namespace notes
