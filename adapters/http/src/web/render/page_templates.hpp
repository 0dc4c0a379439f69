#pragma once
// The HTML pages, each parsed once at start with the layout already folded in.
#include <array>
#include <expected>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "web/render/compiled_template.hpp"
#include "web/render/view_data.hpp"

namespace notes::http::web {

enum class page {
  list,
  detail,
  form,
  confirm_delete,
  error,
  sign_in,
  sign_up,
  account,
  trash,
  confirm_empty_trash,
  history,
  revision
};
inline constexpr std::size_t page_count = 12;

// The layout names the spot for the page body with this partial tag.
inline constexpr std::string_view content_marker = "{{> content}}";

class page_templates {
 public:
  // Reads each template from `dir` when it holds that file, else from the embedded defaults.
  // Fails with "<file>: <reason>" when a template does not parse, uses a partial or a delimiter
  // change, or the layout lacks the marker.
  static std::expected<page_templates, std::string> load(
      const std::optional<std::filesystem::path>& dir);

  // Appends the page to `out`. Safe from many threads at once.
  void render(page which, const view_data& data, std::string& out) const;

  // The size of the page's fixed text (every section's included): a first guess at its size.
  std::size_t literal_size(page which) const noexcept;

  static std::string_view file_name(page which) noexcept;

  // One page's text (the layout already folded in) checked and compiled as load() does; the
  // error is the reason alone, without the file name.
  static std::expected<compiled_template, std::string> compile_page(std::string_view text);

 private:
  std::array<compiled_template, page_count> pages_;
};

// Replaces the layout's content marker by the page text, so a page renders without partials.
std::expected<std::string, std::string> compose_page(std::string_view layout,
                                                     std::string_view body);

}  // namespace notes::http::web
