#pragma once
// What the repository contract cases stand on: skip, the notes and times they
// store, value_of and ok for the results they check, and the guard that keeps
// a case from passing without having checked anything. Consumers include
// notes/testing/repository_contract.hpp, which brings this header.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <concepts>
#include <cstdint>
#include <exception>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <utility>

#include "notes/error.hpp"
#include "notes/note.hpp"
#include "notes/note_repository.hpp"

namespace notes::testing {

// Thrown by a factory whose repository cannot be had here (no server to reach,
// no credentials): each case then reports "SKIPPED: <factory>: <reason>" and
// counts as skipped in the kit's summary instead of passing with nothing
// checked. A factory may also return nullptr, which skips alike with a generic
// reason.
class skip : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// 2026-01-01T00:00:00Z plus the given seconds and microseconds.
inline timestamp at(std::int64_t seconds, std::int64_t micros = 0) {
  using namespace std::chrono;
  return timestamp{microseconds{1'767'225'600'000'000LL + seconds * 1'000'000LL + micros}};
}

// The value of a result the case needs, or the case stops with the error's message.
template <class T>
T value_of(result<T> r) {
  REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
  return std::move(*r);
}

// Requires a result<void> to have succeeded, with the error's message if not.
inline void ok(result<void> r) {
  REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
}

// A note as a backend's create receives it: version 1, updated when created.
inline note make_note(std::string title, std::string content, timestamp created,
                      bool pinned = false) {
  note n;
  n.title = std::move(title);
  n.content = std::move(content);
  n.is_pinned = pinned;
  n.created_at = created;
  n.updated_at = created;
  n.version = 1;
  return n;
}

// A factory hands out a fresh, empty repository each time: a type with a static
// open(), or a default-constructible callable (a lambda's type). Whatever it
// returns must convert to std::shared_ptr<note_repository> (a shared_ptr or a
// unique_ptr).
template <class F>
concept repository_factory = requires {
  { F::open() } -> std::convertible_to<std::shared_ptr<note_repository>>;
}
|| requires(F f) {
  { f() } -> std::convertible_to<std::shared_ptr<note_repository>>;
};

namespace detail {

struct contract_counts {
  // The running case: its assertions, whether it opened a contract repository,
  // whether one of its factories skipped.
  std::atomic<int> asserts_in_case{0};
  std::atomic<bool> case_opened{false};
  std::atomic<bool> case_skipped{false};
  // The run: contract cases and how many of them were skipped.
  std::atomic<int> cases{0};
  std::atomic<int> skipped{0};
};

inline contract_counts &counts() {
  static contract_counts c;
  return c;
}

// Counts the assertions of the running case (doctest keeps its own count
// private) and, at the end of a run that had contract cases, says how many
// there were and how many were skipped.
class contract_listener : public doctest::IReporter {
 public:
  explicit contract_listener(const doctest::ContextOptions &options) : options_(options) {}

  void report_query(const doctest::QueryData &) override {}
  void test_run_start() override {}
  void test_run_end(const doctest::TestRunStats &) override {
    const int cases = counts().cases;
    if (cases == 0 || options_.cout == nullptr) return;
    *options_.cout << "[notes::testing] repository contract: " << cases << " cases run, "
                   << counts().skipped << " skipped\n";
  }
  void test_case_start(const doctest::TestCaseData &) override {
    counts().asserts_in_case = 0;
    counts().case_opened = false;
    counts().case_skipped = false;
  }
  void test_case_reenter(const doctest::TestCaseData &) override {}
  void test_case_end(const doctest::CurrentTestCaseStats &) override {
    if (counts().case_opened) ++counts().cases;
    if (counts().case_skipped) ++counts().skipped;
  }
  void test_case_exception(const doctest::TestCaseException &) override {}
  void subcase_start(const doctest::SubcaseSignature &) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData &data) override {
    if ((data.m_at & doctest::assertType::is_warn) == 0) ++counts().asserts_in_case;
  }
  void log_message(const doctest::MessageData &) override {}
  void test_case_skipped(const doctest::TestCaseData &) override {}

 private:
  const doctest::ContextOptions &options_;
};

// Lives as long as one contract case: a case that was not skipped, did not fail
// by throwing and checked nothing is a backend that proved nothing, so it
// fails.
class case_guard {
 public:
  case_guard() = default;
  case_guard(const case_guard &) = delete;
  case_guard &operator=(const case_guard &) = delete;
  // An assertion may throw (doctest's abort-after); a destructor must let it.
  ~case_guard() noexcept(false) {
    if (skipped_ || std::uncaught_exceptions() > exceptions_) return;
    if (counts().asserts_in_case == 0) {
      FAIL_CHECK("the contract case ended with no assertions and was not skipped");
    }
  }
  void mark_skipped() noexcept { skipped_ = true; }

 private:
  int exceptions_ = std::uncaught_exceptions();
  bool skipped_ = false;
};

template <class Factory>
std::shared_ptr<note_repository> call_factory() {
  if constexpr (requires { Factory::open(); }) {
    return Factory::open();
  } else {
    return Factory{}();
  }
}

// The factory's repository, or nullptr when it skipped (said once per case).
template <repository_factory Factory>
std::shared_ptr<note_repository> open_repository(case_guard &guard) {
  counts().case_opened = true;
  std::string reason = "the factory handed out no repository";
  try {
    if (auto repository = call_factory<Factory>()) return repository;
  } catch (const skip &e) {
    reason = e.what();
  }
  guard.mark_skipped();
  counts().case_skipped = true;
  MESSAGE("SKIPPED: " << doctest::toString<Factory>() << ": " << reason);
  return nullptr;
}

}  // namespace detail
}  // namespace notes::testing

DOCTEST_REGISTER_LISTENER("notes repository contract", 0,
                          notes::testing::detail::contract_listener);

// Opens the case's repository as `var` (a note_repository&) from the factory
// TestType, or leaves the case reported as skipped. For cases of one's own
// written with TEST_CASE_TEMPLATE_DEFINE; they get the same guard as the
// contract's.
#define NOTES_TESTING_OPEN_REPOSITORY(var)                                              \
  ::notes::testing::detail::case_guard var##_guard;                                     \
  auto var##_holder = ::notes::testing::detail::open_repository<TestType>(var##_guard); \
  if (!var##_holder) return;                                                            \
  ::notes::note_repository &var = *var##_holder
