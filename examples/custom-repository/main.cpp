// Runs the notes repository contract against logging_note_repository (over the in-memory
// repository), plus a case of its own. A doctest program: its options apply
// (--test-suite="notes repository contract", --count, -s).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <memory>
#include <notes/memory_note_repository.hpp>
#include <notes/testing/repository_contract.hpp>
#include <sstream>

#include "logging_note_repository.hpp"

namespace {

// Hands out a fresh, empty repository per case. It owns its log, so the
// repository it returns keeps the log alive as long as it lives.
struct logging_factory {
  static std::shared_ptr<notes::note_repository> open() {
    struct holder {
      std::ostringstream log;
      logging_note_repository repository{std::make_unique<notes::memory_note_repository>(), log};
    };
    auto h = std::make_shared<holder>();
    return std::shared_ptr<notes::note_repository>(h, &h->repository);
  }
};

}  // namespace

NOTES_REPOSITORY_CONTRACT(logging_factory);

// The decorator's own behaviour, next to the contract it keeps.
TEST_CASE("logging_note_repository writes a line per change and per failure") {
  std::ostringstream log;
  logging_note_repository repository(std::make_unique<notes::memory_note_repository>(), log);
  const auto created =
      repository.create(notes::testing::make_note("title", "content", notes::testing::at(1)));
  REQUIRE(created.has_value());
  CHECK_FALSE(repository.remove(notes::no_account, created->id + 1, std::nullopt).has_value());
  CHECK(log.str().starts_with("create\nremove\nfailed: "));
}
