#!/usr/bin/env bash
# RATCHET_<SECTION>_<KEY> and RATCHET_<INSTANCE>_<OPTION> override the file; bad values name
# the variable; `config show` prints the effective result.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
cat >"$WORK/r.yaml" <<YAML
logging:
  level: info
instances:
  - name: console
    plugin: logger-console
  - name: audit-log
    plugin: logger-file
    options:
      path: logs/audit.jsonl
      max_files: 3
YAML

run "$RATCHET_BIN" config show "$WORK/r.yaml"
expect_rc 0 "show without overrides"
expect_out_contains "level: info" "file value shown"
expect_out_contains "max_files: 3" "instance option shown"
expect_out_contains "path: $WORK/logs/audit.jsonl" "relative path resolved against the file"
expect_out_contains "max_size: 10MiB" "defaults filled in"
expect_out_contains "color: auto" "console defaults filled in"

run env RATCHET_LOGGING_LEVEL=debug RATCHET_AUDIT_LOG_MAX_FILES=7 RATCHET_CONSOLE_COLOR=never \
  RATCHET_NOSUCH_THING=1 "$RATCHET_BIN" config show "$WORK/r.yaml"
expect_rc 0 "show with overrides"
expect_out_contains "level: debug" "section override"
expect_out_contains "max_files: 7" "instance override (name with '-')"
expect_out_contains "color: never" "override creates options: for an instance without any"
CHECKS=$((CHECKS + 1))
if [ "$(grep -A1 '^logging:' <<<"$OUT" | tail -1)" = "  level: debug" ]; then
  pass "section override replaces the file's value"; else fail "logging.level not overridden: $OUT"; fi
expect_out_contains "# ignored RATCHET_NOSUCH_THING" "unmatched variable reported"

run env RATCHET_LOGGING_LEVEL=loud "$RATCHET_BIN" config validate "$WORK/r.yaml"
expect_rc 1 "bad section override"
expect_err_contains "environment variable RATCHET_LOGGING_LEVEL: logging.level: expected one of" \
  "bad override names the variable"

run env RATCHET_AUDIT_LOG_MAX_FILES=many "$RATCHET_BIN" config validate "$WORK/r.yaml"
expect_rc 1 "bad instance override"
expect_err_contains "environment variable RATCHET_AUDIT_LOG_MAX_FILES: instances[1].options.max_files: expected an integer, got 'many'" \
  "bad instance override names the variable and key path"

run env RATCHET_LOGGING_LEVL=debug "$RATCHET_BIN" config validate "$WORK/r.yaml"
expect_rc 1 "unknown key in a known section"
expect_err_contains "RATCHET_LOGGING_LEVL: section 'logging' has no option 'LEVL'" "unknown key message"

# RATCHET_CONFIG chooses the file; --log-level wins over the file.
run env RATCHET_CONFIG="$WORK/r.yaml" "$RATCHET_BIN" config validate
expect_rc 0 "RATCHET_CONFIG"
expect_out_contains "$WORK/r.yaml: OK" "RATCHET_CONFIG names the file"
finish
