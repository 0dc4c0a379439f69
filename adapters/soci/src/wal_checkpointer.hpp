#pragma once
// Copying one SQLite database file's WAL back into the file beside its writers.
#include <soci/soci.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "connection.hpp"

namespace notes::storage::detail {

// SQLite copies the WAL back into the database file (a checkpoint) inside the COMMIT that
// brings it past 1000 frames: on the one thread that writes, a fifth of its time under random
// changes, and two fdatasync calls it waits for (10-20 ms on the development machine, whatever
// the number of frames). This does most of that copying on a thread and connection of its own,
// while the writers go on:
//
// - after each commit on a connection it watches, SQLite tells it the WAL's length in frames;
//   from `start_at` on it wakes its thread (unless it is copying), which copies every frame
//   written so far (a PASSIVE checkpoint: it waits for no lock and holds only the checkpoint
//   lock, which no writer needs) and syncs;
// - the writers add frames meanwhile, so those passes never reach the end, and SQLite starts the
//   WAL over only once every frame is copied before a transaction begins. So from `restart_at`
//   frames on, the connection that just committed copies what the last pass left (a few hundred
//   frames) itself, and the next transaction starts the WAL over. Under steady writes the WAL
//   then stays near `restart_at` frames (16 MiB with 4 KiB pages, plus what is committed while
//   the thread's last pass syncs; 4 MiB with SQLite's own checkpoint; a reader on an old
//   snapshot delays the restart as it would SQLite's), and a writer waits for a checkpoint once
//   per `restart_at` frames instead of once per 1000. Without the thread (it could not start)
//   the writers copy everything at `restart_at`.
//
// Every copy is SQLite's own checkpoint, so what can be lost is what could before: nothing
// committed when the process dies, the last commits in an OS crash (synchronous=NORMAL). Writers
// of other processes keep SQLite's automatic checkpoint.
class wal_checkpointer {
 public:
  // SQLite's automatic checkpoint threshold.
  static constexpr int start_at = 1000;
  static constexpr int restart_at = 4000;

  // `own` is a connection of its own on the file, used only by its thread.
  explicit wal_checkpointer(std::unique_ptr<soci::session> own);
  ~wal_checkpointer();
  wal_checkpointer(const wal_checkpointer&) = delete;
  wal_checkpointer& operator=(const wal_checkpointer&) = delete;

  // Replaces SQLite's automatic checkpoint on `writer`, a connection of this process that
  // commits to the file. unwatch must be called before this object is destroyed, or the
  // connection closed. A writer that never `finishes` only wakes the thread: its commits are
  // rare and wait for nothing (an account's, on a network thread); with writes that sparse the
  // thread copies every frame between two of them, and the next starts the WAL over.
  void watch(soci::session& writer, bool finishes = true);
  // Gives `writer` SQLite's automatic checkpoint back.
  static void unwatch(soci::session& writer) noexcept;

  // How many checkpoints ran beside the writers, and on a writer's connection after its commit.
  struct counts {
    std::int64_t beside = 0;
    std::int64_t by_writers = 0;
  };
  counts so_far() const noexcept;

 private:
  static int committed(void* self, sqlite_api::sqlite3* writer, const char* schema,
                       int frames) noexcept;
  static int committed_rarely(void* self, sqlite_api::sqlite3* writer, const char* schema,
                              int frames) noexcept;
  void after_commit(sqlite_api::sqlite3* writer, int frames, bool finishes) noexcept;
  void copy_on(sqlite_api::sqlite3* writer) noexcept;
  void run();

  std::unique_ptr<soci::session> own_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool wanted_ = false;
  bool stop_ = false;
  std::thread thread_;  // started by the first wake
  std::atomic<bool> copying_{false};  // the thread was woken and its pass has not ended
  std::atomic<std::int64_t> beside_{0};
  std::atomic<std::int64_t> by_writers_{0};
};

}  // namespace notes::storage::detail
