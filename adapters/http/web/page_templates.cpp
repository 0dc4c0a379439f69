#include "page_templates.hpp"

#include <fstream>
#include <iterator>

#include "embedded_assets.hpp"

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
    auto parsed = std::make_unique<mustache::mustache>(*text);
    if (!parsed->is_valid()) {
      return std::unexpected(std::string(file_name(which)) +
                             " (in the layout): " + parsed->error_message());
    }
    templates.pages_[i] = std::move(parsed);
  }
  return templates;
}

void page_templates::render(page which, const mustache::data& data, std::string& out) const {
  pages_[static_cast<std::size_t>(which)]->render(data, [&out](const std::string& s) { out += s; });
}

}  // namespace notes::http::web
