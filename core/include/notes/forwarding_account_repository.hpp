#pragma once
// An account repository that passes every call on to another one, like
// forwarding_note_repository: on its own it lends one thread-safe repository (the in-memory one)
// to every server thread; derived, it decorates one by overriding only what changes.
#include <memory>

#include "notes/account_repository.hpp"

namespace notes {

class forwarding_account_repository : public account_repository {
 public:
  // Borrows `target`, which must outlive this object.
  explicit forwarding_account_repository(account_repository& target) noexcept;
  // Owns `target` (not null).
  explicit forwarding_account_repository(std::unique_ptr<account_repository> target) noexcept;

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

 protected:
  // Sees every failure the target reports, before it is returned. Does nothing by default.
  virtual void on_failure(const error& e);

  account_repository& target() noexcept { return *target_; }

 private:
  template <class T>
  result<T> passed(result<T>&& r) {
    if (!r) on_failure(r.error());
    return std::move(r);
  }

  std::unique_ptr<account_repository> owned_;
  account_repository* target_;
};

}  // namespace notes
