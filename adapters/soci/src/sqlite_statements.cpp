#include "sqlite_statements.hpp"

namespace notes::storage::detail {
namespace {

// The same pages as the deferred join, from a known position (state_read_cache): a seek, then
// fewer than 32 steps. Reading the few skipped rows whole costs less here than the deferred
// join's two temporary b-trees (IN list, ORDER BY): 3-4.5 against 6-8.7 us a page.
std::string list_newest_from_sql() {
  return select_notes() + " WHERE owner = :owner AND (created_at, id) <= (:created, :id)" +
         newest_first + one_page;
}
std::string list_pinned_from_sql() {
  return select_notes() +
         " WHERE owner = :owner AND (is_pinned, created_at, id) <= (:pinned, :created, :id)" +
         pinned_first + one_page;
}

// For the trigram tokenizer a quoted phrase is a run of adjacent trigrams: an exact substring.
// Notes queued for the index (notes_fts_pending, at most a few hundred) are tested one by one
// with instr() on their current text, and their index entries, which may be stale, are ignored.
// CROSS JOIN keeps the queue the outer loop: SQLite would otherwise scan every note and look
// each up in the queue.
//
// The index holds every owner's notes; their rows in notes say whose they are. Where the
// matches are looked up by id, `+owner` keeps SQLite from walking the owner's notes in
// notes_newest instead (it would: owner = ? is an equality on that index), which is the walk's
// plan, chosen by walk_pays only when it pays.
constexpr const char* index_match =
    "notes_fts MATCH :q AND rowid NOT IN (SELECT id FROM notes_fts_pending)";
constexpr const char* queue_match =
    "notes_fts_pending p CROSS JOIN notes n ON n.id = p.id WHERE n.owner = :o2"
    " AND (instr(n.search_title, :n) > 0 OR instr(n.search_content, :n2) > 0)";

// `from` is the table or the index to walk, `owner` how the owner is compared.
std::string search_page_sql(const char* from, const char* owner) {
  return select_notes() + from + " WHERE " + owner + " = :owner AND id IN (" +
         search_match_ids_sql() + ")" + newest_first + one_page;
}

}  // namespace

// When every note in the database is the owner's (one account, or none: the common case of a
// server for one person), the index's own count is theirs, without looking up each match's row
// for its owner: 1,000 matches of 100,000 notes cost 0.5 instead of 2-5 ms of random reads.
const char* const sole_owner_sql =
    "SELECT COALESCE((SELECT MIN(owner) FROM notes) = :owner"
    " AND (SELECT MAX(owner) FROM notes) = :owner2, 0)";

std::string search_match_ids_sql() {
  return std::string("SELECT rowid FROM notes_fts WHERE ") + index_match +
         " UNION ALL SELECT p.id FROM " + queue_match;
}

std::string search_match_keys_sql() {
  return "SELECT created_at, id FROM notes WHERE +owner = :owner AND id IN (" +
         search_match_ids_sql() + ")";
}

namespace {

constexpr const char* instr_match =
    " WHERE owner = :owner AND (instr(search_title, :q) > 0 OR instr(search_content, :q2) > 0)";

// The queue moves into the index in one statement, each note's removal of its old text right
// before its new text, in id order. FTS5 gathers an index change in memory and writes it as a
// new segment (later merged) whenever a row comes with a lower rowid than the one before, and
// at the end of every statement: removals then insertions in two statements wrote two
// segments a move, this writes one, and a note's old and new entries meet in memory.
constexpr const char* drain_index_sql =
    "INSERT INTO notes_fts (notes_fts, rowid, search_title, search_content)"
    " SELECT command, id, title, content FROM ("
    "SELECT 'delete' AS command, id, old_title AS title, old_content AS content, 0 AS step"
    " FROM notes_fts_pending WHERE old_title IS NOT NULL"
    " UNION ALL SELECT NULL, n.id, n.search_title, n.search_content, 1"
    " FROM notes_fts_pending p CROSS JOIN notes n ON n.id = p.id)"
    " ORDER BY id, step";
constexpr const char* drain_queue_sql = "DELETE FROM notes_fts_pending";

// The oldest queued revisions, those of the revisions_moved_at_once rowids from the lowest:
// one such chunk a move bounds the time it holds the write lock however long moves were put off
// (a later one takes the next). Once the queue is empty its rowids start over
// (revisions_queued).
std::string oldest_queued_revisions() {
  return " rowid < (SELECT MIN(rowid) FROM note_revisions_queue) + " +
         std::to_string(sqlite_statements::revisions_moved_at_once);
}

// Those revisions in note_revisions' key order, so their primary key entries go in by page. A
// queued revision of a note that is neither live nor trashed (left by a server of an older
// binary that deleted the note while this one queued its revisions) is dropped; one whose
// version note_revisions holds already (the same way, or an import of revisions past their
// note's version) replaces it, so the move can never fail on a key: the queued one is the newer.
std::string move_revisions_sql() {
  return "INSERT OR REPLACE INTO note_revisions"
         " (owner, note_id, version, title, content, is_pinned, replaced_at)"
         " SELECT owner, note_id, version, title, content, is_pinned, replaced_at"
         " FROM note_revisions_queue q"
         " WHERE" +
         oldest_queued_revisions() +
         " AND (EXISTS (SELECT 1 FROM notes WHERE id = q.note_id)"
         " OR EXISTS (SELECT 1 FROM trashed_notes WHERE id = q.note_id))"
         " ORDER BY note_id, version";
}

}  // namespace

sqlite_statements::sqlite_statements(note_statements& c, const database_config& config)
    : common(c),
      busy_timeout(config.busy_timeout),
      read_cache(config.sqlite_search_matches),
      list_newest_from(common.prepare_page(
          list_newest_from_sql(), soci::use(common.in.owner, "owner"),
          soci::use(from.created_at, "created"), soci::use(from.id, "id"))),
      list_pinned_from(common.prepare_page(
          list_pinned_from_sql(), soci::use(common.in.owner, "owner"),
          soci::use(from.pinned, "pinned"), soci::use(from.created_at, "created"),
          soci::use(from.id, "id"))),
      data_version(common.prepare_number("PRAGMA data_version")),
      search_page(common.prepare_page(
          search_page_sql("", "+owner"), soci::use(common.in.owner, "owner"),
          soci::use(phrase, "q"), soci::use(common.in.owner, "o2"), soci::use(needle, "n"),
          soci::use(needle, "n2"))),
      search_walk(common.prepare_page(
          search_page_sql(" INDEXED BY notes_newest", "owner"),
          soci::use(common.in.owner, "owner"), soci::use(phrase, "q"),
          soci::use(common.in.owner, "o2"), soci::use(needle, "n"), soci::use(needle, "n2"))),
      newest_id(common.prepare_number("SELECT COALESCE(MAX(id), 0) FROM notes")),
      short_search_count(common.prepare_number(
          std::string("SELECT COUNT(*) FROM notes") + instr_match,
          soci::use(common.in.owner, "owner"), soci::use(needle, "q"), soci::use(needle, "q2"))),
      short_search_page(common.prepare_page(
          select_notes() + instr_match + newest_first + one_page,
          soci::use(common.in.owner, "owner"), soci::use(needle, "q"), soci::use(needle, "q2"))),
      drain_index(prepare_statement(common.session, drain_index_sql)),
      drain_queue(prepare_statement(common.session, drain_queue_sql)),
      revision_queue_size(
          common.prepare_number("SELECT COALESCE(MAX(rowid), 0) FROM note_revisions_queue")),
      move_revisions(prepare_statement(common.session, move_revisions_sql())),
      empty_revision_queue(prepare_statement(
          common.session, "DELETE FROM note_revisions_queue WHERE" + oldest_queued_revisions())),
      savepoint(prepare_statement(common.session, "SAVEPOINT one_write")),
      release_savepoint(prepare_statement(common.session, "RELEASE one_write")),
      rollback_to_savepoint(prepare_statement(common.session, "ROLLBACK TO one_write")) {}

void sqlite_statements::drain_search_queue() {
  run_prepared(drain_index, common.kind);
  run_prepared(drain_queue, common.kind);
}

long long sqlite_statements::revisions_queued() {
  return common.fetch_number(revision_queue_size);
}

void sqlite_statements::move_revision_queue() {
  run_prepared(move_revisions, common.kind);
  run_prepared(empty_revision_queue, common.kind);
}

}  // namespace notes::storage::detail
