#include "stop_deadline.hpp"

#include <utility>

namespace notes::app {

stop_deadline::stop_deadline(std::chrono::milliseconds after, std::function<void()> on_expiry)
    : watcher_([this, after, on_expiry = std::move(on_expiry)] {
        bool in_time = false;
        {
          std::unique_lock lock(mutex_);
          in_time = finished_.wait_for(lock, after, [this] { return done_; });
        }
        if (!in_time) on_expiry();
      }) {}

stop_deadline::~stop_deadline() {
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  finished_.notify_all();
  watcher_.join();
}

}  // namespace notes::app
