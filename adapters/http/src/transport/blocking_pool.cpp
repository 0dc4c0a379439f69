#include "transport/blocking_pool.hpp"

#include <exception>
#include <utility>

#include "log/access_log.hpp"

namespace notes::http {

blocking_pool::blocking_pool(std::size_t queue_limit) : queue_limit_(queue_limit) {}

blocking_pool::~blocking_pool() { join(); }

void blocking_pool::add_thread(thread_resources owned) {
  slots_.push_back(std::make_unique<slot>(slot{std::move(owned), {}}));
}

void blocking_pool::start() {
  for (auto& s : slots_) s->thread = std::thread([this, &s = *s] { run(s); });
}

blocking_pool::admission blocking_pool::post(job& j) {
  {
    std::lock_guard lock(mutex_);
    if (joining_) return admission::stopping;
    if (closed_) {
      const std::size_t free_threads = slots_.size() - running_;
      if (waiting_.size() >= free_threads) return admission::stopping;
    } else if (waiting_.size() >= queue_limit_) {
      return admission::full;
    }
    waiting_.push_back(std::move(j));
  }
  work_.notify_one();
  return admission::accepted;
}

std::deque<blocking_pool::job> blocking_pool::take_waiting() {
  std::deque<job> taken;
  taken.swap(waiting_);
  return taken;
}

void blocking_pool::close() {
  std::deque<job> abandoned;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    abandoned = take_waiting();
  }
  for (auto& j : abandoned) j(nullptr);
}

void blocking_pool::wait_idle(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  idle_.wait_until(lock, deadline, [this] { return running_ == 0 && waiting_.empty(); });
}

void blocking_pool::join() {
  std::deque<job> abandoned;
  {
    std::lock_guard lock(mutex_);
    if (joining_) return;
    joining_ = true;
    abandoned = take_waiting();
  }
  work_.notify_all();
  for (auto& j : abandoned) j(nullptr);
  for (auto& s : slots_) {
    if (s->thread.joinable()) s->thread.join();
  }
}

void blocking_pool::run(slot& s) {
  std::unique_lock lock(mutex_);
  while (true) {
    work_.wait(lock, [this] { return joining_ || !waiting_.empty(); });
    if (waiting_.empty()) return;
    job j = std::move(waiting_.front());
    waiting_.pop_front();
    ++running_;
    lock.unlock();
    try {
      j(&s.owned);
    } catch (const std::exception& e) {
      // A job answers its own handler's exceptions; this is what is left (out of memory).
      log_error("blocking pool", e.what());
    } catch (...) {
      log_error("blocking pool", "unknown exception");
    }
    j = nullptr;  // whatever it still holds goes before it counts as returned
    lock.lock();
    --running_;
    idle_.notify_all();
  }
}

}  // namespace notes::http
