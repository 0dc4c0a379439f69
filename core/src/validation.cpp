#include "notes/validation.hpp"

#include <string>

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

}  // namespace

std::expected<note_draft, std::vector<field_error>> validate(const note_draft& draft) {
  std::vector<field_error> errors;
  note_draft clean;
  clean.title = check_text("title", "Title", draft.title, max_title_length, title_controls, errors);
  clean.content = check_text("content", "Content", draft.content, max_content_length, content_controls, errors);
  clean.is_pinned = draft.is_pinned;
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
  if (!errors.empty()) return std::unexpected(std::move(errors));
  return clean;
}

}  // namespace notes
