// The SQLite file under a running notes-server: deleted, replaced, no longer writable by the
// server's user, or out of room. What a client gets (status and message), what /readyz and
// /metrics say, what the log says, and that nothing answered 201 is missing after a restart.
#include <doctest/doctest.h>

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <optional>

#include <boost/json/parse.hpp>

#include "http_client.hpp"
#include "prometheus_text.hpp"
#include "server_processes.hpp"
#include "sqlite_exec.hpp"
#include "sqlite_size_limit.hpp"
#include "test_server.hpp"

using notes::testing::child_process;
using notes::testing::http_client;
using notes::testing::parse_prometheus_text;
using notes::testing::server_process;
namespace fs = std::filesystem;

namespace {

constexpr const char* a_note = R"({"title": "t", "content": "c"})";

std::size_t lines_with(const std::string& text, std::string_view needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

void check_refused(const notes::testing::http_response& res) {
  CAPTURE(res.body);
  CHECK(res.status == 503);
  CHECK(res.body == R"({"error":"Storage accepts no changes at the moment; nothing was changed"})");
  CHECK_FALSE(res.has_header("Retry-After"));  // not until an operator acts
}

std::string readiness_error(http_client& client) {
  auto res = client.get("/readyz");
  CHECK(res.status == 503);
  CHECK(res.json().at("status") == "unavailable");
  return std::string(res.json().at("error").as_string());
}

double storage_errors(http_client& client, const std::string& kind) {
  const auto m = parse_prometheus_text(client.get("/metrics").body);
  return m.value("notes_storage_errors_total", {{"kind", kind}}).value_or(-1);
}

fs::path file_of(const std::string& sqlite_url) {
  return sqlite_url.substr(std::string("sqlite:///").size());
}

}  // namespace

TEST_CASE("a database file deleted under notes-server: writes answer 503, /readyz says why "
          "without creating a file, and the log says it once") {
  notes::testing::sqlite_backend store;
  const fs::path file = file_of(store.url());
  server_process server(store.url());
  http_client client(server.port);
  REQUIRE(client.post_json("/api/notes", a_note).status == 201);

  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(file.string() + suffix);
  for (int i = 0; i < 3; ++i) check_refused(client.post_json("/api/notes", a_note));
  CHECK(client.get("/api/notes/1").status == 200);  // reads still come from the open file
  const std::string why = readiness_error(client);
  CHECK(why.find("was deleted") != std::string::npos);
  CHECK(why.find(file.string()) != std::string::npos);
  CHECK_FALSE(fs::exists(file));
  CHECK(storage_errors(client, "read_only") == 3);

  client.disconnect();
  server.process->signal(SIGTERM);
  CHECK(server.process->finish(std::chrono::seconds(20)) == 0);
  const std::string& log = server.process->stderr_text();
  CHECK(lines_with(log, "error: storage read-only: ") == 1);
  CHECK(lines_with(log, "was deleted or moved away while notes-server") == 1);
  CHECK_FALSE(fs::exists(file));
  CHECK_FALSE(fs::exists(file.string() + "-wal"));
}

TEST_CASE("a database file replaced under notes-server: writes answer 503 and the restored file "
          "is what the next start finds, untouched") {
  notes::testing::sqlite_backend store;
  const fs::path file = file_of(store.url());
  const fs::path backup = file.parent_path() / "backup.db";
  {
    server_process server(store.url());
    http_client client(server.port);
    REQUIRE(client.post_json("/api/notes", R"({"title": "in the backup", "content": "c"})")
                .status == 201);
    notes::testing::sqlite_exec(file, "VACUUM INTO '" + backup.string() + "'");
    REQUIRE(client.post_json("/api/notes", R"({"title": "after it", "content": "c"})").status ==
            201);
    fs::rename(backup, file);  // a restore while the server runs

    check_refused(client.post_json("/api/notes", a_note));
    CHECK(readiness_error(client).find("was replaced") != std::string::npos);
    CHECK(client.get("/api/notes/2").status == 200);  // the file it opened
    client.disconnect();
    server.process->signal(SIGTERM);
    CHECK(server.process->finish(std::chrono::seconds(20)) == 0);
  }
  // The old file's -wal must not outlive it: the restored file would read its pages.
  server_process restarted(store.url());
  http_client client(restarted.port);
  const auto notes = client.get("/api/notes").json();
  CHECK(notes.at("total") == 1);
  CHECK(notes.at("notes").at(0).at("title") == "in the backup");
  CHECK(client.get("/readyz").status == 200);
}

TEST_CASE("/readyz turns 503 when the database file is no longer writable by the server's user") {
  const fs::path dir = notes::testing::make_temp_directory("notes-read-only");
  const fs::path file = dir / "notes.db";
  const bool root = ::geteuid() == 0;
  // Root may write any file whatever its mode: the server runs as nobody then.
  if (root) REQUIRE(::chown(dir.c_str(), 65534, 65534) == 0);
  std::vector<std::string> env{"DATABASE_URL=sqlite:///" + file.string(), "HOST=127.0.0.1",
                               "PORT=0", "THREADS=2", "ACCESS_LOG=0"};
  const std::string program = root ? "/usr/bin/setpriv" : NOTES_SERVER_PATH;
  std::vector<std::string> args;
  if (root) args = {"--reuid=65534", "--regid=65534", "--clear-groups", "--", NOTES_SERVER_PATH};
  {
    child_process server(program, args, env, dir);
    const auto port = server.wait_until_listening();
    REQUIRE_MESSAGE(port != 0, server.stderr_text());
    http_client client(port);
    CHECK(client.get("/readyz").status == 200);

    fs::permissions(file, fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write,
                    fs::perm_options::remove);
    const std::string why = readiness_error(client);
    CHECK_MESSAGE(why.find("is not writable by this process") != std::string::npos, why);

    fs::permissions(file, fs::perms::owner_write, fs::perm_options::add);
    CHECK(client.get("/readyz").status == 200);
    client.disconnect();
    server.signal(SIGTERM);
    CHECK(server.finish(std::chrono::seconds(20)) == 0);
  }
  fs::remove_all(dir);
}

TEST_CASE("a full database answers 507 with its own message, counts storage_full, and keeps "
          "every note it had") {
  notes::testing::sqlite_backend store;
  std::optional<notes::testing::test_server> server;
  {
    notes::testing::sqlite_size_limit limit;  // on the server's connections, opened now
    server.emplace(store.repositories());
  }
  http_client client(server->port());
  const auto small = client.post_json("/api/notes", a_note);
  REQUIRE(small.status == 201);
  const std::string big = R"({"title": "big", "content": ")" + std::string(90'000, 'x') + "\"}";
  for (const auto& res : {client.post_json("/api/notes", big),
                          client.put_json(small.header("Location"), big)}) {
    CAPTURE(res.body);
    CHECK(res.status == 507);
    CHECK(res.body == R"({"error":"Storage is full; nothing was changed"})");
    CHECK_FALSE(res.has_header("Retry-After"));
  }
  const auto listed = client.get("/api/notes").json();
  CHECK(listed.at("total") == 1);
  CHECK(listed.at("notes").at(0).at("content") == "c");
  const auto m = parse_prometheus_text(client.get("/metrics").body);
  CHECK(m.value("notes_storage_errors_total", {{"kind", "storage_full"}}) == 2);
  CHECK(m.value("notes_http_requests_total",
                {{"route", "/api/notes"}, {"method", "POST"}, {"status", "507"}}) == 1);
}
