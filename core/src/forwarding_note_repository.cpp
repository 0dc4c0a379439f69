#include "notes/forwarding_note_repository.hpp"

#include <utility>

namespace notes {

forwarding_note_repository::forwarding_note_repository(note_repository& target) noexcept
    : target_(&target) {}

forwarding_note_repository::forwarding_note_repository(
    std::unique_ptr<note_repository> target) noexcept
    : owned_(std::move(target)), target_(owned_.get()) {}

result<note> forwarding_note_repository::create(const note& fresh) {
  return passed(target_->create(fresh));
}

result<std::optional<note>> forwarding_note_repository::find(account_id owner, note_id id) {
  return passed(target_->find(owner, id));
}

result<note> forwarding_note_repository::update(const note& changed, note_version expected) {
  return passed(target_->update(changed, expected));
}

result<void> forwarding_note_repository::remove(account_id owner, note_id id,
                                                std::optional<note_version> expected) {
  return passed(target_->remove(owner, id, expected));
}

result<std::int64_t> forwarding_note_repository::count(account_id owner) {
  return passed(target_->count(owner));
}

result<note_page> forwarding_note_repository::list(account_id owner, list_order order,
                                                   page_request page) {
  return passed(target_->list(owner, order, page));
}

result<note_page> forwarding_note_repository::search(account_id owner, std::string_view query,
                                                     page_request page) {
  return passed(target_->search(owner, query, page));
}

result<std::vector<note>> forwarding_note_repository::all(std::optional<account_id> owner) {
  return passed(target_->all(owner));
}

result<void> forwarding_note_repository::import(std::span<const note> notes) {
  return passed(target_->import(notes));
}

result<std::int64_t> forwarding_note_repository::change_owner(account_id from, account_id to) {
  return passed(target_->change_owner(from, to));
}

result<std::int64_t> forwarding_note_repository::remove_all(account_id owner) {
  return passed(target_->remove_all(owner));
}

void forwarding_note_repository::on_failure(const error&) {}

}  // namespace notes
