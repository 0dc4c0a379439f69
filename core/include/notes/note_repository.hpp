#pragma once
// The storage port. Every backend implements it; one contract suite checks them all.
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "notes/account_id.hpp"
#include "notes/error.hpp"
#include "notes/note.hpp"
#include "notes/pagination.hpp"

namespace notes {

enum class list_order {
  newest_first,  // created_at desc, id desc
  pinned_first,  // is_pinned desc, created_at desc, id desc
};

struct note_page {
  std::vector<note> notes;
  std::int64_t total = 0;  // all matching notes, not just this page
};

// An instance need not be thread-safe: servers hold one per thread (a storage connection each).
// Failures come back as error values with code unavailable or storage_failure; no method throws.
//
// Every note has an owner (note::owner). Every method but all() and import() sees only one
// owner's notes: to it, another owner's note is not there (find finds nothing, update and
// remove say not_found), whatever its id. Ids are unique across owners.
class note_repository {
 public:
  virtual ~note_repository() = default;

  // Stores a new note for `fresh.owner`. `fresh.id` is ignored and assigned; the version is
  // stored as given.
  virtual result<note> create(const note& fresh) = 0;

  // Empty optional when `owner` has no such note: "not there" is not a failure.
  virtual result<std::optional<note>> find(account_id owner, note_id id) = 0;

  // Replaces title, content, is_pinned and updated_at of `changed.id` if it belongs to
  // `changed.owner` and its stored version is still `expected`; the stored version becomes
  // expected + 1. not_found or conflict otherwise. The owner itself never changes here.
  virtual result<note> update(const note& changed, note_version expected) = 0;

  // Deletes `owner`'s note, if `expected` is given only while its version still matches.
  virtual result<void> remove(account_id owner, note_id id,
                              std::optional<note_version> expected) = 0;

  virtual result<std::int64_t> count(account_id owner) = 0;

  // One page of `owner`'s notes in the given order, ties broken by id (newer id first).
  virtual result<note_page> list(account_id owner, list_order order, page_request page) = 0;

  // Case-insensitive substring search over title and content of `owner`'s notes, newest first.
  // The query is literal text (no wildcards) and is matched after text::fold_case on both sides.
  virtual result<note_page> search(account_id owner, std::string_view query,
                                   page_request page) = 0;

  // Every note in id order, each with its owner, for export: of every owner, or of one.
  virtual result<std::vector<note>> all(std::optional<account_id> owner) = 0;

  // Inserts notes exactly as given (ids, owners, times, versions) in one transaction: all or
  // nothing. An id that already exists, whoever owns it, is a conflict.
  virtual result<void> import(std::span<const note> notes) = 0;

  // Gives every note of `from` to `to` in one transaction (claiming the shared notebook, giving
  // an account's notes away) and returns how many moved. Versions and times stay as they were.
  virtual result<std::int64_t> change_owner(account_id from, account_id to) = 0;

  // Deletes every note of `owner` and returns how many there were.
  virtual result<std::int64_t> remove_all(account_id owner) = 0;
};

}  // namespace notes
