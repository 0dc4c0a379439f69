#pragma once
// The file `notes-server export` writes and `notes-server import` reads: every note with its id,
// times (RFC 3339, microseconds, UTC), version and owner, the trash and the kept revisions, so
// that a database can be moved between SQLite and PostgreSQL, or backed up, exactly.
//
//   {"format":"notes-export","format_version":2,"notes":[
//   {"id":1,"title":"…","content":"…","is_pinned":false,"created_at":"2026-01-01T00:00:00.000000Z",
//    "updated_at":"…","version":1},
//   {"id":2,…,"version":3,"owner":"alice","revisions":[
//    {"version":1,"title":"…","content":"…","is_pinned":false,"replaced_at":"…"},
//    {"version":2,…}]},
//   {"id":4,…,"version":2,"deleted_at":"…","revisions":[…]},
//   …
//   ]}
//
// "owner" is the name of the account a note belongs to, not its id: ids are numbered by each
// database, names are what stays the same when accounts are added to another one. It is written
// only for notes that are not the shared notebook's, and a file without it imports into the
// shared notebook. "deleted_at" is written for a note in the trash only, "revisions" (oldest
// first) for a note that has some only. Version 1 files (live notes, none of these two members)
// are read as before.
//
// One note per line (in id order, live and trashed together), so that the same notes always
// give the same bytes and a refusal can name the line at fault.
#include <expected>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "notes/history.hpp"
#include "notes/note.hpp"

namespace notes::app {

inline constexpr std::string_view export_format_name = "notes-export";
inline constexpr std::int64_t export_format_version = 2;
// Files of this version still import; they hold live notes only.
inline constexpr std::int64_t export_format_version_live_only = 1;

// A note of an export file and the name of the account it belongs to: empty for the shared
// notebook. `item.owner` is not written, and is no_account when read: which account a name is
// depends on the database; so is each revision's owner. `deleted_at` is set for a note in the
// trash; `revisions` are its kept revisions, oldest first.
struct exported_note {
  note item;
  std::string owner;
  std::optional<timestamp> deleted_at{};
  std::vector<revision> revisions{};

  friend bool operator==(const exported_note&, const exported_note&) = default;
};

void write_export(std::ostream& out, std::span<const exported_note> notes);

// Reads a whole file and checks every note and revision by the API's rules (title and content
// trimmed and within their lengths, valid UTF-8), plus: ids and versions positive integers, ids
// unique, times in RFC 3339, an owner (if any) a non-empty string, each revision's version
// below its note's and unique, no member missing or unknown. The
// notes come back as they will be stored (text trimmed, as the API stores it). The error lists
// what is wrong, each problem with the line and field at fault, one per line.
std::expected<std::vector<exported_note>, std::string> read_export(std::string_view text);

struct export_file {
  std::int64_t version = export_format_version;
  std::vector<exported_note> notes;
};

// read_export, with the file's format version: a version 1 file says nothing of the trash and
// the revisions, which an import then leaves as they are.
std::expected<export_file, std::string> read_export_file(std::string_view text);

}  // namespace notes::app
