// Page templates (web/render): text that page_templates accepts for a page is compiled once and
// rendered by compiled_template, which promises the bytes kainjow mustache renders from the same
// data. The input is one page's text; with a NUL byte in it, the part before is a layout and the
// part after the page folded into it (compose_page).
#include <cstddef>
#include <cstdint>
#include <kainjow/mustache.hpp>
#include <string>

#include "fuzz_check.hpp"
#include "web/render/compiled_template.hpp"
#include "web/render/page_templates.hpp"
#include "web/render/view_data.hpp"

using notes::fuzz::require;
namespace web = notes::http::web;
namespace km = kainjow::mustache;

namespace {

constexpr web::view_data::ref root = web::view_data::root;

// Data shaped like the pages' own: text with every character HTML escapes, true and false,
// lists empty and not, objects within objects.
web::view_data sample() {
  web::view_data d;
  d.set_text(root, "title", "<b>\"Tom\" & 'Jerry'</b>");
  d.set_text(root, "empty", "");
  d.set_bool(root, "yes", true);
  d.set_bool(root, "no", false);
  d.add_list(root, "none");
  const auto notes = d.add_list(root, "notes");
  for (const char* t : {"one", "two & <three>\n"}) {
    const auto item = d.add_item(notes);
    d.set_text(item, "title", t);
    d.set_bool(item, "is_pinned", t[0] == 'o');
    d.set_text(item, "url", "/notes/1?a=b&c=d");
  }
  const auto page = d.add_object(root, "page");
  d.set_text(page, "number", "2");
  const auto inner = d.add_object(page, "inner");
  d.set_copy(inner, "label", "deep\r\nline");
  d.add_object(root, "nothing");
  return d;
}

km::data to_kainjow(const web::view_data& d, web::view_data::ref r) {
  const web::view_data::node& n = d.at(r);
  switch (n.kind) {
    case web::data_kind::object: {
      km::data o(km::data::type::object);
      for (auto m = n.first; m != web::view_data::none; m = d.at(m).next) {
        o.set(std::string(d.at(m).name), to_kainjow(d, m));
      }
      return o;
    }
    case web::data_kind::list: {
      km::data l(km::data::type::list);
      for (auto m = n.first; m != web::view_data::none; m = d.at(m).next) {
        l.push_back(to_kainjow(d, m));
      }
      return l;
    }
    case web::data_kind::text:
      return km::data(std::string(d.text(n)));
    case web::data_kind::yes:
      return km::data(true);
    case web::data_kind::no:
      return km::data(false);
  }
  return km::data(false);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const web::view_data view = sample();
  static const km::data kainjow_view = to_kainjow(view, root);

  std::string_view input = notes::fuzz::as_text(data, size);
  std::string text(input);
  if (const auto nul = input.find('\0'); nul != std::string_view::npos) {
    const auto composed = web::compose_page(input.substr(0, nul), input.substr(nul + 1));
    if (!composed) return 0;
    text = *composed;
  }
  const auto page = web::page_templates::compile_page(text);
  if (!page) return 0;

  std::string ours = "kept:";
  page->render(view, ours);
  require(ours.starts_with("kept:"), "rendering appends to what is there");
  km::mustache theirs_template(text);
  require(theirs_template.is_valid(), "what pages accept, kainjow accepts");
  std::string theirs;
  theirs_template.render(kainjow_view, [&theirs](const std::string& s) { theirs += s; });
  if (std::string_view(ours).substr(5) != theirs) {
    std::fprintf(stderr, "compiled_template:\n%s\nkainjow:\n%s\n", ours.c_str() + 5,
                 theirs.c_str());
  }
  require(std::string_view(ours).substr(5) == theirs, "a page renders as kainjow renders it");
  return 0;
}
