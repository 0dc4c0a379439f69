#pragma once
// The versioned schema: the ordered migrations and the code that applies them.
#include <soci/soci.h>

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "notes/storage/database.hpp"

namespace notes::storage::detail {

struct migration {
  std::int64_t version;
  std::string_view name;
  // One statement per entry (the drivers run one at a time), per dialect.
  std::span<const std::string_view> sqlite;
  std::span<const std::string_view> postgresql;
  // What SQL cannot do, run after the statements in the same transaction (on both dialects).
  void (*step)(soci::session&) = nullptr;
};

std::span<const migration> migrations() noexcept;

// The highest version recorded in schema_migrations, 0 when the table does not exist.
std::int64_t read_schema_version(soci::session& session, database_kind kind);

// Applies the pending migrations, those up to `up_to` (the tests make older databases with
// it); throws soci::soci_error on database failures and schema_too_new when the database is
// ahead of this binary.
std::vector<migration_info> apply_migrations(soci::session& session, database_kind kind,
                                             std::int64_t up_to = latest_schema_version());

// Success only for exactly latest_schema_version(); otherwise says whether to migrate or to
// upgrade the binary (storage_failure either way).
result<void> require_current_schema(std::int64_t found);

struct schema_too_new {
  std::int64_t found;
};

}  // namespace notes::storage::detail
