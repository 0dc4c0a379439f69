#include "notes/validation.hpp"

#include <string>

#include "notes/text.hpp"

namespace notes {
namespace {

// Checks one text field and returns its trimmed value; appends a message on failure.
std::string check_text(std::string_view field, std::string_view label, std::string_view raw,
                       std::size_t max_length, std::vector<field_error>& errors) {
  if (!text::is_valid_utf8(raw)) {
    errors.push_back({std::string(field), std::string(label) + " must be valid UTF-8 text."});
    return {};
  }
  std::string_view trimmed = text::trim(raw);
  if (trimmed.empty()) {
    errors.push_back({std::string(field), std::string(label) + " is required."});
  } else if (text::code_point_count(trimmed) > max_length) {
    errors.push_back({std::string(field), std::string(label) + " must be at most " +
                                              std::to_string(max_length) + " characters."});
  }
  return std::string(trimmed);
}

}  // namespace

std::expected<note_draft, std::vector<field_error>> validate(const note_draft& draft) {
  std::vector<field_error> errors;
  note_draft clean;
  clean.title = check_text("title", "Title", draft.title, max_title_length, errors);
  clean.content = check_text("content", "Content", draft.content, max_content_length, errors);
  clean.is_pinned = draft.is_pinned;
  if (!errors.empty()) return std::unexpected(std::move(errors));
  return clean;
}

std::expected<note_patch, std::vector<field_error>> validate(const note_patch& patch) {
  std::vector<field_error> errors;
  note_patch clean;
  if (patch.title) clean.title = check_text("title", "Title", *patch.title, max_title_length, errors);
  if (patch.content) {
    clean.content = check_text("content", "Content", *patch.content, max_content_length, errors);
  }
  clean.is_pinned = patch.is_pinned;
  if (!errors.empty()) return std::unexpected(std::move(errors));
  return clean;
}

}  // namespace notes
