#include "notes/storage/soci_note_repository.hpp"

#include <optional>
#include <string>

#include "history_statements.hpp"
#include "notes/text.hpp"
#include "repository_outcomes.hpp"
#include "repository_state.hpp"
#include "schema.hpp"

namespace notes::storage {
namespace {

using detail::note_statements;
using detail::transaction_scope;

using detail::check_page;
using detail::note_label;

std::unexpected<error> missing_or_stale(note_statements& s, note_id id, note_version expected) {
  return detail::missing_or_stale(s, s.find, id, expected);
}

// Stores `n` as a new note and gives it its id.
result<void> insert(note_statements& s, note& n) {
  s.row.set(n);
  if (!s.fetch_one(s.insert)) {
    return make_error(error_code::storage_failure, "create note failed: no id was returned.");
  }
  n.id = s.row.id;
  return {};
}

// Replaces the note `changed.id` of `changed.owner` with `changed` if its stored version is
// still `expected`, keeping the replaced state as a revision and only the newest
// `keep_revisions` of them when that is above 0. `stored` gets the stored created_at and
// version. `update` is s.update, or s.update_keeping_pin when the stored note at `expected` is
// known to be pinned exactly as `changed` is.
result<void> replace(note_statements& s, soci::statement& update, const note& changed,
                     note_version expected, std::int32_t keep_revisions, note& stored) {
  const bool history = keep_revisions > 0;
  s.row.set(changed);
  s.in.owner = changed.owner;
  s.in.expected = expected;
  if (history) s.history->keep_note_revision();
  if (!s.fetch_one(update)) {
    return missing_or_stale(s, changed.id, expected);
  }
  if (history && expected - keep_revisions >= 1) {
    s.history->floor = expected - keep_revisions;
    s.history->prune_note_revisions();
  }
  stored.created_at = detail::from_microseconds(s.row.created_at);
  stored.version = s.row.version;
  return {};
}

using unchanged_reads = detail::unchanged_reads;
using detail::wal_stamp;

// A page kept while the database is unchanged (SQLite), else the page `read` reads.
template <class Read>
result<note_page> page_unless_unchanged(soci_note_repository::impl& state,
                                        const unchanged_reads::page_key& key, Read&& read) {
  return state.kept_or_read(
      key.owner, false,
      [&key](unchanged_reads& reads, const wal_stamp& at) { return reads.page(at, key); },
      std::forward<Read>(read),
      [&key](unchanged_reads& reads, const wal_stamp& at, const note_page& found) {
        reads.keep(at, key, found);
      });
}

}  // namespace

soci_note_repository::soci_note_repository(std::unique_ptr<impl> state) : impl_(std::move(state)) {}
soci_note_repository::~soci_note_repository() = default;

database_kind soci_note_repository::kind() const noexcept { return impl_->config.kind; }

result<note> soci_note_repository::create(const note& fresh) {
  note stored = fresh;
  auto written =
      impl_->write("create note", [&](note_statements& s) { return insert(s, stored); });
  if (!written) return std::unexpected(std::move(written.error()));
  return stored;
}

void soci_note_repository::create_then(const note& fresh, note_done done) {
  if (!impl_->dialect.hands_off_writes) return done(create(fresh));
  // The work and the completion run one after the other on the committer's thread.
  auto stored = std::make_shared<note>(fresh);
  impl_->plans->write_then(
      "create note",
      [stored](note_statements& s) { return insert(s, *stored); },
      [stored, done = std::move(done)](result<void> written) mutable {
        if (!written) return done(std::unexpected(std::move(written.error())));
        done(std::move(*stored));
      });
}

bool soci_note_repository::hands_off_writes() const noexcept {
  return impl_->dialect.hands_off_writes;
}

result<std::optional<note>> soci_note_repository::find(account_id owner, note_id id) {
  return impl_->kept_or_read(
      owner, true,
      [&](unchanged_reads& reads, const wal_stamp& at) { return reads.find(at, owner, id); },
      [&] {
        return impl_->run("find note", true, [&]() -> result<std::optional<note>> {
          auto& s = *impl_->statements;
          s.in.owner = owner;
          s.in.id = id;
          if (!s.fetch_one(s.find)) return std::optional<note>{};
          return std::optional<note>{s.row.to_note()};
        });
      },
      [](unchanged_reads& reads, const wal_stamp& at, const std::optional<note>& found) {
        if (found) reads.keep(at, *found);
      });
}

// With history, three statements in one transaction (on SQLite the combiner's, batched with
// other writes): the replaced state is copied into note_revisions before the UPDATE replaces
// it, under the same conditions, and the revisions past `keep_revisions` are dropped after.
// Versions of a note grow by one, so those are the ones up to expected - keep_revisions.
result<note> soci_note_repository::update(const note& changed, note_version expected,
                                          std::int32_t keep_revisions) {
  note stored = changed;
  const detail::write_work work = [&](note_statements& s) {
    return replace(s, s.update, changed, expected, keep_revisions, stored);
  };
  auto written = keep_revisions > 0 ? impl_->write_together("update note", work)
                                    : impl_->write("update note", work);
  if (!written) return std::unexpected(std::move(written.error()));
  return stored;
}

// SQLite: the read, the change and the write are one write of the combiner's batch, so no
// other write comes between (on PostgreSQL, the port's find and update, again on a lost race).
void soci_note_repository::update_then(account_id owner, note_id id, note_change change,
                                       std::int32_t keep_revisions, note_done done) {
  if (!impl_->dialect.hands_off_writes) {
    return note_repository::update_then(owner, id, std::move(change), keep_revisions,
                                        std::move(done));
  }
  auto stored = std::make_shared<note>();
  impl_->plans->write_then(
      "update note",
      [owner, id, change = std::move(change), keep_revisions,
       stored](note_statements& s) -> result<void> {
        s.in.owner = owner;
        s.in.id = id;
        if (!s.fetch_one(s.find)) return detail::note_not_found(id);
        const note current = s.row.to_note();
        auto changed = change(current);
        if (!changed) return std::unexpected(std::move(changed.error()));
        *stored = std::move(*changed);
        soci::statement& update =
            stored->is_pinned == current.is_pinned ? s.update_keeping_pin : s.update;
        return replace(s, update, *stored, current.version, keep_revisions, *stored);
      },
      [stored, done = std::move(done)](result<void> written) mutable {
        if (!written) return done(std::unexpected(std::move(written.error())));
        done(std::move(*stored));
      });
}

result<void> soci_note_repository::remove(account_id owner, note_id id,
                                          std::optional<note_version> expected) {
  return impl_->write_together("delete note", [&](note_statements& s) -> result<void> {
    s.in.owner = owner;
    s.in.id = id;
    s.in.expected = expected.value_or(0);
    soci::statement& st = expected ? s.remove_versioned : s.remove_any;
    long long affected = 0;
    {
      detail::statement_scope scope(st, s.kind);
      st.execute(true);
      affected = st.get_affected_rows();
    }
    if (affected > 0) {
      s.history->drop_note_revisions();
      return {};
    }
    if (!expected) return make_error(error_code::not_found, note_label(id) + " not found.");
    return missing_or_stale(s, id, *expected);
  });
}

result<std::int64_t> soci_note_repository::count(account_id owner) {
  return impl_->run("count notes", true, [&]() -> result<std::int64_t> {
    auto& s = *impl_->statements;
    s.in.owner = owner;
    return s.fetch_number(s.count);
  });
}

// A page and its total come from one snapshot.
result<note_page> soci_note_repository::list(account_id owner, list_order order,
                                             page_request page, tag_filter tags) {
  if (auto ok = check_page(page); !ok) return std::unexpected(ok.error());
  const auto read = [&] {
    return impl_->run("list notes", true, [&]() -> result<note_page> {
      transaction_scope transaction(impl_->statements->transactions,
                                    transaction_scope::mode::read);
      impl_->statements->in.owner = owner;
      note_page out =
          tags.empty()       ? impl_->plans->list(order, page)
          : tags.size() == 1 ? impl_->plans->list_tag(tags.front(), order, page, false)
                             : detail::tagged_page(*impl_->statements, tags, order, nullptr, page);
      transaction.commit();
      return out;
    });
  };
  if (tags.size() > 1) return read();
  using key = unchanged_reads::page_key;
  return page_unless_unchanged(
      *impl_,
      key{.owner = owner,
          .of = tags.empty() ? key::kind::list : key::kind::tag,
          .order = order,
          .text = tags.empty() ? std::string() : tags.front(),
          .page = page.page,
          .per_page = page.per_page},
      read);
}

result<note_page> soci_note_repository::list_after(account_id owner, list_order order,
                                                   const list_position& after,
                                                   std::int64_t limit, tag_filter tags) {
  if (limit < 1) {
    return make_error(error_code::invalid_argument, "A page holds at least one note.");
  }
  return impl_->run("list notes", true, [&]() -> result<note_page> {
    transaction_scope transaction(impl_->statements->transactions, transaction_scope::mode::read);
    detail::note_statements& s = *impl_->statements;
    s.in.owner = owner;
    s.position_at(after);
    note_page out =
        tags.empty()       ? impl_->plans->list_after(order, limit)
        : tags.size() == 1 ? impl_->plans->list_tag(tags.front(), order, {1, limit}, true)
                           : detail::tagged_page(s, tags, order, nullptr, {1, limit}, true);
    transaction.commit();
    return out;
  });
}

result<note_page> soci_note_repository::search(account_id owner, std::string_view query,
                                               page_request page, tag_filter tags) {
  if (auto ok = check_page(page); !ok) return std::unexpected(ok.error());
  if (!text::is_valid_utf8(query)) {
    return make_error(error_code::invalid_argument, "The search query is not valid UTF-8.");
  }
  const std::string needle = text::search_key(query);
  const auto read = [&] {
    return impl_->run("search notes", true, [&]() -> result<note_page> {
      transaction_scope transaction(impl_->statements->transactions,
                                    transaction_scope::mode::read);
      impl_->statements->in.owner = owner;
      note_page out = tags.empty() ? impl_->plans->search(needle, page)
                                   : detail::tagged_page(*impl_->statements, tags,
                                                         list_order::newest_first, &needle, page);
      transaction.commit();
      return out;
    });
  };
  if (!tags.empty()) return read();
  using key = unchanged_reads::page_key;
  return page_unless_unchanged(*impl_,
                               key{.owner = owner,
                                   .of = key::kind::search,
                                   .order = list_order::newest_first,
                                   .text = needle,
                                   .page = page.page,
                                   .per_page = page.per_page},
                               read);
}

result<std::vector<tag_count>> soci_note_repository::tag_counts(account_id owner) {
  return impl_->kept_or_read(
      owner, true,
      [owner](unchanged_reads& reads, const wal_stamp& at) { return reads.tags(at, owner); },
      [&] {
        return impl_->run("count tags", true, [&]() -> result<std::vector<tag_count>> {
          impl_->statements->in.owner = owner;
          return impl_->plans->tag_counts();
        });
      },
      [owner](unchanged_reads& reads, const wal_stamp& at, const std::vector<tag_count>& found) {
        reads.keep(at, owner, found);
      });
}

result<std::vector<note>> soci_note_repository::all(std::optional<account_id> owner) {
  return impl_->run("read all notes", true, [&]() -> result<std::vector<note>> {
    return detail::all_notes(*impl_->statements, owner);
  });
}

result<void> soci_note_repository::import(std::span<const note> notes) {
  return import_archive(note_archive{{notes.begin(), notes.end()}, {}, {}});
}

// The three reads in one snapshot: a note trashed or restored meanwhile is in the archive once.
result<note_archive> soci_note_repository::archive(std::optional<account_id> owner) {
  return impl_->run("read all notes", true, [&]() -> result<note_archive> {
    transaction_scope transaction(impl_->statements->transactions, transaction_scope::mode::read);
    note_archive out;
    out.live = detail::all_notes(*impl_->statements, owner);
    detail::read_history(*impl_->statements, owner, out);
    transaction.commit();
    return out;
  });
}

result<void> soci_note_repository::import_archive(const note_archive& archive) {
  const auto invalid = [](note_id id) {
    return make_error(error_code::invalid_argument,
                      note_label(id) + " has an invalid id; nothing was imported.");
  };
  for (const note& n : archive.live) {
    if (n.id < 1) return invalid(n.id);
  }
  for (const trashed_note& t : archive.trashed) {
    if (t.note.id < 1) return invalid(t.note.id);
  }
  return impl_->run("import notes", false, [&] { return impl_->plans->import(archive); });
}

// Notes, trashed notes and revisions in one transaction: on SQLite through the write combiner
// like any write.
result<std::int64_t> soci_note_repository::change_owner(account_id from, account_id to) {
  std::int64_t moved = 0;
  auto written = impl_->write_together("change owner", [&](note_statements& s) -> result<void> {
    moved = detail::change_owner(s, from, to);
    return {};
  });
  if (!written) return std::unexpected(std::move(written.error()));
  return moved;
}

result<std::int64_t> soci_note_repository::remove_all(account_id owner) {
  return impl_->run("delete notes", false, [&] { return impl_->plans->remove_all(owner); });
}

result<void> soci_note_repository::check_ready() {
  return impl_->run("readiness check", true, [&]() -> result<void> {
    return detail::require_current_schema(
        detail::read_schema_version(*impl_->session, impl_->config.kind));
  });
}

}  // namespace notes::storage
