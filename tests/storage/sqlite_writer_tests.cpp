// Writers on one SQLite file: those of one process take turns without SQLite's busy handler,
// another process's lock is waited for closely, and the WAL does not grow without bound.
#include <doctest/doctest.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <future>
#include <fstream>
#include <iterator>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "storage_test_support.hpp"
#include "write_combiner.hpp"

using namespace notes;
using namespace notes::storage;
using notes::test::at;
using notes::test::make_note;
using namespace std::chrono_literals;

namespace {

// Creates from several threads, each on its own repository (opened beforehand, one per
// config); returns how many creates failed and the first failure's message.
std::pair<int, std::string> create_in_parallel(const std::vector<database_config>& configs,
                                               int notes_per_thread) {
  std::vector<std::unique_ptr<soci_note_repository>> repos;
  for (const auto& config : configs) repos.push_back(test::open_or_fail(config));
  std::atomic<int> failed{0};
  std::string first_failure;
  std::mutex failure_mutex;
  {
    std::vector<std::jthread> threads;
    for (std::size_t t = 0; t < repos.size(); ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < notes_per_thread; ++i) {
          auto created = repos[t]->create(
              make_note("thread " + std::to_string(t), "note " + std::to_string(i), at(i)));
          if (!created) {
            std::scoped_lock lock(failure_mutex);
            if (failed++ == 0) first_failure = created.error().message;
          }
        }
      });
    }
  }
  return {failed.load(), first_failure};
}

// The frames of the current WAL generation (those with the WAL header's salts), in order: each
// frame's page, and whether it ends a commit (its header carries the database size after it).
struct wal_frame {
  std::uint32_t page;
  bool commit;
};
std::vector<wal_frame> frames_in_wal(const std::string& path) {
  std::ifstream in(path + "-wal", std::ios::binary);
  std::vector<unsigned char> wal((std::istreambuf_iterator<char>(in)), {});
  const auto u32 = [&](std::size_t at) {
    return std::uint32_t{wal[at]} << 24 | std::uint32_t{wal[at + 1]} << 16 |
           std::uint32_t{wal[at + 2]} << 8 | std::uint32_t{wal[at + 3]};
  };
  std::vector<wal_frame> frames;
  if (wal.size() < 32) return frames;
  const std::size_t page_size = u32(8);
  for (std::size_t frame = 32; frame + 24 + page_size <= wal.size(); frame += 24 + page_size) {
    if (u32(frame + 8) != u32(16) || u32(frame + 12) != u32(20)) break;
    frames.push_back({u32(frame), u32(frame + 4) != 0});
  }
  return frames;
}

// Transactions committed in the current WAL generation.
int commits_in_wal(const std::string& path) {
  return static_cast<int>(std::ranges::count_if(frames_in_wal(path), &wal_frame::commit));
}

// The pages of the frames in the current WAL generation, in order.
std::vector<std::uint32_t> pages_in_wal(const std::string& path) {
  std::vector<std::uint32_t> pages;
  for (const wal_frame& f : frames_in_wal(path)) pages.push_back(f.page);
  return pages;
}

}  // namespace

TEST_CASE("writes queued behind a busy one commit together, and a failing one is undone alone") {
  // Another process holds the lock: the first writer waits in BEGIN, the next ones queue behind
  // it, and run together once it committed.
  test::sqlite_database db;
  auto config = db.config;
  config.busy_timeout = 10s;
  const note existing =
      test::open_or_fail(config)->create(make_note("existing", "x", at(1))).value();
  std::vector<std::unique_ptr<soci_note_repository>> repos;
  for (int i = 0; i < 5; ++i) repos.push_back(test::open_or_fail(config));
  const int commits_before = commits_in_wal(db.config.path);

  test::sqlite_lock_holder other_process(db.config.path);
  result<note> first = std::unexpected(error{});
  result<note> a = std::unexpected(error{});
  result<note> d = std::unexpected(error{});
  result<void> failed_import;
  result<note> stale_update = std::unexpected(error{});
  {
    std::vector<std::jthread> writers;
    writers.emplace_back([&] { first = repos[0]->create(make_note("first", "x", at(2))); });
    std::this_thread::sleep_for(100ms);
    writers.emplace_back([&] { a = repos[1]->create(make_note("a", "x", at(3))); });
    writers.emplace_back([&] {
      // Inserts note 500, then finds the existing id: all of it must be undone.
      note fresh = make_note("imported", "x", at(4));
      fresh.id = 500;
      note clash = make_note("clash", "x", at(5));
      clash.id = existing.id;
      failed_import = repos[2]->import(std::vector<note>{fresh, clash});
    });
    writers.emplace_back([&] {
      note changed = existing;
      changed.title = "stale";
      stale_update = repos[3]->update(changed, 7, 0);
    });
    writers.emplace_back([&] { d = repos[4]->create(make_note("d", "x", at(6))); });
    std::this_thread::sleep_for(300ms);
    other_process.release();
  }
  REQUIRE(first.has_value());
  REQUIRE(a.has_value());
  REQUIRE(d.has_value());
  REQUIRE_FALSE(failed_import.has_value());
  CHECK(failed_import.error().code == error_code::conflict);
  REQUIRE_FALSE(stale_update.has_value());
  CHECK(stale_update.error().code == error_code::conflict);

  auto check = test::open_or_fail(db.config);
  CHECK(check->count(no_account).value() == 4);
  CHECK_FALSE(check->find(no_account, 500).value().has_value());
  CHECK(check->find(no_account, existing.id).value()->title == "existing");
  CHECK(check->find(no_account, a->id).value()->title == "a");
  CHECK(check->find(no_account, d->id).value()->title == "d");
  CHECK(commits_in_wal(db.config.path) - commits_before == 2);
}

TEST_CASE("writers of one process on one file never meet SQLite's lock, even with no timeout") {
  // A busy timeout of 0 fails any write that finds the lock taken; only the per-file gate keeps
  // these four threads apart.
  test::sqlite_database db;
  auto config = db.config;
  config.busy_timeout = 0ms;
  const auto [failed, message] = create_in_parallel({config, config, config, config}, 100);
  CHECK_MESSAGE(failed == 0, message);
  CHECK(test::open_or_fail(db.config)->count(no_account).value() == 400);
}

TEST_CASE("repositories naming one file by different paths share its write gate") {
  test::sqlite_database db;
  const auto dir = std::filesystem::path(db.config.path).parent_path();
  std::filesystem::create_symlink(db.config.path, dir / "link.db");
  std::vector<database_config> configs = {
      test::sqlite_config(db.config.path), test::sqlite_config(dir / "." / "notes.db"),
      test::sqlite_config(dir / "link.db")};
  for (auto& config : configs) config.busy_timeout = 0ms;
  const auto [failed, message] = create_in_parallel(configs, 100);
  CHECK_MESSAGE(failed == 0, message);
  CHECK(test::open_or_fail(db.config)->count(no_account).value() == 300);
}

// Far above the WAL's usual longest (restart_at frames of 4 KiB pages, and the commits made
// while the checkpointer's last pass ends, two syncs on a slow disk) and far below a WAL that
// never starts over (some 80 MiB in the first test below).
constexpr std::uintmax_t wal_bound =
    std::uintmax_t{2 * detail::wal_checkpointer::restart_at} * (4096 + 24);

// How many times the WAL started over: its header's checkpoint sequence number.
std::uint32_t wal_restarts(const std::string& path) {
  std::ifstream in(path + "-wal", std::ios::binary);
  unsigned char header[16] = {};
  if (!in.read(reinterpret_cast<char*>(header), sizeof header)) return 0;
  return std::uint32_t{header[12]} << 24 | std::uint32_t{header[13]} << 16 |
         std::uint32_t{header[14]} << 8 | std::uint32_t{header[15]};
}

TEST_CASE("the WAL starts over after checkpoints while two repositories keep writing") {
  // A checkpoint must copy every frame before the next write begins, or that write cannot
  // start the WAL over; run only beside the writers it never catches up, and the WAL grows by
  // every commit's pages (to some 80 MiB here).
  test::sqlite_database db;
  std::vector<std::unique_ptr<soci_note_repository>> repos;
  repos.push_back(test::open_or_fail(db.config));
  repos.push_back(test::open_or_fail(db.config));
  std::atomic<int> failed{0};
  {
    std::vector<std::jthread> writers;
    for (auto& repo : repos) {
      writers.emplace_back([&failed, &repo] {
        for (int i = 0; i < 2000; ++i) {
          if (!repo->create(make_note("note " + std::to_string(i), std::string(300, 'w'), at(i)))) {
            ++failed;
          }
        }
      });
    }
  }
  CHECK(failed == 0);
  const auto wal_size = std::filesystem::file_size(db.config.path + "-wal");
  MESSAGE("WAL: " << wal_size / 1024 << " KiB");
  CHECK(wal_size < wal_bound);
  CHECK(wal_restarts(db.config.path) > 0);
  CHECK(repos.front()->count(no_account).value() == 4000);
}

TEST_CASE("the WAL is copied back beside the writers, by a thread of its own, and still starts "
          "over") {
  test::sqlite_database db;
  auto repo = test::open_or_fail(db.config);
  REQUIRE(repo->hands_off_writes());
  // Handed off, like the server's: the committer writes batches while the checkpointer copies.
  constexpr int notes = 6000;
  std::mutex mutex;
  std::condition_variable answered;
  int done = 0;
  int failed = 0;
  for (int i = 0; i < notes; ++i) {
    repo->create_then(make_note("note " + std::to_string(i), std::string(900, 'a' + i % 26), at(i)),
                      [&](result<note> outcome) {
                        std::scoped_lock lock(mutex);
                        if (!outcome) ++failed;
                        ++done;
                        answered.notify_all();
                      });
    // At most a few hundred waiting, below the combiner's limit.
    std::unique_lock lock(mutex);
    answered.wait(lock, [&] { return i + 1 - done < 512; });
  }
  {
    std::unique_lock lock(mutex);
    REQUIRE(answered.wait_for(lock, 60s, [&] { return done == notes; }));
  }
  CHECK(failed == 0);
  const auto totals = write_batches_so_far(db.config).value();
  MESSAGE("checkpoints beside: " << totals.checkpoints_beside
                                 << ", by writers: " << totals.checkpoints_by_writers);
  CHECK(totals.checkpoints_beside > 0);
  // Started over: after the writer finished a copy, or (the committer idle for a moment) after
  // the thread's pass left nothing behind.
  CHECK(wal_restarts(db.config.path) > 0);
  const auto wal_size = std::filesystem::file_size(db.config.path + "-wal");
  MESSAGE("WAL: " << wal_size / 1024 << " KiB, started over " << wal_restarts(db.config.path)
                  << " times");
  CHECK(wal_size < wal_bound);
  CHECK(repo->count(no_account).value() == notes);
  // What the checkpoints copied is a sound database with every note, seen by a new connection.
  soci::session check(soci::sqlite3, db.config.path);
  std::string integrity;
  check << "PRAGMA integrity_check", soci::into(integrity);
  CHECK(integrity == "ok");
  int stored = 0;
  check << "SELECT count(*) FROM notes", soci::into(stored);
  CHECK(stored == notes);
}

TEST_CASE("handed-off creates return at once, are answered on the combiner's thread and commit "
          "together behind another process's lock, with a waiting writer among them") {
  test::sqlite_database db;
  auto config = db.config;
  config.busy_timeout = 10s;
  // Declared before the repositories, which answer the writes still queued when they close.
  constexpr int handed = 20;
  std::mutex mutex;
  std::condition_variable answered;
  std::vector<result<note>> outcomes;
  std::vector<std::thread::id> answered_on;
  auto repo = test::open_or_fail(config);
  auto other = test::open_or_fail(config);
  REQUIRE(repo->hands_off_writes());
  const auto batches_before = write_batches_so_far(config).value();
  const auto submit = [&](int i) {
    repo->create_then(make_note("handed " + std::to_string(i), "x", at(10 + i)),
                      [&](result<note> outcome) {
                        std::scoped_lock lock(mutex);
                        outcomes.push_back(std::move(outcome));
                        answered_on.push_back(std::this_thread::get_id());
                        answered.notify_all();
                      });
  };

  test::sqlite_lock_holder other_process(db.config.path);
  submit(0);
  result<note> waited = std::unexpected(error{});
  std::jthread writer([&] { waited = other->create(make_note("waiting", "x", at(5))); });
  std::this_thread::sleep_for(100ms);
  for (int i = 1; i < handed; ++i) submit(i);
  // Every call returned while the lock is still held: none waited for its write.
  {
    std::scoped_lock lock(mutex);
    CHECK(outcomes.empty());
  }
  other_process.release();
  writer.join();
  std::unique_lock lock(mutex);
  REQUIRE(answered.wait_for(lock, 10s, [&] { return outcomes.size() == handed; }));
  REQUIRE(waited.has_value());
  std::set<note_id> ids{waited->id};
  for (const auto& outcome : outcomes) {
    REQUIRE(outcome.has_value());
    ids.insert(outcome->id);
  }
  CHECK(ids.size() == handed + 1);
  for (const auto& thread : answered_on) CHECK(thread != std::this_thread::get_id());
  CHECK(test::open_or_fail(db.config)->count(no_account).value() == handed + 1);
  // The first write's batch, then one with every write that arrived while it waited.
  CHECK(write_batches_so_far(config).value().transactions - batches_before.transactions <= 2);
}

TEST_CASE("a handed-off write's completion cannot write: it would wait for its own batch") {
  test::sqlite_database db;
  std::promise<result<note>> written_from_completion;
  auto repo = test::open_or_fail(db.config);
  repo->create_then(make_note("first", "x", at(1)), [&](result<note> first) {
    CHECK(first.has_value());
    written_from_completion.set_value(repo->create(make_note("second", "x", at(2))));
  });
  auto future = written_from_completion.get_future();
  REQUIRE(future.wait_for(10s) == std::future_status::ready);
  const result<note> refused = future.get();
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == error_code::storage_failure);
  CHECK(repo->count(no_account).value() == 1);
}

TEST_CASE("a handed-off write beyond the combiner's queue is refused at once, the queued ones "
          "are stored") {
  test::sqlite_database db;
  auto config = db.config;
  config.busy_timeout = 10s;
  std::atomic<int> stored{0};
  std::atomic<int> failed{0};
  bool refused_at_once = false;
  error refusal;
  auto repo = test::open_or_fail(config);
  test::sqlite_lock_holder other_process(db.config.path);
  // The first writes' batch waits for the lock; the queue behind it then fills up.
  const auto limit = static_cast<int>(detail::write_combiner::max_handed_off);
  for (int i = 0; i < limit; ++i) {
    repo->create_then(make_note("n", "x", at(i)), [&](result<note> outcome) {
      (outcome ? stored : failed).fetch_add(1);
    });
  }
  repo->create_then(make_note("one too many", "x", at(0)), [&](result<note> outcome) {
    refused_at_once = !outcome.has_value();
    if (!outcome) refusal = outcome.error();
  });
  CHECK(refused_at_once);
  CHECK(refusal.code == error_code::unavailable);
  other_process.release();
  for (int waited = 0; stored.load() + failed.load() < limit && waited < 1000; ++waited) {
    std::this_thread::sleep_for(10ms);
  }
  CHECK(failed.load() == 0);
  CHECK(stored.load() == limit);
  CHECK(test::open_or_fail(db.config)->count(no_account).value() == limit);
}

TEST_CASE("a handed-off change that keeps the pin leaves the pinned order's index alone; one "
          "that changes it moves the note in that order") {
  test::sqlite_database db;
  auto repo = test::open_or_fail(db.config);
  REQUIRE(repo->hands_off_writes());
  const note older = repo->create(make_note("older", "x", at(1))).value();
  REQUIRE(repo->create(make_note("newer", "x", at(2))).has_value());
  std::uint32_t index_page = 0;
  {
    soci::session raw(soci::sqlite3, db.config.path);
    raw << "SELECT rootpage FROM sqlite_schema WHERE name = 'notes_pinned_newest'",
        soci::into(index_page);
  }
  REQUIRE(index_page > 0);
  // Changes the older note with `change`, handed off; the pages the commits since wrote.
  const auto change_then_pages = [&](auto change) {
    const std::size_t frames_before = pages_in_wal(db.config.path).size();
    std::promise<result<note>> done;
    repo->update_then(
        no_account, older.id,
        [change](const note& current) -> result<note> {
          note next = current;
          change(next);
          return next;
        },
        0, [&](result<note> outcome) { done.set_value(std::move(outcome)); });
    auto outcome = done.get_future();
    REQUIRE(outcome.wait_for(10s) == std::future_status::ready);
    REQUIRE(outcome.get().has_value());
    const auto pages = pages_in_wal(db.config.path);
    REQUIRE(pages.size() > frames_before);
    return std::set<std::uint32_t>(pages.begin() + static_cast<std::ptrdiff_t>(frames_before),
                                   pages.end());
  };
  const auto pinned_first = [&] {
    const note_page page = repo->list(no_account, list_order::pinned_first, {1, 10}, {}).value();
    std::vector<std::string> titles;
    for (const note& n : page.notes) titles.push_back(n.title);
    return titles;
  };

  CHECK(change_then_pages([](note& n) { n.title = "renamed"; }).count(index_page) == 0);
  CHECK(pinned_first() == std::vector<std::string>{"newer", "renamed"});
  CHECK(change_then_pages([](note& n) { n.is_pinned = true; }).count(index_page) == 1);
  CHECK(pinned_first() == std::vector<std::string>{"renamed", "newer"});
  CHECK(change_then_pages([](note& n) { n.content = "y"; }).count(index_page) == 0);
  CHECK(pinned_first() == std::vector<std::string>{"renamed", "newer"});
  CHECK(repo->find(no_account, older.id).value()->is_pinned);
  CHECK(change_then_pages([](note& n) { n.is_pinned = false; }).count(index_page) == 1);
  CHECK(pinned_first() == std::vector<std::string>{"newer", "renamed"});
  soci::session raw(soci::sqlite3, db.config.path);
  std::string integrity;
  raw << "PRAGMA integrity_check", soci::into(integrity);
  CHECK(integrity == "ok");
}
