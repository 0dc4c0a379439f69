#include <doctest/doctest.h>

#include <string>

#include "form.hpp"

using namespace notes::http::web;

TEST_CASE("form fields decode + and percent escapes, including UTF-8") {
  const auto form =
      parse_form("title=Hello+world%21&content=Gr%C3%BC%C3%9Fe%0D%0Aline+2&is_pinned=y");
  REQUIRE(form);
  CHECK(form->get("title") == "Hello world!");
  CHECK(form->get("content") == "Grüße\r\nline 2");
  CHECK(form->get("is_pinned") == "y");
  CHECK_FALSE(form->has("missing"));
}

TEST_CASE("a literal plus is sent as %2B and survives") {
  const auto form = parse_form("title=1%2B1%3D2");
  REQUIRE(form);
  CHECK(form->get("title") == "1+1=2");
}

TEST_CASE("empty and valueless fields are present with an empty value") {
  const auto form = parse_form("a=&b&&c=3");
  REQUIRE(form);
  CHECK(form->get("a") == "");
  CHECK(form->get("b") == "");
  CHECK(form->get("c") == "3");
  CHECK(form->fields().size() == 3);
}

TEST_CASE("a repeated field reads as its first value") {
  const auto form = parse_form("tag=one&tag=two");
  REQUIRE(form);
  CHECK(form->get("tag") == "one");
}

TEST_CASE("invalid UTF-8 in a value or a name is refused with a message") {
  for (const char* body :
       {"title=%FF", "title=%C3", "ti%80tle=x", "content=%ED%A0%80", "x=%C0%AF"}) {
    const auto form = parse_form(body);
    REQUIRE_FALSE(form);
    CHECK(form.error() == "The form contains text that is not valid UTF-8.");
  }
}

TEST_CASE("a malformed escape stays literal text, as browsers and Python read it") {
  const auto form = parse_form("title=100%&content=%zz%4");
  REQUIRE(form);
  CHECK(form->get("title") == "100%");
  CHECK(form->get("content") == "%zz%4");
}

TEST_CASE("too many fields are refused") {
  std::string body;
  for (std::size_t i = 0; i <= max_form_fields; ++i) body += "f" + std::to_string(i) + "=1&";
  const auto form = parse_form(body);
  REQUIRE_FALSE(form);
  CHECK(form.error() == "The form has too many fields.");
}

TEST_CASE("url_encode leaves only unreserved characters") {
  CHECK(url_encode("milk & eggs/ü?#") == "milk%20%26%20eggs%2F%C3%BC%3F%23");
  CHECK(url_encode("a-b_c.d~") == "a-b_c.d~");
  const auto back = parse_form("q=" + url_encode("<script>&x=1"));
  REQUIRE(back);
  CHECK(back->get("q") == "<script>&x=1");
}
