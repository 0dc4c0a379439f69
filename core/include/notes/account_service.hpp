#pragma once
// The account use cases: the rules for names and passwords, sign-in with throttling, password
// changes, API tokens, and what happens to an account's notes. Front ends (the server's pages and
// API, its `users` and `tokens` commands) call these; none of them checks a rule of its own.
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "notes/account.hpp"
#include "notes/account_repository.hpp"
#include "notes/credentials.hpp"
#include "notes/error.hpp"
#include "notes/note_repository.hpp"
#include "notes/time.hpp"

namespace notes {

// Names: 1 to 40 ASCII letters, digits, '-', '_' and '.', unique ignoring case.
inline constexpr std::size_t max_account_name_length = 40;
// Passwords (NIST SP 800-63B): at least 8 characters (code points), at most 1,024 bytes, any
// characters, no composition rules.
inline constexpr std::size_t min_password_length = 8;
inline constexpr std::size_t max_password_bytes = 1024;
// Token labels: 1 to 100 characters.
inline constexpr std::size_t max_token_name_length = 100;

// Sign-in throttling: within the window, this many failures naming one account, or coming from
// one address, refuse further attempts (rate_limited, with retry_after) until the oldest leaves
// the window. Counted in storage, so every server sharing a database agrees.
struct sign_in_limits {
  std::chrono::seconds window = std::chrono::minutes(15);
  std::int64_t per_name = 5;
  std::int64_t per_address = 20;
};

// last_used_at of a token is written at most this often.
inline constexpr std::chrono::seconds token_touch_interval = std::chrono::minutes(1);

// What remove_account does with the account's notes.
enum class owned_notes { refuse, remove, give_to };

struct new_token {
  api_token token;
  std::string secret;  // shown to its owner once; only its digest is stored
};

class account_service {
 public:
  // Borrows all three; they must outlive the service. Not thread-safe (like the repositories).
  account_service(account_repository& accounts, note_repository& notes, credentials& crypto,
                  clock_fn clock = system_now, sign_in_limits limits = {});

  // invalid_argument (fields "username", "password") or conflict for a name already taken.
  result<account> add_account(std::string_view name, std::string_view password,
                              bool is_admin = false);

  // The account, when the password is right. A wrong password and an unknown name take the
  // same time and give the same error (unauthenticated, "Wrong username or password.");
  // rate_limited with retry_after when the limits are reached (checked before the password).
  result<account> sign_in(std::string_view name, std::string_view password,
                          std::string_view address);

  // Sets a new password (invalid_argument when it breaks the rules) and ends every session
  // issued before (session_generation grows). With `current`, it must be the right password
  // (unauthenticated otherwise); the command line passes none.
  result<account> change_password(account_id id, std::string_view new_password,
                                  std::optional<std::string_view> current = std::nullopt);

  result<std::optional<account>> find(account_id id);
  result<std::optional<account>> find_by_name(std::string_view name);
  result<std::vector<account>> accounts();

  // Deletes the account and its tokens. With owned_notes::refuse, conflict while it owns
  // notes (its trash is emptied); remove deletes them; give_to moves them to `heir` (which must
  // exist). Trash and history go with the notes.
  result<void> remove_account(account_id id, owned_notes what = owned_notes::refuse,
                              account_id heir = no_account);

  // Gives the shared notebook's notes (owner no_account) to the account; returns how many.
  result<std::int64_t> claim_unowned_notes(account_id id);

  // invalid_argument for a blank or overlong label; not_found for an unknown account.
  result<new_token> create_token(account_id owner, std::string_view name, token_scope scope);
  result<std::vector<api_token>> tokens(account_id owner);
  result<void> revoke_token(account_id owner, token_id id);

  // The token a request presents: unauthenticated when unknown or revoked. Records last use
  // (at most once per token_touch_interval).
  result<api_token> authenticate_token(std::string_view secret);

 private:
  account_repository* accounts_;
  note_repository* notes_;
  credentials* crypto_;
  clock_fn clock_;
  sign_in_limits limits_;
  // Verified against when a sign-in names no account; made on first need.
  std::string dummy_hash_;
};

}  // namespace notes
