#pragma once
// What every page handler shares: the views, the session cookie as one request sees it, forms,
// and the error pages.
#include <chrono>
#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "notes/account.hpp"
#include "notes/error.hpp"
#include "markdown/html_cache.hpp"
#include "notes/http/server.hpp"
#include "routing/router.hpp"
#include "web/cookie_session.hpp"
#include "web/form.hpp"
#include "web/render/html_views.hpp"
#include "web/static_files.hpp"

namespace notes::http::web {

struct web_app {
  html_views views;
  static_files statics;
  std::shared_ptr<const cookie_session_codec> sessions;
  auth_options auth;
  // Shared by the server threads: a note is rendered once per version.
  std::shared_ptr<markdown::html_cache> rendered_notes;

  const cookie_session_codec& codec() const noexcept { return *sessions; }
};

inline constexpr std::string_view csrf_message =
    "This form expired or did not come from this site, so nothing was saved. Please submit it "
    "again.";

std::chrono::sys_seconds now_seconds();

// The form in a POST body. Another media type (or none) cannot carry this site's CSRF token, so
// such a POST is refused as one without a valid token: 400 with the form page, not a bare 415.
std::expected<form_data, std::string> read_form(const request& req);

// One request's view of the visitor's cookie session: read from the cookie, written back only
// when it changed.
class visit {
 public:
  visit(const web_app& app, const request_context& ctx);

  // The layout for a page about to be shown: it takes the flash messages, which are then gone,
  // and, for a signed-in visitor, shows who that is and a way to sign out.
  layout_view layout(std::string title, std::string search = {});

  std::string csrf_token();
  bool csrf_valid(const form_data& form) const;
  void flash(std::string text);
  // "Moved to the trash", with a button that restores note `id`.
  void flash_trashed(note_id id, std::string text);

  // A new session (a new CSRF secret, so that no token from before works) signed in to `who`.
  void sign_in(const account& who);
  // A new session, signed out.
  void sign_out();
  // This session survives a password change: it now carries the account's new generation.
  void keep_after_password_change(std::int64_t generation);

  response finish(response res) const;

 private:
  cookie_session& ensure();

  const cookie_session_codec& codec_;
  const visitor* who_;
  std::optional<cookie_session> session_;
  std::chrono::sys_seconds now_;
  bool head_ = false;
  bool changed_ = false;
};

// An error page with the status's own wording; `detail` is shown for the client's mistakes.
response error_page(const web_app& app, status code, std::string_view detail = {});

// A failure from a service, answered as error_status decides, as an error page. Only the
// client's own mistakes show their message; the page words the others.
response service_error_page(const web_app& app, const error& e);

}  // namespace notes::http::web
