#include "notes/forwarding_account_repository.hpp"

#include <utility>

namespace notes {

forwarding_account_repository::forwarding_account_repository(account_repository& target) noexcept
    : target_(&target) {}

forwarding_account_repository::forwarding_account_repository(
    std::unique_ptr<account_repository> target) noexcept
    : owned_(std::move(target)), target_(owned_.get()) {}

result<account> forwarding_account_repository::create_account(const account& fresh) {
  return passed(target_->create_account(fresh));
}

result<std::optional<account>> forwarding_account_repository::find_account(account_id id) {
  return passed(target_->find_account(id));
}

result<std::optional<account>> forwarding_account_repository::find_account_by_name(
    std::string_view name) {
  return passed(target_->find_account_by_name(name));
}

result<std::vector<account>> forwarding_account_repository::accounts() {
  return passed(target_->accounts());
}

result<account> forwarding_account_repository::set_password(account_id id,
                                                             std::string_view password_hash) {
  return passed(target_->set_password(id, password_hash));
}

result<void> forwarding_account_repository::remove_account(account_id id) {
  return passed(target_->remove_account(id));
}

result<api_token> forwarding_account_repository::create_token(const api_token& fresh) {
  return passed(target_->create_token(fresh));
}

result<std::optional<api_token>> forwarding_account_repository::find_token(
    std::string_view secret_digest) {
  return passed(target_->find_token(secret_digest));
}

result<std::vector<api_token>> forwarding_account_repository::tokens(account_id owner) {
  return passed(target_->tokens(owner));
}

result<void> forwarding_account_repository::revoke_token(account_id owner, token_id id) {
  return passed(target_->revoke_token(owner, id));
}

result<void> forwarding_account_repository::touch_token(token_id id, timestamp at) {
  return passed(target_->touch_token(id, at));
}

result<void> forwarding_account_repository::record_failed_sign_in(std::string_view name_key,
                                                                  std::string_view address,
                                                                  timestamp at) {
  return passed(target_->record_failed_sign_in(name_key, address, at));
}

result<sign_in_failures> forwarding_account_repository::failed_sign_ins(
    std::string_view name_key, std::string_view address, timestamp since) {
  return passed(target_->failed_sign_ins(name_key, address, since));
}

result<void> forwarding_account_repository::clear_failed_sign_ins(std::string_view name_key) {
  return passed(target_->clear_failed_sign_ins(name_key));
}

result<void> forwarding_account_repository::prune_failed_sign_ins(timestamp before) {
  return passed(target_->prune_failed_sign_ins(before));
}

void forwarding_account_repository::on_failure(const error&) {}

}  // namespace notes
