#pragma once
// The answers a soci_note_repository gives for what its statements did not find, shared by the
// notes' methods (soci_note_repository.cpp) and the trash's and revisions' (soci_note_history.cpp).
#include <string>

#include "note_statements.hpp"
#include "notes/error.hpp"
#include "notes/pagination.hpp"

namespace notes::storage::detail {

inline std::string note_label(note_id id) { return "Note " + std::to_string(id); }

inline std::unexpected<error> note_not_found(note_id id) {
  return make_error(error_code::not_found, note_label(id) + " not found.");
}

// A stale version and a missing note (or another owner's) look alike to a guarded UPDATE or
// DELETE; a second look, as s.in.owner, tells them apart. `find` reads the row by s.in.id
// into s.row: a live note, or a trashed one.
inline std::unexpected<error> missing_or_stale(note_statements& s, soci::statement& find,
                                               note_id id, note_version expected) {
  s.in.id = id;
  if (!s.fetch_one(find)) return note_not_found(id);
  return make_error(error_code::conflict,
                    note_label(id) + " was changed by someone else (it is at version " +
                        std::to_string(s.row.version) + ", not " + std::to_string(expected) + ").");
}

inline result<void> check_page(page_request page) {
  if (page.page < 1 || page.per_page < 1) {
    return make_error(error_code::invalid_argument, "page and per_page must be at least 1.");
  }
  return {};
}

}  // namespace notes::storage::detail
