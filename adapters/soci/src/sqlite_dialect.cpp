// SQLite's plans: writes through the file's write combiner, list pages from remembered
// positions, list and tag totals remembered, search over the trigram index and its queue with
// two page plans, imports that move the queue into the index.
#include "dialect.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include <soci/sqlite3/soci-sqlite3.h>

#include "batched_wal_vfs.hpp"
#include "notes/text.hpp"
#include "sqlite_statements.hpp"
#include "write_combiner.hpp"

namespace notes::storage::detail {
namespace {

// One FTS5 string: inside double quotes everything is literal except a doubled quote.
std::string fts_phrase(std::string_view needle) {
  std::string phrase = "\"";
  for (char c : needle) {
    if (c == '"') phrase += '"';
    phrase += c;
  }
  return phrase + "\"";
}

// Sorting every match costs about as much per match as walking notes_newest costs per eight
// notes passed; the walk passes about (offset + limit) * notes / matches of them. With 1,000
// matches in 100,000 notes the first page takes 0.35 ms walking against 1.3-1.9 ms sorting;
// with 5 matches the walk takes 20 ms against 5 ms. The highest id stands in for the number of
// the owner's notes (deleted notes and other owners' only make the walk look dearer than it
// is: the walk passes the owner's notes alone).
bool walk_pays(page_request page, std::int64_t matches, std::int64_t newest_id) {
  const double passed = static_cast<double>(page.offset() + page.limit()) *
                        static_cast<double>(newest_id) / static_cast<double>(matches);
  return passed <= 8.0 * static_cast<double>(matches);
}

class sqlite_plans final : public dialect_plans {
 public:
  sqlite_plans(note_statements& common, const database_config& config)
      : own_(common, config),
        combiner_(write_combiner::for_file(config.path)),
        index_(wal_index_view::of(common.session, config.sqlite_vfs.empty())) {
    const auto open_checkpointer = [&config] { return open_session(config, open_mode::existing); };
    combiner_->open_writer([&config] { return std::make_unique<writer>(config); },
                           open_checkpointer);
    combiner_->watch_commits(own_.common.session, open_checkpointer);
    // 1 MiB of pages instead of SQLite's 2: another connection's commit empties the cache at
    // this one's next read, and while nothing is committed, reads read again are kept whole
    // (unchanged_reads). A connection per thread of the server; 256 connections on the HTML
    // list: 1.5-2 MiB less at the peak.
    own_.common.session << "PRAGMA cache_size = -1024";
  }
  ~sqlite_plans() override { write_combiner::unwatch_commits(own_.common.session); }
  sqlite_plans(const sqlite_plans&) = delete;
  sqlite_plans& operator=(const sqlite_plans&) = delete;

  result<void> write(std::string_view doing, const write_work& work) override {
    return combiner_->submit(own_, doing,
                             [&work](sqlite_statements& leader) { return work(leader.common); });
  }

  void write_then(std::string_view doing, owned_write_work work, write_completion done) override {
    combiner_->submit_then(
        doing,
        [work = std::move(work)](sqlite_statements& leader) mutable { return work(leader.common); },
        std::move(done), own_.busy_timeout);
  }

  // The combiner runs every write in a transaction already, and undoes one that fails.
  result<void> write_together(std::string_view doing, const write_work& work) override {
    return write(doing, work);
  }

  note_page list(list_order order, page_request page) override {
    note_statements& common = own_.common;
    note_page out;
    out.total = total();
    // The positions are kept for the orders by creation only; by change the deferred join
    // serves every page.
    if (order == list_order::pinned_recently_updated) {
      if (out.total > page.offset()) {
        out.notes = common.fetch_page(common.list_page(order), page.limit(), page.offset());
      }
      return out;
    }
    // Asked for pages past the end too: every page asked for counts towards learning the
    // positions.
    const auto start =
        own_.read_cache.page_start(common.in.owner, order, page.offset(), common.session);
    if (out.total <= page.offset()) return out;
    if (!start) {
      out.notes = common.fetch_page(common.list_page(order), page.limit(), page.offset());
      return out;
    }
    own_.from = start->from;
    soci::statement& rows =
        order == list_order::pinned_first ? own_.list_pinned_from : own_.list_newest_from;
    out.notes = common.fetch_page(rows, page.limit(), start->skip);
    return out;
  }

  note_page list_after(list_order order, std::int64_t limit) override {
    note_statements& common = own_.common;
    note_page out;
    out.total = total();
    out.notes = common.fetch_page(common.list_after_page(order), limit, 0);
    return out;
  }

  // The tag's total and, once learned, where its pages start are remembered for the state of
  // the database, like the list's; a page from a start reads from after that note.
  note_page list_tag(const std::string& tag, list_order order, page_request page,
                     bool after) override {
    note_statements& common = own_.common;
    common.one_tag = tag;
    const std::int64_t total = tag_total();
    if (after || total <= page.offset()) return one_tag_notes(common, total, order, page, after);
    const auto start = own_.read_cache.tag_page_start(common.in.owner, tag, order, page.offset(),
                                                      total, common.session);
    if (!start) return one_tag_notes(common, total, order, page, false);
    common.in.after_pinned = static_cast<int>(start->from.pinned);
    common.in.after_time = start->from.created_at;
    common.in.after_id = start->from.id;
    return {.notes = common.fetch_page(common.one_tag_page(order, true), page.limit(), start->skip),
            .total = total};
  }

  note_page search(const std::string& needle, page_request page) override {
    own_.needle = needle;
    if (text::code_point_count(needle) < 3) return short_search(page);
    own_.phrase = fts_phrase(needle);
    note_statements& common = own_.common;
    observe_state();
    auto known = own_.read_cache.search_page(common.in.owner, needle, own_.phrase, page,
                                             common.session);
    if (known.kept) return {.notes = find_all(known.ids), .total = known.total};
    // More matches than the read cache keeps: the page straight from SQL.
    note_page out;
    out.total = known.total;
    if (out.total <= page.offset()) return out;
    const bool walk = walk_pays(page, out.total, common.fetch_number(own_.newest_id));
    out.notes = common.fetch_page(walk ? own_.search_walk : own_.search_page, page.limit(),
                                  page.offset());
    return out;
  }

  // Of the whole file, whoever the owner. Not inside a transaction of this connection's own:
  // its snapshot may be older than the header says.
  std::optional<unchanged> unchanged_now(account_id /*owner*/, bool /*one_query*/) override {
    if (!index_ || sqlite_api::sqlite3_txn_state(sqlite_handle(own_.common.session), "main") !=
                       SQLITE_TXN_NONE) {
      return std::nullopt;
    }
    const auto at = index_->now();
    if (!at) return std::nullopt;
    return unchanged{combiner_->reads(), *at, nullptr};
  }

  // Remembered for the state of the database, like the list's total: the HTML list shows
  // them on every page.
  std::vector<tag_count> tag_counts() override {
    note_statements& common = own_.common;
    observe_state();
    if (const auto* known = own_.read_cache.tags(common.in.owner)) return *known;
    auto counted = detail::tag_counts(common);
    own_.read_cache.remember_tags(common.in.owner, counted);
    return counted;
  }

  // In the combiner's transaction, like any write; the queue is moved in the same one, in bulk,
  // which is the cheapest way.
  result<void> import(const note_archive& archive) override {
    const write_combiner::work work = [&](sqlite_statements& leader) -> result<void> {
      auto highest = insert_keeping_ids(leader.common, archive);
      if (!highest) return std::unexpected(std::move(highest.error()));
      leader.drain_search_queue();
      return {};
    };
    return combiner_->submit(own_, "import notes", work);
  }

  // The delete trigger queues every removed note's index entries; they are moved out in the
  // same transaction, as an import moves its notes in, so that an account's thousands of notes
  // do not wait in the queue that every search scans.
  result<std::int64_t> remove_all(account_id owner) override {
    std::int64_t removed = 0;
    const write_combiner::work work = [&](sqlite_statements& leader) -> result<void> {
      removed = detail::remove_all(leader.common, owner);
      leader.drain_search_queue();
      return {};
    };
    auto done = combiner_->submit(own_, "delete notes", work);
    if (!done) return std::unexpected(std::move(done.error()));
    return removed;
  }

 private:
  // Call first in a read that uses the read cache: it forgets all it knew once the database is
  // no longer in the state it describes.
  void observe_state() {
    own_.read_cache.observe(own_.common.fetch_number(own_.data_version), own_.commits);
  }

  // The owner's total, remembered for the state of the database the read cache describes.
  std::int64_t total() {
    note_statements& common = own_.common;
    observe_state();
    const account_id owner = common.in.owner;
    if (auto known = own_.read_cache.total(owner)) return *known;
    const std::int64_t counted = common.fetch_number(common.count);
    own_.read_cache.remember_total(owner, counted);
    return counted;
  }

  // The total of the owner's notes carrying common.one_tag, remembered likewise.
  std::int64_t tag_total() {
    note_statements& common = own_.common;
    observe_state();
    const account_id owner = common.in.owner;
    if (auto known = own_.read_cache.tag_total(owner, common.one_tag)) return *known;
    const std::int64_t counted = common.fetch_number(common.one_tag_count);
    own_.read_cache.remember_tag_total(owner, common.one_tag, counted);
    return counted;
  }

  // The notes with these ids, in this order (in the caller's read transaction: all there).
  std::vector<note> find_all(std::span<const long long> ids) {
    note_statements& common = own_.common;
    std::vector<note> out;
    out.reserve(ids.size());
    for (const long long id : ids) {
      common.in.id = id;
      if (common.fetch_one(common.find)) out.push_back(common.row.to_note());
    }
    return out;
  }

  // Needles of one or two code points, whose queued and indexed notes instr() reads alike.
  note_page short_search(page_request page) {
    note_statements& common = own_.common;
    note_page out;
    out.total = common.fetch_number(own_.short_search_count);
    if (out.total > page.offset()) {
      out.notes = common.fetch_page(own_.short_search_page, page.limit(), page.offset());
    }
    return out;
  }

  // The combiner's committer writes on a connection of its own, opened as this one was, with a
  // page cache of 8 MiB instead of 2: a change reads its note and writes it, its index entries
  // and its revision at random pages, and the committer writes nearly everything, so its cache
  // stays valid (another connection's commit empties it). PUT of random notes: 7-10% more
  // changes per second on the development machine; the memory is taken only as pages are read.
  // It opens through batched_wal_vfs (of the VFS the file is configured with): it writes nearly
  // every commit, so its WAL frames go out in one write per commit instead of two per page.
  class writer final : public write_combiner::writer {
   public:
    explicit writer(const database_config& config)
        : session_(open_session(with_batched_wal(config), open_mode::existing)),
          common_(*session_, config.kind, sqlite_dialect.transactions,
                  sqlite_dialect.content_bytes),
          own_(common_, config) {
      *session_ << "PRAGMA cache_size = -8192";
    }
    sqlite_statements& statements() noexcept override { return own_; }

   private:
    static database_config with_batched_wal(database_config config) {
      config.sqlite_vfs = batched_wal_vfs(config.sqlite_vfs);
      return config;
    }

    std::unique_ptr<soci::session> session_;
    note_statements common_;
    sqlite_statements own_;
  };

  sqlite_statements own_;
  std::shared_ptr<write_combiner> combiner_;
  std::optional<wal_index_view> index_;  // this connection's view of the file's WAL index
};

std::unique_ptr<dialect_plans> prepare_sqlite(note_statements& common,
                                              const database_config& config) {
  return std::make_unique<sqlite_plans>(common, config);
}

}  // namespace

// Write transactions start with BEGIN IMMEDIATE: a deferred BEGIN (SOCI's begin()) upgrades
// to a writer only at the first write and then fails with SQLITE_BUSY without waiting when
// another writer got there first.
const dialect sqlite_dialect{
    database_kind::sqlite, {.begin_read = "BEGIN", .begin_write = "BEGIN IMMEDIATE"},
    // length() of TEXT counts characters; octet_length() is newer than SQLite 3.40.
    "length(CAST(content AS BLOB))", true, prepare_sqlite};

}  // namespace notes::storage::detail
