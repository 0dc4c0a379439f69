#pragma once
// The statements of the trash (trashed_notes) and of revisions (note_revisions, and on SQLite
// note_revisions_queue, where they wait to be moved into it in bulk), prepared once
// per connection beside the notes' own (note_statements.hpp), whose buffers they share: the
// note's columns in `common.row`, the keys in `common.in`. SOCI binds the members below by
// address, so an instance never moves.
#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "notes/history.hpp"
#include "notes/note_repository.hpp"

namespace notes::storage::detail {

struct note_statements;

// A revision's columns as the drivers deliver and take them.
struct revision_row {
  long long note_id = 0;
  long long version = 0;
  std::string title;
  std::string content;
  int is_pinned = 0;
  long long replaced_at = 0;  // microseconds since the Unix epoch
  long long owner = 0;
  long long content_length = 0;  // bytes, computed by the database

  revision to_revision() const;
  revision_summary to_summary() const;
};

struct history_statements {
  // `content_bytes` is the dialect's SQL for the size in bytes of the TEXT column `content`.
  history_statements(note_statements& common, const char* content_bytes);
  history_statements(const history_statements&) = delete;
  history_statements& operator=(const history_statements&) = delete;

  // Deletes the revisions of note common.in.id (drop_revisions), and those of common.row.id up
  // to floor (prune_revisions), in note_revisions and, on SQLite, its queue.
  void drop_note_revisions();
  void prune_note_revisions();
  // Keeps the revision of keep_revision: queued on SQLite unless large (keep_large_revision).
  void keep_note_revision();
  // Runs a statement that deletes rows RETURNING their id (into taken_id) and returns the ids.
  std::vector<long long> fetch_taken_ids(soci::statement& statement);
  // Runs list_trash for `limit` rows after skipping `offset`.
  std::vector<trashed_note> fetch_trash_page(std::int64_t limit, std::int64_t offset);
  // Runs list_revisions for `limit` rows after skipping `offset`.
  std::vector<revision_summary> fetch_revision_page(std::int64_t limit, std::int64_t offset);

  note_statements& common;
  long long deleted_at = 0;  // of the trashed row read or written
  long long cutoff = 0;      // trashed before this goes for good
  long long version = 0;     // the revision looked for
  long long floor = 0;       // revisions of common.row.id up to this version go
  long long taken_id = 0;    // each id a bulk delete returns
  revision_row revision;

  // Live note common.in.id of common.in.owner (at common.in.expected) deleted, RETURNING its
  // read columns into common.row; then common.row (set again, for its search columns) and
  // deleted_at inserted into the trash.
  soci::statement take_live_any;
  soci::statement take_live_versioned;
  soci::statement put_trashed;
  // The trash: common.in.owner's, one by common.in.id into common.row and deleted_at.
  soci::statement find_trashed;
  soci::statement count_trash;
  soci::statement list_trash;
  // Trashed note common.in.id of common.in.owner (at common.in.expected) deleted, RETURNING
  // its read columns into common.row; common.row inserted among the notes with its id.
  soci::statement take_trashed_any;
  soci::statement take_trashed_versioned;
  soci::statement put_restored;
  // Trashed notes deleted: one (as take_trashed_*), common.in.owner's, those before cutoff;
  // the last two RETURNING their ids.
  soci::statement purge_any;
  soci::statement purge_versioned;
  soci::statement purge_owner;
  soci::statement purge_before;
  // Revisions of note common.in.id deleted (drop_note_revisions runs both).
  soci::statement drop_revisions;
  std::optional<soci::statement> drop_queued_revisions;  // SQLite: the queue's
  // The state of note common.row.id of common.in.owner at common.in.expected kept as a revision
  // replaced at common.row.updated_at (keep_note_revision: on SQLite in the queue,
  // note_revisions_queue, unless its text is large); then its revisions up to floor dropped
  // (prune_note_revisions runs both).
  soci::statement keep_revision;
  std::optional<soci::statement> keep_large_revision;  // SQLite: past the queue's bound
  soci::statement prune_revisions;
  std::optional<soci::statement> prune_queued_revisions;  // SQLite: the queue's
  // The revisions of note common.in.id of common.in.owner, counted, a page newest first into
  // revision, and the one at version (only while the note is live).
  soci::statement count_revisions;
  soci::statement list_revisions;
  soci::statement find_revision;
};

// Inserts `trashed` into the trash with its own id. Inside the caller's transaction.
void put_trashed(note_statements& s, const trashed_note& trashed);
// Inserts the revisions of `archive`, each with the owner of its note, live or trashed, in
// `archive`; invalid_argument (and the caller rolls back) for one of no such note.
result<void> insert_revisions(note_statements& s, const note_archive& archive);
// Every trashed note (by id) and revision (by note, then version), or only `owner`'s, into
// `out`. Inside the caller's read transaction.
void read_history(note_statements& s, std::optional<long long> owner, note_archive& out);

// Every trashed note and revision of `from` becomes `to`'s. Inside the caller's transaction,
// before the notes themselves move.
void change_history_owner(note_statements& s, long long from, long long to);
// Deletes every trashed note and revision of `owner`. Inside the caller's transaction, before
// the notes themselves go.
void remove_history(note_statements& s, long long owner);

}  // namespace notes::storage::detail
