// Fills a fresh notes database from the benchmark's TSV (bench/dataset.py) through the storage
// adapter's public API, so the schema, indexes and search triggers are exactly the server's.
// With --history every note is at version 2 with its version 1 kept as a revision, and a trash
// of a tenth as many notes again (ids after them, each with a revision too): the live notes are
// the same, so a row on such a database compares with the same row without.
//
//   notes_seed DATABASE_URL NOTES.tsv [--history]
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "notes/history.hpp"
#include "notes/note.hpp"
#include "notes/storage/database.hpp"
#include "notes/storage/database_config.hpp"
#include "notes/time.hpp"

namespace {

// id, title, content, is_pinned (0/1), created_at; the dataset never puts a tab inside a field.
std::optional<notes::note> parse_line(std::string_view line) {
  std::string_view fields[5];
  for (int i = 0; i < 5; ++i) {
    auto tab = line.find('\t');
    if ((tab == std::string_view::npos) != (i == 4)) return std::nullopt;
    fields[i] = line.substr(0, tab);
    line.remove_prefix(tab == std::string_view::npos ? line.size() : tab + 1);
  }
  notes::note n;
  auto [end, ec] = std::from_chars(fields[0].data(), fields[0].data() + fields[0].size(), n.id);
  if (ec != std::errc{} || end != fields[0].data() + fields[0].size()) return std::nullopt;
  auto created = notes::parse_rfc3339(fields[4]);
  if (!created || (fields[3] != "0" && fields[3] != "1")) return std::nullopt;
  n.title = fields[1];
  n.content = fields[2];
  n.is_pinned = fields[3] == "1";
  n.created_at = *created;
  n.updated_at = *created;
  n.version = 1;
  return n;
}

int fail(const std::string& message) {
  std::cerr << "notes_seed: " << message << '\n';
  return 1;
}

notes::revision first_version_of(const notes::note& n) {
  return {n.id, 1, n.title, n.content, n.is_pinned, n.created_at, notes::no_account};
}

// The live notes at version 2, each with its revision 1; then the trash.
notes::note_archive with_history(std::vector<notes::note> live) {
  notes::note_archive archive;
  notes::note_id next = 1;
  for (auto& n : live) {
    n.version = 2;
    archive.revisions.push_back(first_version_of(n));
    next = std::max(next, n.id + 1);
  }
  for (std::size_t i = 0; i < live.size() / 10; ++i) {
    notes::note gone = live[i];
    gone.id = next++;
    archive.trashed.push_back({gone, gone.updated_at});
    archive.revisions.push_back(first_version_of(gone));
  }
  archive.live = std::move(live);
  return archive;
}

}  // namespace

int main(int argc, char** argv) {
  const bool history = argc == 4 && std::string_view(argv[3]) == "--history";
  if (argc != 3 && !history) {
    std::cerr << "usage: notes_seed DATABASE_URL NOTES.tsv [--history]\n";
    return 2;
  }
  auto config = notes::storage::parse_database_url(argv[1]);
  if (!config) return fail(config.error().message);

  std::ifstream in(argv[2]);
  if (!in) return fail(std::string("cannot read ") + argv[2]);
  std::vector<notes::note> batch;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    auto parsed = parse_line(line);
    if (!parsed) return fail(std::string(argv[2]) + ":" + std::to_string(number) + ": malformed line");
    batch.push_back(std::move(*parsed));
  }

  if (auto migrated = notes::storage::migrate(*config); !migrated) return fail(migrated.error().message);
  auto repository = notes::storage::open_repository(*config);
  if (!repository) return fail(repository.error().message);
  // One transaction for everything: the import is all or nothing and far faster than creates.
  const std::size_t count = batch.size();
  const notes::note_archive archive =
      history ? with_history(std::move(batch)) : notes::note_archive{std::move(batch), {}, {}};
  if (auto imported = (*repository)->import_archive(archive); !imported) {
    return fail(imported.error().message);
  }
  std::printf("notes_seed: %zu notes, %zu trashed, %zu revisions in %s\n", count,
              archive.trashed.size(), archive.revisions.size(), argv[1]);
}
