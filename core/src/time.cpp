#include "notes/time.hpp"

#include <cstddef>

namespace notes {

namespace chr = std::chrono;

timestamp system_now() { return chr::time_point_cast<chr::microseconds>(chr::system_clock::now()); }

namespace {

// Writes `value` as exactly `width` decimal digits ending just before `end`.
char* put_digits(char* end, unsigned long long value, int width) noexcept {
  for (int i = 0; i < width; ++i) {
    *--end = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return end;
}

}  // namespace

// Hand-formatted: it runs for every timestamp of every JSON note and page, where snprintf showed
// up in profiles.
void append_rfc3339(std::string& out, timestamp t) {
  const auto day = chr::floor<chr::days>(t);
  const chr::year_month_day ymd{day};
  const auto micros = static_cast<unsigned long long>((t - day).count());  // < 86,400,000,000
  const auto seconds_of_day = micros / 1'000'000;
  int year = static_cast<int>(ymd.year());
  if (year < 0 || year > 9999) year = year < 0 ? 0 : 9999;  // outside RFC 3339; clamp, never overflow
  char buf[] = "0000-00-00T00:00:00.000000Z";
  put_digits(buf + 4, static_cast<unsigned>(year), 4);
  put_digits(buf + 7, static_cast<unsigned>(ymd.month()), 2);
  put_digits(buf + 10, static_cast<unsigned>(ymd.day()), 2);
  put_digits(buf + 13, seconds_of_day / 3600, 2);
  put_digits(buf + 16, seconds_of_day / 60 % 60, 2);
  put_digits(buf + 19, seconds_of_day % 60, 2);
  put_digits(buf + 26, micros % 1'000'000, 6);
  out.append(buf, sizeof buf - 1);
}

std::string to_rfc3339(timestamp t) {
  std::string out;
  append_rfc3339(out, t);
  return out;
}

namespace {

// Converts the digits itself so that `out` is set whenever it returns true: the optimiser can then
// prove that parse_rfc3339 never reads a field it did not set.
bool take_int(std::string_view& s, std::size_t digits, int& out) {
  if (s.size() < digits) return false;
  int value = 0;
  for (std::size_t i = 0; i < digits; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    value = value * 10 + (s[i] - '0');
  }
  out = value;
  s.remove_prefix(digits);
  return true;
}

bool take_char(std::string_view& s, char c) {
  if (s.empty() || s.front() != c) return false;
  s.remove_prefix(1);
  return true;
}

}  // namespace

std::optional<timestamp> parse_rfc3339(std::string_view s) {
  int y, mo, d, h, mi, sec;
  if (!take_int(s, 4, y) || !take_char(s, '-') || !take_int(s, 2, mo) || !take_char(s, '-') ||
      !take_int(s, 2, d)) {
    return std::nullopt;
  }
  if (s.empty() || (s.front() != 'T' && s.front() != 't' && s.front() != ' ')) return std::nullopt;
  s.remove_prefix(1);
  if (!take_int(s, 2, h) || !take_char(s, ':') || !take_int(s, 2, mi) || !take_char(s, ':') ||
      !take_int(s, 2, sec)) {
    return std::nullopt;
  }
  long long micros = 0;
  if (take_char(s, '.')) {
    int digits = 0;
    while (!s.empty() && s.front() >= '0' && s.front() <= '9') {
      if (digits < 6) {
        micros = micros * 10 + (s.front() - '0');
        ++digits;
      }
      s.remove_prefix(1);
    }
    if (digits == 0) return std::nullopt;
    for (; digits < 6; ++digits) micros *= 10;
  }
  int offset_minutes = 0;
  if (take_char(s, 'Z') || take_char(s, 'z')) {
  } else if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    const int sign = s.front() == '-' ? -1 : 1;
    s.remove_prefix(1);
    int oh, om;
    if (!take_int(s, 2, oh) || !take_char(s, ':') || !take_int(s, 2, om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset_minutes = sign * (oh * 60 + om);
  } else {
    return std::nullopt;
  }
  if (!s.empty()) return std::nullopt;
  const chr::year_month_day ymd{chr::year{y}, chr::month{static_cast<unsigned>(mo)},
                                chr::day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 59) return std::nullopt;
  return timestamp{chr::sys_days{ymd}} + chr::hours{h} + chr::minutes{mi} + chr::seconds{sec} +
         chr::microseconds{micros} - chr::minutes{offset_minutes};
}

}  // namespace notes
