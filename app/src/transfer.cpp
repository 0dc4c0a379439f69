#include "transfer.hpp"

#include <algorithm>
#include <set>

#include "export_file.hpp"

namespace notes::app {

int run_export(const storage_backend& storage, std::ostream& out, const reporter& say) {
  auto repository = storage.open_repository();
  if (!repository) {
    say("cannot export: " + repository.error());
    return 1;
  }
  auto notes = (*repository)->all();
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
               bool dry_run, const reporter& say) {
  auto notes = read_export(text);
  if (!notes) {
    say("import refused, nothing was imported: " + std::string(source) + ":\n" + notes.error());
    return 1;
  }
  // Only now, so that a bad file leaves the database as it was; a dry run writes nothing at all.
  if (!dry_run) {
    if (auto migrated = storage.migrate(); !migrated) {
      say("cannot migrate " + storage.describe() + ": " + migrated.error().message);
      return 1;
    }
  }
  if (dry_run) {
    // A database without a schema yet (restoring into a new one) holds no ids.
    auto version = storage.schema_version();
    if (version && *version == 0) {
      say("dry run: " + std::string(source) + " holds " + std::to_string(notes->size()) +
          " valid notes; importing them into " + storage.describe() +
          " (empty, its schema would be created first) would succeed");
      return 0;
    }
  }
  auto repository = storage.open_repository();
  if (!repository) {
    say("cannot import: " + repository.error());
    return 1;
  }
  if (dry_run) {
    auto stored = (*repository)->all();
    if (!stored) {
      say("cannot check the database: " + stored.error().message);
      return 1;
    }
    std::set<note_id> taken;
    for (const auto& n : *stored) taken.insert(n.id);
    std::vector<note_id> clashes;
    for (const auto& n : *notes) {
      if (taken.contains(n.id)) clashes.push_back(n.id);
    }
    if (!clashes.empty()) {
      std::string list;
      for (std::size_t i = 0; i < clashes.size() && i < 20; ++i) {
        list += (i == 0 ? "" : ", ") + std::to_string(clashes[i]);
      }
      if (clashes.size() > 20) list += ", …";
      say("dry run: the import would be refused: " + std::to_string(clashes.size()) +
          " of its ids are already stored in " + storage.describe() + " (" + list + ")");
      return 1;
    }
    say("dry run: " + std::string(source) + " holds " + std::to_string(notes->size()) +
        " valid notes; importing them into " + storage.describe() + " would succeed");
    return 0;
  }
  auto imported = (*repository)->import(*notes);
  if (!imported) {
    say("import refused: " + imported.error().message);
    return 1;
  }
  say("imported " + std::to_string(notes->size()) + " notes into " + storage.describe());
  return 0;
}

}  // namespace notes::app
