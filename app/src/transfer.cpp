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

// Every note of the database, or of `owner`, live and trashed, with its revisions, by id.
result<std::map<note_id, exported_note>> stored_notes(note_repository& repository,
                                                      std::optional<account_id> owner) {
  auto archive = repository.archive(owner);
  if (!archive) return std::unexpected(std::move(archive.error()));
  std::map<note_id, exported_note> out;
  for (auto& n : archive->live) {
    out.emplace(n.id, exported_note{std::move(n), {}, std::nullopt, {}});
  }
  for (auto& [n, deleted_at] : archive->trashed) {
    out.emplace(n.id, exported_note{std::move(n), {}, deleted_at, {}});
  }
  // A revision of no stored note (which a database should not hold) is not exported: the file
  // could not be imported again with it.
  for (auto& r : archive->revisions) {
    auto note = out.find(r.note);
    if (note != out.end()) note->second.revisions.push_back(std::move(r));
  }
  return out;
}

result<void> import_notes(note_repository& repository, std::span<const exported_note> notes) {
  note_archive archive;
  for (const auto& n : notes) {
    if (n.deleted_at) {
      archive.trashed.push_back(trashed_note{n.item, *n.deleted_at});
    } else {
      archive.live.push_back(n.item);
    }
    archive.revisions.insert(archive.revisions.end(), n.revisions.begin(), n.revisions.end());
  }
  return repository.import_archive(archive);
}

// The file's notes split by whether their id is stored (live or trashed); `stored` keeps the
// stored note of each.
struct split_notes {
  std::vector<exported_note> fresh;
  std::vector<exported_note> taken;
  std::map<note_id, exported_note> stored;

  std::vector<note_id> taken_ids() const {
    std::vector<note_id> ids;
    for (const auto& n : taken) ids.push_back(n.item.id);
    return ids;
  }
};

// Ids are unique across owners: every owner's notes are looked at.
result<split_notes> split_by_stored(note_repository& repository,
                                    std::vector<exported_note> notes) {
  auto all = stored_notes(repository, std::nullopt);
  if (!all) return std::unexpected(std::move(all.error()));
  split_notes out;
  for (auto& n : notes) {
    if (auto at = all->find(n.item.id); at != all->end()) {
      out.stored.insert(all->extract(at));
      out.taken.push_back(std::move(n));
    } else {
      out.fresh.push_back(std::move(n));
    }
  }
  return out;
}

bool same_content(const note& a, const note& b) {
  return a.title == b.title && a.content == b.content && a.is_pinned == b.is_pinned &&
         a.tags == b.tags && a.updated_at == b.updated_at;
}

bool same_revisions(const std::vector<revision>& a, const std::vector<revision>& b) {
  return std::ranges::equal(a, b, [](const revision& x, const revision& y) {
    return x.version == y.version && x.title == y.title && x.content == y.content &&
           x.is_pinned == y.is_pinned && x.replaced_at == y.replaced_at;
  });
}

// Whether the stored note is already what the file says: with a version 1 file, which says
// nothing of the trash and revisions, its text; else its text, trash and revisions.
bool already_equal(const exported_note& file, const exported_note& stored, bool with_history) {
  if (!same_content(file.item, stored.item)) return false;
  if (!with_history) return !stored.deleted_at;
  return file.deleted_at == stored.deleted_at && same_revisions(file.revisions, stored.revisions);
}

// What a dry run reports once it knows which ids are taken.
int report_dry_run(const split_notes& split, std::string_view source, std::size_t total,
                   const storage_backend& storage, existing_ids on_existing, bool with_history,
                   const reporter& say) {
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
    for (const auto& n : split.taken) {
      unchanged += already_equal(n, split.stored.at(n.item.id), with_history);
    }
    line += " and replace " + std::to_string(split.taken.size() - unchanged) + " of the " + taken;
    if (unchanged > 0) line += ", " + std::to_string(unchanged) + " of them already equal";
  }
  say(line);
  return 0;
}

// The stored note becomes the file's, trash and revisions included, with the stored owner and
// a version above the stored one (clients holding that one see the change): deleted for good,
// then imported. Between the two a failure leaves the id free, and the next run imports it.
result<void> replace_exactly(note_repository& repository, const exported_note& file,
                             const exported_note& stored) {
  exported_note replacement = file;
  const account_id owner = stored.item.owner;
  replacement.item.owner = owner;
  replacement.item.version = std::max(file.item.version, stored.item.version + 1);
  for (auto& r : replacement.revisions) r.owner = owner;
  const note_id id = stored.item.id;
  auto removed = stored.deleted_at ? repository.purge(owner, id, stored.item.version)
                                   : repository.remove(owner, id, stored.item.version);
  if (!removed) return removed;
  return import_notes(repository, std::span<const exported_note>(&replacement, 1));
}

// A live note of a version 1 file gives a live stored note its text: an update, which keeps
// the stored revisions and tags (version 1 files are older than tags). Everything else is
// replaced exactly.
result<void> replace_one(note_repository& repository, const exported_note& file,
                         const exported_note& stored, bool with_history) {
  if (with_history || stored.deleted_at) return replace_exactly(repository, file, stored);
  note replacement = file.item;
  replacement.owner = stored.item.owner;
  replacement.tags = stored.item.tags;
  auto updated = repository.update(replacement, stored.item.version, 0);
  if (!updated) return std::unexpected(std::move(updated.error()));
  return {};
}

// Replaces each taken note in turn; stops at the first failure, saying how far it got. A stored
// note keeps its owner: the file gives it its text, not to someone else.
int replace_taken(note_repository& repository, const split_notes& split, bool with_history,
                  std::string done, const reporter& say) {
  std::size_t replaced = 0;
  std::size_t unchanged = 0;
  for (const auto& n : split.taken) {
    const exported_note& stored = split.stored.at(n.item.id);
    if (already_equal(n, stored, with_history)) {
      ++unchanged;
      continue;
    }
    if (auto ok = replace_one(repository, n, stored, with_history); !ok) {
      say("import stopped: " + done + ", replaced " + std::to_string(replaced) + " of " +
          count_of(split.taken.size(), "stored note") + ", then note " +
          std::to_string(n.item.id) + ": " + ok.error().message +
          ". Running the same import again finishes it.");
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
    std::map<note_id, exported_note> notes, const std::map<account_id, std::string>& names) {
  std::vector<exported_note> out;
  out.reserve(notes.size());
  std::vector<note_id> orphans;
  for (auto& [id, n] : notes) {
    if (n.item.owner != no_account) {
      auto name = names.find(n.item.owner);
      if (name == names.end()) {
        orphans.push_back(id);
        continue;
      }
      n.owner = name->second;
    }
    out.push_back(std::move(n));
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
std::expected<std::vector<exported_note>, std::string> owned_by_accounts(
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
  std::vector<exported_note> notes;
  notes.reserve(read.size());
  for (auto& n : read) {
    const std::string& name = user ? *user : n.owner;
    if (!name.empty()) {
      auto id = lookup(name);
      if (!id) return std::unexpected("cannot look up the accounts: " + id.error().message);
      if (!*id) {
        ++missing[name];
        continue;
      }
      n.item.owner = **id;
      for (auto& r : n.revisions) r.owner = **id;
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
  auto notes = stored_notes(**repository, owner);
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
  auto file = read_export_file(text);
  if (!file) {
    say("import refused, nothing was imported: " + std::string(source) + ":\n" + file.error());
    return 1;
  }
  const bool with_history = file->version >= export_format_version;
  const std::size_t total = file->notes.size();
  const bool names_accounts = options.user || std::ranges::any_of(file->notes, [](const auto& n) {
                                return !n.owner.empty();
                              });
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
  auto owned = owned_by_accounts(std::move(file->notes), **accounts, options.user, storage);
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
    if (auto imported = import_notes(**repository, notes); !imported) {
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
    return report_dry_run(*split, source, total, storage, options.on_existing, with_history,
                          say);
  }
  if (!split->fresh.empty()) {
    if (auto imported = import_notes(**repository, split->fresh); !imported) {
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
  return replace_taken(**repository, *split, with_history, std::move(done), say);
}

}  // namespace notes::app
