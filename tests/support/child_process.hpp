#pragma once
// A program (notes-server) run as a child process, as a person or a supervisor runs it: its own
// environment and working directory, stderr captured for the test to read, stdout to a file.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace notes::testing {

// The variables that configure AddressSanitizer, UndefinedBehaviorSanitizer and LeakSanitizer:
// a child of an instrumented test is instrumented too and must stop and report the same way.
inline constexpr std::string_view sanitizer_variables[] = {"ASAN_OPTIONS", "UBSAN_OPTIONS",
                                                           "LSAN_OPTIONS"};

// `env` with each sanitizer variable this process has and `env` lacks added.
std::vector<std::string> with_sanitizer_variables(std::vector<std::string> env);

// Where a sanitizer report starts in a program's stderr, or npos.
std::size_t find_sanitizer_report(std::string_view stderr_text) noexcept;

class child_process {
 public:
  // Starts `program` with `args` in `cwd`, with only `env` as its environment, plus this
  // process's sanitizer settings (see sanitizer_variables) where `env` does not set them. Its
  // stdout goes to `stdout_file` and its stdin comes from `stdin_file` (empty: /dev/null).
  // Throws std::runtime_error when it cannot be started.
  child_process(const std::string& program, const std::vector<std::string>& args,
                const std::vector<std::string>& env, const std::filesystem::path& cwd,
                const std::filesystem::path& stdout_file = {},
                const std::filesystem::path& stdin_file = {});
  // Kills the child if it still runs: a failed test must not leave servers behind. When the
  // child's stderr holds a sanitizer report, prints it and aborts: whatever the test checked,
  // the program it ran is broken.
  ~child_process();
  child_process(child_process&& other) noexcept;
  child_process& operator=(child_process&&) = delete;
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  pid_t pid() const noexcept { return pid_; }
  // Everything the child wrote to stderr so far.
  const std::string& stderr_text() const noexcept { return stderr_text_; }

  // Reads stderr until `pattern` matches or `wait` passes; the match is empty on timeout.
  std::smatch wait_for(const std::regex& pattern, std::chrono::milliseconds wait);

  // For notes-server: waits for the start-up line and returns the port it listens on; 0 when
  // the line did not come within `wait`.
  std::uint16_t wait_until_listening(std::chrono::milliseconds wait = std::chrono::seconds(30));

  void signal(int number) const;

  // Waits for the exit and collects the rest of stderr. Returns the exit code, or -1 when the
  // child had to be killed after `wait` (or died of a signal).
  int finish(std::chrono::milliseconds wait);

 private:
  bool read_some(int timeout_ms);

  pid_t pid_ = -1;
  int stderr_fd_ = -1;
  std::string stderr_text_;
};

}  // namespace notes::testing
