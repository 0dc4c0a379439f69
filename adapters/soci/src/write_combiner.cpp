#include "write_combiner.hpp"

#include <sys/stat.h>

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

std::shared_ptr<write_combiner> write_combiner::for_file(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    throw std::runtime_error("cannot stat '" + path + "': " + std::strerror(errno));
  }
  static std::mutex registry_mutex;
  static std::map<std::pair<dev_t, ino_t>, std::weak_ptr<write_combiner>> registry;
  std::scoped_lock lock(registry_mutex);
  std::erase_if(registry, [](const auto& entry) { return entry.second.expired(); });
  auto& slot = registry[{info.st_dev, info.st_ino}];
  auto combiner = slot.lock();
  if (!combiner) {
    combiner = std::make_shared<write_combiner>();
    slot = combiner;
  }
  return combiner;
}

result<void> write_combiner::submit(sqlite_statements& own, std::string_view doing,
                                    const work& w) {
  pending me;
  me.w = &w;
  me.doing = doing;
  std::unique_lock lock(mutex_);
  queue_.push_back(&me);
  if (leading_) {
    me.wake.wait(lock, [&] { return me.now != state::queued; });
    if (me.now == state::done) return std::move(me.outcome);
  }
  // Whoever leads is first in the queue: it was empty, or the last leader passed the lead on.
  leading_ = true;
  const auto end = queue_.begin() + static_cast<std::ptrdiff_t>(std::min(queue_.size(), max_batch));
  const std::vector<pending*> batch(queue_.begin(), end);
  queue_.erase(queue_.begin(), end);
  lock.unlock();
  run_batch(own, batch);
  lock.lock();
  // Under the lock: a waiter can only return, and destroy its `pending`, once it is released.
  for (pending* p : batch) {
    if (p == &me) continue;
    p->now = state::done;
    p->wake.notify_one();
  }
  if (drain_due(batch.size())) {
    lock.unlock();
    drain(own);
    lock.lock();
  }
  if (queue_.empty()) {
    leading_ = false;
  } else {
    queue_.front()->now = state::lead;
    queue_.front()->wake.notify_one();
  }
  return std::move(me.outcome);
}

bool write_combiner::drain_due(std::size_t writes) noexcept {
  writes_since_drain_ += writes;
  const auto now = std::chrono::steady_clock::now();
  if (writes_since_drain_ < drain_after_writes && now - last_drain_ < drain_after_time) {
    return false;
  }
  writes_since_drain_ = 0;
  last_drain_ = now;
  return true;
}

void write_combiner::drain(sqlite_statements& own) noexcept {
  // A failure leaves the queue as it was, for the next leader; search reads it either way.
  try {
    transaction_scope transaction(own.common.transactions, transaction_scope::mode::write);
    own.drain_search_queue();
    transaction.commit();
    ++own.commits;
  } catch (...) {
  }
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
      p->outcome = (*p->w)(own);
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
