#pragma once
// The use cases: validation, timestamps and concurrency rules on top of a repository.
#include <optional>
#include <string_view>
#include <vector>

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

class note_service {
 public:
  explicit note_service(note_repository& repository, clock_fn clock = system_now);

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
  note_repository* repository_;
  clock_fn clock_;
};

}  // namespace notes
