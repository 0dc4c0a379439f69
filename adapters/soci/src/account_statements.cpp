#include "account_statements.hpp"

#include <utility>

namespace notes::storage::detail {
namespace {

template <class Row, class... Parameters>
soci::statement prepare_into(soci::session& session, const std::string& sql, Row& row,
                             void (*exchange_columns)(soci::statement&, Row&),
                             Parameters&&... parameters) {
  soci::statement statement(session);
  exchange_columns(statement, row);
  (statement.exchange(std::forward<Parameters>(parameters)), ...);
  prepare_exchanged(statement, sql);
  return statement;
}

}  // namespace

account_statements::account_statements(soci::session& db, database_kind k,
                                       const transaction_sql& sql)
    : session(db),
      kind(k),
      transactions(db, k, sql),
      find_account(prepare_into(session, select_accounts() + " WHERE id = :id", account_buffer,
                                exchange_account_columns, soci::use(in.id, "id"))),
      find_account_by_name(prepare_into(session, select_accounts() + " WHERE name_key = :name_key",
                                        account_buffer, exchange_account_columns,
                                        soci::use(in.name_key, "name_key"))),
      find_token(prepare_into(session, select_tokens() + " WHERE secret_digest = :digest",
                              token_buffer, exchange_token_columns,
                              soci::use(in.digest, "digest"))),
      touch_token(prepare_statement(session,
                                    "UPDATE api_tokens SET last_used_at = :at WHERE id = :id",
                                    soci::use(in.at, "at"), soci::use(in.id, "id"))) {}

bool account_statements::fetch_one(soci::statement& statement) {
  statement_scope scope(statement, kind);
  return statement.execute(true);
}

long long account_statements::change(soci::statement& statement) {
  statement_scope scope(statement, kind);
  statement.execute(true);
  return statement.get_affected_rows();
}

std::optional<account> account_statements::find_account_by_id(long long id) {
  in.id = id;
  if (!fetch_one(find_account)) return std::nullopt;
  return account_buffer.to_account();
}

std::vector<account> account_statements::accounts(const std::string& sql) {
  account_row row;
  soci::statement every = prepare_into(session, sql, row, exchange_account_columns);
  statement_scope scope(every, kind);
  std::vector<account> out;
  every.execute();
  while (every.fetch()) out.push_back(row.to_account());
  return out;
}

std::vector<api_token> account_statements::tokens(const std::string& sql, long long owner) {
  token_row row;
  soci::statement every =
      prepare_into(session, sql, row, exchange_token_columns, soci::use(owner, "owner"));
  statement_scope scope(every, kind);
  std::vector<api_token> out;
  every.execute();
  while (every.fetch()) out.push_back(row.to_token());
  return out;
}

}  // namespace notes::storage::detail
