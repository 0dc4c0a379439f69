#pragma once
// The blocking pool: a few threads that run the handlers added on route_lane::blocking, so that
// a handler that waits (a readiness probe on the database, a password hash) holds up only its own
// request, never the other connections of the network thread that read it. Each pool thread owns
// its thread_resources, as a worker does. Jobs wait in one bounded queue, first come first served.
// The storage lane is a second pool of this kind whose jobs wait a limited time: one that no
// thread started within `wait_limit` is called with nullptr at that moment, by a watcher thread,
// so its client is answered then rather than when a thread comes free.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "transport/thread_resources.hpp"

namespace notes::http {

class blocking_pool {
 public:
  // Runs on a pool thread with that thread's resources, or once with nullptr when the server
  // stops before a thread took it (then it must answer without running the handler). It is
  // called exactly once either way, and should release what it holds of its connection before
  // it returns. With a wait limit, also called with nullptr once it waited that long.
  using job = std::move_only_function<void(thread_resources*)>;

  enum class admission {
    accepted,
    full,     // `queue_limit` jobs already wait: the caller answers 503 at once
    stopping  // the server is stopping and no thread is free to take it at once
  };

  // `wait_limit` zero: jobs wait for a thread however long it takes.
  explicit blocking_pool(std::size_t queue_limit,
                         std::chrono::milliseconds wait_limit = std::chrono::milliseconds::zero());
  ~blocking_pool();  // join()
  blocking_pool(const blocking_pool&) = delete;
  blocking_pool& operator=(const blocking_pool&) = delete;

  // Before start(): one thread per call, which will own `owned`.
  void add_thread(thread_resources owned);
  void start();
  std::size_t threads() const noexcept { return slots_.size(); }

  // Takes `j` (moves from it) only when the answer is accepted. Any thread.
  admission post(job& j);

  // The server begins to stop: every job still waiting is called with nullptr, on the calling
  // thread; from now on a job is accepted only when a thread is free to start it at once, so
  // nothing waits behind the running ones.
  void close();

  // Waits, at most until `deadline`, for every job accepted so far to return.
  void wait_idle(std::chrono::steady_clock::time_point deadline);

  // Calls the jobs still waiting with nullptr, lets the running ones return (however long they
  // take) and joins the threads. Their resources are released with the pool. Idempotent.
  void join();

 private:
  struct slot {
    thread_resources owned;
    std::thread thread;
  };

  struct queued {
    job j;
    std::chrono::steady_clock::time_point deadline;  // only meaningful with a wait limit
  };

  void run(slot& s);
  // The watcher: calls every job that waited its limit out with nullptr, at its deadline.
  void expire();
  // Under mutex_: takes every waiting job out, for the caller to call with nullptr.
  std::deque<queued> take_waiting();

  const std::size_t queue_limit_;
  const std::chrono::milliseconds wait_limit_;
  std::vector<std::unique_ptr<slot>> slots_;
  std::thread watcher_;  // with a wait limit only

  std::mutex mutex_;
  std::condition_variable work_;  // a job waits, or the threads are to leave
  std::condition_variable idle_;  // a job returned
  std::condition_variable queued_;  // for the watcher: a job waits, or the threads are to leave
  // In order of arrival, so with one wait limit for all, in order of deadline too.
  std::deque<queued> waiting_;
  std::size_t running_ = 0;
  bool closed_ = false;
  bool joining_ = false;
};

}  // namespace notes::http
