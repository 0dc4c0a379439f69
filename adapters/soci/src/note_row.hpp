#pragma once
// The one mapping between a note and a row of `notes`: the columns, the part each plays, and
// the SQL names and SOCI bindings every statement derives from them.
#include <soci/soci.h>

#include <string>
#include <string_view>
#include <vector>

#include "notes/note.hpp"
#include "time_column.hpp"

namespace notes::storage::detail {

// A note's columns as the drivers deliver and take them. SOCI binds the members by address.
struct note_row {
  long long id = 0;
  std::string title;
  std::string content;
  int is_pinned = 0;
  long long created_at = 0;  // microseconds since the Unix epoch
  long long updated_at = 0;
  long long version = 0;
  long long owner = 0;       // an account_id; 0 is the shared notebook
  std::string search_title;  // text::search_key(title): written, never read back
  std::string search_content;
  std::string tags;         // a JSON array of the note's tags as given
  std::string search_tags;  // the same folded, each once: what note_tags holds (schema.cpp)

  void set(const note& n);  // every column, the search columns folded
  note to_note() const;
};

// A JSON array of strings and back; decoding reads what encoding writes.
std::string encode_tags(const std::vector<std::string>& tags);
std::vector<std::string> decode_tags(std::string_view json);

// The parts a column plays; a statement names the columns of the parts it needs.
namespace column_role {
inline constexpr unsigned key = 1;       // WHERE id = :id; written only where ids are kept
inline constexpr unsigned read = 2;      // selected wherever notes are returned
inline constexpr unsigned inserted = 4;  // written by every INSERT
inline constexpr unsigned updated = 8;   // replaced by an update
// Replaced by an update that changes it. SQLite rewrites a row's entry in every index on a
// column the SET clause names, even to the same value: is_pinned leads two of them, so an
// update that keeps the pin leaves it out (a random index page fewer to write per change).
inline constexpr unsigned repinned = 16;
}  // namespace column_role

// The columns with any of the `roles`, always in the same order: "id, title, ...".
std::string column_names(unsigned roles);
// Their placeholders, named after them: ":id, :title, ...".
std::string column_placeholders(unsigned roles);
// "title = :title, ..." for a SET clause.
std::string column_assignments(unsigned roles);
// "SELECT <the read columns> FROM notes", for statements that fetch into a note_row.
std::string select_notes();

// into() for every read column, in column_names(read) order.
void exchange_read_columns(soci::statement& statement, note_row& row);
// use() for every column with any of the `roles`, bound by the names column_placeholders gives.
void exchange_column_values(soci::statement& statement, note_row& row, unsigned roles);

}  // namespace notes::storage::detail
