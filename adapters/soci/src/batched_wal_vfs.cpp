#include "batched_wal_vfs.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>
#include <unordered_map>
#include <vector>

namespace notes::storage::detail {
namespace {

// The WAL's layout (https://sqlite.org/fileformat2.html#walformat, big-endian numbers).
constexpr int wal_header_bytes = 32;
constexpr int frame_header_bytes = 24;
// The shared-memory lock that SQLite's WAL takes to write (https://sqlite.org/walformat.html:
// the first of the wal-index's locks, WAL_WRITE_LOCK).
constexpr int wal_write_lock = 0;
// Gathered bytes are written once they reach this many (a commit of 127 pages of 4 KiB),
constexpr std::size_t gather_limit = 512 * 1024;
// in calls of at most this many: SQLite's unix VFS masks a write's length with 0x1ffff (and
// fails the rest as a full disk).
constexpr std::size_t largest_write = 0x1ffff;

std::atomic<std::int64_t> gathered_total{0};
std::atomic<std::int64_t> written_total{0};
std::atomic<std::int64_t> dropped_total{0};

std::uint32_t big_endian_32(const void* at) {
  const auto* b = static_cast<const unsigned char*>(at);
  return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) |
         std::uint32_t{b[3]};
}

sqlite3_vfs* base_of(sqlite3_vfs* vfs) { return static_cast<sqlite3_vfs*>(vfs->pAppData); }

struct wal_file;

// SQLite's memory for one open file (szOsFile bytes) holds one of these two, then the base
// VFS's own file at real_offset.
struct database_file {
  sqlite3_file head;  // first, as SQLite reads it: pMethods
  const char* name = nullptr;  // as SQLite opened it: the key of open_databases()
  wal_file* wal = nullptr;     // its WAL, while open through this VFS

  sqlite3_file* real() noexcept;
  const sqlite3_io_methods& base() noexcept { return *real()->pMethods; }
};

struct wal_file {
  sqlite3_file head;
  database_file* database = nullptr;
  std::vector<unsigned char> gathered;
  sqlite3_int64 gathered_at = 0;  // the file offset of gathered[0]
  // The end of everything written or gathered since this connection took the write lock: a
  // write from here on appends.
  sqlite3_int64 appended_end = 0;
  std::uint32_t page_size = 0;  // from the WAL header; 0 until known
  // Where the last commit frame whose header was written ends: the write that ends there
  // completes a commit and writes everything gathered.
  sqlite3_int64 commit_ends = -1;

  sqlite3_file* real() noexcept;
  const sqlite3_io_methods& base() noexcept { return *real()->pMethods; }

  sqlite3_int64 gathered_end() const noexcept {
    return gathered_at + static_cast<sqlite3_int64>(gathered.size());
  }

  // Writes what is gathered; on an error, what was not written stays gathered.
  int flush() noexcept {
    std::size_t done = 0;
    int rc = SQLITE_OK;
    while (done < gathered.size()) {
      const std::size_t size = std::min(largest_write, gathered.size() - done);
      rc = base().xWrite(real(), gathered.data() + done, static_cast<int>(size),
                         gathered_at + static_cast<sqlite3_int64>(done));
      written_total.fetch_add(1, std::memory_order_relaxed);
      if (rc != SQLITE_OK) break;
      done += size;
    }
    gathered.erase(gathered.begin(), gathered.begin() + static_cast<std::ptrdiff_t>(done));
    gathered_at += static_cast<sqlite3_int64>(done);
    return rc;
  }

  void drop() noexcept {
    if (gathered.empty()) return;
    dropped_total.fetch_add(1, std::memory_order_relaxed);
    gathered.clear();
    commit_ends = -1;
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

  int write(const void* data, int amount, sqlite3_int64 offset) noexcept {
    const auto* bytes = static_cast<const unsigned char*>(data);
    const bool layout = in_layout(bytes, amount, offset);
    if (!gathered.empty() &&
        (!layout || offset != gathered_end() ||
         gathered.size() + static_cast<std::size_t>(amount) > gather_limit)) {
      if (const int rc = flush(); rc != SQLITE_OK) return rc;
    }
    // With something gathered, appended_end is where it ends; a write before that rewrites.
    bool gather = layout && offset >= appended_end;
    if (gather) {
      try {
        if (gathered.capacity() == 0) gathered.reserve(gather_limit);
        if (gathered.empty()) gathered_at = offset;
        gathered.insert(gathered.end(), bytes, bytes + amount);
        gathered_total.fetch_add(1, std::memory_order_relaxed);
      } catch (const std::bad_alloc&) {
        gather = false;
      }
    }
    if (!gather) {
      if (const int rc = flush(); rc != SQLITE_OK) return rc;
      if (const int rc = base().xWrite(real(), data, amount, offset); rc != SQLITE_OK) return rc;
    }
    const sqlite3_int64 end = offset + amount;
    appended_end = std::max(appended_end, end);
    if (end == commit_ends) {
      // What SQLite writes after a commit's last frame (frames that pad it to a sector, whose
      // headers it may split in two; checksums it rewrites) goes straight through, each write
      // with its own error, until the write lock is taken again.
      commit_ends = -1;
      appended_end = std::numeric_limits<sqlite3_int64>::max();
      return flush();
    }
    return SQLITE_OK;
  }
};

// Where the base VFS's file starts in SQLite's memory for a file.
constexpr std::size_t real_offset =
    (std::max(sizeof(database_file), sizeof(wal_file)) + alignof(std::max_align_t) - 1) /
    alignof(std::max_align_t) * alignof(std::max_align_t);

sqlite3_file* database_file::real() noexcept {
  return reinterpret_cast<sqlite3_file*>(reinterpret_cast<unsigned char*>(this) + real_offset);
}
sqlite3_file* wal_file::real() noexcept {
  return reinterpret_cast<sqlite3_file*>(reinterpret_cast<unsigned char*>(this) + real_offset);
}

// The database files open through these VFSs, by the name SQLite opened each with: SQLite opens
// a WAL with a name from which sqlite3_filename_database() gives back that same pointer, which
// pairs a WAL with its connection's database file.
std::mutex& open_databases_mutex() {
  static std::mutex mutex;
  return mutex;
}
std::unordered_map<const char*, database_file*>& open_databases() {
  static auto* files = new std::unordered_map<const char*, database_file*>();
  return *files;
}

database_file& database_of(sqlite3_file* file) { return *reinterpret_cast<database_file*>(file); }
wal_file& wal_of(sqlite3_file* file) { return *reinterpret_cast<wal_file*>(file); }

// The database file's methods: the base's, except that shared-memory locks and barriers first
// write the WAL's gathered bytes (or drop them, when the write lock is released).
int database_close(sqlite3_file* file) {
  database_file& d = database_of(file);
  if (d.wal != nullptr) d.wal->database = nullptr;
  {
    std::scoped_lock lock(open_databases_mutex());
    open_databases().erase(d.name);
  }
  const int rc = d.base().xClose(d.real());
  d.~database_file();
  return rc;
}
int database_read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  database_file& d = database_of(file);
  return d.base().xRead(d.real(), out, amount, offset);
}
int database_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  database_file& d = database_of(file);
  return d.base().xWrite(d.real(), data, amount, offset);
}
int database_truncate(sqlite3_file* file, sqlite3_int64 size) {
  database_file& d = database_of(file);
  return d.base().xTruncate(d.real(), size);
}
int database_sync(sqlite3_file* file, int flags) {
  database_file& d = database_of(file);
  return d.base().xSync(d.real(), flags);
}
int database_file_size(sqlite3_file* file, sqlite3_int64* size) {
  database_file& d = database_of(file);
  return d.base().xFileSize(d.real(), size);
}
int database_lock(sqlite3_file* file, int level) {
  database_file& d = database_of(file);
  return d.base().xLock(d.real(), level);
}
int database_unlock(sqlite3_file* file, int level) {
  database_file& d = database_of(file);
  return d.base().xUnlock(d.real(), level);
}
int database_check_reserved_lock(sqlite3_file* file, int* out) {
  database_file& d = database_of(file);
  return d.base().xCheckReservedLock(d.real(), out);
}
int database_file_control(sqlite3_file* file, int op, void* arg) {
  database_file& d = database_of(file);
  return d.base().xFileControl(d.real(), op, arg);
}
int database_sector_size(sqlite3_file* file) {
  database_file& d = database_of(file);
  return d.base().xSectorSize(d.real());
}
int database_device_characteristics(sqlite3_file* file) {
  database_file& d = database_of(file);
  return d.base().xDeviceCharacteristics(d.real());
}
int database_shm_map(sqlite3_file* file, int page, int size, int extend, void volatile** out) {
  database_file& d = database_of(file);
  return d.base().xShmMap(d.real(), page, size, extend, out);
}
int database_shm_lock(sqlite3_file* file, int offset, int n, int flags) {
  database_file& d = database_of(file);
  wal_file* wal = d.wal;
  const bool write_lock = offset <= wal_write_lock && wal_write_lock < offset + n;
  if (wal != nullptr) {
    if (write_lock && (flags & SQLITE_SHM_UNLOCK) != 0) {
      // What is still gathered can never be published, and once the lock is released another
      // writer may write where it would go.
      wal->drop();
    } else if (const int rc = wal->flush(); rc != SQLITE_OK && (flags & SQLITE_SHM_LOCK) != 0) {
      return rc;
    }
  }
  const int rc = d.base().xShmLock(d.real(), offset, n, flags);
  if (wal != nullptr && rc == SQLITE_OK && write_lock &&
      (flags & (SQLITE_SHM_LOCK | SQLITE_SHM_EXCLUSIVE)) == (SQLITE_SHM_LOCK | SQLITE_SHM_EXCLUSIVE)) {
    // Another writer may have written anywhere since: only what this one writes from now on
    // tells where it appends.
    wal->appended_end = 0;
    wal->commit_ends = -1;
  }
  return rc;
}
void database_shm_barrier(sqlite3_file* file) {
  database_file& d = database_of(file);
  // What failed to be written stays gathered for the next operation: SQLite publishes a commit
  // only after its last frame's write, which writes everything gathered, returned.
  if (d.wal != nullptr) (void)d.wal->flush();
  d.base().xShmBarrier(d.real());
}
int database_shm_unmap(sqlite3_file* file, int remove) {
  database_file& d = database_of(file);
  if (d.wal != nullptr) (void)d.wal->flush();
  return d.base().xShmUnmap(d.real(), remove);
}
int database_fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  database_file& d = database_of(file);
  return d.base().xFetch(d.real(), offset, amount, out);
}
int database_unfetch(sqlite3_file* file, sqlite3_int64 offset, void* page) {
  database_file& d = database_of(file);
  return d.base().xUnfetch(d.real(), offset, page);
}

// With the version of the base's methods: SQLite asks for shared memory and memory maps only
// of files whose methods' version has them.
template <int version>
constexpr sqlite3_io_methods database_methods = {
    version,
    database_close,
    database_read,
    database_write,
    database_truncate,
    database_sync,
    database_file_size,
    database_lock,
    database_unlock,
    database_check_reserved_lock,
    database_file_control,
    database_sector_size,
    database_device_characteristics,
    database_shm_map,
    database_shm_lock,
    database_shm_barrier,
    database_shm_unmap,
    database_fetch,
    database_unfetch,
};

// The WAL's methods: a write, sync, truncation, size, file control, fetch or close writes what
// is gathered first, and so does a read of what is gathered; locks and the rest are the base's.
int wal_close(sqlite3_file* file) {
  wal_file& w = wal_of(file);
  const int flushed = w.flush();
  if (w.database != nullptr) w.database->wal = nullptr;
  const int closed = w.base().xClose(w.real());
  w.~wal_file();
  return flushed != SQLITE_OK ? flushed : closed;
}
int wal_read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  wal_file& w = wal_of(file);
  if (!w.gathered.empty() && offset < w.gathered_end() && offset + amount > w.gathered_at) {
    if (const int rc = w.flush(); rc != SQLITE_OK) return rc;
  }
  return w.base().xRead(w.real(), out, amount, offset);
}
int wal_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  return wal_of(file).write(data, amount, offset);
}
int wal_truncate(sqlite3_file* file, sqlite3_int64 size) {
  wal_file& w = wal_of(file);
  if (const int rc = w.flush(); rc != SQLITE_OK) return rc;
  return w.base().xTruncate(w.real(), size);
}
int wal_sync(sqlite3_file* file, int flags) {
  wal_file& w = wal_of(file);
  if (const int rc = w.flush(); rc != SQLITE_OK) return rc;
  return w.base().xSync(w.real(), flags);
}
int wal_file_size(sqlite3_file* file, sqlite3_int64* size) {
  wal_file& w = wal_of(file);
  if (const int rc = w.flush(); rc != SQLITE_OK) return rc;
  return w.base().xFileSize(w.real(), size);
}
int wal_lock(sqlite3_file* file, int level) {
  wal_file& w = wal_of(file);
  return w.base().xLock(w.real(), level);
}
int wal_unlock(sqlite3_file* file, int level) {
  wal_file& w = wal_of(file);
  return w.base().xUnlock(w.real(), level);
}
int wal_check_reserved_lock(sqlite3_file* file, int* out) {
  wal_file& w = wal_of(file);
  return w.base().xCheckReservedLock(w.real(), out);
}
int wal_file_control(sqlite3_file* file, int op, void* arg) {
  wal_file& w = wal_of(file);
  if (const int rc = w.flush(); rc != SQLITE_OK) return rc;
  return w.base().xFileControl(w.real(), op, arg);
}
int wal_sector_size(sqlite3_file* file) {
  wal_file& w = wal_of(file);
  return w.base().xSectorSize(w.real());
}
int wal_device_characteristics(sqlite3_file* file) {
  wal_file& w = wal_of(file);
  return w.base().xDeviceCharacteristics(w.real());
}
// Shared memory belongs to the database file, not to its WAL: forwarded for completeness.
int wal_shm_map(sqlite3_file* file, int page, int size, int extend, void volatile** out) {
  wal_file& w = wal_of(file);
  return w.base().xShmMap(w.real(), page, size, extend, out);
}
int wal_shm_lock(sqlite3_file* file, int offset, int n, int flags) {
  wal_file& w = wal_of(file);
  return w.base().xShmLock(w.real(), offset, n, flags);
}
void wal_shm_barrier(sqlite3_file* file) {
  wal_file& w = wal_of(file);
  w.base().xShmBarrier(w.real());
}
int wal_shm_unmap(sqlite3_file* file, int remove) {
  wal_file& w = wal_of(file);
  return w.base().xShmUnmap(w.real(), remove);
}
int wal_fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  wal_file& w = wal_of(file);
  if (const int rc = w.flush(); rc != SQLITE_OK) return rc;
  return w.base().xFetch(w.real(), offset, amount, out);
}
int wal_unfetch(sqlite3_file* file, sqlite3_int64 offset, void* page) {
  wal_file& w = wal_of(file);
  return w.base().xUnfetch(w.real(), offset, page);
}

template <int version>
constexpr sqlite3_io_methods wal_methods = {
    version,
    wal_close,
    wal_read,
    wal_write,
    wal_truncate,
    wal_sync,
    wal_file_size,
    wal_lock,
    wal_unlock,
    wal_check_reserved_lock,
    wal_file_control,
    wal_sector_size,
    wal_device_characteristics,
    wal_shm_map,
    wal_shm_lock,
    wal_shm_barrier,
    wal_shm_unmap,
    wal_fetch,
    wal_unfetch,
};

const sqlite3_io_methods* database_methods_like(const sqlite3_file* real) {
  switch (real->pMethods->iVersion) {
    case 1: return &database_methods<1>;
    case 2: return &database_methods<2>;
    default: return &database_methods<3>;
  }
}
const sqlite3_io_methods* wal_methods_like(const sqlite3_file* real) {
  switch (real->pMethods->iVersion) {
    case 1: return &wal_methods<1>;
    case 2: return &wal_methods<2>;
    default: return &wal_methods<3>;
  }
}

int open_database(sqlite3_vfs* base, sqlite3_filename name, sqlite3_file* file, int flags,
                  int* out_flags) {
  auto* d = new (file) database_file{};
  const int rc = base->xOpen(base, name, d->real(), flags, out_flags);
  if (d->real()->pMethods == nullptr) {
    // Nothing to close: SQLite will not call xClose on a file without methods.
    d->~database_file();
    file->pMethods = nullptr;
    return rc;
  }
  d->head.pMethods = database_methods_like(d->real());
  // Without shared memory there is no write lock to drop gathered bytes at: the WAL is not paired.
  if (d->real()->pMethods->iVersion < 2 || name == nullptr) return rc;
  d->name = name;
  try {
    std::scoped_lock lock(open_databases_mutex());
    open_databases()[name] = d;
  } catch (const std::bad_alloc&) {
    d->name = nullptr;  // a WAL of this file will not be paired, so not batched
  }
  return rc;
}

int open_wal(sqlite3_vfs* base, sqlite3_filename name, sqlite3_file* file, int flags,
             int* out_flags) {
  database_file* database = nullptr;
  {
    std::scoped_lock lock(open_databases_mutex());
    const auto found = open_databases().find(sqlite3_filename_database(name));
    if (found != open_databases().end() && found->second->wal == nullptr) {
      database = found->second;
    }
  }
  auto* w = new (file) wal_file{};
  const int rc = base->xOpen(base, name, w->real(), flags, out_flags);
  if (w->real()->pMethods == nullptr) {
    w->~wal_file();
    file->pMethods = nullptr;
    return rc;
  }
  w->head.pMethods = wal_methods_like(w->real());
  if (database != nullptr) {
    w->database = database;
    database->wal = w;
  } else {
    // Unpaired, nothing is ever gathered: without the database file's locks and barriers, the
    // gathered bytes could outlive the write lock.
    w->appended_end = std::numeric_limits<sqlite3_int64>::max();
  }
  return rc;
}

int open_file(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags,
              int* out_flags) {
  sqlite3_vfs* base = base_of(vfs);
  if ((flags & SQLITE_OPEN_MAIN_DB) != 0) return open_database(base, name, file, flags, out_flags);
  if ((flags & SQLITE_OPEN_WAL) != 0) return open_wal(base, name, file, flags, out_flags);
  return base->xOpen(base, name, file, flags, out_flags);
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
  vfs.szOsFile = static_cast<int>(real_offset) + std::max(base->szOsFile, 0);
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
          .written = written_total.load(std::memory_order_relaxed),
          .dropped = dropped_total.load(std::memory_order_relaxed)};
}

}  // namespace notes::storage::detail
