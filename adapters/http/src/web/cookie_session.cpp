#include "web/cookie_session.hpp"

#include <cstdint>
#include <stdexcept>

#include "web/crypto.hpp"

namespace notes::http::web {
namespace {

// Version 1 has no account; version 2 carries one after the CSRF secret.
constexpr unsigned char format_version = 1;
constexpr unsigned char format_with_account = 2;
constexpr std::size_t csrf_secret_size = 32;
constexpr std::size_t max_category_length = 32;

// A length that does not fit its prefix would make the prefix disagree with the bytes after it.
void put_u8(std::string& out, std::size_t v) {
  if (v > 0xFF) throw std::length_error("session cookie field longer than 255 bytes");
  out += static_cast<char>(v);
}

void put_u16(std::string& out, std::size_t v) {
  if (v > 0xFFFF) throw std::length_error("session cookie field longer than 65535 bytes");
  out += static_cast<char>(v >> 8);
  out += static_cast<char>(v & 0xFF);
}

void put_i64(std::string& out, std::int64_t v) {
  const auto u = static_cast<std::uint64_t>(v);
  for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((u >> shift) & 0xFF);
}

// Bounds-checked reader over the decoded payload; any overrun marks it failed.
class reader {
 public:
  explicit reader(std::string_view data) : data_(data) {}

  std::size_t u8() { return take(1) ? byte(pos_ - 1) : 0; }
  std::size_t u16() { return take(2) ? (byte(pos_ - 2) << 8) | byte(pos_ - 1) : 0; }
  std::int64_t i64() {
    if (!take(8)) return 0;
    std::uint64_t u = 0;
    for (std::size_t k = pos_ - 8; k < pos_; ++k) u = (u << 8) | byte(k);
    return static_cast<std::int64_t>(u);
  }
  std::string bytes(std::size_t n) {
    if (!take(n)) return {};
    return std::string(data_.substr(pos_ - n, n));
  }
  bool ok() const noexcept { return ok_; }
  bool at_end() const noexcept { return pos_ == data_.size(); }

 private:
  bool take(std::size_t n) {
    if (!ok_ || data_.size() - pos_ < n) return ok_ = false;
    pos_ += n;
    return true;
  }
  std::size_t byte(std::size_t k) const { return static_cast<unsigned char>(data_[k]); }

  std::string_view data_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

std::string derive_key(std::string_view secret_key, std::string_view purpose) {
  if (secret_key.empty()) throw std::invalid_argument("the session secret key must not be empty");
  return std::string(as_view(hmac_sha256(secret_key, purpose)));
}

// Cuts at a code point boundary so the stored text stays valid UTF-8.
std::string clip_utf8(std::string text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  text.resize(end);
  return text;
}

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

cookie_session_codec::cookie_session_codec(std::string_view secret_key, cookie_session_options options)
    : signing_key_(derive_key(secret_key, "notes/session-signature/v1")),
      csrf_key_(derive_key(secret_key, "notes/csrf-token/v1")),
      options_(std::move(options)) {}

cookie_session cookie_session_codec::fresh(std::chrono::sys_seconds now) const {
  return cookie_session{random_bytes(csrf_secret_size), {}, now};
}

std::string cookie_session_codec::encode(const cookie_session& s) const {
  std::string payload;
  put_u8(payload, s.account ? format_with_account : format_version);
  put_i64(payload, s.issued_at.time_since_epoch().count());
  put_u8(payload, s.csrf_secret.size());
  payload += s.csrf_secret;
  if (s.account) {
    put_i64(payload, s.account->id);
    put_i64(payload, s.account->generation);
    put_i64(payload, s.account->signed_in_at.time_since_epoch().count());
  }
  const std::size_t count = std::min(s.flashes.size(), max_flashes);
  put_u8(payload, count);
  for (std::size_t i = s.flashes.size() - count; i < s.flashes.size(); ++i) {
    const std::string category = clip_utf8(s.flashes[i].category, max_category_length);
    const std::string text = clip_utf8(s.flashes[i].text, max_flash_length);
    put_u8(payload, category.size());
    payload += category;
    put_u16(payload, text.size());
    payload += text;
  }
  std::string value = base64url_encode(payload);
  const std::string signature = base64url_encode(as_view(hmac_sha256(signing_key_, value)));
  value += '.';
  value += signature;
  return value;
}

std::optional<cookie_session> cookie_session_codec::decode(std::string_view value,
                                             std::chrono::sys_seconds now) const {
  const auto dot = value.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const std::string_view encoded = value.substr(0, dot);
  const std::string expected = base64url_encode(as_view(hmac_sha256(signing_key_, encoded)));
  if (!constant_time_equal(expected, value.substr(dot + 1))) return std::nullopt;

  // Past this point the payload is one this server family wrote, but it is parsed defensively.
  const auto payload = base64url_decode(encoded);
  if (!payload) return std::nullopt;
  reader in(*payload);
  const std::size_t version = in.u8();
  if (version != format_version && version != format_with_account) return std::nullopt;
  cookie_session s;
  s.issued_at = std::chrono::sys_seconds(std::chrono::seconds(in.i64()));
  s.csrf_secret = in.bytes(in.u8());
  if (version == format_with_account) {
    session_account signed_in;
    signed_in.id = in.i64();
    signed_in.generation = in.i64();
    signed_in.signed_in_at = std::chrono::sys_seconds(std::chrono::seconds(in.i64()));
    s.account = signed_in;
  }
  const std::size_t count = in.u8();
  if (!in.ok() || count > max_flashes || s.csrf_secret.empty()) return std::nullopt;
  for (std::size_t i = 0; i < count; ++i) {
    flash_message flash;
    flash.category = in.bytes(in.u8());
    flash.text = in.bytes(in.u16());
    s.flashes.push_back(std::move(flash));
  }
  if (!in.ok() || !in.at_end()) return std::nullopt;
  // Not `now - issued_at`: an issue time near the minimum would overflow the subtraction.
  if (s.issued_at < now - options_.lifetime) return std::nullopt;
  return s;
}

std::optional<cookie_session> cookie_session_codec::from_cookie_header(std::string_view header,
                                                         std::chrono::sys_seconds now) const {
  for (std::string_view value : cookie_values(header, options_.cookie_name)) {
    if (auto s = decode(value, now)) return s;
  }
  return std::nullopt;
}

std::string cookie_session_codec::set_cookie(const cookie_session& s) const {
  std::string cookie = options_.cookie_name;
  cookie += '=';
  cookie += encode(s);
  cookie += "; Path=/; Max-Age=";
  cookie += std::to_string(options_.lifetime.count());
  cookie += "; HttpOnly; SameSite=Lax";
  if (options_.secure_cookie) cookie += "; Secure";
  return cookie;
}

bool cookie_session_codec::needs_refresh(const cookie_session& s, std::chrono::sys_seconds now) const {
  return now - s.issued_at > options_.lifetime / 2;
}

std::string cookie_session_codec::csrf_token(const cookie_session& s) const {
  return base64url_encode(as_view(hmac_sha256(csrf_key_, s.csrf_secret)));
}

bool cookie_session_codec::csrf_token_valid(const cookie_session& s, std::string_view token) const {
  return !s.csrf_secret.empty() && constant_time_equal(csrf_token(s), token);
}

void add_flash(cookie_session& s, std::string category, std::string text) {
  s.flashes.push_back({clip_utf8(std::move(category), max_category_length),
                       clip_utf8(std::move(text), max_flash_length)});
  if (s.flashes.size() > max_flashes) {
    s.flashes.erase(s.flashes.begin(), s.flashes.end() - static_cast<std::ptrdiff_t>(max_flashes));
  }
}

std::vector<std::string_view> cookie_values(std::string_view header, std::string_view name) {
  std::vector<std::string_view> values;
  while (!header.empty()) {
    const auto end = header.find(';');
    std::string_view pair = trim_spaces(header.substr(0, end));
    header = end == std::string_view::npos ? std::string_view{} : header.substr(end + 1);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    if (trim_spaces(pair.substr(0, eq)) != name) continue;
    std::string_view value = trim_spaces(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    values.push_back(value);
  }
  return values;
}

}  // namespace notes::http::web
