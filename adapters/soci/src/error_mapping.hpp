#pragma once
// Turns what SOCI and the database drivers throw into the core's error values.
#include <exception>
#include <string_view>

#include "notes/error.hpp"
#include "notes/storage/database_config.hpp"

namespace notes::storage::detail {

// `doing` says what was attempted ("create note"); `connection_lost` is what the caller found
// out about the connection after the failure (PostgreSQL only).
error translate(const std::exception& failure, database_kind kind, bool connection_lost,
                std::string_view doing);

}  // namespace notes::storage::detail
