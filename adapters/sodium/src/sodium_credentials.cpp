#include "notes/sodium/sodium_credentials.hpp"

#include <sodium.h>

#include <array>
#include <stdexcept>

namespace notes::sodium {

// The public header names libsodium's constants without including sodium.h.
static_assert(interactive_cost.passes == crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE);
static_assert(interactive_cost.memory_bytes == crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE);
static_assert(minimum_cost.passes == crypto_pwhash_argon2id_OPSLIMIT_MIN);
static_assert(minimum_cost.memory_bytes == crypto_pwhash_argon2id_MEMLIMIT_MIN);

namespace {

constexpr std::size_t token_secret_bytes = 32;

// sodium_init is safe to call from several threads; the static keeps it to one call anyway.
void start_libsodium() {
  static const int started = ::sodium_init();
  if (started < 0) throw std::runtime_error("libsodium cannot start (sodium_init failed)");
}

// libsodium reads a hash as a C string of fewer than crypto_pwhash_STRBYTES characters.
using hash_buffer = std::array<char, crypto_pwhash_STRBYTES>;

bool copy_hash(std::string_view hash, hash_buffer& out) {
  if (hash.size() >= out.size() || hash.find('\0') != std::string_view::npos) return false;
  out.fill('\0');
  hash.copy(out.data(), hash.size());
  return true;
}

}  // namespace

sodium_credentials::sodium_credentials(argon2id_cost cost) : cost_(cost) {
  if (cost.passes < crypto_pwhash_argon2id_OPSLIMIT_MIN ||
      cost.passes > crypto_pwhash_argon2id_OPSLIMIT_MAX ||
      cost.memory_bytes < crypto_pwhash_argon2id_MEMLIMIT_MIN ||
      cost.memory_bytes > crypto_pwhash_argon2id_MEMLIMIT_MAX) {
    throw std::invalid_argument("Argon2id costs outside libsodium's limits");
  }
  start_libsodium();
}

std::string sodium_credentials::hash_password(std::string_view password) {
  hash_buffer out{};
  if (::crypto_pwhash_argon2id_str(out.data(), password.data(), password.size(), cost_.passes,
                                   cost_.memory_bytes) != 0) {
    throw std::runtime_error("cannot hash a password: Argon2id could not get " +
                             std::to_string(cost_.memory_bytes >> 10) + " KiB of memory");
  }
  return std::string(out.data());
}

bool sodium_credentials::verify_password(std::string_view hash, std::string_view password) {
  hash_buffer stored{};
  const bool well_formed =
      copy_hash(hash, stored) &&
      ::crypto_pwhash_str_needs_rehash(stored.data(), cost_.passes, cost_.memory_bytes) >= 0;
  // A malformed hash costs a check too, so that the answer's timing says nothing about it.
  if (!well_formed) copy_hash(dummy_hash(), stored);
  const bool match =
      ::crypto_pwhash_str_verify(stored.data(), password.data(), password.size()) == 0;
  return well_formed && match;
}

std::string sodium_credentials::new_token_secret() {
  std::array<unsigned char, token_secret_bytes> random{};
  ::randombytes_buf(random.data(), random.size());
  constexpr int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::array<char, sodium_base64_ENCODED_LEN(token_secret_bytes, variant)> text{};
  ::sodium_bin2base64(text.data(), text.size(), random.data(), random.size(), variant);
  ::sodium_memzero(random.data(), random.size());
  return std::string(token_secret_prefix) + text.data();
}

std::string sodium_credentials::digest_token(std::string_view secret) {
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  ::crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(secret.data()),
                       secret.size());
  std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
  ::sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string(hex.data());
}

bool sodium_credentials::needs_rehash(std::string_view hash) const {
  hash_buffer stored{};
  if (!copy_hash(hash, stored)) return true;
  return ::crypto_pwhash_str_needs_rehash(stored.data(), cost_.passes, cost_.memory_bytes) != 0;
}

const std::string& sodium_credentials::dummy_hash() {
  std::call_once(dummy_made_, [this] { dummy_hash_ = hash_password(new_token_secret()); });
  return dummy_hash_;
}

}  // namespace notes::sodium
