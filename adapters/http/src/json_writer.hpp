#pragma once
// JSON output written straight into a response body: no intermediate DOM, no extra copies.
#include <span>
#include <string>
#include <string_view>

#include "notes/error.hpp"
#include "notes/note.hpp"
#include "notes/pagination.hpp"

namespace notes::http {

// Appends `s` as a JSON string literal, quotes included. `s` must be well-formed UTF-8.
void append_json_string(std::string& out, std::string_view s);

// The seed's to_dict(): id, title, content, is_pinned, created_at, updated_at (RFC 3339 UTC).
void append_note_json(std::string& out, const note& n);

// `"total":…,"pages":…,"current_page":…,"has_next":…,"has_prev":…` without braces.
void append_page_fields(std::string& out, const page_info& page);

// {"error": message} plus "fields": {name: message, …} when there are field errors.
std::string error_json(std::string_view message, std::span<const field_error> fields = {});

}  // namespace notes::http
