#pragma once
// The trash and the revision history of notes: what a note was before it was deleted or changed.
#include <cstdint>
#include <string>
#include <vector>

#include "notes/account_id.hpp"
#include "notes/note.hpp"

namespace notes {

// A deleted note, kept (with its id, version and history) until it is restored or deleted for
// good.
struct trashed_note {
  notes::note note;
  timestamp deleted_at{};

  friend bool operator==(const trashed_note&, const trashed_note&) = default;
};

struct trash_page {
  std::vector<trashed_note> notes;
  std::int64_t total = 0;  // all of the owner's trashed notes, not just this page
};

// A replaced state of a note: the version it had and its text, until replaced_at.
struct revision {
  note_id note = 0;
  note_version version = 0;
  std::string title;
  std::string content;
  bool is_pinned = false;
  timestamp replaced_at{};
  account_id owner = no_account;

  friend bool operator==(const revision&, const revision&) = default;
};

// What a list of revisions shows of each, without its content.
struct revision_summary {
  note_version version = 0;
  std::string title;
  std::int64_t content_length = 0;  // bytes
  timestamp replaced_at{};

  friend bool operator==(const revision_summary&, const revision_summary&) = default;
};

struct revision_page {
  std::vector<revision_summary> revisions;
  std::int64_t total = 0;  // all of the note's kept revisions
};

// Everything a database keeps of notes, for export and import: the live notes and the trash in
// id order, the revisions of both by note id, then version.
struct note_archive {
  std::vector<notes::note> live;
  std::vector<trashed_note> trashed;
  std::vector<revision> revisions;

  friend bool operator==(const note_archive&, const note_archive&) = default;
};

}  // namespace notes
