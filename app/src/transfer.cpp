#include "transfer.hpp"

#include <algorithm>
#include <map>

#include "export_file.hpp"

namespace notes::app {

namespace {

// "2, 5, 9" (the first 20, then "…").
std::string id_list(const std::vector<note_id>& ids) {
  std::string list;
  for (std::size_t i = 0; i < ids.size() && i < 20; ++i) {
    list += (i == 0 ? "" : ", ") + std::to_string(ids[i]);
  }
  if (ids.size() > 20) list += ", …";
  return list;
}

std::string count_of(std::size_t n, std::string_view what) {
  return std::to_string(n) + " " + std::string(what) + (n == 1 ? "" : "s");
}

constexpr std::string_view existing_hint =
    "--skip-existing keeps the stored notes and imports the others; --replace gives the stored "
    "notes the file's text";

// The file's notes split by whether their id is stored; `stored` keeps the stored note of each.
struct split_notes {
  std::vector<note> fresh;
  std::vector<note> taken;
  std::map<note_id, note> stored;

  std::vector<note_id> taken_ids() const {
    std::vector<note_id> ids;
    for (const auto& n : taken) ids.push_back(n.id);
    return ids;
  }
};

// Ids are unique across owners: every owner's notes are looked at.
result<split_notes> split_by_stored(note_repository& repository, std::vector<note> notes) {
  auto all = repository.all(std::nullopt);
  if (!all) return std::unexpected(std::move(all.error()));
  split_notes out;
  for (auto& n : *all) out.stored.emplace(n.id, std::move(n));
  std::map<note_id, note> wanted;
  for (auto& n : notes) {
    if (auto at = out.stored.find(n.id); at != out.stored.end()) {
      wanted.emplace(n.id, at->second);
      out.taken.push_back(std::move(n));
    } else {
      out.fresh.push_back(std::move(n));
    }
  }
  out.stored = std::move(wanted);
  return out;
}

bool same_content(const note& a, const note& b) {
  return a.title == b.title && a.content == b.content && a.is_pinned == b.is_pinned &&
         a.updated_at == b.updated_at;
}

// What a dry run reports once it knows which ids are taken.
int report_dry_run(const split_notes& split, std::string_view source, std::size_t total,
                   const storage_backend& storage, existing_ids on_existing, const reporter& say) {
  const std::string into = " into " + storage.describe();
  if (split.taken.empty()) {
    say("dry run: " + std::string(source) + " holds " + count_of(total, "valid note") +
        "; importing them" + into + " would succeed");
    return 0;
  }
  const std::string taken = count_of(split.taken.size(), "id") + " already stored (" +
                            id_list(split.taken_ids()) + ")";
  if (on_existing == existing_ids::refuse) {
    say("dry run: the import would be refused: " + std::to_string(split.taken.size()) +
        " of its ids are already stored in " + storage.describe() + " (" +
        id_list(split.taken_ids()) + "); " + std::string(existing_hint));
    return 1;
  }
  std::string line = "dry run: " + std::string(source) + " holds " +
                     count_of(total, "valid note") + "; importing them" + into + " would add " +
                     std::to_string(split.fresh.size());
  if (on_existing == existing_ids::skip) {
    line += " and skip " + taken;
  } else {
    std::size_t unchanged = 0;
    for (const auto& n : split.taken) unchanged += same_content(n, split.stored.at(n.id));
    line += " and replace " + std::to_string(split.taken.size() - unchanged) + " of the " + taken;
    if (unchanged > 0) line += ", " + std::to_string(unchanged) + " of them already equal";
  }
  say(line);
  return 0;
}

// Replaces each taken note in turn; stops at the first failure, saying how far it got. A stored
// note keeps its owner: the file gives it its text, not to someone else.
int replace_taken(note_repository& repository, const split_notes& split, std::string done,
                  const reporter& say) {
  std::size_t replaced = 0;
  std::size_t unchanged = 0;
  for (const auto& n : split.taken) {
    const note& stored = split.stored.at(n.id);
    if (same_content(n, stored)) {
      ++unchanged;
      continue;
    }
    note replacement = n;
    replacement.owner = stored.owner;
    if (auto updated = repository.update(replacement, stored.version, 0); !updated) {
      say("import stopped: " + done + ", replaced " + std::to_string(replaced) + " of " +
          count_of(split.taken.size(), "stored note") + ", then note " + std::to_string(n.id) +
          ": " + updated.error().message + ". Running the same import again finishes it.");
      return 1;
    }
    ++replaced;
  }
  std::string line = done + ", replaced " + count_of(replaced, "stored note");
  if (unchanged > 0) {
    line += " (" + std::to_string(unchanged) + " already equal, left as they were)";
  }
  say(line);
  return 0;
}

}  // namespace

int run_export(const storage_backend& storage, std::ostream& out, const reporter& say) {
  auto repository = storage.open_repository();
  if (!repository) {
    say("cannot export: " + repository.error());
    return 1;
  }
  auto notes = (*repository)->all(std::nullopt);
  if (!notes) {
    say("cannot export: " + notes.error().message);
    return 1;
  }
  write_export(out, *notes);
  out.flush();
  if (!out) {
    say("cannot export: writing the output failed");
    return 1;
  }
  say("exported " + std::to_string(notes->size()) + " notes from " + storage.describe());
  return 0;
}

int run_import(storage_backend& storage, std::string_view source, std::string_view text,
               const import_options& options, const reporter& say) {
  auto notes = read_export(text);
  if (!notes) {
    say("import refused, nothing was imported: " + std::string(source) + ":\n" + notes.error());
    return 1;
  }
  const std::size_t total = notes->size();
  // Only now, so that a bad file leaves the database as it was; a dry run writes nothing at all.
  if (!options.dry_run) {
    if (auto migrated = storage.migrate(); !migrated) {
      say("cannot import into " + storage.describe() + ": " + migrated.error().message);
      return 1;
    }
  } else {
    // A database without a schema yet (restoring into a new one) holds no ids.
    auto version = storage.schema_version();
    if (version && *version == 0) {
      say("dry run: " + std::string(source) + " holds " + count_of(total, "valid note") +
          "; importing them into " + storage.describe() +
          " (empty, its schema would be created first) would succeed");
      return 0;
    }
  }
  auto repository = storage.open_repository();
  if (!repository) {
    say("cannot import: " + repository.error());
    return 1;
  }
  if (!options.dry_run && options.on_existing == existing_ids::refuse) {
    // The repository refuses a taken id inside its one transaction: nothing to look up first.
    if (auto imported = (*repository)->import(*notes); !imported) {
      std::string line = "import refused: " + imported.error().message;
      if (imported.error().code == error_code::conflict) line += " " + std::string(existing_hint);
      say(line);
      return 1;
    }
    say("imported " + std::to_string(total) + " notes into " + storage.describe());
    return 0;
  }
  auto split = split_by_stored(**repository, std::move(*notes));
  if (!split) {
    say("cannot check the database: " + split.error().message);
    return 1;
  }
  if (options.dry_run) {
    return report_dry_run(*split, source, total, storage, options.on_existing, say);
  }
  if (!split->fresh.empty()) {
    if (auto imported = (*repository)->import(split->fresh); !imported) {
      say("import refused, nothing was imported: " + imported.error().message);
      return 1;
    }
  }
  std::string done = "imported " + count_of(split->fresh.size(), "new note") + " into " +
                     storage.describe();
  if (options.on_existing == existing_ids::skip) {
    if (!split->taken.empty()) {
      done += ", skipped " + count_of(split->taken.size(), "id") + " already stored (" +
              id_list(split->taken_ids()) + ")";
    }
    say(done);
    return 0;
  }
  return replace_taken(**repository, *split, std::move(done), say);
}

}  // namespace notes::app
