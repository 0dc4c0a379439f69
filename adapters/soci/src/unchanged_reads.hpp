#pragma once
// Reads answered from memory while a SQLite file has not changed since they were read, and how
// a connection tells that it has not: the header of the file's WAL index.
#include <soci/soci.h>

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "notes/note.hpp"
#include "notes/note_repository.hpp"

namespace notes::storage::detail {

// The header of a WAL-mode file's WAL index (the `-shm` file, https://sqlite.org/walformat.html),
// which SQLite rewrites at every commit, by any connection of any process: its change counter
// grows by one. Equal headers mean that nothing committed between the two looks. Read from the
// shared memory SQLite itself maps for the file, as SQLite reads it (two copies that must agree),
// without a lock or a system call; a read transaction costs both (`fcntl` twice, about half of
// looking up a note by id).
using wal_stamp = std::array<std::uint32_t, 12>;

// A connection's view of its file's WAL index. The connection must stay open while the view is
// used, and be used by one thread at a time (the view maps through it the first time, which
// takes SQLite's shared-memory mutex and an fstat; after that, reads are plain memory loads).
class wal_index_view {
 public:
  // Nothing unless the connection uses the default VFS: the only one this was measured and
  // tested with (the adapter never sets exclusive locking, which keeps the index elsewhere).
  static std::optional<wal_index_view> of(soci::session& session, bool default_vfs);

  // The header now; nothing while it is being rewritten, before the index was built, or when
  // its format is not the one described above.
  std::optional<wal_stamp> now();

 private:
  explicit wal_index_view(soci::session& session) : session_(&session) {}
  soci::session* session_;
  const volatile std::uint32_t* header_ = nullptr;  // mapped on first use
};

// What reads of one SQLite file found, for one state of the file (one wal_stamp), shared by
// the connections of this process to it: notes by id, pages of lists, tag lists and searches
// (as the ids of their notes, which are kept once), and owners' tags with their numbers of
// notes. Keeping something found at another state forgets everything of the one kept so far
// (the callers keep only what they read at one state from start to end, see
// soci_note_repository::impl::kept_or_read). The notes take at most `max_bytes` (their text and
// copies, roughly): once full, what else is read at that state is not kept (making room would
// cost more than it saves when reads range over more than fits: measured, a list of random pages
// got slower than with nothing kept), and a page is kept only with all its notes. At most
// max_pages pages and max_owners owners' tags; one more forgets the others.
class unchanged_reads {
 public:
  static constexpr std::size_t max_pages = 4096;
  static constexpr std::size_t max_owners = 64;
  // The bound of the notes kept per database and process: about 4,500 notes of 230 bytes. 256
  // connections on random pages of the HTML list of 10,000 notes then peak at 30.9 MiB (3 MiB:
  // 31.6-32.0; 4 MiB: 31.8-32.0; 8 MiB: 33.8), under the 32 MiB the benchmark allows with room
  // for the machine's day.
  static constexpr std::size_t kept_bytes = std::size_t{2} << 20U;

  explicit unchanged_reads(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  // Which page: of a list order, a tag's list (`text` the folded tag), or a search (`text` the
  // folded needle).
  struct page_key {
    enum class kind : std::uint8_t { list, tag, search };
    account_id owner = no_account;
    kind of = kind::list;
    list_order order = list_order::newest_first;
    std::string text;
    std::int64_t page = 1;
    std::int64_t per_page = 0;
    friend bool operator==(const page_key&, const page_key&) = default;
  };

  std::optional<note> find(const wal_stamp& at, account_id owner, note_id id);
  void keep(const wal_stamp& at, const note& found);
  std::optional<note_page> page(const wal_stamp& at, const page_key& key);
  void keep(const wal_stamp& at, const page_key& key, const note_page& found);
  std::optional<std::vector<tag_count>> tags(const wal_stamp& at, account_id owner);
  void keep(const wal_stamp& at, account_id owner, const std::vector<tag_count>& found);

  // Reads answered from here so far.
  std::int64_t served() const noexcept { return served_.load(std::memory_order_relaxed); }
  // What the kept notes take now (for tests).
  std::size_t bytes() noexcept;

 private:
  struct page_hash {
    std::size_t operator()(const page_key& k) const noexcept;
  };
  struct note_key {
    account_id owner;
    note_id id;
    friend bool operator==(const note_key&, const note_key&) = default;
  };
  struct note_hash {
    std::size_t operator()(const note_key& k) const noexcept;
  };
  struct kept_page {
    std::vector<note_id> ids;
    std::int64_t total = 0;
  };

  // Under mutex_: whether what is kept is of `at`.
  bool holds(const wal_stamp& at) const noexcept { return kept_ && at == at_; }
  // Under mutex_: makes what is kept that of `at`, forgetting everything of another state.
  void hold(const wal_stamp& at);
  // Under mutex_: keeps `found` unless it is; false when it does not fit.
  bool keep_note(const note& found);

  std::mutex mutex_;
  bool kept_ = false;
  wal_stamp at_{};
  std::size_t bytes_ = 0;
  const std::size_t max_bytes_;
  std::unordered_map<note_key, note, note_hash> notes_;
  std::unordered_map<page_key, kept_page, page_hash> pages_;
  std::unordered_map<account_id, std::vector<tag_count>> tags_;
  std::atomic<std::int64_t> served_{0};
};

}  // namespace notes::storage::detail
