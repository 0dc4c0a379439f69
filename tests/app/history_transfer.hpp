#pragma once
// What export and import must carry besides the live notes: the trash and the revisions. Shared
// by the SQLite and the PostgreSQL tests of the commands.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "notes/note_repository.hpp"
#include "notes/time.hpp"

namespace notes::testing {

struct command_result {
  int exit_code;
  std::string stderr_text;
};

inline command_result run_command(const std::vector<std::string>& args, const std::string& url,
                                  const std::filesystem::path& cwd,
                                  const std::filesystem::path& stdout_file = {}) {
  child_process c(NOTES_SERVER_PATH, args, {"DATABASE_URL=" + url}, cwd, stdout_file);
  const int code = c.finish(std::chrono::seconds(60));
  return {code, c.stderr_text()};
}

inline std::string file_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A live note with two revisions, one without, and a trashed note with one revision.
inline void store_with_history(note_repository& repo) {
  const auto at = [](int second) {
    return timestamp{std::chrono::seconds(1'780'000'000 + second)} +
           std::chrono::microseconds(123);
  };
  const auto create = [&](std::string title, int second) {
    note n;
    n.title = std::move(title);
    n.content = "body of " + n.title;
    n.created_at = at(second);
    n.updated_at = at(second);
    n.version = 1;
    return repo.create(n).value();
  };
  const auto edit = [&](note n, std::string title, int second) {
    const note_version was = n.version;
    n.title = std::move(title);
    n.content += "\nedited";
    n.is_pinned = !n.is_pinned;
    n.updated_at = at(second);
    return repo.update(n, was, 100).value();
  };
  note edited = create("edited", 1);
  edited = edit(edited, "edited twice", 2);
  edit(edited, "edited three times", 3);
  create("plain", 4);
  note gone = create("gone", 5);
  gone = edit(gone, "gone, edited", 6);
  REQUIRE(repo.trash(no_account, gone.id, gone.version, at(7)).has_value());
}

// Exports `from`, imports the file into `to` (empty, migrated or not), and checks that `to`
// then holds the same live notes, trash and revisions, and exports the same bytes.
inline void check_round_trip(note_repository& from, const std::string& from_url,
                             const std::string& to_url, const std::filesystem::path& dir) {
  const auto file = dir / "export.json";
  const auto exported = run_command({"export"}, from_url, dir, file);
  REQUIRE_MESSAGE(exported.exit_code == 0, exported.stderr_text);
  const std::string text = file_text(file);
  CHECK(text.find("\"format_version\":2") != std::string::npos);
  CHECK(text.find("\"deleted_at\":") != std::string::npos);
  CHECK(text.find("\"revisions\":[") != std::string::npos);

  const auto imported = run_command({"import", file.string()}, to_url, dir);
  REQUIRE_MESSAGE(imported.exit_code == 0, imported.stderr_text);
  const auto again = dir / "again.json";
  const auto exported_again = run_command({"export"}, to_url, dir, again);
  REQUIRE_MESSAGE(exported_again.exit_code == 0, exported_again.stderr_text);
  CHECK(file_text(again) == text);

  const note_archive archive = from.archive(std::nullopt).value();
  CHECK(archive.live.size() == 2);
  CHECK(archive.trashed.size() == 1);
  CHECK(archive.revisions.size() == 3);
}

}  // namespace notes::testing
