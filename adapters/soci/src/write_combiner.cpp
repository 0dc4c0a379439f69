#include "write_combiner.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <stdexcept>
#include <utility>

#include "connection.hpp"
#include "error_mapping.hpp"
#include "sqlite_statements.hpp"

namespace notes::storage::detail {
namespace {

// Every combiner alive in this process, by the file it writes.
struct combiner_registry {
  std::mutex mutex;
  std::map<std::pair<dev_t, ino_t>, std::weak_ptr<write_combiner>> by_file;
};

combiner_registry& registry() {
  static combiner_registry instance;
  return instance;
}

// Set while this thread runs handed-off writes' completions: a write they made and waited for
// would wait for the batch this thread leads, so they may make none.
thread_local bool completing = false;

}  // namespace

write_combiner::write_combiner(std::string absolute_path, file_identity identity)
    : path_(std::move(absolute_path)),
      identity_(identity),
      wal_(identify(path_ + "-wal")),
      shm_(identify(path_ + "-shm")) {}

// SQLite keeps the -wal and -shm of a database file that was deleted or replaced when its last
// connection closes, without checkpointing. Left at the path, they would be taken for those of
// the file found there next (a restored backup, or the empty database the next start creates),
// and that file would read this one's pages. So they go, if they still are this file's; its
// last repositories are closing (their connections close right after).
write_combiner::~write_combiner() {
  // Every handed-off write was answered: the committer leads while any waits.
  {
    std::scoped_lock lock(mutex_);
    committer_stop_ = true;
  }
  committer_wake_.notify_one();
  if (committer_.joinable()) committer_.join();
  committer_writer_.reset();
  checkpointer_seen_.store(nullptr);
  checkpointer_.reset();
  if (identify(path_) == identity_) return;
  if (wal_ && identify(path_ + "-wal") == wal_) ::unlink((path_ + "-wal").c_str());
  if (shm_ && identify(path_ + "-shm") == shm_) ::unlink((path_ + "-shm").c_str());
}

std::shared_ptr<write_combiner> write_combiner::for_file(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    throw std::runtime_error("cannot stat '" + path + "': " + std::strerror(errno));
  }
  combiner_registry& r = registry();
  std::scoped_lock lock(r.mutex);
  std::erase_if(r.by_file, [](const auto& entry) { return entry.second.expired(); });
  auto& slot = r.by_file[{info.st_dev, info.st_ino}];
  auto combiner = slot.lock();
  if (!combiner) {
    combiner = std::make_shared<write_combiner>(absolute_path(path),
                                                file_identity{info.st_dev, info.st_ino});
    slot = combiner;
  }
  return combiner;
}

std::vector<std::shared_ptr<write_combiner>> write_combiner::opened_through(
    const std::string& path) {
  const std::string absolute = absolute_path(path);
  std::vector<std::shared_ptr<write_combiner>> found;
  combiner_registry& r = registry();
  std::scoped_lock lock(r.mutex);
  for (const auto& [file, weak] : r.by_file) {
    if (auto combiner = weak.lock(); combiner && combiner->path_ == absolute) {
      found.push_back(std::move(combiner));
    }
  }
  return found;
}

result<void> write_combiner::check_files_opened_through(const std::string& path) {
  for (const auto& combiner : opened_through(path)) {
    if (auto same = check_same_file(combiner->path_, combiner->identity_); !same) return same;
  }
  return {};
}

write_combiner::batch_totals write_combiner::batches_through(const std::string& path) {
  batch_totals totals;
  for (const auto& combiner : opened_through(path)) {
    totals.batches += combiner->batches_.load(std::memory_order_relaxed);
    totals.writes += combiner->batched_writes_.load(std::memory_order_relaxed);
    if (const auto* checkpointer = combiner->checkpointer_seen_.load(std::memory_order_acquire)) {
      const auto counts = checkpointer->so_far();
      totals.checkpoints.beside += counts.beside;
      totals.checkpoints.by_writers += counts.by_writers;
    }
    const auto& moves = combiner->moves_;
    totals.moves.search += moves.search.load(std::memory_order_relaxed);
    totals.moves.search_deferred += moves.search_deferred.load(std::memory_order_relaxed);
    totals.moves.revisions += moves.revisions.load(std::memory_order_relaxed);
    totals.moves.revisions_deferred += moves.revisions_deferred.load(std::memory_order_relaxed);
  }
  return totals;
}

void write_combiner::abandon_writes_through(const std::string& path) {
  for (const auto& combiner : opened_through(path)) combiner->abandoned_.store(true);
}

result<void> write_combiner::submit(sqlite_statements& own, std::string_view doing,
                                    const work& w) {
  if (completing) {
    return make_error(error_code::storage_failure,
                      std::string(doing) + " failed: a write's completion cannot write");
  }
  pending me;
  me.w = &w;
  me.doing = doing;
  me.arrived = std::chrono::steady_clock::now();
  me.busy_timeout = own.busy_timeout;
  std::unique_lock lock(mutex_);
  queue_.push_back(&me);
  if (leading_) {
    me.wake.wait(lock, [&] { return me.now != state::queued; });
    if (me.now == state::done) return std::move(me.outcome);
  }
  // Whoever leads is first in the queue: it was empty, or the last leader passed the lead on.
  leading_ = true;
  const std::vector<pending*> batch = take_batch();
  lock.unlock();
  {
    // The batch is in order of arrival.
    busy_wait_limit limit(abandoned_, batch.front()->arrived, batch.front()->busy_timeout);
    lead(own, batch);
  }
  lock.lock();
  settle(lock, own, batch, &me);
  pass_lead();
  return std::move(me.outcome);
}

void write_combiner::open_writer(const writer_opener& open,
                                 const session_opener& open_checkpointer) {
  std::scoped_lock start(committer_start_);
  if (committer_writer_) return;
  start_checkpointer(open_checkpointer);
  auto committer = open();
  checkpointer_->watch(committer->statements().common.session);
  committer_writer_ = std::move(committer);
}

void write_combiner::start_checkpointer(const session_opener& open) {
  if (checkpointer_) return;
  checkpointer_ = std::make_unique<wal_checkpointer>(open());
  checkpointer_seen_.store(checkpointer_.get(), std::memory_order_release);
}

void write_combiner::watch_commits(soci::session& connection,
                                   const session_opener& open_checkpointer, bool batches) {
  std::scoped_lock start(committer_start_);
  start_checkpointer(open_checkpointer);
  checkpointer_->watch(connection, batches);
}

void write_combiner::unwatch_commits(soci::session& connection) noexcept {
  wal_checkpointer::unwatch(connection);
}

void write_combiner::submit_then(std::string_view doing, owned_work w, completion done,
                                 std::chrono::milliseconds busy_timeout) {
  if (completing) {
    return done(make_error(error_code::storage_failure,
                           std::string(doing) + " failed: a write's completion cannot write"));
  }
  if (!committer_started_.load(std::memory_order_acquire)) {
    std::scoped_lock start(committer_start_);
    if (!committer_writer_) {
      return done(make_error(error_code::storage_failure,
                             std::string(doing) + " failed: the writer has no connection"));
    }
    if (!committer_started_.load(std::memory_order_relaxed)) {
      committer_ = std::thread([this] { commit_handed_off(); });
      committer_started_.store(true, std::memory_order_release);
    }
  }
  auto handed = std::make_unique<pending>();
  handed->owned = std::move(w);
  handed->done = std::move(done);
  handed->doing = doing;
  handed->arrived = std::chrono::steady_clock::now();
  handed->busy_timeout = busy_timeout;
  std::unique_lock lock(mutex_);
  if (handed_off_ >= max_handed_off) {
    lock.unlock();
    return handed->done(make_error(
        error_code::unavailable,
        std::string(doing) + " failed: too many writes are waiting; try again in a moment"));
  }
  queue_.push_back(handed.release());
  ++handed_off_;
  if (!leading_) {
    leading_ = true;
    committer_leads_ = true;
    lock.unlock();
    committer_wake_.notify_one();
  }
}

std::vector<write_combiner::pending*> write_combiner::take_batch() {
  const auto end = queue_.begin() + static_cast<std::ptrdiff_t>(std::min(queue_.size(), max_batch));
  std::vector<pending*> batch(queue_.begin(), end);
  queue_.erase(queue_.begin(), end);
  return batch;
}

void write_combiner::settle(std::unique_lock<std::mutex>& lock, sqlite_statements& own,
                            const std::vector<pending*>& batch, const pending* self) {
  std::vector<std::unique_ptr<pending>> handed;
  for (pending* p : batch) {
    if (p == self) continue;
    if (p->done) {
      handed.emplace_back(p);
      continue;
    }
    // Under the lock: a waiter can only return, and destroy its `pending`, once it is released.
    p->now = state::done;
    p->wake.notify_one();
  }
  handed_off_ -= handed.size();
  const bool drain_now = !abandoned_.load() && drain_due(batch.size());
  lock.unlock();
  completing = true;
  for (auto& p : handed) {
    try {
      p->done(std::move(p->outcome));
    } catch (...) {
      // A completion that throws (out of memory) loses its own answer only.
    }
  }
  handed.clear();
  completing = false;
  const bool drained = drain_now && drain(own);
  lock.lock();
  if (drained) writes_since_drain_ = 0;
}

void write_combiner::pass_lead() {
  if (queue_.empty()) {
    leading_ = false;
  } else if (queue_.front()->done) {
    committer_leads_ = true;
    committer_wake_.notify_one();
  } else {
    queue_.front()->now = state::lead;
    queue_.front()->wake.notify_one();
  }
}

void write_combiner::commit_handed_off() {
  sqlite_statements& own = committer_writer_->statements();
  std::unique_lock lock(mutex_);
  for (;;) {
    committer_wake_.wait(lock, [&] { return committer_leads_ || committer_stop_; });
    if (!committer_leads_) return;
    // Leads while writes wait: a caller waiting is answered by these batches too.
    while (!queue_.empty()) {
      const std::vector<pending*> batch = take_batch();
      lock.unlock();
      {
        busy_wait_limit limit(abandoned_, batch.front()->arrived, batch.front()->busy_timeout);
        lead(own, batch);
      }
      lock.lock();
      settle(lock, own, batch, nullptr);
    }
    committer_leads_ = false;
    leading_ = false;
  }
}

result<void> write_combiner::run_unbatched(std::string_view doing,
                                           const std::function<result<void>()>& w,
                                           std::chrono::milliseconds lock_wait) {
  if (abandoned_.load()) {
    return make_error(error_code::unavailable,
                      std::string(doing) + " failed: the server is stopping");
  }
  if (auto same = check_same_file(path_, identity_); !same) return same;
  busy_wait_limit limit(abandoned_, std::chrono::steady_clock::time_point::max(), lock_wait);
  auto outcome = w();
  if (outcome) {
    if (auto same = check_same_file(path_, identity_); !same) return same;
  }
  return outcome;
}

void write_combiner::lead(sqlite_statements& own, const std::vector<pending*>& batch) noexcept {
  if (abandoned_.load()) {
    for (pending* p : batch) {
      p->outcome = make_error(error_code::unavailable,
                              std::string(p->doing) + " failed: the server is stopping");
    }
    return;
  }
  // Before: a write into a file that is no longer the database is not even made (moved back,
  // the file would otherwise hold writes that were refused). After the COMMIT: one that went
  // into a file deleted meanwhile is not acknowledged.
  if (auto same = check_same_file(path_, identity_); !same) {
    for (pending* p : batch) p->outcome = std::unexpected(same.error());
    return;
  }
  run_batch(own, batch);
  if (auto same = check_same_file(path_, identity_); !same) {
    for (pending* p : batch) {
      if (p->outcome) p->outcome = std::unexpected(same.error());
    }
  }
}

bool write_combiner::drain_due(std::size_t writes) noexcept {
  writes_since_drain_ += writes;
  const auto now = std::chrono::steady_clock::now();
  if (writes_since_drain_ < drain_after_writes && now - last_drain_ < drain_after_time) {
    return false;
  }
  // A move that fails keeps the count of writes: a later leader tries again.
  last_drain_ = now;
  return true;
}

bool write_combiner::drain(sqlite_statements& own) noexcept {
  // A failure leaves the queue as it was, for a later leader; search reads it either way.
  static const std::atomic<bool> at_once{true};
  busy_wait_limit no_wait(at_once);
  try {
    transaction_scope transaction(own.common.transactions, transaction_scope::mode::write);
    own.drain_search_queue();
    transaction.commit();
    ++own.commits;
  } catch (...) {
    moves_.search_deferred.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  moves_.search.fetch_add(1, std::memory_order_relaxed);
  // Apart, so that a failure here never holds the search queue back. A revision that waits
  // longer costs nothing but the queue's few pages: reads search both.
  bool due = false;
  try {
    due = own.revisions_queued() >= move_revisions_at;
    if (due) {
      transaction_scope transaction(own.common.transactions, transaction_scope::mode::write);
      own.move_revision_queue();
      transaction.commit();
      ++own.commits;
      moves_.revisions.fetch_add(1, std::memory_order_relaxed);
    }
  } catch (...) {
    if (due) moves_.revisions_deferred.fetch_add(1, std::memory_order_relaxed);
  }
  return true;
}

// Runs every write of `writes` in the open transaction, each inside a savepoint unless it is
// alone; returns the write after which SQLite dropped the whole transaction, if one did.
write_combiner::pending* write_combiner::run_writes(sqlite_statements& own,
                                                    const std::vector<pending*>& writes) {
  const database_kind kind = own.common.kind;
  const bool alone = writes.size() == 1;
  for (pending* p : writes) {
    if (!alone) run_prepared(own.savepoint, kind);
    try {
      p->outcome = p->w != nullptr ? (*p->w)(own) : p->owned(own);
    } catch (const std::exception& failure) {
      p->outcome = std::unexpected(translate(failure, kind, false, p->doing));
    }
    // SQLite rolled the whole transaction back (disk full, I/O error, ...).
    if (!in_transaction(own.common.session, kind)) return p;
    if (alone) continue;
    if (!p->outcome) run_prepared(own.rollback_to_savepoint, kind);
    run_prepared(own.release_savepoint, kind);
  }
  return nullptr;
}

void write_combiner::run_batch(sqlite_statements& own,
                               const std::vector<pending*>& batch) noexcept {
  const database_kind kind = own.common.kind;
  std::vector<pending*> remaining = batch;
  while (!remaining.empty()) {
    try {
      transaction_scope transaction(own.common.transactions, transaction_scope::mode::write);
      if (pending* lost = run_writes(own, remaining)) {
        // That write keeps its error; the others, undone with it, run again in a new
        // transaction. Each round settles at least one write, so this ends.
        if (lost->outcome) {
          lost->outcome = make_error(error_code::storage_failure,
                                     std::string(lost->doing) + " failed: rolled back");
        }
        std::erase(remaining, lost);
        continue;
      }
      // A write alone that failed is rolled back by `transaction`.
      if (remaining.size() == 1 && !remaining.front()->outcome) return;
      transaction.commit();
      ++own.commits;
      batches_.fetch_add(1, std::memory_order_relaxed);
      batched_writes_.fetch_add(std::ranges::count_if(remaining, [](const pending* p) {
                                  return p->outcome.has_value();
                                }),
                                std::memory_order_relaxed);
      return;
    } catch (const std::exception& failure) {
      // BEGIN, a savepoint or COMMIT failed: nothing of the batch is committed. Writes that
      // failed on their own keep their own error.
      for (pending* p : remaining) {
        if (p->outcome) p->outcome = std::unexpected(translate(failure, kind, false, p->doing));
      }
      return;
    } catch (...) {
      for (pending* p : remaining) {
        if (p->outcome) {
          p->outcome = make_error(error_code::storage_failure,
                                  std::string(p->doing) + " failed: unknown exception");
        }
      }
      return;
    }
  }
}

}  // namespace notes::storage::detail
