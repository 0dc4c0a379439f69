#include "notes/memory_account_repository.hpp"

#include <algorithm>
#include <mutex>
#include <string>

namespace notes {
namespace {

std::unexpected<error> account_not_found(account_id id) {
  return make_error(error_code::not_found, "Account " + std::to_string(id) + " not found.");
}

std::unexpected<error> token_not_found(token_id id) {
  return make_error(error_code::not_found, "Token " + std::to_string(id) + " not found.");
}

bool newer(const api_token& a, const api_token& b) {
  if (a.created_at != b.created_at) return a.created_at > b.created_at;
  return a.id > b.id;
}

}  // namespace

memory_account_repository::memory_account_repository() = default;
memory_account_repository::~memory_account_repository() = default;

result<account> memory_account_repository::create_account(const account& fresh) {
  std::string key = fold_account_name(fresh.name);
  std::unique_lock lock(mutex_);
  if (by_name_.contains(key)) {
    return make_error(error_code::conflict, "The name " + fresh.name + " is taken.");
  }
  account stored = fresh;
  stored.id = next_account_id_++;
  by_name_.emplace(std::move(key), stored.id);
  accounts_.emplace(stored.id, stored);
  return stored;
}

result<std::optional<account>> memory_account_repository::find_account(account_id id) {
  std::shared_lock lock(mutex_);
  auto it = accounts_.find(id);
  if (it == accounts_.end()) return std::optional<account>{};
  return std::optional<account>{it->second};
}

result<std::optional<account>> memory_account_repository::find_account_by_name(
    std::string_view name) {
  const std::string key = fold_account_name(name);
  std::shared_lock lock(mutex_);
  auto it = by_name_.find(key);
  if (it == by_name_.end()) return std::optional<account>{};
  return std::optional<account>{accounts_.at(it->second)};
}

result<std::vector<account>> memory_account_repository::accounts() {
  std::shared_lock lock(mutex_);
  std::vector<account> out;
  out.reserve(by_name_.size());
  for (const auto& [key, id] : by_name_) out.push_back(accounts_.at(id));
  return out;
}

result<account> memory_account_repository::set_password(account_id id,
                                                        std::string_view password_hash) {
  std::unique_lock lock(mutex_);
  auto it = accounts_.find(id);
  if (it == accounts_.end()) return account_not_found(id);
  it->second.password_hash = password_hash;
  ++it->second.session_generation;
  return it->second;
}

result<void> memory_account_repository::remove_account(account_id id) {
  std::unique_lock lock(mutex_);
  auto it = accounts_.find(id);
  if (it == accounts_.end()) return account_not_found(id);
  by_name_.erase(fold_account_name(it->second.name));
  accounts_.erase(it);
  for (auto token = tokens_.begin(); token != tokens_.end();) {
    if (token->second.owner != id) {
      ++token;
      continue;
    }
    by_digest_.erase(token->second.secret_digest);
    token = tokens_.erase(token);
  }
  return {};
}

result<api_token> memory_account_repository::create_token(const api_token& fresh) {
  std::unique_lock lock(mutex_);
  if (!accounts_.contains(fresh.owner)) return account_not_found(fresh.owner);
  if (by_digest_.contains(fresh.secret_digest)) {
    return make_error(error_code::conflict, "A token with this secret is already stored.");
  }
  api_token stored = fresh;
  stored.id = next_token_id_++;
  by_digest_.emplace(stored.secret_digest, stored.id);
  tokens_.emplace(stored.id, stored);
  return stored;
}

result<std::optional<api_token>> memory_account_repository::find_token(
    std::string_view secret_digest) {
  std::shared_lock lock(mutex_);
  auto it = by_digest_.find(secret_digest);
  if (it == by_digest_.end()) return std::optional<api_token>{};
  return std::optional<api_token>{tokens_.at(it->second)};
}

result<std::vector<api_token>> memory_account_repository::tokens(account_id owner) {
  std::shared_lock lock(mutex_);
  std::vector<api_token> out;
  for (const auto& [id, token] : tokens_) {
    if (token.owner == owner) out.push_back(token);
  }
  std::sort(out.begin(), out.end(), newer);
  return out;
}

result<void> memory_account_repository::revoke_token(account_id owner, token_id id) {
  std::unique_lock lock(mutex_);
  auto it = tokens_.find(id);
  if (it == tokens_.end() || it->second.owner != owner) return token_not_found(id);
  by_digest_.erase(it->second.secret_digest);
  tokens_.erase(it);
  return {};
}

result<void> memory_account_repository::touch_token(token_id id, timestamp at) {
  std::unique_lock lock(mutex_);
  auto it = tokens_.find(id);
  if (it == tokens_.end()) return token_not_found(id);
  it->second.last_used_at = at;
  return {};
}

result<void> memory_account_repository::record_failed_sign_in(std::string_view name_key,
                                                              std::string_view address,
                                                              timestamp at) {
  std::unique_lock lock(mutex_);
  failures_.push_back({std::string(name_key), std::string(address), at});
  return {};
}

result<sign_in_failures> memory_account_repository::failed_sign_ins(std::string_view name_key,
                                                                    std::string_view address,
                                                                    timestamp since) {
  std::shared_lock lock(mutex_);
  sign_in_failures out;
  auto count = [&](std::int64_t& n, std::optional<timestamp>& oldest, timestamp at) {
    ++n;
    if (!oldest || at < *oldest) oldest = at;
  };
  for (const auto& failure : failures_) {
    if (failure.at < since) continue;
    if (failure.name_key == name_key) count(out.for_name, out.oldest_for_name, failure.at);
    if (failure.address == address) count(out.for_address, out.oldest_for_address, failure.at);
  }
  return out;
}

result<void> memory_account_repository::clear_failed_sign_ins(std::string_view name_key) {
  std::unique_lock lock(mutex_);
  std::erase_if(failures_, [&](const auto& failure) { return failure.name_key == name_key; });
  return {};
}

result<void> memory_account_repository::prune_failed_sign_ins(timestamp before) {
  std::unique_lock lock(mutex_);
  std::erase_if(failures_, [&](const auto& failure) { return failure.at < before; });
  return {};
}

}  // namespace notes
