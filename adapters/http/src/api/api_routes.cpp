#include "api/api_routes.hpp"

#include <charconv>
#include <expected>
#include <optional>
#include <vector>

#include "api/json_writer.hpp"
#include "api/list_cursor.hpp"
#include "api/openapi.hpp"
#include "api/request_json.hpp"
#include "markdown/markdown.hpp"
#include "notes/note_service.hpp"
#include "notes/text.hpp"
#include "routing/error_status.hpp"
#include "routing/http_text.hpp"
#include "routing/json_text.hpp"
#include "routing/list_sort.hpp"
#include "routing/url.hpp"

namespace notes::http {

namespace {

constexpr std::string_view json_type = "application/json";

response json_response(status code, std::string body) {
  return make_response(code, std::move(body), json_type);
}

response json_error(status code, std::string_view message,
                    std::span<const field_error> fields = {}) {
  return json_response(code, error_json(message, fields));
}

// The strong entity tag of a note: its version, quoted. Formatted in place: it is on every
// note response.
class etag_for {
 public:
  explicit etag_for(const note& n) {
    buf_[0] = '"';
    auto [end, ec] = std::to_chars(buf_ + 1, buf_ + sizeof buf_ - 1, n.version);
    *end = '"';
    size_ = static_cast<std::size_t>(end + 1 - buf_);
  }
  std::string_view view() const noexcept { return {buf_, size_}; }

 private:
  char buf_[24];
  std::size_t size_;
};

// `content_html`, when given, is added as a field of that name.
response note_response(status code, const note& n, const std::string* content_html = nullptr) {
  std::string body;
  body.reserve(160 + n.title.size() + n.content.size() +
               (content_html ? 32 + content_html->size() : 0));
  append_note_json(body, n);
  if (content_html) {
    body.pop_back();  // the object's closing brace
    body += ",\"content_html\":";
    append_json_string(body, *content_html);
    body += '}';
  }
  response res = json_response(code, std::move(body));
  res.set(field::etag, etag_for(n).view());
  return res;
}

// A failure from the service, answered as error_status decides, in JSON.
response service_error(const error& e) {
  const failure_answer answer = answer_failure(e);
  response res = json_error(answer.code, answer.message, answer.fields);
  if (answer.retry_after) res.set(field::retry_after, std::to_string(answer.retry_after->count()));
  return res;
}

// One entity tag from an If-Match / If-None-Match list.
struct entity_tag {
  bool any = false;   // "*"
  bool weak = false;  // W/"..."
  std::optional<note_version> version;  // empty when the tag is not one this server makes
};

std::vector<entity_tag> parse_entity_tags(std::string_view header) {
  std::vector<entity_tag> tags;
  for_each_entity_tag(header, [&](const entity_tag_item& item) {
    tags.push_back({item.any, item.weak, parse_positive_int64(item.opaque)});
  });
  return tags;
}

// If-None-Match uses the weak comparison (RFC 9110 13.1.2).
bool none_match_hits(std::string_view header, note_version current) {
  for (const auto& tag : parse_entity_tags(header)) {
    if (tag.any || tag.version == current) return true;
  }
  return false;
}

// What an If-Match header asks for, resolved against the stored note when the header lists
// several tags: either proceed (with the version the write must still find) or fail with 412.
struct precondition {
  bool present = false;
  bool satisfiable = true;
  std::optional<note_version> expected;
};

// `find` reads the stored note (live or trashed, as the route acts on) as a result<note>.
template <class Find>
precondition read_if_match(const request& req, Find find, std::optional<note>& current) {
  precondition p;
  auto header = req.find(field::if_match);
  if (header == req.end()) return p;
  p.present = true;
  std::vector<entity_tag> tags = parse_entity_tags(header->value());
  bool any = false;
  std::vector<note_version> strong;
  for (const auto& tag : tags) {
    if (tag.any) any = true;
    // If-Match uses the strong comparison: weak tags never match.
    if (!tag.weak && tag.version) strong.push_back(*tag.version);
  }
  if (any) return p;  // "*": any current version will do; a missing note is still a 404
  if (strong.size() == 1) {
    p.expected = strong.front();
    return p;
  }
  // Zero or several usable tags: compare with the stored version, then write against it, so a
  // writer racing us between the read and the write still makes ours fail.
  auto found = find();
  if (!found) return p;  // the write below reports the same failure
  current = *found;
  bool listed = false;
  for (auto v : strong) listed = listed || v == found->version;
  p.satisfiable = listed;
  p.expected = found->version;
  return p;
}

template <class Find>
response precondition_failed(Find find, std::optional<note> current) {
  if (!current) {
    auto found = find();
    if (!found) return service_error(found.error());
    current = *found;
  }
  std::string body = "{\"error\":\"The note has changed since you read it\",\"note\":";
  append_note_json(body, *current);
  body += '}';
  response res = json_response(status::precondition_failed, std::move(body));
  res.set(field::etag, etag_for(*current).view());
  return res;
}

precondition read_if_match(const request& req, note_service& service, note_id id,
                           std::optional<note>& current) {
  return read_if_match(req, [&] { return service.get(id); }, current);
}

response precondition_failed(note_service& service, note_id id, std::optional<note> current) {
  return precondition_failed([&] { return service.get(id); }, std::move(current));
}

// Reads a positive integer query parameter; absent means `fallback`.
std::optional<std::int64_t> positive_param(std::string_view query, std::string_view name,
                                           std::int64_t fallback,
                                           std::vector<field_error>& errors) {
  auto raw = find_param(query, name);
  if (!raw) return fallback;
  auto value = parse_positive_int64(*raw);
  if (!value) errors.push_back({std::string(name), "must be a positive integer"});
  return value;
}

std::optional<page_request> read_page(std::string_view query, std::vector<field_error>& errors) {
  auto page = positive_param(query, "page", 1, errors);
  auto per_page = positive_param(query, "per_page", default_per_page, errors);
  if (!page || !per_page) return std::nullopt;
  return page_request{*page, *per_page};
}

// The notes; with `snippet_query`, each with the passage around its match (search results).
void append_note_array(std::string& out, const std::vector<note>& notes,
                       std::optional<std::string_view> snippet_query = std::nullopt) {
  out += '[';
  for (std::size_t i = 0; i < notes.size(); ++i) {
    if (i != 0) out += ',';
    if (snippet_query) {
      append_found_note_json(out, notes[i], *snippet_query);
    } else {
      append_note_json(out, notes[i]);
    }
  }
  out += ']';
}

std::size_t estimated_size(const std::vector<note>& notes) {
  std::size_t size = 160;
  for (const auto& n : notes) size += 160 + n.title.size() + n.content.size();
  return size;
}

// The numbered page, or with `after` the page after that cursor (which must be of `order`, and
// comes without a page number); the refusal of a bad cursor as the outer error.
std::expected<result<note_list>, response> list_page(request_context& ctx, list_order order,
                                                     page_request page,
                                                     const std::vector<std::string>& tags) {
  const auto after = find_param(ctx.query, "after");
  if (!after) return ctx.service.list(order, page, tags);
  if (find_param(ctx.query, "page")) {
    const field_error why[]{{"page", "must not be given with after"}};
    return std::unexpected(json_error(status::bad_request, "Invalid pagination parameters", why));
  }
  const auto cursor = decode_cursor(*after);
  if (!cursor) {
    const field_error why[]{{"after", "must be the next cursor of a list page"}};
    return std::unexpected(json_error(status::bad_request, "Invalid cursor", why));
  }
  if (cursor->order != order) {
    const field_error why[]{{"after", "belongs to another sort: pass the sort it was listed in"}};
    return std::unexpected(json_error(status::bad_request, "Cursor of another sort", why));
  }
  return ctx.service.list_after(order, cursor->position, page.per_page, tags);
}

response list_notes(request_context& ctx) {
  std::vector<field_error> errors;
  auto page = read_page(ctx.query, errors);
  if (!page) return json_error(status::bad_request, "Invalid pagination parameters", errors);
  // Without `sort` the order stays newest first, pins ignored, as the API always listed.
  list_order order = list_order::newest_first;
  if (const auto sort = find_param(ctx.query, "sort")) {
    const auto chosen = parse_sort(*sort);
    if (!chosen) {
      const field_error why[]{{"sort", std::string(sort_choices)}};
      return json_error(status::bad_request, "Unknown sort value", why);
    }
    order = *chosen;
  }
  const std::vector<std::string> tags = find_params(ctx.query, "tag");
  auto listed = list_page(ctx, order, *page, tags);
  if (!listed) return std::move(listed.error());
  if (!*listed) return service_error(listed->error());
  const note_list& found = **listed;
  std::string body;
  body.reserve(estimated_size(found.notes));
  body += "{\"notes\":";
  append_note_array(body, found.notes);
  body += ',';
  append_page_fields(body, found.page);
  body += ",\"next\":";
  if (found.next) {
    append_json_string(body, encode_cursor({order, *found.next}));
  } else {
    body += "null";
  }
  body += '}';
  return json_response(status::ok, std::move(body));
}

response list_tags(request_context& ctx) {
  auto tags = ctx.service.tags();
  if (!tags) return service_error(tags.error());
  std::string body;
  append_tag_counts_json(body, *tags);
  return json_response(status::ok, std::move(body));
}

response search_notes(request_context& ctx) {
  std::string q = find_param(ctx.query, "q").value_or(std::string{});
  std::vector<field_error> errors;
  auto page = read_page(ctx.query, errors);
  if (!page) return json_error(status::bad_request, "Invalid pagination parameters", errors);
  // `include=snippet` adds the passage around each match; more values may come.
  const std::optional<std::string> include = find_param(ctx.query, "include");
  if (include && *include != "snippet") {
    const field_error why[]{{"include", "must be \"snippet\", the only value search knows"}};
    return json_error(status::bad_request, "Unknown include value", why);
  }
  // The service refuses a blank, overlong or non-UTF-8 query.
  const std::vector<std::string> tags = find_params(ctx.query, "tag");
  auto found = ctx.service.search(q, *page, tags);
  if (!found) {
    // The core names the query `query`; here it is the `q` parameter.
    error refused = std::move(found.error());
    for (auto& f : refused.fields) {
      if (f.field == "query") f.field = "q";
    }
    return service_error(refused);
  }
  std::string_view keyword = text::trim(q);
  std::string body;
  body.reserve(estimated_size(found->notes) + keyword.size());
  body += "{\"query\":";
  append_json_string(body, keyword);
  body += ",\"count\":";
  body += std::to_string(found->page.total);
  body += ",\"notes\":";
  append_note_array(body, found->notes,
                    include ? std::optional<std::string_view>(keyword) : std::nullopt);
  body += ',';
  append_page_fields(body, found->page);
  body += '}';
  return json_response(status::ok, std::move(body));
}

response get_note(request_context& ctx) {
  // `include=html` adds the content as the page shows it; more values may come, so any other
  // is refused rather than ignored.
  const std::optional<std::string> include = find_param(ctx.query, "include");
  if (include && *include != "html") {
    const field_error why[]{{"include", "must be \"html\", the only value this server knows"}};
    return json_error(status::bad_request, "Unknown include value", why);
  }
  const bool include_html = include.has_value();
  auto found = ctx.service.get(ctx.params.integer("id"));
  if (!found) return service_error(found.error());
  auto if_none_match = ctx.req.find(field::if_none_match);
  if (if_none_match != ctx.req.end() && none_match_hits(if_none_match->value(), found->version)) {
    response res{status::not_modified, 11};
    res.set(field::etag, etag_for(*found).view());
    return res;
  }
  if (!include_html) return note_response(status::ok, *found);
  const std::string html = markdown::to_html(found->content);
  return note_response(status::ok, *found, &html);
}

// Answers once the note is stored: with SQLite the write is handed off to the file's write
// combiner, and this thread goes on with other requests meanwhile.
void create_note(request_context& ctx, reply done) {
  auto patch = read_note_json(ctx.req);
  if (!patch) {
    return done(json_error(patch.error().code, patch.error().message, patch.error().fields));
  }
  note_draft draft{patch->title.value_or(""), patch->content.value_or(""),
                   patch->is_pinned.value_or(false),
                   patch->tags.value_or(std::vector<std::string>{})};
  ctx.service.create_then(draft, [done = std::move(done)](result<note> created) mutable {
    // Rendered on this thread, not on the thread that committed the note.
    done.then([created = std::move(created)] {
      if (!created) return service_error(created.error());
      response res = note_response(status::created, *created);
      res.set(field::location, "/api/notes/" + std::to_string(created->id));
      return res;
    });
  });
}

// As a new note: the change is handed off, read and written in one write, and answered when
// stored.
void update_note(request_context& ctx, reply done) {
  note_id id = ctx.params.integer("id");
  auto patch = read_note_json(ctx.req);
  if (!patch) {
    return done(json_error(patch.error().code, patch.error().message, patch.error().fields));
  }
  if (patch->empty()) {
    return done(json_error(
        status::bad_request,
        "No data provided: send at least one of title, content, is_pinned, tags"));
  }
  std::optional<note> current;
  precondition pre = read_if_match(ctx.req, ctx.service, id, current);
  if (!pre.satisfiable) return done(precondition_failed(ctx.service, id, std::move(current)));
  ctx.service.update_then(
      id, *patch, pre.expected,
      [done = std::move(done), service = ctx.service, id,
       present = pre.present](result<note> updated) mutable {
        done.then([updated = std::move(updated), service, id, present]() mutable {
          if (!updated) {
            if (updated.error().code == error_code::conflict && present) {
              return precondition_failed(service, id, std::nullopt);
            }
            return service_error(updated.error());
          }
          return note_response(status::ok, *updated);
        });
      });
}

response delete_note(request_context& ctx) {
  note_id id = ctx.params.integer("id");
  std::optional<note> current;
  precondition pre = read_if_match(ctx.req, ctx.service, id, current);
  if (!pre.satisfiable) return precondition_failed(ctx.service, id, std::move(current));
  auto removed = ctx.service.remove(id, pre.expected);
  if (!removed) {
    if (removed.error().code == error_code::conflict && pre.present) {
      return precondition_failed(ctx.service, id, std::nullopt);
    }
    return service_error(removed.error());
  }
  return json_response(status::ok, "{\"message\":\"Note deleted successfully\"}");
}

// With TRASH_DAYS=0 a delete is for good and the trash routes answer this.
response trash_off() {
  return json_error(status::not_found,
                    "The trash is off on this server: deleted notes are deleted for good");
}

// A trashed note as If-Match compares it: the note as it was deleted.
auto trashed_finder(note_service& service, note_id id) {
  return [&service, id]() -> result<note> {
    auto found = service.find_trashed(id);
    if (!found) return std::unexpected(std::move(found.error()));
    return std::move(found->note);
  };
}

response list_trash(request_context& ctx) {
  if (!ctx.service.policy().trash) return trash_off();
  std::vector<field_error> errors;
  auto page = read_page(ctx.query, errors);
  if (!page) return json_error(status::bad_request, "Invalid pagination parameters", errors);
  auto listed = ctx.service.list_trash(*page);
  if (!listed) return service_error(listed.error());
  std::string body;
  std::size_t size = 160;
  for (const auto& t : listed->notes) size += 200 + t.note.title.size() + t.note.content.size();
  body.reserve(size);
  body += "{\"notes\":[";
  bool first = true;
  for (const auto& t : listed->notes) {
    if (!first) body += ',';
    first = false;
    append_trashed_note_json(body, t);
  }
  body += "],";
  append_page_fields(body, listed->page);
  body += '}';
  return json_response(status::ok, std::move(body));
}

response empty_trash(request_context& ctx) {
  if (!ctx.service.policy().trash) return trash_off();
  auto deleted = ctx.service.empty_trash();
  if (!deleted) return service_error(deleted.error());
  std::string body = "{\"deleted\":" + std::to_string(*deleted) +
                     ",\"message\":\"Trash emptied: " + std::to_string(*deleted) + " note" +
                     (*deleted == 1 ? "" : "s") + " deleted for good\"}";
  return json_response(status::ok, std::move(body));
}

response restore_trashed(request_context& ctx) {
  if (!ctx.service.policy().trash) return trash_off();
  const note_id id = ctx.params.integer("id");
  const auto find = trashed_finder(ctx.service, id);
  std::optional<note> current;
  precondition pre = read_if_match(ctx.req, find, current);
  if (!pre.satisfiable) return precondition_failed(find, std::move(current));
  auto restored = ctx.service.restore(id, pre.expected);
  if (!restored) {
    if (restored.error().code == error_code::conflict && pre.present) {
      return precondition_failed(find, std::nullopt);
    }
    return service_error(restored.error());
  }
  return note_response(status::ok, *restored);
}

response purge_trashed(request_context& ctx) {
  if (!ctx.service.policy().trash) return trash_off();
  const note_id id = ctx.params.integer("id");
  const auto find = trashed_finder(ctx.service, id);
  std::optional<note> current;
  precondition pre = read_if_match(ctx.req, find, current);
  if (!pre.satisfiable) return precondition_failed(find, std::move(current));
  auto purged = ctx.service.purge(id, pre.expected);
  if (!purged) {
    if (purged.error().code == error_code::conflict && pre.present) {
      return precondition_failed(find, std::nullopt);
    }
    return service_error(purged.error());
  }
  return json_response(status::ok, "{\"message\":\"Note deleted for good\"}");
}

response list_revisions(request_context& ctx) {
  const note_id id = ctx.params.integer("id");
  std::vector<field_error> errors;
  auto page = read_page(ctx.query, errors);
  if (!page) return json_error(status::bad_request, "Invalid pagination parameters", errors);
  auto listed = ctx.service.revisions(id, *page);
  if (!listed) return service_error(listed.error());
  std::string body;
  body.reserve(160 + listed->revisions.size() * 160);
  body += "{\"note_id\":";
  append_decimal(body, id);
  body += ",\"revisions\":[";
  bool first = true;
  for (const auto& r : listed->revisions) {
    if (!first) body += ',';
    first = false;
    append_revision_summary_json(body, r);
  }
  body += "],";
  append_page_fields(body, listed->page);
  body += '}';
  return json_response(status::ok, std::move(body));
}

response get_revision(request_context& ctx) {
  auto found =
      ctx.service.revision(ctx.params.integer("id"), ctx.params.integer("version"));
  if (!found) return service_error(found.error());
  std::string body;
  body.reserve(160 + found->title.size() + found->content.size());
  append_revision_json(body, *found);
  return json_response(status::ok, std::move(body));
}

// If-Match names the note's current version, as for an update: the restore is one.
response restore_revision(request_context& ctx) {
  const note_id id = ctx.params.integer("id");
  std::optional<note> current;
  precondition pre = read_if_match(ctx.req, ctx.service, id, current);
  if (!pre.satisfiable) return precondition_failed(ctx.service, id, std::move(current));
  auto restored =
      ctx.service.restore_revision(id, ctx.params.integer("version"), pre.expected);
  if (!restored) {
    if (restored.error().code == error_code::conflict && pre.present) {
      return precondition_failed(ctx.service, id, std::nullopt);
    }
    return service_error(restored.error());
  }
  return note_response(status::ok, *restored);
}

}  // namespace

void add_api_routes(router& r) {
  r.set_error_renderer("/api/", [](const request&, const error_info& e) {
    return json_error(e.code, e.message, e.fields);
  });
  r.add(verb::get, "/api/notes", list_notes);
  r.add(verb::post, "/api/notes", create_note, route_lane::storage);
  r.add(verb::get, "/api/notes/search", search_notes);
  r.add(verb::get, "/api/tags", list_tags);
  r.add(verb::get, "/api/notes/{id:int}", get_note);
  r.add(verb::put, "/api/notes/{id:int}", update_note, route_lane::storage);
  r.add(verb::patch, "/api/notes/{id:int}", update_note, route_lane::storage);
  r.add(verb::delete_, "/api/notes/{id:int}", delete_note, route_lane::storage);
  r.add(verb::get, "/api/trash", list_trash);
  r.add(verb::delete_, "/api/trash", empty_trash, route_lane::storage);
  r.add(verb::post, "/api/trash/{id:int}/restore", restore_trashed, route_lane::storage);
  r.add(verb::delete_, "/api/trash/{id:int}", purge_trashed, route_lane::storage);
  r.add(verb::get, "/api/notes/{id:int}/revisions", list_revisions);
  r.add(verb::get, "/api/notes/{id:int}/revisions/{version:int}", get_revision);
  r.add(verb::post, "/api/notes/{id:int}/revisions/{version:int}/restore", restore_revision,
        route_lane::storage);
  r.add(
      verb::get, "/api/openapi.json",
      [](request_context&) {
        response res = json_response(status::ok, std::string(openapi_document()));
        // Changes only with the binary; clients revalidate rather than keep a stale copy.
        res.set(field::cache_control, "no-cache");
        return res;
      },
      access::open);
}

}  // namespace notes::http
