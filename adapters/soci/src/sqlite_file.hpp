#pragma once
// The SQLite database file as the operating system sees it: which file a path names, and whether
// this process may write it, both found out without SQLite opening anything.
#include <sys/types.h>

#include <optional>
#include <string>

#include "notes/error.hpp"

namespace notes::storage::detail {

// One file, whatever path names it.
struct file_identity {
  dev_t device = 0;
  ino_t inode = 0;
  friend bool operator==(const file_identity&, const file_identity&) = default;
};

// The file `path` names now; nothing when there is none (or it cannot be examined).
std::optional<file_identity> identify(const std::string& path);

// `path` made absolute against the working directory, for messages and for comparing paths.
std::string absolute_path(const std::string& path);

// Success while `path` still names `opened`, the file a connection of this process has open;
// otherwise read_only, saying whether the file was deleted or replaced. A write into such a file
// would be answered and then lost: nothing opens it again after a restart.
result<void> check_same_file(const std::string& path, file_identity opened);

// Whether this process (its effective user) may write the database at `path` and the -wal and
// -shm files beside it, or create those in its folder. SQLite itself would open an unwritable
// file read-only, answer every read, fail every write, and create -wal and -shm files with the
// database file's read-only mode, which keep failing writes after that mode is fixed; so this is
// asked before SQLite opens the file. `must_exist`: a missing file is an error (readiness), not
// one to create (migrate). read_only when writing is refused, storage_failure when the file is
// missing or its folder cannot be examined.
result<void> check_writable(const std::string& path, bool must_exist);

}  // namespace notes::storage::detail
