// JSON bodies of POST, PUT and PATCH /api/notes (api/request_json): the body is read as the API
// reads it, refused with 400 or read into a patch, which then goes through the core's rules.
#include <cstddef>
#include <cstdint>
#include <string>

#include "api/request_json.hpp"
#include "fuzz_check.hpp"
#include "notes/validation.hpp"

using notes::fuzz::require;
namespace http = notes::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  http::request req{http::verb::post, "/api/notes", 11};
  req.set(http::field::content_type, "application/json; charset=utf-8");
  req.body() = std::string(notes::fuzz::as_text(data, size));
  const auto patch = http::read_note_json(req);
  if (!patch) {
    require(patch.error().code == http::status::bad_request, "a bad body is a 400");
    require(!patch.error().message.empty(), "a refusal says why");
    return 0;
  }
  // What the core's rules accept they accept again unchanged: stored text is already trimmed.
  if (const auto checked = notes::validate(*patch)) {
    const auto again = notes::validate(*checked);
    require(again && again->title == checked->title && again->content == checked->content &&
                again->is_pinned == checked->is_pinned,
            "validation is idempotent");
  }
  return 0;
}
