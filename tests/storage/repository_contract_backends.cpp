// The repository contract (the kit in notes/testing/repository_contract.hpp, as
// a consumer runs it) against every backend of this project. One entry per
// backend: a new backend joins the contract here. Their names (memory, sqlite,
// ...) are in storage_test_support.hpp.
#include <notes/testing/repository_contract.hpp>

#include "storage_test_support.hpp"

NOTES_REPOSITORY_CONTRACT_FOR(notes::test::memory_backend, notes::test::sqlite_backend,
                              notes::test::sqlite_indexed_backend,
                              notes::test::sqlite_half_indexed_backend,
                              notes::test::postgres_backend);
