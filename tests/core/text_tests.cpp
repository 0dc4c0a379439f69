#include "notes/text.hpp"

#include <doctest/doctest.h>

using namespace notes::text;

TEST_CASE("valid UTF-8 is accepted, including 4-byte sequences") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain ascii"));
  CHECK(is_valid_utf8("Ärger café 日本 \xF0\x9F\x98\x80"));
}

TEST_CASE("malformed UTF-8 is rejected") {
  CHECK_FALSE(is_valid_utf8("\xC3"));              // truncated
  CHECK_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong 3-byte
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));      // UTF-16 surrogate
  CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xFF"));
  CHECK_FALSE(is_valid_utf8("ok\x80"));            // stray continuation byte
}

TEST_CASE("code points are counted, not bytes") {
  CHECK(code_point_count("abc") == 3);
  CHECK(code_point_count("Ärger") == 5);
  CHECK(code_point_count("日本") == 2);
  CHECK(code_point_count("\xF0\x9F\x98\x80") == 1);
}

TEST_CASE("trim removes Unicode white space at both ends only") {
  CHECK(trim("  a b \t\n") == "a b");
  CHECK(trim("\xC2\xA0\xE3\x80\x80x\xE2\x80\x83") == "x");  // NBSP, ideographic space, em space
  CHECK(trim(" \t ").empty());
  CHECK(trim("é") == "é");
}

TEST_CASE("case folding covers ASCII and non-ASCII letters") {
  CHECK(fold_case("Hello WORLD") == "hello world");
  CHECK(fold_case("Ärger") == "ärger");
  CHECK(fold_case("CAFÉ") == "café");
  CHECK(fold_case("ΣΟΦΊΑ") == "σοφία");
  CHECK(fold_case("ПРИВЕТ") == "привет");
  CHECK(fold_case("ĀĂĄ") == "āăą");  // stride-2 runs in Latin Extended-A
  CHECK(fold_case("100% _\\") == "100% _\\");
}

TEST_CASE("contains_folded matches substrings only") {
  CHECK(contains_folded(fold_case("Großer Ärger"), fold_case("ärger")));
  CHECK_FALSE(contains_folded(fold_case("abc"), fold_case("abd")));
}

TEST_CASE("helpers stay memory-safe on malformed input") {
  CHECK(trim("\xE2\x85").size() <= 2);  // truncated sequence at the end
  CHECK(trim("\xE2").size() <= 1);
  CHECK(fold_case("\xF0\x9F").size() <= 4);
}

TEST_CASE("control characters are found unless allowed") {
  using namespace std::string_literals;
  CHECK(has_control_characters("a\0b"s));
  CHECK(has_control_characters("a\x7F"));
  CHECK_FALSE(has_control_characters("tab\there", "\t"));
  CHECK_FALSE(has_control_characters("Ärger 日本"));
}
