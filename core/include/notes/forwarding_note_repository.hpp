#pragma once
// A repository that passes every call on to another one. On its own it lends one thread-safe
// repository to several owners (each server thread gets one); derived, it decorates a repository
// (counting failures, logging) by overriding only what changes instead of all of the port.
#include <memory>

#include "notes/note_repository.hpp"

namespace notes {

class forwarding_note_repository : public note_repository {
 public:
  // Borrows `target`, which must outlive this object.
  explicit forwarding_note_repository(note_repository& target) noexcept;
  // Owns `target` (not null).
  explicit forwarding_note_repository(std::unique_ptr<note_repository> target) noexcept;

  result<note> create(const note& fresh) override;
  // on_failure may then run on the thread that completes the write.
  void create_then(const note& fresh, note_done done) override;
  bool hands_off_writes() const noexcept override;
  result<std::optional<note>> find(account_id owner, note_id id) override;
  result<note> update(const note& changed, note_version expected,
                      std::int32_t keep_revisions) override;
  void update_then(account_id owner, note_id id, note_change change, std::int32_t keep_revisions,
                   note_done done) override;
  result<void> remove(account_id owner, note_id id,
                      std::optional<note_version> expected) override;
  result<void> trash(account_id owner, note_id id, std::optional<note_version> expected,
                     timestamp at) override;
  result<trash_page> list_trash(account_id owner, page_request page) override;
  result<std::optional<trashed_note>> find_trashed(account_id owner, note_id id) override;
  result<note> restore(account_id owner, note_id id, std::optional<note_version> expected,
                       timestamp at) override;
  result<void> purge(account_id owner, note_id id, std::optional<note_version> expected) override;
  result<std::int64_t> empty_trash(account_id owner) override;
  result<std::int64_t> purge_trashed_before(timestamp cutoff) override;
  result<revision_page> list_revisions(account_id owner, note_id id, page_request page) override;
  result<std::optional<revision>> find_revision(account_id owner, note_id id,
                                                note_version version) override;
  result<std::int64_t> count(account_id owner) override;
  using note_repository::list;
  using note_repository::search;
  result<note_page> list(account_id owner, list_order order, page_request page,
                         tag_filter tags) override;
  result<note_page> list_after(account_id owner, list_order order, const list_position& after,
                               std::int64_t limit, tag_filter tags) override;
  result<note_page> search(account_id owner, std::string_view query, page_request page,
                           tag_filter tags) override;
  result<std::vector<tag_count>> tag_counts(account_id owner) override;
  result<std::vector<note>> all(std::optional<account_id> owner) override;
  result<void> import(std::span<const note> notes) override;
  result<note_archive> archive(std::optional<account_id> owner) override;
  result<void> import_archive(const note_archive& archive) override;
  result<std::int64_t> change_owner(account_id from, account_id to) override;
  result<std::int64_t> remove_all(account_id owner) override;

 protected:
  // Sees every failure the target reports, before it is returned. Does nothing by default.
  virtual void on_failure(const error& e);

  note_repository& target() noexcept { return *target_; }

 private:
  template <class T>
  result<T> passed(result<T>&& r) {
    if (!r) on_failure(r.error());
    return std::move(r);
  }

  std::unique_ptr<note_repository> owned_;
  note_repository* target_;
};

}  // namespace notes
