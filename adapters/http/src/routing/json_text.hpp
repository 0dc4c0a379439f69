#pragma once
// JSON text every JSON response needs (the API's, the operational endpoints', the router's errors
// under /api/): string literals and the error body.
#include <span>
#include <string>
#include <string_view>

#include "notes/error.hpp"

namespace notes::http {

// Appends `s` as a JSON string literal, quotes included. `s` must be well-formed UTF-8.
void append_json_string(std::string& out, std::string_view s);

// {"error": message} plus "fields": {name: message, …} when there are field errors.
std::string error_json(std::string_view message, std::span<const field_error> fields = {});

}  // namespace notes::http
