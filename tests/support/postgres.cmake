# The throwaway PostgreSQL cluster as a ctest fixture, for any suite that needs one:
#   include("${PROJECT_SOURCE_DIR}/tests/support/postgres.cmake")
#   set_tests_properties(... PROPERTIES FIXTURES_REQUIRED ${NOTES_POSTGRES_FIXTURE}
#                                      ENVIRONMENT "${NOTES_POSTGRES_TEST_ENVIRONMENT}")
# and link notes_test_postgres for postgres_test_database.hpp (a fresh database per test).
# Every suite that includes this file gets the variables; the fixture's tests and the library
# are created by the first one only.
set(NOTES_POSTGRES_FIXTURE notes_postgres)
set(NOTES_POSTGRES_STATE_DIR "${PROJECT_BINARY_DIR}/tests/postgres-fixture")
set(NOTES_POSTGRES_CLUSTER_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/postgres-cluster.sh")
# One variable, not a list: doctest_discover_tests flattens list-valued PROPERTIES.
set(NOTES_POSTGRES_TEST_ENVIRONMENT "NOTES_TEST_POSTGRES_STATE=${NOTES_POSTGRES_STATE_DIR}")
# What a PostgreSQL test prints when there is no server; ctest then reports it as skipped.
set(NOTES_POSTGRES_SKIP_REGEX "SKIPPED: PostgreSQL")

if(TARGET notes_test_postgres)
  return()
endif()

add_test(NAME postgres.cluster.start
  COMMAND bash "${NOTES_POSTGRES_CLUSTER_SCRIPT}" start "${NOTES_POSTGRES_STATE_DIR}")
add_test(NAME postgres.cluster.stop
  COMMAND bash "${NOTES_POSTGRES_CLUSTER_SCRIPT}" stop "${NOTES_POSTGRES_STATE_DIR}")
set_tests_properties(postgres.cluster.start PROPERTIES FIXTURES_SETUP ${NOTES_POSTGRES_FIXTURE})
set_tests_properties(postgres.cluster.stop PROPERTIES FIXTURES_CLEANUP ${NOTES_POSTGRES_FIXTURE})

find_package(SOCI 4.0 REQUIRED COMPONENTS postgresql)
add_library(notes_test_postgres STATIC "${CMAKE_CURRENT_LIST_DIR}/postgres_test_database.cpp")
target_include_directories(notes_test_postgres PUBLIC "${CMAKE_CURRENT_LIST_DIR}")
target_link_libraries(notes_test_postgres
  PUBLIC notes::storage_soci
  PRIVATE SOCI::postgresql $<BUILD_INTERFACE:notes_warnings>)
