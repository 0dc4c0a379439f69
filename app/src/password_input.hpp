#pragma once
// How `users add` and `users passwd` get a password without it appearing anywhere: from standard
// input when that is not a terminal (a script, a pipe, a file), else asked for on the terminal
// twice with echo off.
#include <expected>
#include <string>
#include <string_view>

namespace notes::app {

// Why no password was read: the user's doing (passwords that differ, an empty terminal answer)
// or the input's (a read error). Never holds the password.
struct password_problem {
  std::string message;
  bool usage = true;  // true: exit code 2; false: 1
};

// Standard input not a terminal: its first line, without the line break ("\n" or "\r\n"); an
// empty input is an empty password (the account rules refuse it). A terminal: the prompt
// (naming `account`) on stderr, the answer read with echo off, then asked again; the terminal's
// mode is restored on every way out, SIGINT, SIGTERM, SIGHUP and SIGQUIT included (the signal
// then ends the program as it would have).
std::expected<std::string, password_problem> read_new_password(std::string_view account);

}  // namespace notes::app
