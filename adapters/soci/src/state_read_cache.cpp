#include "state_read_cache.hpp"

#include <soci/sqlite3/soci-sqlite3.h>

#include <algorithm>
#include <functional>
#include <limits>
#include <string>
#include <utility>

#include "sqlite_statements.hpp"

namespace notes::storage::detail {

void state_read_cache::observe(long long data_version, std::uint64_t own_commits) noexcept {
  if (data_version == data_version_ && own_commits == own_commits_) return;
  data_version_ = data_version;
  own_commits_ = own_commits;
  owners_.clear();
  match_ids_ = 0;
  tag_keys_ = 0;
}

std::optional<std::int64_t> state_read_cache::total(account_id owner) const {
  const auto it = owners_.find(owner);
  if (it == owners_.end()) return std::nullopt;
  return it->second.total;
}

void state_read_cache::remember_total(account_id owner, std::int64_t total) {
  of(owner).total = total;
}

std::optional<std::int64_t> state_read_cache::tag_total(account_id owner,
                                                       const std::string& tag) const {
  const auto it = owners_.find(owner);
  if (it == owners_.end()) return std::nullopt;
  const auto total = it->second.tag_totals.find(tag);
  if (total == it->second.tag_totals.end()) return std::nullopt;
  return total->second;
}

void state_read_cache::remember_tag_total(account_id owner, const std::string& tag,
                                          std::int64_t total) {
  auto& totals = of(owner).tag_totals;
  if (totals.size() >= max_tag_totals && !totals.contains(tag)) totals.clear();
  totals[tag] = total;
}

const std::vector<tag_count>* state_read_cache::tags(account_id owner) const {
  const auto it = owners_.find(owner);
  if (it == owners_.end() || !it->second.tags) return nullptr;
  return &*it->second.tags;
}

void state_read_cache::remember_tags(account_id owner, std::vector<tag_count> tags) {
  of(owner).tags = std::move(tags);
}

state_read_cache::owned& state_read_cache::of(account_id owner) {
  if (owners_.size() >= max_owners && !owners_.contains(owner)) {
    owners_.clear();
    match_ids_ = 0;
    tag_keys_ = 0;
  }
  return owners_[owner];
}

namespace {

// One statement through the SQLite API, finalized with it: a walk over many rows costs a
// tenth of what it does through SOCI. Errors throw soci_error as SOCI's own do (the repository
// maps them), their message prefixed by `doing`. Parameters are bound by name, and a name the
// SQL does not use is skipped, so one binding serves several statements.
class sqlite_query {
 public:
  sqlite_query(soci::session& session, const char* doing, const std::string& sql)
      : db_(static_cast<soci::sqlite3_session_backend*>(session.get_backend())->conn_),
        doing_(doing) {
    if (sqlite_api::sqlite3_prepare_v2(db_, sql.c_str(), -1, &st_, nullptr) != SQLITE_OK) fail();
  }
  ~sqlite_query() { sqlite_api::sqlite3_finalize(st_); }
  sqlite_query(const sqlite_query&) = delete;
  sqlite_query& operator=(const sqlite_query&) = delete;

  sqlite_query& bind(const char* name, long long value) {
    if (const int i = sqlite_api::sqlite3_bind_parameter_index(st_, name); i > 0) {
      sqlite_api::sqlite3_bind_int64(st_, i, value);
    }
    return *this;
  }
  // `value` must outlive the query's steps.
  sqlite_query& bind(const char* name, const std::string& value) {
    if (const int i = sqlite_api::sqlite3_bind_parameter_index(st_, name); i > 0) {
      sqlite_api::sqlite3_bind_text(st_, i, value.data(), static_cast<int>(value.size()),
                                    SQLITE_STATIC);
    }
    return *this;
  }
  // Binds the search parameters of sqlite_statements.hpp.
  sqlite_query& bind_search(account_id owner, const std::string& needle,
                            const std::string& phrase) {
    for (const char* name : {":owner", ":owner2", ":o2"}) bind(name, owner);
    for (const char* name : {":n", ":n2"}) bind(name, needle);
    return bind(":q", phrase);
  }

  // The next row: true, or false at the end.
  bool step() {
    const int rc = sqlite_api::sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) fail();
    return false;
  }
  long long column(int i) const { return sqlite_api::sqlite3_column_int64(st_, i); }

 private:
  [[noreturn]] void fail() const {
    throw soci::soci_error(std::string(doing_) + " failed: " + sqlite_api::sqlite3_errmsg(db_));
  }

  sqlite_api::sqlite3* db_;
  const char* doing_;
  sqlite_api::sqlite3_stmt* st_ = nullptr;
};

// Steps past the rest of `rows`, of which `so_far` were read: how many there were.
std::int64_t count_rest(sqlite_query& rows, std::size_t so_far) {
  auto n = static_cast<std::int64_t>(so_far);
  while (rows.step()) ++n;
  return n;
}

// The owner's matches newest first, by their order keys, or nothing when there are more than
// `most` (then `total` is how many).
std::optional<std::vector<long long>> sorted_matches(account_id owner, const std::string& needle,
                                                     const std::string& phrase,
                                                     soci::session& session, std::size_t most,
                                                     std::int64_t& total) {
  std::vector<std::pair<long long, long long>> keys;  // created_at, id
  sqlite_query rows(session, "ordering search matches", search_match_keys_sql());
  rows.bind_search(owner, needle, phrase);
  while (rows.step()) {
    if (keys.size() == most) {
      total = count_rest(rows, most + 1);
      return std::nullopt;
    }
    keys.emplace_back(rows.column(0), rows.column(1));
  }
  std::sort(keys.begin(), keys.end(), std::greater<>());
  std::vector<long long> ids;
  ids.reserve(keys.size());
  for (const auto& k : keys) ids.push_back(k.second);
  total = static_cast<std::int64_t>(ids.size());
  return ids;
}

// Per match, looking up its order key costs about what walking past this many notes of
// notes_newest does: 7-8.5 us against 95-240 ns, at 100,000 and 1,000,000 notes (docs/storage.md,
// "Search").
constexpr std::int64_t walk_steps_per_lookup = 32;

}  // namespace

state_read_cache::search_ids state_read_cache::search_page(
    account_id owner, const std::string& needle, const std::string& phrase, page_request page,
    soci::session& session) {
  auto& searches = of(owner).searches;
  auto found = searches.find(needle);
  if (found == searches.end()) {
    matches learned = learn(owner, needle, phrase, session);
    if (learned.ids_kept) make_room(learned.ids());
    owned& o = of(owner);  // make_room may have forgotten every owner
    if (o.searches.size() >= max_searches) {
      for (const auto& [_, m] : o.searches) match_ids_ -= m.ids();
      o.searches.clear();
    }
    match_ids_ += learned.ids();
    found = o.searches.emplace(needle, std::move(learned)).first;
  }
  matches& m = found->second;
  search_ids out{.total = m.total, .kept = m.ids_kept, .ids = {}};
  if (!m.ids_kept || m.total <= page.offset()) return out;
  const std::int64_t wanted = std::min(m.total, page.offset() + page.limit());
  if (!m.complete && static_cast<std::int64_t>(m.ordered.size()) < wanted) {
    const std::size_t before = m.ids();
    order(m, owner, needle, phrase, wanted, session);
    match_ids_ = match_ids_ - before + m.ids();
  }
  const auto ordered = static_cast<std::int64_t>(m.ordered.size());
  out.ids.assign(m.ordered.begin() + std::min(page.offset(), ordered),
                 m.ordered.begin() + std::min(wanted, ordered));
  return out;
}

state_read_cache::matches state_read_cache::learn(account_id owner, const std::string& needle,
                                                  const std::string& phrase,
                                                  soci::session& session) const {
  matches m;
  sqlite_query sole(session, "reading search matches", sole_owner_sql);
  sole.bind_search(owner, needle, phrase).step();
  if (sole.column(0) == 0) {
    // Other owners' notes are in the index too: the owner's are told by their rows, which
    // give their order keys as well, so every match is ordered at once.
    auto ordered = sorted_matches(owner, needle, phrase, session, max_match_ids_, m.total);
    if (!ordered) return m;
    m.ordered = std::move(*ordered);
    m.complete = true;
    m.ids_kept = true;
    return m;
  }
  // Every note is the owner's: the index's matches are theirs, ordered later as far as pages
  // ask.
  sqlite_query ids(session, "reading search matches", search_match_ids_sql());
  ids.bind_search(owner, needle, phrase);
  while (ids.step()) {
    if (m.all.size() == max_match_ids_) {
      m.total = count_rest(ids, max_match_ids_ + 1);
      m.all = {};
      return m;
    }
    m.all.push_back(ids.column(0));
  }
  std::sort(m.all.begin(), m.all.end());
  m.total = static_cast<std::int64_t>(m.all.size());
  constexpr long long last = std::numeric_limits<long long>::max();
  m.walked_to = key{0, last, last};
  m.ids_kept = true;
  return m;
}

namespace {

// Learning positions walks about as many index entries as `total / 1024` pages at random
// offsets by OFFSET did: learn them once that many pages (two at least) came at this state.
bool worth_learning(std::int64_t pages_served, std::int64_t total) noexcept {
  return pages_served * 1024 >= total && pages_served >= 2;
}

}  // namespace

std::optional<state_read_cache::start> state_read_cache::page_start(account_id owner,
                                                                    list_order order,
                                                                    std::int64_t offset,
                                                                    soci::session& session) {
  owned& o = of(owner);
  known& k = order == list_order::pinned_first ? o.pinned : o.newest;
  ++o.pages_served;
  if (!k.built && o.total && worth_learning(o.pages_served, *o.total)) {
    k.keys = walk(owner, order, session);
    k.built = true;
  }
  if (!k.built) {
    // The first pages need no position: from before the first key, reading the few rows
    // skipped beats the deferred join.
    if (offset >= stride) return std::nullopt;
    constexpr long long last = std::numeric_limits<long long>::max();
    return start{key{1, last, last}, offset};
  }
  const auto index = static_cast<std::size_t>(offset / stride);
  if (index >= k.keys.size()) return std::nullopt;  // past the end: OFFSET finds nothing fast
  return start{k.keys[index], offset - static_cast<std::int64_t>(index) * stride};
}

std::optional<state_read_cache::start> state_read_cache::tag_page_start(
    account_id owner, const std::string& tag, list_order order, std::int64_t offset,
    std::int64_t total, soci::session& session) {
  // The first pages are a short OFFSET from the start of the tag's range.
  if (offset < stride) return std::nullopt;
  owned& o = of(owner);
  auto found = o.tag_pages.find(tag);
  if (found == o.tag_pages.end()) {
    if (o.tag_pages.size() >= max_tag_totals) {
      for (const auto& [_, positions] : o.tag_pages) {
        for (const known& k : positions.by_order) tag_keys_ -= k.keys.size();
      }
      o.tag_pages.clear();
    }
    found = o.tag_pages.emplace(tag, tag_positions{}).first;
  }
  tag_positions& positions = found->second;
  known& k = positions.by_order[static_cast<std::size_t>(order)];
  ++positions.pages_served;
  if (!k.built && worth_learning(positions.pages_served, total)) {
    const auto needed = static_cast<std::size_t>(total / stride);
    if (needed > max_tag_keys) return std::nullopt;
    if (tag_keys_ + needed > max_tag_keys) {
      for (auto& [other_owner, other] : owners_) {
        for (auto& [other_tag, kept] : other.tag_pages) kept.by_order = {};
      }
      tag_keys_ = 0;
    }
    k.keys = walk_tag(owner, tag, order, session);
    k.built = true;
    tag_keys_ += k.keys.size();
  }
  if (!k.built) return std::nullopt;
  const auto index = static_cast<std::size_t>(offset / stride);  // 1 or more
  if (index > k.keys.size()) return std::nullopt;  // past the end: OFFSET finds nothing fast
  return start{k.keys[index - 1], offset - static_cast<std::int64_t>(index) * stride};
}

void state_read_cache::make_room(std::size_t ids) {
  if (match_ids_ + ids <= max_match_ids_) return;
  for (auto& [_, o] : owners_) o.searches.clear();
  match_ids_ = 0;
}

void state_read_cache::order(matches& m, account_id owner, const std::string& needle,
                             const std::string& phrase, std::int64_t wanted,
                             soci::session& session) const {
  // The walk passes about this many notes per match still missing (the highest id stands in
  // for the number of the owner's notes, who is every note's owner here).
  sqlite_query newest(session, "ordering search matches", "SELECT COALESCE(MAX(id), 0) FROM notes");
  newest.step();
  const double missing = static_cast<double>(wanted) - static_cast<double>(m.ordered.size());
  const double steps = missing * static_cast<double>(newest.column(0)) /
                       static_cast<double>(std::max<std::int64_t>(m.total, 1));
  if (steps > static_cast<double>(walk_steps_per_lookup * m.total)) {
    std::int64_t total = 0;
    auto ordered = sorted_matches(owner, needle, phrase, session, max_match_ids_, total);
    if (ordered) {
      m.ordered = std::move(*ordered);
      m.all = {};
      m.complete = true;
      return;
    }
  }
  sqlite_query walk(session, "ordering search matches",
                    "SELECT created_at, id FROM notes INDEXED BY notes_newest"
                    " WHERE owner = :owner AND (created_at, id) < (:created, :id)"
                    " ORDER BY created_at DESC, id DESC");
  walk.bind(":owner", owner).bind(":created", m.walked_to.created_at).bind(":id", m.walked_to.id);
  const auto want = static_cast<std::size_t>(wanted);
  bool more = true;
  while (m.ordered.size() < want && (more = walk.step())) {
    m.walked_to = key{0, walk.column(0), walk.column(1)};
    if (std::binary_search(m.all.begin(), m.all.end(), m.walked_to.id)) {
      m.ordered.push_back(m.walked_to.id);
    }
  }
  if (!more || static_cast<std::int64_t>(m.ordered.size()) == m.total) {
    m.all = {};
    m.complete = true;
  }
}

// Steps through the order's covering index with the SQLite API itself: about 60 ns a note,
// against some 400 through a statement that filters every stride-th row in SQL.
std::vector<state_read_cache::key> state_read_cache::walk(account_id owner, list_order order,
                                                          soci::session& session) {
  sqlite_query rows(session, "learning list positions",
                    order == list_order::pinned_first
                        ? "SELECT is_pinned, created_at, id FROM notes WHERE owner = :owner"
                          " ORDER BY is_pinned DESC, created_at DESC, id DESC"
                        : "SELECT 0, created_at, id FROM notes WHERE owner = :owner"
                          " ORDER BY created_at DESC, id DESC");
  rows.bind(":owner", owner);
  std::vector<key> keys;
  for (std::int64_t position = 0; rows.step(); ++position) {
    if (position % stride == 0) keys.push_back({rows.column(0), rows.column(1), rows.column(2)});
  }
  return keys;
}

// Keys in the order of the tag's pages (tag_order_by in note_statements.cpp): for the order by
// change, `created_at` holds updated_at.
std::vector<state_read_cache::key> state_read_cache::walk_tag(account_id owner,
                                                              const std::string& tag,
                                                              list_order order,
                                                              soci::session& session) {
  const char* keys_sql = "SELECT 0, t0.created_at, t0.note_id";
  if (order == list_order::pinned_first) {
    keys_sql = "SELECT t0.is_pinned, t0.created_at, t0.note_id";
  } else if (order == list_order::pinned_recently_updated) {
    keys_sql = "SELECT t0.is_pinned, t0.updated_at, t0.note_id";
  }
  const std::string sql = std::string(keys_sql) +
                          " FROM note_tags t0 WHERE t0.owner = :owner AND t0.tag = :tag" +
                          tag_order_by(order);
  sqlite_query rows(session, "learning tag list positions", sql);
  rows.bind(":owner", owner).bind(":tag", tag);
  std::vector<key> keys;
  for (std::int64_t position = 1; rows.step(); ++position) {
    if (position % stride == 0) keys.push_back({rows.column(0), rows.column(1), rows.column(2)});
  }
  return keys;
}

}  // namespace notes::storage::detail
