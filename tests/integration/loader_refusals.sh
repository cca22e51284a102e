#!/usr/bin/env bash
# Every way the loader refuses a plugin file, each checked for the message a user needs:
# the file, both ABI versions and the reason.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
F=$RATCHET_FIXTURE_DIR
HOST_ABI="host $("$RATCHET_BIN" --version | grep -o "ABI [0-9.]*")"

# refused CASE_DIR FILE TEXT...: `plugins list` with that directory exits 1 and names the file.
refused() {
  local dir=$1 file=$2; shift 2
  run "$RATCHET_BIN" --plugin-dir "$dir" plugins list
  expect_rc 1 "$file: plugins list exits 1"
  expect_err_contains "refused plugin $dir/$file" "$file: message names the file"
  expect_err_contains "$HOST_ABI" "$file: message names the host ABI"
  local t
  for t in "$@"; do expect_err_contains "$t" "$file: says '$t'"; done
  expect_out_contains "logger-console" "$file: good plugins are still listed"
}

refused "$F/no-entry" no-entry.so "plugin ABI unknown" "no entry symbol 'ratchet_plugin_entry'"
refused "$F/null-entry" null-entry.so "entry function returned NULL"
refused "$F/major2" major2.so "plugin ABI 2.0" "ABI major 2" "rebuild the plugin"
refused "$F/newer-minor" newer-minor.so "plugin ABI 1.99" "needs ABI 1.99, newer than this host's 1."
refused "$F/small-size" small-size.so "descriptor struct_size is 8 bytes" "not binary compatible"
refused "$F/small-vtable" small-vtable.so "logger vtable struct_size is 8 bytes"
refused "$F/no-kind" no-kind.so "offers no kind"
refused "$F/bad-name" bad-name.so "invalid plugin name 'Bad Name!'"
refused "$F/bad-options" bad-options.so "broken option table"
refused "$F/not-elf" not-elf.so "dlopen failed:" "ldd"
refused "$F/missing-lib" missing-lib.so "dlopen failed:"
refused "$F/dup-static" logger-console-clone.so "plugin name 'logger-console' is already taken by"

# Duplicates across two directories: the second one loaded is refused, naming the first.
run "$RATCHET_BIN" --plugin-dir "$F/dup-name/a" --plugin-dir "$F/dup-name/b" plugins list
expect_rc 1 "duplicate name exits 1"
expect_err_contains "refused plugin $F/dup-name/b/dup.so" "duplicate: second file refused"
expect_err_contains "plugin name 'dup-plugin' is already taken by $F/dup-name/a/dup.so" \
  "duplicate: names the first file"
expect_out_contains "dup-plugin" "duplicate: the first one is listed"

# A symlink to a good plugin is refused; so is a world-writable copy.
mkdir -p "$WORK/link" "$WORK/ww"
ln -s "$F/good/good-logger.so" "$WORK/link/good-logger.so"
refused "$WORK/link" good-logger.so "is a symbolic link"
cp "$F/good/good-logger.so" "$WORK/ww/good-logger.so"
chmod o+w "$WORK/ww/good-logger.so"
refused "$WORK/ww" good-logger.so "is world-writable"

# A world-writable directory (without the sticky bit) is refused as a whole.
mkdir -p "$WORK/wwdir" && cp "$F/good/good-logger.so" "$WORK/wwdir/" && chmod 0777 "$WORK/wwdir"
run "$RATCHET_BIN" --plugin-dir "$WORK/wwdir" plugins list
expect_rc 1 "world-writable directory refused"
expect_err_contains "plugin directory $WORK/wwdir is world-writable" "world-writable dir message"

# A missing --plugin-dir is an error, not silently skipped.
run "$RATCHET_BIN" --plugin-dir "$WORK/nope" plugins list
expect_rc 1 "missing plugin dir"
expect_err_contains "plugin directory $WORK/nope: No such file or directory" "missing dir message"

# serve refuses to start while a plugin directory holds a refused file.
run "$RATCHET_BIN" --plugin-dir "$F/major2" serve
expect_rc 1 "serve stops on a refused plugin"
expect_err_contains "1 plugin file(s) refused" "serve says why it stopped"

# A plugin built for ABI 1.0 loads in this 1.1 host (the versioning promise).
run "$RATCHET_BIN" --plugin-dir "$F/abi-1-0" plugins list
expect_rc 0 "ABI 1.0 plugin accepted"
CHECKS=$((CHECKS + 1))
if grep -Eq '^fixture-abi10 +logger +0\.0\.1 +1\.0 +loaded ' <<<"$OUT"; then pass "listed with ABI 1.0"; else
  fail "ABI 1.0 plugin not listed: $OUT"; fi

# The good fixture loads and is described from its option table.
run "$RATCHET_BIN" --plugin-dir "$F/good" plugins describe fixture-logger
expect_rc 0 "describe the good fixture"
expect_out_contains "path" "describe lists option path"
expect_out_contains "required" "describe marks required options"
finish
