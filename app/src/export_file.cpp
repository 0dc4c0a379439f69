#include "export_file.hpp"

#include <array>
#include <map>
#include <optional>

#include <boost/json.hpp>

#include "notes/time.hpp"
#include "notes/validation.hpp"

namespace notes::app {

namespace json = boost::json;

namespace {

// More problems than this are summarised: the first ones tell what is wrong with the file.
constexpr std::size_t max_reported = 20;

constexpr std::array<std::string_view, 7> note_members{
    "id", "title", "content", "is_pinned", "created_at", "updated_at", "version"};

// Line and column (from 1) of a byte offset.
std::pair<std::size_t, std::size_t> position_of(std::string_view text, std::size_t offset) {
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

// The line on which each element of the top-level "notes" array starts. Runs only over text the
// JSON parser accepted, so it need not check syntax; it returns nothing useful (and is then not
// used) when "notes" is written with escapes.
std::vector<std::size_t> note_lines(std::string_view text) {
  std::vector<std::size_t> lines;
  std::size_t line = 1;
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  bool in_notes = false;
  bool expect_element = false;
  std::string last_string;  // the latest string at depth 1, to recognise the key "notes"
  std::string key;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      } else if (depth == 1) {
        last_string += c;
      }
      continue;
    }
    if (c == '\n') {
      ++line;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') continue;
    if (in_notes && depth == 2 && expect_element && c != ']') {
      lines.push_back(line);
      expect_element = false;
    }
    switch (c) {
      case '"':
        in_string = true;
        if (depth == 1) last_string.clear();
        break;
      case ':':
        if (depth == 1) key = last_string;
        break;
      case '[':
        if (depth == 1 && key == "notes") {
          in_notes = true;
          expect_element = true;
        }
        ++depth;
        break;
      case '{': ++depth; break;
      case '}':
      case ']':
        --depth;
        if (depth == 1) in_notes = false;
        break;
      case ',':
        if (in_notes && depth == 2) expect_element = true;
        break;
      default: break;
    }
  }
  return lines;
}

class problems {
 public:
  void add(std::string problem) {
    ++count_;
    if (list_.size() < max_reported) list_.push_back(std::move(problem));
  }
  bool empty() const noexcept { return count_ == 0; }
  std::string text() const {
    std::string out;
    for (const auto& p : list_) {
      if (!out.empty()) out += '\n';
      out += p;
    }
    if (count_ > list_.size()) {
      out += "\n… and " + std::to_string(count_ - list_.size()) + " more";
    }
    return out;
  }

 private:
  std::vector<std::string> list_;
  std::size_t count_ = 0;
};

std::optional<std::int64_t> positive_integer(const json::value& v) {
  if (v.is_int64() && v.as_int64() > 0) return v.as_int64();
  return std::nullopt;
}

std::optional<timestamp> time_value(const json::value& v) {
  if (!v.is_string()) return std::nullopt;
  return parse_rfc3339(v.as_string());
}

}  // namespace

void write_export(std::ostream& out, std::span<const note> notes) {
  out << R"({"format":")" << export_format_name
      << R"(","format_version":)" << export_format_version << R"(,"notes":[)" << '\n';
  bool first = true;
  for (const note& n : notes) {
    json::object item;
    item["id"] = n.id;
    item["title"] = n.title;
    item["content"] = n.content;
    item["is_pinned"] = n.is_pinned;
    item["created_at"] = to_rfc3339(n.created_at);
    item["updated_at"] = to_rfc3339(n.updated_at);
    item["version"] = n.version;
    if (!first) out << ",\n";
    first = false;
    out << json::serialize(item);
  }
  if (!first) out << '\n';
  out << "]}\n";
}

std::expected<std::vector<note>, std::string> read_export(std::string_view text) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return std::unexpected("the file is empty");
  }
  json::stream_parser parser;
  boost::system::error_code ec;
  // write_some stops after the first complete value, or at the error.
  std::size_t consumed = parser.write_some(text.data(), text.size(), ec);
  std::string problem;
  if (ec) {
    problem = ec.message();
  } else if (!parser.done()) {
    consumed = text.size();
    problem = "the file ends inside the JSON document";
  } else if (auto rest = text.find_first_not_of(" \t\r\n", consumed);
             rest != std::string_view::npos) {
    consumed = rest;
    problem = "more text after the JSON document";
  }
  if (!problem.empty()) {
    const auto [line, column] = position_of(text, consumed);
    return std::unexpected("line " + std::to_string(line) + ", column " + std::to_string(column) +
                           ": not valid JSON (" + problem + ")");
  }
  const json::value document = parser.release();

  const auto* top = document.if_object();
  if (top == nullptr) return std::unexpected("the file is not a notes export: not a JSON object");
  const auto* format = top->if_contains("format");
  if (format == nullptr || !format->is_string() || format->as_string() != export_format_name) {
    return std::unexpected(std::string("the file is not a notes export: \"format\" must be \"") +
                           std::string(export_format_name) + "\"");
  }
  const auto* format_version = top->if_contains("format_version");
  if (format_version == nullptr || !format_version->is_int64() ||
      format_version->as_int64() != export_format_version) {
    return std::unexpected("\"format_version\": this notes-server reads version " +
                           std::to_string(export_format_version) + " only");
  }
  const auto* list = top->if_contains("notes");
  if (list == nullptr || !list->is_array()) {
    return std::unexpected("\"notes\": must be an array of notes");
  }
  for (const auto& [name, value] : *top) {
    if (name != "format" && name != "format_version" && name != "notes") {
      return std::unexpected("unknown member \"" + std::string(name) + "\" at the top level");
    }
  }

  const json::array& items = list->as_array();
  std::vector<std::size_t> lines = note_lines(text);
  if (lines.size() != items.size()) lines.clear();
  auto where = [&](std::size_t index) {
    return lines.empty() ? "note " + std::to_string(index + 1)
                         : "line " + std::to_string(lines[index]);
  };

  problems found;
  std::vector<note> out;
  out.reserve(items.size());
  std::map<note_id, std::size_t> seen;  // id -> index of its first note
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto* item = items[i].if_object();
    if (item == nullptr) {
      found.add(where(i) + ": a note must be a JSON object");
      continue;
    }
    bool ok = true;
    auto fail = [&](std::string_view field, const std::string& why) {
      found.add(where(i) + ": \"" + std::string(field) + "\": " + why);
      ok = false;
    };
    for (const auto& [name, value] : *item) {
      bool known = false;
      for (auto member : note_members) known = known || name == member;
      if (!known) fail(name, "unknown member");
    }
    auto member = [&](std::string_view name) -> const json::value* {
      const auto* v = item->if_contains(name);
      if (v == nullptr) fail(name, "missing");
      return v;
    };

    note n;
    if (const auto* v = member("id")) {
      if (auto id = positive_integer(*v)) {
        n.id = *id;
      } else {
        fail("id", "must be a positive integer");
      }
    }
    note_draft draft;
    bool text_ok = true;
    for (auto [name, target] : {std::pair{"title", &draft.title}, {"content", &draft.content}}) {
      if (const auto* v = member(name)) {
        if (v->is_string()) {
          *target = std::string(v->as_string());
        } else {
          fail(name, "must be a string");
          text_ok = false;
        }
      } else {
        text_ok = false;
      }
    }
    if (const auto* v = member("is_pinned")) {
      if (v->is_bool()) {
        draft.is_pinned = v->as_bool();
      } else {
        fail("is_pinned", "must be true or false");
      }
    }
    for (auto [name, target] : {std::pair{"created_at", &n.created_at}, {"updated_at", &n.updated_at}}) {
      if (const auto* v = member(name)) {
        if (auto t = time_value(*v)) {
          *target = *t;
        } else {
          fail(name, "must be an RFC 3339 time such as 2026-01-31T09:30:00.000000Z");
        }
      }
    }
    if (const auto* v = member("version")) {
      if (auto version = positive_integer(*v)) {
        n.version = *version;
      } else {
        fail("version", "must be a positive integer");
      }
    }
    if (text_ok) {
      auto valid = validate(draft);
      if (valid) {
        n.title = std::move(valid->title);
        n.content = std::move(valid->content);
      } else {
        for (const auto& e : valid.error()) fail(e.field, e.message);
      }
    }
    n.is_pinned = draft.is_pinned;
    if (n.id > 0) {
      auto [first, inserted] = seen.emplace(n.id, i);
      if (!inserted) {
        fail("id", std::to_string(n.id) + " appears twice (first at " + where(first->second) + ")");
      }
    }
    if (ok) out.push_back(std::move(n));
  }
  if (!found.empty()) return std::unexpected(found.text());
  return out;
}

}  // namespace notes::app
