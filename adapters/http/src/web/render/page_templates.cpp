#include "web/render/page_templates.hpp"

#include <fstream>
#include <iterator>
#include <kainjow/mustache.hpp>

#include "web/embedded_assets.hpp"

namespace notes::http::web {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view layout_file = "layout.mustache";

std::expected<std::string, std::string> read_template(const std::optional<fs::path>& dir,
                                                      std::string_view name) {
  if (dir) {
    const fs::path path = *dir / fs::path(name);
    std::error_code ec;
    if (fs::is_regular_file(path, ec)) {
      std::ifstream in(path, std::ios::binary);
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (!in.good() && !in.eof()) return std::unexpected(path.string() + ": cannot be read");
      return text;
    }
  }
  for (const embedded_file& f : embedded_templates()) {
    if (f.path == name) return std::string(f.content);
  }
  return std::unexpected(std::string(name) + ": no such template");
}

std::string_view trim_tag(std::string_view s) {
  constexpr std::string_view space = " \t\n\v\f\r";
  const auto first = s.find_first_not_of(space);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(space) - first + 1);
}

// Walks the tags the way kainjow's parser does (default delimiters, "{{{" opens an unescaped
// variable) and names the first kind pages do not support: kainjow renders a partial by parsing
// the data value of that name at render time (so a note titled "{{#x}}" would become template
// text), and a delimiter change would hide such a tag from this walk. compiled_template renders
// neither.
std::optional<std::string_view> unsupported_tag(std::string_view text) {
  std::size_t pos = 0;
  while ((pos = text.find("{{", pos)) != std::string_view::npos) {
    std::size_t start = pos + 2;
    std::string_view close = "}}";
    if (start < text.size() && text[start] == '{') {
      ++start;
      close = "}}}";
    }
    const auto end = text.find(close, start);
    if (end == std::string_view::npos) return std::nullopt;  // the parser reports this one
    const std::string_view contents = trim_tag(text.substr(start, end - start));
    if (contents.starts_with('=')) return "a delimiter change ({{=<% %>=}})";
    if (close.size() == 2 && contents.starts_with('>')) return "a partial ({{> name}})";
    pos = end + close.size();
  }
  return std::nullopt;
}

}  // namespace

std::string_view page_templates::file_name(page which) noexcept {
  switch (which) {
    case page::list:
      return "notes/list.mustache";
    case page::detail:
      return "notes/detail.mustache";
    case page::form:
      return "notes/form.mustache";
    case page::confirm_delete:
      return "notes/delete.mustache";
    case page::error:
      return "error.mustache";
    case page::sign_in:
      return "account/sign_in.mustache";
    case page::sign_up:
      return "account/sign_up.mustache";
    case page::account:
      return "account/account.mustache";
    case page::trash:
      return "trash/list.mustache";
    case page::confirm_empty_trash:
      return "trash/empty.mustache";
    case page::history:
      return "notes/history.mustache";
    case page::revision:
      return "notes/revision.mustache";
  }
  return "";
}

std::expected<std::string, std::string> compose_page(std::string_view layout,
                                                     std::string_view body) {
  const auto at = layout.find(content_marker);
  if (at == std::string_view::npos) {
    return std::unexpected(std::string(layout_file) + ": lacks the " + std::string(content_marker) +
                           " marker for the page body");
  }
  if (layout.find(content_marker, at + 1) != std::string_view::npos) {
    return std::unexpected(std::string(layout_file) + ": has more than one " +
                           std::string(content_marker) + " marker");
  }
  std::string page;
  page.reserve(layout.size() + body.size());
  page.append(layout.substr(0, at)).append(body).append(layout.substr(at + content_marker.size()));
  return page;
}

std::expected<page_templates, std::string> page_templates::load(
    const std::optional<fs::path>& dir) {
  auto layout = read_template(dir, layout_file);
  if (!layout) return std::unexpected(layout.error());
  page_templates templates;
  for (std::size_t i = 0; i < page_count; ++i) {
    const auto which = static_cast<page>(i);
    auto body = read_template(dir, file_name(which));
    if (!body) return std::unexpected(body.error());
    auto text = compose_page(*layout, *body);
    if (!text) return std::unexpected(text.error());
    auto compiled = compile_page(*text);
    if (!compiled) {
      return std::unexpected(std::string(file_name(which)) + " (in the layout): " +
                             compiled.error());
    }
    templates.pages_[i] = std::move(*compiled);
  }
  return templates;
}

std::expected<compiled_template, std::string> page_templates::compile_page(
    std::string_view text) {
  if (const auto tag = unsupported_tag(text)) {
    return std::unexpected("uses " + std::string(*tag) +
                           ", which pages do not support: write the text into the page");
  }
  // kainjow's parser decides what is valid and words the errors; compiled_template renders
  // what it accepts, exactly as kainjow would.
  const kainjow::mustache::mustache parsed{std::string(text)};
  if (!parsed.is_valid()) return std::unexpected(parsed.error_message());
  return compiled_template::compile(text);
}

void page_templates::render(page which, const view_data& data, std::string& out) const {
  pages_[static_cast<std::size_t>(which)].render(data, out);
}

std::size_t page_templates::literal_size(page which) const noexcept {
  return pages_[static_cast<std::size_t>(which)].literal_size();
}

}  // namespace notes::http::web
