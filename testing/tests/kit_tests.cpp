// The kit's own promises, read from this program's output by check_kit.sh: a
// factory that cannot open its repository skips every case with its reason, a
// callable factory runs the contract, and a case that checks nothing fails.
#include <memory>
#include <notes/memory_note_repository.hpp>
#include <notes/testing/repository_contract.hpp>
#include <tuple>

struct unreachable_factory {
  static std::shared_ptr<notes::note_repository> open() {
    throw notes::testing::skip("no server here");
  }
};
NOTES_REPOSITORY_CONTRACT(unreachable_factory);

using lambda_factory = decltype([] { return std::make_unique<notes::memory_note_repository>(); });
NOTES_REPOSITORY_CONTRACT(lambda_factory);

struct memory_factory {
  static std::shared_ptr<notes::note_repository> open() {
    return std::make_shared<notes::memory_note_repository>();
  }
};
TYPE_TO_STRING_AS("memory_factory", memory_factory);

TEST_CASE_TEMPLATE_DEFINE("a case that checks nothing", TestType, checks_nothing) {
  NOTES_TESTING_OPEN_REPOSITORY(repo);
  (void)repo;
}
TEST_CASE_TEMPLATE_APPLY(checks_nothing, std::tuple<memory_factory>);
