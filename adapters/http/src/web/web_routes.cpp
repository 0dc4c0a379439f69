#include "web/web_routes.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

#include "log/access_log.hpp"
#include "markdown/markdown.hpp"
#include "notes/note_service.hpp"
#include "notes/text.hpp"
#include "notes/validation.hpp"
#include "routing/error_status.hpp"
#include "routing/http_text.hpp"
#include "routing/list_sort.hpp"
#include "web/account_pages.hpp"
#include "web/crypto.hpp"
#include "web/form.hpp"
#include "web/line_diff.hpp"
#include "web/render/html_views.hpp"
#include "web/static_files.hpp"
#include "web/web_app.hpp"
#include "web/web_responses.hpp"

namespace notes::http {
namespace {

using web::error_page;
using web::form_data;
using web::layout_view;
using web::read_form;
using web::service_error_page;
using web::visit;
using web::web_app;

constexpr std::string_view static_prefix = "/static/";
// The router's `{name}` captures one segment, so /static/ is registered for each depth up to this.
constexpr std::size_t max_static_depth = 8;

// WTForms' BooleanField: absent, "" and "false" are unchecked, anything else is checked.
bool checkbox(const form_data& form, std::string_view name) {
  const auto value = form.get(name);
  return value && !value->empty() && *value != "false";
}

// The version a form was loaded with. No field means no precondition, as an API request without
// If-Match (a form posted by a script or by a page older than versions); a field that is not a
// positive whole number makes the form damaged, refused rather than guessed at.
struct form_version {
  std::optional<note_version> expected;
  bool damaged = false;
};

form_version read_version(const form_data& form) {
  const auto raw = form.get("version");
  if (!raw) return {};
  const auto version = parse_positive_int64(*raw);
  return {version, !version};
}

// The `page` parameter of a paged list; a bad one is the 400 page.
std::expected<page_request, response> read_paging(const web_app& app,
                                                  const form_data& params) {
  page_request paging;
  if (const auto raw = params.get("page"); raw && !raw->empty()) {
    const auto page = parse_positive_int64(*raw);
    if (!page) {
      return std::unexpected(error_page(app, status::bad_request,
                                        "The page number must be a positive whole number."));
    }
    paging.page = *page;
  }
  return paging;
}

response list_page(const web_app& app, request_context& ctx) {
  const auto params = web::parse_form(ctx.query);
  if (!params) return error_page(app, status::bad_request, params.error());
  const auto read = read_paging(app, *params);
  if (!read) return read.error();
  const page_request paging = *read;
  // The pages list pinned notes first by creation unless `sort` says otherwise. An empty `sort=`
  // is refused as the API refuses it (and as both refuse `tag=`): no link here writes one.
  const std::optional<std::string_view> sort_param = params->get("sort");
  const std::string sort(sort_param.value_or(""));
  list_order order = list_order::pinned_first;
  if (sort_param) {
    const auto chosen = parse_sort(sort);
    if (!chosen) {
      return error_page(app, status::bad_request,
                        "The sort must be \"updated\" or \"created\".");
    }
    order = *chosen;
  }
  const std::string query(text::trim(params->get("q").value_or("")));
  std::vector<std::string> tags;
  for (const auto& [name, value] : params->fields()) {
    if (name == "tag") tags.push_back(value);
  }

  visit v(app, ctx);
  auto found = query.empty() ? ctx.service.list(order, paging, tags)
                             : ctx.service.search(query, paging, tags);
  if (!found && found.error().code == error_code::invalid_argument &&
      !found.error().fields.empty() && found.error().fields.front().field == "tag") {
    return error_page(app, status::bad_request, found.error().message);
  }
  web::list_view view;
  view.query = query;
  view.active_tags = std::move(tags);
  view.show_trash = ctx.service.policy().trash;
  view.sort = sort;
  view.now = ctx.service.now();
  status code = status::ok;
  if (found) {
    view.notes = found->notes;
    view.page = found->page;
  } else if (!query.empty() && found.error().code == error_code::invalid_argument &&
             !found.error().fields.empty() && found.error().fields.front().field == "query") {
    view.query_error = found.error().message;
    code = status::bad_request;
  } else {
    return service_error_page(app, found.error());
  }
  // Only once the notes were read: a failing store is asked once per page.
  auto tag_counts = ctx.service.tags();
  if (!tag_counts) return service_error_page(app, tag_counts.error());
  view.tag_counts = *tag_counts;
  std::string title = query.empty() ? std::string("Your notes") : "Search: " + query;
  web::append_page_number(title, paging.page);
  web::layout_view layout = v.layout(std::move(title), query);
  layout.search_sort = sort;
  return v.finish(web::html_response(code, app.views.list(layout, view)));
}

response detail_page(const web_app& app, request_context& ctx) {
  auto found = ctx.service.get(ctx.params.integer("id"));
  if (!found) return service_error_page(app, found.error());
  visit v(app, ctx);
  const auto shown = app.rendered_notes->html(found->id, found->version, found->content,
                                              markdown::task_style::form_button);
  // The pin button and any task boxes post forms of their own.
  const std::string csrf = v.csrf_token();
  return v.finish(web::html_response(
      status::ok, app.views.detail(v.layout(found->title), *found, shown->html,
                                   shown->task_count, csrf)));
}

web::form_view form_from(const form_data& form) {
  web::form_view view;
  view.title = std::string(form.get("title").value_or(""));
  view.content = std::string(form.get("content").value_or(""));
  view.is_pinned = checkbox(form, "is_pinned");
  view.tags = std::string(form.get("tags").value_or(""));
  return view;
}

void show_field_errors(web::form_view& view, const error& e) {
  for (const field_error& f : e.fields) {
    if (f.field == "title") {
      view.title_error = f.message;
    } else if (f.field == "content") {
      view.content_error = f.message;
    } else if (f.field == "tags") {
      view.tags_error = f.message;
    } else {
      view.form_error = f.message;
    }
  }
  if (e.fields.empty()) view.form_error = e.message;
}

response form_page(const web_app& app, visit& v, status code, web::form_view view) {
  view.csrf_token = v.csrf_token();
  std::string title = view.id ? web::edit_heading(view.note_title) : "New note";
  return v.finish(web::html_response(code, app.views.form(v.layout(std::move(title)), view)));
}

response new_form(const web_app& app, request_context& ctx) {
  visit v(app, ctx);
  return form_page(app, v, status::ok, {});
}

response create_note(const web_app& app, request_context& ctx) {
  visit v(app, ctx);
  const auto form = read_form(ctx.req);
  if (!form) {
    web::form_view view;
    view.form_error = form.error();
    return form_page(app, v, status::bad_request, std::move(view));
  }
  web::form_view view = form_from(*form);
  if (!v.csrf_valid(*form)) {
    view.form_error = web::csrf_message;
    return form_page(app, v, status::bad_request, std::move(view));
  }
  auto created =
      ctx.service.create({view.title, view.content, view.is_pinned, split_tags(view.tags)});
  if (!created) {
    if (created.error().code != error_code::invalid_argument)
      return service_error_page(app, created.error());
    show_field_errors(view, created.error());
    return form_page(app, v, status::bad_request, std::move(view));
  }
  v.flash("Note created successfully.");
  return v.finish(web::redirect(status::see_other, "/notes/" + std::to_string(created->id)));
}

web::form_view form_for(const note& n) {
  web::form_view view;
  view.id = n.id;
  view.note_title = n.title;
  view.title = n.title;
  view.content = n.content;
  view.is_pinned = n.is_pinned;
  view.tags = join_tags(n.tags);
  view.version = n.version;
  return view;
}

response edit_form(const web_app& app, request_context& ctx) {
  auto found = ctx.service.get(ctx.params.integer("id"));
  if (!found) return service_error_page(app, found.error());
  visit v(app, ctx);
  return form_page(app, v, status::ok, form_for(*found));
}

// Someone else saved first, or the form cannot say which version it edits: the form now holds
// the current note, and what this person typed is shown beside it, so nothing is overwritten and
// nothing is lost.
response stale_edit(const web_app& app, request_context& ctx, visit& v,
                    const web::form_view& typed, status code, std::string message) {
  auto current = ctx.service.get(ctx.params.integer("id"));
  if (!current) return service_error_page(app, current.error());
  web::form_view view = form_for(*current);
  view.form_error = std::move(message);
  view.rejected = note_draft{typed.title, typed.content, typed.is_pinned, split_tags(typed.tags)};
  return form_page(app, v, code, std::move(view));
}

response update_note(const web_app& app, request_context& ctx) {
  const note_id id = ctx.params.integer("id");
  visit v(app, ctx);
  const auto form = read_form(ctx.req);
  if (!form) {
    auto found = ctx.service.get(id);
    if (!found) return service_error_page(app, found.error());
    web::form_view view = form_for(*found);
    view.form_error = form.error();
    return form_page(app, v, status::bad_request, std::move(view));
  }
  web::form_view view = form_from(*form);
  view.id = id;
  const form_version version = read_version(*form);
  view.version = version.expected;
  if (!v.csrf_valid(*form)) {
    view.form_error = web::csrf_message;
    return form_page(app, v, status::bad_request, std::move(view));
  }
  if (version.damaged) {
    return stale_edit(app, ctx, v, view, status::bad_request,
                      "This form is damaged (its version is not a number), so nothing was saved. "
                      "The current note is shown; your text is below.");
  }
  note_patch patch{view.title, view.content, view.is_pinned, split_tags(view.tags)};
  auto updated = ctx.service.update(id, patch, view.version);
  if (!updated) {
    const error& e = updated.error();
    if (e.code == error_code::conflict) {
      return stale_edit(app, ctx, v, view, status::conflict,
                        "Someone else changed this note while you were editing, so your changes "
                        "were not saved. The form now shows the current note; your text is below.");
    }
    if (e.code != error_code::invalid_argument) return service_error_page(app, e);
    show_field_errors(view, e);
    if (auto saved = ctx.service.get(id)) view.note_title = saved->title;
    return form_page(app, v, status::bad_request, std::move(view));
  }
  v.flash("Note updated.");
  return v.finish(web::redirect(status::see_other, "/notes/" + std::to_string(id)));
}

response delete_page(const web_app& app, const request_context& ctx, visit& v, status code,
                     const note& n, std::string message = {}) {
  web::delete_view view{&n, v.csrf_token(), std::move(message), ctx.service.policy().trash};
  return v.finish(web::html_response(
      code, app.views.confirm_delete(v.layout("Delete " + n.title), view)));
}

response delete_form(const web_app& app, request_context& ctx) {
  auto found = ctx.service.get(ctx.params.integer("id"));
  if (!found) return service_error_page(app, found.error());
  visit v(app, ctx);
  return delete_page(app, ctx, v, status::ok, *found);
}

response delete_note(const web_app& app, request_context& ctx) {
  const note_id id = ctx.params.integer("id");
  auto found = ctx.service.get(id);
  if (!found) return service_error_page(app, found.error());
  visit v(app, ctx);
  const auto form = read_form(ctx.req);
  if (!form) return delete_page(app, ctx, v, status::bad_request, *found, form.error());
  if (!v.csrf_valid(*form)) {
    return delete_page(app, ctx, v, status::bad_request, *found,
                       std::string(web::csrf_message));
  }
  const form_version version = read_version(*form);
  if (version.damaged) {
    return delete_page(app, ctx, v, status::bad_request, *found,
                       "This form is damaged. Please confirm again.");
  }
  auto removed = ctx.service.remove(id, version.expected);
  if (!removed) {
    if (removed.error().code != error_code::conflict)
      return service_error_page(app, removed.error());
    auto current = ctx.service.get(id);
    if (!current) return service_error_page(app, current.error());
    return delete_page(app, ctx, v, status::conflict, *current,
                       "This note changed after you opened this page. Check it and confirm again.");
  }
  if (ctx.service.policy().trash) {
    v.flash_trashed(id, "Note moved to the trash.");
  } else {
    v.flash("Note deleted.");
  }
  return v.finish(web::redirect(status::see_other, "/notes"));
}

// With the trash off, its pages do not exist.
bool trash_off(const request_context& ctx) { return !ctx.service.policy().trash; }

response trash_page(const web_app& app, request_context& ctx) {
  if (trash_off(ctx)) return error_page(app, status::not_found);
  const auto params = web::parse_form(ctx.query);
  if (!params) return error_page(app, status::bad_request, params.error());
  const auto paging = read_paging(app, *params);
  if (!paging) return paging.error();
  auto found = ctx.service.list_trash(*paging);
  if (!found) return service_error_page(app, found.error());
  visit v(app, ctx);
  web::trash_view view{found->notes, found->page, v.csrf_token()};
  return v.finish(web::html_response(status::ok, app.views.trash(v.layout("Trash"), view)));
}

// A trash form's CSRF token and version checked; the refusal, if any, is the page to answer.
std::optional<response> refuse_trash_form(const web_app& app, visit& v,
                                          const std::expected<form_data, std::string>& form,
                                          const form_version& version) {
  if (!form) return v.finish(error_page(app, status::bad_request, form.error()));
  if (!v.csrf_valid(*form)) {
    return v.finish(error_page(app, status::bad_request, web::csrf_message));
  }
  if (version.damaged) {
    return v.finish(error_page(app, status::bad_request,
                               "This form is damaged (its version is not a number), so nothing "
                               "was changed."));
  }
  return std::nullopt;
}

constexpr std::string_view trash_changed_message =
    "This note changed after the trash page was shown, so nothing was done. Open the trash "
    "again and retry.";

response restore_note(const web_app& app, request_context& ctx) {
  if (trash_off(ctx)) return error_page(app, status::not_found);
  const note_id id = ctx.params.integer("id");
  visit v(app, ctx);
  const auto form = read_form(ctx.req);
  const form_version version = form ? read_version(*form) : form_version{};
  if (auto refused = refuse_trash_form(app, v, form, version)) return std::move(*refused);
  auto restored = ctx.service.restore(id, version.expected);
  if (!restored) {
    if (restored.error().code == error_code::conflict)
      return v.finish(error_page(app, status::conflict, trash_changed_message));
    return v.finish(service_error_page(app, restored.error()));
  }
  v.flash("Note restored.");
  return v.finish(web::redirect(status::see_other, "/notes/" + std::to_string(id)));
}

response purge_note(const web_app& app, request_context& ctx) {
  if (trash_off(ctx)) return error_page(app, status::not_found);
  const note_id id = ctx.params.integer("id");
  visit v(app, ctx);
  const auto form = read_form(ctx.req);
  const form_version version = form ? read_version(*form) : form_version{};
  if (auto refused = refuse_trash_form(app, v, form, version)) return std::move(*refused);
  auto purged = ctx.service.purge(id, version.expected);
  if (!purged) {
    if (purged.error().code == error_code::conflict)
      return v.finish(error_page(app, status::conflict, trash_changed_message));
    return v.finish(service_error_page(app, purged.error()));
  }
  v.flash("Note deleted for good.");
  return v.finish(web::redirect(status::see_other, "/trash"));
}

response empty_trash_form(const web_app& app, request_context& ctx) {
  if (trash_off(ctx)) return error_page(app, status::not_found);
  auto found = ctx.service.list_trash({1, 1});
  if (!found) return service_error_page(app, found.error());
  visit v(app, ctx);
  web::empty_trash_view view{found->page.total, v.csrf_token()};
  return v.finish(web::html_response(
      status::ok, app.views.confirm_empty_trash(v.layout("Empty the trash"), view)));
}

response empty_trash(const web_app& app, request_context& ctx) {
  if (trash_off(ctx)) return error_page(app, status::not_found);
  visit v(app, ctx);
  const auto form = read_form(ctx.req);
  if (auto refused = refuse_trash_form(app, v, form, {})) return std::move(*refused);
  auto emptied = ctx.service.empty_trash();
  if (!emptied) return v.finish(service_error_page(app, emptied.error()));
  const std::int64_t n = *emptied;
  v.flash(n == 1 ? std::string("The trash is empty: 1 note was deleted for good.")
                 : "The trash is empty: " + std::to_string(n) + " notes were deleted for good.");
  return v.finish(web::redirect(status::see_other, "/trash"));
}

response history_page(const web_app& app, request_context& ctx) {
  const note_id id = ctx.params.integer("id");
  const auto params = web::parse_form(ctx.query);
  if (!params) return error_page(app, status::bad_request, params.error());
  const auto paging = read_paging(app, *params);
  if (!paging) return paging.error();
  auto current = ctx.service.get(id);
  if (!current) return service_error_page(app, current.error());
  auto found = ctx.service.revisions(id, *paging);
  if (!found) return service_error_page(app, found.error());
  visit v(app, ctx);
  web::history_view view{&*current, found->revisions, found->page};
  return v.finish(web::html_response(
      status::ok, app.views.history(v.layout("History of " + current->title), view)));
}

response revision_page(const web_app& app, visit& v, status code, const note& current,
                       const revision& version, std::string message = {}) {
  web::revision_view view{&current, &version, web::diff_lines(version.content, current.content),
                          v.csrf_token(), std::move(message)};
  std::string title = "Version " + std::to_string(version.version) + " of " + current.title;
  return v.finish(
      web::html_response(code, app.views.revision(v.layout(std::move(title)), view)));
}

response show_revision(const web_app& app, request_context& ctx) {
  const note_id id = ctx.params.integer("id");
  auto current = ctx.service.get(id);
  if (!current) return service_error_page(app, current.error());
  auto version = ctx.service.revision(id, ctx.params.integer("version"));
  if (!version) return service_error_page(app, version.error());
  visit v(app, ctx);
  return revision_page(app, v, status::ok, *current, *version);
}

response restore_revision(const web_app& app, request_context& ctx) {
  const note_id id = ctx.params.integer("id");
  const note_version wanted = ctx.params.integer("version");
  auto current = ctx.service.get(id);
  if (!current) return service_error_page(app, current.error());
  auto version = ctx.service.revision(id, wanted);
  if (!version) return service_error_page(app, version.error());
  visit v(app, ctx);
  const auto form = read_form(ctx.req);
  if (!form) return revision_page(app, v, status::bad_request, *current, *version, form.error());
  if (!v.csrf_valid(*form)) {
    return revision_page(app, v, status::bad_request, *current, *version,
                         std::string(web::csrf_message));
  }
  const form_version expected = read_version(*form);
  if (expected.damaged) {
    return revision_page(app, v, status::bad_request, *current, *version,
                         "This form is damaged (its version is not a number), so nothing was "
                         "restored.");
  }
  auto restored = ctx.service.restore_revision(id, wanted, expected.expected);
  if (!restored) {
    if (restored.error().code != error_code::conflict)
      return service_error_page(app, restored.error());
    auto now = ctx.service.get(id);
    if (!now) return service_error_page(app, now.error());
    return revision_page(app, v, status::conflict, *now, *version,
                         "This note changed after this page was shown, so nothing was restored. "
                         "The page now compares with the current text; restore again if you "
                         "still want this version.");
  }
  v.flash("Version " + std::to_string(wanted) + " restored.");
  return v.finish(web::redirect(status::see_other, "/notes/" + std::to_string(id)));
}

// A small form posted from the note page (a task box, the pin button): the note changes only
// when the page showed its current version. `change` makes the patch from the current note,
// or answers itself (an error page).
template <class Change>
response change_shown_note(const web_app& app, request_context& ctx, std::string_view stale,
                           Change change) {
  const note_id id = ctx.params.integer("id");
  auto current = ctx.service.get(id);
  if (!current) return service_error_page(app, current.error());
  visit v(app, ctx);
  const auto form = read_form(ctx.req);
  if (!form) return v.finish(error_page(app, status::bad_request, form.error()));
  if (!v.csrf_valid(*form)) {
    return v.finish(error_page(app, status::bad_request, web::csrf_message));
  }
  const form_version expected = read_version(*form);
  if (expected.damaged || !expected.expected) {
    return v.finish(error_page(app, status::bad_request,
                               "This form is damaged (its version is missing or not a number), "
                               "so nothing was changed."));
  }
  if (*expected.expected != current->version) {
    return v.finish(error_page(app, status::conflict, stale));
  }
  std::expected<note_patch, response> patch = change(*current);
  if (!patch) return v.finish(std::move(patch.error()));
  auto updated = ctx.service.update(id, *patch, expected.expected);
  if (!updated) {
    if (updated.error().code == error_code::conflict) {
      return v.finish(error_page(app, status::conflict, stale));
    }
    return service_error_page(app, updated.error());
  }
  return v.finish(web::redirect(status::see_other, "/notes/" + std::to_string(id)));
}

// Ticks or clears task box `n` of the note: exactly that `[ ]` or `[x]` of its text changes.
response toggle_task(const web_app& app, request_context& ctx) {
  const std::int64_t box = ctx.params.integer("n");
  return change_shown_note(
      app, ctx,
      "This note changed after this page was shown, so nothing was changed. Open the note "
      "again and tick the box there.",
      [&](const note& current) -> std::expected<note_patch, response> {
        const std::vector<std::size_t> boxes = markdown::task_box_offsets(current.content);
        // Boxes count from 1, as a person counts them ({n:int} is positive).
        if (static_cast<std::uint64_t>(box) > boxes.size()) {
          return std::unexpected(
              error_page(app, status::not_found, "This note has no such task box."));
        }
        note_patch patch;
        patch.content = current.content;
        char& mark = (*patch.content)[boxes[static_cast<std::size_t>(box) - 1]];
        mark = mark == ' ' ? 'x' : ' ';
        return patch;
      });
}

// Pins an unpinned note or unpins a pinned one, without opening the form.
response toggle_pin(const web_app& app, request_context& ctx) {
  return change_shown_note(
      app, ctx,
      "This note changed after this page was shown, so nothing was changed. Open the note "
      "again and pin or unpin it there.",
      [](const note& current) -> std::expected<note_patch, response> {
        note_patch patch;
        patch.is_pinned = !current.is_pinned;
        return patch;
      });
}

response static_file(const web_app& app, request_context& ctx) {
  const web::static_file* file = app.statics.find(ctx.path.substr(static_prefix.size()));
  if (file == nullptr) return error_page(app, status::not_found);
  // Pages link assets with ?v=<version>: such a URL never changes meaning, so it may be kept.
  const auto params = web::parse_form(ctx.query);
  const bool versioned = params && params->get("v") == app.statics.version();
  const char* cache = versioned ? "public, max-age=31536000, immutable" : "public, max-age=3600";
  if (web::etag_matches(ctx.req[field::if_none_match], file->etag)) {
    response res{status::not_modified, 11};
    res.set(field::etag, file->etag);
    res.set(field::cache_control, cache);
    web::add_security_headers(res);
    return res;
  }
  response res = make_response(status::ok, file->content, file->content_type);
  res.set(field::etag, file->etag);
  res.set(field::cache_control, cache);
  web::add_security_headers(res);
  return res;
}

}  // namespace

std::shared_ptr<const web::cookie_session_codec> make_cookie_sessions(const web_options& options,
                                                                      const auth_options& auth) {
  std::string key = options.secret_key;
  if (key.empty()) {
    log_warning("SECRET_KEY",
                "not set; using a random key, so sessions and forms in open pages stop working "
                "on restart and are not shared between servers");
    key = web::random_bytes(32);
  }
  web::cookie_session_options cookie_session_options;
  cookie_session_options.secure_cookie = options.secure_cookies;
  if (auth.accounts) {
    cookie_session_options.lifetime =
        std::max(cookie_session_options.lifetime, auth.session_lifetime);
  }
  return std::make_shared<const web::cookie_session_codec>(key, cookie_session_options);
}

void add_web_routes(router& r, const web_options& options, const auth_options& auth,
                    std::shared_ptr<const web::cookie_session_codec> sessions) {
  auto templates = web::page_templates::load(
      options.templates_dir.empty() ? std::nullopt
                                    : std::optional<std::filesystem::path>(options.templates_dir));
  if (!templates) throw std::runtime_error("TEMPLATES_DIR: " + templates.error());
  auto statics = web::static_files::load(
      options.static_dir.empty() ? std::nullopt
                                 : std::optional<std::filesystem::path>(options.static_dir));
  if (!statics) throw std::runtime_error(statics.error());

  const std::string version = statics->version();
  auto app = std::make_shared<const web_app>(web_app{
      web::html_views(std::move(*templates), version), std::move(*statics), std::move(sessions),
      auth, std::make_shared<markdown::html_cache>()});

  const auto page = [app](response (*fn)(const web_app&, request_context&)) {
    return [app, fn](request_context& ctx) { return fn(*app, ctx); };
  };
  r.set_error_renderer("/", [app](const request&, const error_info& e) {
    return error_page(*app, e.code, e.message);
  });
  r.add(verb::get, "/", [](request_context&) { return web::redirect(status::found, "/notes"); });
  r.add(verb::get, "/notes", page(list_page));
  r.add(verb::get, "/notes/new", page(new_form));
  r.add(verb::post, "/notes/new", page(create_note), route_lane::storage);
  r.add(verb::get, "/notes/{id:int}", page(detail_page));
  r.add(verb::get, "/notes/{id:int}/edit", page(edit_form));
  r.add(verb::post, "/notes/{id:int}/edit", page(update_note), route_lane::storage);
  r.add(verb::post, "/notes/{id:int}/tasks/{n:int}", page(toggle_task), route_lane::storage);
  r.add(verb::post, "/notes/{id:int}/pin", page(toggle_pin), route_lane::storage);
  r.add(verb::get, "/notes/{id:int}/delete", page(delete_form));
  r.add(verb::post, "/notes/{id:int}/delete", page(delete_note), route_lane::storage);
  r.add(verb::get, "/notes/{id:int}/history", page(history_page));
  r.add(verb::get, "/notes/{id:int}/history/{version:int}", page(show_revision));
  r.add(verb::post, "/notes/{id:int}/history/{version:int}/restore", page(restore_revision),
        route_lane::storage);
  r.add(verb::get, "/trash", page(trash_page));
  r.add(verb::get, "/trash/empty", page(empty_trash_form));
  r.add(verb::post, "/trash/empty", page(empty_trash), route_lane::storage);
  r.add(verb::post, "/trash/{id:int}/restore", page(restore_note), route_lane::storage);
  r.add(verb::post, "/trash/{id:int}/delete", page(purge_note), route_lane::storage);
  std::string pattern(static_prefix.substr(0, static_prefix.size() - 1));
  for (std::size_t depth = 1; depth <= max_static_depth; ++depth) {
    pattern += "/{p" + std::to_string(depth) + "}";
    r.add(verb::get, pattern, page(static_file), access::open);
  }
  if (auth.accounts) web::add_account_pages(r, app);
}

}  // namespace notes::http
