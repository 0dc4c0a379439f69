#include "notes/storage/soci_account_repository.hpp"

#include <optional>
#include <string>

#include "account_repository_state.hpp"
#include "time_column.hpp"

namespace notes::storage {
namespace {

using detail::account_statements;

std::unexpected<error> account_not_found(account_id id) {
  return make_error(error_code::not_found, "Account " + std::to_string(id) + " not found.");
}

std::unexpected<error> token_not_found(token_id id) {
  return make_error(error_code::not_found, "Token " + std::to_string(id) + " not found.");
}

// A constraint the database enforced. Its own words may quote the row (PostgreSQL's DETAIL
// does: a digest, a password hash), so the caller's replace them.
std::unexpected<error> in_own_words(error failure, std::string conflict_message) {
  if (failure.code == error_code::conflict) failure.message = std::move(conflict_message);
  return std::unexpected(std::move(failure));
}

// How many failed sign-ins at or after `since` match `where` (":value" is `value`), and the
// oldest of them.
void count_failures(soci::session& session, const std::string& where, const std::string& value,
                    timestamp since, std::int64_t& count, std::optional<timestamp>& oldest) {
  long long found = 0;
  long long first = 0;
  soci::indicator first_state = soci::i_null;
  long long from = detail::to_microseconds(since);
  session << "SELECT COUNT(*), MIN(at) FROM failed_sign_ins WHERE " + where + " AND at >= :since",
      soci::into(found), soci::into(first, first_state), soci::use(value, "value"),
      soci::use(from, "since");
  count = found;
  oldest.reset();
  if (found > 0 && first_state == soci::i_ok) oldest = detail::from_microseconds(first);
}

}  // namespace

soci_account_repository::soci_account_repository(std::unique_ptr<impl> state)
    : impl_(std::move(state)) {}
soci_account_repository::~soci_account_repository() = default;

database_kind soci_account_repository::kind() const noexcept { return impl_->config.kind; }

result<account> soci_account_repository::create_account(const account& fresh) {
  account stored = fresh;
  auto written = impl_->write("create account", [&](account_statements& s) -> result<void> {
    detail::account_row row;
    row.set(fresh);
    s.session << "INSERT INTO accounts"
                 " (name, name_key, password_hash, is_admin, session_generation, created_at)"
                 " VALUES (:name, :name_key, :password_hash, :is_admin, :generation, :created_at)"
                 " RETURNING id",
        soci::use(row.name, "name"), soci::use(row.name_key, "name_key"),
        soci::use(row.password_hash, "password_hash"), soci::use(row.is_admin, "is_admin"),
        soci::use(row.session_generation, "generation"), soci::use(row.created_at, "created_at"),
        soci::into(row.id);
    stored.id = row.id;
    return {};
  });
  if (!written)
    return in_own_words(std::move(written.error()), "The name " + fresh.name + " is taken.");
  return stored;
}

result<std::optional<account>> soci_account_repository::find_account(account_id id) {
  return impl_->run("find account", true, [&]() -> result<std::optional<account>> {
    return impl_->statements->find_account_by_id(id);
  });
}

result<std::optional<account>> soci_account_repository::find_account_by_name(
    std::string_view name) {
  return impl_->run("find account", true, [&]() -> result<std::optional<account>> {
    auto& s = *impl_->statements;
    s.in.name_key = fold_account_name(name);
    if (!s.fetch_one(s.find_account_by_name)) return std::optional<account>{};
    return std::optional<account>{s.account_buffer.to_account()};
  });
}

result<std::vector<account>> soci_account_repository::accounts() {
  return impl_->run("list accounts", true, [&]() -> result<std::vector<account>> {
    return impl_->statements->accounts(detail::select_accounts() + " ORDER BY name_key");
  });
}

result<account> soci_account_repository::set_password(account_id id,
                                                      std::string_view password_hash) {
  account stored;
  auto written = impl_->write("change password", [&](account_statements& s) -> result<void> {
    long long key = id;
    std::string hash(password_hash);
    soci::statement update =
        detail::prepare_statement(s.session,
                                  "UPDATE accounts SET password_hash = :hash,"
                                  " session_generation = session_generation + 1 WHERE id = :id",
                                  soci::use(hash, "hash"), soci::use(key, "id"));
    if (s.change(update) == 0) return account_not_found(id);
    auto now = s.find_account_by_id(id);
    if (!now) return account_not_found(id);
    stored = std::move(*now);
    return {};
  });
  if (!written) return std::unexpected(std::move(written.error()));
  return stored;
}

// The account's tokens go with it (ON DELETE CASCADE).
result<void> soci_account_repository::remove_account(account_id id) {
  return impl_->write("delete account", [&](account_statements& s) -> result<void> {
    long long key = id;
    soci::statement remove = detail::prepare_statement(
        s.session, "DELETE FROM accounts WHERE id = :id", soci::use(key, "id"));
    if (s.change(remove) == 0) return account_not_found(id);
    return {};
  });
}

result<api_token> soci_account_repository::create_token(const api_token& fresh) {
  api_token stored = fresh;
  auto written = impl_->write("create token", [&](account_statements& s) -> result<void> {
    detail::token_row row;
    row.set(fresh);
    try {
      s.session << "INSERT INTO api_tokens"
                   " (account_id, name, scope, secret_digest, created_at, last_used_at)"
                   " VALUES (:owner, :name, :scope, :digest, :created_at, :last_used_at)"
                   " RETURNING id",
          soci::use(row.owner, "owner"), soci::use(row.name, "name"), soci::use(row.scope, "scope"),
          soci::use(row.secret_digest, "digest"), soci::use(row.created_at, "created_at"),
          soci::use(row.last_used_at, row.last_used_state, "last_used_at"), soci::into(row.id);
    } catch (const std::exception&) {
      // A missing owner fails the foreign key, which the database calls a constraint violation
      // like a duplicate digest: asked afterwards, so that it holds even when the account was
      // deleted a moment before.
      if (!s.find_account_by_id(fresh.owner)) return account_not_found(fresh.owner);
      throw;
    }
    stored.id = row.id;
    return {};
  });
  if (!written) {
    return in_own_words(std::move(written.error()), "A token with this secret is stored already.");
  }
  return stored;
}

result<std::optional<api_token>> soci_account_repository::find_token(
    std::string_view secret_digest) {
  return impl_->run("find token", true, [&]() -> result<std::optional<api_token>> {
    auto& s = *impl_->statements;
    s.in.digest = secret_digest;
    if (!s.fetch_one(s.find_token)) return std::optional<api_token>{};
    return std::optional<api_token>{s.token_buffer.to_token()};
  });
}

result<std::vector<api_token>> soci_account_repository::tokens(account_id owner) {
  return impl_->run("list tokens", true, [&]() -> result<std::vector<api_token>> {
    return impl_->statements->tokens(
        detail::select_tokens() + " WHERE account_id = :owner ORDER BY created_at DESC, id DESC",
        owner);
  });
}

result<void> soci_account_repository::revoke_token(account_id owner, token_id id) {
  return impl_->write("revoke token", [&](account_statements& s) -> result<void> {
    long long key = id;
    long long by = owner;
    soci::statement remove = detail::prepare_statement(
        s.session, "DELETE FROM api_tokens WHERE id = :id AND account_id = :owner",
        soci::use(key, "id"), soci::use(by, "owner"));
    if (s.change(remove) == 0) return token_not_found(id);
    return {};
  });
}

// A bearer token's request checks it on a network thread, and this write comes with it (once
// per touch interval): it waits for SQLite's lock no longer than this process's batches take to
// commit, never the busy timeout another process's lock would cost every request on that
// thread. Refused, the use is recorded by a later request.
result<void> soci_account_repository::touch_token(token_id id, timestamp at) {
  constexpr std::chrono::milliseconds touch_lock_wait{20};
  return impl_->write(
      "record token use",
      [&](account_statements& s) -> result<void> {
        s.in.id = id;
        s.in.at = detail::to_microseconds(at);
        if (s.change(s.touch_token) == 0) return token_not_found(id);
        return {};
      },
      touch_lock_wait);
}

result<void> soci_account_repository::record_failed_sign_in(std::string_view name_key,
                                                            std::string_view address,
                                                            timestamp at) {
  return impl_->write("record failed sign-in", [&](account_statements& s) -> result<void> {
    std::string key(name_key);
    std::string from(address);
    long long when = detail::to_microseconds(at);
    s.session << "INSERT INTO failed_sign_ins (name_key, address, at)"
                 " VALUES (:name_key, :address, :at)",
        soci::use(key, "name_key"), soci::use(from, "address"), soci::use(when, "at");
    return {};
  });
}

result<sign_in_failures> soci_account_repository::failed_sign_ins(std::string_view name_key,
                                                                  std::string_view address,
                                                                  timestamp since) {
  return impl_->run("count failed sign-ins", true, [&]() -> result<sign_in_failures> {
    sign_in_failures out;
    soci::session& session = impl_->statements->session;
    count_failures(session, "name_key = :value", std::string(name_key), since, out.for_name,
                   out.oldest_for_name);
    count_failures(session, "address = :value", std::string(address), since, out.for_address,
                   out.oldest_for_address);
    return out;
  });
}

result<void> soci_account_repository::clear_failed_sign_ins(std::string_view name_key) {
  return impl_->write("clear failed sign-ins", [&](account_statements& s) -> result<void> {
    std::string key(name_key);
    s.session << "DELETE FROM failed_sign_ins WHERE name_key = :name_key",
        soci::use(key, "name_key");
    return {};
  });
}

result<void> soci_account_repository::prune_failed_sign_ins(timestamp before) {
  return impl_->write("prune failed sign-ins", [&](account_statements& s) -> result<void> {
    long long until = detail::to_microseconds(before);
    s.session << "DELETE FROM failed_sign_ins WHERE at < :before", soci::use(until, "before");
    return {};
  });
}

}  // namespace notes::storage
