#include "web/account_pages.hpp"

#include <string>
#include <vector>

#include "notes/account_service.hpp"
#include "routing/error_status.hpp"
#include "web/web_responses.hpp"

namespace notes::http::web {
namespace {

constexpr std::string_view default_target = "/notes";
constexpr std::size_t max_target_length = 2048;

void count(const request_context& ctx, sign_in_outcome outcome) {
  if (ctx.events != nullptr) ctx.events->sign_in(outcome);
}

std::string field_value(const form_data& form, std::string_view name) {
  return std::string(form.get(name).value_or(""));
}

// "in 3 minutes", "in 40 seconds": how long a refused sign-in has to wait.
std::string wait_text(std::chrono::seconds wait) {
  const auto s = wait.count();
  if (s <= 90) return std::to_string(s) + (s == 1 ? " second" : " seconds");
  const auto minutes = (s + 59) / 60;
  return std::to_string(minutes) + " minutes";
}

// --- /login and /logout ---------------------------------------------------------------------

response sign_in_page(const web_app& app, visit& v, status code, sign_in_view view) {
  view.csrf_token = v.csrf_token();
  view.open_signup = app.auth.open_signup;
  layout_view layout = v.layout("Sign in");
  layout.show_nav = false;
  return v.finish(html_response(code, app.views.sign_in(layout, view)));
}

response sign_in_form(const web_app& app, request_context& ctx) {
  visit v(app, ctx);
  sign_in_view view;
  if (const auto params = parse_form(ctx.query)) {
    view.next = std::string(local_target(params->get("next").value_or("")));
  }
  return sign_in_page(app, v, status::ok, std::move(view));
}

response sign_in(const web_app& app, request_context& ctx) {
  visit v(app, ctx);
  sign_in_view view;
  const auto form = read_form(ctx.req);
  if (!form) {
    view.form_error = form.error();
    return sign_in_page(app, v, status::bad_request, std::move(view));
  }
  view.username = field_value(*form, "username");
  view.next = std::string(local_target(form->get("next").value_or("")));
  if (!v.csrf_valid(*form)) {
    view.form_error = csrf_message;
    return sign_in_page(app, v, status::bad_request, std::move(view));
  }
  auto signed_in =
      ctx.accounts->sign_in(view.username, field_value(*form, "password"), ctx.client_address);
  if (!signed_in) {
    const error& e = signed_in.error();
    if (e.code == error_code::unauthenticated) {
      // The form again, as a person expects after a typo: 200, not 401 (no HTTP authentication
      // scheme is on offer here).
      count(ctx, sign_in_outcome::failed);
      view.form_error = e.message;
      return sign_in_page(app, v, status::ok, std::move(view));
    }
    if (e.code == error_code::rate_limited) {
      count(ctx, sign_in_outcome::refused);
      const auto wait = e.retry_after.value_or(std::chrono::seconds(1));
      view.form_error = "Too many failed sign-ins for this name or from this address. Try again "
                        "in " + wait_text(wait) + ".";
      response res = sign_in_page(app, v, status::too_many_requests, std::move(view));
      res.set(field::retry_after, std::to_string(wait.count()));
      return res;
    }
    return service_error_page(app, e);
  }
  count(ctx, sign_in_outcome::succeeded);
  v.sign_in(*signed_in);
  const std::string target = view.next.empty() ? std::string(default_target) : view.next;
  return v.finish(redirect(status::see_other, target));
}

response sign_out(const web_app& app, request_context& ctx) {
  visit v(app, ctx);
  const auto form = read_form(ctx.req);
  if (!form) return error_page(app, status::bad_request, form.error());
  if (!v.csrf_valid(*form)) return error_page(app, status::bad_request, csrf_message);
  v.sign_out();
  v.flash("You are signed out.");
  return v.finish(redirect(status::see_other, "/login"));
}

// --- /signup --------------------------------------------------------------------------------

response sign_up_page(const web_app& app, visit& v, status code, sign_up_view view) {
  view.csrf_token = v.csrf_token();
  layout_view layout = v.layout("Create an account");
  layout.show_nav = false;
  return v.finish(html_response(code, app.views.sign_up(layout, view)));
}

response sign_up_form(const web_app& app, request_context& ctx) {
  visit v(app, ctx);
  return sign_up_page(app, v, status::ok, {});
}

response sign_up(const web_app& app, request_context& ctx) {
  visit v(app, ctx);
  sign_up_view view;
  const auto form = read_form(ctx.req);
  if (!form) {
    view.form_error = form.error();
    return sign_up_page(app, v, status::bad_request, std::move(view));
  }
  view.username = field_value(*form, "username");
  if (!v.csrf_valid(*form)) {
    view.form_error = csrf_message;
    return sign_up_page(app, v, status::bad_request, std::move(view));
  }
  const std::string password = field_value(*form, "password");
  if (password != form->get("password_confirm").value_or("")) {
    view.confirm_error = "The two passwords are not the same.";
    return sign_up_page(app, v, status::bad_request, std::move(view));
  }
  auto made = ctx.accounts->add_account(view.username, password);
  if (!made) {
    const error& e = made.error();
    if (e.code == error_code::conflict) {
      view.username_error = e.message;
    } else if (e.code == error_code::invalid_argument) {
      for (const field_error& f : e.fields) {
        (f.field == "username" ? view.username_error : view.password_error) = f.message;
      }
    } else {
      return service_error_page(app, e);
    }
    return sign_up_page(app, v, status_for(e.code), std::move(view));
  }
  v.sign_in(*made);
  v.flash("Welcome, " + made->name + ". Your account is ready.");
  return v.finish(redirect(status::see_other, std::string(default_target)));
}

// --- /account -------------------------------------------------------------------------------

response account_page(const web_app& app, request_context& ctx, visit& v, status code,
                      account_view view) {
  auto tokens = ctx.accounts->tokens(ctx.who->id);
  if (!tokens) return service_error_page(app, tokens.error());
  view.name = ctx.who->name;
  view.is_admin = ctx.who->is_admin;
  view.tokens = *tokens;
  view.csrf_token = v.csrf_token();
  return v.finish(html_response(code, app.views.account(v.layout("Your account"), view)));
}

response show_account(const web_app& app, request_context& ctx) {
  visit v(app, ctx);
  return account_page(app, ctx, v, status::ok, {});
}

response change_password(const web_app& app, request_context& ctx) {
  visit v(app, ctx);
  account_view view;
  const auto form = read_form(ctx.req);
  if (!form) {
    view.password_form_error = form.error();
    return account_page(app, ctx, v, status::bad_request, std::move(view));
  }
  if (!v.csrf_valid(*form)) {
    view.password_form_error = csrf_message;
    return account_page(app, ctx, v, status::bad_request, std::move(view));
  }
  const std::string password = field_value(*form, "password");
  if (password != form->get("password_confirm").value_or("")) {
    view.confirm_error = "The two new passwords are not the same.";
    return account_page(app, ctx, v, status::bad_request, std::move(view));
  }
  auto changed = ctx.accounts->change_password(ctx.who->id, password,
                                               form->get("current_password").value_or(""));
  if (!changed) {
    const error& e = changed.error();
    if (e.code != error_code::unauthenticated && e.code != error_code::invalid_argument) {
      return service_error_page(app, e);
    }
    for (const field_error& f : e.fields) {
      (f.field == "current_password" ? view.current_error : view.password_error) = f.message;
    }
    if (e.fields.empty()) view.password_form_error = e.message;
    return account_page(app, ctx, v, status::bad_request, std::move(view));
  }
  v.keep_after_password_change(changed->session_generation);
  v.flash("Your password is changed. Everywhere else you were signed in, you are now signed out.");
  return v.finish(redirect(status::see_other, "/account"));
}

response create_token(const web_app& app, request_context& ctx) {
  visit v(app, ctx);
  account_view view;
  const auto form = read_form(ctx.req);
  if (!form) {
    view.token_form_error = form.error();
    return account_page(app, ctx, v, status::bad_request, std::move(view));
  }
  view.token_name = field_value(*form, "name");
  const std::string scope = field_value(*form, "scope");
  view.scope = scope == "read_write" ? token_scope::read_write : token_scope::read;
  if (!v.csrf_valid(*form)) {
    view.token_form_error = csrf_message;
    return account_page(app, ctx, v, status::bad_request, std::move(view));
  }
  if (scope != "read" && scope != "read_write") {
    view.token_form_error = "Choose what the token may do: read only, or read and write.";
    return account_page(app, ctx, v, status::bad_request, std::move(view));
  }
  auto made = ctx.accounts->create_token(ctx.who->id, view.token_name, view.scope);
  if (!made) {
    if (made.error().code != error_code::invalid_argument) {
      return service_error_page(app, made.error());
    }
    view.token_name_error = made.error().message;
    return account_page(app, ctx, v, status::bad_request, std::move(view));
  }
  // The secret goes on this page only: never into the cookie, never into a redirect.
  view.created = &*made;
  view.token_name.clear();
  view.scope = token_scope::read;
  return account_page(app, ctx, v, status::ok, std::move(view));
}

response revoke_token(const web_app& app, request_context& ctx) {
  visit v(app, ctx);
  const auto form = read_form(ctx.req);
  if (!form) return error_page(app, status::bad_request, form.error());
  if (!v.csrf_valid(*form)) return error_page(app, status::bad_request, csrf_message);
  auto revoked = ctx.accounts->revoke_token(ctx.who->id, ctx.params.integer("id"));
  if (!revoked) return service_error_page(app, revoked.error());
  v.flash("The token is revoked: programs using it are refused from now on.");
  return v.finish(redirect(status::see_other, "/account"));
}

}  // namespace

std::string_view local_target(std::string_view next) noexcept {
  if (next.empty() || next.size() > max_target_length || next.front() != '/') return {};
  if (next.size() > 1 && (next[1] == '/' || next[1] == '\\')) return {};
  for (const char c : next) {
    // Visible ASCII only: no line break for a header, nothing a browser would clean up.
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) return {};
  }
  return next;
}

void add_account_pages(router& r, const std::shared_ptr<const web_app>& app) {
  const auto page = [app](response (*fn)(const web_app&, request_context&)) {
    return [app, fn](request_context& ctx) { return fn(*app, ctx); };
  };
  // Whatever hashes or verifies a password (slow on purpose) runs on the blocking lane, so that
  // it holds up no other connection of the network thread that read it; the other posts write
  // (a session or a token) and run on the storage lane, as the notes' writes do.
  r.add(verb::get, "/login", page(sign_in_form), access::open);
  r.add(verb::post, "/login", page(sign_in), access::open, route_lane::blocking);
  r.add(verb::post, "/logout", page(sign_out), access::open, route_lane::storage);
  if (app->auth.open_signup) {
    r.add(verb::get, "/signup", page(sign_up_form), access::open);
    r.add(verb::post, "/signup", page(sign_up), access::open, route_lane::blocking);
  }
  r.add(verb::get, "/account", page(show_account));
  r.add(verb::post, "/account/password", page(change_password), access::visitor,
        route_lane::blocking);
  r.add(verb::post, "/account/tokens", page(create_token), route_lane::storage);
  r.add(verb::post, "/account/tokens/{id:int}/revoke", page(revoke_token), route_lane::storage);
}

}  // namespace notes::http::web
