#include "api/json_writer.hpp"

#include "notes/snippet.hpp"
#include "notes/text.hpp"
#include "notes/time.hpp"
#include "routing/http_text.hpp"
#include "routing/json_text.hpp"

namespace notes::http {

namespace {

void append_bool(std::string& out, bool value) { out += value ? "true" : "false"; }

void append_string_array(std::string& out, const std::vector<std::string>& values) {
  out += '[';
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    append_json_string(out, values[i]);
  }
  out += ']';
}

// The note's fields after the opening brace, up to the closing quote of updated_at.
void append_note_fields(std::string& out, const note& n) {
  out += "\"id\":";
  append_decimal(out, n.id);
  out += ",\"title\":";
  append_json_string(out, n.title);
  out += ",\"content\":";
  append_json_string(out, n.content);
  out += ",\"is_pinned\":";
  append_bool(out, n.is_pinned);
  out += ",\"tags\":";
  append_string_array(out, n.tags);
  out += ",\"created_at\":\"";
  append_rfc3339(out, n.created_at);
  out += "\",\"updated_at\":\"";
  append_rfc3339(out, n.updated_at);
  out += '"';
}

}  // namespace

void append_note_json(std::string& out, const note& n) {
  out += '{';
  append_note_fields(out, n);
  out += '}';
}

void append_found_note_json(std::string& out, const note& n, std::string_view query) {
  out += '{';
  append_note_fields(out, n);
  out += ",\"snippet\":";
  const auto found = text::find_snippet(n.content, query);
  if (!found) {
    out += "null}";
    return;
  }
  std::string passage;
  if (found->cut_before) passage += "…";
  passage += found->before;
  const std::size_t start = text::code_point_count(passage);
  passage += found->match;
  const std::size_t end = text::code_point_count(passage);
  passage += found->after;
  if (found->cut_after) passage += "…";
  out += "{\"text\":";
  append_json_string(out, passage);
  out += ",\"match\":[";
  append_decimal(out, static_cast<std::int64_t>(start));
  out += ',';
  append_decimal(out, static_cast<std::int64_t>(end));
  out += "]}}";
}

void append_trashed_note_json(std::string& out, const trashed_note& t) {
  out += '{';
  append_note_fields(out, t.note);
  out += ",\"deleted_at\":\"";
  append_rfc3339(out, t.deleted_at);
  out += "\"}";
}

void append_revision_summary_json(std::string& out, const revision_summary& r) {
  out += "{\"version\":";
  append_decimal(out, r.version);
  out += ",\"title\":";
  append_json_string(out, r.title);
  out += ",\"replaced_at\":\"";
  append_rfc3339(out, r.replaced_at);
  out += "\",\"content_length\":";
  append_decimal(out, r.content_length);
  out += '}';
}

void append_revision_json(std::string& out, const revision& r) {
  out += "{\"note_id\":";
  append_decimal(out, r.note);
  out += ",\"version\":";
  append_decimal(out, r.version);
  out += ",\"title\":";
  append_json_string(out, r.title);
  out += ",\"content\":";
  append_json_string(out, r.content);
  out += ",\"is_pinned\":";
  append_bool(out, r.is_pinned);
  out += ",\"replaced_at\":\"";
  append_rfc3339(out, r.replaced_at);
  out += "\"}";
}

void append_page_fields(std::string& out, const page_info& page) {
  out += "\"total\":";
  append_decimal(out, page.total);
  out += ",\"pages\":";
  append_decimal(out, page.pages);
  out += ",\"current_page\":";
  append_decimal(out, page.page);
  out += ",\"has_next\":";
  append_bool(out, page.has_next);
  out += ",\"has_prev\":";
  append_bool(out, page.has_prev);
}

void append_tag_counts_json(std::string& out, const std::vector<tag_count>& tags) {
  out += "{\"tags\":[";
  for (std::size_t i = 0; i < tags.size(); ++i) {
    if (i > 0) out += ',';
    out += "{\"name\":";
    append_json_string(out, tags[i].name);
    out += ",\"count\":";
    append_decimal(out, tags[i].count);
    out += '}';
  }
  out += "]}";
}

}  // namespace notes::http
