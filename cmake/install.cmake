# Installs notes::core and, when built, notes::storage_soci and notes::testing (the contract
# kit) with a package config, so that another program can find_package(notes COMPONENTS ...)
# and link them. Each component has an
# export file of its own (notes-<component>-targets.cmake): the config file reads only those
# asked for, and looks for a component's dependencies only then.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(NOTES_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/notes")

install(TARGETS notes_core EXPORT notes-core-targets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY core/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT notes-core-targets NAMESPACE notes:: DESTINATION ${NOTES_INSTALL_CMAKEDIR})
set(NOTES_INSTALLED_COMPONENTS core)

if(NOTES_BUILD_STORAGE)
  install(TARGETS notes_storage_soci EXPORT notes-storage_soci-targets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
  install(DIRECTORY adapters/soci/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  install(FILES cmake/FindSOCI.cmake DESTINATION ${NOTES_INSTALL_CMAKEDIR})
  install(EXPORT notes-storage_soci-targets NAMESPACE notes::
    DESTINATION ${NOTES_INSTALL_CMAKEDIR})
  list(APPEND NOTES_INSTALLED_COMPONENTS storage_soci)
endif()

if(TARGET notes_testing)
  install(TARGETS notes_testing EXPORT notes-testing-targets)
  install(DIRECTORY testing/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  install(EXPORT notes-testing-targets NAMESPACE notes:: DESTINATION ${NOTES_INSTALL_CMAKEDIR})
  list(APPEND NOTES_INSTALLED_COMPONENTS testing)
endif()

# Read by the config file: what this installation holds and what its storage adapter links.
set(NOTES_STORAGE_WITH_POSTGRESQL ${NOTES_WITH_POSTGRESQL})
configure_package_config_file(cmake/notes-config.cmake.in
  "${CMAKE_CURRENT_BINARY_DIR}/notes-config.cmake"
  INSTALL_DESTINATION ${NOTES_INSTALL_CMAKEDIR})
write_basic_package_version_file("${CMAKE_CURRENT_BINARY_DIR}/notes-config-version.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/notes-config.cmake"
  "${CMAKE_CURRENT_BINARY_DIR}/notes-config-version.cmake"
  DESTINATION ${NOTES_INSTALL_CMAKEDIR})
