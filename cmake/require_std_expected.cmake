# Stops configure with one clear message when the compiler and its standard library cannot
# build C++23's std::expected, which every public header of the core uses. Checked once per
# compiler (the result is cached).
include(CheckCXXSourceCompiles)

set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
check_cxx_source_compiles([[
#include <expected>
std::expected<int, int> half(int n) {
  if (n % 2 != 0) return std::unexpected(n);
  return n / 2;
}
int main() { return half(4).value_or(0) == 2 ? 0 : 1; }
]] NOTES_COMPILER_HAS_STD_EXPECTED)
unset(CMAKE_TRY_COMPILE_TARGET_TYPE)

if(NOT NOTES_COMPILER_HAS_STD_EXPECTED)
  message(FATAL_ERROR
    "${CMAKE_CXX_COMPILER} (${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION}) cannot "
    "compile std::expected from <expected> in C++23, which notes needs. Use g++ 12 or newer, or "
    "clang 16 or newer with libstdc++ 12 (for example -DCMAKE_CXX_COMPILER=clang++-19; "
    "Debian 12's clang 14 cannot). Remove the build folder before configuring again with "
    "another compiler.")
endif()
