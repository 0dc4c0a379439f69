#include "web/render/html_views.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <utility>

#include "markdown/markdown.hpp"
#include "notes/snippet.hpp"
#include "notes/time.hpp"
#include "routing/http_text.hpp"
#include "web/form.hpp"

namespace notes::http::web {
namespace {

constexpr view_data::ref root = view_data::root;

// Each thread renders one page at a time, so one tree per thread serves every page it renders.
struct render_scratch {
  view_data data;
  std::array<std::size_t, page_count> last_size{};
};

render_scratch& scratch() {
  thread_local render_scratch s;
  return s;
}

view_data& fresh_data() {
  view_data& d = scratch().data;
  d.clear();
  return d;
}

void set_number(view_data& d, view_data::ref object, data_key key, std::int64_t n) {
  d.set_written(object, key, [n](std::string& out) { append_decimal(out, n); });
}

void append_count(std::string& out, std::int64_t n, std::string_view one, std::string_view many) {
  append_decimal(out, n);
  out += ' ';
  out.append(n == 1 ? one : many);
}

// `{{#name}}` sections test these; an empty string would still count as true.
void set_optional_text(view_data& d, data_key key, const std::string& text) {
  if (text.empty()) {
    d.set_bool(root, key, false);
  } else {
    d.set_text(root, key, text);
  }
}

// The calendar fields of a timestamp, for its readable spelling.
struct civil_time {
  int year;
  unsigned month;
  unsigned day;
  std::uint64_t micros;  // of the day

  explicit civil_time(timestamp t) {
    const auto day_start = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::year_month_day ymd{day_start};
    year = static_cast<int>(ymd.year());
    month = static_cast<unsigned>(ymd.month());
    day = static_cast<unsigned>(ymd.day());
    micros = static_cast<std::uint64_t>((t - day_start).count());
  }
};

// Writes `value` as exactly `width` decimal digits ending just before `end`.
void put_digits(char* end, std::uint64_t value, int width) {
  for (int i = 0; i < width; ++i) {
    *--end = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

void append_day(std::string& out, const civil_time& c) {
  static constexpr std::string_view months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  out.append(months[c.month - 1]);
  out += ' ';
  append_decimal(out, c.day);
  out += ", ";
  append_decimal(out, c.year);
}

void append_display_time(std::string& out, const civil_time& c) {
  const std::uint64_t minutes = c.micros / 60'000'000;
  append_day(out, c);
  out += ", ";
  char hh_mm[] = "00:00 UTC";
  put_digits(hh_mm + 2, minutes / 60, 2);
  put_digits(hh_mm + 5, minutes % 60, 2);
  out.append(hh_mm, sizeof hh_mm - 1);
}

void append_relative_time(std::string& out, timestamp then, timestamp now) {
  using namespace std::chrono;
  const auto ago = now - then;
  const auto in_units = [&](std::int64_t n, std::string_view unit) {
    append_decimal(out, n);
    out += ' ';
    out += unit;
    if (n != 1) out += 's';
    out += " ago";
  };
  // A clock a little behind the one that stamped the note still says "just now".
  if (ago < minutes(1)) {
    out += "just now";
  } else if (ago < hours(1)) {
    in_units(duration_cast<minutes>(ago).count(), "minute");
  } else if (ago < hours(24)) {
    in_units(duration_cast<hours>(ago).count(), "hour");
  } else if (ago < hours(48)) {
    out += "yesterday";
  } else if (ago < days(7)) {
    in_units(duration_cast<days>(ago).count(), "day");
  } else {
    out += "on ";
    append_day(out, civil_time(then));
  }
}

void set_times(view_data& d, view_data::ref object, data_key iso, data_key display, timestamp t) {
  const civil_time c(t);
  d.set_written(object, iso, [t](std::string& out) { append_rfc3339(out, t); });
  d.set_written(object, display, [&c](std::string& out) { append_display_time(out, c); });
}

// A card shows a few words; the Markdown read for them is the start of the note, cut at a line
// end, so a long note costs a list page no more than a short one.
constexpr std::size_t excerpt_source_bytes = 4096;

void set_excerpt(view_data& d, view_data::ref object, std::string_view content) {
  d.set_written(object, "excerpt", [content](std::string& out) {
    std::string_view source = content;
    if (source.size() > excerpt_source_bytes) {
      source = source.substr(0, excerpt_source_bytes);
      if (const auto line_end = source.rfind('\n'); line_end != std::string_view::npos) {
        source = source.substr(0, line_end);
      }
    }
    append_excerpt(out, markdown::to_plain_text(source));
  });
}

// In search results, the passage around the first match in the text a reader sees (the
// Markdown syntax left out), which the template marks; false when there is none (not a search,
// or the match is in the title or in the syntax only, such as a link's target).
bool add_snippet(view_data& d, view_data::ref item, std::string_view content,
                 std::string_view query) {
  if (query.empty()) {
    d.set_bool(item, "snippet", false);
    return false;
  }
  const std::string plain = markdown::to_plain_text(content);
  const auto found = text::find_snippet(plain, query);
  if (!found) {
    d.set_bool(item, "snippet", false);
    return false;
  }
  // The views point into `plain`, which ends with this call.
  const view_data::ref object = d.add_object(item, "snippet");
  d.set_bool(object, "cut_before", found->cut_before);
  d.set_copy(object, "before", found->before);
  d.set_copy(object, "match", found->match);
  d.set_copy(object, "after", found->after);
  d.set_bool(object, "cut_after", found->cut_after);
  return true;
}

// "/notes" with the list's sort and `tags`: what the list's links start from.
void append_list_base(std::string& out, std::string_view sort,
                      std::span<const std::string> tags, const std::string* leave_out = nullptr) {
  out += "/notes";
  char separator = '?';
  if (!sort.empty()) {
    out += "?sort=";
    out += url_encode(sort);
    separator = '&';
  }
  for (const std::string& tag : tags) {
    if (&tag == leave_out) continue;
    out += separator;
    out += "tag=";
    out += url_encode(tag);
    separator = '&';
  }
}

// Tag chips, each a link to the list filtered by it, in the list's `sort`.
void add_tag_links(view_data& d, view_data::ref object, std::span<const std::string> tags,
                   std::string_view sort = {}) {
  d.set_bool(object, "has_tags", !tags.empty());
  const view_data::ref list = d.add_list(object, "tags");
  for (const std::string& tag : tags) {
    const view_data::ref item = d.add_item(list);
    d.set_text(item, "name", tag);
    d.set_written(item, "url", [&tag, sort](std::string& out) {
      append_list_base(out, sort, std::span<const std::string>(&tag, 1));
    });
  }
}

// A card says when its note last changed ("Edited", or "Created" for a note never edited),
// relative to `now`, with the exact time on hover and for screen readers.
void add_card(view_data& d, view_data::ref item, const note& n, const list_view& view) {
  set_number(d, item, "id", n.id);
  d.set_text(item, "title", n.title);
  if (!add_snippet(d, item, n.content, view.query)) set_excerpt(d, item, n.content);
  d.set_bool(item, "is_pinned", n.is_pinned);
  add_tag_links(d, item, n.tags, view.sort);
  const bool edited = n.version > 1;
  d.set_text(item, "when_verb", edited ? "Edited" : "Created");
  const timestamp when = edited ? n.updated_at : n.created_at;
  set_times(d, item, "when_iso", "when_display", when);
  d.set_written(item, "when_relative",
                [&](std::string& out) { append_relative_time(out, when, view.now); });
}

// The page-number row of a paged list at `base` (the list, or the trash).
void add_pagination(view_data& d, const page_info& p, std::string_view base,
                    std::string_view query) {
  // A page past the end still gets the row, so there is a way back.
  const bool show = p.pages > 1 || (p.total > 0 && p.page > p.pages);
  d.set_bool(root, "has_pagination", show);
  if (!show) return;
  const auto url = [&](std::string& out, std::int64_t n) {
    append_page_url(out, base, query, n);
  };
  if (p.page > 1) {
    const std::int64_t prev = std::min(p.page - 1, std::max<std::int64_t>(p.pages, 1));
    d.set_written(root, "prev_url", [&](std::string& out) { url(out, prev); });
  } else {
    d.set_bool(root, "prev_url", false);
  }
  if (p.has_next) {
    const std::int64_t next = p.page + 1;
    d.set_written(root, "next_url", [&](std::string& out) { url(out, next); });
  } else {
    d.set_bool(root, "next_url", false);
  }
  const view_data::ref links = d.add_list(root, "page_links");
  for (const page_link& link : page_window(p.page, p.pages)) {
    const view_data::ref item = d.add_item(links);
    d.set_bool(item, "gap", link.number == 0);
    d.set_bool(item, "current", link.number != 0 && link.current);
    d.set_bool(item, "plain", link.number != 0 && !link.current);
    if (link.number != 0) {
      set_number(d, item, "number", link.number);
      const std::int64_t number = link.number;
      d.set_written(item, "url", [&](std::string& out) { url(out, number); });
    }
  }
}

}  // namespace

std::vector<page_link> page_window(std::int64_t current, std::int64_t pages) {
  std::vector<page_link> links;
  if (pages <= 0) return links;
  constexpr std::int64_t radius = 2;
  std::int64_t previous = 0;
  auto add = [&](std::int64_t n) {
    if (n <= previous || n < 1 || n > pages) return;
    if (n > previous + 1) links.push_back({0, false});
    links.push_back({n, n == current});
    previous = n;
  };
  add(1);
  for (std::int64_t n = std::max<std::int64_t>(2, current - radius);
       n <= std::min(pages - 1, current + radius); ++n) {
    add(n);
  }
  add(pages);
  return links;
}

std::string display_time(timestamp t) {
  std::string out;
  append_display_time(out, civil_time(t));
  return out;
}

void append_excerpt(std::string& out, std::string_view content, std::size_t max_code_points) {
  const std::size_t start = out.size();
  std::size_t code_points = 0;
  bool pending_space = false;
  // Bytes are copied in runs: [run, i) is taken but not yet appended.
  std::size_t run = std::string_view::npos;
  const auto flush = [&](std::size_t i) {
    if (run != std::string_view::npos) out.append(content.data() + run, i - run);
    run = std::string_view::npos;
  };
  for (std::size_t i = 0; i < content.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(content[i]);
    if (c <= ' ' && (c == ' ' || (c >= '\t' && c <= '\r'))) {  // space, \t \n \v \f \r
      flush(i);
      pending_space = out.size() != start;
      continue;
    }
    const bool starts_code_point = (c & 0xC0) != 0x80;
    if (starts_code_point) {
      if (code_points + (pending_space ? 1 : 0) >= max_code_points) {
        flush(i);
        out += "…";
        return;
      }
      if (pending_space) {
        flush(i);
        out += ' ';
        ++code_points;
        pending_space = false;
      }
      ++code_points;
    }
    if (run == std::string_view::npos) run = i;
  }
  flush(content.size());
}

std::string excerpt(std::string_view content, std::size_t max_code_points) {
  std::string out;
  append_excerpt(out, content, max_code_points);
  return out;
}

void append_list_url(std::string& out, std::string_view query, std::int64_t page) {
  append_page_url(out, "/notes", query, page);
}

void append_page_url(std::string& out, std::string_view base, std::string_view query,
                     std::int64_t page) {
  out += base;
  // A base may carry a filter already ("/notes?tag=work").
  char separator = base.find('?') == std::string_view::npos ? '?' : '&';
  if (!query.empty()) {
    out += separator;
    out += "q=";
    out += url_encode(query);
    separator = '&';
  }
  if (page > 1) {
    out += separator;
    out += "page=";
    append_decimal(out, page);
  }
}

std::string list_url(std::string_view query, std::int64_t page) {
  std::string url;
  append_list_url(url, query, page);
  return url;
}

std::string trashed_flash_category(note_id id) {
  std::string category(trashed_flash_prefix);
  append_decimal(category, id);
  return category;
}

std::optional<note_id> trashed_note_in(const flash_message& f) {
  if (!f.category.starts_with(trashed_flash_prefix)) return std::nullopt;
  return parse_positive_int64(std::string_view(f.category).substr(trashed_flash_prefix.size()));
}

void append_edit_heading(std::string& out, std::string_view note_title) {
  if (note_title.empty()) {
    out += "Edit note";
    return;
  }
  out += "Edit \u201c";
  out += note_title;
  out += "\u201d";
}

std::string edit_heading(std::string_view note_title) {
  std::string heading;
  append_edit_heading(heading, note_title);
  return heading;
}

html_views::html_views(page_templates templates, std::string asset_version)
    : templates_(std::move(templates)), asset_version_(std::move(asset_version)) {}

void html_views::add_layout(view_data& d, const layout_view& layout) const {
  d.set_text(root, "page_title", layout.page_title);
  d.set_text(root, "asset_version", asset_version_);
  d.set_text(root, "search_query", layout.search_query);
  set_optional_text(d, "search_sort", layout.search_sort);
  d.set_bool(root, "has_flashes", !layout.flashes.empty());
  const view_data::ref flashes = d.add_list(root, "flashes");
  for (const flash_message& f : layout.flashes) {
    const view_data::ref item = d.add_item(flashes);
    const std::optional<note_id> undo = trashed_note_in(f);
    d.set_text(item, "category", undo ? std::string_view("success") : f.category);
    d.set_text(item, "text", f.text);
    if (undo) {
      const view_data::ref object = d.add_object(item, "undo");
      set_number(d, object, "id", *undo);
      d.set_text(object, "csrf_token", layout.csrf_token);
    } else {
      d.set_bool(item, "undo", false);
    }
  }
  d.set_bool(root, "show_nav", layout.show_nav);
  set_optional_text(d, "account_name", layout.account_name);
  d.set_text(root, "sign_out_token", layout.csrf_token);
}

std::string html_views::render(page which, const view_data& d) const {
  // The last size of this page on this thread: one allocation for the page, rarely a second.
  std::size_t& last = scratch().last_size[static_cast<std::size_t>(which)];
  std::string out;
  out.reserve(std::max(last + last / 8, templates_.literal_size(which)));
  templates_.render(which, d, out);
  last = std::min<std::size_t>(out.size(), 64 * 1024);
  return out;
}

// The owner's tags with their counts, and the active filter, each tag removable.
void add_tag_filter(view_data& d, const list_view& view) {
  d.set_bool(root, "has_tag_counts", !view.tag_counts.empty());
  const view_data::ref counts = d.add_list(root, "tag_counts");
  for (const tag_count& t : view.tag_counts) {
    const view_data::ref item = d.add_item(counts);
    d.set_text(item, "name", t.name);
    set_number(d, item, "count", t.count);
    d.set_written(item, "url", [&](std::string& out) {
      append_list_base(out, view.sort, std::span<const std::string>(&t.name, 1));
    });
  }
  d.set_bool(root, "filtering", !view.active_tags.empty());
  const view_data::ref active = d.add_list(root, "active_tags");
  for (const std::string& tag : view.active_tags) {
    const view_data::ref item = d.add_item(active);
    d.set_text(item, "name", tag);
    d.set_written(item, "remove_url", [&](std::string& out) {
      std::string base;
      append_list_base(base, view.sort, view.active_tags, &tag);
      append_page_url(out, base, view.query, 1);
    });
  }
}

namespace {

// The two orders of the list, as links keeping the tag filter; the one shown is marked.
void add_sort_choices(view_data& d, const list_view& view) {
  const view_data::ref list = d.add_list(root, "sort_choices");
  const bool by_change = view.sort == "updated";
  constexpr std::array<std::pair<std::string_view, std::string_view>, 2> choices{
      {{"created", "Created"}, {"updated", "Last changed"}}};
  for (const auto& choice : choices) {
    const view_data::ref item = d.add_item(list);
    d.set_text(item, "label", choice.second);
    d.set_bool(item, "current", (choice.first == "updated") == by_change);
    d.set_written(item, "url", [&](std::string& out) {
      append_list_base(out, choice.first, view.active_tags);
    });
  }
}

}  // namespace

// ", page 2" after a heading or a title from the second page on.
void append_page_number(std::string& out, std::int64_t page) {
  if (page <= 1) return;
  out += " — page ";
  append_decimal(out, page);
}

std::string relative_time(timestamp then, timestamp now) {
  std::string out;
  append_relative_time(out, then, now);
  return out;
}

std::string html_views::list(const layout_view& layout, const list_view& view) const {
  view_data& d = fresh_data();
  add_layout(d, layout);
  const bool searching = !view.query.empty();
  const std::int64_t total = view.page.total;
  d.set_bool(root, "searching", searching);
  d.set_written(root, "heading", [&](std::string& out) {
    out += searching ? "Search results" : "Your notes";
    append_page_number(out, view.page.page);
  });
  if (searching) {
    d.set_written(root, "summary", [&](std::string& out) {
      append_count(out, total, "note matches", "notes match");
      out += " “";
      out += view.query;
      out += "”";
    });
  } else if (total == 0) {
    d.set_text(root, "summary", "Nothing written yet.");
  } else {
    d.set_written(root, "summary",
                  [total](std::string& out) { append_count(out, total, "note", "notes"); });
  }
  set_optional_text(d, "query_error", view.query_error);
  d.set_bool(root, "has_notes", !view.notes.empty());
  const view_data::ref cards = d.add_list(root, "notes");
  for (const note& n : view.notes) add_card(d, d.add_item(cards), n, view);

  const view_data::ref link = d.add_object(root, "empty_link");
  if (!view.query_error.empty()) {
    d.set_text(root, "empty_title", "Search could not run");
    d.set_text(root, "empty_text", "Shorten the search text and try again.");
    d.set_text(link, "url", "/notes");
    d.set_text(link, "label", "Show all notes");
  } else if (searching && total == 0) {
    d.set_text(root, "empty_title", "No matches");
    d.set_written(root, "empty_text", [&](std::string& out) {
      out += "No note contains “";
      out += view.query;
      out += "”. Try fewer or different words.";
    });
    d.set_text(link, "url", "/notes");
    d.set_text(link, "label", "Show all notes");
  } else if (total == 0) {
    d.set_text(root, "empty_title", "No notes yet");
    d.set_text(root, "empty_text",
               "Your notes will show up here. Start with a thought, a list or a plan.");
    d.set_text(link, "url", "/notes/new");
    d.set_text(link, "label", "Write your first note");
  } else {
    d.set_text(root, "empty_title", "Nothing on this page");
    d.set_text(root, "empty_text", "This page is past the last one.");
    d.set_written(link, "url", [&](std::string& out) {
      std::string base;
      append_list_base(base, view.sort, view.active_tags);
      append_page_url(out, base, view.query, 1);
    });
    d.set_text(link, "label", "Go to the first page");
  }
  d.set_bool(root, "show_trash", view.show_trash);
  std::string base;
  append_list_base(base, view.sort, view.active_tags);
  d.set_written(root, "clear_search_url",
                [&](std::string& out) { append_list_base(out, view.sort, {}); });
  add_pagination(d, view.page, base, view.query);
  add_tag_filter(d, view);
  add_sort_choices(d, view);
  return render(page::list, d);
}

std::string html_views::detail(const layout_view& layout, const note& n,
                               std::string_view content_html, std::size_t task_count,
                               std::string_view csrf_token) const {
  view_data& d = fresh_data();
  add_layout(d, layout);
  const view_data::ref object = d.add_object(root, "note");
  set_number(d, object, "id", n.id);
  d.set_text(object, "title", n.title);
  d.set_text(object, "content_html", content_html);
  d.set_bool(object, "is_pinned", n.is_pinned);
  add_tag_links(d, object, n.tags);
  set_number(d, object, "version", n.version);
  d.set_text(object, "csrf_token", csrf_token);
  const view_data::ref forms = d.add_list(object, "task_forms");
  for (std::size_t i = 1; i <= task_count; ++i) {
    const view_data::ref form = d.add_item(forms);
    set_number(d, form, "n", static_cast<std::int64_t>(i));
    set_number(d, form, "id", n.id);
    set_number(d, form, "version", n.version);
    d.set_text(form, "csrf_token", csrf_token);
  }
  set_times(d, object, "created_iso", "created_display", n.created_at);
  set_times(d, object, "updated_iso", "updated_display", n.updated_at);
  return render(page::detail, d);
}

std::string html_views::form(const layout_view& layout, const form_view& view) const {
  view_data& d = fresh_data();
  add_layout(d, layout);
  if (view.id) {
    const note_id id = *view.id;
    d.set_written(root, "heading", [&view](std::string& out) {
      append_edit_heading(out, view.note_title);
    });
    d.set_written(root, "action", [id](std::string& out) {
      out += "/notes/";
      append_decimal(out, id);
      out += "/edit";
    });
    d.set_text(root, "submit_label", "Save changes");
    d.set_written(root, "cancel_url", [id](std::string& out) {
      out += "/notes/";
      append_decimal(out, id);
    });
    d.set_text(root, "cancel_label", "Back to the note");
  } else {
    d.set_text(root, "heading", "New note");
    d.set_text(root, "action", "/notes/new");
    d.set_text(root, "submit_label", "Create note");
    d.set_text(root, "cancel_url", "/notes");
    d.set_text(root, "cancel_label", "All notes");
  }
  d.set_text(root, "title", view.title);
  d.set_text(root, "content", view.content);
  d.set_bool(root, "is_pinned", view.is_pinned);
  if (view.version) {
    set_number(d, root, "version", *view.version);
  } else {
    d.set_bool(root, "version", false);
  }
  d.set_text(root, "csrf_token", view.csrf_token);
  set_optional_text(d, "title_error", view.title_error);
  set_optional_text(d, "content_error", view.content_error);
  d.set_text(root, "tags", view.tags);
  set_optional_text(d, "tags_error", view.tags_error);
  set_optional_text(d, "form_error", view.form_error);
  if (view.rejected) {
    const view_data::ref rejected = d.add_object(root, "rejected");
    d.set_text(rejected, "title", view.rejected->title);
    d.set_text(rejected, "content", view.rejected->content);
  } else {
    d.set_bool(root, "rejected", false);
  }
  return render(page::form, d);
}

std::string html_views::confirm_delete(const layout_view& layout, const delete_view& view) const {
  view_data& d = fresh_data();
  add_layout(d, layout);
  const view_data::ref object = d.add_object(root, "note");
  set_number(d, object, "id", view.target->id);
  d.set_text(object, "title", view.target->title);
  set_excerpt(d, object, view.target->content);
  set_number(d, object, "version", view.target->version);
  d.set_text(root, "csrf_token", view.csrf_token);
  set_optional_text(d, "form_error", view.form_error);
  d.set_bool(root, "to_trash", view.to_trash);
  return render(page::confirm_delete, d);
}

std::string html_views::trash(const layout_view& layout, const trash_view& view) const {
  view_data& d = fresh_data();
  add_layout(d, layout);
  const std::int64_t total = view.page.total;
  if (total == 0) {
    d.set_text(root, "summary", "The trash is empty.");
  } else {
    d.set_written(root, "summary", [total](std::string& out) {
      append_count(out, total, "deleted note", "deleted notes");
    });
  }
  d.set_text(root, "csrf_token", view.csrf_token);
  d.set_bool(root, "has_trash", total > 0);
  d.set_bool(root, "has_notes", !view.notes.empty());
  const view_data::ref cards = d.add_list(root, "notes");
  for (const trashed_note& t : view.notes) {
    const view_data::ref item = d.add_item(cards);
    set_number(d, item, "id", t.note.id);
    d.set_text(item, "title", t.note.title);
    set_excerpt(d, item, t.note.content);
    set_number(d, item, "version", t.note.version);
    set_times(d, item, "deleted_iso", "deleted_display", t.deleted_at);
  }
  if (total == 0) {
    d.set_text(root, "empty_title", "Nothing in the trash");
    d.set_text(root, "empty_text",
               "Deleted notes wait here for a while, so a slip is easy to undo.");
    d.set_bool(root, "past_end", false);
  } else {
    d.set_text(root, "empty_title", "Nothing on this page");
    d.set_text(root, "empty_text", "This page is past the last one.");
    d.set_bool(root, "past_end", true);
  }
  add_pagination(d, view.page, "/trash", {});
  return render(page::trash, d);
}

std::string html_views::confirm_empty_trash(const layout_view& layout,
                                            const empty_trash_view& view) const {
  view_data& d = fresh_data();
  add_layout(d, layout);
  const std::int64_t count = view.count;
  d.set_written(root, "count",
                [count](std::string& out) { append_count(out, count, "note", "notes"); });
  d.set_bool(root, "has_trash", count > 0);
  d.set_text(root, "csrf_token", view.csrf_token);
  return render(page::confirm_empty_trash, d);
}

std::string html_views::history(const layout_view& layout, const history_view& view) const {
  view_data& d = fresh_data();
  add_layout(d, layout);
  const note& n = *view.current;
  const view_data::ref object = d.add_object(root, "note");
  set_number(d, object, "id", n.id);
  d.set_text(object, "title", n.title);
  const std::int64_t total = view.page.total;
  if (total == 0) {
    d.set_text(root, "summary", "No earlier versions.");
    d.set_text(root, "empty_title", "No earlier versions");
    d.set_text(root, "empty_text",
               "When this note changes, what it said before is kept here.");
  } else {
    d.set_written(root, "summary", [total](std::string& out) {
      append_count(out, total, "earlier version", "earlier versions");
    });
    d.set_text(root, "empty_title", "Nothing on this page");
    d.set_text(root, "empty_text", "This page is past the last one.");
  }
  std::string base = "/notes/";
  append_decimal(base, n.id);
  base += "/history";
  d.set_bool(root, "has_revisions", !view.revisions.empty());
  const view_data::ref items = d.add_list(root, "revisions");
  for (const revision_summary& r : view.revisions) {
    const view_data::ref item = d.add_item(items);
    set_number(d, item, "version", r.version);
    d.set_text(item, "title", r.title);
    d.set_written(item, "url", [&](std::string& out) {
      out += base;
      out += '/';
      append_decimal(out, r.version);
    });
    set_times(d, item, "replaced_iso", "replaced_display", r.replaced_at);
    d.set_written(item, "size", [&r](std::string& out) {
      append_count(out, r.content_length, "byte", "bytes");
    });
  }
  add_pagination(d, view.page, base, {});
  return render(page::history, d);
}

std::string html_views::revision(const layout_view& layout, const revision_view& view) const {
  view_data& d = fresh_data();
  add_layout(d, layout);
  const note& n = *view.current;
  const notes::revision& r = *view.version;
  d.set_written(root, "note_url", [&n](std::string& out) {
    out += "/notes/";
    append_decimal(out, n.id);
  });
  d.set_written(root, "history_url", [&n](std::string& out) {
    out += "/notes/";
    append_decimal(out, n.id);
    out += "/history";
  });
  d.set_written(root, "restore_url", [&](std::string& out) {
    out += "/notes/";
    append_decimal(out, n.id);
    out += "/history/";
    append_decimal(out, r.version);
    out += "/restore";
  });
  set_number(d, root, "current_version", n.version);
  d.set_text(root, "csrf_token", view.csrf_token);
  set_optional_text(d, "form_error", view.form_error);
  const view_data::ref object = d.add_object(root, "revision");
  set_number(d, object, "version", r.version);
  d.set_text(object, "title", r.title);
  d.set_text(object, "content", r.content);
  set_times(d, object, "replaced_iso", "replaced_display", r.replaced_at);
  const bool changed =
      view.diff && std::ranges::any_of(*view.diff, [](const diff_line& l) {
        return l.change != line_change::kept;
      });
  d.set_bool(root, "too_large", !view.diff);
  d.set_bool(root, "same", view.diff && !changed);
  d.set_bool(root, "has_diff", changed);
  const view_data::ref lines = d.add_list(root, "lines");
  if (changed) {
    for (const diff_line& l : *view.diff) {
      const view_data::ref item = d.add_item(lines);
      d.set_bool(item, "kept", l.change == line_change::kept);
      d.set_bool(item, "removed", l.change == line_change::removed);
      d.set_bool(item, "added", l.change == line_change::added);
      d.set_text(item, "text", l.text);
    }
  }
  return render(page::revision, d);
}

std::string html_views::error(const layout_view& layout, const error_view& view) const {
  view_data& d = fresh_data();
  add_layout(d, layout);
  set_number(d, root, "status", view.status);
  d.set_text(root, "heading", view.heading);
  d.set_text(root, "message", view.message);
  return render(page::error, d);
}

std::string html_views::sign_in(const layout_view& layout, const sign_in_view& view) const {
  view_data& d = fresh_data();
  add_layout(d, layout);
  d.set_text(root, "username", view.username);
  d.set_text(root, "next", view.next);
  d.set_text(root, "csrf_token", view.csrf_token);
  set_optional_text(d, "form_error", view.form_error);
  d.set_bool(root, "open_signup", view.open_signup);
  return render(page::sign_in, d);
}

std::string html_views::sign_up(const layout_view& layout, const sign_up_view& view) const {
  view_data& d = fresh_data();
  add_layout(d, layout);
  d.set_text(root, "username", view.username);
  d.set_text(root, "csrf_token", view.csrf_token);
  set_optional_text(d, "username_error", view.username_error);
  set_optional_text(d, "password_error", view.password_error);
  set_optional_text(d, "confirm_error", view.confirm_error);
  set_optional_text(d, "form_error", view.form_error);
  return render(page::sign_up, d);
}

std::string html_views::account(const layout_view& layout, const account_view& view) const {
  view_data& d = fresh_data();
  add_layout(d, layout);
  d.set_text(root, "name", view.name);
  d.set_bool(root, "is_admin", view.is_admin);
  d.set_text(root, "csrf_token", view.csrf_token);
  set_optional_text(d, "current_error", view.current_error);
  set_optional_text(d, "password_error", view.password_error);
  set_optional_text(d, "confirm_error", view.confirm_error);
  set_optional_text(d, "password_form_error", view.password_form_error);
  d.set_text(root, "token_name", view.token_name);
  d.set_bool(root, "scope_read", view.scope == token_scope::read);
  d.set_bool(root, "scope_read_write", view.scope == token_scope::read_write);
  set_optional_text(d, "token_name_error", view.token_name_error);
  set_optional_text(d, "token_form_error", view.token_form_error);
  if (view.created != nullptr) {
    const view_data::ref created = d.add_object(root, "created");
    d.set_text(created, "name", view.created->token.name);
    d.set_text(created, "secret", view.created->secret);
    d.set_text(created, "scope", view.created->token.scope == token_scope::read_write
                                     ? "read and write"
                                     : "read only");
  } else {
    d.set_bool(root, "created", false);
  }
  d.set_bool(root, "has_tokens", !view.tokens.empty());
  const view_data::ref tokens = d.add_list(root, "tokens");
  for (const api_token& t : view.tokens) {
    const view_data::ref item = d.add_item(tokens);
    set_number(d, item, "id", t.id);
    d.set_text(item, "name", t.name);
    d.set_text(item, "scope",
               t.scope == token_scope::read_write ? "read and write" : "read only");
    set_times(d, item, "created_iso", "created_display", t.created_at);
    if (t.last_used_at) {
      const view_data::ref used = d.add_object(item, "last_used");
      set_times(d, used, "iso", "display", *t.last_used_at);
    } else {
      d.set_bool(item, "last_used", false);
    }
  }
  return render(page::account, d);
}

}  // namespace notes::http::web
