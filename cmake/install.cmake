# Installs notes::core and notes::storage_soci with a package config, so that another
# program can find_package(notes) and link them.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(NOTES_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/notes")

install(TARGETS notes_core EXPORT notes-targets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY core/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

if(TARGET notes_storage_soci)
  install(TARGETS notes_storage_soci EXPORT notes-targets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
  install(DIRECTORY adapters/soci/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  install(FILES cmake/FindSOCI.cmake DESTINATION ${NOTES_INSTALL_CMAKEDIR})
endif()

install(EXPORT notes-targets NAMESPACE notes:: DESTINATION ${NOTES_INSTALL_CMAKEDIR})
configure_package_config_file(cmake/notes-config.cmake.in
  "${CMAKE_CURRENT_BINARY_DIR}/notes-config.cmake"
  INSTALL_DESTINATION ${NOTES_INSTALL_CMAKEDIR})
write_basic_package_version_file("${CMAKE_CURRENT_BINARY_DIR}/notes-config-version.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/notes-config.cmake"
  "${CMAKE_CURRENT_BINARY_DIR}/notes-config-version.cmake"
  DESTINATION ${NOTES_INSTALL_CMAKEDIR})
