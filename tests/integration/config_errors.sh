#!/usr/bin/env bash
# Every class of configuration error names file:line:column, the key path and what was
# expected; `config validate` exits 1 and a good file exits 0.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"

# bad NAME 'YAML' 'EXPECTED TEXT'...: write $WORK/NAME.yaml, validate it, expect each text.
bad() {
  local name=$1 yaml=$2; shift 2
  printf '%s\n' "$yaml" >"$WORK/$name.yaml"
  run "$RATCHET_BIN" config validate "$WORK/$name.yaml"
  expect_rc 1 "$name: invalid"
  local t
  for t in "$@"; do expect_err_contains "$t" "$name: says '$t'"; done
}
Y=$WORK

bad syntax $'logging:\n  level: info\n  bad: [1, 2' "$Y/syntax.yaml:"
bad tab $'logging:\n\tlevel: info' "$Y/tab.yaml:2:"
bad unknown-section $'loging:\n  level: info' \
  "$Y/unknown-section.yaml:1:1: loging: unknown" "did you mean 'logging'"
bad unknown-key $'logging:\n  levl: debug' \
  "$Y/unknown-key.yaml:2:3: logging.levl: unknown" "did you mean 'level'"
bad bad-enum $'logging:\n  level: loud' \
  "$Y/bad-enum.yaml:2:10: logging.level: expected one of trace|debug|info|warn|error, got 'loud'"
bad section-not-map $'logging: [1, 2]' "$Y/section-not-map.yaml:1:10: logging: expected a mapping"
bad instances-not-list $'instances:\n  name: x' \
  "$Y/instances-not-list.yaml:2:3: instances: expected a list of plugin instances"
bad instance-no-name $'instances:\n  - plugin: logger-console' \
  "$Y/instance-no-name.yaml:2:5: instances[0]: missing required option 'name'"
bad instance-unknown-key $'instances:\n  - name: c\n    plugin: logger-console\n    optoins: {}' \
  "$Y/instance-unknown-key.yaml:4:5: instances[0].optoins: unknown" "did you mean 'options'"
bad unknown-plugin $'instances:\n  - name: c\n    plugin: logger-nope' \
  "$Y/unknown-plugin.yaml:3:13: instances[0].plugin: unknown plugin 'logger-nope' (available: " \
  "logger-console"
bad wrong-type $'instances:\n  - name: f\n    plugin: logger-file\n    options:\n      path: x.log\n      max_files: five' \
  "$Y/wrong-type.yaml:6:18: instances[0].options.max_files: expected an integer, got 'five'"
bad out-of-range $'instances:\n  - name: f\n    plugin: logger-file\n    options:\n      path: x.log\n      max_files: 5000' \
  "$Y/out-of-range.yaml:6:18: instances[0].options.max_files:" "between 0 and 1000"
bad bad-size $'instances:\n  - name: f\n    plugin: logger-file\n    options:\n      path: x.log\n      max_size: 10 parsecs' \
  "$Y/bad-size.yaml:6:17: instances[0].options.max_size: expected a size"
bad missing-required $'instances:\n  - name: f\n    plugin: logger-file\n    options:\n      level: info' \
  "$Y/missing-required.yaml:5:7: instances[0].options: missing required option 'path'"
bad missing-required-no-options $'instances:\n  - name: f\n    plugin: logger-file' \
  "$Y/missing-required-no-options.yaml:" "instances[0].options: missing required option 'path'"
bad unknown-plugin-option $'instances:\n  - name: c\n    plugin: logger-console\n    options:\n      colour: never' \
  "$Y/unknown-plugin-option.yaml:5:7: instances[0].options.colour: unknown" "did you mean 'color'"
bad dup-instance $'instances:\n  - name: c\n    plugin: logger-console\n  - name: c\n    plugin: logger-console' \
  "$Y/dup-instance.yaml:4:11: instances[1].name: duplicate instance name 'c' (first at $Y/dup-instance.yaml:2:5)"
bad bad-instance-name $'instances:\n  - name: Bad Name\n    plugin: logger-console' \
  "$Y/bad-instance-name.yaml:2:11: instances[0].name: invalid instance name 'Bad Name'"
bad dup-key $'logging:\n  level: info\n  level: debug' "$Y/dup-key.yaml:3:3:" "duplicate key 'level'"
bad alias $'logging: &a\n  level: info\nplugins: *a' "$Y/alias.yaml:" "alias"
bad wrong-kind $'instances:\n  - name: c\n    plugin: logger-console\n    kind: storage' \
  "instances[0].kind: plugin 'logger-console' does not offer kind 'storage'"
bad plugin-paths-not-list $'plugins:\n  paths: /opt/x' \
  "$Y/plugin-paths-not-list.yaml:2:10: plugins.paths: expected a list of directories"

run "$RATCHET_BIN" config validate "$WORK/does-not-exist.yaml"
expect_rc 1 "missing file"
expect_err_contains "cannot read $WORK/does-not-exist.yaml: No such file or directory" "missing file message"

head -c 2000000 /dev/zero | tr '\0' 'a' >"$WORK/huge.yaml"
run "$RATCHET_BIN" config validate "$WORK/huge.yaml"
expect_rc 1 "huge file refused"
expect_err_contains "larger than 1 MiB" "huge file message"

# The same errors stop `serve` before anything starts.
run "$RATCHET_BIN" --config "$WORK/bad-enum.yaml" serve
expect_rc 1 "serve refuses a bad config"
expect_err_contains "logging.level: expected one of" "serve shows the config error"

# Good files: the documented default and an empty file.
run "$RATCHET_BIN" config validate "$RATCHET_SOURCE_DIR/config/ratchet.yaml"
expect_rc 0 "config/ratchet.yaml is valid"
expect_out_contains "OK" "validate says OK"
: >"$WORK/empty.yaml"
run "$RATCHET_BIN" config validate "$WORK/empty.yaml"
expect_rc 0 "an empty file is valid"
run "$RATCHET_BIN" config validate
expect_rc 0 "the built-in defaults are valid"
expect_out_contains "built-in defaults: OK" "validate without a file checks the defaults"
finish
