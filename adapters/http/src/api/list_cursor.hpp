#pragma once
// The `after` cursor of GET /api/notes: a list position and the order it belongs to, as one
// URL-safe string. Clients treat it as opaque; its form may change between versions.
#include <optional>
#include <string>
#include <string_view>

#include "notes/note_repository.hpp"

namespace notes::http {

struct list_cursor {
  list_order order = list_order::newest_first;
  list_position position;
};

std::string encode_cursor(const list_cursor& cursor);

// Nothing for anything encode_cursor did not write.
std::optional<list_cursor> decode_cursor(std::string_view text);

}  // namespace notes::http
