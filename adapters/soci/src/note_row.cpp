#include "note_row.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <string>
#include <string_view>
#include <variant>

#include "notes/text.hpp"
#include "notes/validation.hpp"

namespace notes::storage::detail {
namespace {

using column_member =
    std::variant<long long note_row::*, int note_row::*, std::string note_row::*>;

struct column {
  std::string_view name;
  column_member member;
  unsigned roles;
};

// Times are microseconds in BIGINT columns (schema.cpp); is_pinned is 0 or 1. A note's version
// is inserted as given and then only incremented by the update itself; its owner is inserted
// as given and never updated (statements that move notes say so themselves).
constexpr std::array<column, 12> columns = {{
    {"id", &note_row::id, column_role::key | column_role::read},
    {"title", &note_row::title, column_role::read | column_role::inserted | column_role::updated},
    {"content", &note_row::content,
     column_role::read | column_role::inserted | column_role::updated},
    {"is_pinned", &note_row::is_pinned,
     column_role::read | column_role::inserted | column_role::repinned},
    {"created_at", &note_row::created_at, column_role::read | column_role::inserted},
    {"updated_at", &note_row::updated_at,
     column_role::read | column_role::inserted | column_role::updated},
    {"version", &note_row::version, column_role::read | column_role::inserted},
    {"owner", &note_row::owner, column_role::read | column_role::inserted},
    {"search_title", &note_row::search_title, column_role::inserted | column_role::updated},
    {"search_content", &note_row::search_content, column_role::inserted | column_role::updated},
    {"tags", &note_row::tags, column_role::read | column_role::inserted | column_role::updated},
    {"search_tags", &note_row::search_tags, column_role::inserted | column_role::updated},
}};

// Joins what `piece` writes for each column with any of the `roles`, separated by commas.
template <class Piece>
std::string join_columns(unsigned roles, Piece piece) {
  std::string out;
  for (const column& c : columns) {
    if ((c.roles & roles) == 0) continue;
    if (!out.empty()) out += ", ";
    piece(out, c.name);
  }
  return out;
}

}  // namespace

// Validated tags hold neither quotes nor backslashes, but a repository takes any note: escape
// what JSON requires.
std::string encode_tags(const std::vector<std::string>& tags) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out = "[";
  for (const std::string& tag : tags) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (char c : tag) {
      const auto byte = static_cast<unsigned char>(c);
      if (c == '"' || c == '\\') {
        out += '\\';
        out += c;
      } else if (byte < 0x20) {
        out += "\\u00";
        out += hex[byte >> 4];
        out += hex[byte & 0xF];
      } else {
        out += c;
      }
    }
    out += '"';
  }
  return out + "]";
}

std::vector<std::string> decode_tags(std::string_view json) {
  std::vector<std::string> out;
  std::string* current = nullptr;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (current == nullptr) {
      if (c == '"') current = &out.emplace_back();
      continue;
    }
    if (c == '"') {
      current = nullptr;
    } else if (c == '\\' && i + 1 < json.size()) {
      const char escaped = json[++i];
      if (escaped == 'u' && i + 4 < json.size()) {
        unsigned value = 0;
        std::from_chars(json.data() + i + 3, json.data() + i + 5, value, 16);
        *current += static_cast<char>(value);
        i += 4;
      } else {
        *current += escaped;
      }
    } else {
      *current += c;
    }
  }
  return out;
}

void note_row::set(const note& n) {
  id = n.id;
  title = n.title;
  content = n.content;
  is_pinned = n.is_pinned ? 1 : 0;
  created_at = to_microseconds(n.created_at);
  updated_at = to_microseconds(n.updated_at);
  version = n.version;
  owner = n.owner;
  search_title = text::search_key(n.title);
  search_content = text::search_key(n.content);
  tags = encode_tags(n.tags);
  search_tags = encode_tags(fold_tags(n.tags));
}

note note_row::to_note() const {
  note n;
  n.id = id;
  n.title = title;
  n.content = content;
  n.is_pinned = is_pinned != 0;
  n.created_at = from_microseconds(created_at);
  n.updated_at = from_microseconds(updated_at);
  n.version = version;
  n.owner = owner;
  n.tags = decode_tags(tags);
  return n;
}

std::string column_names(unsigned roles) {
  return join_columns(roles, [](std::string& out, std::string_view name) { out += name; });
}

std::string column_placeholders(unsigned roles) {
  return join_columns(roles, [](std::string& out, std::string_view name) {
    out += ':';
    out += name;
  });
}

std::string column_assignments(unsigned roles) {
  return join_columns(roles, [](std::string& out, std::string_view name) {
    out += name;
    out += " = :";
    out += name;
  });
}

std::string select_notes() {
  return "SELECT " + column_names(column_role::read) + " FROM notes";
}

void exchange_read_columns(soci::statement& statement, note_row& row) {
  for (const column& c : columns) {
    if ((c.roles & column_role::read) == 0) continue;
    std::visit([&](auto member) { statement.exchange(soci::into(row.*member)); }, c.member);
  }
}

void exchange_column_values(soci::statement& statement, note_row& row, unsigned roles) {
  for (const column& c : columns) {
    if ((c.roles & roles) == 0) continue;
    const std::string name(c.name);
    std::visit([&](auto member) { statement.exchange(soci::use(row.*member, name)); }, c.member);
  }
}

}  // namespace notes::storage::detail
