#!/usr/bin/env bash
# tests/js/regex.sh - JSON Schema "pattern" matching against Node's RegExp, and the promise of
# linear time: (1) for a few seeds, thousands of random patterns and subjects
# (tests/js/regex_oracle.js) go through `ratchet schema check` and Node, and the two must agree
# on every pair; (2) patterns that take a backtracking engine, or glibc's regcomp, exponential
# time or gigabytes answer at once over a 200 KB subject, and one whose expansion is too large
# is refused with its message.
# Environment: RATCHET_BIN (default <source>/build/ratchet), RATCHET_SOURCE_DIR, NODE (node).
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=${RATCHET_SOURCE_DIR:-$(cd "$HERE/../.." && pwd)}
BIN=${RATCHET_BIN:-$SRC/build/ratchet}
NODE=${NODE:-node}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ratchet-regex.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
failed=0

for seed in 1 7 2026; do
  rm -rf "$WORK/batches"
  "$NODE" "$HERE/regex_oracle.js" "$WORK/batches" "$seed" 3000 || exit 2
  for batch in "$WORK"/batches/*/; do
    "$BIN" schema check "$batch/schema.json" "$batch/instance.json" >"$batch/out.txt" 2>"$WORK/err"
    rc=$?
    if [ "$rc" -gt 1 ]; then
      echo "FAIL: seed $seed, $batch: schema check exited $rc: $(head -c 400 "$WORK/err")"
      failed=1
    fi
  done
  "$NODE" "$HERE/regex_oracle.js" --compare "$WORK/batches" >"$WORK/cmp"
  read -r pairs bad < <(tail -n 1 "$WORK/cmp")
  [ "$bad" -eq 0 ] || head -n 20 "$WORK/cmp"
  if [ "$bad" -eq 0 ] && [ "$pairs" -eq 3000 ]; then
    echo "ok: seed $seed: Node and Ratchet agree on all $pairs patterns"
  else
    echo "FAIL: seed $seed: $bad disagreements in $pairs pairs"
    failed=1
  fi
done

# Catastrophic patterns for backtracking engines and for glibc's regcomp, over 200 KB.
long=$(head -c 200000 /dev/zero | tr '\0' a)
printf '{"a":"%s!","b":"%s","c":"%s","d":"%s"}\n' "$long" "$long" "$long" "$long" >"$WORK/long.json"
cat >"$WORK/hostile.json" <<'JSON'
{"properties": {
  "a": {"pattern": "^(a|a?)+$"},
  "b": {"pattern": "^(((((((((((((a?)+)+)+)+)+)+)+)+)+)+)+)+)+$"},
  "c": {"pattern": "^([a-z]{0,1000}){0,3}b"},
  "d": {"pattern": "(.*a){12}x"}
}}
JSON
start=$(date +%s%N)
"$BIN" schema check "$WORK/hostile.json" "$WORK/long.json" >"$WORK/out" 2>"$WORK/err"
rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
want=$(printf '%s\n' '/a: pattern' '/c: pattern' '/d: pattern')
got=$(cut -d: -f1,2 "$WORK/out" | sort)
if [ "$rc" -eq 1 ] && [ "$got" = "$want" ]; then
  echo "ok: hostile patterns over 200 KB answered in $ms ms (a, c and d do not match, b does)"
else
  echo "FAIL: hostile patterns: exit $rc after $ms ms, errors:"; cat "$WORK/out" "$WORK/err"
  failed=1
fi

echo '{"pattern": "((a{100}){100}){100}"}' >"$WORK/big.json"
"$BIN" schema check "$WORK/big.json" "$WORK/long.json" >"$WORK/out" 2>"$WORK/err"
rc=$?
if [ "$rc" -eq 2 ] && grep -q 'too large once its counted repetitions are expanded' "$WORK/err"; then
  echo "ok: a pattern too large to expand is refused: $(head -n 1 "$WORK/err")"
else
  echo "FAIL: big pattern: exit $rc: $(cat "$WORK/err")"
  failed=1
fi
exit $failed
