#include "child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace notes::testing {

std::vector<std::string> with_sanitizer_variables(std::vector<std::string> env) {
  for (const std::string_view name : sanitizer_variables) {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) continue;
    const std::string prefix = std::string(name) + '=';
    const bool set = std::any_of(env.begin(), env.end(),
                                 [&](const std::string& e) { return e.starts_with(prefix); });
    if (!set) env.push_back(prefix + value);
  }
  return env;
}

std::size_t find_sanitizer_report(std::string_view stderr_text) noexcept {
  // The first lines ASan and LSan ("==pid==ERROR: ...Sanitizer") and UBSan ("file:line:col:
  // runtime error: ...") write.
  for (const std::string_view marker :
       {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", ": runtime error: "}) {
    const auto at = stderr_text.find(marker);
    if (at != std::string_view::npos) {
      const auto line = stderr_text.rfind('\n', at);
      return line == std::string_view::npos ? 0 : line + 1;
    }
  }
  return std::string_view::npos;
}

child_process::child_process(const std::string& program, const std::vector<std::string>& args,
                             const std::vector<std::string>& env,
                             const std::filesystem::path& cwd,
                             const std::filesystem::path& stdout_file,
                             const std::filesystem::path& stdin_file) {
  // Everything the child needs is prepared before fork: it may only make system calls.
  std::vector<char*> argv{const_cast<char*>(program.c_str())};
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const std::vector<std::string> full_env = with_sanitizer_variables(env);
  std::vector<char*> envp;
  for (const auto& e : full_env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  const std::string dir = cwd.string();
  const std::string out = stdout_file.empty() ? std::string("/dev/null") : stdout_file.string();
  const std::string in = stdin_file.empty() ? std::string("/dev/null") : stdin_file.string();
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  pid_ = ::fork();
  if (pid_ < 0) {
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    throw std::runtime_error("fork failed");
  }
  if (pid_ == 0) {
    ::dup2(pipe_fds[1], STDERR_FILENO);
    int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out_fd < 0) ::_exit(126);
    ::dup2(out_fd, STDOUT_FILENO);
    int in_fd = ::open(in.c_str(), O_RDONLY);
    if (in_fd < 0) ::_exit(126);
    ::dup2(in_fd, STDIN_FILENO);
    if (::chdir(dir.c_str()) != 0) ::_exit(127);
    ::execve(program.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  stderr_fd_ = pipe_fds[0];
}

child_process::child_process(child_process&& other) noexcept
    : pid_(other.pid_), stderr_fd_(other.stderr_fd_), stderr_text_(std::move(other.stderr_text_)) {
  other.pid_ = -1;
  other.stderr_fd_ = -1;
}

child_process::~child_process() {
  if (pid_ > 0) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
    }
  }
  while (read_some(0)) {
  }
  if (stderr_fd_ >= 0) ::close(stderr_fd_);
  if (const auto report = find_sanitizer_report(stderr_text_); report != std::string::npos) {
    std::fprintf(stderr, "a child process reported a sanitizer error:\n%s\n",
                 stderr_text_.c_str() + report);
    std::abort();
  }
}

bool child_process::read_some(int timeout_ms) {
  if (stderr_fd_ < 0) return false;
  pollfd p{stderr_fd_, POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) <= 0) return false;
  char buf[4096];
  ssize_t n = ::read(stderr_fd_, buf, sizeof buf);
  if (n <= 0) return false;
  stderr_text_.append(buf, static_cast<std::size_t>(n));
  return true;
}

std::smatch child_process::wait_for(const std::regex& pattern, std::chrono::milliseconds wait) {
  auto deadline = std::chrono::steady_clock::now() + wait;
  std::smatch m;
  while (!std::regex_search(stderr_text_, m, pattern)) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    if (!read_some(static_cast<int>(left.count()))) {
      // End of stream (the child exited) or nothing within the time left.
      if (std::chrono::steady_clock::now() < deadline) {
        pollfd p{stderr_fd_, POLLIN, 0};
        if (::poll(&p, 1, 0) > 0 && (p.revents & POLLHUP) != 0) break;
      }
    }
  }
  return m;
}

std::uint16_t child_process::wait_until_listening(std::chrono::milliseconds wait) {
  static const std::regex listening(R"(listening on http://[^ ]*:(\d+) )");
  auto m = wait_for(listening, wait);
  if (m.empty()) return 0;
  return static_cast<std::uint16_t>(std::stoi(m[1]));
}

void child_process::signal(int number) const {
  if (pid_ > 0) ::kill(pid_, number);
}

int child_process::finish(std::chrono::milliseconds wait) {
  auto deadline = std::chrono::steady_clock::now() + wait;
  int status = 0;
  bool killed = false;
  while (::waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      killed = true;
      break;
    }
    read_some(20);
  }
  while (read_some(0)) {
  }
  pid_ = -1;
  if (killed) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace notes::testing
