#!/bin/sh
# Round-trip differential test of the task compiler's parser and printer:
#  - cases/*.js: run the original and the parsed-and-printed code in Node; outputs must be
#    identical, and printing the printed code again must give the same text (a fixpoint).
#  - errors/*.js: the first line is "// error: LINE:COL: message"; the driver must report
#    exactly that.
# Usage: run.sh [-s] [case...]   (-s: use the ASan+UBSan build)
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-/tmp/jsc-parse}
BIN="${JSC_ROUNDTRIP:-$OUT/roundtrip}"   # ctest passes the driver it built
if [ "$1" = "-s" ]; then BIN="$OUT/roundtrip-san"; shift; fi
[ -x "$BIN" ] || { echo "build first: $HERE/build.sh" >&2; exit 2; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0; fail=0; total=0
cases="$*"
[ -n "$cases" ] || cases="$HERE/cases/*.js $HERE/errors/*.js"
for f in $cases; do
    total=$((total + 1))
    name=$(basename "$(dirname "$f")")/$(basename "$f")
    case "$f" in
    */errors/*)
        want=$(head -n 1 "$f" | sed -n 's|^// error: ||p')
        got=$("$BIN" "$f" 2>&1 | sed -n 's|^error: ||p')
        if [ "$want" = "$got" ] && [ -n "$want" ]; then pass=$((pass + 1)); else
            fail=$((fail + 1)); echo "FAIL $name"; echo "  want: $want"; echo "  got:  $got"; fi
        continue ;;
    esac
    if ! "$BIN" "$f" > "$TMP/p1.js" 2> "$TMP/err"; then
        fail=$((fail + 1)); echo "FAIL $name (compile)"; cat "$TMP/p1.js" "$TMP/err"; continue
    fi
    "$BIN" "$TMP/p1.js" > "$TMP/p2.js" 2>&1
    timeout 10 node "$f" > "$TMP/want" 2>&1
    timeout 10 node "$TMP/p1.js" > "$TMP/got" 2>&1
    sed -i "s|$TMP/p1.js|FILE|g; s|$f|FILE|g" "$TMP/want" "$TMP/got"
    if ! cmp -s "$TMP/want" "$TMP/got"; then
        fail=$((fail + 1)); echo "FAIL $name (output differs)"
        diff "$TMP/want" "$TMP/got" | head -10
    elif ! cmp -s "$TMP/p1.js" "$TMP/p2.js"; then
        fail=$((fail + 1)); echo "FAIL $name (printing the printed code changes it)"
        diff "$TMP/p1.js" "$TMP/p2.js" | head -10
    elif ! [ -s "$TMP/want" ]; then
        fail=$((fail + 1)); echo "FAIL $name (prints nothing)"
    else
        pass=$((pass + 1))
    fi
done
echo "round-trip: $pass/$total passed"
[ "$fail" -eq 0 ]
