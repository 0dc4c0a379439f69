// Fills a fresh notes database from the benchmark's TSV (bench/dataset.py) through the storage
// adapter's public API, so the schema, indexes and search triggers are exactly the server's.
// Tags and multi-line Markdown come from the file when it has them (`dataset.py tsv ... TAG`,
// `dataset.py markdown`). With --history every note is at version 2 with its version 1 kept as
// a revision, and a trash of a tenth as many notes again (ids after them, each with a revision
// too): the live notes are the same, so a row on such a database compares with the same row
// without.
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

// A content's line ends are `\n` in the file and its backslashes `\\`; nothing else is escaped.
std::optional<std::string> unescape(std::string_view field) {
  std::string out;
  out.reserve(field.size());
  for (std::size_t i = 0; i < field.size(); ++i) {
    if (field[i] != '\\') {
      out += field[i];
      continue;
    }
    if (++i == field.size()) return std::nullopt;
    if (field[i] == 'n') {
      out += '\n';
    } else if (field[i] == '\\') {
      out += '\\';
    } else {
      return std::nullopt;
    }
  }
  return out;
}

// Tags separated by commas; none when the field is empty.
std::vector<std::string> split_tags(std::string_view field) {
  std::vector<std::string> tags;
  while (!field.empty()) {
    const auto comma = field.find(',');
    tags.emplace_back(field.substr(0, comma));
    field.remove_prefix(comma == std::string_view::npos ? field.size() : comma + 1);
  }
  return tags;
}

// id, title, content, is_pinned (0/1), created_at, and optionally tags; the dataset never puts
// a tab inside a field.
std::optional<notes::note> parse_line(std::string_view line) {
  std::vector<std::string_view> fields;
  while (true) {
    const auto tab = line.find('\t');
    fields.push_back(line.substr(0, tab));
    if (tab == std::string_view::npos) break;
    line.remove_prefix(tab + 1);
  }
  if (fields.size() != 5 && fields.size() != 6) return std::nullopt;
  notes::note n;
  auto [end, ec] = std::from_chars(fields[0].data(), fields[0].data() + fields[0].size(), n.id);
  if (ec != std::errc{} || end != fields[0].data() + fields[0].size()) return std::nullopt;
  auto created = notes::parse_rfc3339(fields[4]);
  if (!created || (fields[3] != "0" && fields[3] != "1")) return std::nullopt;
  auto content = unescape(fields[2]);
  if (!content) return std::nullopt;
  n.title = fields[1];
  n.content = std::move(*content);
  if (fields.size() == 6) n.tags = split_tags(fields[5]);
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
