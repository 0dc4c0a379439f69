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

namespace {

// Sees the failure, then hands the outcome on.
struct seen_then {
  forwarding_note_repository::note_done done;
  std::move_only_function<void(const error&)> seen;
  void operator()(result<note> outcome) {
    if (!outcome) seen(outcome.error());
    done(std::move(outcome));
  }
};

}  // namespace

void forwarding_note_repository::create_then(const note& fresh, note_done done) {
  target_->create_then(fresh, seen_then{std::move(done), [this](const error& e) { on_failure(e); }});
}

void forwarding_note_repository::update_then(account_id owner, note_id id, note_change change,
                                             std::int32_t keep_revisions, note_done done) {
  target_->update_then(owner, id, std::move(change), keep_revisions,
                       seen_then{std::move(done), [this](const error& e) { on_failure(e); }});
}

bool forwarding_note_repository::hands_off_writes() const noexcept {
  return target_->hands_off_writes();
}

result<std::optional<note>> forwarding_note_repository::find(account_id owner, note_id id) {
  return passed(target_->find(owner, id));
}

result<note> forwarding_note_repository::update(const note& changed, note_version expected,
                                                std::int32_t keep_revisions) {
  return passed(target_->update(changed, expected, keep_revisions));
}

result<void> forwarding_note_repository::remove(account_id owner, note_id id,
                                                std::optional<note_version> expected) {
  return passed(target_->remove(owner, id, expected));
}

result<void> forwarding_note_repository::trash(account_id owner, note_id id,
                                               std::optional<note_version> expected,
                                               timestamp at) {
  return passed(target_->trash(owner, id, expected, at));
}

result<trash_page> forwarding_note_repository::list_trash(account_id owner, page_request page) {
  return passed(target_->list_trash(owner, page));
}

result<std::optional<trashed_note>> forwarding_note_repository::find_trashed(account_id owner,
                                                                             note_id id) {
  return passed(target_->find_trashed(owner, id));
}

result<note> forwarding_note_repository::restore(account_id owner, note_id id,
                                                 std::optional<note_version> expected,
                                                 timestamp at) {
  return passed(target_->restore(owner, id, expected, at));
}

result<void> forwarding_note_repository::purge(account_id owner, note_id id,
                                               std::optional<note_version> expected) {
  return passed(target_->purge(owner, id, expected));
}

result<std::int64_t> forwarding_note_repository::empty_trash(account_id owner) {
  return passed(target_->empty_trash(owner));
}

result<std::int64_t> forwarding_note_repository::purge_trashed_before(timestamp cutoff) {
  return passed(target_->purge_trashed_before(cutoff));
}

result<revision_page> forwarding_note_repository::list_revisions(account_id owner, note_id id,
                                                                 page_request page) {
  return passed(target_->list_revisions(owner, id, page));
}

result<std::optional<revision>> forwarding_note_repository::find_revision(account_id owner,
                                                                          note_id id,
                                                                          note_version version) {
  return passed(target_->find_revision(owner, id, version));
}

result<std::int64_t> forwarding_note_repository::count(account_id owner) {
  return passed(target_->count(owner));
}

result<note_page> forwarding_note_repository::list(account_id owner, list_order order,
                                                   page_request page, tag_filter tags) {
  return passed(target_->list(owner, order, page, tags));
}

result<note_page> forwarding_note_repository::list_after(account_id owner, list_order order,
                                                         const list_position& after,
                                                         std::int64_t limit, tag_filter tags) {
  return passed(target_->list_after(owner, order, after, limit, tags));
}

result<note_page> forwarding_note_repository::search(account_id owner, std::string_view query,
                                                     page_request page, tag_filter tags) {
  return passed(target_->search(owner, query, page, tags));
}

result<std::vector<tag_count>> forwarding_note_repository::tag_counts(account_id owner) {
  return passed(target_->tag_counts(owner));
}

result<std::vector<note>> forwarding_note_repository::all(std::optional<account_id> owner) {
  return passed(target_->all(owner));
}

result<void> forwarding_note_repository::import(std::span<const note> notes) {
  return passed(target_->import(notes));
}

result<note_archive> forwarding_note_repository::archive(std::optional<account_id> owner) {
  return passed(target_->archive(owner));
}

result<void> forwarding_note_repository::import_archive(const note_archive& archive) {
  return passed(target_->import_archive(archive));
}

result<std::int64_t> forwarding_note_repository::change_owner(account_id from, account_id to) {
  return passed(target_->change_owner(from, to));
}

result<std::int64_t> forwarding_note_repository::remove_all(account_id owner) {
  return passed(target_->remove_all(owner));
}

void forwarding_note_repository::on_failure(const error&) {}

}  // namespace notes
