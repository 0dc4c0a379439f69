#include <doctest/doctest.h>

#include <string>

#include "web/crypto.hpp"

using namespace notes::http::web;

TEST_CASE("HMAC-SHA256 matches RFC 4231 test case 2") {
  const digest d = hmac_sha256("Jefe", "what do ya want for nothing?");
  CHECK(to_hex(as_view(d)) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("SHA-256 of the empty string") {
  CHECK(to_hex(as_view(sha256(""))) ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("base64url round-trips every length and uses the URL-safe alphabet") {
  std::string bytes;
  for (int n = 0; n < 70; ++n) {
    const std::string encoded = base64url_encode(bytes);
    CHECK(encoded.find_first_of("+/=") == std::string::npos);
    const auto decoded = base64url_decode(encoded);
    REQUIRE(decoded);
    CHECK(*decoded == bytes);
    bytes += static_cast<char>(n * 37 + 250);
  }
  CHECK(base64url_encode("\xfb\xff") == "-_8");
}

TEST_CASE("base64url rejects foreign characters and non-canonical endings") {
  CHECK_FALSE(base64url_decode("ab+c"));
  CHECK_FALSE(base64url_decode("ab/c"));
  CHECK_FALSE(base64url_decode("abc="));
  CHECK_FALSE(base64url_decode("a"));
  CHECK_FALSE(base64url_decode("QR"));  // "Q" + "R" leaves nonzero unused bits
  CHECK(base64url_decode("QQ") == std::string("A"));
}

TEST_CASE("constant-time comparison") {
  CHECK(constant_time_equal("abc", "abc"));
  CHECK_FALSE(constant_time_equal("abc", "abd"));
  CHECK_FALSE(constant_time_equal("abc", "abcd"));
  CHECK(constant_time_equal("", ""));
}

TEST_CASE("random bytes differ between calls") {
  CHECK(random_bytes(32).size() == 32);
  CHECK(random_bytes(32) != random_bytes(32));
}
