// The child processes tests start (notes-server, as a supervisor runs it): a clean environment
// except for the sanitizer settings, which an instrumented test passes on.
#include <doctest/doctest.h>

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>

#include "child_process.hpp"
#include "test_server.hpp"

using notes::testing::child_process;

namespace {

// What `env` prints: the environment the child got, one NAME=value a line.
std::string environment_of_child(const std::vector<std::string>& env) {
  const auto dir = notes::testing::make_temp_directory("child-environment");
  const auto out = dir / "env.txt";
  {
    child_process c("/usr/bin/env", {}, env, dir, out);
    REQUIRE(c.finish(std::chrono::seconds(10)) == 0);
  }
  std::ifstream in(out);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::filesystem::remove_all(dir);
  return text;
}

// Sets a variable for one test case and restores what was there.
struct scoped_variable {
  std::string name;
  std::optional<std::string> saved;
  scoped_variable(std::string n, const char* value) : name(std::move(n)) {
    if (const char* old = ::getenv(name.c_str())) saved = old;
    if (value != nullptr) {
      ::setenv(name.c_str(), value, 1);
    } else {
      ::unsetenv(name.c_str());
    }
  }
  ~scoped_variable() {
    if (saved) {
      ::setenv(name.c_str(), saved->c_str(), 1);
    } else {
      ::unsetenv(name.c_str());
    }
  }
};

}  // namespace

TEST_CASE("child process: gets only its environment and this process's sanitizer settings") {
  scoped_variable asan("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=1");
  scoped_variable ubsan("UBSAN_OPTIONS", "halt_on_error=1");
  scoped_variable lsan("LSAN_OPTIONS", nullptr);
  scoped_variable other("NOTES_CHILD_TEST_OTHER", "not passed on");
  CHECK(environment_of_child({"DATABASE_URL=sqlite:///x.db"}) ==
        "DATABASE_URL=sqlite:///x.db\n"
        "ASAN_OPTIONS=detect_leaks=1:abort_on_error=1\n"
        "UBSAN_OPTIONS=halt_on_error=1\n");
}

TEST_CASE("child process: a sanitizer setting the test gives wins over this process's") {
  scoped_variable asan("ASAN_OPTIONS", "detect_leaks=1");
  scoped_variable ubsan("UBSAN_OPTIONS", nullptr);
  scoped_variable lsan("LSAN_OPTIONS", nullptr);
  CHECK(environment_of_child({"ASAN_OPTIONS=detect_leaks=0"}) == "ASAN_OPTIONS=detect_leaks=0\n");
}

TEST_CASE("child process: sanitizer reports are found in stderr") {
  using notes::testing::find_sanitizer_report;
  CHECK(find_sanitizer_report("listening on http://127.0.0.1:1 \n") == std::string::npos);
  CHECK(find_sanitizer_report("a\n==12==ERROR: AddressSanitizer: heap-use-after-free") == 2);
  CHECK(find_sanitizer_report("==12==ERROR: LeakSanitizer: detected memory leaks") == 0);
  CHECK(find_sanitizer_report("x\nsrc/a.cpp:3:5: runtime error: signed integer overflow") == 2);
}
