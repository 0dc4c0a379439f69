#include "web/render/compiled_template.hpp"

namespace notes::http::web {
namespace {

// kainjow trims tag contents with std::isspace in the "C" locale.
std::string_view trim_space(std::string_view s) {
  constexpr std::string_view space = " \t\n\v\f\r";
  const auto first = s.find_first_not_of(space);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(space) - first + 1);
}

bool is_blank(std::string_view s) noexcept {
  for (const char c : s) {
    if (c != ' ' && c != '\t') return false;
  }
  return true;
}

}  // namespace

void append_html_escaped(std::string& out, std::string_view text) {
  // The five characters are all below 64: one shift and mask per byte finds them.
  constexpr std::uint64_t special = (1ull << '&') | (1ull << '<') | (1ull << '>') |
                                    (1ull << '"') | (1ull << '\'');
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 64 || ((special >> c) & 1) == 0) continue;
    out.append(text.data() + start, i - start);
    switch (c) {
      case '&':
        out.append("&amp;");
        break;
      case '<':
        out.append("&lt;");
        break;
      case '>':
        out.append("&gt;");
        break;
      case '"':
        out.append("&quot;");
        break;
      default:
        out.append("&apos;");
        break;
    }
    start = i + 1;
  }
  out.append(text.data() + start, text.size() - start);
}

// Walks the text as kainjow's parser does: "{{" opens a tag ("{{{" an unescaped one closed by
// "}}}"), "\r\n", "\n" and "\r" are line ends, everything else is literal.
class compiled_template::compiler {
 public:
  explicit compiler(std::string_view text) : text_(text) {}

  std::expected<compiled_template, std::string> run() {
    while (pos_ < text_.size()) {
      if (text_.compare(pos_, 2, "{{") != 0) {
        read_literal();
      } else if (auto failed = read_tag(); !failed.empty()) {
        return std::unexpected(std::move(failed));
      }
    }
    if (!open_.empty()) return std::unexpected(std::string("Unclosed section"));
    return std::move(t_);
  }

 private:
  struct open_section {
    std::uint32_t op;
    std::string_view name;
  };

  // A line end, or the text up to the next line end or tag.
  void read_literal() {
    const std::size_t n = text_.size();
    if (text_[pos_] == '\r' && pos_ + 1 < n && text_[pos_ + 1] == '\n') {
      add_literal(op_type::newline, text_.substr(pos_, 2));
      pos_ += 2;
    } else if (text_[pos_] == '\n' || text_[pos_] == '\r') {
      add_literal(op_type::newline, text_.substr(pos_, 1));
      ++pos_;
    } else {
      std::size_t stop = pos_ + 1;
      while (stop < n && text_[stop] != '\n' && text_[stop] != '\r' &&
             text_.compare(stop, 2, "{{") != 0) {
        ++stop;
      }
      add_literal(op_type::text, text_.substr(pos_, stop - pos_));
      pos_ = stop;
    }
  }

  // The tag at pos_; what cannot be rendered, or empty.
  std::string read_tag() {
    const std::size_t start = pos_;
    std::size_t contents_at = start + 2;
    const bool unescaped = start != text_.size() - 2 && text_[contents_at] == '{';
    const std::string_view close = unescaped ? "}}}" : "}}";
    if (unescaped) ++contents_at;
    const auto end = text_.find(close, contents_at);
    if (end == std::string_view::npos) return "Unclosed tag at " + std::to_string(start);
    const std::string_view contents = trim_space(text_.substr(contents_at, end - contents_at));
    pos_ = end + close.size();
    if (!contents.empty() && contents.front() == '=') {
      return "a delimiter change at " + std::to_string(start);
    }
    if (unescaped || contents.empty()) {
      add_tag(unescaped ? op_type::raw_variable : op_type::variable, contents);
      return {};
    }
    const std::string_view rest = trim_space(contents.substr(1));
    switch (contents.front()) {
      case '#':
      case '^':
        add_tag(contents.front() == '#' ? op_type::section : op_type::inverted, rest);
        section_on_line_ = true;
        open_.push_back({static_cast<std::uint32_t>(t_.ops_.size() - 1), rest});
        return {};
      case '/': return close_section(rest, start);
      case '>': return "a partial at " + std::to_string(start);
      case '&': add_tag(op_type::raw_variable, rest); return {};
      case '!': return {};
      default: add_tag(op_type::variable, contents); return {};
    }
  }

  std::string close_section(std::string_view name, std::size_t at) {
    if (open_.empty() || open_.back().name != name) {
      return "Unopened section \"" + std::string(name) + "\" at " + std::to_string(at);
    }
    t_.ops_[open_.back().op].end = static_cast<std::uint32_t>(t_.ops_.size());
    section_boundary_ = t_.ops_.size();
    section_on_line_ = true;
    open_.pop_back();
    return {};
  }

  void add_literal(op_type type, std::string_view s) {
    const bool plain_line_end = type == op_type::newline && !section_on_line_;
    if (plain_line_end) type = op_type::text;
    if (type == op_type::text && t_.ops_.size() > section_boundary_ &&
        t_.ops_.back().type == op_type::text) {
      t_.ops_.back().size += static_cast<std::uint32_t>(s.size());
      t_.ops_.back().tail += static_cast<std::uint32_t>(s.size());
    } else {
      op o;
      o.type = type;
      o.offset = static_cast<std::uint32_t>(t_.literals_.size());
      o.size = static_cast<std::uint32_t>(s.size());
      o.tail = o.size;
      t_.ops_.push_back(o);
    }
    if (plain_line_end) {
      t_.ops_.back().ends_lines = true;
      t_.ops_.back().tail = 0;
    }
    if (type == op_type::newline) section_on_line_ = false;
    t_.literals_.append(s);
  }

  void add_tag(op_type type, std::string_view tag_name) {
    op o;
    o.type = type;
    o.name = add_name(tag_name);
    t_.ops_.push_back(o);
  }

  std::uint32_t add_name(std::string_view s) {
    name n;
    if (s == ".") {
      n.dot = true;
    } else {
      // As kainjow's split (std::getline on '.'): a trailing '.' adds no empty part.
      std::size_t from = 0;
      while (true) {
        const auto dot = s.find('.', from);
        const std::string_view part =
            s.substr(from, dot == std::string_view::npos ? dot : dot - from);
        if (dot == std::string_view::npos) {
          if (!part.empty() || n.parts.empty()) {
            n.parts.push_back({std::string(part), name_hash(part)});
          }
          break;
        }
        n.parts.push_back({std::string(part), name_hash(part)});
        from = dot + 1;
      }
    }
    t_.names_.push_back(std::move(n));
    return static_cast<std::uint32_t>(t_.names_.size() - 1);
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  compiled_template t_;
  std::vector<open_section> open_;  // kainjow has checked that each is closed by its own name
  // Text after a section's end must not join the last text inside the section.
  std::size_t section_boundary_ = 0;
  // Whether a section tag stands between the last line end and here. A line end on a line
  // without one always comes out as it is, so it joins the text around it.
  bool section_on_line_ = false;
};

std::expected<compiled_template, std::string> compiled_template::compile(std::string_view text) {
  return compiler(text).run();
}

// The section stack lives on the C++ stack: each rendered section adds a frame pointing outwards.
class compiled_template::renderer {
 public:
  renderer(const compiled_template& t, const view_data& data, std::string& out)
      : t_(t), data_(data), out_(out), line_start_(out.size()) {}

  struct frame {
    view_data::ref value;
    const frame* outer;
  };

  void run(std::size_t begin, std::size_t end, const frame& top) {
    for (std::size_t i = begin; i < end; ++i) {
      const op& o = t_.ops_[i];
      switch (o.type) {
        case op_type::text:
          out_.append(t_.literals_, o.offset, o.size);
          if (o.ends_lines) line_start_ = out_.size() - o.tail;
          break;
        case op_type::newline:
          end_line(std::string_view(t_.literals_).substr(o.offset, o.size));
          break;
        case op_type::variable:
        case op_type::raw_variable: {
          const view_data::ref r = lookup(t_.names_[o.name], top);
          if (r == view_data::none) break;
          const view_data::node& v = data_.at(r);
          if (v.kind != data_kind::text) break;
          if (o.type == op_type::variable) {
            append_html_escaped(out_, data_.text(v));
          } else {
            out_.append(data_.text(v));
          }
          break;
        }
        case op_type::section:
        case op_type::inverted: {
          const view_data::ref r = lookup(t_.names_[o.name], top);
          const bool falsy = r == view_data::none || data_.at(r).kind == data_kind::no ||
                             (data_.at(r).kind == data_kind::list && data_.at(r).count == 0);
          if (falsy == (o.type == op_type::inverted)) section(i + 1, o.end, r, top);
          i = o.end - 1;
          break;
        }
      }
    }
  }

  // The last line has no line end, but the same rule applies to it.
  void finish() {
    if (contained_section_ && is_blank(std::string_view(out_).substr(line_start_))) {
      out_.resize(line_start_);
    }
  }

 private:
  // kainjow marks a line when a section on it is rendered (not when it is skipped) and drops a
  // marked line, with its line end, when the rest of it is blank.
  void section(std::size_t begin, std::size_t end, view_data::ref value, const frame& top) {
    if (value != view_data::none && data_.at(value).kind == data_kind::list &&
        data_.at(value).count > 0) {
      for (view_data::ref item = data_.at(value).first; item != view_data::none;
           item = data_.at(item).next) {
        contained_section_ = true;
        run(begin, end, frame{item, &top});
        contained_section_ = true;
      }
    } else {
      contained_section_ = true;
      if (value != view_data::none) {
        run(begin, end, frame{value, &top});
      } else {
        run(begin, end, top);
      }
      contained_section_ = true;
    }
  }

  void end_line(std::string_view line_end) {
    if (contained_section_ && is_blank(std::string_view(out_).substr(line_start_))) {
      out_.resize(line_start_);
    } else {
      out_.append(line_end);
    }
    line_start_ = out_.size();
    contained_section_ = false;
  }

  view_data::ref lookup(const name& n, const frame& top) const {
    if (n.dot) return top.value;
    for (const frame* f = &top; f != nullptr; f = f->outer) {
      view_data::ref r = f->value;
      for (const name_part& part : n.parts) {
        r = data_.member(r, part.text, part.hash);
        if (r == view_data::none) break;
      }
      if (r != view_data::none) return r;
    }
    return view_data::none;
  }

  const compiled_template& t_;
  const view_data& data_;
  std::string& out_;
  std::size_t line_start_;
  bool contained_section_ = false;
};

void compiled_template::render(const view_data& data, std::string& out) const {
  renderer r(*this, data, out);
  r.run(0, ops_.size(), renderer::frame{view_data::root, nullptr});
  r.finish();
}

}  // namespace notes::http::web
