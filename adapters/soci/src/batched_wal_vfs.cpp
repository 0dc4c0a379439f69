#include "batched_wal_vfs.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>
#include <vector>

namespace notes::storage::detail {
namespace {

// The WAL's layout (https://sqlite.org/fileformat2.html#walformat, big-endian numbers).
constexpr int wal_header_bytes = 32;
constexpr int frame_header_bytes = 24;
// Gathered bytes are written once they reach this many (a commit of 127 pages of 4 KiB),
constexpr std::size_t gather_limit = 512 * 1024;
// in calls of at most this many: SQLite's unix VFS masks a write's length with 0x1ffff (and
// fails the rest as a full disk).
constexpr std::size_t largest_write = 0x1ffff;

std::atomic<std::int64_t> gathered_total{0};
std::atomic<std::int64_t> written_total{0};

std::uint32_t big_endian_32(const void* at) {
  const auto* b = static_cast<const unsigned char*>(at);
  return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) |
         std::uint32_t{b[3]};
}

sqlite3_vfs* base_of(sqlite3_vfs* vfs) { return static_cast<sqlite3_vfs*>(vfs->pAppData); }

// SQLite's memory for one open file (szOsFile bytes): this, then the base VFS's file at
// real_offset.
struct wal_file {
  sqlite3_file head;  // first, as SQLite reads it: pMethods
  std::vector<unsigned char> gathered;
  sqlite3_int64 gathered_at = 0;  // the file offset of gathered[0]
  std::uint32_t page_size = 0;    // from the WAL header; 0 until known
  // Where the last commit frame whose header was written ends: the write that ends there
  // completes a commit and writes everything gathered.
  sqlite3_int64 commit_ends = -1;

  sqlite3_file* real() noexcept;
  const sqlite3_io_methods& base() noexcept { return *real()->pMethods; }

  sqlite3_int64 gathered_end() const noexcept {
    return gathered_at + static_cast<sqlite3_int64>(gathered.size());
  }

  int flush() noexcept {
    int rc = SQLITE_OK;
    for (std::size_t at = 0; at < gathered.size() && rc == SQLITE_OK; at += largest_write) {
      const std::size_t size = std::min(largest_write, gathered.size() - at);
      rc = base().xWrite(real(), gathered.data() + at, static_cast<int>(size),
                         gathered_at + static_cast<sqlite3_int64>(at));
      written_total.fetch_add(1, std::memory_order_relaxed);
    }
    gathered.clear();
    return rc;
  }

  // The page size the WAL header gives; 0 when it cannot be read.
  std::uint32_t known_page_size() noexcept {
    if (page_size != 0) return page_size;
    unsigned char header[wal_header_bytes];
    if (flush() != SQLITE_OK) return 0;
    if (base().xRead(real(), header, wal_header_bytes, 0) != SQLITE_OK) return 0;
    page_size = big_endian_32(header + 8);
    return page_size;
  }

  // Whether a write of `amount` bytes at `offset` is the WAL header, a frame's header or a
  // frame's page; a frame's header that ends a commit sets commit_ends.
  bool in_layout(const unsigned char* data, int amount, sqlite3_int64 offset) noexcept {
    if (offset == 0 && amount == wal_header_bytes) {
      page_size = big_endian_32(data + 8);
      return page_size != 0;
    }
    if (offset < wal_header_bytes) return false;
    const std::uint32_t page = known_page_size();
    if (page == 0) return false;
    const sqlite3_int64 frame = frame_header_bytes + sqlite3_int64{page};
    const sqlite3_int64 within = (offset - wal_header_bytes) % frame;
    if (within == 0 && amount == frame_header_bytes) {
      // The database's size in pages after the commit, in a commit's last frame only.
      if (big_endian_32(data + 4) != 0) commit_ends = offset + frame;
      return true;
    }
    return within == frame_header_bytes && amount == static_cast<int>(page);
  }

  int write_through(const void* data, int amount, sqlite3_int64 offset) noexcept {
    if (const int rc = flush(); rc != SQLITE_OK) return rc;
    return base().xWrite(real(), data, amount, offset);
  }

  int write(const void* data, int amount, sqlite3_int64 offset) noexcept {
    const auto* bytes = static_cast<const unsigned char*>(data);
    if (!in_layout(bytes, amount, offset)) return write_through(data, amount, offset);
    if (!gathered.empty() && (offset != gathered_end() ||
                              gathered.size() + static_cast<std::size_t>(amount) > gather_limit)) {
      if (const int rc = flush(); rc != SQLITE_OK) return rc;
    }
    try {
      if (gathered.capacity() == 0) gathered.reserve(gather_limit);
      if (gathered.empty()) gathered_at = offset;
      gathered.insert(gathered.end(), bytes, bytes + amount);
    } catch (const std::bad_alloc&) {
      return write_through(data, amount, offset);
    }
    gathered_total.fetch_add(1, std::memory_order_relaxed);
    if (offset + amount == commit_ends) return flush();
    return SQLITE_OK;
  }
};

// Where the base VFS's file starts in SQLite's memory for a file.
constexpr std::size_t real_offset =
    (sizeof(wal_file) + alignof(std::max_align_t) - 1) / alignof(std::max_align_t) *
    alignof(std::max_align_t);

sqlite3_file* wal_file::real() noexcept {
  return reinterpret_cast<sqlite3_file*>(reinterpret_cast<unsigned char*>(this) + real_offset);
}

wal_file& self(sqlite3_file* file) { return *reinterpret_cast<wal_file*>(file); }

// The WAL's methods: every one but xWrite writes what is gathered first.
int wal_close(sqlite3_file* file) {
  wal_file& w = self(file);
  const int flushed = w.flush();
  const int closed = w.base().xClose(w.real());
  w.~wal_file();
  return flushed != SQLITE_OK ? flushed : closed;
}
int wal_read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  wal_file& w = self(file);
  if (!w.gathered.empty() && offset < w.gathered_end() && offset + amount > w.gathered_at) {
    if (const int rc = w.flush(); rc != SQLITE_OK) return rc;
  }
  return w.base().xRead(w.real(), out, amount, offset);
}
int wal_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  return self(file).write(data, amount, offset);
}
int wal_truncate(sqlite3_file* file, sqlite3_int64 size) {
  wal_file& w = self(file);
  if (const int rc = w.flush(); rc != SQLITE_OK) return rc;
  return w.base().xTruncate(w.real(), size);
}
int wal_sync(sqlite3_file* file, int flags) {
  wal_file& w = self(file);
  if (const int rc = w.flush(); rc != SQLITE_OK) return rc;
  return w.base().xSync(w.real(), flags);
}
int wal_file_size(sqlite3_file* file, sqlite3_int64* size) {
  wal_file& w = self(file);
  if (const int rc = w.flush(); rc != SQLITE_OK) return rc;
  return w.base().xFileSize(w.real(), size);
}
int wal_lock(sqlite3_file* file, int level) {
  wal_file& w = self(file);
  return w.base().xLock(w.real(), level);
}
int wal_unlock(sqlite3_file* file, int level) {
  wal_file& w = self(file);
  return w.base().xUnlock(w.real(), level);
}
int wal_check_reserved_lock(sqlite3_file* file, int* out) {
  wal_file& w = self(file);
  return w.base().xCheckReservedLock(w.real(), out);
}
int wal_file_control(sqlite3_file* file, int op, void* arg) {
  wal_file& w = self(file);
  if (const int rc = w.flush(); rc != SQLITE_OK) return rc;
  return w.base().xFileControl(w.real(), op, arg);
}
int wal_sector_size(sqlite3_file* file) {
  wal_file& w = self(file);
  return w.base().xSectorSize(w.real());
}
int wal_device_characteristics(sqlite3_file* file) {
  wal_file& w = self(file);
  return w.base().xDeviceCharacteristics(w.real());
}
// Shared memory belongs to the database file, not to its WAL: forwarded for completeness.
int wal_shm_map(sqlite3_file* file, int page, int size, int extend, void volatile** out) {
  wal_file& w = self(file);
  if (w.base().iVersion < 2) return SQLITE_IOERR;
  return w.base().xShmMap(w.real(), page, size, extend, out);
}
int wal_shm_lock(sqlite3_file* file, int offset, int n, int flags) {
  wal_file& w = self(file);
  if (w.base().iVersion < 2) return SQLITE_IOERR;
  return w.base().xShmLock(w.real(), offset, n, flags);
}
void wal_shm_barrier(sqlite3_file* file) {
  wal_file& w = self(file);
  if (w.base().iVersion >= 2) w.base().xShmBarrier(w.real());
}
int wal_shm_unmap(sqlite3_file* file, int remove) {
  wal_file& w = self(file);
  if (w.base().iVersion < 2) return SQLITE_OK;
  return w.base().xShmUnmap(w.real(), remove);
}
int wal_fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  wal_file& w = self(file);
  *out = nullptr;
  if (w.base().iVersion < 3) return SQLITE_OK;
  if (const int rc = w.flush(); rc != SQLITE_OK) return rc;
  return w.base().xFetch(w.real(), offset, amount, out);
}
int wal_unfetch(sqlite3_file* file, sqlite3_int64 offset, void* page) {
  wal_file& w = self(file);
  if (w.base().iVersion < 3) return SQLITE_OK;
  return w.base().xUnfetch(w.real(), offset, page);
}

const sqlite3_io_methods wal_methods = {
    3,           wal_close,        wal_read,        wal_write,
    wal_truncate, wal_sync,        wal_file_size,   wal_lock,
    wal_unlock,  wal_check_reserved_lock, wal_file_control, wal_sector_size,
    wal_device_characteristics, wal_shm_map, wal_shm_lock, wal_shm_barrier,
    wal_shm_unmap, wal_fetch,      wal_unfetch,
};

int open_file(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags,
              int* out_flags) {
  sqlite3_vfs* base = base_of(vfs);
  if ((flags & SQLITE_OPEN_WAL) == 0) return base->xOpen(base, name, file, flags, out_flags);
  auto* w = new (file) wal_file{};
  const int rc = base->xOpen(base, name, w->real(), flags, out_flags);
  if (w->real()->pMethods == nullptr) {
    // Nothing to close: SQLite will not call xClose on a file without methods.
    w->~wal_file();
    file->pMethods = nullptr;
    return rc;
  }
  w->head.pMethods = &wal_methods;
  return rc;
}

// The rest of the VFS is the base's.
int delete_file(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  return base_of(vfs)->xDelete(base_of(vfs), name, sync_dir);
}
int vfs_access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return base_of(vfs)->xAccess(base_of(vfs), name, flags, out);
}
int full_pathname(sqlite3_vfs* vfs, const char* name, int size, char* out) {
  return base_of(vfs)->xFullPathname(base_of(vfs), name, size, out);
}
void* dl_open(sqlite3_vfs* vfs, const char* name) {
  return base_of(vfs)->xDlOpen(base_of(vfs), name);
}
void dl_error(sqlite3_vfs* vfs, int size, char* out) {
  base_of(vfs)->xDlError(base_of(vfs), size, out);
}
void (*dl_sym(sqlite3_vfs* vfs, void* library, const char* symbol))() {
  return base_of(vfs)->xDlSym(base_of(vfs), library, symbol);
}
void dl_close(sqlite3_vfs* vfs, void* library) { base_of(vfs)->xDlClose(base_of(vfs), library); }
int randomness(sqlite3_vfs* vfs, int size, char* out) {
  return base_of(vfs)->xRandomness(base_of(vfs), size, out);
}
int vfs_sleep(sqlite3_vfs* vfs, int microseconds) {
  return base_of(vfs)->xSleep(base_of(vfs), microseconds);
}
int current_time(sqlite3_vfs* vfs, double* out) {
  return base_of(vfs)->xCurrentTime(base_of(vfs), out);
}
int last_error(sqlite3_vfs* vfs, int size, char* out) {
  return base_of(vfs)->xGetLastError(base_of(vfs), size, out);
}
int current_time_int64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  return base_of(vfs)->xCurrentTimeInt64(base_of(vfs), out);
}
int set_system_call(sqlite3_vfs* vfs, const char* name, sqlite3_syscall_ptr call) {
  return base_of(vfs)->xSetSystemCall(base_of(vfs), name, call);
}
sqlite3_syscall_ptr get_system_call(sqlite3_vfs* vfs, const char* name) {
  return base_of(vfs)->xGetSystemCall(base_of(vfs), name);
}
const char* next_system_call(sqlite3_vfs* vfs, const char* name) {
  return base_of(vfs)->xNextSystemCall(base_of(vfs), name);
}

struct registered {
  std::string name;
  sqlite3_vfs vfs{};
};

}  // namespace

std::string batched_wal_vfs(const std::string& base_name) {
  // Registered VFSs must outlive every connection, so they are never freed.
  static std::mutex mutex;
  static auto* by_base = new std::map<std::string, std::unique_ptr<registered>>();
  std::scoped_lock lock(mutex);
  if (auto found = by_base->find(base_name); found != by_base->end()) return found->second->name;
  sqlite3_vfs* base = sqlite3_vfs_find(base_name.empty() ? nullptr : base_name.c_str());
  if (base == nullptr) throw std::runtime_error("no SQLite VFS named '" + base_name + "'");
  auto made = std::make_unique<registered>();
  made->name = std::string("notes-batched-") + base->zName;
  sqlite3_vfs& vfs = made->vfs;
  vfs.iVersion = 3;
  vfs.szOsFile =
      static_cast<int>(real_offset) + std::max(base->szOsFile, 0);
  vfs.mxPathname = base->mxPathname;
  vfs.zName = made->name.c_str();
  vfs.pAppData = base;
  vfs.xOpen = open_file;
  vfs.xDelete = delete_file;
  vfs.xAccess = vfs_access;
  vfs.xFullPathname = full_pathname;
  vfs.xDlOpen = dl_open;
  vfs.xDlError = dl_error;
  vfs.xDlSym = dl_sym;
  vfs.xDlClose = dl_close;
  vfs.xRandomness = randomness;
  vfs.xSleep = vfs_sleep;
  vfs.xCurrentTime = current_time;
  vfs.xGetLastError = last_error;
  if (base->iVersion >= 2) vfs.xCurrentTimeInt64 = current_time_int64;
  if (base->iVersion >= 3) {
    vfs.xSetSystemCall = set_system_call;
    vfs.xGetSystemCall = get_system_call;
    vfs.xNextSystemCall = next_system_call;
  }
  if (const int rc = sqlite3_vfs_register(&vfs, 0); rc != SQLITE_OK) {
    throw std::runtime_error("cannot register the SQLite VFS '" + made->name +
                             "': " + sqlite3_errstr(rc));
  }
  std::string name = made->name;
  by_base->emplace(base_name, std::move(made));
  return name;
}

batched_wal_counts batched_wal_so_far() noexcept {
  return {.gathered = gathered_total.load(std::memory_order_relaxed),
          .written = written_total.load(std::memory_order_relaxed)};
}

}  // namespace notes::storage::detail
