#pragma once
// A note's HTML, rendered once per version and kept for every server thread, bounded by bytes.
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "markdown/markdown.hpp"

namespace notes::http::markdown {

class html_cache {
 public:
  explicit html_cache(std::size_t max_bytes = 16u << 20) : max_bytes_(max_bytes) {}

  // The HTML of `content`, the text of version `version` of note `id`. Every change of a note
  // bumps its version; the key holds a hash of the text too, so a number used again (a note
  // deleted for good, its id given to a new one) never finds another text's HTML.
  std::shared_ptr<const rendered> html(std::int64_t id, std::int64_t version,
                                       std::string_view content, task_style tasks);

  std::size_t bytes() const;

 private:
  struct key {
    std::int64_t id;
    std::int64_t version;
    std::size_t content_hash;
    std::size_t content_size;
    task_style tasks;
    bool operator==(const key&) const = default;
  };
  struct key_hash {
    std::size_t operator()(const key& k) const noexcept;
  };
  struct entry {
    key k;
    std::shared_ptr<const rendered> html;
  };

  const std::size_t max_bytes_;
  mutable std::mutex mutex_;
  std::list<entry> order_;  // most recently used first
  std::unordered_map<key, std::list<entry>::iterator, key_hash> index_;
  std::size_t bytes_ = 0;
};

}  // namespace notes::http::markdown
