ratchet_unit_test(yaml)
ratchet_unit_test(options)
ratchet_unit_test(buf)
ratchet_unit_test(sha256)
ratchet_unit_test(patterns LIBS PkgConfig::JSONC)
ratchet_unit_test(analysis LIBS PkgConfig::JSONC)
ratchet_unit_test(log_store LIBS PkgConfig::JSONC Threads::Threads)

# Logger plugins, compiled into their tests with the static entry names. In an embedded build
# that already links a plugin into ratchet_core, the test uses that copy instead.
if("logger-file" IN_LIST RATCHET_STATIC_PLUGINS)
  ratchet_unit_test(logger_file LIBS PkgConfig::JSONC)
else()
  ratchet_unit_test(logger_file SOURCES ${CMAKE_SOURCE_DIR}/plugins/logger-file/file.c
    ${CMAKE_SOURCE_DIR}/plugins/logger-file/rotate.c
    ${CMAKE_SOURCE_DIR}/plugins/logger-file/compress.c LIBS PkgConfig::JSONC)
  target_compile_definitions(test_logger_file PRIVATE RATCHET_STATIC_PLUGIN)
  pkg_check_modules(ZLIB IMPORTED_TARGET zlib) # as plugins/logger-file does: gzip of rotations
  if(ZLIB_FOUND)
    target_compile_definitions(test_logger_file PRIVATE RATCHET_HAVE_ZLIB)
    target_link_libraries(test_logger_file PRIVATE PkgConfig::ZLIB)
  endif()
endif()
if("logger-console" IN_LIST RATCHET_STATIC_PLUGINS)
  ratchet_unit_test(logger_console)
else()
  ratchet_unit_test(logger_console SOURCES ${CMAKE_SOURCE_DIR}/plugins/logger-console/console.c
    ${CMAKE_SOURCE_DIR}/plugins/logger-console/console_out.c)
  target_compile_definitions(test_logger_console PRIVATE RATCHET_STATIC_PLUGIN)
endif()
# Structured log events: context, masking, sink filters, plugin metrics (issue 21).
ratchet_unit_test(log_events)
# logger-buffered's ring, compiled into its test like the loggers above.
if(NOT "logger-buffered" IN_LIST RATCHET_STATIC_PLUGINS)
  ratchet_unit_test(logger_buffered SOURCES ${CMAKE_SOURCE_DIR}/plugins/logger-buffered/bring.c
    ${CMAKE_SOURCE_DIR}/plugins/logger-buffered/buffered.c)
  target_include_directories(test_logger_buffered PRIVATE ${CMAKE_SOURCE_DIR}/plugins/logger-buffered)
  target_compile_definitions(test_logger_buffered PRIVATE RATCHET_STATIC_PLUGIN)
endif()
ratchet_unit_test(task SOURCES unit/task_testing.c)
ratchet_unit_test(task_formats SOURCES unit/task_testing.c)
ratchet_unit_test(fetch SOURCES unit/fetch_testing.c LIBS PkgConfig::MHD)
ratchet_unit_test(fetch_har SOURCES unit/fetch_testing.c LIBS PkgConfig::MHD)

# The MuJS executor, compiled into its test with the static entry name (as the loggers above).
get_property(mujs_sources GLOBAL PROPERTY RATCHET_EXECUTOR_MUJS_SOURCES)
foreach(t IN ITEMS executor_mujs executor_mujs_runtime executor_runtime)
  if("executor-mujs" IN_LIST RATCHET_STATIC_PLUGINS)
    ratchet_unit_test(${t} SOURCES unit/mujs_testing.c LIBS executor_mujs_engine)
  elseif(mujs_sources)
    ratchet_unit_test(${t} SOURCES unit/mujs_testing.c ${mujs_sources} LIBS executor_mujs_engine m)
    target_compile_definitions(test_${t} PRIVATE RATCHET_STATIC_PLUGIN)
  endif()
endforeach()
ratchet_unit_test(schema)
ratchet_unit_test(schema_suite)
ratchet_unit_test(tz)
ratchet_unit_test(cron)
ratchet_unit_test(cron_compat)
ratchet_unit_test(scheduler)
ratchet_unit_test(store_url)
ratchet_unit_test(ipc SOURCES unit/ipc_testing.c)
ratchet_unit_test(ipc_stream SOURCES unit/ipc_testing.c)
ratchet_unit_test(sandbox SOURCES unit/sandbox_testing.c LIBS PkgConfig::SECCOMP)
ratchet_unit_test(sandbox_limits SOURCES unit/sandbox_testing.c LIBS PkgConfig::SECCOMP)
ratchet_unit_test(sandbox_caps SOURCES unit/sandbox_testing.c LIBS PkgConfig::SECCOMP)

# The SQLite storage, compiled into its test with the static entry name (as executor-mujs).
get_property(sqlite_sources GLOBAL PROPERTY RATCHET_STORAGE_SQLITE_SOURCES)
foreach(t IN ITEMS storage_sqlite storage_sqlite_jobs storage_sqlite_concurrency
    storage_sqlite_api)
  if("storage-sqlite" IN_LIST RATCHET_STATIC_PLUGINS)
    ratchet_unit_test(${t} SOURCES unit/sqlite_testing.c unit/storage_testing.c
      LIBS PkgConfig::SQLITE PkgConfig::JSONC)
  elseif(sqlite_sources)
    ratchet_unit_test(${t} SOURCES unit/sqlite_testing.c unit/storage_testing.c ${sqlite_sources}
      LIBS PkgConfig::SQLITE PkgConfig::JSONC Threads::Threads)
    target_compile_definitions(test_${t} PRIVATE RATCHET_STATIC_PLUGIN)
  endif()
  if(TARGET test_${t})
    set_tests_properties(unit.${t} PROPERTIES TIMEOUT 120)
  endif()
endforeach()
ratchet_unit_test(deliver SOURCES unit/deliver_testing.c LIBS PkgConfig::MHD)
ratchet_unit_test(deliver_template SOURCES unit/deliver_testing.c LIBS PkgConfig::MHD)

# The task compiler's parser and printer (host/task/compiler, inside ratchet_core).
ratchet_unit_test(jsc_parse)
target_include_directories(test_jsc_parse PRIVATE ${CMAKE_SOURCE_DIR}/host/task/compiler)

# The engine's event hub (engine/events.c).
ratchet_unit_test(events)
# Circuit breakers per host and the W3C trace context of jobs (engine/breaker.c, trace.c).
ratchet_unit_test(breaker)

# The http plugin's pure parts (URL parsing, the route table), compiled into the test.
get_property(http_pure_sources GLOBAL PROPERTY RATCHET_HTTP_PURE_SOURCES)
if(http_pure_sources)
  ratchet_unit_test(http_route SOURCES ${http_pure_sources} LIBS Threads::Threads)
  target_include_directories(test_http_route PRIVATE ${CMAKE_SOURCE_DIR}/plugins/http)
endif()
# The ratchet.engine API (engine/api*.c) on a real storage-sqlite database with the samples.
# test_api_engine also runs an engine whose workers are the test binary itself, loading the
# executor from the build's plugin directory.
foreach(t IN ITEMS api api_engine)
  if("storage-sqlite" IN_LIST RATCHET_STATIC_PLUGINS)
    ratchet_unit_test(${t} SOURCES unit/sqlite_testing.c unit/storage_testing.c
      LIBS PkgConfig::SQLITE PkgConfig::JSONC)
  elseif(sqlite_sources)
    ratchet_unit_test(${t} SOURCES unit/sqlite_testing.c unit/storage_testing.c ${sqlite_sources}
      LIBS PkgConfig::SQLITE PkgConfig::JSONC Threads::Threads)
    target_compile_definitions(test_${t} PRIVATE RATCHET_STATIC_PLUGIN)
  endif()
  if(TARGET test_${t})
    target_compile_definitions(test_${t} PRIVATE RATCHET_SAMPLE_DIR="${CMAKE_SOURCE_DIR}/sample"
      RATCHET_BUILD_PLUGIN_DIR="${RATCHET_BUILD_PLUGIN_DIR}")
    set_tests_properties(unit.${t} PROPERTIES TIMEOUT 120)
  endif()
endforeach()
if(TARGET test_api_engine AND TARGET plugin_executor_mujs)
  add_dependencies(test_api_engine plugin_executor_mujs)
endif()
# The watcher-inotify plugin's debounce (iw_burst.c), on its own.
get_property(watcher_pure_sources GLOBAL PROPERTY RATCHET_WATCHER_INOTIFY_PURE_SOURCES)
if(watcher_pure_sources)
  ratchet_unit_test(watcher_burst SOURCES ${watcher_pure_sources})
  target_include_directories(test_watcher_burst PRIVATE ${CMAKE_SOURCE_DIR}/plugins/watcher-inotify)
endif()
ratchet_unit_test(registry_index)
# The storage conformance suite: one program, the storage plugin a parameter (loaded by path
# as the host loads it), run against every storage plugin this build makes. The PostgreSQL
# run starts its own throwaway cluster (tests/pg_cluster.sh).
add_executable(test_storage_conformance unit/test_storage_conformance.c unit/plugin_harness.c
  unit/storage_testing.c unit/conformance_testing.c unit/conformance_lists.c
  unit/conformance_more.c unit/conformance_postgres.c unit/conformance_logs.c)
target_compile_options(test_storage_conformance PRIVATE ${RATCHET_WARNINGS})
target_link_libraries(test_storage_conformance PRIVATE ratchet_core PkgConfig::CMOCKA
  PkgConfig::JSONC Threads::Threads)
target_include_directories(test_storage_conformance PRIVATE ${CMAKE_SOURCE_DIR}/host
  ${CMAKE_SOURCE_DIR}/host/core)
set(conformance_env "RATCHET_TEST_TMP=${CMAKE_CURRENT_BINARY_DIR}/tmp;CMOCKA_MESSAGE_OUTPUT=stdout")
if(TARGET plugin_storage_sqlite AND NOT "storage-sqlite" IN_LIST RATCHET_STATIC_PLUGINS)
  add_dependencies(test_storage_conformance plugin_storage_sqlite)
  add_test(NAME storage.conformance.sqlite COMMAND test_storage_conformance
    $<TARGET_FILE:plugin_storage_sqlite> "path: {tmp}/conformance.db")
  set_tests_properties(storage.conformance.sqlite PROPERTIES ENVIRONMENT "${conformance_env}"
    TIMEOUT 300)
endif()
if(TARGET plugin_storage_postgres AND NOT "storage-postgres" IN_LIST RATCHET_STATIC_PLUGINS)
  add_dependencies(test_storage_conformance plugin_storage_postgres)
  add_test(NAME storage.conformance.postgres COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/pg_cluster.sh
    $<TARGET_FILE:test_storage_conformance> $<TARGET_FILE:plugin_storage_postgres>
    "url: {env:RATCHET_PG_URL}\nschema: {unique}")
  set_tests_properties(storage.conformance.postgres PROPERTIES ENVIRONMENT "${conformance_env}"
    TIMEOUT 300)
endif()
# The WebSocket pieces of plugins/frontend-common (SHA-1, base64, frames, UTF-8), and its
# scan for the members of event texts.
if(TARGET ratchet_frontend_common)
  ratchet_unit_test(ws_frame LIBS ratchet_frontend_common)
  ratchet_unit_test(fe_json LIBS ratchet_frontend_common)
endif()
