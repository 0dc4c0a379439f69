#include "dotenv.hpp"

#include <optional>

namespace notes::app {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

bool is_key_char(char c, bool first) {
  bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
  return first ? alpha : alpha || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

class reader {
 public:
  explicit reader(std::string_view text) : text_(text) {}

  bool done() const { return pos_ >= text_.size(); }
  char peek() const { return done() ? '\0' : text_[pos_]; }
  char take() {
    char c = text_[pos_++];
    if (c == '\n') ++line_;
    return c;
  }
  int line() const { return line_; }
  void skip_blanks() {
    while (!done() && is_blank(peek())) take();
  }
  void skip_line() {
    while (!done() && peek() != '\n') take();
    if (!done()) take();
  }
  bool at_line_end() const { return done() || peek() == '\n' || peek() == '#'; }
  bool consume(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 1;
};

std::unexpected<std::string> fail(int line, std::string_view what) {
  return std::unexpected(".env line " + std::to_string(line) + ": " + std::string(what));
}

std::string read_key(reader& in) {
  std::string key;
  while (!in.done() && is_key_char(in.peek(), key.empty())) key += in.take();
  return key;
}

// What follows a backslash inside double quotes; an unknown escape is kept as written.
void append_escaped(std::string& value, char e) {
  switch (e) {
    case 'n': value += '\n'; break;
    case 't': value += '\t'; break;
    case 'r': value += '\r'; break;
    case '"': value += '"'; break;
    case '\'': value += '\''; break;
    case '\\': value += '\\'; break;
    default: value += '\\'; value += e;
  }
}

// After the opening quote, up to the closing one, across lines; nothing when the file ends
// before it. Inside single quotes the only escape is \'.
std::optional<std::string> read_quoted(reader& in, char quote) {
  std::string value;
  while (!in.done()) {
    char c = in.take();
    if (c == quote) return value;
    if (quote == '"' && c == '\\' && !in.done()) {
      append_escaped(value, in.take());
    } else if (quote == '\'' && c == '\\' && in.peek() == '\'') {
      value += in.take();
    } else {
      value += c;
    }
  }
  return std::nullopt;
}

// Up to the end of the line, trimmed; a '#' at the start or after a blank begins a comment.
std::string read_unquoted(reader& in) {
  std::string value;
  while (!in.done() && in.peek() != '\n') {
    char c = in.take();
    if (c == '#' && (value.empty() || is_blank(value.back()))) {
      while (!in.done() && in.peek() != '\n') in.take();
      break;
    }
    value += c;
  }
  while (!value.empty() && is_blank(value.back())) value.pop_back();
  return value;
}

// The value after `KEY=`; `line` and `key` name the entry in an error.
std::expected<std::string, std::string> read_value(reader& in, int line, const std::string& key) {
  const char quote = in.peek();
  if (quote != '\'' && quote != '"') return read_unquoted(in);
  in.take();
  auto value = read_quoted(in, quote);
  if (!value) return fail(line, "unterminated quoted value for " + key);
  in.skip_blanks();
  if (!in.at_line_end()) return fail(line, "unexpected text after the quoted value of " + key);
  return std::move(*value);
}

}  // namespace

std::expected<std::vector<dotenv_entry>, std::string> parse_dotenv(std::string_view text) {
  std::vector<dotenv_entry> entries;
  reader in(text);
  while (!in.done()) {
    in.skip_blanks();
    if (in.at_line_end()) {
      in.skip_line();
      continue;
    }
    int line = in.line();
    if (in.consume("export ")) in.skip_blanks();
    std::string key = read_key(in);
    if (key.empty()) return fail(line, "expected KEY=value");
    in.skip_blanks();
    if (in.done() || in.peek() == '\n') {
      in.skip_line();  // a bare key has no value: python-dotenv ignores it for the environment
      continue;
    }
    if (in.peek() != '=') return fail(line, "expected '=' after " + key);
    in.take();
    in.skip_blanks();
    auto value = read_value(in, line, key);
    if (!value) return std::unexpected(value.error());
    in.skip_line();
    entries.push_back({std::move(key), std::move(*value), line});
  }
  return entries;
}

}  // namespace notes::app
