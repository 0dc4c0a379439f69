// URL-encoded form bodies (web/form): what parse_form accepts is valid UTF-8, within the field
// limit, and reads back the same after url_encode, the way the pages write links.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_check.hpp"
#include "notes/text.hpp"
#include "web/form.hpp"

using notes::fuzz::require;
namespace web = notes::http::web;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto form = web::parse_form(notes::fuzz::as_text(data, size));
  if (!form) {
    require(!form.error().empty(), "a refusal says why");
    return 0;
  }
  require(form->fields().size() <= web::max_form_fields, "no more fields than the limit");
  std::string encoded;
  for (const auto& [name, value] : form->fields()) {
    require(notes::text::is_valid_utf8(name) && notes::text::is_valid_utf8(value),
            "accepted text is valid UTF-8");
    require(form->get(name).has_value(), "every field can be looked up");
    if (!encoded.empty()) encoded += '&';
    encoded += web::url_encode(name);
    encoded += '=';
    encoded += web::url_encode(value);
  }
  const auto again = web::parse_form(encoded);
  require(again.has_value(), "an encoded form parses");
  require(again->fields() == form->fields(), "a form reads back as it was encoded");
  return 0;
}
