#pragma once
// The few cryptographic primitives the web front end needs, on top of OpenSSL's libcrypto.
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace notes::http::web {

using digest = std::array<unsigned char, 32>;

digest hmac_sha256(std::string_view key, std::string_view message);
digest sha256(std::string_view data);

// Bytes from OpenSSL's CSPRNG; throws std::runtime_error if it cannot be seeded (startup only).
std::string random_bytes(std::size_t count);

// Compares in time that depends on the length only, so a forged signature leaks nothing.
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

// RFC 4648 section 5 alphabet without padding: safe in cookies, URLs and form fields.
std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

std::string to_hex(std::string_view bytes);

inline std::string_view as_view(const digest& d) noexcept {
  return {reinterpret_cast<const char*>(d.data()), d.size()};
}

}  // namespace notes::http::web
