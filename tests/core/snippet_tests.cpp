#include "notes/snippet.hpp"

#include <doctest/doctest.h>

#include <string>

#include "notes/text.hpp"

using namespace notes::text;

TEST_CASE("a snippet is the passage around the first match, found as search folds case") {
  const auto s = find_snippet("Buy MILK and bread, then more milk", "milk");
  REQUIRE(s);
  CHECK(s->before == "Buy ");
  CHECK(s->match == "MILK");
  CHECK(s->after == " and bread, then more milk");
  CHECK_FALSE(s->cut_before);
  CHECK_FALSE(s->cut_after);
}

TEST_CASE("a snippet finds nothing where search finds nothing") {
  CHECK_FALSE(find_snippet("café au lait", "cafe"));
  CHECK_FALSE(find_snippet("anything", "   "));
  CHECK_FALSE(find_snippet("", "x"));
}

TEST_CASE("a snippet of a long text keeps about the width, a third of it before the match") {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "é";  // two bytes each
  text += "NEEDLE";
  for (int i = 0; i < 300; ++i) text += "ü";
  const auto s = find_snippet(text, "needle", 36);
  REQUIRE(s);
  CHECK(s->match == "NEEDLE");
  CHECK(code_point_count(s->before) == 10);
  CHECK(code_point_count(s->after) == 20);
  CHECK(is_valid_utf8(s->before));
  CHECK(is_valid_utf8(s->after));
  CHECK(s->cut_before);
  CHECK(s->cut_after);
}

TEST_CASE("a snippet locates the match by code points where folding changes byte lengths") {
  // U+212A KELVIN SIGN (3 bytes) folds to "k" (1 byte): the match must still land on "Mark".
  const auto s = find_snippet("\u212A\u212A\u212A then Mark's 4-byte \xF0\x9F\x98\x80 ok", "mark");
  REQUIRE(s);
  CHECK(s->match == "Mark");
  CHECK(s->before == "\u212A\u212A\u212A then ");
  const auto emoji = find_snippet("a \xF0\x9F\x98\x80 b", "\xF0\x9F\x98\x80");
  REQUIRE(emoji);
  CHECK(emoji->match == "\xF0\x9F\x98\x80");
}

TEST_CASE("a snippet never cuts inside a code point") {
  std::string text;
  for (int i = 0; i < 50; ++i) text += "日本\xF0\x9F\x98\x80";
  text += "x";
  for (int i = 0; i < 50; ++i) text += "日本\xF0\x9F\x98\x80";
  for (std::size_t width = 1; width < 40; ++width) {
    const auto s = find_snippet(text, "x", width);
    REQUIRE(s);
    CHECK(is_valid_utf8(s->before));
    CHECK(is_valid_utf8(s->after));
    CHECK(s->match == "x");
  }
}

TEST_CASE("a snippet marks the code points of the text a normalised match stands for") {
  // Written decomposed, searched composed: the match is "e" and U+0301, both of them.
  const auto decomposed = find_snippet("Le cafe\u0301 noir", "CAF\u00C9");
  REQUIRE(decomposed);
  CHECK(decomposed->before == "Le ");
  CHECK(decomposed->match == "cafe\u0301");
  CHECK(decomposed->after == " noir");
  const auto just_the_letter = find_snippet("Le cafe\u0301 noir", "\u00E9");
  REQUIRE(just_the_letter);
  CHECK(just_the_letter->match == "e\u0301");
  CHECK(just_the_letter->before == "Le caf");
  // Written composed, searched decomposed.
  const auto composed = find_snippet("Le caf\u00E9 noir", "cafe\u0301");
  REQUIRE(composed);
  CHECK(composed->match == "caf\u00E9");
  CHECK(composed->after == " noir");
  // Accents count: "cafe" is not "café", either way it is written.
  CHECK_FALSE(find_snippet("Le cafe\u0301 noir", "cafe n"));
  CHECK_FALSE(find_snippet("Le caf\u00E9 noir", "cafe"));
}

TEST_CASE("a snippet finds a match that straddles where the text is searched piece by piece") {
  for (std::size_t lead = 4080; lead < 4110; ++lead) {
    std::string text(lead, 'x');
    text += "cafe\u0301 au lait";
    text += std::string(5000, 'y');
    const auto s = find_snippet(text, "Caf\u00C9 au");
    REQUIRE(s);
    CHECK(s->match == "cafe\u0301 au");
    CHECK(s->before.size() + s->match.size() + s->after.size() <= text.size());
    CHECK(static_cast<std::size_t>(s->match.data() - text.data()) == lead);
  }
}
