#include "transport/http_date.hpp"

#include <ctime>

namespace notes::http {

std::string_view http_date_now() noexcept {
  struct cache {
    std::time_t second = -1;
    char text[32] = {};
    std::size_t size = 0;
  };
  thread_local cache c;
  std::time_t now = std::time(nullptr);
  if (now != c.second) {
    std::tm parts{};
    gmtime_r(&now, &parts);
    c.size = std::strftime(c.text, sizeof c.text, "%a, %d %b %Y %H:%M:%S GMT", &parts);
    c.second = now;
  }
  return {c.text, c.size};
}

}  // namespace notes::http
