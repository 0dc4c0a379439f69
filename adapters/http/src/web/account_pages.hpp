#pragma once
// The pages of a server with accounts: /login, /logout, /signup (when sign-up is open) and
// /account (the password, the API tokens).
#include <memory>
#include <string_view>

#include "routing/router.hpp"
#include "web/web_app.hpp"

namespace notes::http::web {

void add_account_pages(router& r, const std::shared_ptr<const web_app>& app);

// Where to go after signing in: `next` when it is a path on this site (one '/' then no '/' or
// '\', visible ASCII only, bounded); otherwise empty.
std::string_view local_target(std::string_view next) noexcept;

}  // namespace notes::http::web
