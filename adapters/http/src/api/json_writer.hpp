#pragma once
// JSON output written straight into a response body: no intermediate DOM, no extra copies.
#include <span>
#include <string>
#include <string_view>

#include "notes/error.hpp"
#include "notes/note.hpp"
#include "notes/pagination.hpp"
#include "routing/json_text.hpp"

namespace notes::http {

// A note as the API shows it: id, title, content, is_pinned, created_at, updated_at (RFC 3339 UTC).
void append_note_json(std::string& out, const note& n);

// `"total":…,"pages":…,"current_page":…,"has_next":…,"has_prev":…` without braces.
void append_page_fields(std::string& out, const page_info& page);

}  // namespace notes::http
