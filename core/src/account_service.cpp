#include "notes/account_service.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "notes/text.hpp"

namespace notes {
namespace {

// What a failed sign-in says, whichever part was wrong, so that it reveals no account names.
constexpr std::string_view wrong_credentials = "Wrong username or password.";
// A name key longer than any valid name is cut, so that junk cannot bloat the failure table.
constexpr std::size_t max_name_key_bytes = 64;
// Secrets are ~50 characters; anything much longer is not one of ours and is not digested.
constexpr std::size_t max_token_secret_bytes = 256;

std::unexpected<error> invalid_field(std::string field, std::string message) {
  std::string shown = message;
  return std::unexpected(error{error_code::invalid_argument, std::move(shown),
                               {{std::move(field), std::move(message)}}, {}});
}

bool is_name_character(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
}

std::optional<std::string> name_problem(std::string_view name) {
  if (name.empty()) return "Username is required.";
  if (name.size() > max_account_name_length) {
    return "Username must be at most " + std::to_string(max_account_name_length) + " characters.";
  }
  if (!std::ranges::all_of(name, is_name_character)) {
    return "Username may contain only letters, digits, '-', '_' and '.'.";
  }
  return std::nullopt;
}

std::optional<std::string> password_problem(std::string_view password) {
  if (password.size() > max_password_bytes) {
    return "Password must be at most " + std::to_string(max_password_bytes) + " bytes.";
  }
  if (!text::is_valid_utf8(password)) return "Password must be valid UTF-8 text.";
  if (text::code_point_count(password) < min_password_length) {
    return "Password must be at least " + std::to_string(min_password_length) + " characters.";
  }
  return std::nullopt;
}

std::string name_key(std::string_view name) {
  return fold_account_name(name.substr(0, max_name_key_bytes));
}

std::unexpected<error> unauthenticated(std::string_view message = wrong_credentials) {
  return make_error(error_code::unauthenticated, std::string(message));
}

template <class T>
std::unexpected<error> failure(result<T>& r) {
  return std::unexpected(std::move(r.error()));
}

}  // namespace

account_service::account_service(account_repository& accounts, note_repository& notes,
                                 credentials& crypto, clock_fn clock, sign_in_limits limits)
    : accounts_(&accounts),
      notes_(&notes),
      crypto_(&crypto),
      clock_(std::move(clock)),
      limits_(limits) {}

result<account> account_service::add_account(std::string_view name, std::string_view password,
                                             bool is_admin) {
  if (auto problem = name_problem(name)) return invalid_field("username", std::move(*problem));
  if (auto problem = password_problem(password)) {
    return invalid_field("password", std::move(*problem));
  }
  auto existing = accounts_->find_account_by_name(name);
  if (!existing) return failure(existing);
  if (*existing) return make_error(error_code::conflict, "That username is taken.");
  account fresh;
  fresh.name = std::string(name);
  fresh.password_hash = crypto_->hash_password(password);
  fresh.is_admin = is_admin;
  fresh.created_at = clock_();
  auto created = accounts_->create_account(fresh);
  // Another writer took the name between the check and the insert.
  if (!created && created.error().code == error_code::conflict) {
    return make_error(error_code::conflict, "That username is taken.");
  }
  return created;
}

result<account> account_service::sign_in(std::string_view name, std::string_view password,
                                         std::string_view address) {
  const timestamp now = clock_();
  const std::string key = name_key(name);
  // Failures strictly inside the window: one made exactly a window ago has left it.
  const timestamp since = now - limits_.window + std::chrono::microseconds(1);
  auto failures = accounts_->failed_sign_ins(key, address, since);
  if (!failures) return failure(failures);
  std::optional<timestamp> refused_until;
  auto refuse_until = [&](std::int64_t count, std::int64_t limit, std::optional<timestamp> oldest) {
    if (count < limit) return;
    const timestamp until = oldest.value_or(now) + limits_.window;
    refused_until = refused_until ? std::max(*refused_until, until) : until;
  };
  refuse_until(failures->for_name, limits_.per_name, failures->oldest_for_name);
  refuse_until(failures->for_address, limits_.per_address, failures->oldest_for_address);
  if (refused_until) {
    const auto wait = std::chrono::ceil<std::chrono::seconds>(*refused_until - now);
    error e{error_code::rate_limited, "Too many failed sign-ins. Try again later.", {}, {}};
    e.retry_after = std::max(wait, std::chrono::seconds(1));
    return std::unexpected(std::move(e));
  }

  auto found = accounts_->find_account_by_name(name);
  if (!found) return failure(found);
  bool right = false;
  if (*found) {
    right = password.size() <= max_password_bytes &&
            crypto_->verify_password((*found)->password_hash, password);
  } else {
    // The same work as a wrong password, so that timing tells no account names apart.
    if (dummy_hash_.empty()) dummy_hash_ = crypto_->hash_password(crypto_->new_token_secret());
    (void)crypto_->verify_password(dummy_hash_, password.substr(0, max_password_bytes));
  }
  if (!right) {
    if (auto recorded = accounts_->record_failed_sign_in(key, address, now); !recorded) {
      return failure(recorded);
    }
    // Housekeeping with no scheduler: the table keeps one window of failures, however many
    // names and addresses an attacker cycles through. Best effort, as the clearing below.
    (void)accounts_->prune_failed_sign_ins(since);
    return unauthenticated();
  }
  // Best effort: a failure left behind only brings the limit closer for this name.
  (void)accounts_->clear_failed_sign_ins(key);
  return std::move(**found);
}

result<account> account_service::change_password(account_id id, std::string_view new_password,
                                                 std::optional<std::string_view> current) {
  auto found = accounts_->find_account(id);
  if (!found) return failure(found);
  if (!*found) return make_error(error_code::not_found, "No such account.");
  if (current && !(current->size() <= max_password_bytes &&
                   crypto_->verify_password((*found)->password_hash, *current))) {
    error e{error_code::unauthenticated, "The current password is wrong.",
            {{"current_password", "The current password is wrong."}}, {}};
    return std::unexpected(std::move(e));
  }
  if (auto problem = password_problem(new_password)) {
    return invalid_field("password", std::move(*problem));
  }
  return accounts_->set_password(id, crypto_->hash_password(new_password));
}

result<std::optional<account>> account_service::find(account_id id) {
  return accounts_->find_account(id);
}

result<std::optional<account>> account_service::find_by_name(std::string_view name) {
  return accounts_->find_account_by_name(name);
}

result<std::vector<account>> account_service::accounts() { return accounts_->accounts(); }

result<void> account_service::remove_account(account_id id, owned_notes what, account_id heir) {
  auto found = accounts_->find_account(id);
  if (!found) return failure(found);
  if (!*found) return make_error(error_code::not_found, "No such account.");
  switch (what) {
    case owned_notes::refuse: {
      auto owned = notes_->count(id);
      if (!owned) return failure(owned);
      if (*owned > 0) {
        return make_error(error_code::conflict,
                          "Account " + (*found)->name + " owns " + std::to_string(*owned) +
                              " notes; delete them or give them to another account first.");
      }
      // Its trash (and the trashed notes' history) goes with it: nobody could reach it again.
      auto emptied = notes_->empty_trash(id);
      if (!emptied) return failure(emptied);
      break;
    }
    case owned_notes::remove: {
      auto removed = notes_->remove_all(id);
      if (!removed) return failure(removed);
      break;
    }
    case owned_notes::give_to: {
      if (heir == id) {
        return make_error(error_code::invalid_argument,
                          "The notes cannot be given to the account being removed.");
      }
      auto taker = accounts_->find_account(heir);
      if (!taker) return failure(taker);
      if (!*taker) return make_error(error_code::not_found, "No account to give the notes to.");
      auto moved = notes_->change_owner(id, heir);
      if (!moved) return failure(moved);
      break;
    }
  }
  // Notes first, then the account: a failure in between leaves an account that still exists
  // (removing it again finishes the job), never notes without a way to reach them.
  return accounts_->remove_account(id);
}

result<std::int64_t> account_service::claim_unowned_notes(account_id id) {
  auto found = accounts_->find_account(id);
  if (!found) return failure(found);
  if (!*found) return make_error(error_code::not_found, "No such account.");
  return notes_->change_owner(no_account, id);
}

result<new_token> account_service::create_token(account_id owner, std::string_view name,
                                                token_scope scope) {
  if (!text::is_valid_utf8(name)) return invalid_field("name", "Name must be valid UTF-8 text.");
  const std::string_view label = text::trim(name);
  if (label.empty()) return invalid_field("name", "Name is required.");
  if (text::has_control_characters(label)) {
    return invalid_field("name", "Name must not contain control characters or line breaks.");
  }
  if (text::code_point_count(label) > max_token_name_length) {
    return invalid_field("name", "Name must be at most " + std::to_string(max_token_name_length) +
                                     " characters.");
  }
  new_token made;
  made.secret = crypto_->new_token_secret();
  api_token fresh;
  fresh.owner = owner;
  fresh.name = std::string(label);
  fresh.scope = scope;
  fresh.secret_digest = crypto_->digest_token(made.secret);
  fresh.created_at = clock_();
  auto created = accounts_->create_token(fresh);
  if (!created) return failure(created);
  made.token = std::move(*created);
  return made;
}

result<std::vector<api_token>> account_service::tokens(account_id owner) {
  return accounts_->tokens(owner);
}

result<void> account_service::revoke_token(account_id owner, token_id id) {
  return accounts_->revoke_token(owner, id);
}

result<api_token> account_service::authenticate_token(std::string_view secret) {
  if (secret.empty() || secret.size() > max_token_secret_bytes) {
    return unauthenticated("Invalid or revoked token.");
  }
  auto found = accounts_->find_token(crypto_->digest_token(secret));
  if (!found) return failure(found);
  if (!*found) return unauthenticated("Invalid or revoked token.");
  api_token token = std::move(**found);
  const timestamp now = clock_();
  if (!token.last_used_at || now - *token.last_used_at >= token_touch_interval) {
    // Bookkeeping only: a database that refuses the write (read-only, locked) must not turn
    // away a valid token.
    if (accounts_->touch_token(token.id, now)) token.last_used_at = now;
  }
  return token;
}

}  // namespace notes
