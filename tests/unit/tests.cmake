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
ratchet_unit_test(task)
ratchet_unit_test(fetch SOURCES unit/fetch_testing.c LIBS PkgConfig::MHD)
ratchet_unit_test(fetch_har SOURCES unit/fetch_testing.c LIBS PkgConfig::MHD)

# The MuJS executor, compiled into its test with the static entry name (as the loggers above).
get_property(mujs_sources GLOBAL PROPERTY RATCHET_EXECUTOR_MUJS_SOURCES)
if("executor-mujs" IN_LIST RATCHET_STATIC_PLUGINS)
  ratchet_unit_test(executor_mujs LIBS PkgConfig::MUJS)
elseif(mujs_sources)
  ratchet_unit_test(executor_mujs SOURCES ${mujs_sources} LIBS PkgConfig::MUJS m)
  target_compile_definitions(test_executor_mujs PRIVATE RATCHET_STATIC_PLUGIN)
endif()
ratchet_unit_test(schema)
ratchet_unit_test(schema_suite)
