#pragma once
// The account_repository port over SOCI: accounts, API tokens and failed sign-ins in the same
// database as the notes, for SQLite and PostgreSQL.
#include <memory>

#include "notes/account_repository.hpp"
#include "notes/storage/database_config.hpp"

namespace notes::storage {

// Owns one database connection and its prepared statements, so it belongs to one thread at a
// time; a server opens one per thread with open_account_repository(). Failures are reported as
// by soci_note_repository (unavailable, storage_failure, read_only, ...), and a lost PostgreSQL
// connection is re-established the same way. A duplicate name or token digest is a conflict.
class soci_account_repository final : public account_repository {
 public:
  struct impl;
  explicit soci_account_repository(std::unique_ptr<impl> state);
  ~soci_account_repository() override;
  soci_account_repository(const soci_account_repository&) = delete;
  soci_account_repository& operator=(const soci_account_repository&) = delete;

  result<account> create_account(const account& fresh) override;
  result<std::optional<account>> find_account(account_id id) override;
  result<std::optional<account>> find_account_by_name(std::string_view name) override;
  result<std::vector<account>> accounts() override;
  result<account> set_password(account_id id, std::string_view password_hash) override;
  result<void> remove_account(account_id id) override;

  result<api_token> create_token(const api_token& fresh) override;
  result<std::optional<api_token>> find_token(std::string_view secret_digest) override;
  result<std::vector<api_token>> tokens(account_id owner) override;
  result<void> revoke_token(account_id owner, token_id id) override;
  result<void> touch_token(token_id id, timestamp at) override;

  result<void> record_failed_sign_in(std::string_view name_key, std::string_view address,
                                     timestamp at) override;
  result<sign_in_failures> failed_sign_ins(std::string_view name_key, std::string_view address,
                                           timestamp since) override;
  result<void> clear_failed_sign_ins(std::string_view name_key) override;
  result<void> prune_failed_sign_ins(timestamp before) override;

  database_kind kind() const noexcept;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace notes::storage
