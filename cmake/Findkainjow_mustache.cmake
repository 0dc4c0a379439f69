# Finds kainjow mustache, a header-only library (Debian: libkainjow-mustache-dev), which ships no
# CMake config of its own. Defines kainjow_mustache_FOUND and the imported target kainjow::mustache.
find_path(kainjow_mustache_INCLUDE_DIR NAMES kainjow/mustache.hpp)
mark_as_advanced(kainjow_mustache_INCLUDE_DIR)

if(kainjow_mustache_INCLUDE_DIR)
  file(STRINGS "${kainjow_mustache_INCLUDE_DIR}/kainjow/mustache.hpp" kainjow_mustache_version_lines
    REGEX "Mustache v[0-9.]+" LIMIT_COUNT 1)
  if(kainjow_mustache_version_lines MATCHES "Mustache v([0-9.]+)")
    set(kainjow_mustache_VERSION "${CMAKE_MATCH_1}")
  endif()
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(kainjow_mustache
  REQUIRED_VARS kainjow_mustache_INCLUDE_DIR
  VERSION_VAR kainjow_mustache_VERSION)

if(kainjow_mustache_FOUND AND NOT TARGET kainjow::mustache)
  add_library(kainjow::mustache INTERFACE IMPORTED)
  set_target_properties(kainjow::mustache PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${kainjow_mustache_INCLUDE_DIR}")
endif()
