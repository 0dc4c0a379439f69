#pragma once
// Accounts and their API tokens: who owns notes when the server runs with sign-in (AUTH=accounts).
#include <cstdint>
#include <optional>
#include <string>

#include "notes/account_id.hpp"
#include "notes/note.hpp"

namespace notes {

using token_id = std::int64_t;

struct account {
  account_id id = 0;
  std::string name;           // as given; unique after fold_account_name
  std::string password_hash;  // a credentials::hash_password string, never the password
  bool is_admin = false;
  // Sessions carry the generation they were issued under; a password change increments it,
  // which ends every session issued before.
  std::int64_t session_generation = 1;
  timestamp created_at{};

  friend bool operator==(const account&, const account&) = default;
};

enum class token_scope { read, read_write };

// A personal access token for the JSON API. Only a digest of its secret is stored.
struct api_token {
  token_id id = 0;
  account_id owner = no_account;
  std::string name;           // the label its owner gave it
  token_scope scope = token_scope::read;
  std::string secret_digest;  // credentials::digest_token of the secret; unique
  timestamp created_at{};
  std::optional<timestamp> last_used_at;

  friend bool operator==(const api_token&, const api_token&) = default;
};

// Failed sign-ins within a window, for throttling: those naming one account (by folded name,
// whether or not such an account exists) and those from one client address.
struct sign_in_failures {
  std::int64_t for_name = 0;
  std::int64_t for_address = 0;
  // The oldest failure counted in each (empty when its count is 0): the refusal lasts until it
  // leaves the window.
  std::optional<timestamp> oldest_for_name;
  std::optional<timestamp> oldest_for_address;

  friend bool operator==(const sign_in_failures&, const sign_in_failures&) = default;
};

}  // namespace notes
