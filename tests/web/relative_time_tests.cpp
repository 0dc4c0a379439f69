#include <doctest/doctest.h>

#include <chrono>

#include "web/render/html_views.hpp"

using notes::http::web::relative_time;
using namespace std::chrono_literals;

TEST_CASE("relative times count minutes, hours and days, then name the day") {
  const notes::timestamp now =
      notes::timestamp(std::chrono::sys_days{std::chrono::year{2026} / 11 / 25}) + 12h;
  CHECK(relative_time(now, now) == "just now");
  CHECK(relative_time(now + 5s, now) == "just now");  // a clock slightly behind
  CHECK(relative_time(now - 59s, now) == "just now");
  CHECK(relative_time(now - 1min, now) == "1 minute ago");
  CHECK(relative_time(now - 3min - 59s, now) == "3 minutes ago");
  CHECK(relative_time(now - 1h, now) == "1 hour ago");
  CHECK(relative_time(now - 23h - 59min, now) == "23 hours ago");
  CHECK(relative_time(now - 24h, now) == "yesterday");
  CHECK(relative_time(now - 47h, now) == "yesterday");
  CHECK(relative_time(now - 48h, now) == "2 days ago");
  CHECK(relative_time(now - 24h * 7 + 1s, now) == "6 days ago");
  CHECK(relative_time(now - 24h * 7, now) == "on Nov 18, 2026");
  CHECK(relative_time(now - 24h * 400, now) == "on Oct 21, 2025");
}
