// notes-server as a supervisor sees it: one start-up line (address, database without its
// password, version), and SIGTERM draining requests in flight within a bounded time.
#include <doctest/doctest.h>
#include <signal.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <sqlite3.h>

#include <algorithm>
#include <future>
#include <thread>

#include "http_client.hpp"
#include "notes/storage/database.hpp"
#include "prometheus_text.hpp"
#include "raw_connection.hpp"
#include "server_processes.hpp"
#include "sqlite_exec.hpp"
#include "store_available.hpp"

using notes::testing::http_client;
using notes::testing::postgres_backend;
using notes::testing::raw_connection;
using notes::testing::server_process;
using notes::testing::sqlite_backend;
using clock_type = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

std::vector<std::string> lines_with(const std::string& text, std::string_view needle) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    std::string line = text.substr(start, end - start);
    if (line.find(needle) != std::string::npos) out.push_back(line);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

// Another process's writer holding SQLite's write lock (as the sqlite3 shell or a backup may).
class sqlite_write_lock {
 public:
  explicit sqlite_write_lock(const std::filesystem::path& file) {
    REQUIRE(sqlite3_open(file.c_str(), &db_) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
  }
  ~sqlite_write_lock() { sqlite3_close(db_); }
  sqlite_write_lock(const sqlite_write_lock&) = delete;
  sqlite_write_lock& operator=(const sqlite_write_lock&) = delete;

 private:
  sqlite3* db_ = nullptr;
};

bool accepts_connections(std::uint16_t port) {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket socket(ioc);
  boost::system::error_code ec;
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
  return !ec;
}

}  // namespace

TEST_CASE("the start-up line names the address, the database without its password, the version") {
  if (!notes::testing::store_available<postgres_backend>()) return;
  postgres_backend database;
  // The fixture's cluster trusts local connections, so any password gets in.
  std::string url = database.url();
  url.replace(url.find('@'), 1, ":s3cr%40t-pw@");
  server_process server(url);
  const std::string& log = server.process->stderr_text();
  const auto started = lines_with(log, "listening on");
  REQUIRE(started.size() == 1);
  const std::string expected = "notes-server: version " NOTES_VERSION
                               " listening on http://127.0.0.1:" +
                               std::to_string(server.port) + " database postgresql://notes:***@";
  CHECK_MESSAGE(started[0].starts_with(expected), started[0]);
  CHECK(started[0].find("/" + database.config().database_name + " threads 2") !=
        std::string::npos);
  CHECK(log.find("s3cr") == std::string::npos);
  CHECK(http_client(server.port).get("/readyz").status == 200);
}

TEST_CASE("SIGTERM lets a request in flight finish, refuses new connections, and exits 0") {
  sqlite_backend store;
  server_process server(store.url(), {"SHUTDOWN_TIMEOUT=10", "READ_TIMEOUT=10"});
  raw_connection busy(server.port);
  const std::string body = R"({"title": "in flight", "content": "during SIGTERM"})";
  busy.send("POST /api/notes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 10));
  std::this_thread::sleep_for(milliseconds(100));

  const auto start = clock_type::now();
  server.process->signal(SIGTERM);
  REQUIRE_FALSE(server.process->wait_for(std::regex("stopping on SIGTERM"), std::chrono::seconds(5))
                    .empty());
  std::this_thread::sleep_for(milliseconds(100));
  CHECK_FALSE(accepts_connections(server.port));

  busy.send(body.substr(10));
  const std::string answer = busy.receive_all();
  CHECK(http_client::raw_status(answer) == 201);
  CHECK(answer.find("Connection: close") != std::string::npos);
  CHECK(server.process->finish(std::chrono::seconds(10)) == 0);
  CHECK(clock_type::now() - start < std::chrono::seconds(5));
  CHECK(server.process->stderr_text().find("notes-server: stopped") != std::string::npos);
  const auto stored = store.inspect().all(std::nullopt).value();
  REQUIRE(stored.size() == 1);
  CHECK(stored[0].title == "in flight");
}

TEST_CASE("SIGTERM gives up on a request that never completes after SHUTDOWN_TIMEOUT") {
  sqlite_backend store;
  server_process server(store.url(), {"SHUTDOWN_TIMEOUT=1", "READ_TIMEOUT=60"});
  raw_connection stuck(server.port);
  stuck.send("GET /api/notes HTTP/1.1\r\nHost: x\r\n");  // the blank line never comes
  std::this_thread::sleep_for(milliseconds(100));
  const auto start = clock_type::now();
  server.process->signal(SIGTERM);
  CHECK(server.process->finish(std::chrono::seconds(20)) == 0);
  const auto took = clock_type::now() - start;
  CHECK(took >= milliseconds(900));
  CHECK(took < std::chrono::seconds(4));
  CHECK(server.process->stderr_text().find("still running after the shutdown timeout") !=
        std::string::npos);
  CHECK(stuck.receive_all().empty());
}

TEST_CASE("SIGTERM while requests wait for another process's SQLite lock exits within "
          "SHUTDOWN_TIMEOUT, answering them 503") {
  sqlite_backend store;
  const std::filesystem::path file = store.url().substr(std::string("sqlite:///").size());
  server_process server(store.url(), {"SHUTDOWN_TIMEOUT=2", "THREADS=2"});
  // One connection per worker thread, accepted before either blocks: a worker busy in a
  // handler accepts nothing meanwhile.
  std::vector<std::unique_ptr<http_client>> clients;
  for (int i = 0; i < 2; ++i) {
    clients.push_back(std::make_unique<http_client>(server.port));
    REQUIRE(clients.back()->get("/healthz").status == 200);
  }
  sqlite_write_lock other_writer(file);  // held past the busy timeout (5 s) and the test
  std::vector<std::future<unsigned>> answers;
  for (auto& client : clients) {
    answers.push_back(std::async(std::launch::async, [&client] {
      return client->post_json("/api/notes", R"({"title": "t", "content": "c"})").status;
    }));
  }
  std::this_thread::sleep_for(milliseconds(500));  // both handlers are waiting by now

  const auto start = clock_type::now();
  server.process->signal(SIGTERM);
  CHECK(server.process->finish(std::chrono::seconds(30)) == 0);
  const auto took = clock_type::now() - start;
  CHECK(took >= milliseconds(1900));
  CHECK(took < milliseconds(3500));
  for (auto& answer : answers) CHECK(answer.get() == 503);
  CHECK(server.process->stderr_text().find("notes-server: stopped") != std::string::npos);
}

TEST_CASE("SIGTERM while a request waits for a PostgreSQL lock still exits soon after "
          "SHUTDOWN_TIMEOUT") {
  if (!notes::testing::store_available<postgres_backend>()) return;
  postgres_backend database;
  server_process server(database.url(), {"SHUTDOWN_TIMEOUT=1", "THREADS=2"});
  const auto& c = database.config();
  soci::session other(soci::postgresql, "host=" + c.host + " port=" + std::to_string(c.port) +
                                            " dbname=" + c.database_name +
                                            (c.user.empty() ? "" : " user=" + c.user));
  other << "BEGIN";
  other << "LOCK TABLE notes IN SHARE MODE";  // writers wait, readers do not
  http_client writer(server.port);
  http_client watcher(server.port);  // on the other worker thread, which stays free
  REQUIRE(writer.get("/healthz").status == 200);
  REQUIRE(watcher.get("/healthz").status == 200);
  auto waiting = std::async(std::launch::async, [&writer]() -> unsigned {
    try {
      return writer.post_json("/api/notes", R"({"title": "t", "content": "c"})").status;
    } catch (const std::exception&) {
      return 0;  // cut without an answer
    }
  });
  // The POST is being handled (and waits for the lock) once two requests are in flight: it and
  // this scrape.
  bool in_flight = false;
  for (int i = 0; i < 250 && !in_flight; ++i) {
    const auto m = notes::testing::parse_prometheus_text(watcher.get("/metrics").body);
    in_flight = m.value("notes_http_requests_in_flight") == 2;
    if (!in_flight) std::this_thread::sleep_for(milliseconds(20));
  }
  REQUIRE(in_flight);
  watcher.disconnect();

  const auto start = clock_type::now();
  server.process->signal(SIGTERM);
  CHECK(server.process->finish(std::chrono::seconds(30)) == 0);
  const auto took = clock_type::now() - start;
  CHECK(took < milliseconds(4500));  // the timeout, the server's second, and the last resort
  CHECK(server.process->stderr_text().find("waiting on storage past the shutdown timeout") !=
        std::string::npos);
  CHECK(waiting.get() == 0);
  other << "ROLLBACK";
}

TEST_CASE("notes-server refuses to start on a database a newer version has migrated") {
  sqlite_backend store;
  const std::filesystem::path file = store.url().substr(std::string("sqlite:///").size());
  notes::testing::sqlite_exec(
      file, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (" +
                std::to_string(notes::storage::latest_schema_version() + 1) + ", 'newer', 0)");
  const auto dir = notes::testing::make_temp_directory("notes-newer-schema");
  notes::testing::child_process c(NOTES_SERVER_PATH, {}, {"DATABASE_URL=" + store.url(), "PORT=0"},
                                  dir);
  CHECK(c.finish(std::chrono::seconds(30)) == 1);
  // What migrate says, in the library's terms: serve migrates before it opens anything.
  CHECK(c.stderr_text().find("newer than this build of notes knows") != std::string::npos);
  CHECK(c.stderr_text().find("listening") == std::string::npos);
  std::filesystem::remove_all(dir);
}
