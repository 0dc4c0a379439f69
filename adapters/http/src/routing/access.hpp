#pragma once
// Who may call a route and who is asking: the words the router, the access gate and the
// handlers share when the server runs with accounts. Without accounts nobody is asked.
#include <string>

#include "notes/account.hpp"

namespace notes::http {

// Every route needs a signed-in visitor unless it was added as open, so that a new route is
// never open by accident.
enum class access { visitor, open };

// The visitor on a route that needs one, as the access gate found them.
struct visitor {
  account_id id = no_account;
  std::string name;
  bool is_admin = false;
  bool by_token = false;  // an API token in Authorization; otherwise the session cookie
  // What the credentials allow: a token's scope; a session may do all its account may.
  token_scope scope = token_scope::read_write;
};

// The outcome of one sign-in attempt, for /metrics.
enum class sign_in_outcome { succeeded, failed, refused };

// Where handlers report what /metrics counts of accounts. Each server thread has its own, and
// only that thread calls it.
class account_events {
 public:
  virtual void sign_in(sign_in_outcome outcome) noexcept = 0;

 protected:
  ~account_events() = default;
};

}  // namespace notes::http
