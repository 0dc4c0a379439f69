// GET /healthz, /readyz and /metrics on the real server in this process.
#include <doctest/doctest.h>

#include <fstream>
#include <future>
#include <thread>

#include <boost/json/parse.hpp>

#include "failing_repository.hpp"
#include "http_client.hpp"
#include "notes/storage/database.hpp"
#include "prometheus_text.hpp"
#include "raw_connection.hpp"
#include "sqlite_exec.hpp"
#include "storage.hpp"
#include "test_server.hpp"

using notes::testing::http_client;
using notes::testing::memory_backend;
using notes::testing::metric_families;
using notes::testing::parse_prometheus_text;
using notes::testing::raw_connection;
using notes::testing::sqlite_backend;
using notes::testing::sqlite_exec;
using notes::testing::test_server;
using notes::testing::test_server_options;

namespace {

notes::http::repository_factory failing(notes::error_code code) {
  return notes::testing::failing(code, "simulated");
}

metric_families scrape(http_client& client) {
  auto res = client.get("/metrics");
  REQUIRE(res.status == 200);
  CHECK(res.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8");
  CHECK(res.header("Cache-Control") == "no-store");
  return parse_prometheus_text(res.body);
}

double requests(const metric_families& m, const std::map<std::string, std::string>& labels) {
  return m.value("notes_http_requests_total", labels).value_or(0);
}

// The readiness check notes-server wires for this database URL.
notes::http::server_options options_with_readiness_of(const std::string& url) {
  auto storage = notes::app::storage_backend::from_url(url);
  REQUIRE(storage.has_value());
  auto options = test_server_options();
  options.ops.readiness = storage->readiness();
  REQUIRE(options.ops.readiness);
  return options;
}

}  // namespace

TEST_CASE("GET /healthz is 200 JSON while the process runs, even with storage down") {
  auto options = test_server_options();
  options.ops.readiness = [] {
    return notes::result<void>(notes::make_error(notes::error_code::unavailable, "down"));
  };
  test_server server(failing(notes::error_code::unavailable), options);
  http_client client(server.port());
  auto res = client.get("/healthz");
  CHECK(res.status == 200);
  CHECK(res.header("Content-Type") == "application/json");
  CHECK(res.header("Cache-Control") == "no-store");
  CHECK(res.json() == boost::json::parse(R"({"status":"ok"})"));
  CHECK(client.head("/healthz").status == 200);
  auto wrong = client.request("POST", "/healthz");
  CHECK(wrong.status == 405);
  CHECK(wrong.json().at("error") == "Method not allowed");
}

TEST_CASE("GET /readyz is 200 when the database answers and its schema is current") {
  sqlite_backend store;
  test_server server(store.repositories(), options_with_readiness_of(store.url()));
  http_client client(server.port());
  auto res = client.get("/readyz");
  CHECK(res.status == 200);
  CHECK(res.header("Content-Type") == "application/json");
  CHECK(res.json() == boost::json::parse(R"({"status":"ready"})"));
}

TEST_CASE("GET /readyz is 503 with the reason when the schema is behind or ahead") {
  sqlite_backend store;
  const std::filesystem::path file = store.url().substr(std::string("sqlite:///").size());
  test_server server(store.repositories(), options_with_readiness_of(store.url()));
  http_client client(server.port());
  REQUIRE(client.get("/readyz").status == 200);

  // A newer notes-server migrated the database meanwhile.
  const auto newer = notes::storage::latest_schema_version() + 1;
  sqlite_exec(file, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (" +
                        std::to_string(newer) + ", 'from the future', 0)");
  auto res = client.get("/readyz");
  CHECK(res.status == 503);
  CHECK(res.header("Retry-After") == "1");
  CHECK(res.json().at("status") == "unavailable");
  CHECK(std::string(res.json().at("error").as_string()).find("newer") != std::string::npos);

  // An older schema (as after restoring an old backup).
  sqlite_exec(file, "DELETE FROM schema_migrations WHERE version >= " +
                        std::to_string(notes::storage::latest_schema_version()));
  res = client.get("/readyz");
  CHECK(res.status == 503);
  CHECK(std::string(res.json().at("error").as_string()).find("migrate") != std::string::npos);
}

TEST_CASE("GET /readyz is 503 when the database cannot be reached") {
  memory_backend store;
  auto dir = notes::testing::make_temp_directory("notes-readyz");
  // A file where SQLite expects a folder: the database cannot be opened.
  std::ofstream(dir / "not-a-folder") << "x";
  test_server server(store.repositories(),
                     options_with_readiness_of("sqlite:///" + (dir / "not-a-folder" / "n.db").string()));
  http_client client(server.port());
  auto res = client.get("/readyz");
  CHECK(res.status == 503);
  CHECK(res.json().at("status") == "unavailable");
  CHECK(client.get("/healthz").status == 200);
  std::filesystem::remove_all(dir);
}

TEST_CASE("GET /readyz is 503 for a request that arrives while the server stops") {
  memory_backend store;
  auto options = test_server_options();
  options.read_timeout = std::chrono::seconds(10);
  test_server server(store.repositories(), options);
  raw_connection late(server.port());
  late.send("GET /readyz HTTP/1.1\r\nHost: x\r\n");
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto stopped = std::async(std::launch::async, [&] { server.stop(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  late.send("\r\n");
  std::string answer = late.receive_all();
  stopped.get();
  CHECK(http_client::raw_status(answer) == 503);
  CHECK(answer.find(R"("status":"stopping")") != std::string::npos);
}

TEST_CASE("GET /metrics counts requests by route pattern, method and status") {
  memory_backend store;
  test_server server(store.repositories());
  http_client client(server.port());
  auto created = client.post_json("/api/notes", R"({"title": "t", "content": "c"})");
  REQUIRE(created.status == 201);
  const std::string url = created.header("Location");
  CHECK(client.get(url).status == 200);
  CHECK(client.get(url + "?x=1").status == 200);
  CHECK(client.get("/api/notes/987654").status == 404);
  CHECK(client.del("/api/notes").status == 405);
  CHECK(client.get("/no/such/page").status == 404);
  CHECK(client.get("/notes").status == 200);

  const metric_families m = scrape(client);
  CHECK(m.types.at("notes_http_requests_total") == "counter");
  CHECK(m.types.at("notes_http_request_duration_seconds") == "histogram");
  CHECK(m.types.at("notes_http_requests_in_flight") == "gauge");
  CHECK(m.types.at("notes_storage_errors_total") == "counter");
  CHECK(m.types.at("notes_stored_notes") == "gauge");

  const std::string one = "/api/notes/{id:int}";
  CHECK(requests(m, {{"route", one}, {"method", "GET"}, {"status", "200"}}) == 2);
  CHECK(requests(m, {{"route", one}, {"method", "GET"}, {"status", "404"}}) == 1);
  CHECK(requests(m, {{"route", "/api/notes"}, {"method", "POST"}, {"status", "201"}}) == 1);
  CHECK(requests(m, {{"route", "/api/notes"}, {"method", "DELETE"}, {"status", "405"}}) == 1);
  CHECK(requests(m, {{"route", "unmatched"}, {"method", "GET"}, {"status", "404"}}) == 1);
  CHECK(requests(m, {{"route", "/notes"}, {"method", "GET"}, {"status", "200"}}) == 1);
  // Routes, never raw paths: one series however many notes there are.
  for (const auto& s : m.samples) {
    if (s.labels.count("route")) CHECK(s.labels.at("route").find("987654") == std::string::npos);
  }

  // The histogram agrees with the counters, and its buckets only grow.
  const std::string family = "notes_http_request_duration_seconds";
  CHECK(m.value(family + "_count", {{"route", one}}) == 3);
  double previous = 0;
  int buckets = 0;
  for (const auto& s : m.samples) {
    if (s.name != family + "_bucket" || s.labels.at("route") != one) continue;
    CHECK(s.value >= previous);
    previous = s.value;
    ++buckets;
  }
  CHECK(buckets >= 10);
  CHECK(m.value(family + "_bucket", {{"route", one}, {"le", "+Inf"}}) == 3);
  CHECK(m.value(family + "_sum", {{"route", one}}).value() > 0);

  CHECK(m.value("notes_http_requests_in_flight") >= 1);  // this scrape itself
  CHECK(m.value("notes_stored_notes") == 1);
  CHECK(m.value("notes_storage_errors_total", {{"kind", "unavailable"}}) == 0);
  CHECK(m.value("notes_storage_errors_total", {{"kind", "storage_failure"}}) == 0);
  CHECK(m.value("notes_build_info", {{"version", NOTES_VERSION}}) == 1);
}

TEST_CASE("GET /metrics adds up every worker thread exactly") {
  memory_backend store;
  auto options = test_server_options();
  options.threads = 2;
  test_server server(store.repositories(), options);
  constexpr int clients = 6;
  constexpr int each = 40;
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&] {
      http_client client(server.port());
      for (int i = 0; i < each; ++i) client.get("/healthz");
    });
  }
  for (auto& t : threads) t.join();
  http_client client(server.port());
  // A request is counted once its response is written, which its client may see a moment before
  // the server thread gets to count it.
  metric_families m = scrape(client);
  for (int i = 0; i < 50 && requests(m, {{"route", "/healthz"}, {"status", "200"}}) <
                                clients * each;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    m = scrape(client);
  }
  CHECK(requests(m, {{"route", "/healthz"}, {"status", "200"}}) == clients * each);
  CHECK(m.value("notes_http_request_duration_seconds_count", {{"route", "/healthz"}}) ==
        clients * each);
}

TEST_CASE("GET /metrics counts requests still arriving as in flight") {
  memory_backend store;
  test_server server(store.repositories());
  http_client client(server.port());
  CHECK(scrape(client).value("notes_http_requests_in_flight") == 1);
  {
    raw_connection slow(server.port());
    slow.send("POST /api/notes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK(scrape(client).value("notes_http_requests_in_flight") == 2);
  }
  // The abandoned request ends with its connection.
  for (int i = 0; i < 50 && scrape(client).value("notes_http_requests_in_flight") != 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(scrape(client).value("notes_http_requests_in_flight") == 1);
}

TEST_CASE("GET /metrics counts storage errors by kind and still answers without a count") {
  for (auto code : {notes::error_code::unavailable, notes::error_code::storage_failure,
                    notes::error_code::storage_full, notes::error_code::read_only}) {
    const std::string kind(notes::to_string(code));
    CAPTURE(kind);
    test_server server(failing(code));
    http_client client(server.port());
    CHECK(client.get("/api/notes").status >= 500);
    CHECK(client.get("/notes").status >= 500);
    CHECK(client.post_json("/api/notes", R"({"title": "t", "content": "c"})").status >= 500);
    const metric_families m = scrape(client);
    // Three requests, and the scrape's own attempt to count the notes.
    CHECK(m.value("notes_storage_errors_total", {{"kind", kind}}) == 4);
    CHECK_FALSE(m.value("notes_stored_notes").has_value());
    CHECK(requests(m, {{"route", "/api/notes"}, {"method", "GET"}}) == 1);
  }
}

TEST_CASE("GET /metrics counts SQLite's write transactions and the writes they saved") {
  sqlite_backend store;
  auto storage = notes::app::storage_backend::from_url(store.url());
  REQUIRE(storage.has_value());
  auto options = test_server_options();
  options.ops.write_batches = storage->write_batches();
  REQUIRE(options.ops.write_batches);
  options.sweep_trash = false;  // its write at start would count too
  test_server server(store.repositories(), options);
  http_client client(server.port());
  const metric_families before = scrape(client);
  CHECK(before.types.at("notes_storage_write_transactions_total") == "counter");
  CHECK(before.types.at("notes_storage_writes_total") == "counter");
  CHECK(before.value("notes_storage_writes_total") == 0);

  // Writers on several connections at once: each 201 is one saved write, in as many
  // transactions as the queue made of them, never more.
  constexpr int writers = 4;
  constexpr int each = 25;
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&] {
      http_client mine(server.port());
      for (int i = 0; i < each; ++i) {
        CHECK(mine.post_json("/api/notes", R"({"title": "t", "content": "c"})").status == 201);
      }
    });
  }
  for (auto& t : threads) t.join();
  // A refused write saves nothing and is not counted.
  CHECK(client.post_json("/api/notes", R"({"title": "", "content": "c"})").status == 400);
  const metric_families m = scrape(client);
  CHECK(m.value("notes_storage_writes_total") == writers * each);
  const double transactions = m.value("notes_storage_write_transactions_total").value_or(0);
  CHECK(transactions >= 1);
  CHECK(transactions <= writers * each);
  // Far too few pages for a checkpoint: both counted, both zero.
  CHECK(m.types.at("notes_storage_wal_checkpoints_total") == "counter");
  CHECK(m.value("notes_storage_wal_checkpoints_total", {{"on", "thread"}}) == 0);
  CHECK(m.value("notes_storage_wal_checkpoints_total", {{"on", "writer"}}) == 0);

  // The search queue is moved after a quiet second by the next batch, once its writes have
  // their answers: counted as moved. No update kept a revision, so the revision queue was never
  // moved; nothing was put off.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  CHECK(client.post_json("/api/notes", R"({"title": "t", "content": "c"})").status == 201);
  metric_families after = scrape(client);
  const auto moves = [&](const char* queue, const char* outcome) {
    return after.value("notes_storage_queue_moves_total",
                       {{"queue", queue}, {"outcome", outcome}})
        .value_or(-1);
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (moves("search", "moved") < 1 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    after = scrape(client);
  }
  CHECK(after.types.at("notes_storage_queue_moves_total") == "counter");
  CHECK(moves("search", "moved") >= 1);
  CHECK(moves("search", "deferred") == 0);
  CHECK(moves("revisions", "moved") == 0);
  CHECK(moves("revisions", "deferred") == 0);
}

TEST_CASE("GET /metrics tells no write batches where storage makes none") {
  memory_backend store;
  test_server server(store.repositories());
  http_client client(server.port());
  const metric_families m = scrape(client);
  CHECK(m.types.count("notes_storage_write_transactions_total") == 0);
  CHECK(m.types.count("notes_storage_writes_total") == 0);
  CHECK(m.types.count("notes_storage_wal_checkpoints_total") == 0);
  CHECK(m.types.count("notes_storage_queue_moves_total") == 0);
  CHECK_FALSE(notes::app::storage_backend::from_url("memory://")->write_batches());
}
