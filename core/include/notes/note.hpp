#pragma once
// The Note entity and the shapes used to create and change one.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "notes/account_id.hpp"

namespace notes {

using note_id = std::int64_t;
using note_version = std::int64_t;
// UTC, microsecond precision.
using timestamp = std::chrono::sys_time<std::chrono::microseconds>;

struct note {
  note_id id = 0;
  std::string title;
  std::string content;
  bool is_pinned = false;
  timestamp created_at{};
  timestamp updated_at{};
  // Starts at 1 and grows by one on every successful update (optimistic concurrency).
  note_version version = 1;
  // Whose note it is; every repository call but all() and import() sees one owner's notes only.
  account_id owner = no_account;
  // As given (validate() keeps the first spelling of tags that fold equal); matched folded.
  std::vector<std::string> tags{};

  friend bool operator==(const note&, const note&) = default;
};

// What a caller supplies to create a note.
struct note_draft {
  std::string title;
  std::string content;
  bool is_pinned = false;
  std::vector<std::string> tags{};
};

// A partial update: only the fields that are present change.
struct note_patch {
  std::optional<std::string> title;
  std::optional<std::string> content;
  std::optional<bool> is_pinned;
  std::optional<std::vector<std::string>> tags{};  // replaces every tag

  bool empty() const noexcept { return !title && !content && !is_pinned && !tags; }
};

}  // namespace notes
