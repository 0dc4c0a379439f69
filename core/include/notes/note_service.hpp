#pragma once
// The use cases: validation, timestamps and concurrency rules on top of a repository.
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "notes/account_id.hpp"
#include "notes/error.hpp"
#include "notes/note.hpp"
#include "notes/note_repository.hpp"
#include "notes/pagination.hpp"
#include "notes/time.hpp"

namespace notes {

struct note_list {
  std::vector<note> notes;
  page_info page;
};

inline constexpr std::size_t max_query_length = 200;  // code points

// Acts for one owner: every call sees and changes only that owner's notes, and create stamps
// it. The constructor's service acts for the shared notebook (no_account); for_owner() gives a
// copy acting for someone else. Copies are cheap (a pointer, a shared clock, an id).
class note_service {
 public:
  explicit note_service(note_repository& repository, clock_fn clock = system_now);

  // The same repository and clock, acting for `owner`.
  note_service for_owner(account_id owner) const;
  account_id owner() const noexcept { return owner_; }

  result<note> create(const note_draft& draft);
  result<note> get(note_id id);

  // Applies only the fields present. With `expected`, a note changed since then is a conflict;
  // without it the patch is applied to the latest version (retrying if a writer races us).
  result<note> update(note_id id, const note_patch& patch,
                      std::optional<note_version> expected = std::nullopt);

  result<void> remove(note_id id, std::optional<note_version> expected = std::nullopt);

  // page < 1 or per_page < 1 is invalid_argument; per_page above max_per_page is capped.
  result<note_list> list(list_order order, page_request page);

  // The query is trimmed; blank or longer than max_query_length is invalid_argument.
  result<note_list> search(std::string_view query, page_request page);

  result<std::int64_t> count();

 private:
  note_service(note_repository* repository, std::shared_ptr<const clock_fn> clock,
               account_id owner) noexcept;

  timestamp now() const { return (*clock_)(); }

  note_repository* repository_;
  // Shared, so that for_owner() (once per request) copies no std::function.
  std::shared_ptr<const clock_fn> clock_;
  account_id owner_ = no_account;
};

}  // namespace notes
