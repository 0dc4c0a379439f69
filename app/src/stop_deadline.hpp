#pragma once
// The last resort that keeps a stop bounded. The server interrupts the storage calls it can
// when the shutdown timeout passes; one it cannot (a PostgreSQL server that holds a lock, or
// stopped answering) would keep its thread, and the join, waiting. Past the deadline the
// process runs `on_expiry`, which ends it.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace notes::app {

class stop_deadline {
 public:
  // Starts counting now; `on_expiry` runs on a thread of its own unless this object is
  // destroyed first.
  stop_deadline(std::chrono::milliseconds after, std::function<void()> on_expiry);
  ~stop_deadline();  // the stop finished in time: disarms
  stop_deadline(const stop_deadline&) = delete;
  stop_deadline& operator=(const stop_deadline&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable finished_;
  bool done_ = false;
  std::thread watcher_;
};

}  // namespace notes::app
