// Query strings and form bodies as the router and the handlers read them (routing/url):
// decoding never reads past the input, and find_param agrees with parse_params on which value a
// name has (the first one).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_check.hpp"
#include "routing/http_text.hpp"
#include "routing/url.hpp"

using notes::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view query = notes::fuzz::as_text(data, size);
  require(notes::http::url_decode(query, true).size() <= size, "decoding never grows the text");
  require(notes::http::url_decode(query, false).size() <= size, "decoding never grows the text");

  const auto params = notes::http::parse_params(query);
  // Each name's first value is what find_param gives; a few names are enough to compare.
  for (std::size_t i = 0; i < params.size() && i < 8; ++i) {
    const auto& [name, value] = params[i];
    std::size_t first = 0;
    while (params[first].first != name) ++first;
    const auto found = notes::http::find_param(query, name);
    require(found && *found == params[first].second, "find_param gives the first value");
    (void)notes::http::parse_positive_int64(value);
  }
  return 0;
}
