#pragma once
// Points this process's stderr (fd 2) at a pipe for the lifetime of the object, to read what the
// server logs. The pipe is read only by text(), so it can also stand for a reader that stalls.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <stdexcept>
#include <string>

#include "log/access_log.hpp"

namespace notes::testing {

class stderr_capture {
 public:
  stderr_capture() {
    // As in notes-server: a write to a pipe closed under it fails instead of killing the process.
    std::signal(SIGPIPE, SIG_IGN);
    if (::pipe(fds_) != 0) throw std::runtime_error("pipe failed");
    saved_ = ::dup(STDERR_FILENO);
    ::dup2(fds_[1], STDERR_FILENO);
  }
  ~stderr_capture() {
    text();
    ::close(fds_[0]);
  }
  stderr_capture(const stderr_capture&) = delete;
  stderr_capture& operator=(const stderr_capture&) = delete;

  // Puts stderr back and returns everything written to the pipe meanwhile (after waiting a
  // little for the log's writer thread to catch up).
  std::string text() {
    if (saved_ >= 0) notes::http::flush_log(std::chrono::milliseconds(500));
    restore();
    ::fcntl(fds_[0], F_SETFL, O_NONBLOCK);
    std::string out;
    char buf[4096];
    ssize_t n = 0;
    while ((n = ::read(fds_[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
    return out;
  }

 private:
  void restore() {
    if (saved_ < 0) return;
    ::dup2(saved_, STDERR_FILENO);
    ::close(saved_);
    ::close(fds_[1]);
    saved_ = -1;
  }

  int fds_[2] = {-1, -1};
  int saved_ = -1;
};

}  // namespace notes::testing
