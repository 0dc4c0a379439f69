#include "dialect.hpp"

#include <stdexcept>

namespace notes::storage::detail {
namespace {

constexpr const dialect* dialects[] = {&sqlite_dialect, &postgresql_dialect};

}  // namespace

const dialect& dialect_for(database_kind kind) {
  for (const dialect* d : dialects) {
    if (d->kind == kind) return *d;
  }
  throw std::logic_error("no SQL dialect is registered for this database kind");
}

}  // namespace notes::storage::detail
