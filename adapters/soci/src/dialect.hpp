#pragma once
// What sets the databases apart. A dialect is a file of its own (sqlite_dialect.cpp,
// postgresql_dialect.cpp) that defines how its transactions begin and its plans: its own
// statements, and how a write, a list page, a tag's page, a search page, an import and removing
// an owner's notes run on them and on the statements every dialect shares (note_statements.hpp).
// Adding one is that file, its declaration below and its entry in dialect.cpp: the repository
// itself never asks which dialect it runs on.
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "connection.hpp"
#include "note_statements.hpp"
#include "notes/note_repository.hpp"
#include "notes/storage/database_config.hpp"
#include "unchanged_reads.hpp"

namespace notes::storage::detail {


// One write. It touches only the statements it is given, which may be another connection's,
// and may run more than once.
using write_work = std::function<result<void>(note_statements&)>;
// The same, owned by a write handed off (write_then), and where its outcome goes.
using owned_write_work = std::move_only_function<result<void>(note_statements&)>;
using write_completion = std::move_only_function<void(result<void>)>;

// A dialect's plans on one connection. They may throw what SOCI throws; the repository turns
// that into error values.
class dialect_plans {
 public:
  virtual ~dialect_plans() = default;

  // Runs `work` and returns once it committed or failed.
  virtual result<void> write(std::string_view doing, const write_work& work) = 0;
  // The same for a `work` of several statements, which must commit together or not at all;
  // a failure it returns undoes them too.
  virtual result<void> write_together(std::string_view doing, const write_work& work) = 0;
  // As write, the outcome handed to `done` exactly once: on another thread, once committed or
  // failed, in a dialect that hands writes off; before returning otherwise (this default, which
  // may throw as write does). `doing` must outlive the write (a literal).
  virtual void write_then(std::string_view doing, owned_write_work work, write_completion done) {
    done(write(doing, [&work](note_statements& s) { return work(s); }));
  }
  // A page in `order` and the total, inside the caller's read transaction.
  virtual note_page list(list_order order, page_request page) = 0;
  // Up to `limit` notes after the position bound by note_statements::position_at() in `order`,
  // and the total as list gives it, inside the caller's read transaction.
  virtual note_page list_after(list_order order, std::int64_t limit) = 0;
  // A page of the notes carrying `tag` (folded) and their total, as tagged_page() gives it for
  // that one tag without a needle (note_statements.hpp), inside the caller's read transaction.
  virtual note_page list_tag(const std::string& tag, list_order order, page_request page,
                             bool after) = 0;
  // The page of notes whose folded title or content contains `needle`, folded itself, newest
  // first, and their total, inside the caller's read transaction.
  virtual note_page search(const std::string& needle, page_request page) = 0;
  // The owner's tags by name with their numbers of notes (detail::tag_counts), inside the
  // caller's read transaction.
  virtual std::vector<tag_count> tag_counts() = 0;
  // Inserts `archive` with its own ids in one transaction: all of it, or none and the refusal
  // of insert_keeping_ids.
  virtual result<void> import(const note_archive& archive) = 0;
  // Deletes every note of `owner`, trash and revisions included, in one transaction and returns
  // how many live notes there were.
  virtual result<std::int64_t> remove_all(account_id owner) = 0;

  // Where reads are kept while `owner`'s notes stay unchanged, and their state now: nothing
  // when the dialect cannot tell now. SQLite tells the state of the whole file from memory;
  // PostgreSQL asks the database for the owner's change stamp (a query), so it answers
  // nothing for a read that is `one_query` itself.
  struct unchanged {
    unchanged_reads& reads;
    wal_stamp at;
    // Keeps `reads` alive while plans that are replaced on a reconnect hold it (PostgreSQL's);
    // empty for SQLite's, which live as long as the repository (a copy of the pointer would
    // cost every read two atomic operations on a count all the file's connections share).
    std::shared_ptr<unchanged_reads> keeps;
  };
  virtual std::optional<unchanged> unchanged_now(account_id /*owner*/, bool /*one_query*/) {
    return std::nullopt;
  }
};

// Reads kept while an owner's notes are unchanged, shared by this process's repositories on one
// PostgreSQL database (named by its server, port, name, user and options): one owner's state at
// a time (reading another owner's notes forgets the first's), within unchanged_reads::kept_bytes.
std::shared_ptr<unchanged_reads> postgresql_kept_reads(const database_config& config);

struct dialect {
  database_kind kind;
  transaction_sql transactions;
  // The size in bytes of the TEXT column `content`, in SQL.
  const char* content_bytes;
  // Whether its plans' write_then returns without waiting for the database.
  bool hands_off_writes;
  // The dialect's plans on the connection `common` was prepared on.
  std::unique_ptr<dialect_plans> (*prepare)(note_statements& common,
                                            const database_config& config);
};

// Each defined in its own file.
extern const dialect sqlite_dialect;
extern const dialect postgresql_dialect;

// The dialect of `kind`; every kind has one.
const dialect& dialect_for(database_kind kind);

}  // namespace notes::storage::detail
