#include "sqlite_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace notes::storage::detail {
namespace {

std::string in_quotes(const std::string& path) { return "'" + path + "'"; }

std::string describe(file_identity id) {
  return "device " + std::to_string(id.device) + " inode " + std::to_string(id.inode);
}

std::string this_user() { return "this process (user id " + std::to_string(::geteuid()) + ")"; }

// The effective user's access, as the kernel decides it: modes, a read-only mount, an immutable
// file. Returns the reason when refused.
std::optional<std::string> refused(const std::string& path, int mode) {
  if (::faccessat(AT_FDCWD, path.c_str(), mode, AT_EACCESS) == 0) return std::nullopt;
  return std::string(std::strerror(errno));
}

std::unexpected<error> not_writable(std::string what) {
  return make_error(error_code::read_only, std::move(what));
}

}  // namespace

std::optional<file_identity> identify(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return std::nullopt;
  return file_identity{info.st_dev, info.st_ino};
}

std::string absolute_path(const std::string& path) {
  std::error_code ec;
  auto absolute = std::filesystem::absolute(path, ec);
  return ec ? path : absolute.lexically_normal().string();
}

result<void> check_same_file(const std::string& path, file_identity opened) {
  const auto now = identify(path);
  if (now == opened) return {};
  const std::string pid = std::to_string(::getpid());
  if (!now) {
    return not_writable(
        "The SQLite database file " + in_quotes(path) +
        " was deleted or moved away while notes-server (pid " + pid +
        ") had it open: writes are refused, as they would be lost at the next start. "
        "Its notes are still in the open file: copy it and its -wal out of /proc/" + pid +
        "/fd before restarting (docs/storage.md, Faults).");
  }
  return not_writable("The SQLite database file " + in_quotes(path) +
                      " was replaced while notes-server (pid " + pid + ") had it open (" +
                      describe(opened) + "; the path now names " + describe(*now) +
                      "): writes are refused, as they would go to the replaced file. Restart "
                      "notes-server to use the file now at the path.");
}

result<void> check_writable(const std::string& path, bool must_exist) {
  const std::filesystem::path file = absolute_path(path);
  const std::string name = in_quotes(file.string());
  struct stat info {};
  const bool exists = ::stat(file.c_str(), &info) == 0;
  const int stat_error = exists ? 0 : errno;
  if (!exists && (stat_error != ENOENT || must_exist)) {
    return make_error(error_code::storage_failure,
                      "The SQLite database file " + name + " cannot be used: " +
                          (stat_error == ENOENT ? std::string("it does not exist.")
                                                : std::string(std::strerror(stat_error)) + "."));
  }
  if (exists) {
    if (auto why = refused(file.string(), R_OK | W_OK)) {
      return not_writable("The SQLite database file " + name + " is not writable by " +
                          this_user() + ": " + *why + ".");
    }
  }
  // SQLite creates what is missing of these beside the database, with the database's mode.
  std::string to_create = exists ? "" : file.filename().string();
  for (const char* suffix : {"-wal", "-shm"}) {
    const std::string companion = file.string() + suffix;
    if (::access(companion.c_str(), F_OK) != 0) {
      if (to_create.empty()) to_create = file.filename().string() + suffix;
      continue;
    }
    if (auto why = refused(companion, R_OK | W_OK)) {
      return not_writable(in_quotes(companion) + " is not writable by " + this_user() + ": " +
                          *why +
                          ". Another user or a read-only open left it behind; while nothing "
                          "uses the database, remove it or give it the database file's owner "
                          "and mode.");
    }
  }
  if (to_create.empty()) return {};
  const std::string folder = file.parent_path().string();
  if (::stat(folder.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    return make_error(error_code::storage_failure,
                      "The SQLite database file " + name + " cannot be created: its folder " +
                          in_quotes(folder) + " is missing or not a folder.");
  }
  if (auto why = refused(folder, W_OK | X_OK)) {
    return not_writable("The folder " + in_quotes(folder) + " of the SQLite database file " + name +
                        " is not writable by " + this_user() + ": " + *why +
                        "; SQLite needs to create " + in_quotes(to_create) + " there.");
  }
  return {};
}

}  // namespace notes::storage::detail
