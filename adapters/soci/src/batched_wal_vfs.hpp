#pragma once
// A SQLite VFS that writes a commit's WAL frames with a call per 128 KiB instead of two per page.
#include <cstdint>
#include <string>

namespace notes::storage::detail {

// SQLite writes a WAL frame as two writes, its 24-byte header and then its page, each a pwrite:
// a commit of 80 pages is 160 system calls, which took a quarter of the write combiner's
// committer thread (the thread every handed-off write waits for) on the development machine.
//
// The VFS named by batched_wal_vfs(base) is `base` (SQLite's default when empty) except for
// the WAL files it opens: their writes that follow the WAL's own layout (the documented file
// format: a 32-byte header, then frames of a 24-byte header and a page, a commit's last frame
// carrying the database size) and follow one another are gathered in memory and written, one
// call per 128 KiB, when the commit's last frame is complete: before SQLite publishes the
// commit in the WAL index (which readers of every process go by). So when a commit returns, every byte of it
// has been written as before; what has not been written is only frames of a transaction still
// under way (spilled from the page cache), which no reader can see. Any other write, and every
// read, sync, truncation, size, file control or close of the WAL, first writes what is
// gathered, then does what it was asked, so nothing can read around the gathered bytes.
// Durability is the base VFS's: a write that fails fails the commit, as it would have.
//
// Registered with SQLite once per process and base, never as the default; connections name it
// (vfs= in a file: URI). Locks, shared memory and the database file itself are the base's.
// Throws std::runtime_error when SQLite knows no VFS named `base`.
std::string batched_wal_vfs(const std::string& base);

// Over every file of every batched VFS in this process: the writes gathered and the calls that
// wrote them (tests compare the two).
struct batched_wal_counts {
  std::int64_t gathered = 0;
  std::int64_t written = 0;
};
batched_wal_counts batched_wal_so_far() noexcept;

}  // namespace notes::storage::detail
