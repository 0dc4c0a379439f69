#pragma once
// The backends every repository contract case runs against (repository_contract_tests.cpp,
// history_contract_tests.cpp).
#include <tuple>

#include "storage_test_support.hpp"

namespace notes::test {

// One line per backend: a new backend joins the contract here.
using repository_backends =
    std::tuple<memory_backend, sqlite_backend, sqlite_indexed_backend, sqlite_half_indexed_backend,
               postgres_backend>;

}  // namespace notes::test
