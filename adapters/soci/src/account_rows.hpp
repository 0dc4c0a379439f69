#pragma once
// The mapping between accounts and tokens and the rows of `accounts` and `api_tokens`.
#include <soci/soci.h>

#include <string>

#include "notes/account.hpp"

namespace notes::storage::detail {

// An account's columns as the drivers deliver and take them. SOCI binds the members by address.
struct account_row {
  long long id = 0;
  std::string name;
  std::string name_key;  // fold_account_name(name): written, never read back
  std::string password_hash;
  int is_admin = 0;
  long long session_generation = 0;
  long long created_at = 0;  // microseconds since the Unix epoch, like the notes' times

  void set(const account& a);
  account to_account() const;
};

struct token_row {
  long long id = 0;
  long long owner = 0;
  std::string name;
  std::string scope;  // "read" or "read_write"
  std::string secret_digest;
  long long created_at = 0;
  long long last_used_at = 0;
  soci::indicator last_used_state = soci::i_null;

  void set(const api_token& t);
  api_token to_token() const;
};

// "SELECT <an account's columns> FROM accounts", for statements that fetch into an account_row
// bound by exchange_account_columns; the same for tokens.
std::string select_accounts();
std::string select_tokens();
void exchange_account_columns(soci::statement& statement, account_row& row);
void exchange_token_columns(soci::statement& statement, token_row& row);

}  // namespace notes::storage::detail
