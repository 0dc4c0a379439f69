# Finds SOCI 4 as Debian ships it (libsoci-dev: headers and libraries, no CMake config and no
# pkg-config file) and defines the imported targets
#   SOCI::core        libsoci_core
#   SOCI::sqlite3     libsoci_sqlite3, linking SOCI::core and SQLite::SQLite3
#   SOCI::postgresql  libsoci_postgresql, linking SOCI::core and libpq
# Components (sqlite3, postgresql) select which backends must be present; without any, both are
# looked for and the ones found get targets. Sets SOCI_FOUND, SOCI_VERSION, SOCI_INCLUDE_DIR.
include(FindPackageHandleStandardArgs)
include(CMakeFindDependencyMacro)

find_path(SOCI_INCLUDE_DIR NAMES soci/soci.h)
find_library(SOCI_CORE_LIBRARY NAMES soci_core)

if(SOCI_INCLUDE_DIR AND EXISTS "${SOCI_INCLUDE_DIR}/soci/version.h")
  file(STRINGS "${SOCI_INCLUDE_DIR}/soci/version.h" _soci_version_line
    REGEX "^#define[ \t]+SOCI_VERSION[ \t]+[0-9]+")
  if(_soci_version_line MATCHES "SOCI_VERSION[ \t]+([0-9]+)")
    # SOCI_VERSION is major * 100000 + minor * 100 + patch.
    math(EXPR _soci_major "${CMAKE_MATCH_1} / 100000")
    math(EXPR _soci_minor "${CMAKE_MATCH_1} / 100 % 1000")
    math(EXPR _soci_patch "${CMAKE_MATCH_1} % 100")
    set(SOCI_VERSION "${_soci_major}.${_soci_minor}.${_soci_patch}")
  endif()
endif()

set(_soci_backends sqlite3 postgresql)
if(SOCI_FIND_COMPONENTS)
  set(_soci_backends ${SOCI_FIND_COMPONENTS})
endif()

foreach(_backend IN LISTS _soci_backends)
  find_library(SOCI_${_backend}_LIBRARY NAMES soci_${_backend})
  set(_soci_dependency_found TRUE)
  if(_backend STREQUAL "sqlite3")
    find_package(SQLite3 QUIET)
    set(_soci_dependency_found ${SQLite3_FOUND})
  elseif(_backend STREQUAL "postgresql")
    # Only libpq is needed, not the server headers that FindPostgreSQL also insists on.
    find_path(SOCI_LIBPQ_INCLUDE_DIR NAMES libpq-fe.h PATH_SUFFIXES postgresql)
    find_library(SOCI_LIBPQ_LIBRARY NAMES pq)
    if(NOT SOCI_LIBPQ_INCLUDE_DIR OR NOT SOCI_LIBPQ_LIBRARY)
      set(_soci_dependency_found FALSE)
    endif()
  endif()
  if(SOCI_${_backend}_LIBRARY AND _soci_dependency_found)
    set(SOCI_${_backend}_FOUND TRUE)
  else()
    set(SOCI_${_backend}_FOUND FALSE)
  endif()
endforeach()

find_package_handle_standard_args(SOCI
  REQUIRED_VARS SOCI_CORE_LIBRARY SOCI_INCLUDE_DIR
  VERSION_VAR SOCI_VERSION
  HANDLE_COMPONENTS)

if(SOCI_FOUND AND NOT TARGET SOCI::core)
  add_library(SOCI::core UNKNOWN IMPORTED)
  set_target_properties(SOCI::core PROPERTIES
    IMPORTED_LOCATION "${SOCI_CORE_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${SOCI_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "${CMAKE_DL_LIBS}")
endif()

if(SOCI_FOUND AND SOCI_sqlite3_FOUND AND NOT TARGET SOCI::sqlite3)
  add_library(SOCI::sqlite3 UNKNOWN IMPORTED)
  set_target_properties(SOCI::sqlite3 PROPERTIES
    IMPORTED_LOCATION "${SOCI_sqlite3_LIBRARY}"
    INTERFACE_LINK_LIBRARIES "SOCI::core;SQLite::SQLite3")
endif()

if(SOCI_FOUND AND SOCI_postgresql_FOUND AND NOT TARGET SOCI::postgresql)
  add_library(SOCI::libpq UNKNOWN IMPORTED)
  set_target_properties(SOCI::libpq PROPERTIES
    IMPORTED_LOCATION "${SOCI_LIBPQ_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${SOCI_LIBPQ_INCLUDE_DIR}")
  add_library(SOCI::postgresql UNKNOWN IMPORTED)
  set_target_properties(SOCI::postgresql PROPERTIES
    IMPORTED_LOCATION "${SOCI_postgresql_LIBRARY}"
    INTERFACE_LINK_LIBRARIES "SOCI::core;SOCI::libpq")
endif()

mark_as_advanced(SOCI_INCLUDE_DIR SOCI_CORE_LIBRARY SOCI_sqlite3_LIBRARY SOCI_postgresql_LIBRARY
  SOCI_LIBPQ_INCLUDE_DIR SOCI_LIBPQ_LIBRARY)
