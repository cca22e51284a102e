#!/usr/bin/env bash
# sdk_template: what a third party does. Install the build into a fresh prefix, build the
# installed plugin template out of tree with nothing but `pkg-config ratchet-plugin`, and have
# the INSTALLED binary list, describe and run it.
# shellcheck source=tests/integration/lib.sh
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"

# expect_out_line REGEX DESCRIPTION: some line of stdout matches the extended REGEX
expect_out_line() {
  CHECKS=$((CHECKS + 1))
  if grep -qE -- "$1" <<<"$OUT"; then pass "$2"; else
    fail "$2: no stdout line matches /$1/"; echo "  stdout: $OUT" >&2; fi
}

prefix=$WORK/prefix
bin=$prefix/bin/ratchet
cd "$WORK" || exit 1 # no ratchet.yaml from the build tree may be picked up

# 1. Install.
run cmake --install "$RATCHET_BUILD_DIR" --prefix "$prefix"
expect_rc 0 "cmake --install into a fresh prefix"
if [ ! -x "$bin" ] || [ ! -d "$prefix/share/ratchet/plugin-template" ]; then
  fail "install lacks $bin or share/ratchet/plugin-template"; finish
fi

# 2. The .pc file: under lib/pkgconfig or lib/<triplet>/pkgconfig (GNUInstallDirs), and it
# must point into the prefix it was installed to, not the one configured at build time.
pc=$(find "$prefix" -path '*/pkgconfig/ratchet-plugin.pc' | head -n 1)
if [ -z "$pc" ]; then fail "no pkgconfig/ratchet-plugin.pc under $prefix"; finish; fi
pcdir=$(dirname "$pc")
run env PKG_CONFIG_PATH="$pcdir" pkg-config --cflags ratchet-plugin
expect_rc 0 "pkg-config finds ratchet-plugin in $pcdir"
expect_out_contains "-I$prefix/" "ratchet-plugin.pc include path is inside the install prefix"

# 3. Build the template out of tree, the way its README says.
cp -r "$prefix/share/ratchet/plugin-template" "$WORK/tpl"
run make -C "$WORK/tpl" PKG_CONFIG_PATH="$pcdir"
expect_rc 0 "make builds the template against the installed SDK"
so=$WORK/tpl/logger-template.so
if [ ! -f "$so" ]; then fail "make produced no $so"; echo "$OUT$ERR" >&2; finish; fi
run nm -D --defined-only "$so"
expect_out_contains "ratchet_plugin_entry" "the template exports ratchet_plugin_entry"
run make -C "$WORK/tpl" clean
CHECKS=$((CHECKS + 1))
if [ -e "$so" ]; then fail "make clean left $so"; else pass "make clean removes the .so"; fi
run make -C "$WORK/tpl" PKG_CONFIG_PATH="$pcdir"
expect_rc 0 "make rebuilds after clean"

# 4. The installed binary loads it.
run "$bin" --plugin-dir "$WORK/tpl" plugins list
expect_rc 0 "plugins list with --plugin-dir"
expect_out_line '^NAME[[:space:]]+KIND[[:space:]]+VERSION[[:space:]]+ABI[[:space:]]+ORIGIN[[:space:]]+PATH' \
  "plugins list prints its header"
expect_out_line '^logger-template[[:space:]]+logger[[:space:]]+0\.1\.0[[:space:]]+1\.[0-9]+[[:space:]]+loaded[[:space:]].*/logger-template\.so$' \
  "plugins list shows logger-template as a loaded logger"

run "$bin" --plugin-dir "$WORK/tpl" plugins describe logger-template
expect_rc 0 "plugins describe logger-template"
expect_out_contains "path" "describe shows option path"
expect_out_contains "level" "describe shows option level"
expect_out_contains "trace|debug|info|warn|error" "describe shows the choices of level"

# 5. `serve` with an instance of it, found through plugins.paths.
cat >"$WORK/r.yaml" <<EOF
plugins:
  paths: [$WORK/tpl]
instances:
  - name: tpl
    plugin: logger-template
    options:
      path: $WORK/out.log
EOF
(
  "$bin" --config "$WORK/r.yaml" --data-dir "$WORK/data" serve --no-api >"$WORK/serve.out" 2>"$WORK/serve.err" &
  echo $! >"$WORK/serve.pid"
  wait $!
  echo $? >"$WORK/serve.rc"
) &
# shellcheck disable=SC2016 # expanded when the hook runs
cleanup_hooks+=('[ -s "$WORK/serve.rc" ] || kill -KILL "$(cat "$WORK/serve.pid")" 2>/dev/null')
wait_for 10 test -s "$WORK/serve.pid" || { fail "serve did not start"; finish; }
serve_pid=$(cat "$WORK/serve.pid")

# shellcheck disable=SC2317 # called through wait_for
ready_or_exited() { grep -q 'ratchet serve: ready' "$WORK/out.log" 2>/dev/null || [ -s "$WORK/serve.rc" ]; }
wait_for 20 ready_or_exited || true
CHECKS=$((CHECKS + 1))
if grep -qE '^INFO host: ratchet serve: ready( |$)' "$WORK/out.log" 2>/dev/null; then
  pass "the template instance wrote 'INFO host: ratchet serve: ready'"
else
  fail "out.log lacks a line 'INFO host: ratchet serve: ready'"
  echo "  out.log: $(cat "$WORK/out.log" 2>/dev/null)" >&2
  echo "  serve stderr: $(cat "$WORK/serve.err")" >&2
fi
CHECKS=$((CHECKS + 1))
bad=$(grep -vE '^(TRACE|DEBUG|INFO|WARN|ERROR) [^ ]+: ' "$WORK/out.log" 2>/dev/null || true)
if [ -s "$WORK/out.log" ] && [ -z "$bad" ]; then pass "every out.log line reads 'LEVEL source: message'"
else fail "out.log lines not in 'LEVEL source: message' form: $bad"; fi

kill -TERM "$serve_pid" 2>/dev/null
wait_for 15 test -s "$WORK/serve.rc" || { fail "serve did not exit within 15 s of SIGTERM"; finish; }
RC=$(cat "$WORK/serve.rc") OUT=$(cat "$WORK/serve.out") ERR=$(cat "$WORK/serve.err")
expect_rc 0 "serve exits 0 on SIGTERM"

finish
