// The server's trash sweep, against a real server on SQLite.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include <boost/json.hpp>

#include "api_fixture.hpp"
#include "notes/time.hpp"

using namespace notes::testing;
using namespace std::chrono_literals;

namespace {

// A live note stored straight through the repository, then moved to the trash `ago`.
notes::note_id trashed_ago(notes::note_repository& repository, std::string_view title,
                           std::chrono::hours ago) {
  const auto now = notes::system_now();
  notes::note fresh;
  fresh.title = title;
  fresh.content = "text";
  fresh.created_at = now - ago - 1h;
  fresh.updated_at = fresh.created_at;
  const auto made = repository.create(fresh).value();
  REQUIRE(repository.trash(notes::no_account, made.id, std::nullopt, now - ago));
  return made.id;
}

bool in_trash(notes::note_repository& repository, notes::note_id id) {
  return repository.find_trashed(notes::no_account, id).value().has_value();
}

// Waits (a few seconds at most) for the sweep the server runs at start.
bool gone_soon(notes::note_repository& repository, notes::note_id id) {
  for (int i = 0; i < 100; ++i) {
    if (!in_trash(repository, id)) return true;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

}  // namespace

TEST_CASE("trash sweep: at start the server deletes notes trashed longer than trash_days ago") {
  sqlite_backend store;
  const auto old_id = trashed_ago(store.inspect(), "Long gone", 24h * 31);
  const auto recent_id = trashed_ago(store.inspect(), "Yesterday", 24h);
  auto options = test_server_options();
  options.trash_days = std::chrono::days(30);
  test_server server(store.repositories(), options);
  CHECK(gone_soon(store.inspect(), old_id));
  CHECK(in_trash(store.inspect(), recent_id));
  // Counted once the sweep has returned, just after the delete.
  http_client client(server.port());
  bool counted = false;
  for (int i = 0; i < 100 && !counted; ++i) {
    counted = client.get("/metrics").body.find("\nnotes_trash_swept_total 1\n") !=
              std::string::npos;
    if (!counted) std::this_thread::sleep_for(50ms);
  }
  CHECK(counted);
}

TEST_CASE("trash sweep: with trash_days 0 the server deletes the whole trash at start") {
  sqlite_backend store;
  const auto id = trashed_ago(store.inspect(), "Just now", 0h);
  auto options = test_server_options();
  options.trash_days = std::chrono::days(0);
  test_server server(store.repositories(), options);
  CHECK(gone_soon(store.inspect(), id));
}
