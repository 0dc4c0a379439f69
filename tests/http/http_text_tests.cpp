// The small text helpers the HTTP code shares: header whitespace, media types, positive integers
// in paths, queries and forms, decimal numbers, entity-tag lists.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "routing/http_text.hpp"

using notes::http::append_decimal;
using notes::http::entity_tag_item;
using notes::http::for_each_entity_tag;
using notes::http::media_type_is;
using notes::http::parse_positive_int64;
using notes::http::trim_ows;

TEST_CASE("trim_ows removes spaces and tabs at both ends, nothing else") {
  CHECK(trim_ows(" \t application/json\t ") == "application/json");
  CHECK(trim_ows("a b") == "a b");
  CHECK(trim_ows(" \t ") == "");
  CHECK(trim_ows("\r\nx\n") == "\r\nx\n");
}

TEST_CASE("parse_positive_int64 takes digits that make a positive int64, nothing else") {
  CHECK(parse_positive_int64("1") == 1);
  CHECK(parse_positive_int64("007") == 7);
  CHECK(parse_positive_int64("9223372036854775807") == INT64_MAX);
  for (const char* bad : {"", "0", "000", "-1", "+1", " 1", "1 ", "1.5", "1e3", "0x10", "abc",
                          "9223372036854775808", "99999999999999999999"}) {
    CAPTURE(std::string(bad));
    CHECK_FALSE(parse_positive_int64(bad));
  }
}

TEST_CASE("for_each_entity_tag splits a list into *, weak and strong tags") {
  std::vector<entity_tag_item> items;
  for_each_entity_tag(R"( "3" ,W/"4",*, ,"a,b",  bare ,"")",
                      [&](const entity_tag_item& item) { items.push_back(item); });
  REQUIRE(items.size() == 6);
  CHECK((!items[0].any && !items[0].weak && items[0].tag == R"("3")" && items[0].opaque == "3"));
  CHECK((items[1].weak && items[1].tag == R"("4")" && items[1].opaque == "4"));
  CHECK(items[2].any);
  // A comma inside the quotes belongs to the tag (RFC 9110 etagc).
  CHECK((items[3].tag == R"("a,b")" && items[3].opaque == "a,b"));
  // Not a quoted tag: kept as written, with no opaque part, so it matches nothing.
  CHECK((items[4].tag == "bare" && items[4].opaque.empty() && !items[4].any));
  CHECK((items[5].tag == R"("")" && items[5].opaque.empty()));

  int count = 0;
  for_each_entity_tag("", [&](const entity_tag_item&) { ++count; });
  for_each_entity_tag(" , ,", [&](const entity_tag_item&) { ++count; });
  CHECK(count == 0);
}

TEST_CASE("media_type_is compares type and subtype in any case, whatever the parameters") {
  CHECK(media_type_is("application/json", "application/json"));
  CHECK(media_type_is("Application/JSON; charset=utf-8", "application/json"));
  CHECK(media_type_is(" application/x-www-form-urlencoded ;charset=UTF-8",
                      "application/x-www-form-urlencoded"));
  CHECK_FALSE(media_type_is("application/jsonx", "application/json"));
  CHECK_FALSE(media_type_is("application/json-seq", "application/json"));
  CHECK_FALSE(media_type_is("text/plain", "application/json"));
  CHECK_FALSE(media_type_is("", "application/json"));
}

TEST_CASE("append_decimal appends every int64 in decimal") {
  std::string out = "n=";
  append_decimal(out, 0);
  out += ',';
  append_decimal(out, -42);
  out += ',';
  append_decimal(out, INT64_MAX);
  out += ',';
  append_decimal(out, INT64_MIN);
  CHECK(out == "n=0,-42,9223372036854775807,-9223372036854775808");
}
