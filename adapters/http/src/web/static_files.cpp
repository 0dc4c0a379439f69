#include "web/static_files.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <system_error>

#include "notes/text.hpp"
#include "routing/http_text.hpp"
#include "routing/url.hpp"
#include "web/crypto.hpp"
#include "web/embedded_assets.hpp"

namespace notes::http::web {
namespace {

namespace fs = std::filesystem;

std::string etag_for(std::string_view content) {
  const digest d = sha256(content);
  return '"' + to_hex(std::string_view(reinterpret_cast<const char*>(d.data()), 16)) + '"';
}

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  return content;
}

bool hidden(const fs::path& relative) {
  return std::any_of(relative.begin(), relative.end(), [](const fs::path& part) {
    const std::string s = part.string();
    return !s.empty() && s.front() == '.';
  });
}

bool inside(const fs::path& root, const fs::path& candidate) {
  auto [root_end, _] = std::mismatch(root.begin(), root.end(), candidate.begin(), candidate.end());
  return root_end == root.end();
}

}  // namespace

std::expected<static_files, std::string> static_files::load(const std::optional<fs::path>& dir) {
  static_files files;
  for (const embedded_file& f : embedded_static_files()) {
    files.add(std::string(f.path), std::string(f.content));
  }
  if (dir) {
    std::error_code ec;
    const fs::path root = fs::canonical(*dir, ec);
    if (ec || !fs::is_directory(root, ec)) {
      return std::unexpected("STATIC_DIR " + dir->string() + " is not a readable folder");
    }
    fs::recursive_directory_iterator it(root, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      const fs::path relative = it->path().lexically_relative(root);
      if (hidden(relative)) {
        if (it->is_directory(ec)) it.disable_recursion_pending();
        continue;
      }
      if (!it->is_regular_file(ec)) continue;
      // A symlink that points out of the folder is not part of it.
      const fs::path target = fs::canonical(it->path(), ec);
      if (ec || !inside(root, target)) {
        ec.clear();
        continue;
      }
      if (fs::file_size(target, ec) > max_static_file_size || ec) {
        return std::unexpected("STATIC_DIR file " + it->path().string() + " is too large to serve");
      }
      auto content = read_file(target);
      if (!content) return std::unexpected("cannot read STATIC_DIR file " + it->path().string());
      files.add(relative.generic_string(), std::move(*content));
    }
    if (ec) return std::unexpected("cannot list STATIC_DIR " + dir->string() + ": " + ec.message());
  }
  // Sorted so the version does not depend on the hash map's order.
  std::map<std::string_view, std::string_view> ordered;
  for (const auto& [path, file] : files.files_) ordered.emplace(path, file.etag);
  std::string all;
  for (const auto& [path, etag] : ordered) {
    all.append(path).append(1, '\0').append(etag).append(1, '\0');
  }
  files.version_ = to_hex(as_view(sha256(all)).substr(0, 6));
  return files;
}

void static_files::add(std::string path, std::string content) {
  static_file file;
  file.content_type = std::string(content_type_for(path));
  file.etag = etag_for(content);
  file.content = std::move(content);
  files_.insert_or_assign(std::move(path), std::move(file));
}

const static_file* static_files::find(std::string_view raw_path) const {
  const auto path = safe_relative_path(raw_path);
  if (!path) return nullptr;
  const auto it = files_.find(*path);
  return it == files_.end() ? nullptr : &it->second;
}

std::optional<std::string> safe_relative_path(std::string_view raw_path) {
  // `+` is literal in a path; a malformed escape stays literal text and so names no file.
  std::string path = url_decode(raw_path, false);
  if (path.empty() || !text::is_valid_utf8(path)) return std::nullopt;
  if (path.front() == '/' || path.find('\\') != std::string::npos ||
      path.find('\0') != std::string::npos || path.find(':') != std::string::npos) {
    return std::nullopt;
  }
  std::string_view rest = path;
  while (true) {
    const auto slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    if (segment.empty() || segment == "." || segment == "..") return std::nullopt;
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return path;
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) noexcept {
  // If-None-Match compares weakly: W/ is ignored on both sides.
  if (etag.starts_with("W/")) etag.remove_prefix(2);
  bool matched = false;
  for_each_entity_tag(if_none_match, [&](const entity_tag_item& item) {
    matched = matched || item.any || item.tag == etag;
  });
  return matched;
}

std::string_view content_type_for(std::string_view path) noexcept {
  static constexpr std::pair<std::string_view, std::string_view> types[] = {
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".avif", "image/avif"},
      {".ico", "image/vnd.microsoft.icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".ttf", "font/ttf"},
      {".otf", "font/otf"},
      {".txt", "text/plain; charset=utf-8"},
      {".html", "text/html; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
  };
  for (const auto& [extension, type] : types) {
    if (path.size() > extension.size() && path.ends_with(extension)) return type;
  }
  return "application/octet-stream";
}

}  // namespace notes::http::web
