# The web UI in Chromium (playwright-core from npm, axe-core), against the real server with the
# web-ui plugin: flows (sign in, run, invalid form, live console, cancel, schedules, read-only,
# revoke), a11y (axe on every view in both themes, 360 px, keyboard, screenshots), perf
# (dashboard within 1 s, paging 100,000 jobs) and open (auth: none: no sign-in needed). They skip (77, with the reason) when Chromium,
# Node or the npm packages are missing. Screenshots: ${CMAKE_BINARY_DIR}/webui-screenshots.
if(TARGET plugin_web_ui OR "web-ui" IN_LIST RATCHET_STATIC_PLUGINS)
  foreach(suite flows a11y perf open)
    add_test(NAME webui.${suite} COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/run.sh ${suite})
    set_tests_properties(webui.${suite} PROPERTIES
      ENVIRONMENT "RATCHET_BIN=$<TARGET_FILE:ratchet>;RATCHET_SOURCE_DIR=${CMAKE_SOURCE_DIR};RATCHET_BUILD_DIR=${CMAKE_BINARY_DIR}"
      SKIP_RETURN_CODE 77 TIMEOUT 600 RESOURCE_LOCK webui-browser)
  endforeach()
endif()
