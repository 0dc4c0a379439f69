#pragma once
// Reading a note out of a JSON request body, with a precise error for each way it can be wrong.
#include <expected>
#include <string>
#include <vector>

#include "notes/error.hpp"
#include "notes/note.hpp"
#include "routing/router.hpp"

namespace notes::http {

struct body_error {
  status code;  // 415 for the media type, 400 otherwise
  std::string message;
  std::vector<field_error> fields{};
};

// True for "application/json", any case, with or without parameters such as charset.
bool is_json_media_type(std::string_view content_type) noexcept;

// Checks Content-Type, UTF-8, JSON syntax, that the body is an object, and the types of
// "title" (string), "content" (string), "is_pinned" (boolean) and "tags" (array of strings). Other members are ignored.
// Only the members present are set; the rules on their values are the core's (validate()).
std::expected<note_patch, body_error> read_note_json(const request& req);

}  // namespace notes::http
