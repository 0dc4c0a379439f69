#include "error_mapping.hpp"

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <string>

#include "postgresql_backend.hpp"

namespace notes::storage::detail {
namespace {

// Primary SQLite result codes (sqlite3.h); extended codes carry them in the low byte.
constexpr int sqlite_busy = 5;
constexpr int sqlite_locked = 6;
constexpr int sqlite_readonly = 8;
constexpr int sqlite_full = 13;
constexpr int sqlite_constraint = 19;

error_code sqlite_code(int result) {
  switch (result & 0xff) {
    case sqlite_busy:
    case sqlite_locked:
      return error_code::unavailable;
    case sqlite_constraint:
      return error_code::conflict;
    case sqlite_full:
      return error_code::storage_full;
    case sqlite_readonly:
      return error_code::read_only;
    default:
      // SQLITE_CORRUPT, SQLITE_NOTADB, SQLITE_CANTOPEN, SQLITE_IOERR, SQLITE_PERM, ...:
      // retrying will not help.
      return error_code::storage_failure;
  }
}

error_code postgresql_code(const std::string& sqlstate) {
  if (sqlstate.starts_with("08")) return error_code::unavailable;  // connection exception
  if (sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03") {
    return error_code::unavailable;  // server shutting down, restarting, or starting up
  }
  if (sqlstate == "53300") return error_code::unavailable;  // too many connections
  if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "55P03") {
    return error_code::unavailable;  // serialization failure, deadlock, lock not available
  }
  if (sqlstate.starts_with("23")) return error_code::conflict;  // integrity constraint
  if (sqlstate == "53100") return error_code::storage_full;     // disk full
  // A read-only transaction: a standby after a failover, or default_transaction_read_only.
  if (sqlstate == "25006") return error_code::read_only;
  return error_code::storage_failure;
}

// SQLite's own words for the errors whose code SOCI does not always pass on.
error_code sqlite_code_from_text(const std::string& text) {
  if (text.find("database is locked") != std::string::npos ||
      text.find("database table is locked") != std::string::npos ||
      text.find("database is busy") != std::string::npos) {
    return error_code::unavailable;
  }
  if (text.find("database or disk is full") != std::string::npos) return error_code::storage_full;
  if (text.find("attempt to write a readonly database") != std::string::npos) {
    return error_code::read_only;
  }
  return error_code::storage_failure;
}

// The driver's message on one line, without SOCI's "backend::function: " prefix.
std::string reason(const std::exception& failure) {
  const auto* soci_failure = dynamic_cast<const soci::soci_error*>(&failure);
  std::string raw = soci_failure != nullptr ? soci_failure->get_error_message() : failure.what();
  if (const auto colon = raw.find(": "); colon != std::string::npos &&
                                         raw.substr(0, colon).find("::") != std::string::npos &&
                                         raw.substr(0, colon).find(' ') == std::string::npos) {
    raw.erase(0, colon + 2);
  }
  std::string text;
  for (char c : raw) {
    const bool space = c == '\n' || c == '\t' || c == '\r' || c == ' ';
    if (space && (text.empty() || text.back() == ' ')) continue;
    text += space ? ' ' : c;
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

}  // namespace

error translate(const std::exception& failure, database_kind kind, bool connection_lost,
                std::string_view doing) {
  const std::string text = reason(failure);
  error_code code = error_code::storage_failure;
  if (kind == database_kind::sqlite) {
    if (const auto* e = dynamic_cast<const soci::sqlite3_soci_error*>(&failure)) {
      code = sqlite_code(e->result());
      // SOCI reports some statement failures with a generic code; SQLite's text is precise.
      if (code == error_code::storage_failure) code = sqlite_code_from_text(text);
    } else {
      code = sqlite_code_from_text(text);
    }
  } else if (connection_lost) {
    code = error_code::unavailable;
  } else if (const auto sqlstate = postgresql_sqlstate(failure)) {
    code = postgresql_code(*sqlstate);
  } else if (dynamic_cast<const soci::soci_error*>(&failure) != nullptr &&
             text.find("connect") != std::string::npos) {
    code = error_code::unavailable;  // no connection could be established at all
  }
  return error{code, std::string(doing) + " failed: " + text, {}};
}

}  // namespace notes::storage::detail
