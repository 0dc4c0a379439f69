#include "html_views.hpp"

#include <algorithm>
#include <chrono>

#include "form.hpp"
#include "notes/time.hpp"

namespace notes::http::web {
namespace {

using mustache::data;

// kainjow 4.1 cannot move an item into a list: push_back(const data&) and data(const list&) both
// deep-copy, and list_value() is the only access to the vector. That vector was created non-const
// (new list in data(type::list)), so writing through const_cast is defined behaviour. Reserve
// first: data's move constructor is not noexcept, so a growing vector would copy its items.
data make_list(std::size_t capacity) {
  data list(data::type::list);
  const_cast<mustache::list&>(list.list_value()).reserve(capacity);
  return list;
}

void push_moved(data& list, data&& item) {
  const_cast<mustache::list&>(list.list_value()).push_back(std::move(item));
}

std::string count_text(std::int64_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + ' ' + std::string(n == 1 ? one : many);
}

// `{{#name}}` sections test these; an empty string would still count as true in kainjow.
void set_optional_text(data& d, const std::string& name, const std::string& text) {
  if (text.empty()) {
    d[name] = false;
  } else {
    d[name] = text;
  }
}

data note_data(const note& n) {
  data d;
  d["id"] = std::to_string(n.id);
  d["title"] = n.title;
  d["content"] = n.content;
  d["is_pinned"] = n.is_pinned;
  d["version"] = std::to_string(n.version);
  d["created_iso"] = to_rfc3339(n.created_at);
  d["created_display"] = display_time(n.created_at);
  d["updated_iso"] = to_rfc3339(n.updated_at);
  d["updated_display"] = display_time(n.updated_at);
  return d;
}

data card_data(const note& n) {
  data d;
  d["id"] = std::to_string(n.id);
  d["title"] = n.title;
  d["excerpt"] = excerpt(n.content);
  d["is_pinned"] = n.is_pinned;
  d["created_iso"] = to_rfc3339(n.created_at);
  d["created_display"] = display_time(n.created_at);
  return d;
}

void add_pagination(data& d, const list_view& view) {
  const page_info& p = view.page;
  // A page past the end still gets the row, so there is a way back.
  const bool show = p.pages > 1 || (p.total > 0 && p.page > p.pages);
  d["has_pagination"] = show;
  if (!show) return;
  if (p.page > 1) {
    d["prev_url"] = list_url(view.query, std::min(p.page - 1, std::max<std::int64_t>(p.pages, 1)));
  } else {
    d["prev_url"] = false;
  }
  if (p.has_next) {
    d["next_url"] = list_url(view.query, p.page + 1);
  } else {
    d["next_url"] = false;
  }
  const auto window = page_window(p.page, p.pages);
  data links = make_list(window.size());
  for (const page_link& link : window) {
    data item;
    item["gap"] = link.number == 0;
    item["current"] = link.number != 0 && link.current;
    item["plain"] = link.number != 0 && !link.current;
    if (link.number != 0) {
      item["number"] = std::to_string(link.number);
      item["url"] = list_url(view.query, link.number);
    }
    push_moved(links, std::move(item));
  }
  d["page_links"] = std::move(links);
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
  using namespace std::chrono;
  static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{floor<minutes>(t - day)};
  const auto two = [](long v) { return (v < 10 ? "0" : "") + std::to_string(v); };
  std::string out = months[static_cast<unsigned>(ymd.month()) - 1];
  out += ' ';
  out += std::to_string(static_cast<unsigned>(ymd.day()));
  out += ", ";
  out += std::to_string(static_cast<int>(ymd.year()));
  out += ", ";
  out += two(hms.hours().count());
  out += ':';
  out += two(hms.minutes().count());
  out += " UTC";
  return out;
}

std::string excerpt(std::string_view content, std::size_t max_code_points) {
  std::string out;
  std::size_t code_points = 0;
  bool pending_space = false;
  for (std::size_t i = 0; i < content.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(content[i]);
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v') {
      pending_space = !out.empty();
      continue;
    }
    const bool starts_code_point = (c & 0xC0) != 0x80;
    if (starts_code_point) {
      if (code_points + (pending_space ? 1 : 0) >= max_code_points) {
        out += "…";
        return out;
      }
      if (pending_space) {
        out += ' ';
        ++code_points;
        pending_space = false;
      }
      ++code_points;
    }
    out += static_cast<char>(c);
  }
  return out;
}

std::string list_url(std::string_view query, std::int64_t page) {
  std::string url = "/notes";
  char separator = '?';
  if (!query.empty()) {
    url += "?q=";
    url += url_encode(query);
    separator = '&';
  }
  if (page > 1) {
    url += separator;
    url += "page=";
    url += std::to_string(page);
  }
  return url;
}

html_views::html_views(page_templates templates, std::string asset_version)
    : templates_(std::move(templates)), asset_version_(std::move(asset_version)) {}

data html_views::layout_data(const layout_view& layout) const {
  data d;
  d["page_title"] = layout.page_title;
  d["asset_version"] = asset_version_;
  d["search_query"] = layout.search_query;
  d["has_flashes"] = !layout.flashes.empty();
  data flashes = make_list(layout.flashes.size());
  for (const flash_message& f : layout.flashes) {
    data item;
    item["category"] = f.category;
    item["text"] = f.text;
    push_moved(flashes, std::move(item));
  }
  d["flashes"] = std::move(flashes);
  return d;
}

std::string html_views::render(page which, const data& d) const {
  std::string out;
  out.reserve(8192);
  templates_.render(which, d, out);
  return out;
}

std::string html_views::list(const layout_view& layout, const list_view& view) const {
  data d = layout_data(layout);
  const bool searching = !view.query.empty();
  d["searching"] = searching;
  d["heading"] = searching ? std::string("Search results") : std::string("Your notes");
  if (searching) {
    d["summary"] =
        count_text(view.page.total, "note matches", "notes match") + " “" + view.query + "”";
  } else {
    d["summary"] = view.page.total == 0 ? std::string("Nothing written yet.")
                                        : count_text(view.page.total, "note", "notes");
  }
  set_optional_text(d, "query_error", view.query_error);
  d["has_notes"] = !view.notes.empty();
  data cards = make_list(view.notes.size());
  for (const note& n : view.notes) push_moved(cards, card_data(n));
  d["notes"] = std::move(cards);

  data link;
  if (!view.query_error.empty()) {
    d["empty_title"] = "Search could not run";
    d["empty_text"] = "Shorten the search text and try again.";
    link["url"] = "/notes";
    link["label"] = "Show all notes";
  } else if (searching && view.page.total == 0) {
    d["empty_title"] = "No matches";
    d["empty_text"] = "No note contains “" + view.query + "”. Try fewer or different words.";
    link["url"] = "/notes";
    link["label"] = "Show all notes";
  } else if (view.page.total == 0) {
    d["empty_title"] = "No notes yet";
    d["empty_text"] = "Your notes will show up here. Start with a thought, a list or a plan.";
    link["url"] = "/notes/new";
    link["label"] = "Write your first note";
  } else {
    d["empty_title"] = "Nothing on this page";
    d["empty_text"] = "This page is past the last one.";
    link["url"] = list_url(view.query, 1);
    link["label"] = "Go to the first page";
  }
  d["empty_link"] = std::move(link);
  add_pagination(d, view);
  return render(page::list, d);
}

std::string html_views::detail(const layout_view& layout, const note& n) const {
  data d = layout_data(layout);
  d["note"] = note_data(n);
  return render(page::detail, d);
}

std::string html_views::form(const layout_view& layout, const form_view& view) const {
  data d = layout_data(layout);
  if (view.id) {
    const std::string id = std::to_string(*view.id);
    d["heading"] = "Edit note";
    d["action"] = "/notes/" + id + "/edit";
    d["submit_label"] = "Save changes";
    d["cancel_url"] = "/notes/" + id;
    d["cancel_label"] = "Back to the note";
  } else {
    d["heading"] = "New note";
    d["action"] = "/notes/new";
    d["submit_label"] = "Create note";
    d["cancel_url"] = "/notes";
    d["cancel_label"] = "All notes";
  }
  d["title"] = view.title;
  d["content"] = view.content;
  d["is_pinned"] = view.is_pinned;
  if (view.version) {
    d["version"] = std::to_string(*view.version);
  } else {
    d["version"] = false;
  }
  d["csrf_token"] = view.csrf_token;
  set_optional_text(d, "title_error", view.title_error);
  set_optional_text(d, "content_error", view.content_error);
  set_optional_text(d, "form_error", view.form_error);
  if (view.rejected) {
    data rejected;
    rejected["title"] = view.rejected->title;
    rejected["content"] = view.rejected->content;
    d["rejected"] = std::move(rejected);
  } else {
    d["rejected"] = false;
  }
  return render(page::form, d);
}

std::string html_views::confirm_delete(const layout_view& layout, const delete_view& view) const {
  data d = layout_data(layout);
  data n;
  n["id"] = std::to_string(view.target->id);
  n["title"] = view.target->title;
  n["excerpt"] = excerpt(view.target->content);
  n["version"] = std::to_string(view.target->version);
  d["note"] = std::move(n);
  d["csrf_token"] = view.csrf_token;
  set_optional_text(d, "form_error", view.form_error);
  return render(page::confirm_delete, d);
}

std::string html_views::error(const layout_view& layout, const error_view& view) const {
  data d = layout_data(layout);
  d["status"] = std::to_string(view.status);
  d["heading"] = view.heading;
  d["message"] = view.message;
  return render(page::error, d);
}

}  // namespace notes::http::web
