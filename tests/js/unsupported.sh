#!/usr/bin/env bash
# tests/js/unsupported.sh - each ES feature the task compiler refuses (issue 14, point 4) is a
# compile error that names the feature and its position in the author's source.
# Each tests/js/unsupported/<name>.js has headers:
#   // error: TEXT     stderr must contain TEXT (repeatable: all must appear)
#   // at: LINE:COL    stderr must contain main.js:LINE:COL (1-based, of main.js as written)
# Usage: unsupported.sh [FILE ...]   (default: all of tests/js/unsupported/*.js)
# Environment: RATCHET_BIN (default <source>/build/ratchet), RATCHET_SOURCE_DIR.
# Prints PASS/FAIL per file and `N passed, N failed`; exits 1 when any failed.
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=${RATCHET_SOURCE_DIR:-$(cd "$HERE/../.." && pwd)}
RATCHET_BIN=${RATCHET_BIN:-$SRC/build/ratchet}
[ -x "$RATCHET_BIN" ] || { echo "unsupported.sh: RATCHET_BIN $RATCHET_BIN is not executable" >&2; exit 2; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ratchet-unsupported.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

if [ $# -eq 0 ]; then set -- "$SRC"/tests/js/unsupported/*.js; fi
passed=0 failed=0
for f in "$@"; do
  name=$(basename "$f" .js)
  d=$WORK/$name
  mkdir -p "$d"
  printf '{"name": "unsupported-%s", "version": "1.0.0"}\n' "$name" >"$d/metadata.json"
  cp "$f" "$d/main.js"
  at=$(sed -n 's#^//[[:space:]]*at:[[:space:]]*##p' "$f" | head -n 1)
  mapfile -t wants < <(sed -n 's#^//[[:space:]]*error:[[:space:]]*##p' "$f")
  problems=()
  [ -n "$at" ] && [ ${#wants[@]} -gt 0 ] || problems+=("missing // error: or // at: header")
  timeout 20 "$RATCHET_BIN" run-once --from-fs "$d" --input-json '{}' >"$WORK/out" 2>"$WORK/err"
  rc=$?
  [ "$rc" -ne 0 ] || problems+=("run-once succeeded (exit 0): $(head -c 200 "$WORK/out")")
  grep -q 'compile error' "$WORK/err" || problems+=("stderr does not say 'compile error'")
  for w in "${wants[@]+"${wants[@]}"}"; do
    grep -qF -- "$w" "$WORK/err" || problems+=("stderr lacks '$w'")
  done
  [ -z "$at" ] || grep -qF -- "main.js:$at" "$WORK/err" || problems+=("stderr lacks 'main.js:$at'")
  if [ ${#problems[@]} -eq 0 ]; then
    passed=$((passed + 1)); echo "PASS $f"
  else
    failed=$((failed + 1)); echo "FAIL $f"
    for p in "${problems[@]}"; do echo "    $p"; done
    sed -n '1,4s/^/      | /p' "$WORK/err"
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
