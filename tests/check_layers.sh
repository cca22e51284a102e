#!/usr/bin/env bash
# tests/check_layers.sh - the include rules of host/'s layers, read from the #include lines.
#
#   cli    may include engine, task, core
#   engine may include task, core
#   task   may include core            (task/compiler/ is part of task)
#   core   includes none of them
#
# A file includes its own layer's files by their bare names (or, inside task/, a path under
# task/ such as "compiler/ast.h"), and another layer only through that layer's interface header,
# written from host/: "core/core_layer.h", "task/task_layer.h", "engine/engine_layer.h",
# "cli/cli_layer.h" (and "task/compiler/jsc.h", the compiler's own door). <...> includes are the
# system's and the SDK's and are not checked; "ratchet/..." is the SDK too. A bare name that no
# file of host/ bears is a header the build generates for the including folder, and passes.
#
# Usage: tests/check_layers.sh [HOST_DIR]   (default: the host/ next to this script)
#        tests/check_layers.sh --self-test   (the rules catch what they should, on a scratch tree)
# Prints one line per broken include, "file:line: why", and exits 1 when there is any.
set -u

rank() {
  case "$1" in
    core) echo 0 ;; task) echo 1 ;; engine) echo 2 ;; cli) echo 3 ;; *) echo -1 ;;
  esac
}

check_tree() {
  local host=$1 bad=0 nfiles=0 file rel layer line num inc target tlayer dir
  [ -d "$host/core" ] || { echo "check_layers: no $host/core" >&2; return 2; }
  while IFS= read -r file; do
    rel=${file#"$host"/}
    layer=${rel%%/*}
    if [ "$(rank "$layer")" -lt 0 ]; then
      echo "$rel: a source file outside the layer folders (core, task, engine, cli)"
      bad=1
      continue
    fi
    nfiles=$((nfiles + 1))
    dir=$(dirname "$file")
    while IFS= read -r line; do
      num=${line%%:*}
      inc=$(printf '%s\n' "${line#*:}" | sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p')
      [ -n "$inc" ] || continue
      case "$inc" in ratchet/*) continue ;; esac
      if [ -f "$dir/$inc" ]; then
        # Next to the including file: it must stay inside the same layer (no "../engine/x.h").
        target=$(realpath -m --relative-to="$host" "$dir/$inc")
        tlayer=${target%%/*}
        if [ "$tlayer" = "$layer" ]; then
          continue
        fi
        echo "$rel:$num: \"$inc\" reaches into $tlayer/ by a relative path; include \"$tlayer/${tlayer}_layer.h\""
        bad=1
        continue
      fi
      tlayer=${inc%%/*}
      if [ "$tlayer" = "$inc" ] && [ -z "$(find "$host" -name "$inc" -print -quit)" ]; then
        continue # no file of host/ bears the name: a header the build generates for this folder
      fi
      if [ "$tlayer" = "$inc" ] || [ "$(rank "$tlayer")" -lt 0 ]; then
        echo "$rel:$num: \"$inc\" is not in $layer/ and names no layer (write \"<layer>/<layer>_layer.h\")"
        bad=1
        continue
      fi
      if [ "$tlayer" = "$layer" ]; then
        echo "$rel:$num: \"$inc\" is in this file's own layer: include it by its path from here"
        bad=1
        continue
      fi
      if [ "$inc" != "$tlayer/${tlayer}_layer.h" ] && [ "$inc" != "task/compiler/jsc.h" ]; then
        echo "$rel:$num: \"$inc\" is not the interface of $tlayer/ (include \"$tlayer/${tlayer}_layer.h\")"
        bad=1
      fi
      if [ ! -f "$host/$inc" ] && [ "$inc" != "task/compiler/jsc.h" ]; then
        echo "$rel:$num: \"$inc\" does not exist"
        bad=1
      fi
      if [ "$(rank "$tlayer")" -ge "$(rank "$layer")" ]; then
        echo "$rel:$num: $layer/ may not include $tlayer/ (cli > engine > task > core)"
        bad=1
      fi
    done < <(grep -n '^[[:space:]]*#[[:space:]]*include' "$file")
  done < <(find "$host" -type f \( -name '*.c' -o -name '*.h' -o -name '*.c.in' \) | LC_ALL=C sort)
  if [ "$bad" -ne 0 ]; then
    echo "check_layers: include rules broken (see host/*/README.md)"
    return 1
  fi
  echo "check_layers: $nfiles files in $host keep the layer rules"
}

self_test() {
  local tmp fails=0 out
  tmp=$(mktemp -d) || return 2
  trap 'rm -rf "$tmp"' RETURN
  mkdir -p "$tmp/h/core" "$tmp/h/task/compiler" "$tmp/h/engine" "$tmp/h/cli"
  for l in core task engine cli; do printf '#pragma once\n' > "$tmp/h/$l/${l}_layer.h"; done
  printf '#pragma once\n' > "$tmp/h/core/buf.h"
  printf '#pragma once\n' > "$tmp/h/task/compiler/ast.h"
  printf '#include "core/core_layer.h"\n#include "compiler/ast.h"\n#include <stdio.h>\n' > "$tmp/h/task/ok.c"
  printf '#include "ast.h"\n#include "core/core_layer.h"\n#include "ratchet/abi.h"\n#include "generated.h"\n' > "$tmp/h/task/compiler/ok.c"
  printf '#include "task/task_layer.h"\n#include "core/core_layer.h"\n#include "buf.h"\n' > "$tmp/h/core/buf.c"
  check_tree "$tmp/h" > /dev/null && { echo "self-test: a good tree was refused"; fails=1; }
  rm "$tmp/h/core/buf.c"
  out=$(check_tree "$tmp/h") || { echo "self-test: a good tree was refused:"; echo "$out"; fails=1; }
  expect_refused() { # DESCRIPTION FILE CONTENT EXPECTED-TEXT
    printf '%b' "$3" > "$tmp/h/$2"
    out=$(check_tree "$tmp/h")
    if [ $? -ne 1 ] || ! grep -qF -- "$4" <<< "$out"; then
      echo "self-test: $1 was not refused with '$4':"; echo "$out"; fails=1
    fi
    rm -f "$tmp/h/$2"
  }
  expect_refused "core including task" core/x.c '#include "task/task_layer.h"\n' "core/ may not include task/"
  expect_refused "task including engine" task/x.c '#include "engine/engine_layer.h"\n' "task/ may not include engine/"
  expect_refused "engine including cli" engine/x.c '#include "cli/cli_layer.h"\n' "engine/ may not include cli/"
  expect_refused "compiler including engine" task/compiler/x.c '#include "engine/engine_layer.h"\n' "task/ may not include engine/"
  expect_refused "a non-interface header" engine/x.c '#include "core/buf.h"\n' "not the interface of core/"
  expect_refused "a relative path" engine/x.c '#include "../core/buf.h"\n' "reaches into core/"
  expect_refused "a bare name of another layer" engine/x.c '#include "buf.h"\n' "names no layer"
  expect_refused "a bare name of another layer, from a subfolder" task/compiler/x.c '#include "buf.h"\n' "names no layer"
  expect_refused "a file outside the layers" x.c '\n' "outside the layer folders"
  if [ "$fails" -eq 0 ]; then echo "check_layers self-test: every broken rule is caught"; fi
  return "$fails"
}

if [ "${1:-}" = "--self-test" ]; then
  self_test
  exit $?
fi
check_tree "$(realpath "${1:-$(dirname "$0")/../host}")"
