#pragma once
// The hot queries of one connection, prepared once and executed many times. SOCI binds the
// members below by address, so an instance never moves.
#include <soci/soci.h>

#include <cstdint>
#include <string>

#include "connection.hpp"
#include "list_positions.hpp"
#include "notes/note.hpp"
#include "notes/storage/database_config.hpp"

namespace notes::storage::detail {

// One row of `note_columns`, as the drivers deliver it.
struct note_row {
  long long id = 0;
  std::string title;
  std::string content;
  int is_pinned = 0;
  long long created_at = 0;
  long long updated_at = 0;
  long long version = 0;

  note to_note() const;
};

// Values bound to the statements' parameters; set them, then execute.
struct note_parameters {
  long long id = 0;
  long long expected = 0;
  std::string title;
  std::string content;
  int is_pinned = 0;
  long long created_at = 0;
  long long updated_at = 0;
  long long version = 0;
  std::string search_title;
  std::string search_content;
  std::string query;   // folded search text: FTS5 phrase, instr() needle or LIKE pattern
  std::string needle;  // SQLite: the folded search text itself, for the queued notes
  long long limit = 0;
  long long offset = 0;

  void set(const note& n);  // every column of `n`, search columns folded
};

struct note_statements {
  note_statements(soci::session& session, database_kind kind);
  note_statements(const note_statements&) = delete;
  note_statements& operator=(const note_statements&) = delete;

  // SQLite, inside a write transaction: removes the entries the index holds for the queued
  // notes, indexes their current text and empties the queue.
  void drain_search_queue();

  soci::session& session;
  database_kind kind;
  transaction_statements transactions;
  note_parameters in;
  note_row row;
  long long number = 0;  // COUNT(*) results and RETURNING version

  soci::statement find;
  soci::statement insert;  // RETURNING id into row.id
  soci::statement update;  // RETURNING created_at, version into row
  soci::statement remove_any;
  soci::statement remove_versioned;
  soci::statement count;
  soci::statement list_newest;
  soci::statement list_pinned;
  // SQLite only: the list pages from a known position, and what tells whether the positions
  // known still hold.
  soci::statement list_newest_from;
  soci::statement list_pinned_from;
  soci::statement data_version;
  list_positions positions;
  std::uint64_t commits = 0;  // write transactions this connection committed
  // Search by the dialect's substring test: FTS5 trigram phrase on SQLite, LIKE on PostgreSQL.
  soci::statement search_count;
  soci::statement search_page;
  // SQLite only: the same page by walking notes_newest, and the highest id, which estimates
  // how many notes that walk may pass.
  soci::statement search_walk;
  soci::statement newest_id;
  // SQLite only: trigrams cannot match needles of one or two code points, instr() can.
  soci::statement short_search_count;
  soci::statement short_search_page;
  // SQLite only: moves the queued notes into the search index (run all three, in this order,
  // in one transaction).
  soci::statement drain_removals;
  soci::statement drain_index;
  soci::statement drain_queue;
};

}  // namespace notes::storage::detail
