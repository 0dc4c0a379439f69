#include "notes/note_repository.hpp"

#include <chrono>
#include <random>
#include <string>
#include <thread>
#include <utility>

namespace notes {
namespace {

// A writer racing us between read and write is retried this many times before giving up.
constexpr int max_update_attempts = 12;

// Between retries, a random pause that doubles each time (at most ~0.2 s in all: long enough
// for writers on several storage threads and a PostgreSQL round trip each), so that writers
// racing for one note spread out instead of colliding again in lockstep.
void back_off(int attempt) {
  thread_local std::minstd_rand random{std::random_device{}()};
  const auto ceiling = std::chrono::microseconds(50) * (1 << attempt);
  std::uniform_int_distribution<long long> pause(0, ceiling.count());
  std::this_thread::sleep_for(std::chrono::microseconds(pause(random)));
}

}  // namespace

void note_repository::update_then(account_id owner, note_id id, note_change change,
                                  std::int32_t keep_revisions, note_done done) {
  // A few lost races, then the caller is told to try again.
  for (int attempt = 0; attempt < max_update_attempts; ++attempt) {
    auto found = find(owner, id);
    if (!found) return done(std::unexpected(std::move(found.error())));
    if (!*found) {
      return done(make_error(error_code::not_found, "Note " + std::to_string(id) + " not found."));
    }
    auto changed = change(**found);
    if (!changed) return done(std::move(changed));
    auto stored = update(*changed, (*found)->version, keep_revisions);
    if (!stored && stored.error().code == error_code::conflict) {
      back_off(attempt);
      continue;
    }
    return done(std::move(stored));
  }
  done(make_error(error_code::conflict,
                  "Note " + std::to_string(id) + " is being changed too often; try again."));
}

}  // namespace notes
