// The trash and the revisions of soci_note_repository: its methods over history_statements.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "history_statements.hpp"
#include "notes/storage/soci_note_repository.hpp"
#include "repository_outcomes.hpp"
#include "repository_state.hpp"
#include "time_column.hpp"

namespace notes::storage {
namespace {

using detail::history_statements;
using detail::note_statements;
using detail::transaction_scope;

// Selects `owner`'s note `id` and, if given, `expected` for the statements that follow.
void look_for(note_statements& s, account_id owner, note_id id,
              std::optional<note_version> expected) {
  s.in.owner = owner;
  s.in.id = id;
  s.in.expected = expected.value_or(0);
}

// After a guarded statement on the trash touched nothing: not there, or at another version.
std::unexpected<error> not_trashed_or_stale(note_statements& s, note_id id,
                                            std::optional<note_version> expected) {
  if (!expected) return detail::note_not_found(id);
  return detail::missing_or_stale(s, s.history->find_trashed, id, *expected);
}

// Deletes the revisions of each note of `ids`, which the caller has just deleted for good.
void drop_revisions_of(note_statements& s, const std::vector<long long>& ids) {
  for (long long id : ids) {
    s.in.id = id;
    s.history->drop_note_revisions();
  }
}

}  // namespace

// The row leaves notes by DELETE ... RETURNING, which takes it whole or finds it gone (another
// writer's trash, remove or update won), so two writers never both move it.
result<void> soci_note_repository::trash(account_id owner, note_id id,
                                         std::optional<note_version> expected, timestamp at) {
  return impl_->write_together("trash note", [&](note_statements& s) -> result<void> {
    history_statements& h = *s.history;
    look_for(s, owner, id, expected);
    if (!s.fetch_one(expected ? h.take_live_versioned : h.take_live_any)) {
      if (!expected) return detail::note_not_found(id);
      return detail::missing_or_stale(s, s.find, id, *expected);
    }
    s.row.set(s.row.to_note());  // the search columns, which RETURNING did not read
    h.deleted_at = detail::to_microseconds(at);
    detail::run_prepared(h.put_trashed, s.kind);
    return {};
  });
}

result<trash_page> soci_note_repository::list_trash(account_id owner, page_request page) {
  if (auto ok = detail::check_page(page); !ok) return std::unexpected(ok.error());
  return impl_->run("list trash", true, [&]() -> result<trash_page> {
    note_statements& s = *impl_->statements;
    transaction_scope transaction(s.transactions, transaction_scope::mode::read);
    s.in.owner = owner;
    trash_page out;
    out.total = s.fetch_number(s.history->count_trash);
    if (out.total > page.offset()) {
      out.notes = s.history->fetch_trash_page(page.limit(), page.offset());
    }
    transaction.commit();
    return out;
  });
}

result<std::optional<trashed_note>> soci_note_repository::find_trashed(account_id owner,
                                                                       note_id id) {
  return impl_->run("find trashed note", true, [&]() -> result<std::optional<trashed_note>> {
    note_statements& s = *impl_->statements;
    look_for(s, owner, id, std::nullopt);
    if (!s.fetch_one(s.history->find_trashed)) return std::optional<trashed_note>{};
    return std::optional<trashed_note>{
        trashed_note{s.row.to_note(), detail::from_microseconds(s.history->deleted_at)}};
  });
}

// As trash, the other way: of a restore and a purge racing for one note, the one whose DELETE
// takes the row wins and the other finds it gone (not_found).
result<note> soci_note_repository::restore(account_id owner, note_id id,
                                           std::optional<note_version> expected, timestamp at) {
  note back;
  auto written = impl_->write_together("restore note", [&](note_statements& s) -> result<void> {
    history_statements& h = *s.history;
    look_for(s, owner, id, expected);
    if (!s.fetch_one(expected ? h.take_trashed_versioned : h.take_trashed_any)) {
      return not_trashed_or_stale(s, id, expected);
    }
    back = s.row.to_note();
    back.version += 1;
    back.updated_at = at;
    s.row.set(back);
    detail::run_prepared(h.put_restored, s.kind);
    return {};
  });
  if (!written) return std::unexpected(std::move(written.error()));
  return back;
}

result<void> soci_note_repository::purge(account_id owner, note_id id,
                                         std::optional<note_version> expected) {
  return impl_->write_together("purge note", [&](note_statements& s) -> result<void> {
    history_statements& h = *s.history;
    look_for(s, owner, id, expected);
    soci::statement& st = expected ? h.purge_versioned : h.purge_any;
    long long affected = 0;
    {
      detail::statement_scope scope(st, s.kind);
      st.execute(true);
      affected = st.get_affected_rows();
    }
    if (affected == 0) return not_trashed_or_stale(s, id, expected);
    h.drop_note_revisions();
    return {};
  });
}

// The trashed rows go first, RETURNING their ids, so only the revisions of notes this very
// transaction deleted go with them (a note restored meanwhile keeps its own).
result<std::int64_t> soci_note_repository::empty_trash(account_id owner) {
  std::int64_t purged = 0;
  auto written = impl_->write_together("empty trash", [&](note_statements& s) -> result<void> {
    s.in.owner = owner;
    const auto ids = s.history->fetch_taken_ids(s.history->purge_owner);
    drop_revisions_of(s, ids);
    purged = static_cast<std::int64_t>(ids.size());
    return {};
  });
  if (!written) return std::unexpected(std::move(written.error()));
  return purged;
}

result<std::int64_t> soci_note_repository::purge_trashed_before(timestamp cutoff) {
  std::int64_t purged = 0;
  auto written = impl_->write_together("sweep trash", [&](note_statements& s) -> result<void> {
    s.history->cutoff = detail::to_microseconds(cutoff);
    const auto ids = s.history->fetch_taken_ids(s.history->purge_before);
    drop_revisions_of(s, ids);
    purged = static_cast<std::int64_t>(ids.size());
    return {};
  });
  if (!written) return std::unexpected(std::move(written.error()));
  return purged;
}

// The note, the total and the page from one snapshot.
result<revision_page> soci_note_repository::list_revisions(account_id owner, note_id id,
                                                           page_request page) {
  if (auto ok = detail::check_page(page); !ok) return std::unexpected(ok.error());
  return impl_->run("list revisions", true, [&]() -> result<revision_page> {
    note_statements& s = *impl_->statements;
    transaction_scope transaction(s.transactions, transaction_scope::mode::read);
    look_for(s, owner, id, std::nullopt);
    if (!s.fetch_one(s.find)) return detail::note_not_found(id);
    revision_page out;
    out.total = s.fetch_number(s.history->count_revisions);
    if (out.total > page.offset()) {
      out.revisions = s.history->fetch_revision_page(page.limit(), page.offset());
    }
    transaction.commit();
    return out;
  });
}

result<std::optional<revision>> soci_note_repository::find_revision(account_id owner,
                                                                    note_id id,
                                                                    note_version version) {
  return impl_->run("find revision", true, [&]() -> result<std::optional<revision>> {
    note_statements& s = *impl_->statements;
    look_for(s, owner, id, std::nullopt);
    s.history->version = version;
    if (!s.fetch_one(s.history->find_revision)) return std::optional<revision>{};
    return std::optional<revision>{s.history->revision.to_revision()};
  });
}

}  // namespace notes::storage
