#pragma once
// The credentials port over libsodium: Argon2id password hashes, API token secrets from its
// CSPRNG, SHA-256 token digests. Every member is safe to call from several threads at once.
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "notes/credentials.hpp"

namespace notes::sodium {

// Argon2id's work factors: passes over memory, and the memory in bytes one hash (or one check)
// holds while it runs.
struct argon2id_cost {
  std::uint64_t passes = 0;
  std::size_t memory_bytes = 0;

  friend bool operator==(const argon2id_cost&, const argon2id_cost&) = default;
};

// libsodium's OPSLIMIT_INTERACTIVE and MEMLIMIT_INTERACTIVE: 2 passes over 64 MiB, a fraction of
// a second per sign-in (docs/deploy.md has the time measured).
inline constexpr argon2id_cost interactive_cost{2, std::size_t{64} << 20};
// OPSLIMIT_MIN and MEMLIMIT_MIN (1 pass over 8 KiB): fast, for tests only, never for real
// passwords.
inline constexpr argon2id_cost minimum_cost{1, std::size_t{8} << 10};

// What every token secret starts with, so that one pasted somewhere public is recognised.
inline constexpr std::string_view token_secret_prefix = "notes_pat_";

class sodium_credentials final : public credentials {
 public:
  // Initialises libsodium (once per process). Throws std::invalid_argument for costs outside
  // libsodium's limits, std::runtime_error when libsodium cannot start.
  explicit sodium_credentials(argon2id_cost cost = interactive_cost);

  // "$argon2id$v=19$m=65536,t=2,p=1$<salt>$<hash>" with a fresh random salt. Throws
  // std::runtime_error when the memory it needs cannot be had.
  std::string hash_password(std::string_view password) override;

  // Accepts a hash of any cost (hashes made before the costs changed still verify). A hash that
  // is malformed is false, after as long as a check takes.
  bool verify_password(std::string_view hash, std::string_view password) override;

  // token_secret_prefix and 32 random bytes in unpadded base64url (43 characters).
  std::string new_token_secret() override;

  // SHA-256 of the secret, 64 lowercase hex digits.
  std::string digest_token(std::string_view secret) override;

  // Whether `hash` was made with other costs (or another algorithm, or is malformed): its
  // owner's password is worth hashing again at the next successful sign-in.
  bool needs_rehash(std::string_view hash) const;

  // A hash of a random password nobody knows, made on first use and then kept: checking a
  // password against it takes as long as against a real account's hash, and never succeeds.
  const std::string& dummy_hash();

  argon2id_cost cost() const { return cost_; }

 private:
  argon2id_cost cost_;
  std::once_flag dummy_made_;
  std::string dummy_hash_;
};

}  // namespace notes::sodium
