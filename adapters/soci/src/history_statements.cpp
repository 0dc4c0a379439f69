#include "history_statements.hpp"

#include <map>
#include <string>
#include <utility>

#include "connection.hpp"
#include "note_statements.hpp"
#include "time_column.hpp"

namespace notes::storage::detail {
namespace {

using namespace column_role;

// A trashed note is a row of notes (every column, the folded search text too) plus deleted_at,
// under the same id.
std::string read_columns() { return column_names(read); }

std::string take_sql(const char* table, bool versioned) {
  return std::string("DELETE FROM ") + table + " WHERE id = :id AND owner = :owner" +
         (versioned ? " AND version = :expected" : "") + " RETURNING " + read_columns();
}

std::string put_sql(const char* table, const char* extra_column) {
  std::string columns = column_names(key | inserted);
  std::string values = column_placeholders(key | inserted);
  if (*extra_column != '\0') {
    columns += std::string(", ") + extra_column;
    values += std::string(", :") + extra_column;
  }
  return std::string("INSERT INTO ") + table + " (" + columns + ") VALUES (" + values + ")";
}

std::string select_trashed() {
  return "SELECT " + read_columns() + ", deleted_at FROM trashed_notes";
}

std::string purge_sql(bool versioned) {
  return std::string("DELETE FROM trashed_notes WHERE id = :id AND owner = :owner") +
         (versioned ? " AND version = :expected" : "");
}

// `row`'s columns with any of the `roles`, then `elements`, on a statement for `sql`.
template <class... Elements>
soci::statement prepare_row_write(soci::session& session, const std::string& sql, note_row& row,
                                  unsigned roles, Elements&&... elements) {
  soci::statement statement(session);
  exchange_column_values(statement, row, roles);
  (statement.exchange(std::forward<Elements>(elements)), ...);
  prepare_exchanged(statement, sql);
  return statement;
}

constexpr const char* revision_columns =
    "owner, note_id, version, title, content, is_pinned, replaced_at";

// On SQLite a revision is written to note_revisions_queue and moved into note_revisions later
// (schema.cpp, migration 15), unless it is large (keep_revision_sql): what is asked of
// revisions reads both. SQLite pushes a query's conditions on note and owner into both arms,
// each searched by its index on (note_id, version), and merges them in order where the query
// orders by those.
bool queues_revisions(database_kind kind) { return kind == database_kind::sqlite; }

std::string revisions_of(database_kind kind) {
  if (!queues_revisions(kind)) return "note_revisions";
  return std::string("(SELECT ") + revision_columns + " FROM note_revisions UNION ALL SELECT " +
         revision_columns + " FROM note_revisions_queue)";
}

// The replaced state is copied within the database, so the update's caller need not send it;
// it runs before the UPDATE, under the same conditions. The CAST gives PostgreSQL the
// parameter's type, which a select list does not. `into` is the statement's head up to the
// table; `condition` (SQLite's, on the revision's size) is added to those conditions.
std::string keep_revision_sql(const char* into, const std::string& condition) {
  return std::string(into) + " (" + revision_columns +
         ") SELECT owner, id, version, title, content, is_pinned, CAST(:replaced_at AS BIGINT)"
         " FROM notes"
         " WHERE id = :id AND owner = :owner AND version = :expected" +
         condition;
}

// On SQLite, a revision of up to queued_revision_bytes of text (title and content, UTF-8) is
// queued; a larger one goes to note_revisions at once. A queued revision saves most of the
// random leaf page its key takes in note_revisions, and is written again when it moves: with
// 27 revisions a commit, the WAL took 61% fewer pages queued at 100 bytes, 21% at 1,000, 11%
// at 1,300 and 12% more at 1,500 (docs/benchmarks.md, "Large revisions skip the queue"). The
// bound also bounds the move, which holds the write lock: move_revisions_at revisions of 1 KiB
// move in about 34 ms, of 400 KB (the largest note) in 13 s. A large revision replaces one of
// its version that note_revisions holds already (an import of revisions past their note's
// version), as the move does a queued one.
constexpr long long queued_revision_bytes = 1024;

// The condition on a revision's text in bytes: `comparison` ("<=" or ">") the bound.
std::string revision_size_is(const char* comparison) {
  return std::string(" AND length(CAST(title AS BLOB)) + length(CAST(content AS BLOB)) ") +
         comparison + " " + std::to_string(queued_revision_bytes);
}

std::string keep_revision_sql(database_kind kind) {
  if (!queues_revisions(kind)) return keep_revision_sql("INSERT INTO note_revisions", "");
  return keep_revision_sql("INSERT INTO note_revisions_queue", revision_size_is("<="));
}

// keep_revision's statement (and keep_large_revision's) over its inputs.
soci::statement prepare_keep_revision(note_statements& c, const std::string& sql) {
  return prepare_statement(c.session, sql, soci::use(c.row.updated_at, "replaced_at"),
                           soci::use(c.row.id, "id"), soci::use(c.in.owner, "owner"),
                           soci::use(c.in.expected, "expected"));
}

std::optional<soci::statement> prepare_keep_large_revision(note_statements& c) {
  if (!queues_revisions(c.kind)) return std::nullopt;
  return prepare_keep_revision(
      c, keep_revision_sql("INSERT OR REPLACE INTO note_revisions", revision_size_is(">")));
}

// Both start with the primary key (note_id, version), and the queue's index with the same.
std::string of_note(database_kind kind) {
  return " FROM " + revisions_of(kind) + " WHERE note_id = :id AND owner = :owner";
}

// The queue's statement beside one of note_revisions, on SQLite: `sql` with the table renamed.
template <class... Parameters>
std::optional<soci::statement> queue_twin(note_statements& c, const std::string& sql,
                                          Parameters&&... parameters) {
  if (!queues_revisions(c.kind)) return std::nullopt;
  std::string twin = sql;
  const std::string table = "note_revisions";
  twin.replace(twin.find(table), table.size(), "note_revisions_queue");
  return prepare_statement(c.session, twin, std::forward<Parameters>(parameters)...);
}

constexpr const char* drop_revisions_sql = "DELETE FROM note_revisions WHERE note_id = :id";
constexpr const char* prune_revisions_sql =
    "DELETE FROM note_revisions WHERE note_id = :id AND version <= :floor";

}  // namespace

revision revision_row::to_revision() const {
  return notes::revision{note_id, version,     title, content, is_pinned != 0,
                         from_microseconds(replaced_at), owner};
}

revision_summary revision_row::to_summary() const {
  return revision_summary{version, title, content_length, from_microseconds(replaced_at)};
}

history_statements::history_statements(note_statements& c, const char* content_bytes)
    : common(c),
      take_live_any(common.prepare_rows(take_sql("notes", false), soci::use(common.in.id, "id"),
                                        soci::use(common.in.owner, "owner"))),
      take_live_versioned(common.prepare_rows(
          take_sql("notes", true), soci::use(common.in.id, "id"),
          soci::use(common.in.owner, "owner"), soci::use(common.in.expected, "expected"))),
      put_trashed(prepare_row_write(common.session, put_sql("trashed_notes", "deleted_at"),
                                    common.row, key | inserted,
                                    soci::use(deleted_at, "deleted_at"))),
      find_trashed(common.prepare_rows(select_trashed() + " WHERE id = :id AND owner = :owner",
                                       soci::into(deleted_at), soci::use(common.in.id, "id"),
                                       soci::use(common.in.owner, "owner"))),
      count_trash(common.prepare_number("SELECT COUNT(*) FROM trashed_notes WHERE owner = :owner",
                                        soci::use(common.in.owner, "owner"))),
      list_trash(common.prepare_page(
          select_trashed() + " WHERE owner = :owner ORDER BY deleted_at DESC, id DESC" + one_page,
          soci::into(deleted_at), soci::use(common.in.owner, "owner"))),
      take_trashed_any(common.prepare_rows(take_sql("trashed_notes", false),
                                           soci::use(common.in.id, "id"),
                                           soci::use(common.in.owner, "owner"))),
      take_trashed_versioned(common.prepare_rows(
          take_sql("trashed_notes", true), soci::use(common.in.id, "id"),
          soci::use(common.in.owner, "owner"), soci::use(common.in.expected, "expected"))),
      put_restored(prepare_row_write(common.session, put_sql("notes", ""), common.row,
                                     key | inserted)),
      purge_any(prepare_statement(common.session, purge_sql(false), soci::use(common.in.id, "id"),
                                  soci::use(common.in.owner, "owner"))),
      purge_versioned(prepare_statement(common.session, purge_sql(true),
                                        soci::use(common.in.id, "id"),
                                        soci::use(common.in.owner, "owner"),
                                        soci::use(common.in.expected, "expected"))),
      purge_owner(prepare_statement(common.session,
                                    "DELETE FROM trashed_notes WHERE owner = :owner RETURNING id",
                                    soci::into(taken_id), soci::use(common.in.owner, "owner"))),
      purge_before(prepare_statement(
          common.session, "DELETE FROM trashed_notes WHERE deleted_at < :cutoff RETURNING id",
          soci::into(taken_id), soci::use(cutoff, "cutoff"))),
      drop_revisions(prepare_statement(common.session, drop_revisions_sql,
                                       soci::use(common.in.id, "id"))),
      drop_queued_revisions(
          queue_twin(common, drop_revisions_sql, soci::use(common.in.id, "id"))),
      keep_revision(prepare_keep_revision(common, keep_revision_sql(common.kind))),
      keep_large_revision(prepare_keep_large_revision(common)),
      prune_revisions(prepare_statement(common.session, prune_revisions_sql,
                                        soci::use(common.row.id, "id"),
                                        soci::use(floor, "floor"))),
      prune_queued_revisions(queue_twin(common, prune_revisions_sql,
                                        soci::use(common.row.id, "id"),
                                        soci::use(floor, "floor"))),
      count_revisions(common.prepare_number("SELECT COUNT(*)" + of_note(common.kind),
                                            soci::use(common.in.id, "id"),
                                            soci::use(common.in.owner, "owner"))),
      list_revisions(prepare_statement(
          common.session,
          std::string("SELECT version, title, ") + content_bytes + ", replaced_at" +
              of_note(common.kind) + " ORDER BY version DESC LIMIT :limit OFFSET :offset",
          soci::into(revision.version), soci::into(revision.title),
          soci::into(revision.content_length), soci::into(revision.replaced_at),
          soci::use(common.in.id, "id"), soci::use(common.in.owner, "owner"),
          soci::use(common.in.limit, "limit"), soci::use(common.in.offset, "offset"))),
      find_revision(prepare_statement(
          common.session,
          std::string("SELECT note_id, version, title, content, is_pinned, replaced_at, owner") +
              of_note(common.kind) +
              " AND version = :version"
              " AND EXISTS (SELECT 1 FROM notes WHERE id = :id2 AND owner = :owner2)",
          soci::into(revision.note_id), soci::into(revision.version), soci::into(revision.title),
          soci::into(revision.content), soci::into(revision.is_pinned),
          soci::into(revision.replaced_at), soci::into(revision.owner),
          soci::use(common.in.id, "id"), soci::use(common.in.owner, "owner"),
          soci::use(version, "version"), soci::use(common.in.id, "id2"),
          soci::use(common.in.owner, "owner2"))) {}

void history_statements::drop_note_revisions() {
  run_prepared(drop_revisions, common.kind);
  if (drop_queued_revisions) run_prepared(*drop_queued_revisions, common.kind);
}

void history_statements::keep_note_revision() {
  run_prepared(keep_revision, common.kind);
  if (keep_large_revision && keep_revision.get_affected_rows() == 0) {
    run_prepared(*keep_large_revision, common.kind);
  }
}

void history_statements::prune_note_revisions() {
  run_prepared(prune_revisions, common.kind);
  if (prune_queued_revisions) run_prepared(*prune_queued_revisions, common.kind);
}

std::vector<long long> history_statements::fetch_taken_ids(soci::statement& statement) {
  statement_scope scope(statement, common.kind);
  std::vector<long long> ids;
  statement.execute();
  while (statement.fetch()) ids.push_back(taken_id);
  return ids;
}

std::vector<trashed_note> history_statements::fetch_trash_page(std::int64_t limit,
                                                               std::int64_t offset) {
  common.in.limit = limit;
  common.in.offset = offset;
  statement_scope scope(list_trash, common.kind);
  std::vector<trashed_note> out;
  list_trash.execute();
  while (list_trash.fetch()) {
    out.push_back(trashed_note{common.row.to_note(), from_microseconds(deleted_at)});
  }
  return out;
}

std::vector<revision_summary> history_statements::fetch_revision_page(std::int64_t limit,
                                                                      std::int64_t offset) {
  common.in.limit = limit;
  common.in.offset = offset;
  statement_scope scope(list_revisions, common.kind);
  std::vector<revision_summary> out;
  list_revisions.execute();
  while (list_revisions.fetch()) out.push_back(revision.to_summary());
  return out;
}

void put_trashed(note_statements& s, const trashed_note& trashed) {
  s.row.set(trashed.note);
  s.history->deleted_at = to_microseconds(trashed.deleted_at);
  run_prepared(s.history->put_trashed, s.kind);
}

// Prepared per import, which is rare: the revisions of an update are copied within the
// database (keep_revision) and never pass through here.
result<void> insert_revisions(note_statements& s, const note_archive& archive) {
  if (archive.revisions.empty()) return {};
  std::map<note_id, account_id> owners;
  for (const note& n : archive.live) owners.emplace(n.id, n.owner);
  for (const trashed_note& t : archive.trashed) owners.emplace(t.note.id, t.note.owner);
  revision_row row;
  soci::statement insert = prepare_statement(
      s.session,
      "INSERT INTO note_revisions"
      " (owner, note_id, version, title, content, is_pinned, replaced_at)"
      " VALUES (:owner, :note_id, :version, :title, :content, :is_pinned, :replaced_at)",
      soci::use(row.owner, "owner"), soci::use(row.note_id, "note_id"),
      soci::use(row.version, "version"), soci::use(row.title, "title"),
      soci::use(row.content, "content"), soci::use(row.is_pinned, "is_pinned"),
      soci::use(row.replaced_at, "replaced_at"));
  for (const revision& r : archive.revisions) {
    auto owner = owners.find(r.note);
    if (owner == owners.end()) {
      return make_error(error_code::invalid_argument,
                        "A revision of note " + std::to_string(r.note) +
                            ", which is not imported with it; nothing was imported.");
    }
    row.owner = owner->second;
    row.note_id = r.note;
    row.version = r.version;
    row.title = r.title;
    row.content = r.content;
    row.is_pinned = r.is_pinned ? 1 : 0;
    row.replaced_at = to_microseconds(r.replaced_at);
    run_prepared(insert, s.kind);
  }
  return {};
}

void read_history(note_statements& s, std::optional<long long> owner, note_archive& out) {
  long long wanted = owner.value_or(0);
  const std::string where = owner ? " WHERE owner = :owner" : "";
  history_statements& h = *s.history;
  const std::string trash_sql = select_trashed() + where + " ORDER BY id";
  soci::statement trash =
      owner ? s.prepare_rows(trash_sql, soci::into(h.deleted_at), soci::use(wanted, "owner"))
            : s.prepare_rows(trash_sql, soci::into(h.deleted_at));
  {
    statement_scope scope(trash, s.kind);
    trash.execute();
    while (trash.fetch()) {
      out.trashed.push_back(trashed_note{s.row.to_note(), from_microseconds(h.deleted_at)});
    }
  }
  revision_row row;
  soci::statement revisions(s.session);
  revisions.exchange(soci::into(row.note_id));
  revisions.exchange(soci::into(row.version));
  revisions.exchange(soci::into(row.title));
  revisions.exchange(soci::into(row.content));
  revisions.exchange(soci::into(row.is_pinned));
  revisions.exchange(soci::into(row.replaced_at));
  revisions.exchange(soci::into(row.owner));
  if (owner) revisions.exchange(soci::use(wanted, "owner"));
  prepare_exchanged(revisions,
                    "SELECT note_id, version, title, content, is_pinned, replaced_at, owner"
                    " FROM " +
                        revisions_of(s.kind) + where + " ORDER BY note_id, version");
  statement_scope scope(revisions, s.kind);
  revisions.execute();
  while (revisions.fetch()) out.revisions.push_back(row.to_revision());
}

// By the notes and trashed notes of `from`, which their indexes find, rather than by a scan of
// every revision: note_revisions is indexed by note only.
void change_history_owner(note_statements& s, long long from, long long to) {
  const std::string sql =
      "UPDATE note_revisions SET owner = :to WHERE owner = :from AND note_id IN"
      " (SELECT id FROM notes WHERE owner = :from2 UNION ALL"
      " SELECT id FROM trashed_notes WHERE owner = :from3)";
  soci::statement revisions =
      prepare_statement(s.session, sql, soci::use(to, "to"), soci::use(from, "from"),
                        soci::use(from, "from2"), soci::use(from, "from3"));
  run_prepared(revisions, s.kind);
  auto queued = queue_twin(s, sql, soci::use(to, "to"), soci::use(from, "from"),
                           soci::use(from, "from2"), soci::use(from, "from3"));
  if (queued) run_prepared(*queued, s.kind);
  soci::statement trashed =
      prepare_statement(s.session, "UPDATE trashed_notes SET owner = :to WHERE owner = :from",
                        soci::use(to, "to"), soci::use(from, "from"));
  run_prepared(trashed, s.kind);
}

void remove_history(note_statements& s, long long owner) {
  const std::string sql =
      "DELETE FROM note_revisions WHERE owner = :owner AND note_id IN"
      " (SELECT id FROM notes WHERE owner = :owner2 UNION ALL"
      " SELECT id FROM trashed_notes WHERE owner = :owner3)";
  soci::statement revisions =
      prepare_statement(s.session, sql, soci::use(owner, "owner"), soci::use(owner, "owner2"),
                        soci::use(owner, "owner3"));
  run_prepared(revisions, s.kind);
  auto queued = queue_twin(s, sql, soci::use(owner, "owner"), soci::use(owner, "owner2"),
                           soci::use(owner, "owner3"));
  if (queued) run_prepared(*queued, s.kind);
  soci::statement trashed =
      prepare_statement(s.session, "DELETE FROM trashed_notes WHERE owner = :owner",
                        soci::use(owner, "owner"));
  run_prepared(trashed, s.kind);
}

}  // namespace notes::storage::detail
