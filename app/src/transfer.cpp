#include "transfer.hpp"

#include <algorithm>
#include <map>
#include <optional>

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

// Each account's name by its id.
result<std::map<account_id, std::string>> account_names(account_repository& accounts) {
  auto all = accounts.accounts();
  if (!all) return std::unexpected(std::move(all.error()));
  std::map<account_id, std::string> names;
  for (auto& a : *all) names.emplace(a.id, std::move(a.name));
  return names;
}

// The notes as the file names them: each owner by its account's name.
std::expected<std::vector<exported_note>, std::string> with_owner_names(
    std::vector<note> notes, const std::map<account_id, std::string>& names) {
  std::vector<exported_note> out;
  out.reserve(notes.size());
  std::vector<note_id> orphans;
  for (auto& n : notes) {
    std::string owner;
    if (n.owner != no_account) {
      auto name = names.find(n.owner);
      if (name == names.end()) {
        orphans.push_back(n.id);
        continue;
      }
      owner = name->second;
    }
    out.push_back({std::move(n), std::move(owner)});
  }
  if (!orphans.empty()) {
    return std::unexpected(count_of(orphans.size(), "note") + " (" + id_list(orphans) +
                           ") belong to no account this database has; if one was removed while "
                           "the export ran, run it again");
  }
  return out;
}

// The file's notes, each owned by an account of this database: with `user` all of them by that
// account, else each by the account its file names (the shared notebook's when none). The
// refusal says what is missing.
std::expected<std::vector<note>, std::string> owned_by_accounts(
    std::vector<exported_note> read, account_repository& accounts,
    const std::optional<std::string>& user, const storage_backend& storage) {
  std::map<std::string, account_id> ids;
  std::map<std::string, std::size_t> missing;  // name -> notes
  const auto lookup = [&](const std::string& name) -> result<std::optional<account_id>> {
    if (auto known = ids.find(name); known != ids.end()) return known->second;
    auto found = accounts.find_account_by_name(name);
    if (!found) return std::unexpected(std::move(found.error()));
    if (!*found) return std::nullopt;
    ids.emplace(name, (*found)->id);
    return (*found)->id;
  };
  std::vector<note> notes;
  notes.reserve(read.size());
  for (auto& [n, owner] : read) {
    const std::string& name = user ? *user : owner;
    if (!name.empty()) {
      auto id = lookup(name);
      if (!id) return std::unexpected("cannot look up the accounts: " + id.error().message);
      if (!*id) {
        ++missing[name];
        continue;
      }
      n.owner = **id;
    }
    notes.push_back(std::move(n));
  }
  if (missing.empty()) return notes;
  if (user) {
    return std::unexpected("no account named '" + *user + "' in " + storage.describe() +
                           " (notes-server users add " + *user + " adds it)");
  }
  std::string names;
  for (const auto& [name, count] : missing) {
    names += (names.empty() ? "'" : ", '") + name + "' (" + count_of(count, "note") + ")";
  }
  return std::unexpected("the notes belong to accounts " + storage.describe() +
                         " does not have: " + names + "; add them first (notes-server users "
                         "add NAME), or import every note into one account with --user NAME");
}

}  // namespace

int run_export(const storage_backend& storage, const std::optional<std::string>& user,
               std::ostream& out, const reporter& say) {
  auto repository = storage.open_repository();
  if (!repository) {
    say("cannot export: " + repository.error());
    return 1;
  }
  auto accounts = storage.open_account_repository();
  if (!accounts) {
    say("cannot export: " + accounts.error());
    return 1;
  }
  std::optional<account_id> owner;
  if (user) {
    auto found = (*accounts)->find_account_by_name(*user);
    if (!found) {
      say("cannot export: " + found.error().message);
      return 1;
    }
    if (!*found) {
      say("cannot export: no account named '" + *user + "' (users list shows them)");
      return 1;
    }
    owner = (*found)->id;
  }
  auto notes = (*repository)->all(owner);
  if (!notes) {
    say("cannot export: " + notes.error().message);
    return 1;
  }
  // After the notes: an account that owned one of them existed when they were read.
  auto names = account_names(**accounts);
  if (!names) {
    say("cannot export: " + names.error().message);
    return 1;
  }
  auto file = with_owner_names(std::move(*notes), *names);
  if (!file) {
    say("cannot export: " + file.error());
    return 1;
  }
  write_export(out, *file);
  out.flush();
  if (!out) {
    say("cannot export: writing the output failed");
    return 1;
  }
  say("exported " + std::to_string(file->size()) + " notes " +
      (user ? "of '" + *user + "' " : std::string()) + "from " + storage.describe());
  return 0;
}

int run_import(storage_backend& storage, std::string_view source, std::string_view text,
               const import_options& options, const reporter& say) {
  auto read = read_export(text);
  if (!read) {
    say("import refused, nothing was imported: " + std::string(source) + ":\n" + read.error());
    return 1;
  }
  const std::size_t total = read->size();
  const bool names_accounts =
      options.user || std::ranges::any_of(*read, [](const auto& n) { return !n.owner.empty(); });
  // Only now, so that a bad file leaves the database as it was; a dry run writes nothing at all.
  if (!options.dry_run) {
    if (auto migrated = storage.migrate(); !migrated) {
      say("cannot import into " + storage.describe() + ": " + migrated.error().message);
      return 1;
    }
  } else {
    // A database without a schema yet (restoring into a new one) holds no ids, and no accounts.
    auto version = storage.schema_version();
    if (version && *version == 0) {
      if (names_accounts) {
        say("dry run: the import would be refused: " + storage.describe() +
            " is empty, so it has none of the accounts the notes go to; create its schema "
            "(notes-server migrate) and add them (notes-server users add NAME) first");
        return 1;
      }
      say("dry run: " + std::string(source) + " holds " + count_of(total, "valid note") +
          "; importing them into " + storage.describe() +
          " (empty, its schema would be created first) would succeed");
      return 0;
    }
  }
  auto accounts = storage.open_account_repository();
  if (!accounts) {
    say("cannot import: " + accounts.error());
    return 1;
  }
  auto owned = owned_by_accounts(std::move(*read), **accounts, options.user, storage);
  if (!owned) {
    say((options.dry_run ? "dry run: the import would be refused: "
                         : "import refused, nothing was imported: ") +
        owned.error());
    return 1;
  }
  auto notes = std::move(*owned);
  const std::string into =
      storage.describe() + (options.user ? " for '" + *options.user + "'" : std::string());
  auto repository = storage.open_repository();
  if (!repository) {
    say("cannot import: " + repository.error());
    return 1;
  }
  if (!options.dry_run && options.on_existing == existing_ids::refuse) {
    // The repository refuses a taken id inside its one transaction: nothing to look up first.
    if (auto imported = (*repository)->import(notes); !imported) {
      std::string line = "import refused: " + imported.error().message;
      if (imported.error().code == error_code::conflict) line += " " + std::string(existing_hint);
      say(line);
      return 1;
    }
    say("imported " + std::to_string(total) + " notes into " + into);
    return 0;
  }
  auto split = split_by_stored(**repository, std::move(notes));
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
  std::string done = "imported " + count_of(split->fresh.size(), "new note") + " into " + into;
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
