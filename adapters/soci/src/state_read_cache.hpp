#pragma once
// What SQLite reads learned about one state of the database, kept while it stays unchanged:
// where list pages start, the list and tag totals, the tags, and each search's matches in list
// order.
#include <soci/soci.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "notes/note_repository.hpp"
#include "notes/pagination.hpp"

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
// - The owner's total of notes, which every list page reports, the totals of the tags whose
//   pages were read, and their tags with their numbers of notes, which every HTML list page
//   shows.
// - Per search needle, the owner's matches: their total, and their ids newest first as far as
//   pages were asked for. The trigram index answers a needle with its matches in id order, so a
//   page newest first either walks notes_newest testing each note against all of them, or looks
//   up every match's order key and sorts. Either costs about as much as there are matches (at
//   1,000,000 notes, 10,000 matches: 5-20 ms); remembered, paging on costs the next stretch of
//   the walk at most, and a page already known only its rows.
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

  // The total of `owner`'s notes carrying `tag`, remembered for this state, if any; at most
  // max_tag_totals tags per owner, one more forgets the owner's others.
  static constexpr std::size_t max_tag_totals = 64;
  std::optional<std::int64_t> tag_total(account_id owner, const std::string& tag) const;
  void remember_tag_total(account_id owner, const std::string& tag, std::int64_t total);

  // The owner's tags with their numbers of notes, remembered for this state (null: not yet).
  const std::vector<tag_count>* tags(account_id owner) const;
  void remember_tags(account_id owner, std::vector<tag_count> tags);

  // Searches remembered per owner; one more forgets the owner's others.
  static constexpr std::size_t max_searches = 16;
  // `max_match_ids`: match ids remembered at one state, over every owner and needle (each
  // match is kept once or twice while its order is learned, see `matches`): a needle with more
  // matches keeps only its total; one whose matches do not fit beside the others forgets them.
  explicit state_read_cache(std::size_t max_match_ids) : max_match_ids_(max_match_ids) {}

  // A page of `owner`'s notes matching a needle: the total of matches, and the page's ids
  // newest first when the matches are remembered (`kept`: no more than max_match_ids).
  struct search_ids {
    std::int64_t total = 0;
    bool kept = false;
    std::vector<long long> ids;
  };
  // The page `page` of `owner`'s notes matching `needle` (folded; `phrase` is it as an FTS5
  // string), learned on `session` inside the caller's read transaction as far as the page
  // asks. For needles of three code points or more, which the trigram index serves.
  search_ids search_page(account_id owner, const std::string& needle, const std::string& phrase,
                         page_request page, soci::session& session);

  // Where the page of `owner`'s notes at `offset` starts, when the positions of `order` are
  // known or now worth learning (on `session`, inside the caller's read transaction), or the
  // offset is below stride (from before the first key); nothing means the deferred join.
  std::optional<start> page_start(account_id owner, list_order order, std::int64_t offset,
                                  soci::session& session);

  // Where the page of `owner`'s notes carrying `tag` (folded) at `offset` starts in `order`:
  // after the note whose key is `from` (that at position offset - skip - 1), skipping `skip`,
  // once the tag's positions in that order are known or now worth learning (on `session`, in
  // the caller's read transaction, `total` being the tag's); nothing means a numbered page. At
  // most max_tag_keys keys over every tag and order: a tag needing more is not learned, and
  // learning one that does not fit beside the others forgets them.
  static constexpr std::size_t max_tag_keys = std::size_t{1} << 16;
  std::optional<start> tag_page_start(account_id owner, const std::string& tag, list_order order,
                                      std::int64_t offset, std::int64_t total,
                                      soci::session& session);

 private:
  struct known {
    bool built = false;
    std::vector<key> keys;  // keys[i] is at position i * stride
  };
  // One needle's matches of one owner.
  struct matches {
    std::int64_t total = 0;
    bool ids_kept = false;            // false: too many, the total alone is known
    std::vector<long long> all;       // sorted, for the walk's test; empty once complete
    std::vector<long long> ordered;   // newest first: every match, or those walked past so far
    key walked_to;                    // the walk passed every note whose key is above this one
    bool complete = false;            // `ordered` holds every match
    std::size_t ids() const noexcept { return all.size() + ordered.size(); }
  };
  // One tag's positions in each order (list_order as index); keys[i] is at position
  // (i + 1) * stride - 1.
  struct tag_positions {
    std::int64_t pages_served = 0;
    std::array<known, 3> by_order;
  };
  struct owned {
    std::int64_t pages_served = 0;
    std::optional<std::int64_t> total;
    std::optional<std::vector<tag_count>> tags;
    std::unordered_map<std::string, std::int64_t> tag_totals;
    std::unordered_map<std::string, tag_positions> tag_pages;  // as many tags as tag_totals
    std::unordered_map<std::string, matches> searches;
    known newest;
    known pinned;
  };

  owned& of(account_id owner);
  static std::vector<key> walk(account_id owner, list_order order, soci::session& session);
  static std::vector<key> walk_tag(account_id owner, const std::string& tag, list_order order,
                                   soci::session& session);
  // What a needle's matches are, learned once per state.
  matches learn(account_id owner, const std::string& needle, const std::string& phrase,
                soci::session& session) const;
  // Makes room for `ids` more match ids among those remembered.
  void make_room(std::size_t ids);
  // Orders `m` until it holds `wanted` matches, or all of them.
  void order(matches& m, account_id owner, const std::string& needle,
             const std::string& phrase, std::int64_t wanted, soci::session& session) const;

  long long data_version_ = -1;
  std::uint64_t own_commits_ = 0;
  std::unordered_map<account_id, owned> owners_;
  std::size_t max_match_ids_;
  std::size_t match_ids_ = 0;  // over every owner's searches
  std::size_t tag_keys_ = 0;   // over every owner's tag_pages
};

}  // namespace notes::storage::detail
