#include "account_rows.hpp"

#include "notes/account_repository.hpp"
#include "time_column.hpp"

namespace notes::storage::detail {

void account_row::set(const account& a) {
  id = a.id;
  name = a.name;
  name_key = fold_account_name(a.name);
  password_hash = a.password_hash;
  is_admin = a.is_admin ? 1 : 0;
  session_generation = a.session_generation;
  created_at = to_microseconds(a.created_at);
}

account account_row::to_account() const {
  account a;
  a.id = id;
  a.name = name;
  a.password_hash = password_hash;
  a.is_admin = is_admin != 0;
  a.session_generation = session_generation;
  a.created_at = from_microseconds(created_at);
  return a;
}

void token_row::set(const api_token& t) {
  id = t.id;
  owner = t.owner;
  name = t.name;
  scope = t.scope == token_scope::read_write ? "read_write" : "read";
  secret_digest = t.secret_digest;
  created_at = to_microseconds(t.created_at);
  last_used_at = t.last_used_at ? to_microseconds(*t.last_used_at) : 0;
  last_used_state = t.last_used_at ? soci::i_ok : soci::i_null;
}

api_token token_row::to_token() const {
  api_token t;
  t.id = id;
  t.owner = owner;
  t.name = name;
  // The column admits only these two; anything else would get the lesser right.
  t.scope = scope == "read_write" ? token_scope::read_write : token_scope::read;
  t.secret_digest = secret_digest;
  t.created_at = from_microseconds(created_at);
  if (last_used_state == soci::i_ok) t.last_used_at = from_microseconds(last_used_at);
  return t;
}

std::string select_accounts() {
  return "SELECT id, name, password_hash, is_admin, session_generation, created_at"
         " FROM accounts";
}

std::string select_tokens() {
  return "SELECT id, account_id, name, scope, secret_digest, created_at, last_used_at"
         " FROM api_tokens";
}

void exchange_account_columns(soci::statement& statement, account_row& row) {
  statement.exchange(soci::into(row.id));
  statement.exchange(soci::into(row.name));
  statement.exchange(soci::into(row.password_hash));
  statement.exchange(soci::into(row.is_admin));
  statement.exchange(soci::into(row.session_generation));
  statement.exchange(soci::into(row.created_at));
}

void exchange_token_columns(soci::statement& statement, token_row& row) {
  statement.exchange(soci::into(row.id));
  statement.exchange(soci::into(row.owner));
  statement.exchange(soci::into(row.name));
  statement.exchange(soci::into(row.scope));
  statement.exchange(soci::into(row.secret_digest));
  statement.exchange(soci::into(row.created_at));
  statement.exchange(soci::into(row.last_used_at, row.last_used_state));
}

}  // namespace notes::storage::detail
