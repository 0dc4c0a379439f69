#include "json_writer.hpp"

#include <charconv>

#include "notes/time.hpp"

namespace notes::http {

namespace {

void append_int(std::string& out, std::int64_t value) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, end);
}

void append_bool(std::string& out, bool value) { out += value ? "true" : "false"; }

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  std::size_t run = 0;  // start of the pending run of bytes that need no escaping
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 0xf];
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

void append_note_json(std::string& out, const note& n) {
  out += "{\"id\":";
  append_int(out, n.id);
  out += ",\"title\":";
  append_json_string(out, n.title);
  out += ",\"content\":";
  append_json_string(out, n.content);
  out += ",\"is_pinned\":";
  append_bool(out, n.is_pinned);
  out += ",\"created_at\":\"";
  out += to_rfc3339(n.created_at);
  out += "\",\"updated_at\":\"";
  out += to_rfc3339(n.updated_at);
  out += "\"}";
}

void append_page_fields(std::string& out, const page_info& page) {
  out += "\"total\":";
  append_int(out, page.total);
  out += ",\"pages\":";
  append_int(out, page.pages);
  out += ",\"current_page\":";
  append_int(out, page.page);
  out += ",\"has_next\":";
  append_bool(out, page.has_next);
  out += ",\"has_prev\":";
  append_bool(out, page.has_prev);
}

std::string error_json(std::string_view message, std::span<const field_error> fields) {
  std::string out = "{\"error\":";
  append_json_string(out, message);
  if (!fields.empty()) {
    out += ",\"fields\":{";
    bool first = true;
    for (const auto& f : fields) {
      if (!first) out += ',';
      first = false;
      append_json_string(out, f.field);
      out += ':';
      append_json_string(out, f.message);
    }
    out += '}';
  }
  out += '}';
  return out;
}

}  // namespace notes::http
