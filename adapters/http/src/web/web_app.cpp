#include "web/web_app.hpp"

#include <algorithm>

#include "routing/error_status.hpp"
#include "routing/http_text.hpp"
#include "web/web_responses.hpp"

namespace notes::http::web {
namespace {

constexpr std::string_view not_a_form_message =
    "This form did not come from this site (it was not sent as "
    "application/x-www-form-urlencoded), so nothing was saved. Please submit it again.";

bool is_form_post(const request& req) {
  return media_type_is(req[field::content_type], "application/x-www-form-urlencoded");
}

error_view error_view_for(status code, std::string_view detail) {
  error_view view;
  view.status = static_cast<int>(code);
  switch (code) {
    case status::not_found:
      view.heading = "Page not found";
      view.message = "There is nothing at this address. The note may have been deleted.";
      break;
    case status::method_not_allowed:
      view.heading = "Not allowed here";
      view.message = "This page cannot be used that way.";
      break;
    case status::internal_server_error:
      view.heading = "Something went wrong";
      view.message = "The server could not finish this request. Please try again.";
      break;
    case status::service_unavailable:
      view.heading = "Back in a moment";
      view.message = "Your notes are out of reach for a moment. Please try again shortly.";
      break;
    case status::insufficient_storage:
      view.heading = "No room to save";
      view.message = "The server has no space left for this change, so nothing was changed. "
                     "Please tell whoever runs it.";
      break;
    default:
      view.heading = code == status::bad_request ? std::string("Bad request")
                                                 : std::string(obsolete_reason(code));
      view.message = detail.empty() ? std::string("The request could not be understood.")
                                    : std::string(detail);
      break;
  }
  return view;
}

response render_error_page(const web_app& app, status code, const error_view& view) {
  layout_view layout{view.heading, {}, {}};
  return html_response(code, app.views.error(layout, view));
}

}  // namespace

std::chrono::sys_seconds now_seconds() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

std::expected<form_data, std::string> read_form(const request& req) {
  if (!is_form_post(req)) return std::unexpected(std::string(not_a_form_message));
  return parse_form(req.body());
}

visit::visit(const web_app& app, const request_context& ctx)
    : codec_(app.codec()),
      who_(ctx.who),
      now_(now_seconds()),
      head_(ctx.req.method() == verb::head) {
  session_ = codec_.from_cookie_header(ctx.req[field::cookie], now_);
  if (session_ && codec_.needs_refresh(*session_, now_)) {
    session_->issued_at = now_;
    changed_ = true;
  }
}

layout_view visit::layout(std::string title, std::string search) {
  layout_view view{std::move(title), std::move(search), {}};
  if (session_ && !session_->flashes.empty() && !head_) {
    view.flashes = std::move(session_->flashes);
    session_->flashes.clear();
    changed_ = true;
  }
  if (who_ != nullptr) view.account_name = who_->name;
  const bool undo = std::ranges::any_of(
      view.flashes, [](const flash_message& f) { return trashed_note_in(f).has_value(); });
  if (who_ != nullptr || undo) view.csrf_token = csrf_token();
  return view;
}

std::string visit::csrf_token() { return codec_.csrf_token(ensure()); }

bool visit::csrf_valid(const form_data& form) const {
  const auto token = form.get("csrf_token");
  return session_ && token && codec_.csrf_token_valid(*session_, *token);
}

void visit::flash(std::string text) {
  add_flash(ensure(), "success", std::move(text));
  changed_ = true;
}

void visit::flash_trashed(note_id id, std::string text) {
  add_flash(ensure(), trashed_flash_category(id), std::move(text));
  changed_ = true;
}

void visit::sign_in(const account& who) {
  session_ = codec_.fresh(now_);
  session_->account = session_account{who.id, who.session_generation, now_};
  changed_ = true;
}

void visit::sign_out() {
  session_ = codec_.fresh(now_);
  changed_ = true;
}

void visit::keep_after_password_change(std::int64_t generation) {
  if (!session_ || !session_->account) return;
  session_->account->generation = generation;
  changed_ = true;
}

response visit::finish(response res) const {
  if (changed_ && session_) res.set(field::set_cookie, codec_.set_cookie(*session_));
  return res;
}

cookie_session& visit::ensure() {
  if (!session_) {
    session_ = codec_.fresh(now_);
    changed_ = true;
  }
  return *session_;
}

response error_page(const web_app& app, status code, std::string_view detail) {
  response res = render_error_page(app, code, error_view_for(code, detail));
  if (code == status::service_unavailable) res.set(field::retry_after, "1");
  return res;
}

response service_error_page(const web_app& app, const error& e) {
  const failure_answer answer = answer_failure(e);
  if (answer.client_fault) {
    response res = error_page(app, answer.code, answer.message);
    if (answer.retry_after) {
      res.set(field::retry_after, std::to_string(answer.retry_after->count()));
    }
    return res;
  }
  if (answer.code == status::service_unavailable && !answer.retry_later) {
    // Storage takes no changes until someone acts: trying again shortly would not help.
    error_view view = error_view_for(answer.code, {});
    view.heading = "Notes are read-only";
    view.message = "The server cannot save changes at the moment, so nothing was changed. "
                   "Please tell whoever runs it.";
    return render_error_page(app, answer.code, view);
  }
  return error_page(app, answer.code);
}

}  // namespace notes::http::web
