#pragma once
// The account repository's statements on one connection. Those on a request's path are prepared
// once per connection: find_account (a request with a session) and find_token (a request with a
// bearer token), with find_account_by_name and touch_token beside them; the rest are parsed
// when they run. SQLite and PostgreSQL run the same SQL here. SOCI binds the members below by
// address, so an instance never moves.
#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "account_rows.hpp"
#include "connection.hpp"
#include "notes/storage/database_config.hpp"

namespace notes::storage::detail {

// What the statements look for, as opposed to a row's own columns.
struct account_keys {
  long long id = 0;
  std::string name_key;
  std::string digest;
  long long at = 0;
};

struct account_statements {
  account_statements(soci::session& session, database_kind kind, const transaction_sql& sql);
  account_statements(const account_statements&) = delete;
  account_statements& operator=(const account_statements&) = delete;

  // Runs a prepared statement to its single row (into its buffers); false when there was none.
  bool fetch_one(soci::statement& statement);
  // Runs a prepared statement that returns no rows; how many rows it changed.
  long long change(soci::statement& statement);

  std::optional<account> find_account_by_id(long long id);
  // Every account whose row `sql` (select_accounts() and the rest) selects, in its order.
  std::vector<account> accounts(const std::string& sql);
  std::vector<api_token> tokens(const std::string& sql, long long owner);

  soci::session& session;
  database_kind kind;
  transaction_statements transactions;
  account_row account_buffer;
  token_row token_buffer;
  account_keys in;

  soci::statement find_account;          // in.id, into account_buffer
  soci::statement find_account_by_name;  // in.name_key, into account_buffer
  soci::statement find_token;            // in.digest, into token_buffer
  soci::statement touch_token;           // last_used_at = in.at, by in.id
};

}  // namespace notes::storage::detail
