#pragma once
// Decoding of query strings, form bodies (application/x-www-form-urlencoded) and path segments.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace notes::http {

// Decodes %XX escapes, and '+' as a space when `plus_is_space` (queries and forms, not paths).
// A malformed escape stays as literal text. The result may be invalid UTF-8: check before use.
std::string url_decode(std::string_view s, bool plus_is_space = true);

// The decoded value of the first parameter called `name` in "a=1&b=x+y"; nullopt when absent.
// "a" and "a=" both give an empty value.
std::optional<std::string> find_param(std::string_view encoded, std::string_view name);

// The decoded values of every parameter called `name`, in order ("tag=a&tag=b").
std::vector<std::string> find_params(std::string_view encoded, std::string_view name);

// Every parameter, decoded, in order.
std::vector<std::pair<std::string, std::string>> parse_params(std::string_view encoded);

}  // namespace notes::http
