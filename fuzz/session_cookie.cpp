// The signed session cookie (web/cookie_session). The first byte chooses what the rest is:
//   even: a Cookie header from anyone, which must come out rejected or as a valid session;
//   odd:  a session payload, signed here with the server's key, so that the payload decoder
//         behind the signature check is reached as well. What it accepts must encode and
//         decode again to the same cookie.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_check.hpp"
#include "web/cookie_session.hpp"
#include "web/crypto.hpp"

using notes::fuzz::require;
namespace web = notes::http::web;

namespace {

constexpr std::string_view secret_key = "fuzzing secret key";
// A fixed "now", so that an input means the same on every run.
constexpr std::chrono::sys_seconds now{std::chrono::seconds(1'800'000'000)};

struct signer {
  web::cookie_session_codec codec{secret_key, {}};
  // The codec's signing key, derived as the codec derives it; checked against the codec below.
  std::string signing_key{
      web::as_view(web::hmac_sha256(secret_key, "notes/session-signature/v1"))};

  std::string sign(std::string_view payload) const {
    std::string value = web::base64url_encode(payload);
    const std::string signature =
        web::base64url_encode(web::as_view(web::hmac_sha256(signing_key, value)));
    return value + '.' + signature;
  }

  signer() {
    // If the codec signs another way, the odd inputs would test only the signature check.
    const std::string cookie = codec.encode(codec.fresh(now));
    const auto payload = web::base64url_decode(cookie.substr(0, cookie.find('.')));
    require(payload && sign(*payload) == cookie, "the harness signs as the codec does");
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const signer s;
  if (size == 0) return 0;
  const std::string_view rest = notes::fuzz::as_text(data + 1, size - 1);
  std::optional<web::cookie_session> session;
  if (data[0] % 2 == 0) {
    session = s.codec.from_cookie_header(rest, now);
  } else {
    session = s.codec.decode(s.sign(rest), now);
  }
  if (!session) return 0;
  require(!session->csrf_secret.empty(), "an accepted session has a CSRF secret");
  require(session->flashes.size() <= web::max_flashes, "no more flashes than the limit");
  const std::string cookie = s.codec.encode(*session);
  const auto again = s.codec.decode(cookie, now);
  require(again.has_value(), "an encoded session decodes");
  require(s.codec.encode(*again) == cookie, "a session reads back as it was encoded");
  require(s.codec.csrf_token_valid(*again, s.codec.csrf_token(*session)),
          "the CSRF token survives the round trip");
  return 0;
}
