#include "notes/memory_note_repository.hpp"

#include <algorithm>
#include <mutex>
#include <string>
#include <tuple>

#include "notes/text.hpp"
#include "notes/validation.hpp"

namespace notes {
namespace {

// Orders notes the way a page lists them: ties on created_at broken by the newer id.
bool newer(const note& a, const note& b) {
  if (a.created_at != b.created_at) return a.created_at > b.created_at;
  return a.id > b.id;
}

bool pinned_then_newer(const note& a, const note& b) {
  if (a.is_pinned != b.is_pinned) return a.is_pinned;
  return newer(a, b);
}

bool pinned_then_recently_updated(const note& a, const note& b) {
  if (a.is_pinned != b.is_pinned) return a.is_pinned;
  if (a.updated_at != b.updated_at) return a.updated_at > b.updated_at;
  return a.id > b.id;
}

// Copies out one page of `matches` in `before` order without sorting all of them.
template <class Less>
note_page take_page(std::vector<const note*>& matches, page_request page, Less before) {
  note_page out;
  out.total = static_cast<std::int64_t>(matches.size());
  const auto total = static_cast<std::uint64_t>(matches.size());
  const auto offset = static_cast<std::uint64_t>(page.offset());
  if (offset >= total) return out;
  const auto end = std::min<std::uint64_t>(total, offset + static_cast<std::uint64_t>(page.limit()));
  auto cmp = [&](const note* a, const note* b) { return before(*a, *b); };
  std::partial_sort(matches.begin(), matches.begin() + static_cast<std::ptrdiff_t>(end),
                    matches.end(), cmp);
  out.notes.reserve(end - offset);
  for (auto i = offset; i < end; ++i) out.notes.push_back(*matches[i]);
  return out;
}

note_page take_page_in(std::vector<const note*>& matches, page_request page, list_order order) {
  if (order == list_order::pinned_first) return take_page(matches, page, pinned_then_newer);
  if (order == list_order::pinned_recently_updated) {
    return take_page(matches, page, pinned_then_recently_updated);
  }
  return take_page(matches, page, newer);
}

std::unexpected<error> missing(note_id id) {
  return make_error(error_code::not_found, "Note " + std::to_string(id) + " not found.");
}

std::unexpected<error> stale(note_id id) {
  return make_error(error_code::conflict,
                    "Note " + std::to_string(id) + " was changed by someone else.");
}

// Deleted later first, ties broken by the newer id.
bool deleted_later(const trashed_note& a, const trashed_note& b) {
  if (a.deleted_at != b.deleted_at) return a.deleted_at > b.deleted_at;
  return a.note.id > b.note.id;
}

}  // namespace

memory_note_repository::stored memory_note_repository::make_stored(note value) {
  stored entry{std::move(value), {}, {}, {}};
  entry.folded_title = text::search_key(entry.value.title);
  entry.folded_content = text::search_key(entry.value.content);
  entry.folded_tags = fold_tags(entry.value.tags);
  return entry;
}

void memory_note_repository::index_tags(const stored& entry) {
  for (const std::string& tag : entry.folded_tags) {
    tag_index_[{entry.value.owner, tag}].insert(entry.value.id);
  }
}

void memory_note_repository::unindex_tags(const stored& entry) {
  for (const std::string& tag : entry.folded_tags) {
    auto it = tag_index_.find({entry.value.owner, tag});
    if (it == tag_index_.end()) continue;
    it->second.erase(entry.value.id);
    if (it->second.empty()) tag_index_.erase(it);
  }
}

// Walks the smallest of the tags' sets and keeps the notes the others hold too.
std::vector<const memory_note_repository::stored*> memory_note_repository::tagged(
    account_id owner, tag_filter tags) const {
  std::vector<const std::set<note_id>*> sets;
  for (const std::string& tag : tags) {
    auto it = tag_index_.find({owner, tag});
    if (it == tag_index_.end()) return {};
    sets.push_back(&it->second);
  }
  std::ranges::sort(sets, {}, [](const auto* set) { return set->size(); });
  std::vector<const stored*> out;
  for (note_id id : *sets.front()) {
    const bool in_all = std::all_of(sets.begin() + 1, sets.end(),
                                    [id](const auto* set) { return set->contains(id); });
    if (in_all) out.push_back(&notes_.at(id));
  }
  return out;
}

memory_note_repository::memory_note_repository() = default;
memory_note_repository::~memory_note_repository() = default;

result<note> memory_note_repository::create(const note& fresh) {
  std::unique_lock lock(mutex_);
  note stored_note = fresh;
  stored_note.id = next_id_++;
  index_tags(notes_.emplace(stored_note.id, make_stored(stored_note)).first->second);
  return stored_note;
}

result<std::optional<note>> memory_note_repository::find(account_id owner, note_id id) {
  std::shared_lock lock(mutex_);
  auto it = notes_.find(id);
  if (it == notes_.end() || it->second.value.owner != owner) return std::optional<note>{};
  return std::optional<note>{it->second.value};
}

result<note> memory_note_repository::update(const note& changed, note_version expected,
                                            std::int32_t keep_revisions) {
  std::unique_lock lock(mutex_);
  auto it = notes_.find(changed.id);
  if (it == notes_.end() || it->second.value.owner != changed.owner) return missing(changed.id);
  note& current = it->second.value;
  if (current.version != expected) return stale(changed.id);
  if (keep_revisions > 0) {
    auto& kept = revisions_[current.id];
    kept[current.version] = revision{current.id,      current.version,   current.title,
                                     current.content, current.is_pinned, changed.updated_at,
                                     current.owner};
    // Versions of one note are consecutive: the newest keep_revisions are the ones above this.
    kept.erase(kept.begin(), kept.upper_bound(expected - keep_revisions));
  }
  note next = current;
  next.title = changed.title;
  next.content = changed.content;
  next.is_pinned = changed.is_pinned;
  next.tags = changed.tags;
  next.updated_at = changed.updated_at;
  next.version = expected + 1;
  unindex_tags(it->second);
  it->second = make_stored(std::move(next));
  index_tags(it->second);
  return it->second.value;
}

result<void> memory_note_repository::remove(account_id owner, note_id id,
                                            std::optional<note_version> expected) {
  std::unique_lock lock(mutex_);
  auto it = notes_.find(id);
  if (it == notes_.end() || it->second.value.owner != owner) return missing(id);
  if (expected && it->second.value.version != *expected) return stale(id);
  unindex_tags(it->second);
  notes_.erase(it);
  revisions_.erase(id);
  return {};
}

result<void> memory_note_repository::trash(account_id owner, note_id id,
                                           std::optional<note_version> expected, timestamp at) {
  std::unique_lock lock(mutex_);
  auto it = notes_.find(id);
  if (it == notes_.end() || it->second.value.owner != owner) return missing(id);
  if (expected && it->second.value.version != *expected) return stale(id);
  unindex_tags(it->second);
  trash_.emplace(id, trashed_note{std::move(it->second.value), at});
  notes_.erase(it);
  return {};
}

result<trash_page> memory_note_repository::list_trash(account_id owner, page_request page) {
  std::shared_lock lock(mutex_);
  std::vector<const trashed_note*> owned;
  for (const auto& [id, entry] : trash_) {
    if (entry.note.owner == owner) owned.push_back(&entry);
  }
  trash_page out;
  out.total = static_cast<std::int64_t>(owned.size());
  const auto offset = static_cast<std::uint64_t>(page.offset());
  if (offset >= owned.size()) return out;
  const auto end = std::min<std::uint64_t>(owned.size(),
                                           offset + static_cast<std::uint64_t>(page.limit()));
  std::partial_sort(owned.begin(), owned.begin() + static_cast<std::ptrdiff_t>(end), owned.end(),
                    [](const trashed_note* a, const trashed_note* b) {
                      return deleted_later(*a, *b);
                    });
  for (auto i = offset; i < end; ++i) out.notes.push_back(*owned[i]);
  return out;
}

result<std::optional<trashed_note>> memory_note_repository::find_trashed(account_id owner,
                                                                         note_id id) {
  std::shared_lock lock(mutex_);
  auto it = trash_.find(id);
  if (it == trash_.end() || it->second.note.owner != owner) return std::optional<trashed_note>{};
  return std::optional<trashed_note>{it->second};
}

result<note> memory_note_repository::restore(account_id owner, note_id id,
                                             std::optional<note_version> expected,
                                             timestamp at) {
  std::unique_lock lock(mutex_);
  auto it = trash_.find(id);
  if (it == trash_.end() || it->second.note.owner != owner) return missing(id);
  if (expected && it->second.note.version != *expected) return stale(id);
  note back = std::move(it->second.note);
  trash_.erase(it);
  back.version += 1;
  back.updated_at = at;
  index_tags(notes_.emplace(id, make_stored(back)).first->second);
  return back;
}

result<void> memory_note_repository::purge(account_id owner, note_id id,
                                           std::optional<note_version> expected) {
  std::unique_lock lock(mutex_);
  auto it = trash_.find(id);
  if (it == trash_.end() || it->second.note.owner != owner) return missing(id);
  if (expected && it->second.note.version != *expected) return stale(id);
  trash_.erase(it);
  revisions_.erase(id);
  return {};
}

result<std::int64_t> memory_note_repository::empty_trash(account_id owner) {
  std::unique_lock lock(mutex_);
  return static_cast<std::int64_t>(std::erase_if(trash_, [&](const auto& entry) {
    if (entry.second.note.owner != owner) return false;
    revisions_.erase(entry.first);
    return true;
  }));
}

result<std::int64_t> memory_note_repository::purge_trashed_before(timestamp cutoff) {
  std::unique_lock lock(mutex_);
  return static_cast<std::int64_t>(std::erase_if(trash_, [&](const auto& entry) {
    if (entry.second.deleted_at >= cutoff) return false;
    revisions_.erase(entry.first);
    return true;
  }));
}

result<revision_page> memory_note_repository::list_revisions(account_id owner, note_id id,
                                                             page_request page) {
  std::shared_lock lock(mutex_);
  auto live = notes_.find(id);
  if (live == notes_.end() || live->second.value.owner != owner) return missing(id);
  revision_page out;
  auto kept = revisions_.find(id);
  if (kept == revisions_.end()) return out;
  out.total = static_cast<std::int64_t>(kept->second.size());
  std::int64_t position = 0;
  for (auto r = kept->second.rbegin(); r != kept->second.rend(); ++r, ++position) {
    if (position < page.offset()) continue;
    if (position >= page.offset() + page.limit()) break;
    const revision& v = r->second;
    out.revisions.push_back(revision_summary{
        v.version, v.title, static_cast<std::int64_t>(v.content.size()), v.replaced_at});
  }
  return out;
}

result<std::optional<revision>> memory_note_repository::find_revision(account_id owner,
                                                                      note_id id,
                                                                      note_version version) {
  std::shared_lock lock(mutex_);
  auto live = notes_.find(id);
  if (live == notes_.end() || live->second.value.owner != owner) {
    return std::optional<revision>{};
  }
  auto kept = revisions_.find(id);
  if (kept == revisions_.end()) return std::optional<revision>{};
  auto found = kept->second.find(version);
  if (found == kept->second.end()) return std::optional<revision>{};
  return std::optional<revision>{found->second};
}

result<std::int64_t> memory_note_repository::count(account_id owner) {
  std::shared_lock lock(mutex_);
  return static_cast<std::int64_t>(std::ranges::count_if(
      notes_, [owner](const auto& entry) { return entry.second.value.owner == owner; }));
}

std::vector<const note*> memory_note_repository::listed(account_id owner,
                                                       tag_filter tags) const {
  std::vector<const note*> owned;
  if (!tags.empty()) {
    for (const stored* entry : tagged(owner, tags)) owned.push_back(&entry->value);
  } else {
    for (const auto& [id, entry] : notes_) {
      if (entry.value.owner == owner) owned.push_back(&entry.value);
    }
  }
  return owned;
}

result<note_page> memory_note_repository::list(account_id owner, list_order order,
                                               page_request page, tag_filter tags) {
  std::shared_lock lock(mutex_);
  std::vector<const note*> owned = listed(owner, tags);
  return take_page_in(owned, page, order);
}

result<note_page> memory_note_repository::list_after(account_id owner, list_order order,
                                                     const list_position& after,
                                                     std::int64_t limit, tag_filter tags) {
  std::shared_lock lock(mutex_);
  std::vector<const note*> owned = listed(owner, tags);
  const auto total = static_cast<std::int64_t>(owned.size());
  // Every key is descending, so what follows `after` has the smaller key.
  const auto key = [](const list_position& p) { return std::tie(p.pinned, p.time, p.id); };
  std::erase_if(owned, [&](const note* n) {
    return !(key(position_of(*n, order)) < key(after));
  });
  note_page out = take_page_in(owned, {1, limit}, order);
  out.total = total;
  return out;
}

result<note_page> memory_note_repository::search(account_id owner, std::string_view query,
                                                 page_request page, tag_filter tags) {
  const std::string needle = text::search_key(query);
  std::shared_lock lock(mutex_);
  std::vector<const note*> matches;
  const auto match = [&](const stored& entry) {
    if (text::contains_folded(entry.folded_title, needle) ||
        text::contains_folded(entry.folded_content, needle)) {
      matches.push_back(&entry.value);
    }
  };
  if (!tags.empty()) {
    for (const stored* entry : tagged(owner, tags)) match(*entry);
  } else {
    for (const auto& [id, entry] : notes_) {
      if (entry.value.owner == owner) match(entry);
    }
  }
  return take_page(matches, page, newer);
}

result<std::vector<tag_count>> memory_note_repository::tag_counts(account_id owner) {
  std::shared_lock lock(mutex_);
  std::vector<tag_count> out;
  for (auto it = tag_index_.lower_bound({owner, std::string()});
       it != tag_index_.end() && it->first.first == owner; ++it) {
    out.push_back({it->first.second, static_cast<std::int64_t>(it->second.size())});
  }
  return out;
}

result<std::vector<note>> memory_note_repository::all(std::optional<account_id> owner) {
  std::shared_lock lock(mutex_);
  std::vector<note> out;
  for (const auto& [id, entry] : notes_) {
    if (!owner || entry.value.owner == *owner) out.push_back(entry.value);
  }
  return out;
}

result<void> memory_note_repository::import(std::span<const note> incoming) {
  return import_archive(note_archive{{incoming.begin(), incoming.end()}, {}, {}});
}

result<note_archive> memory_note_repository::archive(std::optional<account_id> owner) {
  std::shared_lock lock(mutex_);
  note_archive out;
  const auto wanted = [&](account_id of) { return !owner || of == *owner; };
  for (const auto& [id, entry] : notes_) {
    if (wanted(entry.value.owner)) out.live.push_back(entry.value);
  }
  for (const auto& [id, entry] : trash_) {
    if (wanted(entry.note.owner)) out.trashed.push_back(entry);
  }
  for (const auto& [id, kept] : revisions_) {
    for (const auto& [version, r] : kept) {
      if (wanted(r.owner)) out.revisions.push_back(r);
    }
  }
  return out;
}

result<void> memory_note_repository::import_archive(const note_archive& archive) {
  std::unique_lock lock(mutex_);
  std::map<note_id, account_id> owners;  // of every note imported, live or trashed
  const auto take = [&](const note& n) -> result<void> {
    if (notes_.contains(n.id) || trash_.contains(n.id)) {
      return make_error(error_code::conflict,
                        "Note " + std::to_string(n.id) + " already exists; nothing was imported.");
    }
    if (!owners.emplace(n.id, n.owner).second) {
      return make_error(error_code::conflict,
                        "Note " + std::to_string(n.id) + " appears twice; nothing was imported.");
    }
    return {};
  };
  for (const note& n : archive.live) {
    if (auto ok = take(n); !ok) return ok;
  }
  for (const trashed_note& t : archive.trashed) {
    if (auto ok = take(t.note); !ok) return ok;
  }
  std::map<note_id, std::map<note_version, revision>> kept;
  for (const revision& r : archive.revisions) {
    auto owner = owners.find(r.note);
    if (owner == owners.end()) {
      return make_error(error_code::invalid_argument,
                        "A revision of note " + std::to_string(r.note) +
                            ", which is not imported with it; nothing was imported.");
    }
    revision own = r;
    own.owner = owner->second;
    if (!kept[r.note].emplace(r.version, std::move(own)).second) {
      return make_error(error_code::conflict, "Revision " + std::to_string(r.version) +
                                                  " of note " + std::to_string(r.note) +
                                                  " appears twice; nothing was imported.");
    }
  }
  for (const note& n : archive.live) {
    index_tags(notes_.emplace(n.id, make_stored(n)).first->second);
  }
  for (const trashed_note& t : archive.trashed) trash_.emplace(t.note.id, t);
  for (auto& [id, versions] : kept) revisions_[id] = std::move(versions);
  for (const auto& [id, owner] : owners) next_id_ = std::max(next_id_, id + 1);
  return {};
}

result<std::int64_t> memory_note_repository::change_owner(account_id from, account_id to) {
  std::unique_lock lock(mutex_);
  std::int64_t moved = 0;
  for (auto& [id, entry] : notes_) {
    if (entry.value.owner != from) continue;
    unindex_tags(entry);
    entry.value.owner = to;
    index_tags(entry);
    ++moved;
  }
  for (auto& [id, entry] : trash_) {
    if (entry.note.owner == from) entry.note.owner = to;
  }
  for (auto& [id, kept] : revisions_) {
    for (auto& [version, r] : kept) {
      if (r.owner == from) r.owner = to;
    }
  }
  return moved;
}

result<std::int64_t> memory_note_repository::remove_all(account_id owner) {
  std::unique_lock lock(mutex_);
  const auto owned = [owner](const auto& entry) { return entry.second.value.owner == owner; };
  std::erase_if(trash_, [owner](const auto& entry) { return entry.second.note.owner == owner; });
  std::erase_if(tag_index_, [owner](const auto& entry) { return entry.first.first == owner; });
  std::erase_if(revisions_, [owner](const auto& entry) {
    return !entry.second.empty() && entry.second.begin()->second.owner == owner;
  });
  return static_cast<std::int64_t>(std::erase_if(notes_, owned));
}

}  // namespace notes
