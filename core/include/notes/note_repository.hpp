#pragma once
// The storage port. Every backend implements it; one contract suite checks them all.
#include <optional>
#include <span>
#include <string_view>
#include <vector>

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
class note_repository {
 public:
  virtual ~note_repository() = default;

  // Stores a new note. `fresh.id` is ignored and assigned; the version is stored as given.
  virtual result<note> create(const note& fresh) = 0;

  // Empty optional when there is no such note: "not there" is not a failure.
  virtual result<std::optional<note>> find(note_id id) = 0;

  // Replaces title, content, is_pinned and updated_at of `changed.id` if its stored version is
  // still `expected`; the stored version becomes expected + 1. not_found or conflict otherwise.
  virtual result<note> update(const note& changed, note_version expected) = 0;

  // Deletes the note, if `expected` is given only while its version still matches.
  virtual result<void> remove(note_id id, std::optional<note_version> expected) = 0;

  virtual result<std::int64_t> count() = 0;

  // One page in the given order, ties broken by id (newer id first).
  virtual result<note_page> list(list_order order, page_request page) = 0;

  // Case-insensitive substring search over title and content, newest first. The query is
  // literal text (no wildcards) and is matched after text::fold_case on both sides.
  virtual result<note_page> search(std::string_view query, page_request page) = 0;

  // Every note in id order, for export.
  virtual result<std::vector<note>> all() = 0;

  // Inserts notes exactly as given (ids, times, versions) in one transaction: all or nothing.
  // An id that already exists is a conflict.
  virtual result<void> import(std::span<const note> notes) = 0;
};

}  // namespace notes
