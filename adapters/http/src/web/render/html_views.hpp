#pragma once
// What each HTML page shows, turned into view_data and rendered through page_templates.
// Knows nothing of HTTP: handlers fill these views, tests can render them directly.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "notes/account.hpp"
#include "notes/account_service.hpp"
#include "notes/history.hpp"
#include "notes/note.hpp"
#include "notes/note_repository.hpp"
#include "notes/pagination.hpp"
#include "web/cookie_session.hpp"
#include "web/line_diff.hpp"
#include "web/render/page_templates.hpp"
#include "web/render/view_data.hpp"

namespace notes::http::web {

// What every page shares: the title bar, the search box and the flash messages; with accounts,
// who is signed in and the sign-out button.
struct layout_view {
  std::string page_title;
  std::string search_query;
  std::vector<flash_message> flashes;
  std::string account_name{};  // empty: nobody signed in (or no accounts)
  std::string csrf_token{};    // for the sign-out and undo forms
  bool show_nav = true;      // the search box and the new-note button
  std::string search_sort{};  // the list's order, which a search started from it keeps
};

struct list_view {
  std::span<const note> notes;
  page_info page;
  std::string query;        // trimmed; empty when not searching
  std::string query_error;  // why the search could not run
  bool show_trash = false;  // a link to the trash, when deleted notes go there
  std::vector<std::string> active_tags;  // the tag filter, as the address gave it
  std::span<const tag_count> tag_counts;  // the owner's tags
  std::string sort;  // "created", "updated", or empty (the default, by creation): kept in links
  timestamp now{};   // what the cards' "edited 3 minutes ago" counts from
};

struct trash_view {
  std::span<const trashed_note> notes;
  page_info page;
  std::string csrf_token;
};

struct empty_trash_view {
  std::int64_t count = 0;  // how many notes the trash holds
  std::string csrf_token;
};

struct form_view {
  std::optional<note_id> id;  // set when editing
  std::string note_title;  // the saved title when editing: the page names the note, not the typing
  std::string title;
  std::string content;
  bool is_pinned = false;
  std::string tags;  // the one field, comma separated, as typed
  std::optional<note_version> version;  // the version the edit started from
  std::string csrf_token;
  std::string title_error;
  std::string content_error;
  std::string tags_error;
  std::string form_error;
  // A stale save: what the person typed, shown beside the current text so nothing is lost.
  std::optional<note_draft> rejected;
};

struct delete_view {
  const note* target = nullptr;
  std::string csrf_token;
  std::string form_error;
  bool to_trash = false;  // the note goes to the trash rather than away for good
};

struct sign_in_view {
  std::string username;
  std::string next;  // a local path to go to after signing in; empty: the notes
  std::string csrf_token;
  std::string form_error;
  bool open_signup = false;
};

struct sign_up_view {
  std::string username;
  std::string csrf_token;
  std::string username_error;
  std::string password_error;
  std::string confirm_error;
  std::string form_error;
};

struct account_view {
  std::string name;
  bool is_admin = false;
  std::span<const api_token> tokens;
  std::string csrf_token;
  // The password form.
  std::string current_error;
  std::string password_error;
  std::string confirm_error;
  std::string password_form_error;
  // The new-token form.
  std::string token_name;
  token_scope scope = token_scope::read;
  std::string token_name_error;
  std::string token_form_error;
  // A token just made: its secret is on this page and nowhere else, ever.
  const new_token* created = nullptr;
};

struct history_view {
  const note* current = nullptr;
  std::span<const revision_summary> revisions;
  page_info page;
};

struct revision_view {
  const note* current = nullptr;
  const notes::revision* version = nullptr;
  // The version's text turned into the current one; nothing when too large to compare.
  std::optional<std::vector<diff_line>> diff;
  std::string csrf_token;
  std::string form_error;
};

struct error_view {
  int status = 500;
  std::string heading;
  std::string message;
};

// One entry of the page-number row: a number, or a gap between distant numbers.
struct page_link {
  std::int64_t number = 0;  // 0 for a gap
  bool current = false;
};

// 1, the pages around `current`, and the last page, with gaps where numbers are skipped.
std::vector<page_link> page_window(std::int64_t current, std::int64_t pages);

// "Nov 25, 2026, 12:44 UTC": readable without JavaScript; local-time.js localizes it.
std::string display_time(timestamp t);

// How long before `now` a note changed, as a card says it: "just now", "3 minutes ago",
// "yesterday", "5 days ago", and beyond a week the day, "on Nov 25, 2026".
std::string relative_time(timestamp then, timestamp now);

// " — page 2" after a heading or a title from the second page on; nothing on the first.
void append_page_number(std::string& out, std::int64_t page);

// The start of the content on one line, cut at a code point boundary with an ellipsis.
std::string excerpt(std::string_view content, std::size_t max_code_points = 180);
void append_excerpt(std::string& out, std::string_view content, std::size_t max_code_points = 180);

// "/notes", "/notes?page=3", "/notes?q=milk&page=2".
std::string list_url(std::string_view query, std::int64_t page);
void append_list_url(std::string& out, std::string_view query, std::int64_t page);
// As append_list_url, for the paged list at `base`.
void append_page_url(std::string& out, std::string_view base, std::string_view query,
                     std::int64_t page);

// The session cookie keeps a flash's category and text only, so the note a "moved to the trash"
// flash offers to restore rides in its category: this prefix and the note's id.
inline constexpr std::string_view trashed_flash_prefix = "trashed:";
std::string trashed_flash_category(note_id id);
// The note such a flash offers to restore; nothing for any other flash.
std::optional<note_id> trashed_note_in(const flash_message& f);

// The edit page's heading and title: "Edit “Groceries”", so tabs and history name the note;
// "Edit note" when its title is not known.
std::string edit_heading(std::string_view note_title);
void append_edit_heading(std::string& out, std::string_view note_title);

class html_views {
 public:
  html_views(page_templates templates, std::string asset_version);

  std::string list(const layout_view& layout, const list_view& view) const;
  // `content_html`: the note's content rendered (markdown/), kept per version by the caller,
  // with `task_count` task boxes and a pin button, each a form of its own with `csrf_token`.
  std::string detail(const layout_view& layout, const note& n, std::string_view content_html,
                     std::size_t task_count = 0, std::string_view csrf_token = {}) const;
  std::string form(const layout_view& layout, const form_view& view) const;
  std::string confirm_delete(const layout_view& layout, const delete_view& view) const;
  std::string trash(const layout_view& layout, const trash_view& view) const;
  std::string confirm_empty_trash(const layout_view& layout, const empty_trash_view& view) const;
  std::string history(const layout_view& layout, const history_view& view) const;
  std::string revision(const layout_view& layout, const revision_view& view) const;
  std::string error(const layout_view& layout, const error_view& view) const;
  std::string sign_in(const layout_view& layout, const sign_in_view& view) const;
  std::string sign_up(const layout_view& layout, const sign_up_view& view) const;
  std::string account(const layout_view& layout, const account_view& view) const;

 private:
  void add_layout(view_data& d, const layout_view& layout) const;
  std::string render(page which, const view_data& d) const;

  page_templates templates_;
  std::string asset_version_;
};

}  // namespace notes::http::web
