#pragma once
// The files under /static/: the embedded defaults, overlaid by STATIC_DIR when configured.
// Everything is read once at start, so a request can only name a file that was loaded from
// inside the folder; request paths are still checked so a bad one is refused before lookup.
#include <expected>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace notes::http::web {

struct static_file {
  std::string content;
  std::string content_type;
  std::string etag;  // strong: a quoted hash of the content
};

inline constexpr std::uintmax_t max_static_file_size = 16 * 1024 * 1024;

class static_files {
 public:
  // Fails with a one-line reason when `dir` is given but cannot be read.
  static std::expected<static_files, std::string> load(
      const std::optional<std::filesystem::path>& dir);

  // `raw_path` is the request path after "/static/", still percent-encoded, without the query.
  const static_file* find(std::string_view raw_path) const;

  // Changes whenever any file changes: appended to asset URLs so browsers fetch new styles at once.
  const std::string& version() const noexcept { return version_; }

  std::size_t size() const noexcept { return files_.size(); }

 private:
  void add(std::string path, std::string content);

  std::unordered_map<std::string, static_file> files_;
  std::string version_;
};

// The decoded relative path, or empty when it is malformed or could leave the folder: `..` or `.`
// segments (also %-encoded), empty segments, absolute paths, backslashes, NUL, drive letters.
std::optional<std::string> safe_relative_path(std::string_view raw_path);

// If-None-Match against a strong ETag, with the weak comparison RFC 9110 prescribes for it.
bool etag_matches(std::string_view if_none_match, std::string_view etag) noexcept;

std::string_view content_type_for(std::string_view path) noexcept;

}  // namespace notes::http::web
