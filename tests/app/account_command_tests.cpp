// `notes-server users ...` and `notes-server tokens ...` as an operator runs them, on a real
// SQLite file: passwords on standard input, what is stored checked through the account use cases
// (a password signs in, a token authenticates), refusals with their exit codes.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <iterator>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>

#include "child_process.hpp"
#include "http_client.hpp"
#include "notes/account_service.hpp"
#include "notes/sodium/sodium_credentials.hpp"
#include "notes/storage/database.hpp"
#include "notes/time.hpp"
#include "test_server.hpp"

using notes::account;
using notes::note;
using notes::testing::child_process;

namespace {

struct work_dir {
  std::filesystem::path path = notes::testing::make_temp_directory("notes-account-test");
  ~work_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct run_result {
  int exit_code;
  std::string stdout_text;
  std::string stderr_text;
};

bool has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

std::size_t line_count(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

notes::timestamp at(std::string_view rfc3339) { return notes::parse_rfc3339(rfc3339).value(); }

note owned_note(notes::note_id id, notes::account_id owner) {
  return {id, "Note " + std::to_string(id), "text", false, at("2026-01-01T00:00:00Z"),
          at("2026-01-01T00:00:00Z"), 1, owner};
}

// A migrated SQLite file, notes-server run on it as a command, and the account use cases over
// connections of the test's own to check what the commands stored.
struct accounts_fixture {
  work_dir dir;
  notes::testing::sqlite_backend db;
  std::unique_ptr<notes::account_repository> accounts;
  notes::sodium::sodium_credentials crypto;
  std::optional<notes::account_service> service;

  accounts_fixture() {
    auto config = notes::storage::parse_database_url(db.url()).value();
    accounts = notes::storage::open_account_repository(config).value();
    service.emplace(*accounts, db.inspect(), crypto);
  }

  // notes-server `args` with `input` as its standard input (a file: not a terminal).
  run_result run(const std::vector<std::string>& args, const std::string& input = {}) {
    const auto in = dir.path / "stdin.txt";
    const auto out = dir.path / "stdout.txt";
    std::ofstream(in, std::ios::binary) << input;
    child_process c(NOTES_SERVER_PATH, args, {"DATABASE_URL=" + db.url()}, dir.path, out, in);
    const int code = c.finish(std::chrono::seconds(60));
    return {code, read_text(out), c.stderr_text()};
  }

  std::vector<account> stored_accounts() { return accounts->accounts().value(); }

  bool signs_in(std::string_view name, std::string_view password) {
    return service->sign_in(name, password, "192.0.2.10").has_value();
  }

  account add(const std::string& name, bool admin = false) {
    std::vector<std::string> args{"users", "add", name};
    if (admin) args.push_back("--admin");
    const auto done = run(args, "correct horse\n");
    REQUIRE_MESSAGE(done.exit_code == 0, done.stderr_text);
    return service->find_by_name(name).value().value();
  }
};

// A pseudo-terminal whose slave end becomes a child's standard input: what a person at a
// terminal gives notes-server.
struct terminal {
  int master = -1;
  int slave = -1;
  std::string slave_path;

  terminal() {
    REQUIRE(::openpty(&master, &slave, nullptr, nullptr, nullptr) == 0);
    slave_path = ::ttyname(slave);
    ::fcntl(master, F_SETFL, ::fcntl(master, F_GETFL) | O_NONBLOCK);
    // The child opens the slave by its path; it inherits neither end from here.
    ::fcntl(master, F_SETFD, FD_CLOEXEC);
    ::fcntl(slave, F_SETFD, FD_CLOEXEC);
  }
  ~terminal() {
    ::close(master);
    ::close(slave);
  }
  terminal(const terminal&) = delete;
  terminal& operator=(const terminal&) = delete;

  bool echoes() const {
    termios mode{};
    REQUIRE(::tcgetattr(slave, &mode) == 0);
    return (mode.c_lflag & ECHO) != 0;
  }

  void type(std::string_view text) const {
    REQUIRE(::write(master, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  }

  // What the terminal showed: the echo of what was typed, if any.
  std::string shown() const {
    std::string out;
    char buffer[512];
    ssize_t n = 0;
    while ((n = ::read(master, buffer, sizeof buffer)) > 0) out.append(buffer, n);
    return out;
  }
};

}  // namespace

TEST_CASE("users add: the password from standard input signs in, without its line break") {
  accounts_fixture f;
  const auto done = f.run({"users", "add", "alice", "--admin"}, "correct horse battery\n");
  CHECK_MESSAGE(done.exit_code == 0, done.stderr_text);
  CHECK(has(done.stderr_text, "added the account 'alice' (administrator)"));
  CHECK_FALSE(has(done.stderr_text, "correct horse"));
  CHECK(done.stdout_text.empty());
  const auto stored = f.stored_accounts();
  REQUIRE(stored.size() == 1);
  CHECK(stored[0].name == "alice");
  CHECK(stored[0].is_admin);
  CHECK(stored[0].password_hash.starts_with("$argon2id$"));
  CHECK(f.signs_in("alice", "correct horse battery"));
  CHECK_FALSE(f.signs_in("alice", "correct horse battery\n"));
}

TEST_CASE("users add: a password without a final line break, or ending in CR LF, is the line") {
  accounts_fixture f;
  CHECK(f.run({"users", "add", "bob"}, "no newline at all").exit_code == 0);
  CHECK(f.run({"users", "add", "carol"}, "from windows\r\nsecond line ignored\n").exit_code == 0);
  CHECK(f.signs_in("bob", "no newline at all"));
  CHECK(f.signs_in("carol", "from windows"));
  CHECK_FALSE(f.stored_accounts()[0].is_admin);
}

TEST_CASE("users add: an empty or short password is exit code 2 and stores nothing") {
  accounts_fixture f;
  for (const std::string input : {"", "\n", "short\n", "1234567\n"}) {
    CAPTURE(input);
    const auto refused = f.run({"users", "add", "alice"}, input);
    CHECK(refused.exit_code == 2);
    CHECK(has(refused.stderr_text, "Password must be at least 8 characters."));
    CHECK(line_count(refused.stderr_text) == 1);
    CHECK(f.stored_accounts().empty());
  }
  const auto bad_name = f.run({"users", "add", "no spaces"}, "long enough\n");
  CHECK(bad_name.exit_code == 2);
  CHECK(has(bad_name.stderr_text, "Username may contain only"));
  CHECK(f.stored_accounts().empty());
}

TEST_CASE("users add: a name taken, in any case, is exit code 1 and the first account stays") {
  accounts_fixture f;
  const account alice = f.add("alice");
  const auto again = f.run({"users", "add", "ALICE"}, "another password\n");
  CHECK(again.exit_code == 1);
  CHECK(has(again.stderr_text, "cannot add the account 'ALICE': That username is taken."));
  CHECK(f.stored_accounts() == std::vector<account>{alice});
  CHECK(f.signs_in("alice", "correct horse"));
  CHECK_FALSE(f.signs_in("alice", "another password"));
}

TEST_CASE("users add: on a new SQLite file the schema is created first") {
  work_dir dir;
  const auto file = dir.path / "new.db";
  const auto in = dir.path / "stdin.txt";
  std::ofstream(in) << "password one\n";
  child_process c(NOTES_SERVER_PATH, {"users", "add", "first"},
                  {"DATABASE_URL=sqlite:///" + file.string()}, dir.path, {}, in);
  CHECK_MESSAGE(c.finish(std::chrono::seconds(60)) == 0, c.stderr_text());
  auto config = notes::storage::parse_database_url("sqlite:///" + file.string()).value();
  auto accounts = notes::storage::open_account_repository(config).value();
  CHECK(accounts->find_account_by_name("first").value().has_value());
}

TEST_CASE("users list: name, administrator, notes owned and created, one line each") {
  accounts_fixture f;
  const account alice = f.add("alice", true);
  const account bob = f.add("bob");
  REQUIRE(f.db.inspect().import(std::vector<note>{owned_note(1, alice.id), owned_note(2, bob.id),
                                                  owned_note(3, bob.id),
                                                  owned_note(4, notes::no_account)}));
  const auto listed = f.run({"users", "list"});
  CHECK_MESSAGE(listed.exit_code == 0, listed.stderr_text);
  std::istringstream lines(listed.stdout_text);
  std::vector<std::vector<std::string>> rows;
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    rows.emplace_back(std::istream_iterator<std::string>(words),
                      std::istream_iterator<std::string>());
  }
  const std::string alice_created = notes::to_rfc3339(alice.created_at).substr(0, 19) + "Z";
  const std::string bob_created = notes::to_rfc3339(bob.created_at).substr(0, 19) + "Z";
  CHECK(rows == std::vector<std::vector<std::string>>{
                    {"NAME", "ADMIN", "NOTES", "CREATED"},
                    {"alice", "yes", "1", alice_created},
                    {"bob", "no", "2", bob_created}});
  CHECK(has(listed.stderr_text, "1 note written without sign-in belong to no account"));

  accounts_fixture empty;
  const auto none = empty.run({"users", "list"});
  CHECK(none.exit_code == 0);
  CHECK(none.stdout_text.empty());
  CHECK(has(none.stderr_text, "no accounts yet"));
}

TEST_CASE("users passwd: the new password signs in, the old one no longer does") {
  accounts_fixture f;
  const account alice = f.add("alice");
  const auto changed = f.run({"users", "passwd", "Alice"}, "a brand new one\n");
  CHECK_MESSAGE(changed.exit_code == 0, changed.stderr_text);
  CHECK(has(changed.stderr_text, "changed the password of 'alice'"));
  CHECK_FALSE(f.signs_in("alice", "correct horse"));
  CHECK(f.signs_in("alice", "a brand new one"));
  // Sessions issued before carry the old generation: they end.
  CHECK(f.service->find(alice.id).value()->session_generation == alice.session_generation + 1);

  const auto short_one = f.run({"users", "passwd", "alice"}, "tiny\n");
  CHECK(short_one.exit_code == 2);
  CHECK(f.signs_in("alice", "a brand new one"));
  const auto nobody = f.run({"users", "passwd", "nobody"}, "whatever it is\n");
  CHECK(nobody.exit_code == 1);
  CHECK(has(nobody.stderr_text, "no account named 'nobody'"));
}

TEST_CASE("users remove: refused while the account owns notes, saying how many and the ways out") {
  accounts_fixture f;
  const account alice = f.add("alice");
  REQUIRE(f.db.inspect().import(std::vector<note>{owned_note(1, alice.id),
                                                  owned_note(2, alice.id)}));
  const auto refused = f.run({"users", "remove", "alice"});
  CHECK(refused.exit_code == 1);
  CHECK_MESSAGE(has(refused.stderr_text, "owns 2 notes"), refused.stderr_text);
  CHECK(has(refused.stderr_text, "--delete-notes"));
  CHECK(has(refused.stderr_text, "--give-notes-to OTHER"));
  CHECK(line_count(refused.stderr_text) == 1);
  CHECK(f.stored_accounts().size() == 1);
  CHECK(f.db.inspect().count(alice.id).value() == 2);
}

TEST_CASE("users remove --delete-notes deletes the account, its tokens and only its notes") {
  accounts_fixture f;
  const account alice = f.add("alice");
  const account bob = f.add("bob");
  REQUIRE(f.db.inspect().import(std::vector<note>{owned_note(1, alice.id), owned_note(2, bob.id),
                                                  owned_note(3, notes::no_account)}));
  auto token = f.service->create_token(alice.id, "laptop", notes::token_scope::read_write);
  REQUIRE(token);
  const auto done = f.run({"users", "remove", "alice", "--delete-notes"});
  CHECK_MESSAGE(done.exit_code == 0, done.stderr_text);
  CHECK(has(done.stderr_text, "deleted its 1 note"));
  CHECK(f.stored_accounts() == std::vector<account>{bob});
  CHECK(f.db.inspect().all(std::nullopt).value() ==
        std::vector<note>{owned_note(2, bob.id), owned_note(3, notes::no_account)});
  CHECK_FALSE(f.service->authenticate_token(token->secret));
}

TEST_CASE("users remove --give-notes-to gives the notes to the other account") {
  accounts_fixture f;
  const account alice = f.add("alice");
  const account bob = f.add("bob");
  REQUIRE(f.db.inspect().import(std::vector<note>{owned_note(1, alice.id),
                                                  owned_note(2, alice.id)}));
  const auto unknown = f.run({"users", "remove", "alice", "--give-notes-to", "nobody"});
  CHECK(unknown.exit_code == 1);
  CHECK(has(unknown.stderr_text, "no account named 'nobody'"));
  CHECK(f.stored_accounts().size() == 2);

  const auto done = f.run({"users", "remove", "alice", "--give-notes-to", "bob"});
  CHECK_MESSAGE(done.exit_code == 0, done.stderr_text);
  CHECK(has(done.stderr_text, "its 2 notes now belong to 'bob'"));
  CHECK(f.stored_accounts() == std::vector<account>{bob});
  CHECK(f.db.inspect().all(std::nullopt).value() ==
        std::vector<note>{owned_note(1, bob.id), owned_note(2, bob.id)});
}

TEST_CASE("users add --claim-notes takes the notes written with AUTH=none") {
  accounts_fixture f;
  {
    child_process server(NOTES_SERVER_PATH, {"--port=0", "--auth=none", "--threads=1"},
                         {"DATABASE_URL=" + f.db.url()}, f.dir.path);
    const auto port = server.wait_until_listening();
    REQUIRE(port != 0);
    CHECK(has(server.stderr_text(), " auth none"));
    notes::testing::http_client client(port);
    for (const char* title : {"first", "second"}) {
      const auto created = client.post_json(
          "/api/notes", std::string("{\"title\":\"") + title + "\",\"content\":\"c\"}");
      REQUIRE(created.status == 201);
    }
    client.disconnect();
    server.signal(SIGTERM);
    CHECK(server.finish(std::chrono::seconds(30)) == 0);
  }
  const account other = f.add("other");
  const auto done = f.run({"users", "add", "alice", "--admin", "--claim-notes"},
                          "correct horse\n");
  CHECK_MESSAGE(done.exit_code == 0, done.stderr_text);
  CHECK(has(done.stderr_text, "it now owns the 2 notes written without sign-in"));
  const account alice = f.service->find_by_name("alice").value().value();
  CHECK(f.db.inspect().count(alice.id).value() == 2);
  CHECK(f.db.inspect().count(notes::no_account).value() == 0);
  CHECK(f.db.inspect().count(other.id).value() == 0);
}

TEST_CASE("tokens create prints a secret as its last line that authenticates as the account") {
  accounts_fixture f;
  const account alice = f.add("alice");
  const auto made = f.run({"tokens", "create", "--user", "alice", "--name", "my laptop"});
  CHECK_MESSAGE(made.exit_code == 0, made.stderr_text);
  REQUIRE(made.stdout_text.ends_with('\n'));
  const std::string last_line = [&] {
    const std::string text = made.stdout_text.substr(0, made.stdout_text.size() - 1);
    return text.substr(text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1);
  }();
  CHECK(last_line.starts_with("notes_pat_"));
  CHECK_FALSE(has(made.stderr_text, last_line));
  auto token = f.service->authenticate_token(last_line);
  REQUIRE(token);
  CHECK(token->owner == alice.id);
  CHECK(token->name == "my laptop");
  CHECK(token->scope == notes::token_scope::read_write);

  const auto read_only =
      f.run({"tokens", "create", "--user=alice", "--name=backup job", "--read-only"});
  REQUIRE(read_only.exit_code == 0);
  std::string secret = read_only.stdout_text;
  secret.pop_back();
  CHECK(f.service->authenticate_token(secret)->scope == notes::token_scope::read);

  const auto nobody = f.run({"tokens", "create", "--user=nobody", "--name=x"});
  CHECK(nobody.exit_code == 1);
  CHECK(nobody.stdout_text.empty());
  CHECK(has(nobody.stderr_text, "no account named 'nobody'"));
  const auto blank = f.run({"tokens", "create", "--user=alice", "--name=   "});
  CHECK(blank.exit_code == 2);
  CHECK(has(blank.stderr_text, "Name is required."));
}

TEST_CASE("tokens list shows the account's tokens, and tokens revoke stops one at once") {
  accounts_fixture f;
  const account alice = f.add("alice");
  const account bob = f.add("bob");
  const auto empty = f.run({"tokens", "list", "--user=alice"});
  CHECK(empty.exit_code == 0);
  CHECK(has(empty.stderr_text, "'alice' has no tokens"));

  auto laptop = f.service->create_token(alice.id, "my laptop", notes::token_scope::read_write);
  auto backup = f.service->create_token(alice.id, "backup", notes::token_scope::read);
  auto bobs = f.service->create_token(bob.id, "bob's", notes::token_scope::read);
  REQUIRE(laptop);
  REQUIRE(backup);
  REQUIRE(bobs);
  REQUIRE(f.service->authenticate_token(laptop->secret));  // records a last use

  const auto listed = f.run({"tokens", "list", "--user", "alice"});
  CHECK_MESSAGE(listed.exit_code == 0, listed.stderr_text);
  CHECK(line_count(listed.stdout_text) == 3);
  CHECK(listed.stdout_text.starts_with("ID"));
  CHECK(has(listed.stdout_text, "my laptop\n"));
  CHECK(has(listed.stdout_text, "read-only"));
  CHECK(has(listed.stdout_text, "never"));
  CHECK_FALSE(has(listed.stdout_text, "bob's"));
  CHECK_FALSE(has(listed.stdout_text, laptop->secret));

  const std::string laptop_id = std::to_string(laptop->token.id);
  const auto not_bobs = f.run({"tokens", "revoke", "--user=bob", laptop_id});
  CHECK(not_bobs.exit_code == 1);
  CHECK(has(not_bobs.stderr_text, "'bob' has no token " + laptop_id));
  CHECK(f.service->authenticate_token(laptop->secret));

  const auto revoked = f.run({"tokens", "revoke", "--user=alice", laptop_id});
  CHECK_MESSAGE(revoked.exit_code == 0, revoked.stderr_text);
  CHECK_FALSE(f.service->authenticate_token(laptop->secret));
  CHECK(f.service->authenticate_token(backup->secret));
  const auto after = f.run({"tokens", "list", "--user=alice"});
  CHECK_FALSE(has(after.stdout_text, "my laptop"));
  CHECK(has(after.stdout_text, "backup"));
}

TEST_CASE("users and tokens: a usage error is one line and exit code 2, the database untouched") {
  accounts_fixture f;
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"users"}, {"users", "add"}, {"tokens", "create", "--name=x"},
           {"tokens", "revoke", "--user=a", "x"}}) {
    CAPTURE(args.back());
    const auto refused = f.run(args, "a fine password\n");
    CHECK(refused.exit_code == 2);
    CHECK(line_count(refused.stderr_text) == 1);
  }
  CHECK(f.stored_accounts().empty());
}

TEST_CASE("users and tokens refuse the in-memory store: nothing would be kept") {
  work_dir dir;
  child_process c(NOTES_SERVER_PATH, {"users", "list"}, {"DATABASE_URL=memory:"}, dir.path);
  CHECK(c.finish(std::chrono::seconds(30)) == 1);
  CHECK(has(c.stderr_text(), "accounts need a database"));
}

TEST_CASE("users add at a terminal: asked twice without echo, the terminal restored after") {
  accounts_fixture f;
  terminal tty;
  REQUIRE(tty.echoes());
  child_process c(NOTES_SERVER_PATH, {"users", "add", "alice"}, {"DATABASE_URL=" + f.db.url()},
                  f.dir.path, {}, tty.slave_path);
  REQUIRE_FALSE(c.wait_for(std::regex("Password for alice: $"), std::chrono::seconds(30))
                    .empty());
  CHECK_FALSE(tty.echoes());
  tty.type("typed at a terminal\n");
  REQUIRE_FALSE(
      c.wait_for(std::regex("The same password again: $"), std::chrono::seconds(30)).empty());
  tty.type("typed at a terminal\n");
  CHECK_MESSAGE(c.finish(std::chrono::seconds(60)) == 0, c.stderr_text());
  CHECK(tty.echoes());
  CHECK_FALSE(has(tty.shown(), "typed"));
  CHECK_FALSE(has(c.stderr_text(), "typed"));
  CHECK(f.signs_in("alice", "typed at a terminal"));
}

TEST_CASE("users add at a terminal: passwords that differ are exit code 2 and store nothing") {
  accounts_fixture f;
  terminal tty;
  child_process c(NOTES_SERVER_PATH, {"users", "add", "alice"}, {"DATABASE_URL=" + f.db.url()},
                  f.dir.path, {}, tty.slave_path);
  REQUIRE_FALSE(c.wait_for(std::regex("Password for alice: $"), std::chrono::seconds(30))
                    .empty());
  tty.type("the first password\n");
  REQUIRE_FALSE(
      c.wait_for(std::regex("The same password again: $"), std::chrono::seconds(30)).empty());
  tty.type("the other password\n");
  CHECK(c.finish(std::chrono::seconds(60)) == 2);
  CHECK(has(c.stderr_text(), "the two passwords differ; nothing was changed"));
  CHECK(tty.echoes());
  CHECK(f.stored_accounts().empty());
}

TEST_CASE("users passwd at a terminal: SIGINT at the prompt restores the echo") {
  accounts_fixture f;
  f.add("alice");
  terminal tty;
  child_process c(NOTES_SERVER_PATH, {"users", "passwd", "alice"},
                  {"DATABASE_URL=" + f.db.url()}, f.dir.path, {}, tty.slave_path);
  REQUIRE_FALSE(c.wait_for(std::regex("Password for alice: $"), std::chrono::seconds(30))
                    .empty());
  CHECK_FALSE(tty.echoes());
  tty.type("half typ");
  c.signal(SIGINT);
  CHECK(c.finish(std::chrono::seconds(30)) == -1);  // ended by the signal, as without a prompt
  CHECK(tty.echoes());
  CHECK(f.signs_in("alice", "correct horse"));
}

TEST_CASE("export --user writes that account's notes, import --user gives every note to one") {
  accounts_fixture f;
  const account alice = f.add("alice");
  const account bob = f.add("bob");
  REQUIRE(f.db.inspect().import(std::vector<note>{owned_note(1, alice.id), owned_note(2, bob.id),
                                                  owned_note(3, notes::no_account)}));
  const auto mine = f.run({"export", "--user", "alice"});
  CHECK_MESSAGE(mine.exit_code == 0, mine.stderr_text);
  CHECK(has(mine.stderr_text, "exported 1 notes of 'alice' from " + f.db.url()));
  CHECK(line_count(mine.stdout_text) == 3);
  CHECK(has(mine.stdout_text, R"({"id":1,)"));
  CHECK(has(mine.stdout_text, R"("owner":"alice"})"));
  const auto everything = f.run({"export"});
  CHECK(line_count(everything.stdout_text) == 5);
  CHECK(has(everything.stdout_text, R"("version":1,"owner":"bob"})"));
  CHECK(has(everything.stdout_text, R"("version":1})"));
  std::ofstream(f.dir.path / "all.json") << everything.stdout_text;

  const auto nobody = f.run({"export", "--user=nobody"});
  CHECK(nobody.exit_code == 1);
  CHECK(has(nobody.stderr_text, "no account named 'nobody'"));
  CHECK(nobody.stdout_text.empty());

  accounts_fixture other;
  const account carol = other.add("carol");
  const auto file = (f.dir.path / "all.json").string();
  const auto unknown = other.run({"import", file, "--user=alice"});
  CHECK(unknown.exit_code == 1);
  CHECK(has(unknown.stderr_text, "no account named 'alice'"));
  const auto whose = other.run({"import", file});
  CHECK(whose.exit_code == 1);
  CHECK(has(whose.stderr_text, "'alice' (1 note), 'bob' (1 note)"));
  CHECK(other.db.inspect().all(std::nullopt).value().empty());

  const auto imported = other.run({"import", file, "--user", "carol"});
  CHECK_MESSAGE(imported.exit_code == 0, imported.stderr_text);
  CHECK(has(imported.stderr_text, "imported 3 notes into " + other.db.url() + " for 'carol'"));
  CHECK(other.db.inspect().all(std::nullopt).value() ==
        std::vector<note>{owned_note(1, carol.id), owned_note(2, carol.id),
                          owned_note(3, carol.id)});
}
