#include "notes/time.hpp"

#include <doctest/doctest.h>

using namespace notes;
using namespace std::chrono;

TEST_CASE("timestamps format as RFC 3339 UTC with microseconds and Z") {
  timestamp t = sys_days{2026y / November / 25} + 12h + 44min + 30s + 123456us;
  CHECK(to_rfc3339(t) == "2026-11-25T12:44:30.123456Z");
  CHECK(to_rfc3339(timestamp{}) == "1970-01-01T00:00:00.000000Z");
}

TEST_CASE("RFC 3339 parsing round-trips and honours offsets") {
  timestamp t = sys_days{2024y / February / 29} + 23h + 59min + 59s + 999999us;
  CHECK(parse_rfc3339(to_rfc3339(t)) == t);
  CHECK(parse_rfc3339("2024-02-29T23:59:59.999999+01:00") == t - 1h);
  CHECK(parse_rfc3339("2024-02-29T23:59:59Z") == t - 999999us);
  CHECK_FALSE(parse_rfc3339("2023-02-29T00:00:00Z"));  // not a leap year
  CHECK_FALSE(parse_rfc3339("2024-02-29"));
  CHECK_FALSE(parse_rfc3339("2024-02-29T24:00:00Z"));
  CHECK_FALSE(parse_rfc3339("2024-02-29T00:00:00Zjunk"));
}

TEST_CASE("formatting pads every field and keeps leading zeros of the fraction") {
  timestamp t = sys_days{999y / March / 4} + 5h + 6min + 7s + 89us;
  CHECK(to_rfc3339(t) == "0999-03-04T05:06:07.000089Z");
  timestamp last = sys_days{9999y / December / 31} + 23h + 59min + 59s + 999999us;
  CHECK(to_rfc3339(last) == "9999-12-31T23:59:59.999999Z");
  CHECK(to_rfc3339(sys_days{1969y / December / 31} + 1us) == "1969-12-31T00:00:00.000001Z");
}

TEST_CASE("append_rfc3339 appends exactly what to_rfc3339 returns") {
  const timestamp times[] = {timestamp{}, sys_days{2026y / November / 25} + 12h + 44min + 30s + 123456us,
                             sys_days{999y / March / 4} + 5h + 6min + 7s + 89us,
                             sys_days{1969y / December / 31} + 1us};
  for (const timestamp t : times) {
    std::string out = "created_at=";
    append_rfc3339(out, t);
    CHECK(out == "created_at=" + to_rfc3339(t));
  }
}
