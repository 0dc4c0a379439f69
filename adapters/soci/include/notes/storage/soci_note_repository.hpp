#pragma once
// The note_repository port over SOCI: one class for SQLite and PostgreSQL.
#include <memory>

#include "notes/note_repository.hpp"
#include "notes/storage/database_config.hpp"

namespace notes::storage {

// Owns one database connection and its prepared statements, so it belongs to one thread at a
// time; a server opens one per thread with open_repository(). A PostgreSQL connection that was
// lost is re-established on the next call: while the server is down calls fail with
// `unavailable`, afterwards they succeed again.
class soci_note_repository final : public note_repository {
 public:
  struct impl;
  explicit soci_note_repository(std::unique_ptr<impl> state);
  ~soci_note_repository() override;
  soci_note_repository(const soci_note_repository&) = delete;
  soci_note_repository& operator=(const soci_note_repository&) = delete;

  result<note> create(const note& fresh) override;
  // SQLite: handed to the file's write combiner, whose committer hands `done` the outcome.
  void create_then(const note& fresh, note_done done) override;
  bool hands_off_writes() const noexcept override;
  void update_then(account_id owner, note_id id, note_change change, std::int32_t keep_revisions,
                   note_done done) override;
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

  // Readiness on this instance's own connection: reachable and schema current.
  result<void> check_ready();

  database_kind kind() const noexcept;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace notes::storage
