#include "wal_checkpointer.hpp"

#include <soci/sqlite3/soci-sqlite3.h>

#include "connection.hpp"

#include <system_error>
#include <utility>

namespace notes::storage::detail {

wal_checkpointer::wal_checkpointer(std::unique_ptr<soci::session> own) : own_(std::move(own)) {}

wal_checkpointer::~wal_checkpointer() {
  {
    std::scoped_lock lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void wal_checkpointer::watch(soci::session& writer, bool finishes) {
  sqlite_api::sqlite3_wal_hook(
      sqlite_handle(writer),
      finishes ? &wal_checkpointer::committed : &wal_checkpointer::committed_rarely, this);
}

void wal_checkpointer::unwatch(soci::session& writer) noexcept {
  sqlite_api::sqlite3_wal_autocheckpoint(sqlite_handle(writer), start_at);
}

wal_checkpointer::counts wal_checkpointer::so_far() const noexcept {
  return {.beside = beside_.load(std::memory_order_relaxed),
          .by_writers = by_writers_.load(std::memory_order_relaxed)};
}

int wal_checkpointer::committed(void* self, sqlite_api::sqlite3* writer, const char* /*schema*/,
                                int frames) noexcept {
  static_cast<wal_checkpointer*>(self)->after_commit(writer, frames, true);
  return SQLITE_OK;
}

int wal_checkpointer::committed_rarely(void* self, sqlite_api::sqlite3* writer,
                                       const char* /*schema*/, int frames) noexcept {
  static_cast<wal_checkpointer*>(self)->after_commit(writer, frames, false);
  return SQLITE_OK;
}

// On the thread that committed, the write lock released, once per commit: cheap unless it
// copies.
void wal_checkpointer::after_commit(sqlite_api::sqlite3* writer, int frames,
                                    bool finishes) noexcept {
  if (frames < start_at) return;
  // Checked first: from here on the thread is not woken again, so its pass ends and the next
  // commit copies what is left.
  if (frames >= restart_at && finishes) {
    copy_on(writer);
    return;
  }
  bool idle = false;
  if (!copying_.compare_exchange_strong(idle, true, std::memory_order_acq_rel)) return;
  try {
    std::scoped_lock lock(mutex_);
    if (stop_) {
      copying_.store(false, std::memory_order_relaxed);
      return;
    }
    if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
    wanted_ = true;
  } catch (const std::system_error&) {
    // No thread: the writers copy everything themselves at restart_at.
    copying_.store(false, std::memory_order_relaxed);
    return;
  }
  wake_.notify_one();
}

void wal_checkpointer::copy_on(sqlite_api::sqlite3* writer) noexcept {
  // Busy (the thread's pass has not ended, or another process is copying) or failed: the next
  // commit tries again.
  if (sqlite_api::sqlite3_wal_checkpoint_v2(writer, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                            nullptr) == SQLITE_OK) {
    by_writers_.fetch_add(1, std::memory_order_relaxed);
  }
}

void wal_checkpointer::run() {
  sqlite_api::sqlite3* own = sqlite_handle(*own_);
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return wanted_ || stop_; });
    if (stop_) return;
    wanted_ = false;
    lock.unlock();
    if (sqlite_api::sqlite3_wal_checkpoint_v2(own, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                              nullptr) == SQLITE_OK) {
      beside_.fetch_add(1, std::memory_order_relaxed);
    }
    copying_.store(false, std::memory_order_release);
    lock.lock();
  }
}

}  // namespace notes::storage::detail
