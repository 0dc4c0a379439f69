#pragma once
// The use cases: validation, timestamps and concurrency rules on top of a repository.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "notes/account_id.hpp"
#include "notes/error.hpp"
#include "notes/history.hpp"
#include "notes/note.hpp"
#include "notes/note_repository.hpp"
#include "notes/pagination.hpp"
#include "notes/time.hpp"

namespace notes {

struct note_list {
  std::vector<note> notes;
  page_info page;
  // Where the next page of a list starts (list_after); empty on the last page, and for search.
  std::optional<list_position> next;
};

struct trash_list {
  std::vector<trashed_note> notes;
  page_info page;
};

struct revision_list {
  std::vector<revision_summary> revisions;
  page_info page;
};

inline constexpr std::size_t max_query_length = 200;  // code points

// What deleting and changing a note keep.
struct history_policy {
  // Revisions kept per note, newest first; 0 keeps none. Negative is invalid.
  std::int32_t revisions_keep = 100;
  // A delete moves the note to the trash; false deletes it for good.
  bool trash = true;
};

// Acts for one owner: every call sees and changes only that owner's notes, and create stamps
// it. The constructor's service acts for the shared notebook (no_account); for_owner() gives a
// copy acting for someone else. Copies are cheap (a pointer, a shared clock, an id, a policy).
//
// The service borrows its repository (a plain pointer): the repository must outlive the service
// and every copy of it, for_owner's included. A service is as thread-safe as its repository:
// over memory_note_repository (shared, locked) any thread may call; over a SOCI repository (one
// connection) only the thread that owns that repository. The service validates every input and
// stamps times; the repository stores what it is given. Failures are values (error.hpp), never
// exceptions; docs/embedding.md says which codes a caller handles and which are worth a retry.
class note_service {
 public:
  // Throws std::invalid_argument for a policy that keeps a negative number of revisions.
  explicit note_service(note_repository& repository, clock_fn clock = system_now,
                        history_policy policy = {});

  // The same repository, clock and policy, acting for `owner`.
  note_service for_owner(account_id owner) const;
  account_id owner() const noexcept { return owner_; }

  result<note> create(const note_draft& draft);
  // As create, the outcome handed to `done` as note_repository::create_then hands it (at once,
  // on the calling thread, when the draft is invalid).
  void create_then(const note_draft& draft, note_repository::note_done done);
  // Whether create_then returns without waiting for the database (note_repository's).
  bool hands_off_writes() const noexcept { return repository_->hands_off_writes(); }
  result<note> get(note_id id);

  // Applies only the fields present; an empty patch is invalid_argument and changes nothing (the
  // API refuses `{}` alike). With `expected`, a note changed since then is a conflict; without it
  // the patch is applied to the latest version (retrying if a writer races us).
  result<note> update(note_id id, const note_patch& patch,
                      std::optional<note_version> expected = std::nullopt);
  // As update, read and written with nothing between (note_repository::update_then), the
  // outcome handed to `done` as create_then hands it.
  void update_then(note_id id, const note_patch& patch, std::optional<note_version> expected,
                   note_repository::note_done done);

  // Moves the note to the trash, or with the policy's trash off deletes it for good; either
  // way it is gone from get, update, lists, counts and search.
  result<void> remove(note_id id, std::optional<note_version> expected = std::nullopt);

  // page < 1 or per_page < 1 is invalid_argument; per_page above max_per_page is capped.
  // With `tags`, only notes carrying every one of them (compared folded); a tag that is not a
  // valid tag (empty included) is invalid_argument.
  result<note_list> list(list_order order, page_request page,
                         std::span<const std::string> tags = {});

  // The page of up to `per_page` notes after `after` in `order` (the `next` of the page before),
  // `tags` as for list. A position that is no note's still marks where the page starts. Its
  // page info has no number (page 0) and always has_prev; has_next when more notes follow.
  // per_page < 1, a note id < 1, or a pin in newest_first's position is invalid_argument.
  result<note_list> list_after(list_order order, const list_position& after,
                               std::int64_t per_page, std::span<const std::string> tags = {});

  // The query is trimmed; blank or longer than max_query_length is invalid_argument. `tags` as
  // for list.
  result<note_list> search(std::string_view query, page_request page,
                           std::span<const std::string> tags = {});

  // The owner's tags on live notes, folded, by name, with how many notes carry each.
  result<std::vector<tag_count>> tags();

  result<std::int64_t> count();

  // The trash, latest deletion first; paging as list.
  result<trash_list> list_trash(page_request page);
  result<trashed_note> find_trashed(note_id id);
  // Back among the notes with its id, at the next version, updated now.
  result<note> restore(note_id id, std::optional<note_version> expected = std::nullopt);
  // Deletes a trashed note for good, with its revisions.
  result<void> purge(note_id id, std::optional<note_version> expected = std::nullopt);
  // Deletes the whole trash for good; returns how many notes it held.
  result<std::int64_t> empty_trash();

  // The kept revisions of a live note, newest first; paging as list.
  result<revision_list> revisions(note_id id, page_request page);
  result<notes::revision> revision(note_id id, note_version version);
  // Makes the revision's title, content and pin the note's next version (an update, so the
  // state it replaces becomes a revision in turn); `expected` as for update.
  result<note> restore_revision(note_id id, note_version version,
                                std::optional<note_version> expected = std::nullopt);

  const history_policy& policy() const noexcept { return policy_; }
  // The clock that stamps notes: what a page counts "edited 3 minutes ago" from.
  timestamp now() const { return (*clock_)(); }

 private:
  note_service(note_repository* repository, std::shared_ptr<const clock_fn> clock,
               account_id owner, history_policy policy) noexcept;

  // The note a valid draft makes, stamped now for this owner; invalid_argument otherwise.
  result<note> fresh_note(const note_draft& draft) const;

  note_repository* repository_;
  // Shared, so that for_owner() (once per request) copies no std::function.
  std::shared_ptr<const clock_fn> clock_;
  account_id owner_ = no_account;
  history_policy policy_;
};

// Deletes for good every owner's notes trashed more than `keep` before `now` (all of the trash
// when `keep` is 0) and returns how many; safe to run from several servers on one database.
result<std::int64_t> sweep_trash(note_repository& repository, timestamp now,
                                 std::chrono::days keep);

}  // namespace notes
