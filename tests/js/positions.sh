#!/usr/bin/env bash
# tests/js/positions.sh - runtime errors in ES2015+ task code name the author's line and column
# (issue 14, point 4): each tests/js/positions/<name>.js throws, and `ratchet run-once` must
# exit 1 with stderr containing every header text:
#   // stack-has: main.js:LINE:COL   a stack frame at that position of main.js as written
#   // message-has: NAME: MESSAGE    the error line
# The expected positions are what V8 reports (`--node-only` checks them against Node.js).
# Usage: positions.sh [--node-only] [FILE ...]   (default: all of tests/js/positions/*.js)
# Environment: RATCHET_BIN (default <source>/build/ratchet), RATCHET_SOURCE_DIR, NODE.
# Prints PASS/FAIL per file and `N passed, N failed`; exits 1 when any failed.
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=${RATCHET_SOURCE_DIR:-$(cd "$HERE/../.." && pwd)}
NODE_ONLY=0
if [ "${1:-}" = "--node-only" ]; then NODE_ONLY=1; shift; fi
if [ $# -eq 0 ]; then set -- "$SRC"/tests/js/positions/*.js; fi
if [ "$NODE_ONLY" -eq 1 ]; then exec "${NODE:-node}" "$HERE/positions.js" "$@"; fi

RATCHET_BIN=${RATCHET_BIN:-$SRC/build/ratchet}
[ -x "$RATCHET_BIN" ] || { echo "positions.sh: RATCHET_BIN $RATCHET_BIN is not executable" >&2; exit 2; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ratchet-positions.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

passed=0 failed=0
for f in "$@"; do
  name=$(basename "$f" .js)
  d=$WORK/$name
  mkdir -p "$d"
  printf '{"name": "positions-%s", "version": "1.0.0"}\n' "$name" >"$d/metadata.json"
  cp "$f" "$d/main.js"
  mapfile -t wants < <(sed -n 's#^//[[:space:]]*\(stack\|message\)-has:[[:space:]]*##p' "$f")
  problems=()
  [ ${#wants[@]} -gt 0 ] || problems+=("no // stack-has: or // message-has: header")
  timeout 20 "$RATCHET_BIN" run-once --from-fs "$d" --input-json '{}' >"$WORK/out" 2>"$WORK/err"
  rc=$?
  [ "$rc" -eq 1 ] || problems+=("expected exit 1, got $rc")
  grep -q 'runtime error' "$WORK/err" || problems+=("stderr does not say 'runtime error'")
  for w in "${wants[@]+"${wants[@]}"}"; do
    grep -qF -- "$w" "$WORK/err" || problems+=("stderr lacks '$w'")
  done
  if [ ${#problems[@]} -eq 0 ]; then
    passed=$((passed + 1)); echo "PASS $f"
  else
    failed=$((failed + 1)); echo "FAIL $f"
    for p in "${problems[@]}"; do echo "    $p"; done
    sed -n '1,6s/^/      | /p' "$WORK/err"
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
