#pragma once
// A SQLite VFS that writes a commit's WAL frames with one call per 128 KiB instead of two per page.
#include <cstdint>
#include <string>

namespace notes::storage::detail {

// SQLite writes a WAL frame as two writes, its 24-byte header and then its page, each a pwrite:
// a commit of 80 pages is 160 system calls, a quarter of the write combiner's committer thread
// (the thread every handed-off write waits for) on the development machine.
//
// The VFS named by batched_wal_vfs(base) is `base` (SQLite's default when empty), with its
// database files and their WAL files wrapped in pairs. A WAL write is gathered in memory when it
// is a frame's header or page in the WAL's documented layout and appends: it follows the
// gathered bytes, or, with nothing gathered, starts at or past the end of everything this
// connection wrote since it took the WAL's write lock. Everything gathered is written (one call
// per 128 KiB):
// - when the page of a commit's last frame (the frame that carries the database's size) has
//   been gathered, so the commit's write returns its own error, and before SQLite publishes the
//   commit in the WAL index, which every reader, of any process, goes by; what SQLite writes
//   after that frame (padding frames, whose headers it may split in two, and rewritten
//   checksums) goes straight through, each write with its own error, until the write lock is
//   taken again;
// - before any other write, sync, truncation, size, file control or close of the WAL, and
//   before a read of what is gathered;
// - before any lock of the database file's shared memory is taken or released, and at every
//   memory barrier SQLite asks of it (it asks one between writing the two copies of the WAL
//   index's header that publish a commit).
// Releasing the WAL's write lock drops instead whatever is still gathered then: only frames of a
// transaction that did not commit (spilled from the page cache, then rolled back) or whose
// commit failed, which no reader can reach and which another writer may overwrite next.
// Rewrites of frames already written (their checksums after a spill, a page written again in
// the same transaction) never append, so they go straight through, in order.
// So a commit that returned is in the file as before (a process killed after it loses
// nothing), a write that fails fails its commit, and no byte is written after the write lock
// is released (in SQLite's exclusive locking mode, which takes no shared-memory locks, nothing
// is dropped: a rolled-back transaction's frames are written, harmlessly, while the file's
// exclusive lock is still held).
//
// Registered with SQLite once per process and base, never as the default; connections name it
// (vfs= in a file: URI). A WAL whose database file this VFS did not open, or whose base has no
// shared memory, is the base's, unchanged. Throws std::runtime_error when SQLite knows no VFS
// named `base`.
std::string batched_wal_vfs(const std::string& base);

// Over every file of every batched VFS in this process: the writes gathered, the calls that
// wrote them, and the writes dropped at a release of the write lock (tests compare them).
struct batched_wal_counts {
  std::int64_t gathered = 0;
  std::int64_t written = 0;
  std::int64_t dropped = 0;
};
batched_wal_counts batched_wal_so_far() noexcept;

}  // namespace notes::storage::detail
