#pragma once
// What SQLite reads learned about one state of the database, kept while it stays unchanged:
// where list pages start, the list totals and the search totals.
#include <soci/soci.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "notes/note_repository.hpp"

namespace notes::storage::detail {

// Valid for one state of the database only: SQLite, one per connection, the state being the
// connection's PRAGMA data_version (which changes when another connection commits) and its own
// commits. observe() forgets everything once the state moved on. Each owner's notes are lists of
// their own, so everything is kept per owner, for the last few owners read at this state:
//
// - Page starts. LIMIT/OFFSET walks `offset` index entries to find a page: 40 us for a random
//   page of 10,000 notes, most of GET /api/notes?page=N. This keeps the order key at every
//   stride-th position of each order, so a page is an index seek to the key at or before it
//   plus fewer than stride steps. Knowing every position takes a walk over the whole index
//   (about 1 ms per 10,000 notes), so it is made only once the state has served enough pages by
//   plain OFFSET to have paid for it; under steady writes it is simply not made.
// - The owner's total of notes, which every list page reports.
// - The owner's totals of matches per search needle: paging through one search's results
//   counts its matches once.
class state_read_cache {
 public:
  static constexpr std::int64_t stride = 32;
  // Owners remembered at one state; one more forgets them all (and the cache starts over).
  static constexpr std::size_t max_owners = 64;

  // An order key: is_pinned (pinned order only), created_at, id.
  struct key {
    long long pinned = 0;
    long long created_at = 0;
    long long id = 0;
  };
  // Where a page starts: the key at position offset - skip.
  struct start {
    key from;
    std::int64_t skip = 0;
  };

  // Call first in every read transaction that uses the cache: forgets everything unless the
  // database is in the state the cache describes.
  void observe(long long data_version, std::uint64_t own_commits) noexcept;

  // The total of `owner`'s notes cached for this state, if any.
  std::optional<std::int64_t> total(account_id owner) const;
  void remember_total(account_id owner, std::int64_t total);

  // The number of `owner`'s notes matching a (folded) search needle, cached for this state:
  // paging through one search's results counts its matches once. A few needles per owner.
  static constexpr std::size_t max_search_totals = 16;
  std::optional<std::int64_t> search_total(account_id owner, const std::string& needle) const;
  void remember_search_total(account_id owner, const std::string& needle, std::int64_t total);

  // Where the page of `owner`'s notes at `offset` starts, when the positions of `order` are
  // known or now worth learning (on `session`, inside the caller's read transaction), or the
  // offset is below stride (from before the first key); nothing means the deferred join.
  std::optional<start> page_start(account_id owner, list_order order, std::int64_t offset,
                                  soci::session& session);

 private:
  struct known {
    bool built = false;
    std::vector<key> keys;  // keys[i] is at position i * stride
  };
  struct owned {
    std::int64_t pages_served = 0;
    std::optional<std::int64_t> total;
    std::unordered_map<std::string, std::int64_t> search_totals;
    known newest;
    known pinned;
  };

  owned& of(account_id owner);
  static std::vector<key> walk(account_id owner, list_order order, soci::session& session);

  long long data_version_ = -1;
  std::uint64_t own_commits_ = 0;
  std::unordered_map<account_id, owned> owners_;
};

}  // namespace notes::storage::detail
