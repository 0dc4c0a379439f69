#pragma once
// The note_repository contract kit: the suite every notes backend passes, for a
// repository of one's own. In one .cpp of a doctest program, at namespace
// scope:
//
//   #include <notes/testing/repository_contract.hpp>
//   struct my_factory {
//     // A fresh, empty repository per call; throw notes::testing::skip{"why"}
//     // (or return nullptr) when it cannot be had here.
//     static std::shared_ptr<notes::note_repository> open();
//   };
//   NOTES_REPOSITORY_CONTRACT(my_factory);
//
// Each case is named "<what it checks><my_factory>" and belongs to the test
// suite "notes repository contract" (--test-suite selects it). A case whose
// factory skipped prints "SKIPPED: my_factory: <reason>"; a case that checked
// nothing fails; the run ends with a line
// "[notes::testing] repository contract: <n> cases run, <m> skipped".
#include <tuple>

#include "notes/testing/contract_support.hpp"

#define OPEN_REPOSITORY(var) NOTES_TESTING_OPEN_REPOSITORY(var)
#include "notes/testing/history_contract_cases.hpp"
#include "notes/testing/note_contract_cases.hpp"
#include "notes/testing/position_contract_cases.hpp"
#include "notes/testing/tag_contract_cases.hpp"
#undef OPEN_REPOSITORY

#define NOTES_TESTING_APPLY_CASE(id) TEST_CASE_TEMPLATE_APPLY(id, contract_factories);
#define NOTES_TESTING_APPLY_CASES(cases, list, ...)     \
  namespace notes::testing::cases {                     \
  namespace DOCTEST_ANONYMOUS(NOTES_TESTING_RUN_) {     \
    using contract_factories = std::tuple<__VA_ARGS__>; \
    list(NOTES_TESTING_APPLY_CASE)                      \
  }                                                     \
  }

// Every contract case for each of the factories, named by their
// doctest::toString (declare it with TYPE_TO_STRING_AS before this line).
#define NOTES_REPOSITORY_CONTRACT_FOR(...)                                           \
  TEST_SUITE_BEGIN("notes repository contract");                                     \
  NOTES_TESTING_APPLY_CASES(note_cases, NOTES_TESTING_NOTE_CASES, __VA_ARGS__)       \
  NOTES_TESTING_APPLY_CASES(history_cases, NOTES_TESTING_HISTORY_CASES, __VA_ARGS__) \
  NOTES_TESTING_APPLY_CASES(tag_cases, NOTES_TESTING_TAG_CASES, __VA_ARGS__)         \
  NOTES_TESTING_APPLY_CASES(position_cases, NOTES_TESTING_POSITION_CASES, __VA_ARGS__) \
  TEST_SUITE_END()

// Every contract case for one factory, named as it is spelled.
#define NOTES_REPOSITORY_CONTRACT(factory)                                    \
  static_assert(::notes::testing::repository_factory<factory>, #factory       \
                " hands out no repository: give it a static open() or make "  \
                "it callable, returning a std::shared_ptr<note_repository>"); \
  TYPE_TO_STRING_AS(#factory, factory);                                       \
  NOTES_REPOSITORY_CONTRACT_FOR(factory)
