# The MuJS the executor runs on: target `executor_mujs_engine` (an interface that users link).
#
# Debian's libmujs keeps the interpreter's default limits (a value stack of 256 slots, 128
# call frames: about 60 nested JavaScript calls). When Debian's source package of mujs is
# present (.ci/install-deps.sh fetches it with `apt-get source` into .cache/mujs-src/mujs),
# MuJS is compiled from it with raised limits into a static, PIC, hidden-visibility library
# linked into the executor plugin only: nothing else on the system changes. Without the source
# the plugin links the system libmujs and configure warns. Either way the plugin sources get:
#   MUJS_LIB_SUMMARY    which build and limits, for `ratchet plugins describe executor-mujs`
#   MUJS_LIB_STACKSIZE, MUJS_LIB_TRYLIMIT, MUJS_LIB_MAX_CALLS (JS_ENVLIMIT - 1),
#   MUJS_LIB_VALUE_CALLS, MUJS_LIB_C_STACK: see mujs_lib.h
#
# Why these values: 16384 frames let ordinary recursion go well past 10,000 levels (a small
# function takes 5 value slots a call, so 131072 slots keep the frame count the binding limit
# for functions of up to about 8 slots). MuJS also recurses on the C stack: measured on
# x86-64 up to ~380 bytes per call at -O2 (~750 under ASan+UBSan at -O0), and 80-290 bytes per
# nesting level of JSON.parse/stringify, which only the value stack bounds (one slot per
# level): about 11 MiB at -O2 and 26 MiB under the sanitizers in the worst case. Each run
# therefore gets its own thread with 32 MiB of stack (64 MiB in sanitizer builds), so the
# interpreter's own limit always ends the run ("stack overflow"), never SIGSEGV. The fixed
# cost is about 2.8 MiB of address space per state (the value stack, mostly untouched, and
# the frame and try arrays), not charged to the task's memory limit (mujs_run.c).
set(RATCHET_MUJS_SOURCE_DIR "${PROJECT_SOURCE_DIR}/.cache/mujs-src/mujs" CACHE PATH
    "Debian's mujs source package, unpacked (.ci/install-deps.sh); empty or missing: use the system libmujs")

set(mujs_src "${RATCHET_MUJS_SOURCE_DIR}")
set(mujs_why "")
set(mujs_deb_version "")
if(NOT mujs_src OR NOT EXISTS "${mujs_src}/one.c" OR NOT EXISTS "${mujs_src}/jsi.h"
   OR NOT EXISTS "${mujs_src}/debian/changelog")
  set(mujs_why "no MuJS source in '${mujs_src}' (run .ci/install-deps.sh to fetch it)")
else()
  # First line of debian/changelog: "mujs (1.3.2-1) unstable; urgency=medium".
  file(STRINGS "${mujs_src}/debian/changelog" mujs_head LIMIT_COUNT 1)
  if(mujs_head MATCHES "^mujs \\(([^)]+)\\)")
    set(mujs_deb_version "${CMAKE_MATCH_1}")
  endif()
  string(REGEX REPLACE "^[0-9]+:" "" mujs_upstream "${mujs_deb_version}")
  string(REGEX REPLACE "-[^-]*$" "" mujs_upstream "${mujs_upstream}")
  # The headers the plugin compiles against must describe the library it links.
  if(NOT mujs_upstream STREQUAL MUJS_VERSION)
    string(CONCAT mujs_why "the MuJS source in '${mujs_src}' is version '${mujs_deb_version}', "
      "the system libmujs is ${MUJS_VERSION} (run .ci/install-deps.sh to fetch the matching one)")
  endif()
endif()

# Debian's source stays as fetched; the build compiles a copy with patches/*.patch applied
# (made again when the source or a patch changes).
file(GLOB mujs_patches "${CMAKE_CURRENT_SOURCE_DIR}/patches/*.patch")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${mujs_patches})
set(mujs_copy "${CMAKE_CURRENT_BINARY_DIR}/mujs-src")
if(mujs_why STREQUAL "")
  set(mujs_stamp "${mujs_src} ${mujs_deb_version}")
  foreach(p IN LISTS mujs_patches)
    file(SHA256 "${p}" h)
    string(APPEND mujs_stamp " ${h}")
  endforeach()
  set(mujs_old_stamp "")
  if(EXISTS "${mujs_copy}.stamp")
    file(READ "${mujs_copy}.stamp" mujs_old_stamp)
  endif()
  if(NOT mujs_old_stamp STREQUAL mujs_stamp OR NOT EXISTS "${mujs_copy}/one.c")
    file(REMOVE_RECURSE "${mujs_copy}" "${mujs_copy}.stamp")
    file(COPY "${mujs_src}/" DESTINATION "${mujs_copy}" PATTERN ".pc" EXCLUDE)
    foreach(p IN LISTS mujs_patches)
      execute_process(COMMAND patch -p1 --batch --forward -i "${p}" WORKING_DIRECTORY "${mujs_copy}"
        RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
      if(NOT rc EQUAL 0)
        set(mujs_why "patch ${p} does not apply to the MuJS source in '${mujs_src}': ${out}")
        break()
      endif()
    endforeach()
    if(mujs_why STREQUAL "")
      file(WRITE "${mujs_copy}.stamp" "${mujs_stamp}")
    endif()
  endif()
endif()

add_library(executor_mujs_engine INTERFACE)
if(mujs_why STREQUAL "")
  set(mujs_stacksize 131072)
  set(mujs_envlimit 16384)
  set(mujs_trylimit 1024)
  set(mujs_c_stack 33554432)
  if(CMAKE_C_FLAGS MATCHES "-fsanitize")
    set(mujs_c_stack 67108864)
  endif()
  add_library(executor_mujs_vendored STATIC "${mujs_copy}/one.c")
  # one.c includes the other files; the stamp changes with any patch, so a changed patch
  # rebuilds the library (the copy keeps the source's file times).
  set_source_files_properties("${mujs_copy}/one.c" PROPERTIES OBJECT_DEPENDS "${mujs_copy}.stamp")
  target_include_directories(executor_mujs_vendored PUBLIC "${mujs_copy}")
  target_compile_definitions(executor_mujs_vendored PRIVATE JS_STACKSIZE=${mujs_stacksize}
    JS_ENVLIMIT=${mujs_envlimit} JS_TRYLIMIT=${mujs_trylimit})
  # Hidden: the plugin's calls bind to this copy even when another libmujs is loaded.
  set_target_properties(executor_mujs_vendored PROPERTIES POSITION_INDEPENDENT_CODE ON
    C_VISIBILITY_PRESET hidden C_EXTENSIONS OFF)
  # MuJS's own code is not held to our warning flags; UBSan's pointer-overflow check flags a
  # benign `F->vartab - 1` in jsrun.c (platform-facts), which sanitizer builds must not abort on.
  # JavaScript's bitwise operators are done on C ints (`1 << 31`, `x << 1` past INT_MAX: shifts
  # into the sign bit, constant folding in jsparse.c too): -fwrapv makes that two's complement
  # as JavaScript wants, and the shift and overflow checks are off for this library alone.
  include(CheckCCompilerFlag)
  check_c_compiler_flag(-fno-sanitize=pointer-overflow RATCHET_HAVE_NO_SANITIZE_PTR_OVERFLOW)
  if(RATCHET_HAVE_NO_SANITIZE_PTR_OVERFLOW)
    target_compile_options(executor_mujs_vendored PRIVATE -fno-sanitize=pointer-overflow
      -fno-sanitize=shift -fno-sanitize=signed-integer-overflow)
  endif()
  target_compile_options(executor_mujs_vendored PRIVATE -fwrapv)
  target_link_libraries(executor_mujs_vendored PUBLIC m)
  target_link_libraries(executor_mujs_engine INTERFACE executor_mujs_vendored)
  message(STATUS "executor-mujs: MuJS ${mujs_deb_version} from ${mujs_src}, JS_STACKSIZE="
                 "${mujs_stacksize} JS_ENVLIMIT=${mujs_envlimit} JS_TRYLIMIT=${mujs_trylimit}")
else()
  # Debian's build: jsi.h's defaults.
  set(mujs_stacksize 256)
  set(mujs_envlimit 128)
  set(mujs_trylimit 64)
  set(mujs_c_stack 0)
  target_link_libraries(executor_mujs_engine INTERFACE PkgConfig::MUJS)
  message(WARNING "executor-mujs: ${mujs_why}. Using the system libmujs with its default "
                  "limits: JavaScript tasks get about 60 nested calls, not 16,000.")
endif()
math(EXPR mujs_max_calls "${mujs_envlimit} - 1")
math(EXPR mujs_value_calls "${mujs_stacksize} / 5") # a small function takes 5 slots a call
if(mujs_c_stack GREATER 0)
  math(EXPR mujs_c_stack_mib "${mujs_c_stack} / 1048576")
  set(mujs_summary "MuJS ${mujs_deb_version} built from Debian's source with raised limits")
  string(APPEND mujs_summary " (JS_STACKSIZE=${mujs_stacksize} JS_ENVLIMIT=${mujs_envlimit}"
    " JS_TRYLIMIT=${mujs_trylimit}: up to ${mujs_max_calls} nested calls;"
    " ${mujs_c_stack_mib} MiB C stack per run)")
else()
  set(mujs_summary "the system libmujs ${MUJS_VERSION} with its default limits")
  string(APPEND mujs_summary " (JS_STACKSIZE=${mujs_stacksize} JS_ENVLIMIT=${mujs_envlimit}"
    " JS_TRYLIMIT=${mujs_trylimit}: about 60 nested calls)")
endif()
find_package(Threads REQUIRED)
target_link_libraries(executor_mujs_engine INTERFACE Threads::Threads)
# A generated header rather than -D flags: the summary holds quotes and parentheses.
string(REPLACE "\"" "\\\"" mujs_summary "${mujs_summary}")
file(CONFIGURE OUTPUT "${CMAKE_CURRENT_BINARY_DIR}/mujs_lib_config.h" CONTENT
"/* Generated by mujs_lib.cmake: the MuJS build executor-mujs uses. */
#define MUJS_LIB_SUMMARY \"${mujs_summary}\"
#define MUJS_LIB_STACKSIZE ${mujs_stacksize}
#define MUJS_LIB_TRYLIMIT ${mujs_trylimit}
#define MUJS_LIB_MAX_CALLS ${mujs_max_calls}
#define MUJS_LIB_VALUE_CALLS ${mujs_value_calls}
#define MUJS_LIB_C_STACK ${mujs_c_stack}
")
target_include_directories(executor_mujs_engine INTERFACE "${CMAKE_CURRENT_BINARY_DIR}")
target_compile_definitions(executor_mujs_engine INTERFACE MUJS_LIB_CONFIGURED)
