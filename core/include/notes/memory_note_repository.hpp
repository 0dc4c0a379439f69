#pragma once
// A complete note_repository in memory, standard library only: for embedding and tests.
#include <map>
#include <memory>
#include <set>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include "notes/note_repository.hpp"

namespace notes {

// Thread-safe: one instance may be shared by every thread of a server.
class memory_note_repository final : public note_repository {
 public:
  memory_note_repository();
  ~memory_note_repository() override;

  result<note> create(const note& fresh) override;
  result<std::optional<note>> find(account_id owner, note_id id) override;
  result<note> update(const note& changed, note_version expected,
                      std::int32_t keep_revisions) override;
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

 private:
  struct stored {
    note value;
    std::string folded_title;
    std::string folded_content;
    std::vector<std::string> folded_tags;
  };
  static stored make_stored(note value);
  // Adds or drops a live note's entries in tag_index_.
  void index_tags(const stored& entry);
  void unindex_tags(const stored& entry);
  // The live notes of `owner` carrying every tag of `tags` (under the lock).
  std::vector<const stored*> tagged(account_id owner, tag_filter tags) const;
  // The live notes of `owner`, all or those carrying every tag of `tags` (under the lock).
  std::vector<const note*> listed(account_id owner, tag_filter tags) const;
  mutable std::shared_mutex mutex_;
  std::map<note_id, stored> notes_;  // live notes
  std::map<note_id, trashed_note> trash_;
  std::map<note_id, std::map<note_version, revision>> revisions_;  // of live and trashed notes
  // (owner, folded tag) -> the live notes carrying it; trashed notes leave it and come back.
  std::map<std::pair<account_id, std::string>, std::set<note_id>> tag_index_;
  note_id next_id_ = 1;
};

}  // namespace notes
