#include "markdown/html_cache.hpp"

#include <functional>

namespace notes::http::markdown {
namespace {

// What an entry holds, roughly: its HTML and the bookkeeping around it.
std::size_t cost(const rendered& r) { return r.html.size() + 128; }

}  // namespace

std::size_t html_cache::key_hash::operator()(const key& k) const noexcept {
  std::size_t h = k.content_hash;
  for (const std::size_t part :
       {static_cast<std::size_t>(k.id), static_cast<std::size_t>(k.version), k.content_size,
        static_cast<std::size_t>(k.tasks)}) {
    h ^= part + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  }
  return h;
}

std::shared_ptr<const rendered> html_cache::html(std::int64_t id, std::int64_t version,
                                                 std::string_view content, task_style tasks) {
  const key k{id, version, std::hash<std::string_view>{}(content), content.size(), tasks};
  {
    const std::lock_guard lock(mutex_);
    if (const auto it = index_.find(k); it != index_.end()) {
      order_.splice(order_.begin(), order_, it->second);
      return it->second->html;
    }
  }
  // Rendered outside the lock: two threads may render the same version once each, which is
  // cheaper than making every other page wait.
  auto made = std::make_shared<const rendered>(render(content, tasks));
  const std::size_t size = cost(*made);
  if (size > max_bytes_) return made;
  const std::lock_guard lock(mutex_);
  if (index_.contains(k)) return made;
  order_.push_front(entry{k, made});
  index_.emplace(k, order_.begin());
  bytes_ += size;
  while (bytes_ > max_bytes_ && !order_.empty()) {
    const entry& last = order_.back();
    bytes_ -= cost(*last.html);
    index_.erase(last.k);
    order_.pop_back();
  }
  return made;
}

std::size_t html_cache::bytes() const {
  const std::lock_guard lock(mutex_);
  return bytes_;
}

}  // namespace notes::http::markdown
