#pragma once
// The port for the cryptography accounts need, so the core stays standard library only. The
// server's implementation is libsodium (adapters/sodium: Argon2id, its CSPRNG, SHA-256); tests
// of the core may use a fast fake.
#include <string>
#include <string_view>

namespace notes {

class credentials {
 public:
  virtual ~credentials() = default;

  // A self-describing, salted, slow hash of `password` (Argon2id: "$argon2id$v=19$m=...").
  // Slow on purpose: call it off network threads.
  virtual std::string hash_password(std::string_view password) = 0;

  // Whether `password` matches `hash` (a hash_password result). False for a malformed hash.
  // As slow as hash_password, whatever the outcome.
  virtual bool verify_password(std::string_view hash, std::string_view password) = 0;

  // A fresh unguessable API token secret (at least 256 random bits), printable ASCII.
  virtual std::string new_token_secret() = 0;

  // The digest a token secret is stored and looked up by: fast and deterministic (the secret
  // has full entropy, so no salt or slowness is needed), hex.
  virtual std::string digest_token(std::string_view secret) = 0;
};

}  // namespace notes
