#!/usr/bin/env bash
# The command line: help, version, usage errors (exit 2), plugins list/describe.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"

run "$RATCHET_BIN" --help
expect_rc 0 "--help"
expect_out_contains "Usage: ratchet" "--help prints usage"
for c in serve plugins config version; do expect_out_contains "  $c" "--help lists $c"; done

run "$RATCHET_BIN" --version
expect_rc 0 "--version"
expect_out_contains "plugin ABI 1." "--version shows the ABI"

for c in serve plugins config version; do
  run "$RATCHET_BIN" "$c" --help
  expect_rc 0 "$c --help"
  expect_out_contains "Usage: ratchet $c" "$c --help prints its usage"
done

run "$RATCHET_BIN" frobnicate
expect_rc 2 "unknown command"
expect_err_contains "unknown command 'frobnicate'" "unknown command message"
expect_err_contains "Try 'ratchet --help'" "unknown command hint"

run "$RATCHET_BIN" --frobnicate plugins list
expect_rc 2 "unknown global flag"
expect_err_contains "unknown option '--frobnicate'" "unknown flag message"

run "$RATCHET_BIN" plugins list --bogus
expect_rc 2 "unknown command flag"
expect_err_contains "unexpected argument '--bogus'" "unknown command flag message"

run "$RATCHET_BIN" plugins
expect_rc 2 "missing subcommand"
run "$RATCHET_BIN" config frob
expect_rc 2 "unknown config subcommand"
expect_err_contains "unknown subcommand 'frob'" "unknown subcommand message"
run "$RATCHET_BIN" --log-level loud plugins list
expect_rc 2 "bad --log-level"
run "$RATCHET_BIN" --config
expect_rc 2 "--config without a value"
run "$RATCHET_BIN"
expect_rc 2 "no command"

run "$RATCHET_BIN" plugins list
expect_rc 0 "plugins list"
expect_out_contains "NAME" "plugins list header"
for p in logger-console logger-file; do
  line=$(grep "^$p " <<<"$OUT" || true)
  CHECKS=$((CHECKS + 1))
  if [[ "$line" =~ ^$p\ +logger\ +[0-9.]+\ +1\.[0-9]+\ +(loaded|static)\  ]]; then pass "$p listed"; else
    fail "$p line malformed: '$line'"; fi
done

run "$RATCHET_BIN" plugins describe logger-file
expect_rc 0 "describe logger-file"
for o in path level max_size max_files fsync; do expect_out_contains "$o" "logger-file option $o"; done
run "$RATCHET_BIN" plugins describe nope
expect_rc 1 "describe unknown plugin"
expect_err_contains "no plugin named 'nope' (available: " "describe unknown message"
finish
