// If-Match / If-None-Match lists (routing/http_text.hpp for_each_entity_tag): every member
// visited is a piece of the header, its opaque part a piece of its tag, and only "*" is `any`.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "fuzz_check.hpp"
#include "routing/http_text.hpp"

using notes::fuzz::require;

namespace {

bool inside(std::string_view part, std::string_view whole) {
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view header = notes::fuzz::as_text(data, size);
  std::size_t members = 0;
  notes::http::for_each_entity_tag(header, [&](const notes::http::entity_tag_item& item) {
    ++members;
    require(inside(item.tag, header), "a member is a piece of the header");
    require(item.weak || item.tag == notes::http::trim_ows(item.tag),
            "a member has no white space around it");
    require(item.opaque.empty() || inside(item.opaque, item.tag), "the opaque part is in the tag");
    require(!item.any || (item.tag == "*" && !item.weak), "only \"*\" matches any");
  });
  require(members <= static_cast<std::size_t>(std::count(header.begin(), header.end(), ',')) + 1,
          "no more members than commas allow");
  return 0;
}
