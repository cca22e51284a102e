#!/usr/bin/env bash
# tests/js/differential.sh - the differential test of the task compiler and runtime (issue 14,
# point 6): every program in tests/js/corpus/<topic>/<name>.js runs in Node.js (the oracle,
# tests/js/oracle.js) and in Ratchet (`run-once` of a throwaway task folder), and the two
# results must be the same JSON value (object key order aside) or the same thrown error
# (name and message).
#
# Usage: differential.sh [--node-only] [-j N] [PATH|GLOB ...]
#   PATH      a corpus file or folder (default: the whole corpus)
#   GLOB      a pattern matched against paths under the corpus, e.g. 'classes/*' or '*await*'
#   --node-only  check the corpus itself in Node: each file runs, returns a JSON value and
#             throws only when its `// throws: NAME` header says so (no Ratchet needed)
#   -j N      parallel Ratchet runs (default 2)
# Corpus file headers (leading `//` lines): `// input: JSON` (default {}), `// throws: NAME`.
# Environment: RATCHET_BIN (default <source>/build/ratchet), RATCHET_SOURCE_DIR, NODE (node).
# Prints PASS/FAIL per file with a diff for failures and ends with `N passed, N failed`;
# exits 1 when any failed, 2 on a usage or setup error.
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=${RATCHET_SOURCE_DIR:-$(cd "$HERE/../.." && pwd)}
CORPUS=$SRC/tests/js/corpus
NODE=${NODE:-node}
JOBS=2
NODE_ONLY=0
ARGS=()
while [ $# -gt 0 ]; do
  case $1 in
    --node-only) NODE_ONLY=1 ;;
    -j) JOBS=$2; shift ;;
    -j*) JOBS=${1#-j} ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "differential.sh: unknown option $1" >&2; exit 2 ;;
    *) ARGS+=("$1") ;;
  esac
  shift
done

command -v "$NODE" >/dev/null 2>&1 || { echo "differential.sh: node not found (the oracle needs Node.js)" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ratchet-differential.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# The file list, sorted, one per line.
select_files() {
  if [ ${#ARGS[@]} -eq 0 ]; then find "$CORPUS" -name '*.js' -type f; return; fi
  local a
  for a in "${ARGS[@]}"; do
    if [ -d "$a" ]; then find "$a" -name '*.js' -type f
    elif [ -f "$a" ]; then printf '%s\n' "$a"
    elif [ -d "$CORPUS/$a" ]; then find "$CORPUS/$a" -name '*.js' -type f
    elif [ -f "$CORPUS/$a" ]; then printf '%s\n' "$CORPUS/$a"
    else
      local before
      before=$(find "$CORPUS" -name '*.js' -type f -path "$CORPUS/$a" | wc -l)
      if [ "$before" -gt 0 ]; then find "$CORPUS" -name '*.js' -type f -path "$CORPUS/$a"
      else find "$CORPUS" -name '*.js' -type f -path "*$a*"; fi
    fi
  done
}
# Paths are shown relative to the source tree.
select_files | while IFS= read -r f; do realpath -s "$f"; done | sed "s#^$SRC/##" | LC_ALL=C sort -u >"$WORK/list"
cd "$SRC" || exit 2
COUNT=$(wc -l <"$WORK/list")
if [ "$COUNT" -eq 0 ]; then echo "differential.sh: no corpus files match: ${ARGS[*]-}" >&2; echo "0 passed, 1 failed"; exit 1; fi

if [ "$NODE_ONLY" -eq 1 ]; then
  tr '\n' '\0' <"$WORK/list" | xargs -0 "$NODE" "$HERE/oracle.js" --check
  exit $?
fi

RATCHET_BIN=${RATCHET_BIN:-$SRC/build/ratchet}
[ -x "$RATCHET_BIN" ] || { echo "differential.sh: RATCHET_BIN $RATCHET_BIN is not executable" >&2; exit 2; }

# The oracle runs the whole list in one Node process; Ratchet runs meanwhile, N at a time.
tr '\n' '\0' <"$WORK/list" | xargs -0 "$NODE" "$HERE/oracle.js" >"$WORK/oracle.jsonl" 2>"$WORK/oracle.err" &
ORACLE_PID=$!

# run_one N FILE: a task folder for FILE, run once; stdout, stderr and status in $WORK/r/N.*
run_one() {
  local n=$1 f=$2 d=$WORK/t/$1 input
  mkdir -p "$d"
  printf '{"name": "corpus-%s", "version": "1.0.0"}\n' "$n" >"$d/metadata.json"
  cp "$f" "$d/main.js"
  input=$(sed -n '/^[^/]/q; s#^//[[:space:]]*input:[[:space:]]*##p' "$f" | head -n 1)
  [ -n "$input" ] || input='{}'
  timeout 20 "$RATCHET_BIN" run-once --from-fs "$d" --input-json "$input" \
    >"$WORK/r/$n.out" 2>"$WORK/r/$n.err"
  echo $? >"$WORK/r/$n.rc"
}
export -f run_one
export WORK RATCHET_BIN
mkdir -p "$WORK/r" "$WORK/t"
awk '{ printf "%d\t%s\n", NR, $0 }' "$WORK/list" | tr '\n' '\0' |
  xargs -0 -n 16 -P "$JOBS" bash -c 'for a; do run_one "${a%%$(printf "\t")*}" "${a#*$(printf "\t")}"; done' _

if ! wait "$ORACLE_PID"; then
  echo "differential.sh: the oracle failed:" >&2; cat "$WORK/oracle.err" >&2
  echo "0 passed, $COUNT failed"; exit 1
fi
"$NODE" "$HERE/compare.js" "$WORK/oracle.jsonl" "$WORK/r"
