// The storage lane: writes run on storage threads, so that while another process holds SQLite's
// write lock the writes wait there (and are answered 201 once it is released, or 503 with
// Retry-After after the wait, never after twice it), and health checks, static files and reads
// on the network threads answer at once. A real server on loopback, a real SQLite file, the lock
// held by a connection of the test's own, as the sqlite3 shell or a backup would hold it.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <chrono>
#include <functional>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "browser.hpp"
#include "http_client.hpp"
#include "notes/note_service.hpp"
#include "notes/storage/database.hpp"
#include "notes/storage/database_config.hpp"
#include "test_server.hpp"

using notes::testing::browser;
using notes::testing::http_client;
using notes::testing::http_response;
using notes::testing::sqlite_backend;
using notes::testing::test_server;
using std::chrono::milliseconds;
using clock_type = std::chrono::steady_clock;

namespace {

constexpr auto prompt = milliseconds(50);

// Another connection to the file in BEGIN IMMEDIATE: the write lock, until release().
class write_lock {
 public:
  explicit write_lock(const std::string& path) {
    REQUIRE(sqlite3_open(path.c_str(), &db_) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
  }
  ~write_lock() { sqlite3_close(db_); }
  write_lock(const write_lock&) = delete;
  write_lock& operator=(const write_lock&) = delete;
  void release() { sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr); }

 private:
  sqlite3* db_ = nullptr;
};

std::string file_of(const sqlite_backend& store) {
  return store.url().substr(std::string_view("sqlite:///").size());
}

// The store's repositories with a busy timeout of `busy` (the default is 5 s).
notes::http::repository_factory repositories(const sqlite_backend& store, milliseconds busy) {
  auto config = notes::storage::parse_database_url(store.url()).value();
  config.busy_timeout = busy;
  return [config]() -> std::unique_ptr<notes::note_repository> {
    return std::move(notes::storage::open_repository(config).value());
  };
}

notes::http::server_options lane_options(milliseconds wait, unsigned storage_threads = 4) {
  auto options = notes::testing::test_server_options();
  options.storage_wait = wait;
  options.storage_threads = storage_threads;
  options.sweep_trash = false;
  return options;
}

struct timed {
  http_response res;
  milliseconds took;
};

// Runs `request` on a client of its own, on another thread, timing it.
std::future<timed> in_background(std::uint16_t port,
                                 std::function<http_response(http_client&)> request) {
  return std::async(std::launch::async, [port, request = std::move(request)] {
    http_client client(port, "127.0.0.1", std::chrono::seconds(30));
    const auto began = clock_type::now();
    http_response res = request(client);
    return timed{std::move(res),
                 std::chrono::duration_cast<milliseconds>(clock_type::now() - began)};
  });
}

timed time_get(std::uint16_t port, std::string_view target) {
  http_client client(port);
  const auto began = clock_type::now();
  http_response res = client.get(target);
  return {std::move(res), std::chrono::duration_cast<milliseconds>(clock_type::now() - began)};
}

// Every kind of write the API takes, on `id`, plus a new note.
std::vector<std::function<http_response(http_client&)>> api_writes(std::int64_t id) {
  const std::string path = "/api/notes/" + std::to_string(id);
  return {
      [](http_client& c) { return c.post_json("/api/notes", R"({"title":"t","content":"c"})"); },
      [path](http_client& c) { return c.put_json(path, R"({"title":"u","content":"c"})"); },
      [path](http_client& c) { return c.patch_json(path, R"({"title":"p"})"); },
      [path](http_client& c) { return c.del(path); },
  };
}

}  // namespace

TEST_CASE("while another process holds the write lock, health, static files and reads answer "
          "at once, and the waiting writes succeed once it is released") {
  sqlite_backend store;
  const auto kept = notes::note_service(store.inspect()).create({"Kept", "text", false}).value();
  test_server server(repositories(store, std::chrono::seconds(10)),
                     lane_options(std::chrono::seconds(10)));
  browser page_user(server.port());
  const std::string token = notes::testing::csrf_token_in(page_user.get("/notes/new").body);

  write_lock lock(file_of(store));
  std::vector<std::future<timed>> writes;
  // More writes than network threads (two), so that on those they would hold up everything.
  for (int i = 0; i < 3; ++i) {
    writes.push_back(in_background(server.port(), [](http_client& c) {
      return c.post_json("/api/notes", R"({"title":"t","content":"c"})");
    }));
  }
  auto form = std::async(std::launch::async, [&] {
    return page_user.post_form("/notes/new",
                               {{"title", "Form"}, {"content", "x"}, {"csrf_token", token}});
  });
  std::this_thread::sleep_for(milliseconds(300));

  const std::string id = std::to_string(kept.id);
  for (const std::string& target : std::vector<std::string>{
           "/healthz", "/readyz", "/static/css/style.css", "/api/notes/" + id, "/notes/" + id}) {
    const timed answered = time_get(server.port(), target);
    INFO(target);
    CHECK(answered.res.status == 200);
    CHECK(answered.took < prompt);
  }
  for (auto& w : writes) {
    CHECK(w.wait_for(milliseconds(0)) == std::future_status::timeout);
  }

  lock.release();
  for (auto& w : writes) CHECK(w.get().res.status == 201);
  CHECK(form.get().status == 303);
  CHECK(store.inspect().all(std::nullopt).value().size() == 5);
}

TEST_CASE("a write waiting for another process's lock is answered 503 with Retry-After after "
          "the wait, never after twice it, and changes nothing") {
  sqlite_backend store;
  notes::note_service service(store.inspect());
  const auto kept = service.create({"Kept", "text", false}).value();
  const milliseconds wait{1000};
  // A storage thread for each write: none waits for a thread (a write that does may wait up to
  // the storage wait for one, and then the busy timeout).
  test_server server(repositories(store, wait), lane_options(wait, 5));
  browser page_user(server.port());
  const std::string token = notes::testing::csrf_token_in(page_user.get("/notes/new").body);

  write_lock lock(file_of(store));
  std::vector<std::future<timed>> writes;
  for (auto& write : api_writes(kept.id)) writes.push_back(in_background(server.port(), write));
  const auto form_began = clock_type::now();
  auto form = std::async(std::launch::async, [&] {
    return page_user.post_form("/notes/new",
                               {{"title", "Form"}, {"content", "x"}, {"csrf_token", token}});
  });

  for (auto& w : writes) {
    const timed answered = w.get();
    CHECK(answered.res.status == 503);
    CHECK(answered.res.has_header("Retry-After"));
    CHECK(answered.took >= wait * 9 / 10);
    CHECK(answered.took < wait * 2);
  }
  const http_response page = form.get();
  CHECK(page.status == 503);
  CHECK(page.has_header("Retry-After"));
  CHECK(clock_type::now() - form_began < wait * 2);

  lock.release();
  const auto stored = store.inspect().all(std::nullopt).value();
  REQUIRE(stored.size() == 1);
  CHECK(stored.front().title == "Kept");
  CHECK(stored.front().version == 1);
}

TEST_CASE("a write that no storage thread starts within the storage wait is answered 503 with "
          "Retry-After then, without running, and nothing else slows down") {
  sqlite_backend store;
  notes::note_service service(store.inspect());
  std::vector<std::string> paths;
  for (const char* title : {"first", "queued", "queued later"}) {
    paths.push_back("/api/notes/" + std::to_string(service.create({title, "c", false})->id));
  }
  const milliseconds wait{500};
  // One storage thread, held by a write that waits far longer than the storage wait. Deletes
  // run on the storage lane (new notes and changes are handed off and never wait for a
  // thread).
  test_server server(repositories(store, std::chrono::seconds(5)), lane_options(wait, 1));
  write_lock lock(file_of(store));
  auto first = in_background(server.port(), [&](http_client& c) { return c.del(paths[0]); });
  std::this_thread::sleep_for(milliseconds(100));
  auto queued = in_background(server.port(), [&](http_client& c) { return c.del(paths[1]); });
  std::this_thread::sleep_for(milliseconds(100));
  const timed health = time_get(server.port(), "/healthz");
  CHECK(health.res.status == 200);
  CHECK(health.took < prompt);
  // Queued behind the other: its own wait counts from its own arrival.
  auto queued_later = in_background(server.port(), [&](http_client& c) { return c.del(paths[2]); });

  for (auto* waiting : {&queued, &queued_later}) {
    const timed refused = waiting->get();
    CHECK(refused.res.status == 503);
    CHECK(refused.res.has_header("Retry-After"));
    CHECK(refused.took >= wait * 9 / 10);
    CHECK(refused.took < wait * 3 / 2);
  }
  CHECK(first.wait_for(milliseconds(0)) == std::future_status::timeout);

  lock.release();
  CHECK(first.get().res.status == 200);
  const auto stored = store.inspect().all(std::nullopt).value();
  REQUIRE(stored.size() == 2);
  for (const auto& n : stored) CHECK(n.title != "first");
}

TEST_CASE("new notes and changes from many connections are handed off, wait for another "
          "process's lock together while one storage thread is free, and commit in one batch "
          "once released") {
  sqlite_backend store;
  const auto config = notes::storage::parse_database_url(store.url()).value();
  test_server server(repositories(store, std::chrono::seconds(10)),
                     lane_options(std::chrono::seconds(10), 1));
  const auto kept = notes::note_service(store.inspect()).create({"Kept", "text", false}).value();
  const auto doomed = notes::note_service(store.inspect()).create({"Doomed", "x", false}).value();

  write_lock lock(file_of(store));
  constexpr int posted = 8;
  std::vector<std::future<timed>> writes;
  for (int i = 0; i < posted; ++i) {
    writes.push_back(in_background(server.port(), [i](http_client& c) {
      return c.post_json("/api/notes",
                         R"({"title":"handed )" + std::to_string(i) + R"(","content":"c"})");
    }));
  }
  // A change is handed off too, and a delete waits on the storage lane's one thread, which
  // none of them holds.
  auto change = in_background(server.port(), [&kept](http_client& c) {
    return c.patch_json("/api/notes/" + std::to_string(kept.id), R"({"title":"changed"})");
  });
  auto removal = in_background(server.port(), [&doomed](http_client& c) {
    return c.del("/api/notes/" + std::to_string(doomed.id));
  });
  std::this_thread::sleep_for(milliseconds(500));
  const timed health = time_get(server.port(), "/healthz");
  CHECK(health.res.status == 200);
  CHECK(health.took < prompt);
  for (auto& w : writes) CHECK(w.wait_for(milliseconds(0)) == std::future_status::timeout);
  const auto before = notes::storage::write_batches_so_far(config).value();

  lock.release();
  for (auto& w : writes) CHECK(w.get().res.status == 201);
  CHECK(change.get().res.status == 200);
  CHECK(removal.get().res.status == 200);
  const auto after = notes::storage::write_batches_so_far(config).value();
  CHECK(after.writes - before.writes == posted + 2);
  // The batch that waited for the lock, then one more (two or three if a request reached the
  // server late): not one per write, as when each write held a storage thread until it
  // committed.
  CHECK(after.transactions - before.transactions <= 4);
  const auto stored = store.inspect().all(std::nullopt).value();
  CHECK(stored.size() == posted + 1);
  CHECK(store.inspect().find(notes::no_account, kept.id).value()->title == "changed");
}

TEST_CASE("the storage lane has four threads by default and refuses to start with none or "
          "without a wait") {
  notes::testing::memory_backend store;
  {
    test_server server(store.repositories());
    CHECK(server.server().storage_threads() == 4);
  }
  auto none = notes::testing::test_server_options();
  none.storage_threads = 0;
  CHECK_THROWS_AS(test_server(store.repositories(), none), std::invalid_argument);
  auto no_wait = notes::testing::test_server_options();
  no_wait.storage_wait = milliseconds(0);
  CHECK_THROWS_AS(test_server(store.repositories(), no_wait), std::invalid_argument);
}
