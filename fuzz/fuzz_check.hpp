#pragma once
// What every harness shares: the input as text, and a check whose failure libFuzzer counts as a
// crash (it saves the input and stops), so a broken promise of the code under test is reported
// like a sanitizer finding.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace notes::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) noexcept {
  return {reinterpret_cast<const char*>(data), size};
}

// Aborts with `promise` on stderr when it does not hold.
inline void require(bool holds, std::string_view promise) noexcept {
  if (holds) return;
  std::fprintf(stderr, "broken promise: %.*s\n", static_cast<int>(promise.size()),
               promise.data());
  std::abort();
}

}  // namespace notes::fuzz
