#pragma once
// The storage port. Every backend implements it; one contract suite checks them all.
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "notes/account_id.hpp"
#include "notes/error.hpp"
#include "notes/history.hpp"
#include "notes/note.hpp"
#include "notes/pagination.hpp"

namespace notes {

enum class list_order {
  newest_first,  // created_at desc, id desc
  pinned_first,  // is_pinned desc, created_at desc, id desc
  pinned_recently_updated,  // is_pinned desc, updated_at desc, id desc
};

// Folded tags (fold_tag) a listed or found note must all carry; empty filters nothing.
using tag_filter = std::span<const std::string>;

// One of an owner's tags, folded, and how many of the owner's live notes carry it.
struct tag_count {
  std::string name;
  std::int64_t count = 0;
  friend bool operator==(const tag_count&, const tag_count&) = default;
};

// Where a page listed by position starts: the order key of the last note before it. A note is
// after the position when it comes later in the order (a smaller key, the order being
// descending), so a page by position needs no count of the notes before it.
struct list_position {
  bool pinned = false;  // not part of newest_first's key
  timestamp time{};     // created_at, or updated_at in pinned_recently_updated
  note_id id = 0;
  friend bool operator==(const list_position&, const list_position&) = default;
};

// The position of `n` in `order`.
inline list_position position_of(const note& n, list_order order) noexcept {
  if (order == list_order::newest_first) return {false, n.created_at, n.id};
  if (order == list_order::pinned_first) return {n.is_pinned, n.created_at, n.id};
  return {n.is_pinned, n.updated_at, n.id};
}

struct note_page {
  std::vector<note> notes;
  std::int64_t total = 0;  // all matching notes, not just this page
};

// An instance need not be thread-safe: servers hold one per thread (a storage connection each).
// Failures come back as error values with code unavailable or storage_failure; no method throws.
// (storage_full and read_only too: see error.hpp for what each means to a caller.)
//
// A repository stores what it is given: validation (titles, contents, search queries) is
// note_service's, so a caller writing to a repository directly must pass valid notes. What an
// implementation must do is checked by the repository contract, which every backend here passes
// and any other can run: notes/testing/repository_contract.hpp (the component testing).
//
// Every note has an owner (note::owner). Every method but all(), archive() and the imports sees
// only one owner's notes: to it, another owner's note is not there (find finds nothing, update and
// remove say not_found), whatever its id. Ids are unique across owners.
//
// A note is live or in the trash (trashed_note), never both: find, update, remove, count, list
// and search see live notes only, and the trash methods trashed ones only. Ids stay unique
// across both and are never handed out again. Every note keeps its replaced states
// (revision) while it is live or trashed; deleting it for good deletes them too.
class note_repository {
 public:
  virtual ~note_repository() = default;

  // Stores a new note for `fresh.owner`. `fresh.id` is ignored and assigned; the version is
  // stored as given.
  virtual result<note> create(const note& fresh) = 0;

  // What create_then and update_then hand their outcome to.
  using note_done = std::move_only_function<void(result<note>)>;

  // Stores `fresh` as create does and calls `done` with the outcome exactly once: on the calling
  // thread before returning, or, when hands_off_writes(), possibly later on another thread (the
  // one that committed the write). `done` must be quick and must not call back into the
  // repository (on SQLite a write waited for there would wait for itself): it hands the
  // outcome on. The default calls create().
  virtual void create_then(const note& fresh, note_done done) { done(create(fresh)); }

  // Whether create_then and update_then return without waiting for the database (SQLite's
  // write batches): a caller that must not block (a network thread) may then call them where it
  // would not call create or update. False by default: they are create and update and block as
  // those do.
  virtual bool hands_off_writes() const noexcept { return false; }

  // Empty optional when `owner` has no such note: "not there" is not a failure.
  virtual result<std::optional<note>> find(account_id owner, note_id id) = 0;

  // Replaces title, content, is_pinned and updated_at of `changed.id` if it belongs to
  // `changed.owner` and its stored version is still `expected`; the stored version becomes
  // expected + 1. not_found or conflict otherwise. The owner itself never changes here.
  // With `keep_revisions` > 0 the replaced state becomes a revision (replaced_at =
  // changed.updated_at) and only the newest `keep_revisions` revisions of the note are kept,
  // all in the update's transaction; with 0 nothing is added or dropped.
  virtual result<note> update(const note& changed, note_version expected,
                              std::int32_t keep_revisions) = 0;

  // What update_then makes of the stored note: the note to store (its id, owner and
  // created_at as read), or an error that leaves the note as it is.
  using note_change = std::function<result<note>(const note& current)>;

  // Reads `owner`'s live note `id` and stores what `change` makes of it, with no other write
  // between the read and the write: as update with the version read as the expected one
  // (revisions kept as update keeps them). The outcome (the stored note, not_found, or
  // change's error) goes to `done` exactly once, as create_then hands it. `change` may be
  // called more than once (the write run again) and on the thread that completes. The default
  // reads with find and writes with update, again when another writer came between.
  virtual void update_then(account_id owner, note_id id, note_change change,
                           std::int32_t keep_revisions, note_done done);

  // Deletes `owner`'s live note for good, with its revisions; if `expected` is given only while
  // its version still matches.
  virtual result<void> remove(account_id owner, note_id id,
                              std::optional<note_version> expected) = 0;

  // Moves `owner`'s live note to the trash as it is (id, version, times), deleted_at = `at`;
  // not_found or conflict as remove.
  virtual result<void> trash(account_id owner, note_id id, std::optional<note_version> expected,
                             timestamp at) = 0;

  // One page of `owner`'s trash, deleted_at desc, ties broken by the newer id.
  virtual result<trash_page> list_trash(account_id owner, page_request page) = 0;

  // Empty optional when `owner` has no such note in the trash.
  virtual result<std::optional<trashed_note>> find_trashed(account_id owner, note_id id) = 0;

  // Moves `owner`'s trashed note back among the live ones with its id, at version + 1 and
  // updated_at = `at`, and returns it. not_found when it is not in the trash, conflict when
  // `expected` is given and is not its version there.
  virtual result<note> restore(account_id owner, note_id id,
                               std::optional<note_version> expected, timestamp at) = 0;

  // Deletes `owner`'s trashed note for good, with its revisions; not_found or conflict as
  // restore.
  virtual result<void> purge(account_id owner, note_id id,
                             std::optional<note_version> expected) = 0;

  // Deletes every trashed note of `owner` for good, with their revisions; returns how many.
  virtual result<std::int64_t> empty_trash(account_id owner) = 0;

  // Deletes every trashed note of every owner deleted before `cutoff` for good, with their
  // revisions; returns how many. Idempotent, so servers sharing a database may all run it.
  virtual result<std::int64_t> purge_trashed_before(timestamp cutoff) = 0;

  // One page of the revisions kept of `owner`'s live note `id`, newest version first.
  // not_found when `owner` has no live note `id` (a trashed note's are kept, not listed).
  virtual result<revision_page> list_revisions(account_id owner, note_id id,
                                               page_request page) = 0;

  // The revision `version` of `owner`'s live note `id`; empty when the note is not live or
  // that version is not kept.
  virtual result<std::optional<revision>> find_revision(account_id owner, note_id id,
                                                        note_version version) = 0;

  virtual result<std::int64_t> count(account_id owner) = 0;

  // One page of `owner`'s notes carrying every tag of `tags`, in the given order, ties broken
  // by id (newer id first).
  virtual result<note_page> list(account_id owner, list_order order, page_request page,
                                 tag_filter tags) = 0;
  result<note_page> list(account_id owner, list_order order, page_request page) {
    return list(owner, order, page, {});
  }

  // Up to `limit` (>= 1) of `owner`'s notes carrying every tag of `tags` that come after
  // `after` in `order`, in that order, and the total as list gives it. The position need not
  // be a note's that still exists: a note changed or trashed since still marks where the page
  // starts.
  virtual result<note_page> list_after(account_id owner, list_order order,
                                       const list_position& after, std::int64_t limit,
                                       tag_filter tags) = 0;

  // Case-insensitive substring search over title and content of `owner`'s notes carrying every
  // tag of `tags`, newest first. The query is literal text (no wildcards) and is matched after
  // text::search_key on both sides (NFC and case folding; accents count).
  virtual result<note_page> search(account_id owner, std::string_view query, page_request page,
                                   tag_filter tags) = 0;
  result<note_page> search(account_id owner, std::string_view query, page_request page) {
    return search(owner, query, page, {});
  }

  // Every tag of `owner`'s live notes with its number of notes, by name (bytewise).
  virtual result<std::vector<tag_count>> tag_counts(account_id owner) = 0;

  // Every live note in id order, each with its owner, for export: of every owner, or of one.
  virtual result<std::vector<note>> all(std::optional<account_id> owner) = 0;

  // Inserts notes exactly as given (ids, owners, times, versions) in one transaction: all or
  // nothing. An id that already exists, whoever owns it, live or trashed, is a conflict.
  virtual result<void> import(std::span<const note> notes) = 0;

  // Every live and trashed note and every revision, of every owner or of one, from one
  // snapshot, for export.
  virtual result<note_archive> archive(std::optional<account_id> owner) = 0;

  // As import, with the trash (ids as unique as the live notes') and revisions, all in one
  // transaction. Each revision must be of a note imported with it, live or trashed, and takes
  // that note's owner; one that is not is invalid_argument, and nothing is imported.
  virtual result<void> import_archive(const note_archive& archive) = 0;

  // Gives every note of `from` to `to` in one transaction (claiming the shared notebook, giving
  // an account's notes away), trashed notes and revisions too, and returns how many live notes
  // moved. Versions and times stay as they were.
  virtual result<std::int64_t> change_owner(account_id from, account_id to) = 0;

  // Deletes every note of `owner`, trash and revisions included, and returns how many live
  // notes there were.
  virtual result<std::int64_t> remove_all(account_id owner) = 0;
};

}  // namespace notes
