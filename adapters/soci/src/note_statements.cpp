#include "note_statements.hpp"

#include <algorithm>
#include <array>
#include <span>
#include <string>
#include <utility>

#include "history_statements.hpp"
#include "time_column.hpp"

namespace notes::storage::detail {
namespace {

using namespace column_role;

std::string find_sql() { return select_notes() + " WHERE id = :id AND owner = :owner"; }

std::string insert_sql(unsigned roles) {
  return "INSERT INTO notes (" + column_names(roles) + ") VALUES (" + column_placeholders(roles) +
         ")";
}

// A stale version, a missing note and another owner's look alike to it; the caller takes a
// second look.
std::string update_sql(unsigned roles) {
  return "UPDATE notes SET " + column_assignments(roles) +
         ", version = version + 1 WHERE id = :id AND owner = :owner AND version = :expected"
         " RETURNING created_at, version";
}

}  // namespace

const char* order_by(list_order order) noexcept {
  switch (order) {
    case list_order::pinned_first: return pinned_first;
    case list_order::pinned_recently_updated: return pinned_recently_updated;
    case list_order::newest_first: break;
  }
  return newest_first;
}

const char* after_position(list_order order) noexcept {
  switch (order) {
    case list_order::pinned_first:
      return " AND (is_pinned, created_at, id) < (:after_pinned, :after_time, :after_id)";
    case list_order::pinned_recently_updated:
      return " AND (is_pinned, updated_at, id) < (:after_pinned, :after_time, :after_id)";
    case list_order::newest_first: break;
  }
  return " AND (created_at, id) < (:after_time, :after_id)";
}

namespace {

// Binds the position (the newest order's statements name no pin).
void use_position(soci::statement& statement, note_keys& in, list_order order) {
  if (order != list_order::newest_first) {
    statement.exchange(soci::use(in.after_pinned, "after_pinned"));
  }
  statement.exchange(soci::use(in.after_time, "after_time"));
  statement.exchange(soci::use(in.after_id, "after_id"));
}

// A page after a position is an index seek: the list indexes hold the keys in order, after
// owner, whatever the depth.
soci::statement prepare_after(note_statements& s, list_order order) {
  soci::statement statement(s.session);
  exchange_read_columns(statement, s.row);
  statement.exchange(soci::use(s.in.owner, "owner"));
  use_position(statement, s.in, order);
  statement.exchange(soci::use(s.in.limit, "limit"));
  statement.exchange(soci::use(s.in.offset, "offset"));
  prepare_exchanged(statement, select_notes() + " WHERE owner = :owner" + after_position(order) +
                                   order_by(order) + one_page);
  return statement;
}

// A deferred join: the page's ids come from the covering index alone (SQLite indexes carry the
// rowid, the PostgreSQL ones name id), so OFFSET skips index entries rather than whole rows,
// and only the page's rows are read. Plain LIMIT/OFFSET read every skipped row: 185 against
// 55 microseconds at a random page of 10,000 notes. Both indexes start with owner, so one
// owner's notes are one range of each.
std::string deferred_join_sql(const char* order) {
  return select_notes() + " WHERE id IN (SELECT id FROM notes WHERE owner = :owner" + order +
         one_page + ")" + order;
}

// The notes of a tag filter of `tags` tags, as FROM and WHERE over note_tags t0 (and notes n
// with a `needle`): the owner and the i-th tag are :oi and :ti, the needle's LIKE pattern :q
// and :q2. SQLite's CROSS JOIN keeps note_tags the outer loop, whose index gives the order.
std::string tagged_matching(database_kind kind, std::size_t tags, bool needle) {
  std::string matching = !needle ? " FROM note_tags t0"
                         : kind == database_kind::sqlite
                             ? " FROM note_tags t0 CROSS JOIN notes n ON n.id = t0.note_id"
                             : " FROM note_tags t0 JOIN notes n ON n.id = t0.note_id";
  matching += " WHERE t0.owner = :o0 AND t0.tag = :t0";
  for (std::size_t i = 1; i < tags; ++i) {
    const std::string t = "t" + std::to_string(i);
    matching += " AND EXISTS (SELECT 1 FROM note_tags " + t + " WHERE " + t + ".owner = :o" +
                std::to_string(i) + " AND " + t + ".tag = :" + t + " AND " + t +
                ".note_id = t0.note_id)";
  }
  if (needle) {
    matching +=
        " AND (n.search_title LIKE :q ESCAPE '\\' OR n.search_content LIKE :q2 ESCAPE '\\')";
  }
  return matching;
}

// The count of the `matching` notes into s.number; `bind_filter` binds what `matching` names.
template <class Bind>
soci::statement prepare_tagged_count(note_statements& s, const std::string& matching,
                                     const Bind& bind_filter) {
  soci::statement count(s.session);
  count.exchange(soci::into(s.number));
  bind_filter(count);
  prepare_exchanged(count, "SELECT COUNT(*)" + matching);
  return count;
}

// The page of the `matching` notes in `order` (after the position in s.in with `after`), a
// deferred join: its ids from the first tag's range, then only its rows.
template <class Bind>
soci::statement prepare_tagged_page(note_statements& s, const std::string& matching,
                                    list_order order, bool after, const Bind& bind_filter) {
  soci::statement rows(s.session);
  exchange_read_columns(rows, s.row);
  bind_filter(rows);
  if (after) use_position(rows, s.in, order);
  rows.exchange(soci::use(s.in.limit, "limit"));
  rows.exchange(soci::use(s.in.offset, "offset"));
  prepare_exchanged(rows, select_notes() + " WHERE id IN (SELECT t0.note_id" + matching +
                              (after ? tag_after_position(order) : "") + tag_order_by(order) +
                              one_page + ")" + order_by(order));
  return rows;
}

// Binds the one-tag statements' filter: in.owner and one_tag.
struct bind_one_tag {
  note_statements& s;
  void operator()(soci::statement& statement) const {
    statement.exchange(soci::use(s.in.owner, "o0"));
    statement.exchange(soci::use(s.one_tag, "t0"));
  }
};

// PostgreSQL's kept total of one tag (schema.cpp, note counts); a tag without notes has no row.
soci::statement prepare_one_tag_total(note_statements& s) {
  soci::statement total(s.session);
  total.exchange(soci::into(s.number));
  bind_one_tag{s}(total);
  prepare_exchanged(total, "SELECT COALESCE((SELECT notes FROM note_tag_counts"
                           " WHERE owner = :o0 AND tag = :t0), 0)");
  return total;
}

soci::statement prepare_one_tag_page(note_statements& s, list_order order, bool after) {
  return prepare_tagged_page(s, tagged_matching(s.kind, 1, false), order, after,
                             bind_one_tag{s});
}

// `sql` writes the columns with any of the `roles` from `row`; `elements` are its other into()s
// and use()s.
template <class... Elements>
soci::statement prepare_write(soci::session& session, const std::string& sql, note_row& row,
                              unsigned roles, Elements&&... elements) {
  soci::statement statement(session);
  exchange_column_values(statement, row, roles);
  (statement.exchange(std::forward<Elements>(elements)), ...);
  prepare_exchanged(statement, sql);
  return statement;
}

// The update writing the columns with any of `roles` (update_sql).
soci::statement prepare_update(note_statements& s, unsigned roles) {
  return prepare_write(s.session, update_sql(roles), s.row, key | roles,
                       soci::into(s.row.created_at), soci::into(s.row.version),
                       soci::use(s.in.owner, "owner"), soci::use(s.in.expected, "expected"));
}

}  // namespace

note_statements::note_statements(soci::session& db, database_kind k, const transaction_sql& sql,
                                 const char* content_bytes)
    : session(db),
      kind(k),
      transactions(db, k, sql),
      find(prepare_rows(find_sql(), soci::use(in.id, "id"), soci::use(in.owner, "owner"))),
      insert(prepare_write(session, insert_sql(inserted) + " RETURNING id", row, inserted,
                           soci::into(row.id))),
      update(prepare_update(*this, updated | repinned)),
      update_keeping_pin(prepare_update(*this, updated)),
      remove_any(prepare_statement(session, "DELETE FROM notes WHERE id = :id AND owner = :owner",
                                   soci::use(in.id, "id"), soci::use(in.owner, "owner"))),
      remove_versioned(prepare_statement(
          session, "DELETE FROM notes WHERE id = :id AND owner = :owner AND version = :expected",
          soci::use(in.id, "id"), soci::use(in.owner, "owner"),
          soci::use(in.expected, "expected"))),
      count(prepare_number(kind == database_kind::postgresql
                               ? "SELECT COALESCE((SELECT notes FROM note_counts"
                                 " WHERE owner = :owner), 0)"
                               : "SELECT COUNT(*) FROM notes WHERE owner = :owner",
                           soci::use(in.owner, "owner"))),
      list_newest(prepare_page(deferred_join_sql(newest_first), soci::use(in.owner, "owner"))),
      list_pinned(prepare_page(deferred_join_sql(pinned_first), soci::use(in.owner, "owner"))),
      list_updated(prepare_page(deferred_join_sql(pinned_recently_updated),
                                soci::use(in.owner, "owner"))),
      after_newest(prepare_after(*this, list_order::newest_first)),
      after_pinned(prepare_after(*this, list_order::pinned_first)),
      after_updated(prepare_after(*this, list_order::pinned_recently_updated)),
      count_tags(prepare_statement(
          session,
          kind == database_kind::postgresql
              ? "SELECT tag, notes FROM note_tag_counts WHERE owner = :owner ORDER BY tag"
              : "SELECT tag, COUNT(*) FROM note_tags WHERE owner = :owner GROUP BY tag"
                " ORDER BY tag",
          soci::into(tag), soci::into(number), soci::use(in.owner, "owner"))),
      one_tag_count(kind == database_kind::postgresql
                        ? prepare_one_tag_total(*this)
                        : prepare_tagged_count(*this, tagged_matching(kind, 1, false),
                                               bind_one_tag{*this})),
      one_tag_newest(prepare_one_tag_page(*this, list_order::newest_first, false)),
      one_tag_pinned(prepare_one_tag_page(*this, list_order::pinned_first, false)),
      one_tag_updated(prepare_one_tag_page(*this, list_order::pinned_recently_updated, false)),
      one_tag_after_newest(prepare_one_tag_page(*this, list_order::newest_first, true)),
      one_tag_after_pinned(prepare_one_tag_page(*this, list_order::pinned_first, true)),
      one_tag_after_updated(
          prepare_one_tag_page(*this, list_order::pinned_recently_updated, true)),
      history(std::make_unique<history_statements>(*this, content_bytes)) {}

note_statements::~note_statements() = default;

void note_statements::position_at(const list_position& after) noexcept {
  in.after_pinned = after.pinned ? 1 : 0;
  in.after_time = to_microseconds(after.time);
  in.after_id = after.id;
}

bool note_statements::fetch_one(soci::statement& statement) {
  statement_scope scope(statement, kind);
  return statement.execute(true);
}

long long note_statements::fetch_number(soci::statement& statement) {
  fetch_one(statement);
  return number;
}

std::vector<note> note_statements::fetch_rows(soci::statement& statement) {
  statement_scope scope(statement, kind);
  std::vector<note> out;
  statement.execute();
  while (statement.fetch()) out.push_back(row.to_note());
  return out;
}

std::vector<note> note_statements::fetch_page(soci::statement& statement, std::int64_t limit,
                                              std::int64_t offset) {
  in.limit = limit;
  in.offset = offset;
  return fetch_rows(statement);
}

std::string like_pattern(std::string_view needle) {
  std::string pattern = "%";
  for (char c : needle) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  return pattern + "%";
}

// note_tags carries each row's note's list keys (migration 12), and an index per list order
// after (owner, tag): a tag's notes in any order are one range of it, as an owner's are of the
// notes indexes. The filter's first tag walks that range; every further tag is a primary-key
// lookup per note.
const char* tag_order_by(list_order order) noexcept {
  switch (order) {
    case list_order::pinned_first:
      return " ORDER BY t0.is_pinned DESC, t0.created_at DESC, t0.note_id DESC";
    case list_order::pinned_recently_updated:
      return " ORDER BY t0.is_pinned DESC, t0.updated_at DESC, t0.note_id DESC";
    case list_order::newest_first: break;
  }
  return " ORDER BY t0.created_at DESC, t0.note_id DESC";
}

const char* tag_after_position(list_order order) noexcept {
  switch (order) {
    case list_order::pinned_first:
      return " AND (t0.is_pinned, t0.created_at, t0.note_id)"
             " < (:after_pinned, :after_time, :after_id)";
    case list_order::pinned_recently_updated:
      return " AND (t0.is_pinned, t0.updated_at, t0.note_id)"
             " < (:after_pinned, :after_time, :after_id)";
    case list_order::newest_first: break;
  }
  return " AND (t0.created_at, t0.note_id) < (:after_time, :after_id)";
}

// The count reads the first tag's index range (and, with a needle, the rows it names).
note_page tagged_page(note_statements& s, tag_filter tags, list_order order,
                      const std::string* needle, page_request page, bool after) {
  const std::string matching = tagged_matching(s.kind, tags.size(), needle != nullptr);
  std::string pattern;
  if (needle != nullptr) {
    pattern = like_pattern(*needle);
    order = list_order::newest_first;
  }
  long long owner = s.in.owner;
  const auto bind = [&](soci::statement& statement) {
    for (std::size_t i = 0; i < tags.size(); ++i) {
      const std::string n = std::to_string(i);
      statement.exchange(soci::use(owner, "o" + n));
      statement.exchange(soci::use(tags[i], "t" + n));
    }
    if (needle != nullptr) {
      statement.exchange(soci::use(pattern, "q"));
      statement.exchange(soci::use(pattern, "q2"));
    }
  };
  soci::statement count = prepare_tagged_count(s, matching, bind);
  note_page out;
  out.total = s.fetch_number(count);
  if (out.total <= page.offset()) return out;
  soci::statement rows = prepare_tagged_page(s, matching, order, after, bind);
  out.notes = s.fetch_page(rows, page.limit(), page.offset());
  return out;
}

note_page one_tag_notes(note_statements& s, std::int64_t total, list_order order,
                        page_request page, bool after) {
  note_page out;
  out.total = total;
  if (out.total <= page.offset()) return out;
  out.notes = s.fetch_page(s.one_tag_page(order, after), page.limit(), page.offset());
  return out;
}

std::vector<tag_count> tag_counts(note_statements& s) {
  statement_scope scope(s.count_tags, s.kind);
  std::vector<tag_count> out;
  s.count_tags.execute();
  while (s.count_tags.fetch()) out.push_back({s.tag, s.number});
  return out;
}

result<long long> insert_keeping_ids(note_statements& s, const note_archive& archive) {
  note_row row;
  long long existing = 0;
  // Ids of trashed notes are taken too: they come back with them.
  soci::statement exists = prepare_statement(
      s.session,
      "SELECT (SELECT COUNT(*) FROM notes WHERE id = :id)"
      " + (SELECT COUNT(*) FROM trashed_notes WHERE id = :id2)",
      soci::into(existing), soci::use(row.id, "id"), soci::use(row.id, "id2"));
  soci::statement insert =
      prepare_write(s.session, insert_sql(key | inserted), row, key | inserted);
  long long highest = 0;
  const auto unused = [&](note_id id) -> result<void> {
    row.id = id;
    s.fetch_one(exists);
    if (existing == 0) return {};
    return make_error(error_code::conflict,
                      "Note " + std::to_string(id) + " already exists; nothing was imported.");
  };
  for (const note& n : archive.live) {
    if (auto ok = unused(n.id); !ok) return std::unexpected(std::move(ok.error()));
    row.set(n);
    run_prepared(insert, s.kind);
    highest = std::max<long long>(highest, n.id);
  }
  for (const trashed_note& t : archive.trashed) {
    if (auto ok = unused(t.note.id); !ok) return std::unexpected(std::move(ok.error()));
    put_trashed(s, t);
    highest = std::max<long long>(highest, t.note.id);
  }
  if (auto kept = insert_revisions(s, archive); !kept) {
    return std::unexpected(std::move(kept.error()));
  }
  return highest;
}

void defer_kept_totals(note_statements& s) {
  if (s.kind != database_kind::postgresql) return;
  // In the order every writer takes them: a note's tags (note_tags_sync, a row trigger) before
  // the note's total (a statement trigger).
  s.session << "LOCK TABLE note_tag_counts, note_counts IN SHARE ROW EXCLUSIVE MODE";
  s.session << "SET LOCAL notes.defer_kept_totals = 'on'";
  s.session << "SET LOCAL notes.defer_stamps = 'on'";
}

void recount_kept_totals(note_statements& s, std::span<const long long> owners) {
  if (s.kind != database_kind::postgresql) return;
  // In owner order, as the stamp triggers lock them.
  std::vector<long long> in_order(owners.begin(), owners.end());
  std::ranges::sort(in_order);
  long long owner = 0;
  const auto each_owner = [&](const char* sql) {
    soci::statement statement = prepare_statement(s.session, sql, soci::use(owner, "owner"));
    statement_scope scope(statement, s.kind);
    for (const long long o : in_order) {
      owner = o;
      statement.execute(true);
    }
  };
  each_owner("DELETE FROM note_counts WHERE owner = :owner");
  each_owner("INSERT INTO note_counts (owner, notes)"
             " SELECT owner, COUNT(*) FROM notes WHERE owner = :owner GROUP BY owner");
  each_owner("DELETE FROM note_tag_counts WHERE owner = :owner");
  each_owner("INSERT INTO note_tag_counts (owner, tag, notes)"
             " SELECT owner, tag, COUNT(*) FROM note_tags WHERE owner = :owner GROUP BY owner, tag");
  each_owner("INSERT INTO note_stamps (owner, changed) VALUES (:owner, note_stamp())"
             " ON CONFLICT (owner) DO UPDATE SET changed = EXCLUDED.changed");
  s.session << "SET LOCAL notes.defer_kept_totals = 'off'";
  s.session << "SET LOCAL notes.defer_stamps = 'off'";
}

long long change_owner(note_statements& s, long long from, long long to) {
  defer_kept_totals(s);
  change_history_owner(s, from, to);
  soci::statement move =
      prepare_statement(s.session, "UPDATE notes SET owner = :to WHERE owner = :from",
                        soci::use(to, "to"), soci::use(from, "from"));
  statement_scope scope(move, s.kind);
  move.execute(true);
  const long long moved = move.get_affected_rows();
  const std::array<long long, 2> owners{from, to};
  recount_kept_totals(s, owners);
  return moved;
}

long long remove_all(note_statements& s, long long owner) {
  remove_history(s, owner);
  soci::statement remove = prepare_statement(s.session, "DELETE FROM notes WHERE owner = :owner",
                                             soci::use(owner, "owner"));
  statement_scope scope(remove, s.kind);
  remove.execute(true);
  return remove.get_affected_rows();
}

std::vector<note> all_notes(note_statements& s, std::optional<long long> owner) {
  long long wanted = owner.value_or(0);
  soci::statement every =
      owner ? s.prepare_rows(select_notes() + " WHERE owner = :owner ORDER BY id",
                             soci::use(wanted, "owner"))
            : s.prepare_rows(select_notes() + " ORDER BY id");
  return s.fetch_rows(every);
}

}  // namespace notes::storage::detail
