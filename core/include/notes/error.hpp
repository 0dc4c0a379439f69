#pragma once
// How the core reports failure: values, never exceptions (C++ Core Guidelines I.10, E.1).
#include <chrono>
#include <expected>
#include <optional>
#include <string>
#include <vector>

namespace notes {

// One code per distinct reaction a caller needs; front ends map each to one status.
enum class error_code {
  invalid_argument,  // the input breaks a rule; field_errors says which
  not_found,         // no note with that id
  conflict,          // the note changed since the caller read it (stale version)
  unavailable,       // storage is temporarily out of reach (locked, connection lost)
  storage_failure,   // storage fault that retrying will not fix (corrupt file, I/O error)
  storage_full,      // no room left for the write (disk full, a size limit); nothing was written
  read_only,         // storage refuses writes until an operator acts (read-only file or
                     // database, database file deleted or replaced); reads may still work
  unauthenticated,   // no valid credentials: a wrong password, an unknown or revoked token
  forbidden,         // valid credentials that do not allow this (a read-only token writing)
  rate_limited,      // too many attempts; retry_after says when to try again
};

std::string_view to_string(error_code code) noexcept;

struct field_error {
  std::string field;
  std::string message;
  friend bool operator==(const field_error&, const field_error&) = default;
};

struct error {
  error_code code;
  std::string message;
  std::vector<field_error> fields{};  // filled for invalid_argument from validation
  std::optional<std::chrono::seconds> retry_after{};  // set for rate_limited
};

template <class T>
using result = std::expected<T, error>;

inline std::unexpected<error> make_error(error_code code, std::string message) {
  return std::unexpected(error{code, std::move(message), {}, {}});
}

}  // namespace notes
