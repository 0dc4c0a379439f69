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

result<std::optional<note>> forwarding_note_repository::find(note_id id) {
  return passed(target_->find(id));
}

result<note> forwarding_note_repository::update(const note& changed, note_version expected) {
  return passed(target_->update(changed, expected));
}

result<void> forwarding_note_repository::remove(note_id id,
                                                std::optional<note_version> expected) {
  return passed(target_->remove(id, expected));
}

result<std::int64_t> forwarding_note_repository::count() { return passed(target_->count()); }

result<note_page> forwarding_note_repository::list(list_order order, page_request page) {
  return passed(target_->list(order, page));
}

result<note_page> forwarding_note_repository::search(std::string_view query,
                                                     page_request page) {
  return passed(target_->search(query, page));
}

result<std::vector<note>> forwarding_note_repository::all() { return passed(target_->all()); }

result<void> forwarding_note_repository::import(std::span<const note> notes) {
  return passed(target_->import(notes));
}

void forwarding_note_repository::on_failure(const error&) {}

}  // namespace notes
