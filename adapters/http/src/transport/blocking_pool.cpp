#include "transport/blocking_pool.hpp"

#include <exception>
#include <utility>

#include "log/access_log.hpp"

namespace notes::http {

namespace {

// A job answers its own handler's exceptions; what is left (out of memory) is logged here, so
// that neither a pool thread nor the watcher dies of it.
void call_safely(blocking_pool::job& j, thread_resources* resources) {
  try {
    j(resources);
  } catch (const std::exception& e) {
    log_error("blocking pool", e.what());
  } catch (...) {
    log_error("blocking pool", "unknown exception");
  }
}

}  // namespace

blocking_pool::blocking_pool(std::size_t queue_limit, std::chrono::milliseconds wait_limit)
    : queue_limit_(queue_limit), wait_limit_(wait_limit) {}

blocking_pool::~blocking_pool() { join(); }

void blocking_pool::add_thread(thread_resources owned) {
  slots_.push_back(std::make_unique<slot>(slot{std::move(owned), {}}));
}

void blocking_pool::start() {
  for (auto& s : slots_) s->thread = std::thread([this, &s = *s] { run(s); });
  if (wait_limit_ > std::chrono::milliseconds::zero()) {
    watcher_ = std::thread([this] { expire(); });
  }
}

blocking_pool::admission blocking_pool::post(job& j) {
  bool wake_watcher = false;
  {
    std::lock_guard lock(mutex_);
    if (joining_) return admission::stopping;
    if (closed_) {
      const std::size_t free_threads = slots_.size() - running_;
      if (waiting_.size() >= free_threads) return admission::stopping;
    } else if (waiting_.size() >= queue_limit_) {
      return admission::full;
    }
    // The watcher sleeps without a deadline only while nothing waits. Otherwise it wakes at
    // the front job's deadline, which comes no later than this one's (one limit for all), so
    // waking it for every job (a context switch each, under load) would change nothing.
    wake_watcher = waiting_.empty();
    waiting_.push_back({std::move(j), std::chrono::steady_clock::now() + wait_limit_});
  }
  work_.notify_one();
  if (wake_watcher) queued_.notify_one();
  return admission::accepted;
}

std::deque<blocking_pool::queued> blocking_pool::take_waiting() {
  std::deque<queued> taken;
  taken.swap(waiting_);
  return taken;
}

void blocking_pool::close() {
  std::deque<queued> abandoned;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    abandoned = take_waiting();
  }
  for (auto& q : abandoned) call_safely(q.j, nullptr);
}

void blocking_pool::wait_idle(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  idle_.wait_until(lock, deadline, [this] { return running_ == 0 && waiting_.empty(); });
}

void blocking_pool::join() {
  std::deque<queued> abandoned;
  {
    std::lock_guard lock(mutex_);
    if (joining_) return;
    joining_ = true;
    abandoned = take_waiting();
  }
  work_.notify_all();
  queued_.notify_all();
  for (auto& q : abandoned) call_safely(q.j, nullptr);
  if (watcher_.joinable()) watcher_.join();
  for (auto& s : slots_) {
    if (s->thread.joinable()) s->thread.join();
  }
}

void blocking_pool::expire() {
  std::unique_lock lock(mutex_);
  while (!joining_) {
    const auto now = std::chrono::steady_clock::now();
    std::deque<queued> expired;
    while (!waiting_.empty() && waiting_.front().deadline <= now) {
      expired.push_back(std::move(waiting_.front()));
      waiting_.pop_front();
    }
    if (expired.empty()) {
      if (waiting_.empty()) {
        queued_.wait(lock);
      } else {
        // A copy: wait_until reads its deadline again after waking, when the job it came from
        // may have been taken by a thread (and its deque node freed).
        const auto next = waiting_.front().deadline;
        queued_.wait_until(lock, next);
      }
      continue;
    }
    // Counted as running, so that wait_idle() also waits for the answers they post.
    running_ += expired.size();
    lock.unlock();
    for (auto& q : expired) {
      call_safely(q.j, nullptr);
      q.j = nullptr;
    }
    lock.lock();
    running_ -= expired.size();
    idle_.notify_all();
  }
}

void blocking_pool::run(slot& s) {
  std::unique_lock lock(mutex_);
  while (true) {
    work_.wait(lock, [this] { return joining_ || !waiting_.empty(); });
    if (waiting_.empty()) return;
    job j = std::move(waiting_.front().j);
    // A thread may come free a moment after the watcher's deadline, before it woke up.
    const bool expired = wait_limit_ > std::chrono::milliseconds::zero() &&
                         waiting_.front().deadline <= std::chrono::steady_clock::now();
    waiting_.pop_front();
    ++running_;
    lock.unlock();
    call_safely(j, expired ? nullptr : &s.owned);
    j = nullptr;  // whatever it still holds goes before it counts as returned
    lock.lock();
    --running_;
    idle_.notify_all();
  }
}

}  // namespace notes::http
