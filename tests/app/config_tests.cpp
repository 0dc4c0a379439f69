// notes-server's configuration: defaults < .env < environment < flags, and bad values.
#include <doctest/doctest.h>

#include <netdb.h>
#include <sys/socket.h>

#include <map>

#include "config.hpp"
#include "dotenv.hpp"

using notes::app::command;
using notes::app::load_config;
using notes::app::parse_dotenv;

namespace {

struct inputs {
  std::vector<std::string> args;
  std::map<std::string, std::string, std::less<>> env;
  std::string dotenv;

  auto load() const {
    return load_config(args,
                       [this](std::string_view name) -> std::optional<std::string> {
                         auto it = env.find(name);
                         if (it == env.end()) return std::nullopt;
                         return it->second;
                       },
                       dotenv);
  }
};

}  // namespace

TEST_CASE("config: with nothing set, SQLite notes.db on 127.0.0.1:8080 and the other defaults") {
  auto c = inputs{}.load();
  REQUIRE(c);
  CHECK(c->action == command::serve);
  CHECK(c->database_url == "sqlite:///notes.db");
  CHECK(c->server.host == "127.0.0.1");
  CHECK(c->server.port == 8080);
  CHECK(c->server.threads == 0);
  CHECK(c->server.body_limit == 1024 * 1024);
  CHECK(c->server.access_log);
  CHECK(c->server.web.secret_key.empty());
  CHECK(c->auth.mode == notes::app::auth_mode::none);
  CHECK(c->auth.signup == notes::app::signup_policy::closed);
  CHECK(c->auth.session_lifetime == std::chrono::days(30));
  CHECK(c->warnings.empty());
}

TEST_CASE("config: .env < environment < flags") {
  inputs in;
  in.dotenv = "PORT=1001\nHOST=0.0.0.0\nAUTH=none\nTHREADS=3\nSECRET_KEY='from dotenv'\n";
  in.env = {{"PORT", "1002"}, {"THREADS", "4"}};
  in.args = {"--threads", "5"};
  auto c = in.load();
  REQUIRE(c);
  CHECK(c->server.port == 1002);          // environment beats .env
  CHECK(c->server.host == "0.0.0.0");     // .env beats the default
  CHECK(c->server.threads == 5);          // the flag beats both
  CHECK(c->server.web.secret_key == "from dotenv");
}

TEST_CASE("config: every setting has a flag, in both --flag value and --flag=value forms") {
  inputs in;
  in.args = {"--database-url=memory:", "--host", "::1", "--port=0", "--threads=2",
             "--secret-key", "k", "--max-body-size=2048", "--max-header-size", "4096",
             "--read-timeout=0.5", "--idle-timeout", "2", "--shutdown-timeout=3",
             "--access-log=off", "--secure-cookies", "yes", "--templates-dir=/t",
             "--static-dir", "/s", "--auth=accounts", "--signup", "open", "--session-days=7"};
  auto c = in.load();
  REQUIRE(c);
  CHECK(c->database_url == "memory:");
  CHECK(c->server.host == "::1");
  CHECK(c->server.port == 0);
  CHECK(c->server.threads == 2);
  CHECK(c->server.web.secret_key == "k");
  CHECK(c->server.body_limit == 2048);
  CHECK(c->server.header_limit == 4096);
  CHECK(c->server.read_timeout == std::chrono::milliseconds(500));
  CHECK(c->server.idle_timeout == std::chrono::seconds(2));
  CHECK(c->server.shutdown_timeout == std::chrono::seconds(3));
  CHECK_FALSE(c->server.access_log);
  CHECK(c->server.web.secure_cookies);
  CHECK(c->server.web.templates_dir == "/t");
  CHECK(c->server.web.static_dir == "/s");
  CHECK(c->auth.mode == notes::app::auth_mode::accounts);
  CHECK(c->auth.signup == notes::app::signup_policy::open);
  CHECK(c->auth.session_lifetime == std::chrono::days(7));
}

TEST_CASE("config: commands, --help and --version") {
  CHECK(inputs{{"migrate"}, {}, ""}.load()->action == command::migrate);
  CHECK(inputs{{"serve", "--port", "1"}, {}, ""}.load()->action == command::serve);
  CHECK(inputs{{"--help"}, {}, ""}.load()->action == command::help);
  CHECK(inputs{{"-h"}, {}, ""}.load()->action == command::help);
  CHECK(inputs{{"--version"}, {}, ""}.load()->action == command::version);
  CHECK(inputs{{"export"}, {}, ""}.load()->action == command::export_notes);
  auto import = inputs{{"import", "notes.json", "--dry-run"}, {}, ""}.load();
  CHECK(import->action == command::import_notes);
  CHECK(import->import_file == "notes.json");
  CHECK(import->dry_run);
  auto from_stdin = inputs{{"--port=1", "import", "-"}, {}, ""}.load();
  CHECK(from_stdin->import_file == "-");
  CHECK_FALSE(from_stdin->dry_run);
  // --help works even when something else is wrong.
  inputs broken{{"--port=x", "--help"}, {{"PORT", "nope"}}, ""};
  CHECK(broken.load()->action == command::help);
  auto help = notes::app::help_text();
  for (const char* name : {"DATABASE_URL", "SECRET_KEY", "HOST", "PORT", "THREADS",
                           "MAX_BODY_SIZE", "READ_TIMEOUT", "IDLE_TIMEOUT", "ACCESS_LOG", "AUTH",
                           "SIGNUP", "SESSION_DAYS"}) {
    CHECK(help.find(name) != std::string::npos);
  }
  CHECK(help.find("Exit codes: 0 done. 2 a bad setting") != std::string::npos);
  CHECK(help.find("1 the settings are fine but something failed") != std::string::npos);
}

TEST_CASE("config: STORAGE_THREADS and STORAGE_WAIT size the storage lane") {
  auto defaults = inputs{{}, {}, ""}.load();
  REQUIRE(defaults);
  CHECK(defaults->server.storage_threads == 4);
  CHECK(defaults->server.storage_wait == std::chrono::seconds(5));
  auto set = inputs{{"--storage-threads=8"}, {{"STORAGE_WAIT", "0.25"}}, ""}.load();
  REQUIRE(set);
  CHECK(set->server.storage_threads == 8);
  CHECK(set->server.storage_wait == std::chrono::milliseconds(250));
  for (const auto& [args, expected] : std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{"--storage-threads=0"}, "STORAGE_THREADS='0'"},
           {{"--storage-wait=0"}, "STORAGE_WAIT='0'"},
           {{"--storage-wait=soon"}, "STORAGE_WAIT='soon'"}}) {
    auto refused = inputs{args, {}, ""}.load();
    REQUIRE_FALSE(refused);
    CHECK(refused.error().find(expected) != std::string::npos);
  }
}

TEST_CASE("config: a bad value is one line naming the setting and its source") {
  struct bad {
    inputs in;
    const char* expected;
  };
  for (const auto& [in, expected] : std::vector<bad>{
           {{{"--port", "70000"}, {}, ""}, "PORT='70000' (--port)"},
           {{{}, {{"PORT", "eighty"}}, ""}, "PORT='eighty' (environment)"},
           {{{}, {}, "\n\nTHREADS=0\n"}, "THREADS='0' (.env line 3)"},
           {{{"--threads=-1"}, {}, ""}, "THREADS='-1'"},
           {{{"--max-body-size=0"}, {}, ""}, "MAX_BODY_SIZE='0'"},
           {{{"--read-timeout=soon"}, {}, ""}, "READ_TIMEOUT='soon'"},
           {{{"--idle-timeout=-2"}, {}, ""}, "IDLE_TIMEOUT='-2'"},
           {{{"--access-log=maybe"}, {}, ""}, "ACCESS_LOG='maybe'"},
           {{{"--host="}, {}, ""}, "HOST=''"},
           {{{"--database-url="}, {}, ""}, "DATABASE_URL=''"},
           {{{"--nope"}, {}, ""}, "unknown option '--nope'"},
           {{{"--port"}, {}, ""}, "option --port needs a value"},
           {{{"frobnicate"}, {}, ""}, "unknown command 'frobnicate'"},
           {{{"serve", "migrate"}, {}, ""}, "unexpected argument 'migrate'"},
           {{{"import"}, {}, ""}, "import needs the file to read"},
           {{{"import", "a.json", "b.json"}, {}, ""}, "unexpected argument 'b.json'"},
           {{{"export", "a.json"}, {}, ""}, "unexpected argument 'a.json'"},
           {{{"export", "--dry-run"}, {}, ""}, "--dry-run only goes with import"},
           {{{"serve", "--replace"}, {}, ""}, "--replace only goes with import"},
           {{{"--skip-existing"}, {}, ""}, "--skip-existing only goes with import"},
           {{{"import", "a.json", "--replace", "--skip-existing"}, {}, ""},
            "--skip-existing and --replace exclude each other"},
           {{{}, {}, "PORT 8080\n"}, ".env line 1"},
           {{{"--auth=None"}, {}, ""}, "AUTH='None' (--auth): expected none or accounts"},
           {{{}, {{"AUTH", ""}}, ""}, "AUTH='' (environment)"},
           {{{}, {}, "SIGNUP=yes\n"}, "SIGNUP='yes' (.env line 1): expected closed or open"},
           {{{"--session-days=0"}, {}, ""}, "SESSION_DAYS='0' (--session-days)"},
           {{{"--session-days=3651"}, {}, ""}, "SESSION_DAYS='3651'"},
           {{{"--session-days=1.5"}, {}, ""}, "SESSION_DAYS='1.5'"},
           {{{"--host=0.0.0.0"}, {}, ""}, "AUTH is not set"},
           {{{"--signup=open"}, {}, ""}, "SIGNUP=open needs AUTH=accounts"},
       }) {
    CAPTURE(expected);
    auto c = in.load();
    REQUIRE_FALSE(c);
    CHECK(c.error().find(expected) != std::string::npos);
    CHECK(c.error().find('\n') == std::string::npos);
  }
}

TEST_CASE("config: TRASH_DAYS and REVISIONS_KEEP set the server's history, 30 and 100 unset") {
  auto unset = inputs{{}, {}, ""}.load();
  REQUIRE(unset);
  CHECK(unset->server.trash_days == std::chrono::days(30));
  CHECK(unset->server.history.revisions_keep == 100);
  auto set = inputs{{"--revisions-keep=0"}, {{"TRASH_DAYS", "7"}}, ""}.load();
  REQUIRE(set);
  CHECK(set->server.trash_days == std::chrono::days(7));
  CHECK(set->server.history.revisions_keep == 0);
  CHECK(inputs{{}, {}, "TRASH_DAYS=0\n"}.load()->server.trash_days == std::chrono::days(0));
  const auto help = notes::app::help_text();
  CHECK(help.find("--trash-days") != std::string::npos);
  CHECK(help.find("REVISIONS_KEEP") != std::string::npos);
  for (const auto& [in, expected] : std::vector<std::pair<inputs, const char*>>{
           {{{"--trash-days=3651"}, {}, ""}, "TRASH_DAYS='3651' (--trash-days)"},
           {{{}, {{"TRASH_DAYS", "-1"}}, ""}, "TRASH_DAYS='-1' (environment)"},
           {{{"--revisions-keep=10001"}, {}, ""}, "REVISIONS_KEEP='10001'"},
           {{{}, {}, "REVISIONS_KEEP=lots\n"}, "REVISIONS_KEEP='lots' (.env line 1)"},
       }) {
    CAPTURE(expected);
    auto c = in.load();
    REQUIRE_FALSE(c);
    CHECK(c.error().find(expected) != std::string::npos);
    CHECK(c.error().find('\n') == std::string::npos);
  }
}

TEST_CASE("config: import refuses taken ids unless --skip-existing or --replace says otherwise") {
  using notes::app::existing_ids;
  CHECK(inputs{{"import", "a.json"}, {}, ""}.load()->on_existing == existing_ids::refuse);
  CHECK(inputs{{"import", "a.json", "--skip-existing"}, {}, ""}.load()->on_existing ==
        existing_ids::skip);
  auto replace = inputs{{"--replace", "import", "a.json", "--dry-run"}, {}, ""}.load();
  REQUIRE(replace);
  CHECK(replace->on_existing == existing_ids::replace);
  CHECK(replace->dry_run);
  const auto help = notes::app::help_text();
  CHECK(help.find("--skip-existing") != std::string::npos);
  CHECK(help.find("--replace") != std::string::npos);
}

TEST_CASE("config: a .env key that is no setting is a warning, naming the setting it resembles") {
  inputs in;
  in.dotenv = "THREDS=4\nFLASK_APP=notes\nPORT=9000\nthreads=2\nSECRET_KY=k\nTHREDS=5\n";
  auto c = in.load();
  REQUIRE(c);
  CHECK(c->server.port == 9000);
  CHECK(c->server.threads == 0);  // none of the misspellings is taken for THREADS
  CHECK(c->warnings == std::vector<std::string>{
            ".env line 1: THREDS is not a setting of notes-server and is ignored; did you mean "
            "THREADS?",
            ".env line 2: FLASK_APP is not a setting of notes-server and is ignored",
            ".env line 4: threads is not a setting of notes-server and is ignored; did you mean "
            "THREADS?",
            ".env line 5: SECRET_KY is not a setting of notes-server and is ignored; did you mean "
            "SECRET_KEY?"});
  // Settings and the environment give no warning: it holds much more than notes-server's.
  CHECK(inputs{{}, {{"THREDS", "4"}}, "PORT=1\nHOST=127.0.0.1\n"}.load()->warnings.empty());
}

TEST_CASE("config: only the value that wins is checked, for every setting") {
  struct values {
    const char* variable;
    const char* flag;
    const char* bad;
    const char* good;
  };
  for (const auto& [variable, flag, bad, good] : std::vector<values>{
           {"DATABASE_URL", "--database-url", "", "memory:"},
           {"HOST", "--host", "999.1.1.1", "127.0.0.1"},
           {"PORT", "--port", "abc", "0"},
           {"THREADS", "--threads", "0", "2"},
           {"MAX_BODY_SIZE", "--max-body-size", "huge", "2048"},
           {"MAX_HEADER_SIZE", "--max-header-size", "1", "4096"},
           {"READ_TIMEOUT", "--read-timeout", "soon", "1"},
           {"IDLE_TIMEOUT", "--idle-timeout", "-1", "1"},
           {"SHUTDOWN_TIMEOUT", "--shutdown-timeout", "never", "1"},
           {"ACCESS_LOG", "--access-log", "maybe", "0"},
           {"SECURE_COOKIES", "--secure-cookies", "perhaps", "1"},
           {"AUTH", "--auth", "nobody", "accounts"},
           {"SIGNUP", "--signup", "sometimes", "closed"},
           {"SESSION_DAYS", "--session-days", "0", "3650"},
           {"TRASH_DAYS", "--trash-days", "3651", "0"},
           {"REVISIONS_KEEP", "--revisions-keep", "-1", "10000"},
       }) {
    std::string name = variable;
    CAPTURE(name);
    const std::string bad_line = name + "='" + bad + "'\n";
    const std::string flag_value = std::string(flag) + "=" + good;
    // A flag overrides the environment and .env: their values are not read at all.
    CHECK(inputs{{flag_value}, {{name, bad}}, ""}.load());
    CHECK(inputs{{flag_value}, {}, bad_line}.load());
    CHECK(inputs{{flag_value}, {{name, bad}}, bad_line}.load());
    // The environment overrides .env.
    CHECK(inputs{{}, {{name, good}}, bad_line}.load());
    // The last of several flags wins.
    CHECK(inputs{{std::string(flag) + "=" + bad, flag_value}, {}, ""}.load());
    // The value that wins is still checked, wherever it comes from.
    CHECK_FALSE(inputs{{std::string(flag) + "=" + bad}, {{name, good}}, ""}.load());
    CHECK_FALSE(inputs{{}, {{name, bad}}, name + "=" + good + "\n"}.load());
    CHECK_FALSE(inputs{{}, {}, bad_line}.load());
  }
}

TEST_CASE("config: HOST is an IP address or a host name") {
  for (std::string good : {"127.0.0.1", "0.0.0.0", "::1", "::", "fe80::1%1", "localhost"}) {
    CAPTURE(good);
    auto c = inputs{{"--host", good, "--auth=none"}, {}, ""}.load();
    REQUIRE(c);
    CHECK(c->server.host == good);
  }
  const std::vector<std::string> bad_hosts{
      "999.1.1.1",        "1.2.3", "256.0.0.1",    "[::1]",           "::g",
      "bad host",         "a..b",  "exa$mple.org", "http://localhost", "-leading.example",
      std::string(64, 'a') + ".example"};
  for (const std::string& bad : bad_hosts) {
    CAPTURE(bad);
    auto c = inputs{{"--host", bad}, {}, ""}.load();
    REQUIRE_FALSE(c);
    CHECK(c.error().starts_with("HOST='" + bad + "' (--host): "));
    CHECK(c.error().find('\n') == std::string::npos);
  }
}

TEST_CASE("config: a HOST name that the resolver says does not exist is a bad value") {
  // RFC 2606 reserves .invalid; when this machine's resolver cannot answer at all (no DNS), a
  // lookup failure is temporary and left to start-up, so there is nothing to check here.
  const std::string name = "no-such-host.invalid";
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  int rc = ::getaddrinfo(name.c_str(), nullptr, &hints, &found);
  if (found != nullptr) ::freeaddrinfo(found);
  if (rc != EAI_NONAME) {
    MESSAGE("this machine's resolver gives no definite answer for " << name);
    return;
  }
  auto c = inputs{{}, {{"HOST", name}}, ""}.load();
  REQUIRE_FALSE(c);
  CHECK(c.error().starts_with("HOST='" + name + "' (environment): "));
}

TEST_CASE("dotenv: python-dotenv's syntax") {
  auto entries = parse_dotenv(
      "# comment\n"
      "\n"
      "PLAIN=value\n"
      "export EXPORTED=yes\n"
      "  SPACED = padded value   \n"
      "COMMENTED=abc # trailing comment\n"
      "HASH=a#b\n"
      "SINGLE='literal $x \\n # not a comment'\n"
      "DOUBLE=\"line\\nbreak \\\"quoted\\\"\"  # comment\n"
      "MULTI=\"first\nsecond\"\n"
      "EMPTY=\n"
      "BARE\n"
      "CRLF=windows\r\n");
  REQUIRE(entries);
  std::map<std::string, std::string> got;
  for (const auto& e : *entries) got[e.key] = e.value;
  CHECK(got.at("PLAIN") == "value");
  CHECK(got.at("EXPORTED") == "yes");
  CHECK(got.at("SPACED") == "padded value");
  CHECK(got.at("COMMENTED") == "abc");
  CHECK(got.at("HASH") == "a#b");
  CHECK(got.at("SINGLE") == "literal $x \\n # not a comment");
  CHECK(got.at("DOUBLE") == "line\nbreak \"quoted\"");
  CHECK(got.at("MULTI") == "first\nsecond");
  CHECK(got.at("EMPTY") == "");
  CHECK(got.at("CRLF") == "windows");
  CHECK_FALSE(got.contains("BARE"));
  CHECK((*entries)[0].line == 3);
}

TEST_CASE("dotenv: errors name the line") {
  CHECK(parse_dotenv("A=1\n=2\n").error() == ".env line 2: expected KEY=value");
  CHECK(parse_dotenv("A=1\nB='open\n").error().starts_with(".env line 2: unterminated"));
  CHECK(parse_dotenv("A=\"x\" y\n").error().starts_with(".env line 1: unexpected text"));
}

TEST_CASE("config: loopback HOSTs are 127.0.0.0/8, ::1 and localhost, and no other") {
  using notes::app::is_loopback_host;
  for (const char* loopback : {"127.0.0.1", "127.0.0.2", "127.255.255.254", "::1",
                               "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1", "localhost", "LocalHost",
                               "localhost."}) {
    CAPTURE(loopback);
    CHECK(is_loopback_host(loopback));
  }
  for (const char* other : {"0.0.0.0", "::", "128.0.0.1", "126.255.255.255", "10.0.0.1",
                            "192.168.1.5", "::2", "fe80::1%1", "::ffff:10.0.0.1", "example.org",
                            "localhost.example.org", "my-localhost", ""}) {
    CAPTURE(other);
    CHECK_FALSE(is_loopback_host(other));
  }
}

TEST_CASE("config: AUTH unset is none on a loopback HOST and an error on any other") {
  using notes::app::auth_mode;
  using notes::app::decide_auth;
  using notes::app::signup_policy;
  for (const char* host : {"127.0.0.1", "::1", "localhost", "127.1.2.3"}) {
    CAPTURE(host);
    auto d = decide_auth(std::nullopt, signup_policy::closed, host);
    REQUIRE(d);
    CHECK(d->mode == auth_mode::none);
    CHECK_FALSE(d->warning);
  }
  for (const char* host : {"0.0.0.0", "::", "10.0.0.7", "notes.example.org"}) {
    CAPTURE(host);
    auto d = decide_auth(std::nullopt, signup_policy::closed, host);
    REQUIRE_FALSE(d);
    CHECK(d.error().starts_with("HOST='" + std::string(host) + "' takes connections from other "
                                "machines and AUTH is not set: "));
    CHECK(d.error().find("AUTH=accounts") != std::string::npos);
    CHECK(d.error().find("AUTH=none to share every note with everyone who reaches the port") !=
          std::string::npos);
    CHECK(d.error().find('\n') == std::string::npos);
  }
}

TEST_CASE("config: AUTH=none on a HOST other machines reach starts, with a warning") {
  using notes::app::auth_mode;
  using notes::app::decide_auth;
  using notes::app::signup_policy;
  auto open_to_all = decide_auth(auth_mode::none, signup_policy::closed, "0.0.0.0");
  REQUIRE(open_to_all);
  CHECK(open_to_all->mode == auth_mode::none);
  REQUIRE(open_to_all->warning);
  CHECK(*open_to_all->warning ==
        "AUTH=none on HOST='0.0.0.0', which takes connections from other machines: every note is "
        "readable and writable by anyone who reaches the port");
  // Said explicitly on loopback, or with accounts anywhere, there is nothing to warn about.
  auto local = decide_auth(auth_mode::none, signup_policy::closed, "127.0.0.1");
  REQUIRE(local);
  CHECK_FALSE(local->warning);
  for (const char* host : {"0.0.0.0", "::1"}) {
    auto accounts = decide_auth(auth_mode::accounts, signup_policy::open, host);
    REQUIRE(accounts);
    CHECK(accounts->mode == auth_mode::accounts);
    CHECK_FALSE(accounts->warning);
  }
}

TEST_CASE("config: SIGNUP=open needs AUTH=accounts") {
  using notes::app::auth_mode;
  using notes::app::decide_auth;
  using notes::app::signup_policy;
  for (auto requested : {std::optional(auth_mode::none), std::optional<auth_mode>()}) {
    auto d = decide_auth(requested, signup_policy::open, "127.0.0.1");
    REQUIRE_FALSE(d);
    CHECK(d.error().starts_with("SIGNUP=open needs AUTH=accounts"));
  }
  CHECK(decide_auth(auth_mode::accounts, signup_policy::open, "127.0.0.1"));
}

TEST_CASE("config: the AUTH rule applies wherever HOST and AUTH come from, for every command") {
  using notes::app::auth_mode;
  for (const auto& in : std::vector<inputs>{{{"--host=0.0.0.0"}, {}, ""},
                                            {{}, {{"HOST", "::"}}, ""},
                                            {{}, {}, "HOST=10.0.0.7\n"},
                                            {{"migrate"}, {}, "HOST=0.0.0.0\n"},
                                            {{"export"}, {{"HOST", "0.0.0.0"}}, ""}}) {
    auto c = in.load();
    REQUIRE_FALSE(c);
    CHECK(c.error().find("AUTH is not set") != std::string::npos);
  }
  // Set in any source, AUTH=none is taken; the warning is for serving only.
  auto serve = inputs{{}, {{"AUTH", "none"}}, "HOST=0.0.0.0\n"}.load();
  REQUIRE(serve);
  CHECK(serve->auth.mode == auth_mode::none);
  REQUIRE(serve->warnings.size() == 1);
  CHECK(serve->warnings.front().starts_with("AUTH=none on HOST='0.0.0.0'"));
  auto migrate = inputs{{"migrate", "--host=0.0.0.0"}, {}, "AUTH=none\n"}.load();
  REQUIRE(migrate);
  CHECK(migrate->warnings.empty());
  auto accounts = inputs{{"--auth=accounts"}, {{"HOST", "0.0.0.0"}}, ""}.load();
  REQUIRE(accounts);
  CHECK(accounts->auth.mode == auth_mode::accounts);
  CHECK(accounts->warnings.empty());
  // A flag's loopback HOST wins over a wide one elsewhere, and then AUTH need not be set.
  CHECK(inputs{{"--host=127.0.0.1"}, {{"HOST", "0.0.0.0"}}, ""}.load());
}

TEST_CASE("config: users and tokens take a subcommand, its arguments and its options") {
  auto add = inputs{{"users", "add", "alice", "--admin", "--claim-notes"}, {}, ""}.load();
  REQUIRE(add);
  CHECK(add->action == command::users);
  CHECK(add->accounts.verb == "add");
  CHECK(add->accounts.name == "alice");
  CHECK(add->accounts.admin);
  CHECK(add->accounts.claim_notes);
  auto list = inputs{{"users", "list"}, {}, ""}.load();
  REQUIRE(list);
  CHECK(list->accounts.verb == "list");
  CHECK_FALSE(list->accounts.admin);
  auto remove = inputs{{"--give-notes-to", "bob", "users", "remove", "alice"}, {}, ""}.load();
  REQUIRE(remove);
  CHECK(remove->accounts.heir == "bob");
  CHECK_FALSE(remove->accounts.delete_notes);
  CHECK(inputs{{"users", "remove", "alice", "--delete-notes"}, {}, ""}.load()->accounts
            .delete_notes);

  auto create =
      inputs{{"tokens", "create", "--user=alice", "--name", "my laptop", "--read-only"}, {}, ""}
          .load();
  REQUIRE(create);
  CHECK(create->action == command::tokens);
  CHECK(create->user == "alice");
  CHECK(create->accounts.token_name == "my laptop");
  CHECK(create->accounts.read_only);
  auto revoke = inputs{{"tokens", "revoke", "--user", "alice", "42"}, {}, ""}.load();
  REQUIRE(revoke);
  CHECK(revoke->accounts.token == 42);

  CHECK(inputs{{"export", "--user", "alice"}, {}, ""}.load()->user == "alice");
  CHECK(inputs{{"import", "a.json", "--user=alice"}, {}, ""}.load()->user == "alice");
  CHECK_FALSE(inputs{{"export"}, {}, ""}.load()->user);
  const auto help = notes::app::help_text();
  for (const char* usage : {"users add NAME [--admin] [--claim-notes]", "users list",
                            "users passwd NAME", "--delete-notes | --give-notes-to OTHER",
                            "tokens create --user NAME --name LABEL [--read-only]",
                            "tokens list --user NAME", "tokens revoke --user NAME ID"}) {
    CHECK(help.find(usage) != std::string::npos);
  }
  // Like migrate, they read the same settings, and a non-loopback HOST still needs AUTH.
  CHECK(inputs{{"users", "list", "--host=0.0.0.0"}, {}, ""}.load().error().find(
            "AUTH is not set") != std::string::npos);
}

TEST_CASE("config: a users or tokens command that cannot work as written is one line") {
  struct bad {
    std::vector<std::string> args;
    const char* expected;
  };
  for (const auto& [args, expected] : std::vector<bad>{
           {{"users"}, "users needs a subcommand: add NAME, list, passwd NAME or remove NAME"},
           {{"users", "delete", "alice"}, "unknown subcommand 'users delete'"},
           {{"users", "add"}, "users add needs the account's name"},
           {{"users", "passwd"}, "users passwd needs the account's name"},
           {{"users", "add", "alice", "bob"}, "unexpected argument 'bob'"},
           {{"users", "list", "alice"}, "unexpected argument 'alice'"},
           {{"users", "list", "--admin"}, "--admin only goes with users add"},
           {{"users", "passwd", "alice", "--claim-notes"},
            "--claim-notes only goes with users add"},
           {{"users", "add", "alice", "--delete-notes"},
            "--delete-notes only goes with users remove"},
           {{"users", "remove", "alice", "--delete-notes", "--give-notes-to=bob"},
            "--delete-notes and --give-notes-to exclude each other"},
           {{"users", "remove", "alice", "--give-notes-to"},
            "option --give-notes-to needs a value"},
           {{"users", "remove", "alice", "--give-notes-to="},
            "option --give-notes-to needs a value"},
           {{"users", "add", "alice", "--admin=yes"}, "option --admin takes no value"},
           {{"tokens"}, "tokens needs a subcommand: create, list or revoke"},
           {{"tokens", "show", "--user=a"}, "unknown subcommand 'tokens show'"},
           {{"tokens", "create", "--name=laptop"}, "tokens create needs --user NAME"},
           {{"tokens", "list"}, "tokens list needs --user NAME"},
           {{"tokens", "create", "--user=a"}, "tokens create needs --name LABEL"},
           {{"tokens", "revoke", "--user=a"}, "tokens revoke needs the token's id"},
           {{"tokens", "revoke", "--user=a", "seven"}, "'seven' is not a token id"},
           {{"tokens", "revoke", "--user=a", "0"}, "'0' is not a token id"},
           {{"tokens", "list", "--user=a", "--read-only"},
            "--read-only only goes with tokens create"},
           {{"migrate", "--user=a"}, "--user only goes with export, import and tokens"},
           {{"users", "list", "--user=a"}, "--user only goes with export, import and tokens"},
       }) {
    CAPTURE(expected);
    auto c = inputs{args, {}, ""}.load();
    REQUIRE_FALSE(c);
    CHECK(c.error().find(expected) != std::string::npos);
    CHECK(c.error().find('\n') == std::string::npos);
  }
}
