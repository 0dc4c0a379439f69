#pragma once
// The default templates and static files, compiled into the binary by embed_assets.cmake so the
// server runs from any working directory.
#include <span>
#include <string_view>

namespace notes::http::web {

struct embedded_file {
  std::string_view path;  // relative, with forward slashes: "notes/list.mustache", "css/style.css"
  std::string_view content;
};

std::span<const embedded_file> embedded_templates() noexcept;
std::span<const embedded_file> embedded_static_files() noexcept;

}  // namespace notes::http::web
