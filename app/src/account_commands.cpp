#include "account_commands.hpp"

#include <algorithm>
#include <exception>
#include <memory>
#include <vector>

#include "notes/account_service.hpp"
#include "notes/sodium/sodium_credentials.hpp"
#include "notes/time.hpp"

namespace notes::app {

namespace {

constexpr int exit_usage = 2;
constexpr int exit_failure = 1;

// The rules' refusals are the command line's to fix; everything else is the database's answer.
int exit_code_for(const error& e) {
  return e.code == error_code::invalid_argument ? exit_usage : exit_failure;
}

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

std::string count_of(std::int64_t n, std::string_view what) {
  return std::to_string(n) + " " + std::string(what) + (n == 1 ? "" : "s");
}

// To the second: the microseconds stored mean nothing to someone reading a list.
std::string shown_time(timestamp t) { return to_rfc3339(t).substr(0, 19) + "Z"; }

std::string_view scope_name(token_scope scope) {
  return scope == token_scope::read ? "read-only" : "read-write";
}

// Each column as wide as its widest cell, two spaces apart; the last is not padded.
void write_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
    }
    out << line << '\n';
  }
}

// The command's own connections, and the account use cases over them.
struct accounts_at_hand {
  std::unique_ptr<account_repository> accounts;
  std::unique_ptr<note_repository> notes;
  std::unique_ptr<sodium::sodium_credentials> crypto;
  std::unique_ptr<account_service> service;
};

std::expected<accounts_at_hand, std::string> open_accounts(storage_backend& storage,
                                                           bool writes) {
  if (writes) {
    if (auto migrated = storage.migrate(); !migrated) {
      return std::unexpected("cannot migrate " + storage.describe() + ": " +
                             migrated.error().message);
    }
  }
  auto accounts = storage.open_account_repository();
  if (!accounts) return std::unexpected(std::move(accounts.error()));
  auto notes = storage.open_repository();
  if (!notes) return std::unexpected(std::move(notes.error()));
  accounts_at_hand at;
  at.accounts = std::move(*accounts);
  at.notes = std::move(*notes);
  try {
    at.crypto = std::make_unique<sodium::sodium_credentials>();
  } catch (const std::exception& e) {
    return std::unexpected(std::string("cannot start libsodium: ") + e.what());
  }
  at.service = std::make_unique<account_service>(*at.accounts, *at.notes, *at.crypto);
  return at;
}

// The account called `name`; when there is none, or the lookup fails, the reason has been said
// and the exit code comes back.
std::expected<account, int> find_named(account_service& service, std::string_view name,
                                       const reporter& say) {
  auto found = service.find_by_name(name);
  if (!found) {
    say("cannot look up the account " + quoted(name) + ": " + found.error().message);
    return std::unexpected(exit_failure);
  }
  if (!*found) {
    say("no account named " + quoted(name) + " (users list shows them)");
    return std::unexpected(exit_failure);
  }
  return std::move(**found);
}

int add_user(accounts_at_hand& at, const account_command& command,
             const password_reader& read_password, const reporter& say) {
  auto password = read_password(command.name);
  if (!password) {
    say(password.error().message);
    return password.error().usage ? exit_usage : exit_failure;
  }
  auto added = at.service->add_account(command.name, *password, command.admin);
  if (!added) {
    say("cannot add the account " + quoted(command.name) + ": " + added.error().message);
    return exit_code_for(added.error());
  }
  std::string done = "added the account " + quoted(added->name) +
                     (added->is_admin ? " (administrator)" : "");
  if (command.claim_notes) {
    auto claimed = at.service->claim_unowned_notes(added->id);
    if (!claimed) {
      say(done + ", but could not give it the notes written without sign-in: " +
          claimed.error().message + ". Remove it (users remove " + added->name +
          ") and add it again to retry.");
      return exit_failure;
    }
    done += "; it now owns the " + count_of(*claimed, "note") + " written without sign-in";
  }
  say(done);
  return 0;
}

int list_users(accounts_at_hand& at, std::ostream& out, const reporter& say) {
  auto accounts = at.service->accounts();
  if (!accounts) {
    say("cannot list the accounts: " + accounts.error().message);
    return exit_failure;
  }
  std::vector<std::vector<std::string>> rows{{"NAME", "ADMIN", "NOTES", "CREATED"}};
  for (const auto& a : *accounts) {
    auto owned = at.notes->count(a.id);
    if (!owned) {
      say("cannot count the notes of " + quoted(a.name) + ": " + owned.error().message);
      return exit_failure;
    }
    rows.push_back({a.name, a.is_admin ? "yes" : "no", std::to_string(*owned),
                    shown_time(a.created_at)});
  }
  if (accounts->empty()) {
    say("no accounts yet: notes-server users add NAME --admin adds one");
  } else {
    write_table(out, rows);
  }
  auto unowned = at.notes->count(no_account);
  if (unowned && *unowned > 0) {
    say(count_of(*unowned, "note") + " written without sign-in belong to no account (users add "
        "NAME --claim-notes gives them to a new account)");
  }
  return 0;
}

int change_password(accounts_at_hand& at, const account_command& command,
                    const password_reader& read_password, const reporter& say) {
  auto named = find_named(*at.service, command.name, say);
  if (!named) return named.error();
  auto password = read_password(named->name);
  if (!password) {
    say(password.error().message);
    return password.error().usage ? exit_usage : exit_failure;
  }
  auto changed = at.service->change_password(named->id, *password);
  if (!changed) {
    say("cannot change the password of " + quoted(named->name) + ": " +
        changed.error().message);
    return exit_code_for(changed.error());
  }
  say("changed the password of " + quoted(named->name) + "; its earlier sign-ins have ended");
  return 0;
}

int remove_user(accounts_at_hand& at, const account_command& command, const reporter& say) {
  auto named = find_named(*at.service, command.name, say);
  if (!named) return named.error();
  owned_notes what = owned_notes::refuse;
  account heir;
  if (command.delete_notes) what = owned_notes::remove;
  if (!command.heir.empty()) {
    auto found = find_named(*at.service, command.heir, say);
    if (!found) return found.error();
    heir = std::move(*found);
    what = owned_notes::give_to;
  }
  auto owned = at.notes->count(named->id);
  if (!owned) {
    say("cannot count the notes of " + quoted(named->name) + ": " + owned.error().message);
    return exit_failure;
  }
  auto removed = at.service->remove_account(named->id, what, heir.id);
  if (!removed) {
    std::string line = "cannot remove " + quoted(named->name) + ": " + removed.error().message;
    if (what == owned_notes::refuse && removed.error().code == error_code::conflict) {
      line += " --delete-notes deletes them with the account; --give-notes-to OTHER gives them "
              "to the account OTHER.";
    }
    say(line);
    return exit_code_for(removed.error());
  }
  std::string done = "removed the account " + quoted(named->name) + " and its tokens";
  if (what == owned_notes::remove) done += "; deleted its " + count_of(*owned, "note");
  if (what == owned_notes::give_to) {
    done += "; its " + count_of(*owned, "note") + " now belong to " + quoted(heir.name);
  }
  say(done);
  return 0;
}

int create_token(accounts_at_hand& at, const account& owner, const account_command& command,
                 std::ostream& out, const reporter& say) {
  const token_scope scope = command.read_only ? token_scope::read : token_scope::read_write;
  auto made = at.service->create_token(owner.id, command.token_name, scope);
  if (!made) {
    say("cannot create the token: " + made.error().message);
    return exit_code_for(made.error());
  }
  const std::string what = "token " + std::to_string(made->token.id) + " " +
                           quoted(made->token.name) + " (" +
                           std::string(scope_name(made->token.scope)) + ") of " +
                           quoted(owner.name);
  say("created " + what + "; its secret, the last line on standard output, is shown only "
      "this once");
  out << made->secret << '\n';
  out.flush();
  if (!out) {
    // Nobody has seen the secret: a token nobody can use is only clutter.
    (void)at.service->revoke_token(owner.id, made->token.id);
    say("cannot write the secret to standard output; " + what + " was revoked again");
    return exit_failure;
  }
  return 0;
}

int list_tokens(accounts_at_hand& at, const account& owner, std::ostream& out,
                const reporter& say) {
  auto tokens = at.service->tokens(owner.id);
  if (!tokens) {
    say("cannot list the tokens of " + quoted(owner.name) + ": " + tokens.error().message);
    return exit_failure;
  }
  if (tokens->empty()) {
    say(quoted(owner.name) + " has no tokens");
    return 0;
  }
  std::vector<std::vector<std::string>> rows{{"ID", "SCOPE", "CREATED", "LAST-USED", "NAME"}};
  for (const auto& t : *tokens) {
    rows.push_back({std::to_string(t.id), std::string(scope_name(t.scope)),
                    shown_time(t.created_at),
                    t.last_used_at ? shown_time(*t.last_used_at) : "never", t.name});
  }
  write_table(out, rows);
  return 0;
}

int revoke_token(accounts_at_hand& at, const account& owner, token_id id,
                 const reporter& say) {
  auto revoked = at.service->revoke_token(owner.id, id);
  if (!revoked) {
    if (revoked.error().code == error_code::not_found) {
      say(quoted(owner.name) + " has no token " + std::to_string(id) + " (tokens list --user " +
          owner.name + " shows its tokens)");
    } else {
      say("cannot revoke the token: " + revoked.error().message);
    }
    return exit_failure;
  }
  say("revoked token " + std::to_string(id) + " of " + quoted(owner.name) +
      "; it no longer works");
  return 0;
}

}  // namespace

int run_users(storage_backend& storage, const account_command& command,
              const password_reader& read_password, std::ostream& out, const reporter& say) {
  auto at = open_accounts(storage, command.verb != "list");
  if (!at) {
    say("cannot " + std::string(command.verb == "list" ? "list" : "change") +
        " the accounts: " + at.error());
    return exit_failure;
  }
  if (command.verb == "add") return add_user(*at, command, read_password, say);
  if (command.verb == "list") return list_users(*at, out, say);
  if (command.verb == "passwd") return change_password(*at, command, read_password, say);
  return remove_user(*at, command, say);
}

int run_tokens(storage_backend& storage, const account_command& command, std::string_view user,
               std::ostream& out, const reporter& say) {
  auto at = open_accounts(storage, command.verb != "list");
  if (!at) {
    say("cannot " + std::string(command.verb == "list" ? "list" : "change") +
        " the tokens: " + at.error());
    return exit_failure;
  }
  auto owner = find_named(*at->service, user, say);
  if (!owner) return owner.error();
  if (command.verb == "create") return create_token(*at, *owner, command, out, say);
  if (command.verb == "list") return list_tokens(*at, *owner, out, say);
  return revoke_token(*at, *owner, command.token, say);
}

}  // namespace notes::app
