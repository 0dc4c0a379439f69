// `notes-server export` and `notes-server import` as a person runs them: SQLite to PostgreSQL and
// back byte for byte, bad files and taken ids refused with nothing imported, --dry-run.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "child_process.hpp"
#include "notes/storage/database.hpp"
#include "notes/time.hpp"
#include "store_available.hpp"
#include "test_server.hpp"

using notes::note;
using notes::testing::child_process;
using notes::testing::postgres_backend;
using notes::testing::sqlite_backend;

namespace {

struct work_dir {
  std::filesystem::path path = notes::testing::make_temp_directory("notes-transfer-test");
  ~work_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

struct run_result {
  int exit_code;
  std::string stderr_text;
};

// Runs notes-server to completion with DATABASE_URL=url and only that in its environment.
run_result run(const std::vector<std::string>& args, const std::string& url,
               const std::filesystem::path& cwd, const std::filesystem::path& stdout_file = {},
               const std::filesystem::path& stdin_file = {}) {
  child_process c(NOTES_SERVER_PATH, args, {"DATABASE_URL=" + url}, cwd, stdout_file, stdin_file);
  const int code = c.finish(std::chrono::seconds(60));
  return {code, c.stderr_text()};
}

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

notes::timestamp at(std::string_view rfc3339) { return notes::parse_rfc3339(rfc3339).value(); }

// Notes with what could go wrong on the way: gaps in the ids, versions above 1, microseconds,
// times before 1970, non-ASCII text, quotes, backslashes, line breaks, the longest content.
std::vector<note> awkward_notes() {
  return {
      {2, "Ärger über \"Zitate\" 🎉", "line one\nline two\twith \\ and %_ wildcards", true,
       at("2026-03-04T05:06:07.000001Z"), at("2026-03-05T00:00:00.999999Z"), 7},
      {5, "Plain", "x", false, at("1969-07-20T20:17:40.123456Z"),
       at("1999-12-31T23:59:59.500000Z"), 1},
      {9, std::string(200, 'T'), std::string(100'000, 'c'), false,
       at("2038-01-19T03:14:08.000000Z"), at("2038-01-19T03:14:08.000000Z"), 123456789},
  };
}

void check_taken_ids_refused(const std::string& url, notes::note_repository& target,
                             const std::filesystem::path& dir) {
  // Valid notes, the last of which is already stored: the database refuses it in the middle of
  // the transaction, and the notes before it must not stay.
  const std::filesystem::path file = dir / "clash.json";
  std::ofstream(file) << "{\"format\":\"notes-export\",\"format_version\":1,\"notes\":[\n"
                         "{\"id\":100,\"title\":\"new\",\"content\":\"n\",\"is_pinned\":false,"
                         "\"created_at\":\"2026-01-01T00:00:00Z\","
                         "\"updated_at\":\"2026-01-01T00:00:00Z\",\"version\":1},\n"
                         "{\"id\":5,\"title\":\"taken\",\"content\":\"t\",\"is_pinned\":false,"
                         "\"created_at\":\"2026-01-01T00:00:00Z\","
                         "\"updated_at\":\"2026-01-01T00:00:00Z\",\"version\":1}\n]}\n";
  const auto before = target.all(std::nullopt).value();

  auto dry = run({"import", "--dry-run", file.string()}, url, dir);
  CHECK(dry.exit_code == 1);
  CHECK(dry.stderr_text.find("ids are already stored") != std::string::npos);

  auto refused = run({"import", file.string()}, url, dir);
  CHECK(refused.exit_code == 1);
  CHECK_MESSAGE(refused.stderr_text.find("Note 5 already exists") != std::string::npos,
                refused.stderr_text);
  CHECK(target.all(std::nullopt).value() == before);
}

// SQLite -> export -> import into `target` -> export: the same bytes and the same notes.
template <class Target>
void round_trip_from_sqlite() {
  work_dir dir;
  sqlite_backend source;
  REQUIRE(source.inspect().import(awkward_notes()).has_value());

  auto exported = run({"export"}, source.url(), dir.path, dir.path / "a.json");
  REQUIRE_MESSAGE(exported.exit_code == 0, exported.stderr_text);
  CHECK(exported.stderr_text.find("exported 3 notes") != std::string::npos);

  Target target;
  auto imported = run({"import", "a.json"}, target.url(), dir.path);
  REQUIRE_MESSAGE(imported.exit_code == 0, imported.stderr_text);
  CHECK(imported.stderr_text.find("imported 3 notes") != std::string::npos);
  CHECK(target.inspect().all(std::nullopt).value() == awkward_notes());

  auto again = run({"export"}, target.url(), dir.path, dir.path / "b.json");
  REQUIRE_MESSAGE(again.exit_code == 0, again.stderr_text);
  const std::string a = read_text(dir.path / "a.json");
  CHECK(a.size() > 100'000);
  CHECK(a == read_text(dir.path / "b.json"));

  // New notes get ids after the imported ones, never one of them.
  notes::note fresh{0, "after import", "x", false, at("2026-06-01T00:00:00Z"),
                    at("2026-06-01T00:00:00Z"), 1};
  auto created = target.inspect().create(fresh);
  REQUIRE(created.has_value());
  CHECK(created->id > 9);

  check_taken_ids_refused(target.url(), target.inspect(), dir.path);
}

}  // namespace

TEST_CASE("export from SQLite imports into PostgreSQL and exports the same bytes") {
  if (!notes::testing::store_available<postgres_backend>()) return;
  round_trip_from_sqlite<postgres_backend>();
}

TEST_CASE("export from SQLite imports into another SQLite database and exports the same bytes") {
  round_trip_from_sqlite<sqlite_backend>();
}

TEST_CASE("export from PostgreSQL imports into SQLite and exports the same bytes") {
  if (!notes::testing::store_available<postgres_backend>()) return;
  work_dir dir;
  postgres_backend source;
  REQUIRE(source.inspect().import(awkward_notes()).has_value());
  REQUIRE(run({"export"}, source.url(), dir.path, dir.path / "pg.json").exit_code == 0);

  sqlite_backend target;
  auto imported = run({"import", "pg.json"}, target.url(), dir.path);
  REQUIRE_MESSAGE(imported.exit_code == 0, imported.stderr_text);
  CHECK(target.inspect().all(std::nullopt).value() == awkward_notes());
  REQUIRE(run({"export"}, target.url(), dir.path, dir.path / "sqlite.json").exit_code == 0);
  CHECK(read_text(dir.path / "pg.json") == read_text(dir.path / "sqlite.json"));
}

// Accounts with these names, added in this order, in the database at `url`; their ids.
std::vector<notes::account_id> add_accounts(const std::string& url,
                                            const std::vector<std::string>& names) {
  auto accounts =
      notes::storage::open_account_repository(notes::storage::parse_database_url(url).value());
  REQUIRE(accounts);
  std::vector<notes::account_id> ids;
  for (const auto& name : names) {
    notes::account fresh;
    fresh.name = name;
    fresh.password_hash = "$argon2id$placeholder";
    ids.push_back((*accounts)->create_account(fresh).value().id);
  }
  return ids;
}

TEST_CASE("export and import keep each note's owner by account name, whatever its id") {
  work_dir dir;
  sqlite_backend source;
  const auto source_ids = add_accounts(source.url(), {"bob", "alice"});
  auto owned = awkward_notes();
  owned[0].owner = source_ids[1];  // alice
  owned[2].owner = source_ids[0];  // bob
  REQUIRE(source.inspect().import(owned).has_value());
  REQUIRE(run({"export"}, source.url(), dir.path, dir.path / "owned.json").exit_code == 0);
  const std::string text = read_text(dir.path / "owned.json");
  CHECK(text.find(R"("version":7,"owner":"alice"})") != std::string::npos);
  CHECK(text.find(R"("version":1})") != std::string::npos);
  CHECK(text.find(R"("version":123456789,"owner":"bob"})") != std::string::npos);

  // In the other database the same people have other ids.
  sqlite_backend target;
  const auto target_ids = add_accounts(target.url(), {"alice", "bob"});
  REQUIRE(target_ids[0] != source_ids[1]);
  auto imported = run({"import", "owned.json"}, target.url(), dir.path);
  REQUIRE_MESSAGE(imported.exit_code == 0, imported.stderr_text);
  auto expected = owned;
  expected[0].owner = target_ids[0];
  expected[2].owner = target_ids[1];
  CHECK(target.inspect().all(std::nullopt).value() == expected);
  CHECK(target.inspect().count(notes::no_account).value() == 1);
  REQUIRE(run({"export"}, target.url(), dir.path, dir.path / "again.json").exit_code == 0);
  CHECK(read_text(dir.path / "again.json") == text);
}

TEST_CASE("import refuses a file whose owners have no account here, naming them") {
  work_dir dir;
  sqlite_backend source;
  const auto ids = add_accounts(source.url(), {"alice", "carol"});
  auto owned = awkward_notes();
  owned[0].owner = ids[0];
  owned[1].owner = ids[1];
  owned[2].owner = ids[1];
  REQUIRE(source.inspect().import(owned).has_value());
  REQUIRE(run({"export"}, source.url(), dir.path, dir.path / "owned.json").exit_code == 0);

  sqlite_backend target;
  add_accounts(target.url(), {"alice"});
  auto dry = run({"import", "--dry-run", "owned.json"}, target.url(), dir.path);
  CHECK(dry.exit_code == 1);
  CHECK_MESSAGE(dry.stderr_text.find("dry run: the import would be refused: the notes belong to "
                                     "accounts " + target.url() + " does not have: 'carol' (2 "
                                     "notes); add them first") != std::string::npos,
                dry.stderr_text);
  auto refused = run({"import", "owned.json"}, target.url(), dir.path);
  CHECK(refused.exit_code == 1);
  CHECK(refused.stderr_text.find("import refused, nothing was imported: the notes belong to "
                                 "accounts") != std::string::npos);
  CHECK(refused.stderr_text.find("--user NAME") != std::string::npos);
  CHECK(target.inspect().all(std::nullopt).value().empty());

  // Into a database without a schema yet there is no account at all.
  const auto fresh = dir.path / "fresh.db";
  auto empty =
      run({"import", "--dry-run", "owned.json"}, "sqlite:///" + fresh.string(), dir.path);
  CHECK(empty.exit_code == 1);
  CHECK(empty.stderr_text.find("is empty, so it has none of the accounts") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(fresh));
}

TEST_CASE("import refuses a bad file, names the line and field, and imports nothing") {
  work_dir dir;
  sqlite_backend target;
  std::ofstream(dir.path / "bad.json")
      << "{\"format\":\"notes-export\",\"format_version\":1,\"notes\":[\n"
         "{\"id\":1,\"title\":\"fine\",\"content\":\"c\",\"is_pinned\":false,"
         "\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\","
         "\"version\":1},\n"
         "{\"id\":2,\"title\":\"" + std::string(201, 'x') + "\",\"content\":\"c\","
         "\"is_pinned\":false,\"created_at\":\"2026-01-01T00:00:00Z\","
         "\"updated_at\":\"2026-01-01T00:00:00Z\",\"version\":1}\n]}\n";
  auto refused = run({"import", "bad.json"}, target.url(), dir.path);
  CHECK(refused.exit_code == 1);
  CHECK_MESSAGE(refused.stderr_text.find(
                    "line 3: \"title\": Title must be at most 200 characters.") !=
                    std::string::npos,
                refused.stderr_text);
  CHECK(refused.stderr_text.find("nothing was imported") != std::string::npos);
  CHECK(target.inspect().count(notes::no_account).value() == 0);

  std::ofstream(dir.path / "broken.json") << "{\"format\":\"notes-export\",\n\"notes\": [\n{\"id\": 1,}";
  auto broken = run({"import", "broken.json"}, target.url(), dir.path);
  CHECK(broken.exit_code == 1);
  CHECK(broken.stderr_text.find("line 3, column 10: not valid JSON") != std::string::npos);

  auto missing = run({"import", "no-such-file.json"}, target.url(), dir.path);
  CHECK(missing.exit_code == 1);
  CHECK(missing.stderr_text.find("cannot read no-such-file.json") != std::string::npos);
  CHECK(target.inspect().count(notes::no_account).value() == 0);
}

TEST_CASE("import --dry-run checks the file and the ids and writes nothing") {
  work_dir dir;
  sqlite_backend source;
  REQUIRE(source.inspect().import(awkward_notes()).has_value());
  REQUIRE(run({"export"}, source.url(), dir.path, dir.path / "a.json").exit_code == 0);

  sqlite_backend target;
  auto dry = run({"import", "a.json", "--dry-run"}, target.url(), dir.path);
  CHECK(dry.exit_code == 0);
  CHECK(dry.stderr_text.find("holds 3 valid notes") != std::string::npos);
  CHECK(target.inspect().count(notes::no_account).value() == 0);

  // Into a database that does not exist yet: not even the file appears.
  const auto fresh = dir.path / "fresh.db";
  auto into_new = run({"import", "--dry-run", "a.json"}, "sqlite:///" + fresh.string(), dir.path);
  CHECK(into_new.exit_code == 0);
  CHECK_FALSE(std::filesystem::exists(fresh));
  // The real import then creates the schema too.
  CHECK(run({"import", "a.json"}, "sqlite:///" + fresh.string(), dir.path).exit_code == 0);
  CHECK(std::filesystem::exists(fresh));
}

TEST_CASE("import - reads the export from standard input") {
  work_dir dir;
  sqlite_backend source;
  REQUIRE(source.inspect().import(awkward_notes()).has_value());
  REQUIRE(run({"export"}, source.url(), dir.path, dir.path / "a.json").exit_code == 0);
  sqlite_backend target;
  auto piped = run({"import", "-"}, target.url(), dir.path, {}, dir.path / "a.json");
  CHECK_MESSAGE(piped.exit_code == 0, piped.stderr_text);
  CHECK(piped.stderr_text.find("imported 3 notes") != std::string::npos);
  CHECK(target.inspect().all(std::nullopt).value() == awkward_notes());
}

TEST_CASE("export and import need a database and import needs a file") {
  work_dir dir;
  auto memory = run({"export"}, "memory:", dir.path);
  CHECK(memory.exit_code == 1);
  CHECK(memory.stderr_text.find("need a database") != std::string::npos);
  auto no_file = run({"import"}, "memory:", dir.path);
  CHECK(no_file.exit_code == 2);
  CHECK(no_file.stderr_text.find("import needs the file") != std::string::npos);
  auto dry_export = run({"export", "--dry-run"}, "memory:", dir.path);
  CHECK(dry_export.exit_code == 2);
}
