// The SQLite file under an open repository: deleted, replaced, not writable by this process, or
// out of room. Writes are refused with a code that says which, readiness says so without
// creating anything, and nothing is acknowledged that a restart would not find.
#include <doctest/doctest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "sqlite_size_limit.hpp"
#include "storage_test_support.hpp"

using namespace notes;
using namespace notes::storage;
using notes::test::at;
using notes::test::make_note;
namespace fs = std::filesystem;

namespace {

template <class T>
void check_failure(const result<T>& r, error_code expected, std::string_view says) {
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == expected);
  CHECK_MESSAGE(r.error().message.find(says) != std::string::npos, r.error().message);
}

std::int64_t count_in(const database_config& config) {
  return test::open_or_fail(config)->count(no_account).value();
}

// The unprivileged user the tests act as when they run as root, whom file modes bind.
constexpr uid_t nobody = 65534;
constexpr gid_t nogroup = 65534;

void give_to_nobody(const fs::path& path) {
  if (::geteuid() == 0) REQUIRE(::chown(path.c_str(), nobody, nogroup) == 0);
}

// Acts as `nobody` while it lives when the tests run as root: root may write any file whatever
// its mode. Otherwise the modes bind the test's own user already.
class unprivileged {
 public:
  unprivileged() {
    if (!root_) return;
    REQUIRE(::setegid(nogroup) == 0);
    REQUIRE(::seteuid(nobody) == 0);
  }
  ~unprivileged() {
    if (!root_) return;
    static_cast<void>(::seteuid(0));
    static_cast<void>(::setegid(0));
  }
  unprivileged(const unprivileged&) = delete;
  unprivileged& operator=(const unprivileged&) = delete;

 private:
  bool root_ = ::geteuid() == 0;
};

// A migrated database in a folder of its own, both handed to the unprivileged user.
struct database_of_nobody {
  test::temp_directory dir;
  fs::path file = dir.path() / "notes.db";
  database_config config = test::sqlite_config(file);
  database_of_nobody() {
    REQUIRE(migrate(config).has_value());
    give_to_nobody(dir.path());
    give_to_nobody(file);
  }
};

fs::path with_suffix(const fs::path& file, const char* suffix) {
  return fs::path(file.string() + suffix);
}

}  // namespace

TEST_CASE("a database file deleted under an open repository: writes are refused, reads go on") {
  test::sqlite_database db;
  auto repo = test::open_or_fail(db.config);
  const note kept = repo->create(make_note("kept", "before", at(1))).value();
  const fs::path file = db.config.path;
  const fs::path moved = file.string() + ".moved";
  fs::rename(file, moved);

  check_failure(repo->create(make_note("lost", "after", at(2))), error_code::read_only,
                "was deleted");
  note changed = kept;
  changed.title = "changed";
  check_failure(repo->update(changed, 1, 0), error_code::read_only, "was deleted");
  check_failure(repo->remove(no_account, kept.id, std::nullopt), error_code::read_only,
                "was deleted");
  CHECK(repo->find(no_account, kept.id).value()->title == "kept");
  check_failure(check_ready(db.config), error_code::read_only, "was deleted");
  CHECK_FALSE(fs::exists(file));  // the readiness check created nothing there

  // Moved back, the path names the file again: writes are taken again.
  fs::rename(moved, file);
  CHECK(check_ready(db.config).has_value());
  CHECK(repo->create(make_note("after", "moved back", at(3))).has_value());
  repo.reset();
  CHECK(count_in(db.config) == 2);
}

TEST_CASE("a database file replaced under an open repository: writes are refused, the new file "
          "is left alone") {
  test::sqlite_database db;
  auto repo = test::open_or_fail(db.config);
  REQUIRE(repo->create(make_note("first", "in the backup", at(1))).has_value());
  const fs::path file = db.config.path;
  const fs::path backup = file.parent_path() / "backup.db";
  {
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &raw) == SQLITE_OK);
    const std::string vacuum = "VACUUM INTO '" + backup.string() + "'";
    CHECK(sqlite3_exec(raw, vacuum.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(raw);
  }
  REQUIRE(repo->create(make_note("second", "not in the backup", at(2))).has_value());
  fs::rename(backup, file);  // a restore while the server runs

  check_failure(repo->create(make_note("third", "refused", at(3))), error_code::read_only,
                "was replaced");
  check_failure(check_ready(db.config), error_code::read_only, "was replaced");
  CHECK(repo->count(no_account).value() == 2);  // still the file it opened
  // Closing the last connection of the replaced file removes its -wal and -shm, so the
  // restored file opens on its own.
  repo.reset();
  CHECK(check_ready(db.config).has_value());
  auto restored = test::open_or_fail(db.config);
  const auto notes = restored->all(std::nullopt).value();
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].title == "first");
}

TEST_CASE("a database file this process may not write is refused before SQLite opens it") {
  database_of_nobody db;
  fs::permissions(db.file, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  {
    unprivileged user;
    check_failure(migrate(db.config), error_code::read_only, "is not writable by this process");
    check_failure(check_ready(db.config), error_code::read_only, "is not writable");
  }
  // SQLite would have made them with the file's read-only mode, and they would outlast it.
  CHECK_FALSE(fs::exists(with_suffix(db.file, "-shm")));
  CHECK_FALSE(fs::exists(with_suffix(db.file, "-wal")));

  fs::permissions(db.file, fs::perms::owner_write, fs::perm_options::add);
  unprivileged user;
  CHECK(migrate(db.config).has_value());
  CHECK(check_ready(db.config).has_value());
}

TEST_CASE("a -shm file left behind unwritable is refused and named") {
  database_of_nobody db;
  const fs::path shm = with_suffix(db.file, "-shm");
  std::ofstream(shm).close();
  give_to_nobody(shm);
  fs::permissions(shm, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  unprivileged user;
  check_failure(migrate(db.config), error_code::read_only, "notes.db-shm' is not writable");
  check_failure(check_ready(db.config), error_code::read_only, "notes.db-shm' is not writable");
}

TEST_CASE("a folder where SQLite cannot create the -wal and -shm files is refused and named") {
  database_of_nobody db;
  fs::permissions(db.dir.path(), fs::perms::owner_read | fs::perms::owner_exec);
  {
    unprivileged user;
    check_failure(migrate(db.config), error_code::read_only, "needs to create 'notes.db-wal'");
    check_failure(check_ready(db.config), error_code::read_only, "is not writable");
  }
  fs::permissions(db.dir.path(), fs::perms::owner_all);
}

TEST_CASE("readiness never creates a database file") {
  test::temp_directory dir;
  const auto config = test::sqlite_config(dir.path() / "absent.db");
  check_failure(check_ready(config), error_code::storage_failure, "does not exist");
  CHECK_FALSE(fs::exists(dir.path() / "absent.db"));
}

TEST_CASE("a database with no room left answers storage_full and keeps what it had") {
  test::sqlite_database db;
  std::unique_ptr<soci_note_repository> repo;
  {
    notes::testing::sqlite_size_limit limit;
    repo = test::open_or_fail(db.config);
  }
  const note small = repo->create(make_note("small", "fits", at(1))).value();
  const auto big = repo->create(make_note("big", std::string(300'000, 'b'), at(2)));
  note grown = small;
  grown.content = std::string(300'000, 'g');
  const auto updated = repo->update(grown, 1, 0);

  check_failure(big, error_code::storage_full, "full");
  check_failure(updated, error_code::storage_full, "full");
  CHECK(repo->count(no_account).value() == 1);
  CHECK(repo->find(no_account, small.id).value().value() == small);
  CHECK(repo->search(no_account, "bbbb", {1, 10}).value().total == 0);
  CHECK(repo->create(make_note("another", "small one", at(3))).has_value());
}
