#pragma once
// Behaviour under concurrency, shared by the SQLite and PostgreSQL tests: one repository per
// thread, as a server runs them.
#include "storage_test_support.hpp"

namespace notes::test {

// Several threads each create, update, list and search their own notes; nothing fails and
// everything is there afterwards.
void check_parallel_writers(const storage::database_config& config);

// Several threads increment one note through read-modify-write with expected versions,
// retrying on conflict: the final version counts every increment, none lost.
void check_no_lost_updates(const storage::database_config& config);

// Two threads race to restore and to purge the same trashed note, round after round: exactly
// one wins each time and the other is told not_found, never a storage error.
void check_restore_purge_race(const storage::database_config& config);

// Several threads create notes whose tags overlap in different orders, trash and restore some
// and retag others, all at once: nothing fails (no deadlock between the writers' totals), and
// afterwards the list's, every tag's and the tag list's totals are those of the notes stored.
void check_totals_under_concurrent_writes(const storage::database_config& config);

}  // namespace notes::test
