#pragma once
// The storage port for accounts, their API tokens and failed sign-ins. Every backend implements
// it next to its note_repository; one contract suite checks them all.
#include <optional>
#include <string_view>
#include <vector>

#include "notes/account.hpp"
#include "notes/error.hpp"

namespace notes {

// Like note_repository: an instance need not be thread-safe (servers hold one per thread), and
// failures come back as error values (unavailable, storage_failure, ...), never exceptions.
// The repository stores what it is given: names, passwords and scopes are checked by
// account_service, not here.
class account_repository {
 public:
  virtual ~account_repository() = default;

  // Stores a new account; `fresh.id` is ignored and assigned. A name equal to an existing one
  // after fold_account_name is a conflict.
  virtual result<account> create_account(const account& fresh) = 0;

  virtual result<std::optional<account>> find_account(account_id id) = 0;

  // By name, compared after fold_account_name.
  virtual result<std::optional<account>> find_account_by_name(std::string_view name) = 0;

  // Every account, ordered by folded name.
  virtual result<std::vector<account>> accounts() = 0;

  // Stores a new password hash and increments session_generation; returns the account as now
  // stored. not_found when there is no such account.
  virtual result<account> set_password(account_id id, std::string_view password_hash) = 0;

  // Deletes the account and its tokens. not_found when there is no such account. Its notes are
  // not touched: the caller moves or deletes them first (note_repository::change_owner,
  // remove_all).
  virtual result<void> remove_account(account_id id) = 0;

  // Stores a new token; `fresh.id` is ignored and assigned. not_found when the owner does not
  // exist; conflict when the digest is already stored.
  virtual result<api_token> create_token(const api_token& fresh) = 0;

  // The token whose secret has this digest.
  virtual result<std::optional<api_token>> find_token(std::string_view secret_digest) = 0;

  // The account's tokens, newest first.
  virtual result<std::vector<api_token>> tokens(account_id owner) = 0;

  // Deletes one of the account's tokens; not_found when `owner` has no such token.
  virtual result<void> revoke_token(account_id owner, token_id id) = 0;

  // Sets last_used_at to `at` (not_found when the token is gone). Bookkeeping, called while a
  // request waits: an implementation may give up quickly (unavailable) rather than wait long
  // for a busy database.
  virtual result<void> touch_token(token_id id, timestamp at) = 0;

  // Remembers one failed sign-in naming `name_key` (a folded name) from `address`.
  virtual result<void> record_failed_sign_in(std::string_view name_key, std::string_view address,
                                             timestamp at) = 0;

  // Failed sign-ins at or after `since` naming `name_key`, and from `address`.
  virtual result<sign_in_failures> failed_sign_ins(std::string_view name_key,
                                                   std::string_view address,
                                                   timestamp since) = 0;

  // Forgets failures naming `name_key` (after a successful sign-in) ...
  virtual result<void> clear_failed_sign_ins(std::string_view name_key) = 0;
  // ... and every failure older than `before` (housekeeping: account_service prunes what has
  // left the window after each failure it records).
  virtual result<void> prune_failed_sign_ins(timestamp before) = 0;
};

// The form in which account names are compared: ASCII letters lower-cased (names are ASCII,
// see account_service).
std::string fold_account_name(std::string_view name);

}  // namespace notes
