#include "log/access_log.hpp"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace notes::http {

namespace {

// Longer targets are cut: a log line must stay bounded.
constexpr std::size_t max_logged_target = 512;
constexpr std::size_t max_logged_account = 64;
// Several thousand lines: room for a burst while stderr is slow, bounded while it is stuck.
constexpr std::size_t buffer_capacity = 256 * 1024;

class log_sink;
std::atomic<log_sink*> existing_sink{nullptr};

// Lines waiting for stderr, and the thread that writes them. Made on the first line and never
// destroyed: at exit the writer may still be blocked in write(2) on a stalled pipe, and must not
// be joined.
class log_sink {
 public:
  static log_sink& instance() {
    static log_sink* sink = [] {
      auto* made = new log_sink;
      existing_sink.store(made, std::memory_order_release);
      return made;
    }();
    return *sink;
  }

  void push(std::string_view line) {
    std::unique_lock lock(mutex_);
    if (pending_.size() + line.size() > buffer_capacity) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    // The writer sleeps only when it found nothing to write; otherwise it comes back for more.
    bool wake = pending_.empty() && !writing_;
    pending_.append(line);
    lock.unlock();
    if (wake) ready_.notify_one();
  }

  bool flush(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return written_.wait_for(lock, timeout, [this] { return pending_.empty() && !writing_; });
  }

  std::int64_t dropped() const noexcept { return dropped_.load(std::memory_order_relaxed); }

 private:
  log_sink() {
    pending_.reserve(buffer_capacity);
    // Started with every signal blocked, so it never takes the SIGINT/SIGTERM that the main
    // thread waits for with sigwait(), even when the first line comes from a thread that has
    // them unblocked.
    sigset_t all;
    sigset_t previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    std::thread([this] { run(); }).detach();
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  }

  void run() {
    std::string batch;
    batch.reserve(buffer_capacity);
    std::unique_lock lock(mutex_);
    while (true) {
      ready_.wait(lock, [this] { return !pending_.empty(); });
      batch.swap(pending_);
      writing_ = true;
      lock.unlock();
      write_all(batch);
      batch.clear();
      lock.lock();
      writing_ = false;
      if (pending_.empty()) written_.notify_all();
    }
  }

  static void write_all(std::string_view text) {
    while (!text.empty()) {
      ssize_t n = ::write(STDERR_FILENO, text.data(), text.size());
      if (n <= 0) return;  // nowhere to complain to about the log itself
      text.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  std::mutex mutex_;
  std::condition_variable ready_;    // lines are pending
  std::condition_variable written_;  // the writer caught up
  std::string pending_;
  bool writing_ = false;
  std::atomic<std::int64_t> dropped_{0};
};

class line_buffer {
 public:
  void append(std::string_view s) {
    std::size_t n = std::min(s.size(), data_.size() - 1 - size_);
    // Control characters from a client or an exception must not forge extra log lines.
    for (std::size_t i = 0; i < n; ++i) {
      auto c = static_cast<unsigned char>(s[i]);
      data_[size_++] = c < 0x20 || c == 0x7f ? ' ' : static_cast<char>(c);
    }
  }
  void append(std::int64_t value) {
    auto [end, ec] = std::to_chars(data_.data() + size_, data_.data() + data_.size() - 1, value);
    if (ec == std::errc{}) size_ = static_cast<std::size_t>(end - data_.data());
  }
  void write_line() {
    data_[size_++] = '\n';
    log_sink::instance().push({data_.data(), size_});
  }

 private:
  std::array<char, 2048> data_;
  std::size_t size_ = 0;
};

void log_with_level(std::string_view level, std::string_view context, std::string_view detail) {
  line_buffer line;
  line.append(level);
  line.append(": ");
  line.append(context);
  line.append(": ");
  line.append(detail.substr(0, 1500));
  line.write_line();
}

}  // namespace

void log_error(std::string_view context, std::string_view detail) {
  log_with_level("error", context, detail);
}

void log_warning(std::string_view context, std::string_view detail) {
  log_with_level("warning", context, detail);
}

void log_message(std::string_view message) {
  line_buffer line;
  line.append(message);
  line.write_line();
}

void log_access(std::string_view method, std::string_view target, unsigned status,
                std::size_t bytes, std::int64_t micros, std::string_view account) {
  line_buffer line;
  line.append(method);
  line.append(" ");
  line.append(target.substr(0, max_logged_target));
  line.append(" ");
  line.append(static_cast<std::int64_t>(status));
  line.append(" ");
  line.append(static_cast<std::int64_t>(bytes));
  line.append(" ");
  line.append(micros);
  line.append("us ");
  line.append(account.substr(0, max_logged_account));
  line.write_line();
}

bool flush_log(std::chrono::milliseconds timeout) {
  log_sink* sink = existing_sink.load(std::memory_order_acquire);
  return sink == nullptr || sink->flush(timeout);
}

std::int64_t dropped_log_lines() noexcept {
  log_sink* sink = existing_sink.load(std::memory_order_acquire);
  return sink == nullptr ? 0 : sink->dropped();
}

}  // namespace notes::http
