#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include "web/form.hpp"

using namespace notes::http::web;

namespace {

// Bytes requested from operator new while `counting` is set: shows how much work a refusal did.
std::atomic<bool> counting{false};
std::atomic<std::size_t> counted_bytes{0};

template <class Fn>
std::size_t bytes_allocated_by(Fn&& fn) {
  counted_bytes = 0;
  counting = true;
  fn();
  counting = false;
  return counted_bytes;
}

}  // namespace

// Replaced for this test program only; the array and aligned forms forward to these by default.
void* operator new(std::size_t size) {
  if (counting) counted_bytes += size;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

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

TEST_CASE("a body of a million separators is refused before any field is decoded") {
  std::string body;
  for (int i = 0; i < 512 * 1024; ++i) body += "a&";
  std::optional<std::string> error;
  const std::size_t bytes = bytes_allocated_by([&] {
    auto form = parse_form(body);
    if (!form) error = std::move(form.error());
  });
  REQUIRE(error);
  CHECK(*error == "The form has too many fields.");
  CHECK(bytes < 4096);
}

TEST_CASE("empty pairs between separators do not count as fields") {
  std::string body;
  for (std::size_t i = 0; i < max_form_fields; ++i) body += "&&&f" + std::to_string(i) + "=1";
  const auto form = parse_form(body + "&&&");
  REQUIRE(form);
  CHECK(form->fields().size() == max_form_fields);
}

TEST_CASE("url_encode leaves only unreserved characters") {
  CHECK(url_encode("milk & eggs/ü?#") == "milk%20%26%20eggs%2F%C3%BC%3F%23");
  CHECK(url_encode("a-b_c.d~") == "a-b_c.d~");
  const auto back = parse_form("q=" + url_encode("<script>&x=1"));
  REQUIRE(back);
  CHECK(back->get("q") == "<script>&x=1");
}
