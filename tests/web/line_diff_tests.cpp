// The line difference a version's page shows against the current text.
#include "web/line_diff.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using notes::http::web::diff_line;
using notes::http::web::diff_lines;
using notes::http::web::line_change;
using notes::http::web::split_lines;

namespace {

// "  kept", "- removed", "+ added", one per line.
std::string render(const std::vector<diff_line>& lines) {
  std::string out;
  for (const diff_line& l : lines) {
    out += l.change == line_change::kept ? "  " : l.change == line_change::removed ? "- " : "+ ";
    out += l.text;
    out += '\n';
  }
  return out;
}

std::string diff(std::string_view before, std::string_view after) {
  const auto lines = diff_lines(before, after);
  REQUIRE(lines);
  return render(*lines);
}

}  // namespace

TEST_CASE("line diff: lines split at \\n and \\r\\n, and a final line break starts no line") {
  CHECK(split_lines("").empty());
  CHECK(split_lines("one") == std::vector<std::string_view>{"one"});
  CHECK(split_lines("one\r\ntwo\n") == std::vector<std::string_view>{"one", "two"});
  CHECK(split_lines("\n\n") == std::vector<std::string_view>{"", ""});
}

TEST_CASE("line diff: equal texts keep every line") {
  CHECK(diff("a\nb\nc", "a\nb\nc") == "  a\n  b\n  c\n");
  CHECK(diff("", "").empty());
}

TEST_CASE("line diff: added, removed and changed lines, the removed ones first") {
  CHECK(diff("a\nc", "a\nb\nc") == "  a\n+ b\n  c\n");
  CHECK(diff("a\nb\nc", "a\nc") == "  a\n- b\n  c\n");
  CHECK(diff("a\nb\nc", "a\nB\nc") == "  a\n- b\n+ B\n  c\n");
  CHECK(diff("", "new") == "+ new\n");
  CHECK(diff("old", "") == "- old\n");
}

TEST_CASE("line diff: a moved line is one removal and one addition, the rest kept") {
  CHECK(diff("x\na\nb\nc", "a\nb\nc\nx") == "- x\n  a\n  b\n  c\n+ x\n");
  CHECK(diff("a\nb\nc\nd\ne", "a\nc\nb\ne\nd") == "  a\n- b\n  c\n- d\n+ b\n  e\n+ d\n");
}

TEST_CASE("line diff: texts too large to compare within the cap give nothing") {
  std::string before;
  std::string after;
  for (int i = 0; i < 200; ++i) {
    before += "old " + std::to_string(i) + "\n";
    after += "new " + std::to_string(i) + "\n";
  }
  CHECK_FALSE(diff_lines(before, after, 200 * 200));
  CHECK(diff_lines(before, after, 201 * 201));
  // Common first and last lines do not count against the cap.
  std::string long_text;
  for (int i = 0; i < 5'000; ++i) long_text += "same line\n";
  CHECK(diff_lines(long_text + "a\n" + long_text, long_text + "b\n" + long_text, 10));
}
