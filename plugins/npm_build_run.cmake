# plugins/npm_build_run.cmake - the build step of ratchet_npm_build (npm_build.cmake), run with
# cmake -P at build time. Inputs (-D): APP_DIR, STAGE, OUT_DIR, NPM, NPM_CACHE, STAMP.
cmake_minimum_required(VERSION 3.20)
foreach(v APP_DIR STAGE OUT_DIR NPM NPM_CACHE STAMP)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "npm_build_run.cmake: -D${v}=... is required")
  endif()
endforeach()

# 1. The app's own files into the stage (what the app dropped from its tree goes too, except
#    node_modules, which npm ci owns).
file(MAKE_DIRECTORY "${STAGE}")
file(GLOB old RELATIVE "${STAGE}" "${STAGE}/*")
foreach(f IN LISTS old)
  if(NOT f STREQUAL "node_modules" AND NOT f STREQUAL ".ratchet-lock.json")
    file(REMOVE_RECURSE "${STAGE}/${f}")
  endif()
endforeach()
file(COPY "${APP_DIR}/" DESTINATION "${STAGE}"
     PATTERN "node_modules" EXCLUDE
     PATTERN "dist" EXCLUDE
     PATTERN ".vite" EXCLUDE)

# 2. npm ci only when the lockfile differs from the one last installed.
set(installed "${STAGE}/.ratchet-lock.json")
set(need_ci TRUE)
if(EXISTS "${installed}" AND EXISTS "${STAGE}/node_modules")
  file(SHA256 "${installed}" had)
  file(SHA256 "${STAGE}/package-lock.json" want)
  if(had STREQUAL want)
    set(need_ci FALSE)
  endif()
endif()
if(need_ci)
  execute_process(COMMAND "${NPM}" ci --no-audit --no-fund --prefer-offline
                          --cache "${NPM_CACHE}"
                  WORKING_DIRECTORY "${STAGE}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "npm ci failed in ${STAGE} (exit ${rc}); the app is ${APP_DIR}")
  endif()
  file(COPY_FILE "${STAGE}/package-lock.json" "${installed}")
endif()

# 3. The build, into OUT_DIR.
set(ENV{RATCHET_UI_OUT} "${OUT_DIR}")
execute_process(COMMAND "${NPM}" run build WORKING_DIRECTORY "${STAGE}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "npm run build failed in ${STAGE} (exit ${rc}); the app is ${APP_DIR}")
endif()
file(GLOB written "${OUT_DIR}/*")
if(NOT written)
  message(FATAL_ERROR "npm run build wrote nothing into ${OUT_DIR}: the app's build must "
                      "write its output to the directory in RATCHET_UI_OUT")
endif()
file(TOUCH "${STAMP}")
