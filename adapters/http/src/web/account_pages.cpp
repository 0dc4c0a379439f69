#include "web/account_pages.hpp"

#include <string>
#include <vector>

#include "notes/account_service.hpp"
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
  r.add(verb::get, "/login", page(sign_in_form), access::open);
  r.add(verb::post, "/login", page(sign_in), access::open);
  r.add(verb::post, "/logout", page(sign_out), access::open);
}

}  // namespace notes::http::web
