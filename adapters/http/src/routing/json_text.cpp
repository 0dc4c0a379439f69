#include "routing/json_text.hpp"

namespace notes::http {

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
