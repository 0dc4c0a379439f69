// Database URLs: sqlite:/// relative and absolute paths, PostgreSQL for several servers, clear
// errors.
#include <doctest/doctest.h>

#include "notes/storage/database_config.hpp"

using notes::error_code;
using notes::storage::database_kind;
using notes::storage::parse_database_url;
using notes::storage::redacted_url;

namespace {

notes::storage::database_config parsed(std::string_view url) {
  auto config = parse_database_url(url);
  REQUIRE_MESSAGE(config.has_value(), (config ? "" : config.error().message));
  return *config;
}

std::string rejection(std::string_view url) {
  auto config = parse_database_url(url);
  REQUIRE_FALSE(config.has_value());
  CHECK(config.error().code == error_code::invalid_argument);
  // Worded for any program: notes-server names its own setting where it reports the error.
  CHECK(config.error().message.starts_with("database URL "));
  CHECK(config.error().message.find("DATABASE_URL") == std::string::npos);
  return config.error().message;
}

}  // namespace

TEST_CASE("sqlite:/// with three slashes names a path relative to the working directory") {
  const auto config = parsed("sqlite:///notes.db");
  CHECK(config.kind == database_kind::sqlite);
  CHECK(config.path == "notes.db");
  CHECK(parsed("sqlite:///data/my notes.db").path == "data/my notes.db");
}

TEST_CASE("sqlite://// with four slashes names an absolute path") {
  const auto config = parsed("sqlite:////var/lib/notes/notes.db");
  CHECK(config.kind == database_kind::sqlite);
  CHECK(config.path == "/var/lib/notes/notes.db");
  CHECK(redacted_url(config) == "sqlite:////var/lib/notes/notes.db");
}

TEST_CASE("postgresql:// URLs give host port user password and database") {
  const auto config = parsed("postgresql://notes:s3cret@db.internal:6543/notes_prod");
  CHECK(config.kind == database_kind::postgresql);
  CHECK(config.host == "db.internal");
  CHECK(config.port == 6543);
  CHECK(config.user == "notes");
  CHECK(config.password == "s3cret");
  CHECK(config.database_name == "notes_prod");
  CHECK(redacted_url(config) == "postgresql://notes:***@db.internal:6543/notes_prod");
}

TEST_CASE("redacted_url hides the client key's password (sslpassword) too") {
  const auto config = parsed("postgresql://notes:pw@db:5432/n?sslmode=require&sslpassword=k3y");
  CHECK(redacted_url(config) == "postgresql://notes:***@db:5432/n?sslmode=require&sslpassword=***");
}

TEST_CASE("postgres:// is accepted too and the port defaults to 5432") {
  const auto config = parsed("postgres://app@localhost/notes");
  CHECK(config.kind == database_kind::postgresql);
  CHECK(config.port == 5432);
  CHECK(config.user == "app");
  CHECK(config.password.empty());
  CHECK(parsed("postgresql://127.0.0.1/notes").user.empty());
}

TEST_CASE("user and password are percent-decoded") {
  const auto config = parsed("postgresql://us%40er:p%3Aa%2Fs%25s%40w@host:5432/db");
  CHECK(config.user == "us@er");
  CHECK(config.password == "p:a/s%s@w");
  CHECK(parsed("postgresql://u:with@at@host/db").password == "with@at");
}

TEST_CASE("an IPv6 host goes in brackets") {
  const auto config = parsed("postgresql://u:p@[::1]:5433/db");
  CHECK(config.host == "::1");
  CHECK(config.port == 5433);
  CHECK(redacted_url(config) == "postgresql://u:***@[::1]:5433/db");
}

TEST_CASE("query parameters pass through to libpq") {
  const auto config = parsed("postgresql://u@h/db?sslmode=require&application_name=notes%20a");
  REQUIRE(config.options.size() == 2);
  CHECK(config.options[0] == std::pair<std::string, std::string>{"sslmode", "require"});
  CHECK(config.options[1] == std::pair<std::string, std::string>{"application_name", "notes a"});
  rejection("postgresql://u@h/db?password=x");
  rejection("postgresql://u@h/db?sslmode");
  rejection("postgresql://u@h/db?bad-key=1");
}

TEST_CASE("other schemes and malformed URLs are refused naming the database URL") {
  CHECK(rejection("mysql://u:p@h/db").find("mysql") != std::string::npos);
  rejection("");
  rejection("notes.db");
  rejection("sqlite://notes.db");
  rejection("sqlite:///");
  rejection("sqlite:///:memory:");
  rejection("sqlite:///data/");
  rejection("postgresql://u:p@host");
  rejection("postgresql://u:p@host/");
  rejection("postgresql://u:p@/db");
  rejection("postgresql://u:p@host:/db");
  rejection("postgresql://u:p@host:0/db");
  rejection("postgresql://u:p@host:70000/db");
  rejection("postgresql://u:p@host:54x/db");
  rejection("postgresql://u:p%zz@host/db");
  rejection("postgresql://u:p%4@host/db");
  rejection("postgresql://u:p@[::1/db");
}

TEST_CASE("a sqlite URL with a query or fragment is refused, never taken as part of the file name") {
  for (std::string_view url : {"sqlite:///notes.db?mode=ro", "sqlite:///notes.db?", "sqlite:///notes.db#x",
                               "sqlite:////var/lib/notes.db?cache=shared&mode=rwc"}) {
    CAPTURE(url);
    const std::string message = rejection(url);
    CHECK(message.find("takes no options") != std::string::npos);
  }
  CHECK(rejection("sqlite:///notes.db?mode=ro").find("mode") != std::string::npos);
}

TEST_CASE("a sqlite URL without a file says what a sqlite URL looks like") {
  for (std::string_view url : {"sqlite://", "sqlite:", "sqlite://notes.db", "sqlite:///",
                               "sqlite:////", "sqlite:///data/", "sqlite:///data/.",
                               "sqlite:///data/.."}) {
    CAPTURE(url);
    const std::string message = rejection(url);
    CHECK(message.find("sqlite:///notes.db") != std::string::npos);
  }
}

TEST_CASE("an error message never repeats the password") {
  const std::string message = rejection("mongodb://user:hunter2@host/db");
  CHECK(message.find("hunter2") == std::string::npos);
  CHECK(rejection("postgresql://user:hunter2@host:bad/db").find("hunter2") == std::string::npos);
}
