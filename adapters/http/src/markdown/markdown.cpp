#include "markdown/markdown.hpp"

#include <md4c.h>

#include <array>
#include <charconv>
#include <cstdint>

namespace notes::http::markdown {
namespace {

constexpr unsigned parser_flags = MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_TASKLISTS |
                                  MD_FLAG_PERMISSIVEAUTOLINKS | MD_FLAG_NOHTML;

constexpr std::string_view link_rel = "noopener nofollow ugc";

void append_escaped(std::string& out, std::string_view text) {
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::string_view entity;
    switch (text[i]) {
      case '&': entity = "&amp;"; break;
      case '<': entity = "&lt;"; break;
      case '>': entity = "&gt;"; break;
      case '"': entity = "&quot;"; break;
      case '\'': entity = "&apos;"; break;
      default: continue;
    }
    out.append(text.substr(run, i - run)).append(entity);
    run = i + 1;
  }
  out.append(text.substr(run));
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

struct named_entity {
  std::string_view name;
  std::string_view text;
};

// The named entities worth reading back; any other stays as written (in a link target that
// makes the link unsafe, see decode_entity).
constexpr std::array<named_entity, 14> known_entities{{
    {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", "\u00a0"},
    {"colon", ":"}, {"Tab", "\t"}, {"NewLine", "\n"}, {"sol", "/"}, {"period", "."},
    {"num", "#"}, {"quest", "?"}, {"copy", "\u00a9"},
}};

// `entity` is what md4c recognised: "&name;", "&#123;" or "&#x1F;". False when it is unknown.
bool decode_entity(std::string& out, std::string_view entity) {
  if (entity.size() < 3 || entity.front() != '&' || entity.back() != ';') return false;
  const std::string_view body = entity.substr(1, entity.size() - 2);
  if (body.starts_with('#')) {
    const bool hex = body.size() > 1 && (body[1] == 'x' || body[1] == 'X');
    const std::string_view digits = body.substr(hex ? 2 : 1);
    std::uint32_t cp = 0;
    const auto [end, ec] =
        std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
    append_utf8(out, ec == std::errc{} && end == digits.data() + digits.size() ? cp : 0xFFFD);
    return true;
  }
  for (const named_entity& e : known_entities) {
    if (e.name == body) {
      out.append(e.text);
      return true;
    }
  }
  return false;
}

// An attribute's text with its entities decoded; nullopt-like false when one is unknown.
bool decode_attribute(const MD_ATTRIBUTE& a, std::string& out) {
  for (unsigned i = 0; a.substr_offsets[i] < a.size; ++i) {
    const std::string_view part(a.text + a.substr_offsets[i],
                                a.substr_offsets[i + 1] - a.substr_offsets[i]);
    switch (a.substr_types[i]) {
      case MD_TEXT_NULLCHAR: append_utf8(out, 0xFFFD); break;
      case MD_TEXT_ENTITY:
        if (!decode_entity(out, part)) return false;
        break;
      default: out.append(part);
    }
  }
  return true;
}

struct parse_state {
  std::string& out;
  task_style tasks;
  bool plain = false;  // to_plain_text
  std::size_t task_count = 0;
  std::vector<std::size_t>* task_offsets = nullptr;
  // Per open link or image: whether it wrote an <a> (so its end writes </a>).
  std::vector<bool> open_links{};
  int anchors_open = 0;
  int image_depth = 0;  // inside an image, its text is the link's text
};

void text_of_entity(parse_state& s, std::string_view entity) {
  std::string decoded;
  if (!decode_entity(decoded, entity)) decoded = entity;
  append_escaped(s.out, decoded);
}

void plain_space(std::string& out) {
  if (!out.empty() && out.back() != ' ') out += ' ';
}

int enter_block(MD_BLOCKTYPE type, void* detail, void* user) {
  auto& s = *static_cast<parse_state*>(user);
  if (type == MD_BLOCK_LI) {
    const auto& li = *static_cast<MD_BLOCK_LI_DETAIL*>(detail);
    if (li.is_task && s.task_offsets) s.task_offsets->push_back(li.task_mark_offset);
  }
  if (s.plain) {
    plain_space(s.out);
    return 0;
  }
  std::string& out = s.out;
  switch (type) {
    case MD_BLOCK_DOC: break;
    case MD_BLOCK_QUOTE: out += "<blockquote>\n"; break;
    case MD_BLOCK_UL: out += "<ul>\n"; break;
    case MD_BLOCK_OL: {
      const auto& ol = *static_cast<MD_BLOCK_OL_DETAIL*>(detail);
      if (ol.start == 1) {
        out += "<ol>\n";
      } else {
        out += "<ol start=\"" + std::to_string(ol.start) + "\">\n";
      }
      break;
    }
    case MD_BLOCK_LI: {
      const auto& li = *static_cast<MD_BLOCK_LI_DETAIL*>(detail);
      if (!li.is_task) {
        out += "<li>";
        break;
      }
      const bool checked = li.task_mark != ' ';
      const std::string n = std::to_string(++s.task_count);
      out += "<li class=\"task\">";
      if (s.tasks == task_style::form_button) {
        out += "<button class=\"task-box\" type=\"submit\" form=\"task-" + n +
               "\" data-task=\"" + n + "\" role=\"checkbox\" aria-checked=\"";
        out += checked ? "true\" title=\"Mark as not done\">☑</button> "
                       : "false\" title=\"Mark as done\">☐</button> ";
      } else {
        out += checked ? "<input type=\"checkbox\" disabled checked> "
                       : "<input type=\"checkbox\" disabled> ";
      }
      break;
    }
    case MD_BLOCK_HR: out += "<hr>\n"; break;
    case MD_BLOCK_H:
      out += "<h" + std::to_string(static_cast<MD_BLOCK_H_DETAIL*>(detail)->level) + ">";
      break;
    case MD_BLOCK_CODE: {
      const auto& code = *static_cast<MD_BLOCK_CODE_DETAIL*>(detail);
      std::string lang;
      const bool known = code.lang.size != 0 && decode_attribute(code.lang, lang);
      out += "<pre><code";
      if (known) {
        out += " class=\"language-";
        append_escaped(out, lang);
        out += '"';
      }
      out += '>';
      break;
    }
    case MD_BLOCK_HTML: break;  // never seen: MD_FLAG_NOHTML
    case MD_BLOCK_P: out += "<p>"; break;
    case MD_BLOCK_TABLE: out += "<table>\n"; break;
    case MD_BLOCK_THEAD: out += "<thead>\n"; break;
    case MD_BLOCK_TBODY: out += "<tbody>\n"; break;
    case MD_BLOCK_TR: out += "<tr>"; break;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD: {
      out += type == MD_BLOCK_TH ? "<th" : "<td";
      // A class, not a style attribute: the page's Content-Security-Policy has no inline style.
      switch (static_cast<MD_BLOCK_TD_DETAIL*>(detail)->align) {
        case MD_ALIGN_LEFT: out += " class=\"align-left\""; break;
        case MD_ALIGN_CENTER: out += " class=\"align-center\""; break;
        case MD_ALIGN_RIGHT: out += " class=\"align-right\""; break;
        default: break;
      }
      out += '>';
      break;
    }
  }
  return 0;
}

// What ends each block, in the order of MD_BLOCKTYPE; a heading's level is added by leave_block.
constexpr std::array<std::string_view, MD_BLOCK_TD + 1> block_ends{
    "",                 // MD_BLOCK_DOC
    "</blockquote>\n",  // MD_BLOCK_QUOTE
    "</ul>\n",          // MD_BLOCK_UL
    "</ol>\n",          // MD_BLOCK_OL
    "</li>\n",          // MD_BLOCK_LI
    "",                 // MD_BLOCK_HR
    "</h",              // MD_BLOCK_H
    "</code></pre>\n",  // MD_BLOCK_CODE
    "",                 // MD_BLOCK_HTML: never seen, MD_FLAG_NOHTML
    "</p>\n",           // MD_BLOCK_P
    "</table>\n",       // MD_BLOCK_TABLE
    "</thead>\n",       // MD_BLOCK_THEAD
    "</tbody>\n",       // MD_BLOCK_TBODY
    "</tr>\n",          // MD_BLOCK_TR
    "</th>",            // MD_BLOCK_TH
    "</td>",            // MD_BLOCK_TD
};

int leave_block(MD_BLOCKTYPE type, void* detail, void* user) {
  auto& s = *static_cast<parse_state*>(user);
  if (s.plain) {
    plain_space(s.out);
  } else if (const auto at = static_cast<std::size_t>(type); at < block_ends.size()) {
    s.out += block_ends[at];
    if (type == MD_BLOCK_H) {
      s.out += std::to_string(static_cast<MD_BLOCK_H_DETAIL*>(detail)->level) + ">\n";
    }
  }
  return 0;
}

// Opens an <a> for a link or an image, unless its target is unsafe or a link is already open
// (an image inside a link's text); the text stays either way.
void open_link(parse_state& s, const MD_ATTRIBUTE& href, const MD_ATTRIBUTE& title) {
  std::string target;
  const bool writes = s.anchors_open == 0 && decode_attribute(href, target) &&
                      is_safe_link_target(target);
  s.open_links.push_back(writes);
  if (!writes) return;
  ++s.anchors_open;
  s.out += "<a href=\"";
  append_escaped(s.out, target);
  s.out += '"';
  std::string title_text;
  if (title.size != 0 && decode_attribute(title, title_text)) {
    s.out += " title=\"";
    append_escaped(s.out, title_text);
    s.out += '"';
  }
  s.out += " rel=\"";
  s.out += link_rel;
  s.out += "\">";
}

void close_link(parse_state& s) {
  if (s.open_links.empty()) return;
  if (s.open_links.back()) {
    s.out += "</a>";
    --s.anchors_open;
  }
  s.open_links.pop_back();
}

int enter_span(MD_SPANTYPE type, void* detail, void* user) {
  auto& s = *static_cast<parse_state*>(user);
  if (type == MD_SPAN_IMG) ++s.image_depth;
  if (s.plain) return 0;
  std::string& out = s.out;
  switch (type) {
    case MD_SPAN_EM: if (s.image_depth == 0) out += "<em>"; break;
    case MD_SPAN_STRONG: if (s.image_depth == 0) out += "<strong>"; break;
    case MD_SPAN_A: {
      const auto& a = *static_cast<MD_SPAN_A_DETAIL*>(detail);
      open_link(s, a.href, a.title);
      break;
    }
    case MD_SPAN_IMG: {
      const auto& img = *static_cast<MD_SPAN_IMG_DETAIL*>(detail);
      if (s.image_depth == 1) open_link(s, img.src, img.title);
      break;
    }
    case MD_SPAN_CODE: if (s.image_depth == 0) out += "<code>"; break;
    case MD_SPAN_DEL: if (s.image_depth == 0) out += "<del>"; break;
    default: break;
  }
  return 0;
}

int leave_span(MD_SPANTYPE type, void*, void* user) {
  auto& s = *static_cast<parse_state*>(user);
  if (type == MD_SPAN_IMG) --s.image_depth;
  if (s.plain) return 0;
  std::string& out = s.out;
  switch (type) {
    case MD_SPAN_EM: if (s.image_depth == 0) out += "</em>"; break;
    case MD_SPAN_STRONG: if (s.image_depth == 0) out += "</strong>"; break;
    case MD_SPAN_A: close_link(s); break;
    case MD_SPAN_IMG: if (s.image_depth == 0) close_link(s); break;
    case MD_SPAN_CODE: if (s.image_depth == 0) out += "</code>"; break;
    case MD_SPAN_DEL: if (s.image_depth == 0) out += "</del>"; break;
    default: break;
  }
  return 0;
}

int on_text(MD_TEXTTYPE type, const MD_CHAR* text, MD_SIZE size, void* user) {
  auto& s = *static_cast<parse_state*>(user);
  const std::string_view t(text, size);
  switch (type) {
    case MD_TEXT_NULLCHAR: append_utf8(s.out, 0xFFFD); break;
    case MD_TEXT_BR:
      if (s.plain) {
        plain_space(s.out);
      } else {
        s.out += s.image_depth == 0 ? "<br>\n" : " ";
      }
      break;
    case MD_TEXT_SOFTBR:
      if (s.plain) {
        plain_space(s.out);
      } else {
        s.out += '\n';
      }
      break;
    case MD_TEXT_ENTITY:
      if (s.plain) {
        if (!decode_entity(s.out, t)) s.out.append(t);
      } else {
        text_of_entity(s, t);
      }
      break;
    default:
      if (s.plain) {
        s.out.append(t);
      } else {
        append_escaped(s.out, t);
      }
  }
  return 0;
}

void parse(std::string_view text, parse_state& s) {
  MD_PARSER parser{};
  parser.abi_version = 0;
  parser.flags = parser_flags;
  parser.enter_block = enter_block;
  parser.leave_block = leave_block;
  parser.enter_span = enter_span;
  parser.leave_span = leave_span;
  parser.text = on_text;
  md_parse(text.data(), static_cast<MD_SIZE>(text.size()), &parser, &s);
}

bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

rendered render(std::string_view text, task_style tasks) {
  rendered r;
  r.html.reserve(text.size() + text.size() / 4 + 64);
  parse_state s{.out = r.html, .tasks = tasks};
  parse(text, s);
  // The last block's line end would be text at the end of the page's content element.
  if (!r.html.empty() && r.html.back() == '\n') r.html.pop_back();
  r.task_count = s.task_count;
  return r;
}

std::string to_html(std::string_view text, task_style tasks) {
  return render(text, tasks).html;
}

std::string to_plain_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  parse_state s{.out = out, .tasks = task_style::checkbox, .plain = true};
  parse(text, s);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::vector<std::size_t> task_box_offsets(std::string_view text) {
  std::string ignored;
  std::vector<std::size_t> offsets;
  parse_state s{.out = ignored, .tasks = task_style::checkbox, .plain = true,
                .task_offsets = &offsets};
  parse(text, s);
  return offsets;
}

// As a browser reads a URL: it drops leading C0 controls and spaces and every tab and line
// break, then the scheme is what comes before the first ':' unless '/', '?' or '#' comes first.
// Anything else that looks like a scheme is refused, whether or not a browser would run it.
bool is_safe_link_target(std::string_view target) {
  std::string scheme;
  bool leading = true;
  for (const char c : target) {
    const auto u = static_cast<unsigned char>(c);
    if (leading && u <= 0x20) continue;
    leading = false;
    if (c == '\t' || c == '\n' || c == '\r') continue;
    if (c == '/' || c == '?' || c == '#') return true;  // relative: no scheme
    if (c == ':') return scheme == "http" || scheme == "https" || scheme == "mailto";
    if (!is_ascii_alpha(c) && !(u >= '0' && u <= '9') && c != '+' && c != '-' && c != '.') {
      // Not a scheme character: no browser reads a scheme here, but a ':' later would be
      // suspicious enough to refuse.
      return target.find(':') == std::string_view::npos;
    }
    scheme += ascii_lower(c);
  }
  return true;
}

}  // namespace notes::http::markdown
