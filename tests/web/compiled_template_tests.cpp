// compiled_template against kainjow mustache: the same template and data must give the same bytes.
#include <doctest/doctest.h>

#include <algorithm>
#include <kainjow/mustache.hpp>
#include <random>
#include <string>
#include <vector>

#include "web/render/compiled_template.hpp"
#include "web/embedded_assets.hpp"
#include "web/render/page_templates.hpp"
#include "web/render/view_data.hpp"

using namespace notes::http::web;
namespace km = kainjow::mustache;

namespace {

constexpr view_data::ref root = view_data::root;

km::data to_kainjow(const view_data& d, view_data::ref r) {
  const view_data::node& n = d.at(r);
  switch (n.kind) {
    case data_kind::object: {
      km::data o(km::data::type::object);
      for (auto m = n.first; m != view_data::none; m = d.at(m).next) {
        o.set(std::string(d.at(m).name), to_kainjow(d, m));
      }
      return o;
    }
    case data_kind::list: {
      km::data l(km::data::type::list);
      for (auto m = n.first; m != view_data::none; m = d.at(m).next) l.push_back(to_kainjow(d, m));
      return l;
    }
    case data_kind::text:
      return km::data(std::string(d.text(n)));
    case data_kind::yes:
      return km::data(true);
    case data_kind::no:
      return km::data(false);
  }
  return km::data(false);
}

std::string with_kainjow(const std::string& text, const view_data& d) {
  km::mustache t(text);
  REQUIRE_MESSAGE(t.is_valid(), text);
  std::string out;
  t.render(to_kainjow(d, root), [&out](const std::string& s) { out += s; });
  return out;
}

std::string compiled(const std::string& text, const view_data& d) {
  const auto t = compiled_template::compile(text);
  REQUIRE_MESSAGE(t, text);
  std::string out = "kept:";
  t->render(d, out);
  REQUIRE(out.starts_with("kept:"));
  return out.substr(5);
}

void check_same(const std::string& text, const view_data& d) {
  const std::string expected = with_kainjow(text, d);
  const std::string actual = compiled(text, d);
  CHECK_MESSAGE(actual == expected, "template: " << text);
}

// A small page-like tree: a list of cards, an object, text with every special character.
view_data sample() {
  view_data d;
  d.set_text(root, "title", "<b>\"Tom\" & 'Jerry'</b>");
  d.set_text(root, "empty", "");
  d.set_bool(root, "yes", true);
  d.set_bool(root, "no", false);
  d.add_list(root, "none");
  const auto cards = d.add_list(root, "cards");
  for (const char* t : {"one", "two & <three>"}) {
    const auto item = d.add_item(cards);
    d.set_text(item, "title", t);
    d.set_bool(item, "pinned", t[0] == 'o');
  }
  const auto link = d.add_object(root, "link");
  d.set_text(link, "url", "/notes?q=a&page=2");
  const auto inner = d.add_object(link, "inner");
  d.set_copy(inner, "label", "deep\nline");
  d.add_object(root, "nothing");
  return d;
}

}  // namespace

TEST_CASE("html escaping is kainjow's: & < > \" ' and nothing else") {
  std::string out = "x";
  append_html_escaped(out, "a&b<c>d\"e'f/g=h`i");
  CHECK(out == "xa&amp;b&lt;c&gt;d&quot;e&apos;f/g=h`i");
  std::string empty;
  append_html_escaped(empty, "");
  CHECK(empty.empty());
  const std::string all = "&<>\"'";
  CHECK(km::html_escape(all) == [&] {
    std::string s;
    append_html_escaped(s, all);
    return s;
  }());
}

TEST_CASE("variables, sections and lookups render as kainjow renders them") {
  const view_data d = sample();
  for (const char* text : {
           "{{title}}|{{{title}}}|{{&title}}|{{ title }}|{{missing}}|{{yes}}|{{cards}}|{{link}}",
           "{{#cards}}[{{title}}{{#pinned}}*{{/pinned}}]{{/cards}}",
           "{{#cards}}{{#link}}{{url}}:{{title}}{{/link}}{{/cards}}",  // lookups walk outwards
           "{{link.url}}|{{link.inner.label}}|{{link.missing}}|{{cards.title}}|{{title.x}}",
           "{{#link}}{{inner.label}}{{#inner}}{{url}}{{/inner}}{{/link}}",
           "{{#title}}<{{.}}>{{/title}}{{#empty}}e{{.}}e{{/empty}}{{^empty}}!{{/empty}}",
           "{{#none}}n{{/none}}{{^none}}no items{{.}}{{/none}}{{^missing}}m{{/missing}}",
           "{{#no}}x{{/no}}{{^no}}not{{.}}{{/no}}{{#yes}}y{{title}}{{/yes}}",
           "{{#nothing}}o{{/nothing}}",
           "{{.}}{{#cards}}{{.}}{{/cards}}{{}}{{! a comment }}{{{ }}}",
           "{{#link.inner}}{{label}}{{/link.inner}}{{link.}}{{.link}}{{link..url}}",
           "a{{! gone }}b {{#yes}}c{{/yes}} d{{^yes}}e{{/yes}}f",
       }) {
    check_same(text, d);
  }
}

TEST_CASE("lines that hold only section tags are dropped as kainjow drops them") {
  const view_data d = sample();
  for (const char* text : {
           "<ul>\n{{#cards}}\n  <li>{{title}}</li>\n{{/cards}}\n</ul>\n",
           "<ul>\n{{#none}}\n  <li>x</li>\n{{/none}}\n</ul>\n",  // a skipped section keeps a line
           "a\n  {{#yes}}  \n  b\n  {{/yes}}\t\nc",
           "a\r\n{{#yes}}\r\nb\r\n{{/yes}}\r\nc\r{{#no}}\rx\r{{/no}}\rd",
           "{{#yes}}\n{{empty}}\n{{/yes}}\n",
           "{{#cards}}{{title}}\n{{/cards}}",
           "x {{#yes}}{{/yes}} \ny{{#yes}} {{/yes}}\n z {{! c }} \n",
           "{{^no}}\n\t{{title}}\n{{/no}}\n{{#yes}}\n{{/yes}}",
           "{{#yes}}{{#cards}}\n{{/cards}}{{/yes}}end",
           // A line end inside a value does not end the template's line.
           "{{#link}}\n{{inner.label}}\n{{/link}}\n",
           "  {{#yes}}{{/yes}}",
           "\n{{#no}}{{/no}}",
       }) {
    check_same(text, d);
  }
}

TEST_CASE("a page-shaped template: sections rendered, skipped and repeated") {
  const std::string page =
      "<title>{{page_title}}</title>\n{{#has_flashes}}\n<div>\n{{#flashes}}\n"
      "  <p class=\"f-{{category}}\">{{text}}</p>\n{{/flashes}}\n</div>\n{{/has_flashes}}\n"
      "{{#has_notes}}\n<ul>\n{{#notes}}\n"
      "  <li class=\"card{{#is_pinned}} pinned{{/is_pinned}}\">\n    <a href=\"/notes/{{id}}\">"
      "{{title}}</a>\n{{#is_pinned}}\n    <span>Pinned</span>\n{{/is_pinned}}\n  </li>\n"
      "{{/notes}}\n</ul>\n{{/has_notes}}\n{{^has_notes}}\n<p>{{empty_title}}</p>\n{{/has_notes}}\n";
  for (int flashes = 0; flashes <= 2; ++flashes) {
    for (int notes = 0; notes <= 3; ++notes) {
      view_data d;
      d.set_text(root, "page_title", "T<");
      d.set_bool(root, "has_flashes", flashes > 0);
      const auto fl = d.add_list(root, "flashes");
      for (int i = 0; i < flashes; ++i) {
        const auto item = d.add_item(fl);
        d.set_text(item, "category", "success");
        d.set_text(item, "text", "'saved'");
      }
      d.set_bool(root, "has_notes", notes > 0);
      const auto list = d.add_list(root, "notes");
      for (int i = 0; i < notes; ++i) {
        const auto item = d.add_item(list);
        d.set_copy(item, "id", std::to_string(i));
        d.set_text(item, "title", "a & b");
        d.set_bool(item, "is_pinned", i % 2 == 0);
      }
      d.set_text(root, "empty_title", "No notes");
      check_same(page, d);
    }
  }
}

TEST_CASE("random templates on random data render as kainjow renders them") {
  std::mt19937 rng(20261125);
  const auto pick = [&rng](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  };
  static constexpr data_key keys[] = {"a", "b", "c", "list", "x"};
  const std::vector<std::string> names = {"a",   "b",      "c",   "list", "x",       "a.b",
                                          "a.x", "list.a", ".",   "",     "missing", "b.c.a"};
  const std::vector<std::string> texts = {"t", " ", "\t", "\n", "\r\n", "\r", "<p>", "&", "'\"",
                                          "  ", "}", "x y", "\n  "};
  const std::vector<std::string> values = {"", "v", "<&>", "\"q'", "two\nlines", " ", "\t\t"};

  // A random object: each key at most once, values of every kind, lists of objects.
  const auto fill = [&](auto& self, view_data& d, view_data::ref object, int depth) -> void {
    for (const data_key& key : keys) {
      switch (pick(depth > 2 ? 4 : 7)) {
        case 0:
          break;  // absent
        case 1:
          d.set_copy(object, key, values[pick(values.size())]);
          break;
        case 2:
          d.set_bool(object, key, true);
          break;
        case 3:
          d.set_bool(object, key, false);
          break;
        case 4:
        case 5: {
          const auto list = d.add_list(object, key);
          const std::size_t items = pick(4);
          for (std::size_t i = 0; i < items; ++i) self(self, d, d.add_item(list), depth + 1);
          break;
        }
        default:
          self(self, d, d.add_object(object, key), depth + 1);
          break;
      }
    }
  };
  const auto make_template = [&](auto& self, int depth) -> std::string {
    std::string out;
    const std::size_t pieces = 1 + pick(6);
    for (std::size_t i = 0; i < pieces; ++i) {
      const std::string& name = names[pick(names.size())];
      switch (pick(depth > 2 ? 6 : 8)) {
        case 0:
        case 1:
        case 2:
          out += texts[pick(texts.size())];
          break;
        case 3:
          out += "{{" + std::string(pick(2) ? " " : "") + name + "}}";
          break;
        case 4:
          out += pick(2) ? "{{{" + name + "}}}" : "{{&" + name + "}}";
          break;
        case 5:
          out += "{{! note }}";
          break;
        default: {
          const char* open = pick(2) ? "{{#" : "{{^";
          out += open + name + "}}" + self(self, depth + 1) + "{{/" + name + "}}";
          break;
        }
      }
    }
    return out;
  };

  int compared = 0;
  for (int round = 0; round < 3000; ++round) {
    view_data d;
    fill(fill, d, root, 0);
    const std::string text = make_template(make_template, 0);
    if (!km::mustache(text).is_valid()) continue;  // e.g. "}" next to a tag; kainjow refuses it
    check_same(text, d);
    ++compared;
  }
  CHECK(compared > 2500);
}

namespace {

// The names a template's tags use (each part of a dotted name), so data can be made up for it.
std::vector<std::string> tag_names(std::string_view text) {
  std::vector<std::string> names;
  std::size_t pos = 0;
  while ((pos = text.find("{{", pos)) != std::string_view::npos) {
    const bool triple = text.substr(pos, 3) == "{{{";
    const std::size_t start = pos + (triple ? 3 : 2);
    const std::size_t end = text.find(triple ? "}}}" : "}}", start);
    REQUIRE(end != std::string_view::npos);
    std::string tag(text.substr(start, end - start));
    pos = end + 2;
    if (tag.empty() || tag[0] == '!') continue;
    if (std::string_view("#^/&").find(tag[0]) != std::string_view::npos) tag.erase(0, 1);
    std::size_t from = 0;
    while (from <= tag.size()) {
      const auto dot = tag.find('.', from);
      std::string part = tag.substr(from, dot == std::string::npos ? dot : dot - from);
      while (!part.empty() && part.front() == ' ') part.erase(0, 1);
      while (!part.empty() && part.back() == ' ') part.pop_back();
      if (!part.empty() && std::find(names.begin(), names.end(), part) == names.end()) {
        names.push_back(part);
      }
      if (dot == std::string::npos) break;
      from = dot + 1;
    }
  }
  return names;
}

}  // namespace

TEST_CASE("the shipped pages render as kainjow renders them, whatever the data") {
  std::string layout;
  for (const embedded_file& f : embedded_templates()) {
    if (f.path == "layout.mustache") layout = std::string(f.content);
  }
  REQUIRE_FALSE(layout.empty());
  std::mt19937 rng(4);
  const auto pick = [&rng](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  };
  const std::vector<std::string> values = {"", "v", "<script>\"&'</script>", "a\nb", " "};
  for (std::size_t i = 0; i < page_count; ++i) {
    const auto which = static_cast<page>(i);
    std::string body;
    for (const embedded_file& f : embedded_templates()) {
      if (f.path == page_templates::file_name(which)) body = std::string(f.content);
    }
    REQUIRE_FALSE(body.empty());
    const auto text = compose_page(layout, body);
    REQUIRE(text);
    const std::vector<std::string> names = tag_names(*text);
    CAPTURE(page_templates::file_name(which));
    const auto fill = [&](auto& self, view_data& d, view_data::ref object, int depth) -> void {
      for (const std::string& name : names) {
        const data_key key = data_key::of(name);
        switch (pick(depth > 1 ? 4 : 6)) {
          case 0:
            break;
          case 1:
            d.set_copy(object, key, values[pick(values.size())]);
            break;
          case 2:
            d.set_bool(object, key, pick(2) == 0);
            break;
          case 3:
            d.set_copy(object, key, name);
            break;
          case 4: {
            const auto list = d.add_list(object, key);
            for (std::size_t n = pick(3); n > 0; --n) self(self, d, d.add_item(list), depth + 1);
            break;
          }
          default:
            self(self, d, d.add_object(object, key), depth + 1);
            break;
        }
      }
    };
    for (int round = 0; round < 200; ++round) {
      view_data d;
      fill(fill, d, root, 0);
      check_same(*text, d);
    }
  }
}

TEST_CASE("a compiled template refuses partials and delimiter changes") {
  CHECK_FALSE(compiled_template::compile("a {{> part}} b"));
  CHECK_FALSE(compiled_template::compile("{{=<% %>=}}"));
  CHECK(compiled_template::compile("{{{> raw}}} {{! > not a partial}}"));
}

TEST_CASE("view_data: referenced and copied text, members found by name") {
  view_data d;
  std::string kept = "referenced";
  d.set_text(root, "a", kept);
  {
    std::string temporary = "copied";
    d.set_copy(root, "b", temporary);
  }
  d.set_written(root, "c", [](std::string& out) { out += "written"; });
  const auto a = d.member(root, "a", name_hash("a"));
  const auto b = d.member(root, "b", name_hash("b"));
  const auto c = d.member(root, "c", name_hash("c"));
  REQUIRE(a != view_data::none);
  REQUIRE(b != view_data::none);
  REQUIRE(c != view_data::none);
  CHECK(d.text(d.at(a)) == "referenced");
  CHECK(d.text(d.at(b)) == "copied");
  CHECK(d.text(d.at(c)) == "written");
  CHECK(d.member(root, "d", name_hash("d")) == view_data::none);
  CHECK(d.member(a, "a", name_hash("a")) == view_data::none);  // text has no members
  d.clear();
  CHECK(d.member(root, "a", name_hash("a")) == view_data::none);
  CHECK(d.at(root).count == 0);
}
