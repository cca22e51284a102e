ratchet_unit_test(yaml)
ratchet_unit_test(options)
ratchet_unit_test(buf)

# Logger plugins, compiled into their tests with the static entry names. In an embedded build
# that already links a plugin into ratchet_core, the test uses that copy instead.
if("logger-file" IN_LIST RATCHET_STATIC_PLUGINS)
  ratchet_unit_test(logger_file LIBS PkgConfig::JSONC)
else()
  ratchet_unit_test(logger_file SOURCES ${CMAKE_SOURCE_DIR}/plugins/logger-file/file.c
    ${CMAKE_SOURCE_DIR}/plugins/logger-file/rotate.c LIBS PkgConfig::JSONC)
  target_compile_definitions(test_logger_file PRIVATE RATCHET_STATIC_PLUGIN)
endif()
if("logger-console" IN_LIST RATCHET_STATIC_PLUGINS)
  ratchet_unit_test(logger_console)
else()
  ratchet_unit_test(logger_console SOURCES ${CMAKE_SOURCE_DIR}/plugins/logger-console/console.c)
  target_compile_definitions(test_logger_console PRIVATE RATCHET_STATIC_PLUGIN)
endif()
