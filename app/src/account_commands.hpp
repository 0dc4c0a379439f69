#pragma once
// `notes-server users ...` and `notes-server tokens ...`: accounts and API tokens managed from
// the command line, through account_service, so they follow the rules the pages and the API
// follow. They work whatever AUTH is, so that accounts can be prepared before sign-in is on.
#include <expected>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>

#include "config.hpp"
#include "password_input.hpp"
#include "storage.hpp"
#include "transfer.hpp"

namespace notes::app {

// Gets the new password of `account` (read_new_password, or a fake in tests).
using password_reader =
    std::function<std::expected<std::string, password_problem>(std::string_view account)>;

// users add, list, passwd, remove. Tables go to `out`, reports and refusals to `say`. Returns
// the exit code: 0; 2 when the command cannot be carried out as written (a name or password the
// rules refuse, passwords that differ); 1 when the database refuses it (a name taken, no such
// account, an account that owns notes) or fails. Those that write apply pending migrations
// first.
int run_users(storage_backend& storage, const account_command& command,
              const password_reader& read_password, std::ostream& out, const reporter& say);

// tokens create, list, revoke for the account named `user`. create writes the secret as the
// last line of `out`, and nothing after it. Exit codes as run_users.
int run_tokens(storage_backend& storage, const account_command& command, std::string_view user,
               std::ostream& out, const reporter& say);

}  // namespace notes::app
