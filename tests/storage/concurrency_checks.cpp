#include "concurrency_checks.hpp"

#include <atomic>
#include <algorithm>
#include <latch>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace notes::test {
namespace {

// doctest assertions are not thread-safe: worker threads collect failures, the test thread
// reports them.
class failures {
 public:
  void add(std::string what) {
    std::scoped_lock lock(mutex_);
    list_.push_back(std::move(what));
  }
  void report() const {
    for (const auto& f : list_) FAIL_CHECK(f);
    CHECK(list_.empty());
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> list_;
};

}  // namespace

void check_parallel_writers(const storage::database_config& config) {
  constexpr int threads = 4;
  constexpr int notes_per_thread = 25;
  failures failed;
  {
    std::vector<std::jthread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        auto repo = storage::open_repository(config);
        if (!repo) return failed.add("open: " + repo.error().message);
        const std::string tag = "thread" + std::to_string(t) + "tag";
        for (int i = 0; i < notes_per_thread; ++i) {
          auto created = (*repo)->create(make_note(tag + " " + std::to_string(i), "body", at(i)));
          if (!created) return failed.add("create: " + created.error().message);
          note changed = *created;
          changed.content = "updated body";
          if (auto u = (*repo)->update(changed, 1, 0); !u)
            return failed.add("update: " + u.error().message);
          if (auto l = (*repo)->list(no_account, list_order::newest_first, {1, 10}); !l) {
            return failed.add("list: " + l.error().message);
          }
        }
        auto found = (*repo)->search(no_account, tag, {1, 100});
        if (!found) return failed.add("search: " + found.error().message);
        if (found->total != notes_per_thread) {
          failed.add(tag + " found " + std::to_string(found->total) + " notes");
        }
      });
    }
  }
  failed.report();
  auto repo = open_or_fail(config);
  CHECK(repo->count(no_account).value() == threads * notes_per_thread);
  const auto everything = repo->all(std::nullopt).value();
  for (const note& n : everything) {
    CHECK(n.version == 2);
    CHECK(n.content == "updated body");
  }
}

void check_no_lost_updates(const storage::database_config& config) {
  constexpr int threads = 4;
  constexpr int increments_per_thread = 20;
  const note_id id = open_or_fail(config)->create(make_note("0", "counter", at(0))).value().id;
  failures failed;
  std::atomic<int> conflicts{0};
  {
    std::vector<std::jthread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&] {
        auto repo = storage::open_repository(config);
        if (!repo) return failed.add("open: " + repo.error().message);
        for (int done = 0; done < increments_per_thread;) {
          auto current = (*repo)->find(no_account, id);
          if (!current || !*current) return failed.add("find failed");
          note next = **current;
          next.title = std::to_string(std::stoi(next.title) + 1);
          auto updated = (*repo)->update(next, next.version, 0);
          if (updated) {
            ++done;
          } else if (updated.error().code == error_code::conflict) {
            ++conflicts;
          } else {
            return failed.add("update: " + updated.error().message);
          }
        }
      });
    }
  }
  failed.report();
  const note final_note = open_or_fail(config)->find(no_account, id).value().value();
  CHECK(final_note.title == std::to_string(threads * increments_per_thread));
  CHECK(final_note.version == 1 + threads * increments_per_thread);
  MESSAGE("conflicts retried: " << conflicts.load());
}

void check_restore_purge_race(const storage::database_config& config) {
  constexpr int rounds = 40;
  auto setup = open_or_fail(config);
  auto restorer = open_or_fail(config);
  auto purger = open_or_fail(config);
  int restored = 0;
  int purged = 0;
  for (int round = 0; round < rounds; ++round) {
    note n = setup->create(make_note("raced", "body", at(round))).value();
    n.title = "raced again";
    n = setup->update(n, 1, 10).value();
    REQUIRE(setup->trash(no_account, n.id, std::nullopt, at(100 + round)).has_value());
    std::optional<result<note>> restore_outcome;
    std::optional<result<void>> purge_outcome;
    {
      std::latch start(2);
      std::jthread a([&] {
        start.arrive_and_wait();
        restore_outcome = restorer->restore(no_account, n.id, 2, at(500));
      });
      std::jthread b([&] {
        start.arrive_and_wait();
        purge_outcome = purger->purge(no_account, n.id, 2);
      });
    }
    const bool restore_won = restore_outcome->has_value();
    const bool purge_won = purge_outcome->has_value();
    CHECK(restore_won != purge_won);
    if (!restore_won) CHECK(restore_outcome->error().code == error_code::not_found);
    if (!purge_won) CHECK(purge_outcome->error().code == error_code::not_found);
    const auto live = setup->find(no_account, n.id).value();
    const auto trashed = setup->find_trashed(no_account, n.id).value();
    CHECK_FALSE(trashed.has_value());
    CHECK(live.has_value() == restore_won);
    if (restore_won) {
      CHECK(live->version == 3);
      CHECK(setup->find_revision(no_account, n.id, 1).value()->title == "raced");
      ++restored;
    } else {
      ++purged;
    }
  }
  MESSAGE("restored " << restored << ", purged " << purged);
}

void check_totals_under_concurrent_writes(const storage::database_config& config) {
  constexpr int threads = 4;
  constexpr int rounds = 30;
  const std::vector<std::vector<std::string>> tag_sets = {
      {"a", "b", "c"}, {"c", "b", "a"}, {"b", "a"}, {"c", "a"}};
  failures failed;
  {
    std::vector<std::jthread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        auto repo = storage::open_repository(config);
        if (!repo) return failed.add("open: " + repo.error().message);
        for (int i = 0; i < rounds; ++i) {
          note fresh = make_note("n" + std::to_string(t) + "-" + std::to_string(i), "x", at(i));
          fresh.tags = tag_sets[static_cast<std::size_t>((t + i) % 4)];
          auto created = (*repo)->create(fresh);
          if (!created) return failed.add("create: " + created.error().message);
          if (i % 3 == 1) {
            if (auto gone = (*repo)->trash(no_account, created->id, std::nullopt, at(100 + i));
                !gone) {
              return failed.add("trash: " + gone.error().message);
            }
            if (i % 2 == 1) {
              if (auto back = (*repo)->restore(no_account, created->id, std::nullopt, at(200 + i));
                  !back) {
                return failed.add("restore: " + back.error().message);
              }
            }
          } else if (i % 3 == 2) {
            note retagged = *created;
            retagged.tags = tag_sets[static_cast<std::size_t>((t + i + 1) % 4)];
            if (auto u = (*repo)->update(retagged, created->version, 0); !u) {
              return failed.add("update: " + u.error().message);
            }
          }
        }
      });
    }
    // Beside them: an import and a change of owner, which count the totals again at their end.
    workers.emplace_back([&] {
      auto repo = storage::open_repository(config);
      if (!repo) return failed.add("open: " + repo.error().message);
      std::vector<note> imported;
      for (int i = 0; i < 40; ++i) {
        imported.push_back(make_note("imported " + std::to_string(i), "x", at(i)));
        imported.back().id = 100000 + i;
        imported.back().owner = 9;
        imported.back().tags = tag_sets[static_cast<std::size_t>(i % 4)];
      }
      if (auto done = (*repo)->import(imported); !done) {
        return failed.add("import: " + done.error().message);
      }
      if (auto moved = (*repo)->change_owner(9, no_account); !moved || *moved != 40) {
        failed.add("change owner: " + (moved ? std::to_string(*moved) : moved.error().message));
      }
    });
  }
  failed.report();
  auto repo = open_or_fail(config);
  CHECK(repo->list(9, list_order::newest_first, {1, 10}).value().total == 0);
  const auto stored = repo->all(no_account).value();
  std::map<std::string, std::int64_t> expected;
  for (const note& n : stored) {
    for (const std::string& tag : n.tags) ++expected[tag];
  }
  CHECK(repo->list(no_account, list_order::newest_first, {1, 10}).value().total ==
        static_cast<std::int64_t>(stored.size()));
  std::vector<tag_count> expected_tags;
  for (const auto& [tag, count] : expected) {
    expected_tags.push_back({tag, count});
    const std::vector<std::string> one{tag};
    CHECK(repo->list(no_account, list_order::pinned_first, {1, 10}, one).value().total == count);
  }
  CHECK(repo->tag_counts(no_account).value() == expected_tags);
}

}  // namespace notes::test
