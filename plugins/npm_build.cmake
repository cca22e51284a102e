# plugins/npm_build.cmake - build a JavaScript/TypeScript app from the npm registry as part of
# the CMake build (the web UI, the offline GraphiQL bundle).
#
#   include(${CMAKE_SOURCE_DIR}/plugins/npm_build.cmake)
#   ratchet_npm_available(<var>)
#       Sets <var> to ON when `node` and `npm` are on the PATH (RATCHET_NPM, RATCHET_NODE hold
#       their paths), else OFF. Use it for an option's default.
#
#   ratchet_npm_build(TARGET <name> APP_DIR <dir> OUT_DIR <dir> [ALL] [COMMENT <text>])
#       Adds the custom target <name> that builds the app in <dir> (a folder with package.json
#       and package-lock.json) into OUT_DIR:
#         1. copies the app's own files (not node_modules/ nor dist/) into
#            ${CMAKE_CURRENT_BINARY_DIR}/<name>-app, so the source tree is never written;
#         2. runs `npm ci` there when package-lock.json changed since the last install (never
#            otherwise), with npm's download cache in ${CMAKE_SOURCE_DIR}/.cache/npm (so a new
#            build dir does not fetch again: --prefer-offline);
#         3. runs `npm run build` there with the environment variable RATCHET_UI_OUT=<OUT_DIR>
#            (absolute): the app's build script must write its output there (e.g. Vite's
#            build.outDir read from process.env.RATCHET_UI_OUT, emptied first);
#         4. checks that OUT_DIR is not empty and touches <OUT_DIR>.stamp.
#       The target reruns when any file of the app changes: package.json, package-lock.json,
#       every file at the top of <dir> and everything under <dir>/src and <dir>/public (new
#       files are found at the next build: the lists are CONFIGURE_DEPENDS globs). A failed
#       npm step fails the build with npm's output. With ALL the target is part of `all`.
#       A missing package-lock.json is a configure error naming the file and how to make it
#       (`npm install` in the app's folder).
#       The stamp file is ${OUT_DIR}.stamp; other targets may DEPENDS on <name>.
#
# Offline machines: put the packages in the cache (.cache/npm) once with network; later builds
# need none. Setting RATCHET_NPM_CACHE (a CMake variable) moves the cache.
#
# The script's path is a cache entry, set before the include guard: a plain variable would be
# set only in the directory that includes this file first (api-graphql), and every later
# includer (web-ui) would run `cmake -P ""`, which does nothing and fails nothing.
set(RATCHET_NPM_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/npm_build_run.cmake" CACHE INTERNAL "")
include_guard(GLOBAL)

set(RATCHET_NPM_CACHE "${CMAKE_SOURCE_DIR}/.cache/npm" CACHE PATH
    "npm's download cache for the npm-built parts (web UI, GraphiQL bundle)")

function(ratchet_npm_available var)
  find_program(RATCHET_NODE node)
  find_program(RATCHET_NPM npm)
  if(RATCHET_NODE AND RATCHET_NPM)
    set(${var} ON PARENT_SCOPE)
  else()
    set(${var} OFF PARENT_SCOPE)
  endif()
endfunction()

function(ratchet_npm_build)
  cmake_parse_arguments(N "ALL" "TARGET;APP_DIR;OUT_DIR;COMMENT" "" ${ARGN})
  foreach(req TARGET APP_DIR OUT_DIR)
    if(NOT N_${req})
      message(FATAL_ERROR "ratchet_npm_build: ${req} is required")
    endif()
  endforeach()
  get_filename_component(app "${N_APP_DIR}" ABSOLUTE)
  get_filename_component(out "${N_OUT_DIR}" ABSOLUTE)
  if(NOT EXISTS "${app}/package.json" OR NOT EXISTS "${app}/package-lock.json")
    message(FATAL_ERROR "ratchet_npm_build(${N_TARGET}): ${app}/package-lock.json is missing: "
                        "run `npm install` in ${app} and commit package-lock.json")
  endif()
  ratchet_npm_available(have_npm)
  if(NOT have_npm)
    message(FATAL_ERROR "ratchet_npm_build(${N_TARGET}): node and npm are needed "
                        "(.ci/install-deps.sh installs nodejs)")
  endif()
  file(GLOB top LIST_DIRECTORIES false CONFIGURE_DEPENDS "${app}/*")
  file(GLOB_RECURSE tree LIST_DIRECTORIES false CONFIGURE_DEPENDS "${app}/src/*" "${app}/public/*")
  set(stage "${CMAKE_CURRENT_BINARY_DIR}/${N_TARGET}-app")
  set(stamp "${out}.stamp")
  if(NOT N_COMMENT)
    set(N_COMMENT "npm ci + npm run build: ${app} -> ${out}")
  endif()
  add_custom_command(OUTPUT "${stamp}"
    COMMAND ${CMAKE_COMMAND} -DAPP_DIR=${app} -DSTAGE=${stage} -DOUT_DIR=${out}
            -DNPM=${RATCHET_NPM} -DNPM_CACHE=${RATCHET_NPM_CACHE} -DSTAMP=${stamp}
            -P "${RATCHET_NPM_SCRIPT}"
    DEPENDS ${top} ${tree} "${RATCHET_NPM_SCRIPT}"
    COMMENT "${N_COMMENT}"
    VERBATIM USES_TERMINAL)
  if(N_ALL)
    add_custom_target(${N_TARGET} ALL DEPENDS "${stamp}")
  else()
    add_custom_target(${N_TARGET} DEPENDS "${stamp}")
  endif()
endfunction()
