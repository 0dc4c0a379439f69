// The notes-server binary as a person runs it: exit codes, .env in the working directory,
// the start-up line, the access log, SIGTERM.
#include <doctest/doctest.h>

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "child_process.hpp"
#include "http_client.hpp"
#include "notes/storage/database.hpp"
#include "test_server.hpp"

namespace {

using notes::testing::child_process;

// Starts notes-server with `args` in `cwd`, with only `env` as its environment.
child_process spawn(const std::vector<std::string>& args, const std::vector<std::string>& env,
                    const std::filesystem::path& cwd) {
  return child_process(NOTES_SERVER_PATH, args, env, cwd);
}

struct temp_dir {
  std::filesystem::path path = notes::testing::make_temp_directory("notes-process-test");
  ~temp_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

// Folder permissions do not stop root, so as root notes-server runs as nobody (setpriv, from
// util-linux), from a copy in `cwd`, which is opened to everyone: the build folder may not be.
child_process spawn_unprivileged(const std::vector<std::string>& args,
                                 const std::filesystem::path& cwd) {
  if (::geteuid() != 0) return spawn(args, {}, cwd);
  using std::filesystem::perms;
  const perms open = perms::owner_all | perms::group_read | perms::group_exec |
                     perms::others_read | perms::others_exec;
  std::filesystem::permissions(cwd, open);
  const auto program = cwd / "notes-server";
  std::filesystem::copy_file(NOTES_SERVER_PATH, program,
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::permissions(program, open);
  std::vector<std::string> full{"--reuid=nobody", "--regid=nogroup", "--clear-groups",
                                program.string()};
  full.insert(full.end(), args.begin(), args.end());
  return child_process("/usr/bin/setpriv", full, {}, cwd);
}

std::size_t lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace

TEST_CASE("notes-server: a bad value is one line on stderr and exit code 2") {
  temp_dir dir;
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--port", "http"}, {"--threads=0"}, {"--bogus"}, {"--database-url=ftp://x"}}) {
    CAPTURE(args.front());
    auto c = spawn(args, {}, dir.path);
    CHECK(c.finish(std::chrono::seconds(10)) == 2);
    CHECK(c.stderr_text().starts_with("notes-server: "));
    CHECK(std::count(c.stderr_text().begin(), c.stderr_text().end(), '\n') == 1);
  }
  auto env = spawn({}, {"PORT=99999"}, dir.path);
  CHECK(env.finish(std::chrono::seconds(10)) == 2);
  CHECK(env.stderr_text().find("PORT='99999' (environment)") != std::string::npos);
}

TEST_CASE("notes-server: a HOST that is no address is a bad value, exit code 2") {
  temp_dir dir;
  auto c = spawn({"--database-url=memory:", "--port=0", "--host", "999.1.1.1"}, {}, dir.path);
  CHECK(c.finish(std::chrono::seconds(10)) == 2);
  CHECK(c.stderr_text().starts_with("notes-server: HOST='999.1.1.1' (--host): "));
  CHECK(std::count(c.stderr_text().begin(), c.stderr_text().end(), '\n') == 1);
}

TEST_CASE("notes-server: values overridden by a flag are not checked") {
  temp_dir dir;
  std::ofstream(dir.path / ".env") << "THREADS=many\nHOST=999.1.1.1\n";
  auto c = spawn({"--database-url=memory:", "--port", "0", "--threads=1", "--host=127.0.0.1"},
                 {"PORT=abc", "THREADS=-1"}, dir.path);
  auto started = c.wait_for(std::regex(R"(listening on http://127\.0\.0\.1:(\d+))"),
                            std::chrono::seconds(30));
  REQUIRE_MESSAGE(!started.empty(), c.stderr_text());
  ::kill(c.pid(), SIGTERM);
  CHECK(c.finish(std::chrono::seconds(20)) == 0);
}

TEST_CASE("notes-server: a STATIC_DIR that does not exist is exit code 2") {
  temp_dir dir;
  auto c = spawn({"--database-url=memory:", "--port=0"}, {"STATIC_DIR=/nonexistent/static"},
                 dir.path);
  CHECK(c.finish(std::chrono::seconds(10)) == 2);
  CHECK(std::count(c.stderr_text().begin(), c.stderr_text().end(), '\n') >= 1);
  CHECK(c.stderr_text().find("listening") == std::string::npos);
}

TEST_CASE("notes-server: a port already in use is exit code 1") {
  notes::testing::memory_backend store;
  notes::testing::test_server taken(store.repositories());
  temp_dir dir;
  auto c = spawn({"--database-url=memory:", "--port=" + std::to_string(taken.port())}, {},
                 dir.path);
  CHECK(c.finish(std::chrono::seconds(10)) == 1);
  CHECK(c.stderr_text().find("cannot listen on") != std::string::npos);
}

TEST_CASE("notes-server: --help lists the settings and exits 0") {
  temp_dir dir;
  std::ofstream(dir.path / ".env") << "PORT=not-a-port\n";
  auto c = spawn({"--help"}, {}, dir.path);
  CHECK(c.finish(std::chrono::seconds(10)) == 0);
}

TEST_CASE("notes-server: a malformed .env in the working directory is exit code 2") {
  temp_dir dir;
  std::ofstream(dir.path / ".env") << "GOOD=1\nTHREADS=x\n";
  auto c = spawn({}, {}, dir.path);
  CHECK(c.finish(std::chrono::seconds(10)) == 2);
  CHECK(c.stderr_text().find(".env line 2") != std::string::npos);
}

TEST_CASE("notes-server migrate creates the SQLite database and exits 0") {
  temp_dir dir;
  auto c = spawn({"migrate"}, {"DATABASE_URL=sqlite:///data.db"}, dir.path);
  CHECK(c.finish(std::chrono::seconds(30)) == 0);
  CHECK(std::filesystem::exists(dir.path / "data.db"));
  auto again = spawn({"migrate", "--database-url=sqlite:///data.db"}, {}, dir.path);
  CHECK(again.finish(std::chrono::seconds(30)) == 0);
  CHECK(again.stderr_text().find("already current") != std::string::npos);
}

TEST_CASE("notes-server: a database it may not write is one line on stderr and exit code 1, and "
          "leaves no -wal or -shm beside it") {
  temp_dir dir;
  const auto file = dir.path / "notes.db";
  auto migrated = spawn({"migrate"}, {"DATABASE_URL=sqlite:///" + file.string()}, dir.path);
  REQUIRE(migrated.finish(std::chrono::seconds(30)) == 0);
  std::filesystem::permissions(file, std::filesystem::perms::owner_read |
                                         std::filesystem::perms::group_read |
                                         std::filesystem::perms::others_read);
  // Root may write any file whatever its mode: notes-server runs as nobody then, with the
  // folder its own.
  const bool root = ::geteuid() == 0;
  if (root) {
    REQUIRE(::chown(dir.path.c_str(), 65534, 65534) == 0);
    REQUIRE(::chown(file.c_str(), 65534, 65534) == 0);
  }
  std::vector<std::string> args{"--database-url=sqlite:///" + file.string(), "--port=0"};
  if (root) {
    args.insert(args.begin(), {"--reuid=65534", "--regid=65534", "--clear-groups", "--",
                               NOTES_SERVER_PATH});
  }
  child_process c(root ? "/usr/bin/setpriv" : NOTES_SERVER_PATH, args, {}, dir.path);
  CHECK(c.finish(std::chrono::seconds(10)) == 1);
  CHECK(c.stderr_text().starts_with("notes-server: cannot start: database sqlite:///"));
  CHECK(c.stderr_text().find("is not writable by this process") != std::string::npos);
  CHECK(std::count(c.stderr_text().begin(), c.stderr_text().end(), '\n') == 1);
  CHECK(c.stderr_text().find("listening") == std::string::npos);
  // SQLite would have made them with the file's read-only mode, and they would outlast it.
  CHECK_FALSE(std::filesystem::exists(file.string() + "-shm"));
  CHECK_FALSE(std::filesystem::exists(file.string() + "-wal"));
}

TEST_CASE("notes-server serves with .env settings, logs requests, and stops on SIGTERM") {
  temp_dir dir;
  std::ofstream(dir.path / ".env") << "DATABASE_URL=sqlite:///notes.db\nPORT=0\nTHREADS=2\n";
  auto c = spawn({}, {"HOST=127.0.0.1"}, dir.path);
  auto started = c.wait_for(
      std::regex(R"(listening on http://127\.0\.0\.1:(\d+) database (\S+))"),
      std::chrono::seconds(30));
  REQUIRE_MESSAGE(!started.empty(), c.stderr_text());
  CHECK(started[2] == "sqlite:///notes.db");
  auto port = static_cast<std::uint16_t>(std::stoi(started[1]));

  notes::testing::http_client client(port);
  auto created = client.post_json("/api/notes", R"({"title": "t", "content": "c"})");
  CHECK(created.status == 201);
  CHECK(client.get("/api/notes/1").status == 200);
  auto logged = c.wait_for(std::regex(R"(GET /api/notes/1 200 (\d+) (\d+)us)"),
                           std::chrono::seconds(10));
  CHECK_FALSE(logged.empty());
  CHECK(c.stderr_text().find("POST /api/notes 201") != std::string::npos);
  client.disconnect();

  ::kill(c.pid(), SIGTERM);
  CHECK(c.finish(std::chrono::seconds(20)) == 0);
  CHECK(c.stderr_text().find("notes-server: stopped") != std::string::npos);
  CHECK(std::filesystem::exists(dir.path / "notes.db"));
}

TEST_CASE("notes-server: ACCESS_LOG=0 silences the access log") {
  temp_dir dir;
  auto c = spawn({"--database-url=memory:", "--port=0"}, {"ACCESS_LOG=0"}, dir.path);
  auto started = c.wait_for(std::regex(R"(listening on http://127\.0\.0\.1:(\d+))"),
                            std::chrono::seconds(30));
  REQUIRE(!started.empty());
  notes::testing::http_client client(static_cast<std::uint16_t>(std::stoi(started[1])));
  CHECK(client.get("/api/notes").status == 200);
  client.disconnect();
  ::kill(c.pid(), SIGINT);
  CHECK(c.finish(std::chrono::seconds(20)) == 0);
  CHECK(c.stderr_text().find("GET /api/notes") == std::string::npos);
}

TEST_CASE("notes-server: a port in use is found before the database file is created") {
  notes::testing::memory_backend store;
  notes::testing::test_server taken(store.repositories());
  temp_dir dir;
  const std::string port = std::to_string(taken.port());
  auto c = spawn({"--database-url=sqlite:///notes.db", "--port=" + port}, {}, dir.path);
  CHECK(c.finish(std::chrono::seconds(10)) == 1);
  CHECK(c.stderr_text() ==
        "notes-server: cannot listen on 127.0.0.1:" + port + " (bind): Address already in use\n");
  CHECK_FALSE(std::filesystem::exists(dir.path / "notes.db"));
}

TEST_CASE("notes-server: a SQLite folder that is missing or is a file is named, in one line") {
  temp_dir dir;
  std::ofstream(dir.path / "afile") << "not a folder";
  struct bad {
    std::string url;
    std::string why;
  };
  const std::string missing = (dir.path / "nodir").string();
  const std::string file = (dir.path / "afile").string();
  for (const auto& [url, why] : std::vector<bad>{
           {"sqlite:///nodir/notes.db", "the folder '" + missing + "' does not exist"},
           {"sqlite:///nodir/deeper/notes.db",
            "the folder '" + missing + "/deeper' does not exist"},
           {"sqlite:///afile/notes.db", "'" + file + "' is a file, not a folder"},
           {"sqlite:///afile/sub/notes.db", "'" + file + "' is a file, not a folder"}}) {
    CAPTURE(url);
    // Starting does not migrate in the operator's eyes: it says it cannot start.
    auto served = spawn({"--port=0", "--database-url=" + url}, {}, dir.path);
    CHECK(served.finish(std::chrono::seconds(10)) == 1);
    CHECK(served.stderr_text().starts_with("notes-server: cannot start: database " + url + ": " +
                                           why));
    CHECK(lines(served.stderr_text()) == 1);
    auto migrated = spawn({"migrate", "--database-url=" + url}, {}, dir.path);
    CHECK(migrated.finish(std::chrono::seconds(10)) == 1);
    CHECK(migrated.stderr_text().starts_with("notes-server: cannot migrate " + url + ": " + why));
    CHECK(lines(migrated.stderr_text()) == 1);
  }
  CHECK_FALSE(std::filesystem::exists(dir.path / "nodir"));
}

TEST_CASE("notes-server: a SQLite folder that may not be written is named with the reason") {
  temp_dir dir;
  const auto locked = dir.path / "locked";
  std::filesystem::create_directory(locked);
  using std::filesystem::perms;
  std::filesystem::permissions(locked, perms::owner_read | perms::owner_exec | perms::group_read |
                                           perms::group_exec | perms::others_read |
                                           perms::others_exec);
  for (const std::string command : {"serve", "migrate"}) {
    CAPTURE(command);
    auto c = spawn_unprivileged({command, "--port=0", "--database-url=sqlite:///locked/notes.db"},
                                dir.path);
    CHECK(c.finish(std::chrono::seconds(10)) == 1);
    CHECK_MESSAGE(c.stderr_text().find("sqlite:///locked/notes.db: cannot create '" +
                                       (locked / "notes.db").string() + "' in the folder '" +
                                       locked.string() + "': Permission denied\n") !=
                      std::string::npos,
                  c.stderr_text());
    CHECK(lines(c.stderr_text()) == 1);
  }
  CHECK_FALSE(std::filesystem::exists(locked / "notes.db"));
}

TEST_CASE("notes-server: a misspelt .env key is a warning naming the setting it resembles") {
  temp_dir dir;
  std::ofstream(dir.path / ".env") << "# settings\nTHREDS=4\n";
  auto c = spawn({"migrate", "--database-url=memory:"}, {}, dir.path);
  CHECK(c.finish(std::chrono::seconds(10)) == 0);
  CHECK(c.stderr_text().starts_with(
      "notes-server: warning: .env line 2: THREDS is not a setting of notes-server and is "
      "ignored; did you mean THREADS?\n"));
}

TEST_CASE("notes-server: AUTH unset on a HOST other machines reach is exit code 2, naming both "
          "ways out") {
  temp_dir dir;
  auto c = spawn({"--database-url=memory:", "--port=0"}, {"HOST=0.0.0.0"}, dir.path);
  CHECK(c.finish(std::chrono::seconds(10)) == 2);
  CHECK(c.stderr_text() ==
        "notes-server: HOST='0.0.0.0' takes connections from other machines and AUTH is not set: "
        "set AUTH=accounts to require sign-in, or AUTH=none to share every note with everyone "
        "who reaches the port\n");
}

TEST_CASE("notes-server: AUTH=none on a HOST other machines reach serves, after a warning") {
  temp_dir dir;
  auto c = spawn({"--database-url=memory:", "--port=0", "--host=0.0.0.0"}, {"AUTH=none"},
                 dir.path);
  const auto port = c.wait_until_listening();
  REQUIRE_MESSAGE(port != 0, c.stderr_text());
  CHECK(c.stderr_text().starts_with(
      "notes-server: warning: AUTH=none on HOST='0.0.0.0', which takes connections from other "
      "machines: every note is readable and writable by anyone who reaches the port\n"));
  notes::testing::http_client client(port);
  CHECK(client.get("/api/notes").status == 200);
  client.disconnect();
  ::kill(c.pid(), SIGTERM);
  CHECK(c.finish(std::chrono::seconds(20)) == 0);
}

TEST_CASE("notes-server: the start-up line says who may use the server") {
  temp_dir dir;
  auto none = spawn({"--database-url=memory:", "--port=0"}, {}, dir.path);
  REQUIRE(none.wait_until_listening() != 0);
  CHECK(std::regex_search(none.stderr_text(), std::regex(" threads \\d+ auth none\n")));
  ::kill(none.pid(), SIGTERM);
  CHECK(none.finish(std::chrono::seconds(20)) == 0);

  auto accounts = spawn({"--database-url=memory:", "--port=0", "--auth=accounts",
                         "--signup=open", "--session-days=7"},
                        {}, dir.path);
  REQUIRE(accounts.wait_until_listening() != 0);
  CHECK(accounts.stderr_text().find(
            " auth accounts (sign-up open, sessions 7 days)\n") != std::string::npos);
  ::kill(accounts.pid(), SIGTERM);
  CHECK(accounts.finish(std::chrono::seconds(20)) == 0);
}

TEST_CASE("notes-server: AUTH=accounts without an account starts and says how to add one") {
  temp_dir dir;
  notes::testing::sqlite_backend db;
  const std::regex hint("no account yet: add one with notes-server users add NAME --admin\n");
  auto first = spawn({"--port=0", "--auth=accounts"}, {"DATABASE_URL=" + db.url()}, dir.path);
  REQUIRE_MESSAGE(first.wait_until_listening() != 0, first.stderr_text());
  CHECK_FALSE(first.wait_for(hint, std::chrono::seconds(10)).empty());
  ::kill(first.pid(), SIGTERM);
  CHECK(first.finish(std::chrono::seconds(20)) == 0);

  // Once there is one, nothing more is said.
  auto accounts = notes::storage::open_account_repository(
      notes::storage::parse_database_url(db.url()).value());
  REQUIRE(accounts);
  notes::account alice;
  alice.name = "alice";
  alice.password_hash = "$argon2id$placeholder";
  REQUIRE((*accounts)->create_account(alice));
  auto second = spawn({"--port=0", "--auth=accounts"}, {"DATABASE_URL=" + db.url()}, dir.path);
  REQUIRE(second.wait_until_listening() != 0);
  ::kill(second.pid(), SIGTERM);
  CHECK(second.finish(std::chrono::seconds(20)) == 0);
  CHECK_FALSE(std::regex_search(second.stderr_text(), std::regex("no account yet")));

  // In memory no command can add one: the hint says what can.
  auto memory = spawn({"--database-url=memory:", "--port=0", "--auth=accounts"}, {}, dir.path);
  REQUIRE(memory.wait_until_listening() != 0);
  CHECK_FALSE(memory.wait_for(std::regex("no account yet, and notes-server users add cannot "
                                         "reach the in-memory store: set SIGNUP=open"),
                              std::chrono::seconds(10))
                  .empty());
  ::kill(memory.pid(), SIGTERM);
  CHECK(memory.finish(std::chrono::seconds(20)) == 0);
}

TEST_CASE("notes-server: a malformed DATABASE_URL is one line naming the setting, exit code 2") {
  temp_dir dir;
  auto c = spawn({"migrate"}, {"DATABASE_URL=mysql://user:secret@db/notes"}, dir.path);
  CHECK(c.finish(std::chrono::seconds(10)) == 2);
  const std::string err = c.stderr_text();
  CHECK(lines(err) == 1);
  CHECK(err.find("DATABASE_URL: database URL has an unsupported form (scheme 'mysql')") !=
        std::string::npos);
  CHECK(err.find("secret") == std::string::npos);
}

TEST_CASE("notes-server export of a database that does not exist says to run notes-server "
          "migrate and creates no file") {
  temp_dir dir;
  auto c = spawn({"export"}, {"DATABASE_URL=sqlite:///missing.db"}, dir.path);
  CHECK(c.finish(std::chrono::seconds(30)) == 1);
  CHECK(c.stderr_text().find("run `notes-server migrate` first") != std::string::npos);
  CHECK(c.stderr_text().find("notes::storage") == std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.path / "missing.db"));
}
