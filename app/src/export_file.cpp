#include "export_file.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <span>

#include <boost/json.hpp>

#include "notes/time.hpp"
#include "notes/validation.hpp"

namespace notes::app {

namespace json = boost::json;

namespace {

// More problems than this are summarised: the first ones tell what is wrong with the file.
constexpr std::size_t max_reported = 20;

constexpr std::array<std::string_view, 9> note_members{
    "id", "title", "content", "is_pinned", "created_at", "updated_at", "version", "owner", "tags"};
// What version 2 adds to a note.
constexpr std::array<std::string_view, 2> history_members{"deleted_at", "revisions"};
constexpr std::array<std::string_view, 5> revision_members{"version", "title", "content",
                                                           "is_pinned", "replaced_at"};

bool one_of(std::string_view name, std::span<const std::string_view> names) {
  return std::ranges::any_of(names, [&](std::string_view known) { return name == known; });
}

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

// The one JSON document the file must hold; a refusal names the line and column at fault.
std::expected<json::value, std::string> parse_document(std::string_view text) {
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
  return parser.release();
}

// The "notes" array and the format version, once the top level is known to be an export in a
// version this program reads.
struct export_body {
  const json::array* notes = nullptr;
  std::int64_t version = 0;
};

std::expected<export_body, std::string> notes_array(const json::value& document) {
  const auto* top = document.if_object();
  if (top == nullptr) return std::unexpected("the file is not a notes export: not a JSON object");
  const auto* format = top->if_contains("format");
  if (format == nullptr || !format->is_string() || format->as_string() != export_format_name) {
    return std::unexpected(std::string("the file is not a notes export: \"format\" must be \"") +
                           std::string(export_format_name) + "\"");
  }
  const auto* format_version = top->if_contains("format_version");
  if (format_version == nullptr || !format_version->is_int64() ||
      (format_version->as_int64() != export_format_version &&
       format_version->as_int64() != export_format_version_live_only)) {
    return std::unexpected("\"format_version\": this notes-server reads versions " +
                           std::to_string(export_format_version_live_only) + " and " +
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
  return export_body{&list->as_array(), format_version->as_int64()};
}

// Follows the JSON structure just far enough to see on which line each element of the
// top-level "notes" array starts. Runs only over text the JSON parser accepted, so it need not
// check syntax.
class note_start_scanner {
 public:
  void feed(char c) {
    if (in_string_) {
      string_char(c);
      return;
    }
    if (c == '\n') {
      ++line_;
      return;
    }
    if (c == ' ' || c == '\t' || c == '\r') return;
    // In "notes", the first character after '[' or ',' starts an element (']' ends an empty array).
    if (in_notes_ && depth_ == 2 && expect_element_ && c != ']') {
      lines_.push_back(line_);
      expect_element_ = false;
    }
    structural_char(c);
  }

  std::vector<std::size_t> lines() && { return std::move(lines_); }

 private:
  // Collects the top-level keys as written, without decoding escapes.
  void string_char(char c) {
    if (escaped_) {
      escaped_ = false;
    } else if (c == '\\') {
      escaped_ = true;
    } else if (c == '"') {
      in_string_ = false;
    } else if (depth_ == 1) {
      last_string_ += c;
    }
  }

  void structural_char(char c) {
    switch (c) {
      case '"':
        in_string_ = true;
        if (depth_ == 1) last_string_.clear();
        break;
      case ':':
        if (depth_ == 1) key_ = last_string_;
        break;
      case '[':
        if (depth_ == 1 && key_ == "notes") {
          in_notes_ = true;
          expect_element_ = true;
        }
        ++depth_;
        break;
      case '{': ++depth_; break;
      case '}':
      case ']':
        --depth_;
        if (depth_ == 1) in_notes_ = false;
        break;
      case ',':
        if (in_notes_ && depth_ == 2) expect_element_ = true;
        break;
      default: break;
    }
  }

  std::vector<std::size_t> lines_;
  std::size_t line_ = 1;
  int depth_ = 0;
  bool in_string_ = false;
  bool escaped_ = false;
  bool in_notes_ = false;
  bool expect_element_ = false;
  std::string last_string_;  // the latest string at depth 1, to recognise the key "notes"
  std::string key_;
};

// The line on which each element of the top-level "notes" array starts; nothing useful (and
// then not used) when "notes" is written with escapes.
std::vector<std::size_t> note_lines(std::string_view text) {
  note_start_scanner scanner;
  for (char c : text) scanner.feed(c);
  return std::move(scanner).lines();
}

// Names a note in a problem: by its line when every note's line is known, else by its number.
class note_places {
 public:
  note_places(std::string_view text, std::size_t note_count) : lines_(note_lines(text)) {
    if (lines_.size() != note_count) lines_.clear();
  }

  std::string where(std::size_t index) const {
    return lines_.empty() ? "note " + std::to_string(index + 1)
                          : "line " + std::to_string(lines_[index]);
  }

 private:
  std::vector<std::size_t> lines_;
};

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

// Reads one note's members. A problem does not stop the reading, so that one pass reports every
// problem of the note, each with the note's place and the field at fault.
class note_reader {
 public:
  note_reader(const json::object& item, const note_places& places, std::size_t index,
              std::int64_t version, problems& found)
      : item_(item), places_(places), index_(index), version_(version), found_(found) {}

  exported_note read() {
    reject_unknown_members();
    exported_note read;
    note& n = read.item;
    read_positive_integer("id", n.id);
    note_draft draft;
    const bool title_read = read_string("title", draft.title);
    const bool content_read = read_string("content", draft.content);
    read_pinned(n.is_pinned);
    read_time("created_at", n.created_at);
    read_time("updated_at", n.updated_at);
    read_positive_integer("version", n.version);
    read_owner(read.owner);
    read_tags(draft.tags);
    if (title_read && content_read) apply_text_rules(draft, n);
    read_deleted_at(read.deleted_at);
    read_revisions(read.item.version, read.revisions);
    return read;
  }

  // `seen` maps each id to the index of the first note that has it.
  void check_unique(note_id id, std::map<note_id, std::size_t>& seen) {
    if (id <= 0) return;  // already reported as a bad id
    auto [first, inserted] = seen.emplace(id, index_);
    if (!inserted) {
      fail("id", std::to_string(id) + " appears twice (first at " +
                     places_.where(first->second) + ")");
    }
  }

  bool ok() const noexcept { return ok_; }

 private:
  void fail(std::string_view field, const std::string& why) {
    found_.add(places_.where(index_) + ": \"" + std::string(field) + "\": " + why);
    ok_ = false;
  }

  void reject_unknown_members() {
    const bool history = version_ >= export_format_version;
    for (const auto& [name, value] : item_) {
      if (!one_of(name, note_members) && !(history && one_of(name, history_members))) {
        fail(name, "unknown member");
      }
    }
  }

  const json::value* member(std::string_view name) { return member(item_, name, name); }

  // `name` of `object`, which problems call `field`.
  const json::value* member(const json::object& object, std::string_view name,
                            std::string_view field) {
    const auto* v = object.if_contains(name);
    if (v == nullptr) fail(field, "missing");
    return v;
  }

  void read_positive_integer(std::string_view name, std::int64_t& target) {
    read_positive_integer(item_, name, name, target);
  }

  void read_positive_integer(const json::object& object, std::string_view name,
                             std::string_view field, std::int64_t& target) {
    if (const auto* v = member(object, name, field)) {
      if (auto value = positive_integer(*v)) {
        target = *value;
      } else {
        fail(field, "must be a positive integer");
      }
    }
  }

  // Absent in notes without tags and in files from before tags: none. Checked with the text.
  void read_tags(std::vector<std::string>& target) {
    const auto* v = item_.if_contains("tags");
    if (v == nullptr) return;
    const auto* array = v->if_array();
    bool strings = array != nullptr;
    for (std::size_t i = 0; strings && i < array->size(); ++i) {
      strings = (*array)[i].is_string();
      if (strings) target.emplace_back((*array)[i].as_string());
    }
    if (!strings) fail("tags", "must be an array of strings");
  }

  // Absent in the shared notebook's notes (and in files from before owners): empty.
  void read_owner(std::string& target) {
    const auto* v = item_.if_contains("owner");
    if (v == nullptr) return;
    if (v->is_string() && !v->as_string().empty()) {
      target = std::string(v->as_string());
    } else {
      fail("owner", "must be the name of an account; leave it out for the shared notebook");
    }
  }

  // False when the member is missing or not a string: the text rules then have nothing to check.
  bool read_string(std::string_view name, std::string& target) {
    return read_string(item_, name, name, target);
  }

  bool read_string(const json::object& object, std::string_view name, std::string_view field,
                   std::string& target) {
    const auto* v = member(object, name, field);
    if (v == nullptr) return false;
    if (!v->is_string()) {
      fail(field, "must be a string");
      return false;
    }
    target = std::string(v->as_string());
    return true;
  }

  void read_pinned(bool& target) { read_pinned(item_, "is_pinned", target); }

  void read_pinned(const json::object& object, std::string_view field, bool& target) {
    if (const auto* v = member(object, "is_pinned", field)) {
      if (v->is_bool()) {
        target = v->as_bool();
      } else {
        fail(field, "must be true or false");
      }
    }
  }

  void read_time(std::string_view name, timestamp& target) {
    read_time(item_, name, name, target);
  }

  void read_time(const json::object& object, std::string_view name, std::string_view field,
                 timestamp& target) {
    if (const auto* v = member(object, name, field)) {
      if (auto t = time_value(*v)) {
        target = *t;
      } else {
        fail(field, "must be an RFC 3339 time such as 2026-01-31T09:30:00.000000Z");
      }
    }
  }

  // Absent for a live note.
  void read_deleted_at(std::optional<timestamp>& target) {
    if (!item_.contains("deleted_at")) return;
    timestamp at{};
    read_time("deleted_at", at);
    target = at;
  }

  // Absent for a note without revisions; each revision's version below the note's `current`.
  void read_revisions(note_version current, std::vector<revision>& target) {
    const auto* v = item_.if_contains("revisions");
    if (v == nullptr) return;
    const auto* list = v->if_array();
    if (list == nullptr) {
      fail("revisions", "must be an array of revisions");
      return;
    }
    std::set<note_version> seen;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string field = "revisions[" + std::to_string(i) + "]";
      const auto* item = (*list)[i].if_object();
      if (item == nullptr) {
        fail(field, "a revision must be a JSON object");
        continue;
      }
      if (auto r = read_revision(*item, field, current, seen)) target.push_back(std::move(*r));
    }
  }

  std::optional<revision> read_revision(const json::object& item, const std::string& field,
                                        note_version current,
                                        std::set<note_version>& seen) {
    const bool ok_before = ok_;
    ok_ = true;
    for (const auto& [name, value] : item) {
      if (!one_of(name, revision_members)) fail(field + "." + std::string(name), "unknown member");
    }
    revision r;
    read_positive_integer(item, "version", field + ".version", r.version);
    if (r.version > 0 && current > 0 && r.version >= current) {
      fail(field + ".version", "must be below the note's version");
    } else if (r.version > 0 && !seen.insert(r.version).second) {
      fail(field + ".version", std::to_string(r.version) + " appears twice");
    }
    note_draft draft;
    const bool title_read = read_string(item, "title", field + ".title", draft.title);
    const bool content_read = read_string(item, "content", field + ".content", draft.content);
    read_pinned(item, field + ".is_pinned", r.is_pinned);
    read_time(item, "replaced_at", field + ".replaced_at", r.replaced_at);
    if (title_read && content_read) {
      if (auto text = valid_text(draft, field + ".")) {
        r.title = std::move(text->title);
        r.content = std::move(text->content);
      }
    }
    const bool read_well = ok_;
    ok_ = ok_before && read_well;
    if (!read_well) return std::nullopt;
    r.note = 0;  // the note's id is set by the caller, which knows it once read
    return r;
  }

  // The API's rules for title and content; the note keeps the text as the API would store it.
  void apply_text_rules(const note_draft& draft, note& n) {
    if (auto text = valid_text(draft, "")) {
      n.title = std::move(text->title);
      n.content = std::move(text->content);
      n.tags = std::move(text->tags);
    }
  }

  // The draft as the API would store it, or nothing when a rule is broken (each reported, the
  // field named after `prefix`).
  std::optional<note_draft> valid_text(const note_draft& draft, const std::string& prefix) {
    auto valid = validate(draft);
    if (valid) return std::move(*valid);
    for (const auto& e : valid.error()) fail(prefix + e.field, e.message);
    return std::nullopt;
  }

  const json::object& item_;
  const note_places& places_;
  std::size_t index_;
  std::int64_t version_;
  problems& found_;
  bool ok_ = true;
};

// Every note is read, so that a refusal lists all the problems (up to max_reported).
std::expected<std::vector<exported_note>, std::string> read_notes(const json::array& items,
                                                                  const note_places& places,
                                                                  std::int64_t version) {
  problems found;
  std::vector<exported_note> out;
  out.reserve(items.size());
  std::map<note_id, std::size_t> seen;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto* item = items[i].if_object();
    if (item == nullptr) {
      found.add(places.where(i) + ": a note must be a JSON object");
      continue;
    }
    note_reader reader(*item, places, i, version, found);
    exported_note n = reader.read();
    reader.check_unique(n.item.id, seen);
    for (auto& r : n.revisions) r.note = n.item.id;
    if (reader.ok()) out.push_back(std::move(n));
  }
  if (!found.empty()) return std::unexpected(found.text());
  return out;
}

}  // namespace

void write_export(std::ostream& out, std::span<const exported_note> notes) {
  out << R"({"format":")" << export_format_name
      << R"(","format_version":)" << export_format_version << R"(,"notes":[)" << '\n';
  bool first = true;
  for (const auto& [n, owner, deleted_at, revisions] : notes) {
    json::object item;
    item["id"] = n.id;
    item["title"] = n.title;
    item["content"] = n.content;
    item["is_pinned"] = n.is_pinned;
    item["created_at"] = to_rfc3339(n.created_at);
    item["updated_at"] = to_rfc3339(n.updated_at);
    item["version"] = n.version;
    if (!owner.empty()) item["owner"] = owner;
    if (!n.tags.empty()) item["tags"] = json::array(n.tags.begin(), n.tags.end());
    if (deleted_at) item["deleted_at"] = to_rfc3339(*deleted_at);
    if (!revisions.empty()) {
      json::array kept;
      for (const auto& r : revisions) {
        kept.push_back(json::object{{"version", r.version},
                                    {"title", r.title},
                                    {"content", r.content},
                                    {"is_pinned", r.is_pinned},
                                    {"replaced_at", to_rfc3339(r.replaced_at)}});
      }
      item["revisions"] = std::move(kept);
    }
    if (!first) out << ",\n";
    first = false;
    out << json::serialize(item);
  }
  if (!first) out << '\n';
  out << "]}\n";
}

std::expected<export_file, std::string> read_export_file(std::string_view text) {
  const auto document = parse_document(text);
  if (!document) return std::unexpected(document.error());
  const auto body = notes_array(*document);
  if (!body) return std::unexpected(body.error());
  auto notes = read_notes(*body->notes, note_places(text, body->notes->size()), body->version);
  if (!notes) return std::unexpected(std::move(notes.error()));
  return export_file{body->version, std::move(*notes)};
}

std::expected<std::vector<exported_note>, std::string> read_export(std::string_view text) {
  auto file = read_export_file(text);
  if (!file) return std::unexpected(std::move(file.error()));
  return std::move(file->notes);
}

}  // namespace notes::app
