#pragma once
// A complete account_repository in memory, standard library only: for embedding and tests.
#include <map>
#include <shared_mutex>
#include <string>
#include <vector>

#include "notes/account_repository.hpp"

namespace notes {

// Thread-safe: one instance may be shared by every thread of a server.
class memory_account_repository final : public account_repository {
 public:
  memory_account_repository();
  ~memory_account_repository() override;

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

 private:
  struct failed_sign_in {
    std::string name_key;
    std::string address;
    timestamp at;
  };

  mutable std::shared_mutex mutex_;
  std::map<account_id, account> accounts_;
  // Folded name -> id: the uniqueness rule, and the order accounts() lists them in.
  std::map<std::string, account_id, std::less<>> by_name_;
  std::map<token_id, api_token> tokens_;
  std::map<std::string, token_id, std::less<>> by_digest_;
  std::vector<failed_sign_in> failures_;
  account_id next_account_id_ = 1;
  token_id next_token_id_ = 1;
};

}  // namespace notes
