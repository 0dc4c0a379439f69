#include "password_input.hpp"

#include <termios.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <optional>

namespace notes::app {

namespace {

// Longer input is not read on: the account rules refuse it anyway (max_password_bytes).
constexpr std::size_t max_line_bytes = 64 * 1024;

constexpr std::array<int, 4> restoring_signals{SIGINT, SIGTERM, SIGHUP, SIGQUIT};

// For the signal handler, which may only touch what is set before it is installed.
int terminal_fd = -1;
termios terminal_mode{};

extern "C" void restore_terminal_and_die(int number) {
  ::tcsetattr(terminal_fd, TCSANOW, &terminal_mode);
  // The prompt's line was left open: end it, so the shell's prompt starts on a line of its own.
  [[maybe_unused]] auto written = ::write(STDERR_FILENO, "\n", 1);
  // SA_RESETHAND put the default action back: once this returns, the signal ends the program.
  ::raise(number);
}

// Echo off on `fd` while it lives; the mode before is restored by the destructor and by the
// signals of restoring_signals.
class echo_off {
 public:
  explicit echo_off(int fd) : fd_(fd) {
    if (::tcgetattr(fd, &saved_) != 0) return;
    terminal_fd = fd;
    terminal_mode = saved_;
    struct sigaction on_signal {};
    on_signal.sa_handler = restore_terminal_and_die;
    sigemptyset(&on_signal.sa_mask);
    on_signal.sa_flags = SA_RESETHAND;
    for (std::size_t i = 0; i < restoring_signals.size(); ++i) {
      ::sigaction(restoring_signals[i], &on_signal, &previous_[i]);
    }
    termios quiet = saved_;
    // The newline still echoes, so that the next line starts where it should.
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    active_ = ::tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
  }

  ~echo_off() {
    if (terminal_fd < 0) return;
    ::tcsetattr(fd_, TCSANOW, &saved_);
    for (std::size_t i = 0; i < restoring_signals.size(); ++i) {
      ::sigaction(restoring_signals[i], &previous_[i], nullptr);
    }
    terminal_fd = -1;
  }

  echo_off(const echo_off&) = delete;
  echo_off& operator=(const echo_off&) = delete;

  bool active() const noexcept { return active_; }

 private:
  int fd_;
  termios saved_{};
  std::array<struct sigaction, restoring_signals.size()> previous_{};
  bool active_ = false;
};

struct line_read {
  std::string text;
  bool ended = false;  // a line break was read (false: end of input first)
};

// One line from `fd`, without its line break; nullopt and errno on a read error.
std::optional<line_read> read_line(int fd) {
  line_read line;
  char c = 0;
  while (line.text.size() <= max_line_bytes) {
    const ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::nullopt;
    if (n == 0) break;
    if (c == '\n') {
      line.ended = true;
      break;
    }
    line.text.push_back(c);
  }
  if (line.ended && line.text.ends_with('\r')) line.text.pop_back();
  return line;
}

void prompt(const std::string& text) {
  [[maybe_unused]] auto written = ::write(STDERR_FILENO, text.data(), text.size());
}

password_problem read_failed() {
  return {std::string("cannot read the password from standard input: ") + std::strerror(errno),
          false};
}

std::expected<std::string, password_problem> ask_on_terminal(std::string_view account) {
  echo_off quiet(STDIN_FILENO);
  if (!quiet.active()) {
    return std::unexpected(password_problem{
        std::string("cannot turn off the terminal's echo: ") + std::strerror(errno), false});
  }
  prompt("Password for " + std::string(account) + ": ");
  auto first = read_line(STDIN_FILENO);
  if (!first) return std::unexpected(read_failed());
  if (!first->ended) {
    prompt("\n");
    return std::unexpected(password_problem{"no password given; nothing was changed"});
  }
  prompt("The same password again: ");
  auto second = read_line(STDIN_FILENO);
  if (!second) return std::unexpected(read_failed());
  if (!second->ended) prompt("\n");
  if (second->text != first->text) {
    return std::unexpected(password_problem{"the two passwords differ; nothing was changed"});
  }
  return std::move(first->text);
}

}  // namespace

std::expected<std::string, password_problem> read_new_password(std::string_view account) {
  if (::isatty(STDIN_FILENO) == 1) return ask_on_terminal(account);
  auto line = read_line(STDIN_FILENO);
  if (!line) return std::unexpected(read_failed());
  return std::move(line->text);
}

}  // namespace notes::app
