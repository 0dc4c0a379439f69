// The rendered notes kept per version: found again, never stale, bounded by bytes.
#include <doctest/doctest.h>

#include <string>

#include "markdown/html_cache.hpp"

using notes::http::markdown::html_cache;
using notes::http::markdown::task_style;

TEST_CASE("html cache: a version is rendered once, a new version or text is rendered again") {
  html_cache cache;
  const auto first = cache.html(1, 1, "# One", task_style::form_button);
  CHECK(first->html == "<h1>One</h1>");
  CHECK(cache.html(1, 1, "# One", task_style::form_button) == first);
  const auto next = cache.html(1, 2, "# Two", task_style::form_button);
  CHECK(next->html == "<h1>Two</h1>");
  // The same id and version with another text: an id used again after a delete for good.
  CHECK(cache.html(1, 1, "# Other", task_style::form_button)->html == "<h1>Other</h1>");
  CHECK(cache.html(1, 1, "- [ ] a", task_style::checkbox)->task_count == 1);
}

TEST_CASE("html cache: what it keeps stays under its bound, the least recently shown going first") {
  html_cache cache(4096);
  const std::string text(1000, 'a');
  const auto kept = cache.html(1, 1, text, task_style::checkbox);
  for (int id = 2; id < 50; ++id) {
    cache.html(id, 1, text, task_style::checkbox);
    CHECK(cache.bytes() <= 4096);
    cache.html(1, 1, text, task_style::checkbox);  // note 1 is shown often
  }
  CHECK(cache.html(1, 1, text, task_style::checkbox) == kept);
  CHECK(cache.html(2, 1, text, task_style::checkbox) != nullptr);
  // Larger than the whole bound: rendered, not kept.
  html_cache small(64);
  CHECK(small.html(1, 1, text, task_style::checkbox)->html.size() > 64);
  CHECK(small.bytes() == 0);
}
