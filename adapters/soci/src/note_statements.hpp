#pragma once
// The statements every dialect runs alike, prepared once per connection and executed many
// times, and the buffers they share with each dialect's own statements (dialect.hpp). SOCI binds
// the members below by address, so an instance never moves.
#include <soci/soci.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "connection.hpp"
#include "note_row.hpp"
#include "notes/note_repository.hpp"
#include "notes/storage/database_config.hpp"

namespace notes::storage::detail {

// SQL both dialects write alike.
// The sort of `order`.
const char* order_by(list_order order) noexcept;
inline constexpr const char* newest_first = " ORDER BY created_at DESC, id DESC";
inline constexpr const char* pinned_first = " ORDER BY is_pinned DESC, created_at DESC, id DESC";
inline constexpr const char* pinned_recently_updated =
    " ORDER BY is_pinned DESC, updated_at DESC, id DESC";
inline constexpr const char* one_page = " LIMIT :limit OFFSET :offset";
// The notes after the position in note_keys (after_pinned, after_time, after_id) in `order`:
// every key is descending, so they are the ones with the smaller key.
const char* after_position(list_order order) noexcept;
// The same over note_tags t0, whose rows carry their note's keys (note_id for id).
const char* tag_order_by(list_order order) noexcept;
const char* tag_after_position(list_order order) noexcept;

// What the statements look for, as opposed to a note's own columns.
struct note_keys {
  long long owner = 0;  // every statement but the import's sees this owner's notes only
  long long id = 0;
  long long expected = 0;  // the version a guarded update or delete requires
  long long limit = 0;
  long long offset = 0;
  // A list_position: where a page by position starts.
  int after_pinned = 0;
  long long after_time = 0;
  long long after_id = 0;
};

struct history_statements;

struct note_statements {
  // `content_bytes`: the dialect's SQL for the size in bytes of the column `content`.
  note_statements(soci::session& session, database_kind kind, const transaction_sql& sql,
                  const char* content_bytes);
  ~note_statements();
  note_statements(const note_statements&) = delete;
  note_statements& operator=(const note_statements&) = delete;

  // `sql` selects the read columns (select_notes()) into `row`; `parameters` are its use()s.
  template <class... Parameters>
  soci::statement prepare_rows(const std::string& sql, Parameters&&... parameters) {
    soci::statement statement(session);
    exchange_read_columns(statement, row);
    (statement.exchange(std::forward<Parameters>(parameters)), ...);
    prepare_exchanged(statement, sql);
    return statement;
  }
  // The same for `sql` ending in one_page, which binds in.limit and in.offset.
  template <class... Parameters>
  soci::statement prepare_page(const std::string& sql, Parameters&&... parameters) {
    return prepare_rows(sql, std::forward<Parameters>(parameters)...,
                        soci::use(in.limit, "limit"), soci::use(in.offset, "offset"));
  }
  // `sql` yields one integer, into `number`.
  template <class... Parameters>
  soci::statement prepare_number(const std::string& sql, Parameters&&... parameters) {
    return prepare_statement(session, sql, soci::into(number),
                             std::forward<Parameters>(parameters)...);
  }

  // Runs a statement to its single row (into its buffers); false when there was none.
  bool fetch_one(soci::statement& statement);
  // Runs a statement prepared with prepare_number().
  long long fetch_number(soci::statement& statement);
  // Runs a statement prepared with prepare_rows() and returns every row.
  std::vector<note> fetch_rows(soci::statement& statement);
  // Runs a statement prepared with prepare_page() for `limit` rows after skipping `offset`.
  std::vector<note> fetch_page(soci::statement& statement, std::int64_t limit,
                               std::int64_t offset);

  // The deferred join's page statement for `order`.
  soci::statement& list_page(list_order order) noexcept {
    return of_order(order, list_newest, list_pinned, list_updated);
  }
  // The page statement after a position for `order`.
  soci::statement& list_after_page(list_order order) noexcept {
    return of_order(order, after_newest, after_pinned, after_updated);
  }
  // One tag's page statement for `order`, numbered or after a position.
  soci::statement& one_tag_page(list_order order, bool after) noexcept {
    return after ? of_order(order, one_tag_after_newest, one_tag_after_pinned,
                            one_tag_after_updated)
                 : of_order(order, one_tag_newest, one_tag_pinned, one_tag_updated);
  }
  // Binds `after` for list_after_page(), one_tag_page() and tagged_page().
  void position_at(const list_position& after) noexcept;

  // The one of three statements that serves `order`.
  static soci::statement& of_order(list_order order, soci::statement& newest,
                                   soci::statement& pinned, soci::statement& updated) noexcept {
    switch (order) {
      case list_order::pinned_first: return pinned;
      case list_order::pinned_recently_updated: return updated;
      case list_order::newest_first: break;
    }
    return newest;
  }

  soci::session& session;
  database_kind kind;
  transaction_statements transactions;
  note_row row;
  note_keys in;
  long long number = 0;  // COUNT(*) and other single numbers

  soci::statement find;    // in.owner, in.id, into row
  soci::statement insert;  // row (its owner too); RETURNING id into row.id
  // row, by row.id, if in.owner's and at version in.expected; RETURNING into row
  soci::statement update;
  // the same for a note whose stored pin is row.is_pinned already: the pin is not written
  soci::statement update_keeping_pin;
  soci::statement remove_any;  // in.owner, in.id (and in.expected)
  soci::statement remove_versioned;
  // in.owner, as every statement below. The totals (count, count_tags, one_tag_count) are
  // counted on SQLite, and read from the rows triggers keep on PostgreSQL (schema.cpp).
  soci::statement count;
  soci::statement list_newest;
  soci::statement list_pinned;
  soci::statement list_updated;
  soci::statement after_newest;  // in.owner and the position in `in`
  soci::statement after_pinned;
  soci::statement after_updated;
  std::string tag;              // a row of count_tags: tag and number
  soci::statement count_tags;  // in.owner's tags by name, with their numbers of notes
  // A filter by one tag, the common case, without a needle: in.owner's notes carrying
  // `one_tag`, their number and their pages in each order, numbered (in.limit, in.offset) and
  // after the position in `in`.
  std::string one_tag;
  soci::statement one_tag_count;
  soci::statement one_tag_newest;
  soci::statement one_tag_pinned;
  soci::statement one_tag_updated;
  soci::statement one_tag_after_newest;
  soci::statement one_tag_after_pinned;
  soci::statement one_tag_after_updated;
  // The trash and revisions, over the buffers above.
  std::unique_ptr<history_statements> history;
};

// The LIKE pattern (ESCAPE '\\') for a literal needle: %, _ and the escape character itself
// lose their meaning.
std::string like_pattern(std::string_view needle);

// A page of s.in.owner's notes carrying every tag of `tags` (folded, at least one) and its
// total: in `order`, or, with a `needle` (folded), those whose folded title or content contains
// it, newest first; with `after`, only those after the position bound by position_at() (no
// needle then). Inside the caller's read transaction; the statements are prepared per call, as
// the number of tags varies (one tag without a needle has its own: one_tag_notes()).
note_page tagged_page(note_statements& s, tag_filter tags, list_order order,
                      const std::string* needle, page_request page, bool after = false);
// The page of s.in.owner's notes carrying s.one_tag, of which there are `total`, as
// tagged_page() gives it for that one tag, on the prepared statements.
note_page one_tag_notes(note_statements& s, std::int64_t total, list_order order,
                        page_request page, bool after);
// s.in.owner's tags by name, with their numbers of live notes.
std::vector<tag_count> tag_counts(note_statements& s);

// Every note of `from` becomes `to`'s, trashed notes and revisions too; returns how many live
// notes moved. Inside the caller's transaction.
long long change_owner(note_statements& s, long long from, long long to);

// PostgreSQL's kept totals (schema.cpp, note counts) in a transaction that writes many rows one
// statement at a time (an import, a change of owner, removing an owner's notes, whose tags go
// one note at a time), where the triggers would change one
// total's row once per note, each change slower than the last until the commit (an import of
// 1,000,000 notes: 25 minutes and more, most of it walking the row's versions). defer locks
// the totals against other writers until the commit (their writes wait; reads go on) and turns
// the triggers off for this transaction; recount counts the totals of `owners` (every owner
// whose notes the transaction wrote) again, exact under the lock, and moves their change stamps
// (note_stamps, which the lock leaves open: edits of other notes go on). No-ops on SQLite.
void defer_kept_totals(note_statements& s);
void recount_kept_totals(note_statements& s, std::span<const long long> owners);
// Deletes every note of `owner`, trash and revisions included; returns how many live notes
// there were. Inside the caller's transaction.
long long remove_all(note_statements& s, long long owner);
// Every note in id order, or only `owner`'s.
std::vector<note> all_notes(note_statements& s, std::optional<long long> owner);

// Inserts the live and trashed notes of `archive` with their own ids, then its revisions, on
// `s`'s connection inside the caller's transaction, and returns the highest id (0 for none);
// conflict when an id exists already (live or trashed), invalid_argument for a revision of a
// note not imported with it, and then the caller must roll back what was inserted.
result<long long> insert_keeping_ids(note_statements& s, const note_archive& archive);

}  // namespace notes::storage::detail
