#pragma once
// SQLite's own statements on one connection, beside the ones every dialect shares: list pages
// from remembered positions, search over the trigram index and its queue, moving the queue into
// the index, and the savepoints of the write combiner. SOCI binds the members below by address,
// so an instance never moves.
#include <soci/soci.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "state_read_cache.hpp"
#include "note_statements.hpp"

namespace notes::storage::detail {

// Search SQL that the read cache (state_read_cache) runs through the SQLite API. The
// parameters: :owner, :owner2 and :o2 the owner, :q the needle as an FTS5 phrase, :n and :n2 the
// needle.
// 1 when every note stored is the owner's, else 0 (also when there are none).
extern const char* const sole_owner_sql;
// Every match's id: any owner's in the index, the owner's in the queue.
std::string search_match_ids_sql();
// The owner's matches' order keys newest first sorts by: created_at, id.
std::string search_match_keys_sql();

struct sqlite_statements {
  // On the connection `common` was prepared on, opened with `config` (its busy timeout, and
  // what the read cache may remember of searches).
  sqlite_statements(note_statements& common, const database_config& config);
  sqlite_statements(const sqlite_statements&) = delete;
  sqlite_statements& operator=(const sqlite_statements&) = delete;

  // Inside a write transaction: removes the entries the index holds for the queued notes,
  // indexes their current text and empties the queue.
  void drain_search_queue();
  // How many revisions wait in note_revisions_queue, about (its highest rowid: at least as many).
  long long revisions_queued();
  // Inside a write transaction: moves the oldest queued revisions (those of the
  // revisions_moved_at_once rowids from the lowest) into note_revisions, in key order, and
  // deletes them from the queue.
  static constexpr long long revisions_moved_at_once = 2048;
  void move_revision_queue();

  note_statements& common;
  // The connection's busy timeout: how long a write it submits waits for another process's
  // lock, whichever connection leads its batch.
  std::chrono::milliseconds busy_timeout;
  state_read_cache read_cache;
  std::uint64_t commits = 0;   // write transactions this connection committed
  state_read_cache::key from;    // where a page from a known position starts
  std::string phrase;          // the needle as one FTS5 string
  std::string needle;          // the folded needle itself

  // The list and search statements read common.in.owner's notes only.
  //
  // The list pages from a known position, and what tells whether the read cache still
  // holds.
  soci::statement list_newest_from;
  soci::statement list_pinned_from;
  soci::statement data_version;
  // Search for needles of three or more code points with more matches than the read cache
  // keeps: a page of the matches sorted, or the same page by walking notes_newest; the highest
  // id, which estimates how many notes that walk may pass.
  soci::statement search_page;
  soci::statement search_walk;
  soci::statement newest_id;
  // Trigrams cannot match needles of one or two code points, instr() can.
  soci::statement short_search_count;
  soci::statement short_search_page;
  // Moves the queued notes into the search index (both, in this order, in one transaction).
  soci::statement drain_index;
  soci::statement drain_queue;
  // The revision queue: its size (revisions_queued), then the move of its oldest (both, in this
  // order).
  soci::statement revision_queue_size;
  soci::statement move_revisions;
  soci::statement empty_revision_queue;
  // One write of a group commit (write_combiner).
  soci::statement savepoint;
  soci::statement release_savepoint;
  soci::statement rollback_to_savepoint;
};

}  // namespace notes::storage::detail
