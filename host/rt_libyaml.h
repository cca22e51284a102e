/*
 * host/rt_libyaml.h - reach libyaml's <yaml.h> from host code.
 *
 * host/ is on the include path and holds our own yaml.h, so a plain `#include <yaml.h>` finds
 * ours, not libyaml's. #include_next continues the search after host/. Include this file with
 * angle brackets (so it is found through the include path, which #include_next needs). The
 * pragma keeps -Wpedantic quiet about the GCC extension (GCC and Clang both honour it).
 * Renaming host/yaml.h would make this file unnecessary.
 */
#ifndef RT_LIBYAML_H
#define RT_LIBYAML_H

#pragma GCC system_header
#include_next <yaml.h>

#endif
