// `notes-server import` as a person runs it when the file meets ids already stored: refused with
// the way out named, --skip-existing, --replace, their dry runs; and a file that cannot be read.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "child_process.hpp"
#include "history_transfer.hpp"
#include "notes/time.hpp"
#include "test_server.hpp"

using notes::note;
using notes::testing::child_process;
using notes::testing::sqlite_backend;

namespace {

struct work_dir {
  std::filesystem::path path = notes::testing::make_temp_directory("notes-import-test");
  ~work_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

struct run_result {
  int exit_code;
  std::string stderr_text;
};

run_result run(const std::vector<std::string>& args, const std::string& url,
               const std::filesystem::path& cwd) {
  child_process c(NOTES_SERVER_PATH, args, {"DATABASE_URL=" + url}, cwd);
  const int code = c.finish(std::chrono::seconds(60));
  return {code, c.stderr_text()};
}

notes::timestamp at(std::string_view rfc3339) { return notes::parse_rfc3339(rfc3339).value(); }

// Stored before the import: note 5 at version 3, note 6 at version 1.
const note stored_5{5, "Stored", "kept text", false, at("2026-01-01T00:00:00Z"),
                    at("2026-01-02T00:00:00Z"), 3};
const note stored_6{6, "Same", "same text", true, at("2026-01-01T00:00:00Z"),
                    at("2026-01-03T00:00:00Z"), 1};

// The file: a new note 100, a changed note 5, and note 6 exactly as stored.
const note file_100{100, "New", "new text", false, at("2026-02-01T00:00:00Z"),
                    at("2026-02-01T00:00:00Z"), 1};
const note file_5{5, "From the file", "file text", true, at("2025-12-01T00:00:00Z"),
                  at("2026-02-02T00:00:00Z"), 1};

std::string line_for(const note& n) {
  return "{\"id\":" + std::to_string(n.id) + ",\"title\":\"" + n.title + "\",\"content\":\"" +
         n.content + "\",\"is_pinned\":" + (n.is_pinned ? "true" : "false") +
         ",\"created_at\":\"" + notes::to_rfc3339(n.created_at) + "\",\"updated_at\":\"" +
         notes::to_rfc3339(n.updated_at) + "\",\"version\":" + std::to_string(n.version) +
         "}";
}

struct import_fixture {
  work_dir dir;
  sqlite_backend target;
  std::filesystem::path file = dir.path / "export.json";

  import_fixture() {
    REQUIRE(target.inspect().import(std::vector<note>{stored_5, stored_6}).has_value());
    std::ofstream(file) << "{\"format\":\"notes-export\",\"format_version\":1,\"notes\":[\n"
                        << line_for(file_5) << ",\n"
                        << line_for(stored_6) << ",\n"
                        << line_for(file_100) << "\n]}\n";
  }

  run_result import(std::vector<std::string> options) {
    std::vector<std::string> args{"import", file.string()};
    args.insert(args.end(), options.begin(), options.end());
    return run(args, target.url(), dir.path);
  }

  std::vector<note> stored() { return target.inspect().all(std::nullopt).value(); }
};

bool has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("import: ids already stored refuse the whole import and name the way out") {
  import_fixture f;
  const auto refused = f.import({});
  CHECK(refused.exit_code == 1);
  CHECK_MESSAGE(has(refused.stderr_text, "Note 5 already exists"), refused.stderr_text);
  CHECK(has(refused.stderr_text, "--skip-existing"));
  CHECK(has(refused.stderr_text, "--replace"));
  CHECK(f.stored() == std::vector<note>{stored_5, stored_6});

  const auto dry = f.import({"--dry-run"});
  CHECK(dry.exit_code == 1);
  CHECK(has(dry.stderr_text, "2 of its ids are already stored"));
  CHECK(has(dry.stderr_text, "--skip-existing"));
}

TEST_CASE("import --skip-existing adds the new notes and leaves the stored ones alone") {
  import_fixture f;
  const auto dry = f.import({"--skip-existing", "--dry-run"});
  CHECK(dry.exit_code == 0);
  CHECK_MESSAGE(has(dry.stderr_text, "would add 1 and skip 2 ids already stored (5, 6)"),
                dry.stderr_text);
  CHECK(f.stored() == std::vector<note>{stored_5, stored_6});

  const auto done = f.import({"--skip-existing"});
  CHECK(done.exit_code == 0);
  CHECK_MESSAGE(has(done.stderr_text, "imported 1 new note into " + f.target.url() +
                                          ", skipped 2 ids already stored (5, 6)"),
                done.stderr_text);
  CHECK(f.stored() == std::vector<note>{stored_5, stored_6, file_100});

  // Again: everything is stored now, so nothing is added.
  const auto again = f.import({"--skip-existing"});
  CHECK(again.exit_code == 0);
  CHECK(has(again.stderr_text, "imported 0 new notes"));
  CHECK(f.stored() == std::vector<note>{stored_5, stored_6, file_100});
}

TEST_CASE("import --replace gives stored notes the file's text and a new version") {
  import_fixture f;
  const auto dry = f.import({"--replace", "--dry-run"});
  CHECK(dry.exit_code == 0);
  CHECK_MESSAGE(has(dry.stderr_text, "would add 1 and replace 1 of the 2 ids already stored "
                                     "(5, 6), 1 of them already equal"),
                dry.stderr_text);
  CHECK(f.stored() == std::vector<note>{stored_5, stored_6});

  const auto done = f.import({"--replace"});
  CHECK(done.exit_code == 0);
  CHECK_MESSAGE(has(done.stderr_text, "imported 1 new note into " + f.target.url() +
                                          ", replaced 1 stored note (1 already equal"),
                done.stderr_text);
  // The file's title, content, pin and updated_at; the stored created_at; the next version, so
  // that a client holding version 3 cannot overwrite the replacement unawares.
  note replaced = file_5;
  replaced.created_at = stored_5.created_at;
  replaced.version = stored_5.version + 1;
  CHECK(f.stored() == std::vector<note>{replaced, stored_6, file_100});

  // Again: the notes already hold the file's text, so no version moves.
  const auto again = f.import({"--replace"});
  CHECK(again.exit_code == 0);
  CHECK(has(again.stderr_text, "replaced 0 stored notes (3 already equal"));
  CHECK(f.stored() == std::vector<note>{replaced, stored_6, file_100});
}

TEST_CASE("import --replace gives an owned note the file's text and keeps its owner") {
  work_dir dir;
  sqlite_backend target;
  note owned = stored_5;
  owned.owner = 4;
  REQUIRE(target.inspect().import(std::vector<note>{owned}).has_value());
  // The file's note 5 names no owner (the shared notebook), as files from before owners do.
  const auto file = dir.path / "export.json";
  std::ofstream(file) << "{\"format\":\"notes-export\",\"format_version\":1,\"notes\":[\n"
                      << line_for(file_5) << "\n]}\n";
  const auto done = run({"import", file.string(), "--replace"}, target.url(), dir.path);
  CHECK_MESSAGE(done.exit_code == 0, done.stderr_text);
  CHECK(has(done.stderr_text, "replaced 1 stored note"));
  note replaced = file_5;
  replaced.created_at = owned.created_at;
  replaced.version = owned.version + 1;
  replaced.owner = 4;
  CHECK(target.inspect().all(std::nullopt).value() == std::vector<note>{replaced});
}

TEST_CASE("import: a file that cannot be read says why, and the database is not touched") {
  work_dir dir;
  std::filesystem::create_directory(dir.path / "a-folder.json");
  const std::string url = "sqlite:///notes.db";
  const auto missing = run({"import", "missing.json"}, url, dir.path);
  CHECK(missing.exit_code == 1);
  CHECK(missing.stderr_text ==
        "notes-server: cannot read missing.json: No such file or directory\n");
  const auto folder = run({"import", "a-folder.json"}, url, dir.path);
  CHECK(folder.exit_code == 1);
  CHECK(folder.stderr_text == "notes-server: cannot read a-folder.json: Is a directory\n");
  CHECK_FALSE(std::filesystem::exists(dir.path / "notes.db"));
}

TEST_CASE("export and import carry the trash and the revisions into a fresh SQLite file") {
  work_dir dir;
  sqlite_backend source;
  notes::testing::store_with_history(source.inspect());
  notes::testing::check_round_trip(source.inspect(), source.url(),
                                   "sqlite:///fresh.db", dir.path);

  sqlite_backend target;
  const auto file = dir.path / "export.json";
  const auto imported = run({"import", file.string()}, target.url(), dir.path);
  REQUIRE_MESSAGE(imported.exit_code == 0, imported.stderr_text);
  CHECK(target.inspect().archive(std::nullopt).value() ==
        source.inspect().archive(std::nullopt).value());
}

TEST_CASE("import: a bad version 2 file or an unknown version is refused and changes nothing") {
  import_fixture f;
  std::ofstream(f.file) << "{\"format\":\"notes-export\",\"format_version\":2,\"notes\":[\n"
                        << line_for(file_100) << ",\n"
                        << R"({"id":101,"title":"t","content":"c","is_pinned":false,)"
                        << R"("created_at":"2026-01-01T00:00:00Z","updated_at":)"
                        << R"("2026-01-01T00:00:00Z","version":2,)"
                        << R"("deleted_at":"2026-01-02T00:00:00Z",)"
                        << R"("revisions":[{"version":1,"title":"","content":"c",)"
                        << R"("is_pinned":false,"replaced_at":"2026-01-01T00:00:00Z"}]})"
                        << "\n]}\n";
  const auto bad = f.import({});
  CHECK(bad.exit_code == 1);
  CHECK_MESSAGE(has(bad.stderr_text, "import refused, nothing was imported"), bad.stderr_text);
  CHECK(has(bad.stderr_text, R"(line 3: "revisions[0].title": Title is required.)"));
  CHECK(f.stored() == std::vector<note>{stored_5, stored_6});
  CHECK(f.target.inspect().archive(std::nullopt).value().trashed.empty());
  CHECK(f.target.inspect().archive(std::nullopt).value().revisions.empty());

  std::ofstream(f.file) << R"({"format":"notes-export","format_version":3,"notes":[]})";
  const auto unknown = f.import({});
  CHECK(unknown.exit_code == 1);
  CHECK_MESSAGE(has(unknown.stderr_text, "\"format_version\": this notes-server reads versions "
                                         "1 and 2 only"),
                unknown.stderr_text);
  CHECK(f.stored() == std::vector<note>{stored_5, stored_6});
}

TEST_CASE("import --replace with a version 2 file replaces the trash and the revisions too") {
  work_dir dir;
  sqlite_backend target;
  notes::note_repository& repo = target.inspect();
  REQUIRE(repo.import(std::vector<note>{stored_5, stored_6}).has_value());
  note edited = stored_5;
  edited.title = "Stored, edited";
  REQUIRE(repo.update(edited, 3, 100).has_value());  // note 5 at version 4, revision 3 kept
  // The file: note 5 in the trash at version 2 with its revision 1; note 6 as stored.
  const auto file = dir.path / "export.json";
  std::string trashed_5 = line_for(file_5);
  trashed_5.replace(trashed_5.find("\"version\":1}"), 12,
                    R"("version":2,"deleted_at":"2026-02-03T00:00:00.000000Z","revisions":[)"
                    R"({"version":1,"title":"Old","content":"old text","is_pinned":false,)"
                    R"("replaced_at":"2026-02-02T00:00:00.000000Z"}]})");
  std::ofstream(file) << "{\"format\":\"notes-export\",\"format_version\":2,\"notes\":[\n"
                      << trashed_5 << ",\n"
                      << line_for(stored_6) << "\n]}\n";
  const auto done = run({"import", file.string(), "--replace"}, target.url(), dir.path);
  CHECK_MESSAGE(done.exit_code == 0, done.stderr_text);
  CHECK_MESSAGE(has(done.stderr_text, "replaced 1 stored note (1 already equal"),
                done.stderr_text);

  CHECK(repo.all(std::nullopt).value() == std::vector<note>{stored_6});
  note in_trash = file_5;
  in_trash.version = 5;  // above the stored version 4, so a client holding that one sees it
  const notes::note_archive history = repo.archive(std::nullopt).value();
  REQUIRE(history.trashed.size() == 1);
  CHECK(history.trashed[0] == notes::trashed_note{in_trash, at("2026-02-03T00:00:00Z")});
  REQUIRE(history.revisions.size() == 1);
  CHECK(history.revisions[0] == notes::revision{5, 1, "Old", "old text", false,
                                                at("2026-02-02T00:00:00Z"), notes::no_account});

  const auto again = run({"import", file.string(), "--replace"}, target.url(), dir.path);
  CHECK(again.exit_code == 0);
  CHECK_MESSAGE(has(again.stderr_text, "replaced 0 stored notes (2 already equal"),
                again.stderr_text);
  CHECK(repo.archive(std::nullopt).value() == history);
}

TEST_CASE("import --replace: a version 2 file's tags replace the stored ones, and a version 1 "
          "file, older than tags, keeps them") {
  work_dir dir;
  sqlite_backend target;
  notes::note_repository& repo = target.inspect();
  note tagged = stored_6;
  tagged.tags = {"Kept"};
  REQUIRE(repo.import(std::vector<note>{tagged}).has_value());
  const auto file = dir.path / "export.json";

  // Version 1: the same text, no tags member: already equal but for the tags, which stay.
  std::ofstream(file) << "{\"format\":\"notes-export\",\"format_version\":1,\"notes\":[\n"
                      << line_for(file_5).replace(0, 7, "{\"id\":6") << "\n]}\n";
  auto done = run({"import", file.string(), "--replace"}, target.url(), dir.path);
  CHECK_MESSAGE(done.exit_code == 0, done.stderr_text);
  REQUIRE(repo.all(std::nullopt).value().size() == 1);
  CHECK(repo.all(std::nullopt).value()[0].title == file_5.title);
  CHECK(repo.all(std::nullopt).value()[0].tags == std::vector<std::string>{"Kept"});

  // Version 2: the same note with other tags is not "already equal": the file's tags win.
  note stored_now = repo.all(std::nullopt).value()[0];
  std::string line = line_for(stored_now);
  line.insert(line.size() - 1, R"(,"tags":["From-file"])");
  std::ofstream(file) << "{\"format\":\"notes-export\",\"format_version\":2,\"notes\":[\n"
                      << line << "\n]}\n";
  done = run({"import", file.string(), "--replace"}, target.url(), dir.path);
  CHECK_MESSAGE(done.exit_code == 0, done.stderr_text);
  CHECK_MESSAGE(has(done.stderr_text, "replaced 1 stored note"), done.stderr_text);
  CHECK_FALSE(has(done.stderr_text, "already equal"));
  CHECK(repo.all(std::nullopt).value()[0].tags == std::vector<std::string>{"From-file"});
}
