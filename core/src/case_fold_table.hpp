#pragma once
#include <cstddef>
#include <cstdint>

namespace notes::text::detail {

struct fold_run {
  std::uint32_t first;
  std::uint16_t count;
  std::int32_t delta;
  std::uint8_t stride;
};

extern const fold_run fold_runs[];
extern const std::size_t fold_run_count;

}  // namespace notes::text::detail
