#include <doctest/doctest.h>

#include <chrono>
#include <stdexcept>
#include <string>

#include "web/crypto.hpp"
#include "web/cookie_session.hpp"

using namespace notes::http::web;
using std::chrono::hours;
using std::chrono::seconds;
using std::chrono::sys_seconds;

namespace {

const sys_seconds t0{seconds{1'780'000'000}};

cookie_session_codec codec(std::string key = "correct horse battery staple") {
  return cookie_session_codec(key, cookie_session_options{});
}

}  // namespace

TEST_CASE("a session survives an encode/decode round trip with its flashes") {
  const auto c = codec();
  cookie_session s = c.fresh(t0);
  add_flash(s, "success", "Note created successfully.");
  add_flash(s, "info", "Grüße, 世界");
  const auto back = c.decode(c.encode(s), t0 + seconds(5));
  REQUIRE(back);
  CHECK(back->csrf_secret == s.csrf_secret);
  CHECK(back->issued_at == t0);
  CHECK(back->flashes == s.flashes);
}

TEST_CASE("fresh sessions get distinct 32-byte CSRF secrets") {
  const auto c = codec();
  const cookie_session a = c.fresh(t0);
  const cookie_session b = c.fresh(t0);
  CHECK(a.csrf_secret.size() == 32);
  CHECK(a.csrf_secret != b.csrf_secret);
}

TEST_CASE("a CSRF secret too long for its length byte is refused, never written truncated") {
  const auto c = codec();
  cookie_session s = c.fresh(t0);
  s.csrf_secret = std::string(255, 's');
  const auto back = c.decode(c.encode(s), t0);
  REQUIRE(back);
  CHECK(back->csrf_secret == s.csrf_secret);

  s.csrf_secret = std::string(300, 's');
  CHECK_THROWS_AS(c.encode(s), std::length_error);
}

TEST_CASE("a cookie signed under another key is refused") {
  const std::string value = codec("key one").encode(codec("key one").fresh(t0));
  CHECK(codec("key one").decode(value, t0));
  CHECK_FALSE(codec("key two").decode(value, t0));
}

TEST_CASE("any changed character in the payload or the signature is refused") {
  const auto c = codec();
  cookie_session s = c.fresh(t0);
  add_flash(s, "success", "Note deleted.");
  const std::string value = c.encode(s);
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '.') continue;
    std::string tampered = value;
    tampered[i] = tampered[i] == 'A' ? 'B' : 'A';
    CHECK_MESSAGE(!c.decode(tampered, t0), "position ", i);
  }
}

TEST_CASE("a forged payload with a re-used signature is refused") {
  const auto c = codec();
  const std::string a = c.encode(c.fresh(t0));
  const std::string b = c.encode(c.fresh(t0));
  const std::string mixed = a.substr(0, a.find('.')) + b.substr(b.find('.'));
  CHECK_FALSE(c.decode(mixed, t0));
}

TEST_CASE("malformed cookie values are refused, never thrown") {
  const auto c = codec();
  for (const char* bad : {"", ".", "abc", "abc.", ".abc", "!!!.???", "a.b.c", "\xff\xfe.\x01"}) {
    CHECK_FALSE(c.decode(bad, t0));
  }
}

TEST_CASE("a session older than its lifetime is refused") {
  cookie_session_options options;
  options.lifetime = hours(2);
  const cookie_session_codec c("k", options);
  const std::string value = c.encode(c.fresh(t0));
  CHECK(c.decode(value, t0 + hours(2)));
  CHECK_FALSE(c.decode(value, t0 + hours(2) + seconds(1)));
}

TEST_CASE("a session past half its lifetime asks to be re-issued") {
  cookie_session_options options;
  options.lifetime = hours(2);
  const cookie_session_codec c("k", options);
  const cookie_session s = c.fresh(t0);
  CHECK_FALSE(c.needs_refresh(s, t0 + hours(1)));
  CHECK(c.needs_refresh(s, t0 + hours(1) + seconds(1)));
}

TEST_CASE("two servers with the same key accept each other's sessions and tokens") {
  const cookie_session_codec first("shared key", {});
  const cookie_session_codec second("shared key", {});
  const cookie_session s = first.fresh(t0);
  const auto seen = second.decode(first.encode(s), t0);
  REQUIRE(seen);
  CHECK(second.csrf_token_valid(*seen, first.csrf_token(s)));
}

TEST_CASE("a CSRF token is bound to its session's secret") {
  const auto c = codec();
  const cookie_session mine = c.fresh(t0);
  const cookie_session other = c.fresh(t0);
  const std::string token = c.csrf_token(mine);
  CHECK(c.csrf_token_valid(mine, token));
  CHECK_FALSE(c.csrf_token_valid(other, token));
  CHECK_FALSE(c.csrf_token_valid(mine, ""));
  CHECK_FALSE(c.csrf_token_valid(mine, token.substr(1)));
  // The token is not the secret itself, so a leaked page does not reveal the cookie's content.
  CHECK(token.find(base64url_encode(mine.csrf_secret)) == std::string::npos);
}

TEST_CASE("a CSRF token from another key is refused") {
  const cookie_session s = codec("one").fresh(t0);
  CHECK_FALSE(codec("two").csrf_token_valid(s, codec("one").csrf_token(s)));
}

TEST_CASE("Set-Cookie is HttpOnly, SameSite=Lax, path-wide, and Secure only when configured") {
  cookie_session_options options;
  options.lifetime = hours(24);
  const cookie_session_codec plain("k", options);
  const std::string cookie = plain.set_cookie(plain.fresh(t0));
  CHECK(cookie.starts_with("notes_session="));
  CHECK(cookie.find("; HttpOnly") != std::string::npos);
  CHECK(cookie.find("; SameSite=Lax") != std::string::npos);
  CHECK(cookie.find("; Path=/") != std::string::npos);
  CHECK(cookie.find("; Max-Age=86400") != std::string::npos);
  CHECK(cookie.find("Secure") == std::string::npos);
  options.secure_cookie = true;
  const cookie_session_codec secure("k", options);
  CHECK(secure.set_cookie(secure.fresh(t0)).ends_with("; Secure"));
}

TEST_CASE("the session is found among other cookies; a bad one does not hide a good one") {
  const auto c = codec();
  const cookie_session s = c.fresh(t0);
  const std::string good = c.encode(s);
  const std::string header =
      "theme=dark; notes_session=forged.value; notes_session=" + good + "; x=1";
  const auto found = c.from_cookie_header(header, t0);
  REQUIRE(found);
  CHECK(found->csrf_secret == s.csrf_secret);
  CHECK_FALSE(c.from_cookie_header("theme=dark; other_session=" + good, t0));
  CHECK_FALSE(c.from_cookie_header("", t0));
}

TEST_CASE("flashes are capped and clipped so the cookie stays small") {
  const auto c = codec();
  cookie_session s = c.fresh(t0);
  for (int i = 0; i < 20; ++i) add_flash(s, "info", std::string(5000, 'x') + std::to_string(i));
  CHECK(s.flashes.size() == max_flashes);
  CHECK(s.flashes.back().text.size() == max_flash_length);
  CHECK(c.encode(s).size() < 4000);
  const auto back = c.decode(c.encode(s), t0);
  REQUIRE(back);
  CHECK(back->flashes.size() == max_flashes);
}

TEST_CASE("clipping a flash never splits a UTF-8 character") {
  cookie_session s;
  add_flash(s, "info", std::string(max_flash_length - 1, 'a') + "é");
  CHECK(s.flashes.back().text == std::string(max_flash_length - 1, 'a'));
}

TEST_CASE("an empty secret key is refused") {
  CHECK_THROWS_AS(cookie_session_codec("", {}), std::invalid_argument);
}

TEST_CASE("a signed-in session carries its account, generation and sign-in time") {
  const auto c = codec();
  cookie_session s = c.fresh(t0);
  s.account = session_account{42, 7, t0 - hours(3)};
  add_flash(s, "success", "Welcome.");
  const auto back = c.decode(c.encode(s), t0 + seconds(5));
  REQUIRE(back);
  REQUIRE(back->account);
  CHECK(*back->account == session_account{42, 7, t0 - hours(3)});
  CHECK(back->csrf_secret == s.csrf_secret);
  CHECK(back->flashes == s.flashes);
  // A CSRF token is bound to the session, whoever is signed in to it.
  CHECK(c.csrf_token_valid(*back, c.csrf_token(s)));
}

TEST_CASE("a signed-out session keeps the format from before accounts, which reads as signed out") {
  const auto c = codec();
  cookie_session s = c.fresh(t0);
  const std::string value = c.encode(s);
  const auto payload = base64url_decode(value.substr(0, value.find('.')));
  REQUIRE(payload);
  CHECK(payload->front() == '\x01');
  const auto back = c.decode(value, t0);
  REQUIRE(back);
  CHECK_FALSE(back->account);
  CHECK(back->csrf_secret == s.csrf_secret);

  s.account = session_account{1, 1, t0};
  const std::string signed_in = c.encode(s);
  CHECK(base64url_decode(signed_in.substr(0, signed_in.find('.')))->front() == '\x02');
}
