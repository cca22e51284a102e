# The GraphQL library (plugins/api-graphql/graphql): cmocka unit tests, and the differential
# test against graphql-js (skips without Node or the npm registry).
if(TARGET ratchet_graphql)
  foreach(t IN ITEMS gql_parse gql_validate gql_exec)
    ratchet_unit_test(${t} LIBS ratchet_graphql)
    target_compile_definitions(test_${t} PRIVATE RATCHET_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
  endforeach()
  add_test(NAME graphql.differential COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/graphql/differential.sh)
  set_tests_properties(graphql.differential PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300
    ENVIRONMENT "GQL_CLI=$<TARGET_FILE:gql_cli>;RATCHET_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
endif()
