# Fails when a file under core/ includes anything but the standard library and the core's own
# headers: the core must build with a C++23 standard library alone.
# Usage: cmake -DCORE_DIR=<core/> -P check_includes.cmake
file(GLOB_RECURSE core_files "${CORE_DIR}/*.hpp" "${CORE_DIR}/*.cpp")
set(offending "")
foreach(path IN LISTS core_files)
  file(STRINGS "${path}" includes REGEX "^[ \t]*#[ \t]*include")
  foreach(line IN LISTS includes)
    if(line MATCHES "<([^>]+)>")
      set(header "${CMAKE_MATCH_1}")
      # Standard headers have neither a folder nor an extension: <vector>, <cstdint>.
      if(header MATCHES "[/.]")
        list(APPEND offending "${path}: ${line}")
      endif()
    elseif(line MATCHES "\"([^\"]+)\"")
      set(header "${CMAKE_MATCH_1}")
      # The core's public headers ("notes/...") or a private one beside the file.
      if(header MATCHES "/" AND NOT header MATCHES "^notes/[^.][^/]*$")
        list(APPEND offending "${path}: ${line}")
      endif()
    endif()
  endforeach()
endforeach()
if(offending)
  list(JOIN offending "\n  " shown)
  message(FATAL_ERROR "core/ includes more than the standard library:\n  ${shown}")
endif()
list(LENGTH core_files checked)
message(STATUS "${checked} files under core/ include the standard library and core/ only")
