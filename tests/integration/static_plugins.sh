#!/usr/bin/env bash
# An embedded build links chosen plugins into the binary through the same descriptors:
# `plugins list` shows them as static, serve uses them, and the loader still refuses a .so
# that claims a static plugin's name.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
B="$WORK/build"
# Same compiler flags as the enclosing build (a sanitizer build loads sanitizer-built fixtures).
cmake -S "$RATCHET_SOURCE_DIR" -B "$B" -DRATCHET_TESTS=OFF -DCMAKE_C_FLAGS="${RATCHET_C_FLAGS:-}" \
  -DCMAKE_EXE_LINKER_FLAGS="${RATCHET_LINK_FLAGS:-}" -DCMAKE_MODULE_LINKER_FLAGS="${RATCHET_LINK_FLAGS:-}" \
  -DRATCHET_STATIC_PLUGINS="logger-console;logger-file" >"$WORK/cmake.log" 2>&1 &&
  cmake --build "$B" -j2 >>"$WORK/cmake.log" 2>&1 && RC=0 || RC=$?
OUT="" ERR=$(tail -20 "$WORK/cmake.log")
expect_rc 0 "embedded build"
CHECKS=$((CHECKS + 1))
if ls "$B"/plugins/logger-console.so "$B"/plugins/logger-file.so >/dev/null 2>&1; then
  fail "static plugins must not also be built as .so"; else
  pass "no .so for static plugins"; fi

run "$B/ratchet" plugins list
expect_rc 0 "plugins list (embedded)"
for p in logger-console logger-file; do
  CHECKS=$((CHECKS + 1))
  if grep -Eq "^$p +logger +[0-9.]+ +1\.[0-9]+ +static +-" <<<"$OUT"; then pass "$p is static"; else
    fail "$p not shown as static: $OUT"; fi
done

cat >"$WORK/r.yaml" <<YAML
instances:
  - name: file
    plugin: logger-file
    options: {path: out.jsonl}
YAML
"$B/ratchet" --config "$WORK/r.yaml" --data-dir "$WORK/data" serve --no-api 2>"$WORK/serve.err" &
pid=$!
cleanup_hooks+=("kill -9 $pid 2>/dev/null")
CHECKS=$((CHECKS + 1))
if wait_for 20 grep -q "ratchet serve: ready" "$WORK/out.jsonl"; then pass "static logger-file writes"; else
  fail "static logger-file did not log"; fi
kill -TERM "$pid"; wait "$pid" && RC=0 || RC=$?
expect_rc 0 "embedded serve exits 0"

run "$B/ratchet" --plugin-dir "$RATCHET_FIXTURE_DIR/dup-static" plugins list
expect_rc 1 "a .so clashing with a static plugin"
expect_err_contains "is already taken by the static plugin linked into this binary" "clash message"
finish
