#!/usr/bin/env bash
# registry.sources in ratchet.yaml: every mistake is reported by `config validate` (and by
# every command) with file:line:column, the key and what was expected; a filesystem source
# is stored like engine.tasks.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
S=$RATCHET_SOURCE_DIR/sample

# bad_config DESCRIPTION EXPECTED-MESSAGE: validate $WORK/bad.yaml, which the caller wrote.
bad_config() {
  run "$RATCHET_BIN" config validate "$WORK/bad.yaml"
  expect_rc 1 "$1"
  expect_err_contains "$2" "$1: the message"
}

cat >"$WORK/bad.yaml" <<'YAML'
registry:
  sources:
    name: team
YAML
bad_config "sources not a list" "bad.yaml:3:5: registry.sources: expected a list of sources ({name, type, uri}), got a mapping"

cat >"$WORK/bad.yaml" <<'YAML'
registry:
  sources:
    - name: team
      type: http
YAML
bad_config "no uri" "bad.yaml:3:7: registry.sources[0]: missing required option 'uri'"

cat >"$WORK/bad.yaml" <<'YAML'
registry:
  sources:
    - name: team
      type: http
      uri: ftp://example.com/index.json
YAML
bad_config "an http source with another scheme" "bad.yaml:5:12: registry.sources[0].uri: expected an http:// or https:// URL of an index.json, got 'ftp://example.com/index.json'"

cat >"$WORK/bad.yaml" <<'YAML'
registry:
  sources:
    - name: team
      type: svn
      uri: http://example.com/index.json
YAML
bad_config "an unknown type" "bad.yaml:4:13: registry.sources[0].type:"

cat >"$WORK/bad.yaml" <<'YAML'
registry:
  sources:
    - name: samples
      source_type: git
      uri: https://github.com/ratchet-runner/ratchet-repo-samples.git
YAML
bad_config "a git source" "bad.yaml:4:20: registry.sources[0].source_type: git sources are not supported"

cat >"$WORK/bad.yaml" <<'YAML'
registry:
  sources:
    - name: team
      uri: http://example.com/index.json
    - name: team
      uri: http://example.com/other.json
YAML
bad_config "a duplicate name" "bad.yaml:5:13: registry.sources[1].name: duplicate source name 'team' (first at"

cat >"$WORK/bad.yaml" <<'YAML'
registry:
  sources:
    - name: Team
      uri: http://example.com/index.json
YAML
bad_config "a bad name" "registry.sources[0].name: invalid source name 'Team'"

cat >"$WORK/bad.yaml" <<'YAML'
registry:
  sources:
    - name: local
      uri: ./tasks
      polling_interval: 10s
YAML
bad_config "an http key on a filesystem source" "bad.yaml:5:25: registry.sources[0].polling_interval: only http sources take polling_interval"

cat >"$WORK/bad.yaml" <<'YAML'
registry:
  sources:
    - name: team
      uri: http://example.com/index.json
      max_zip_size: lots
YAML
bad_config "a bad size" "bad.yaml:5:21: registry.sources[0].max_zip_size: expected a size"

cat >"$WORK/bad.yaml" <<'YAML'
registry:
  sources:
    - name: team
      uri: http://example.com/index.json
      auth: {type: bearer, token_env: "my token"}
YAML
bad_config "a bad token_env" "registry.sources[0].auth.token_env: expected the name of an environment variable"

cat >"$WORK/bad.yaml" <<'YAML'
registry:
  sources:
    - name: team
      uri: http://example.com/index.json
      auth: {type: header, token_env: TOKEN}
YAML
bad_config "type header without a header name" "registry.sources[0].auth.header: type header needs the header's name"

cat >"$WORK/bad.yaml" <<'YAML'
registry:
  sources:
    - name: team
      uri: http://example.com/index.json
      polling: 5m
YAML
bad_config "an unknown key" "bad.yaml:5:7: registry.sources[0].polling: unknown option 'polling' (accepted: name, type"

# The same mistake stops every command, not only `config validate`.
run "$RATCHET_BIN" --config "$WORK/bad.yaml" tasks list
expect_rc 1 "a command with a bad registry config"
expect_err_contains "registry.sources[0].polling: unknown option 'polling'" "the message is the same"

# A good file, with every key; an environment override of the section.
mkdir -p "$WORK/more"
cp -r "$S/addition" "$WORK/more/"
cat >"$WORK/good.yaml" <<'YAML'
registry:
  default_polling_interval: 1m
  sources:
    - name: local
      type: filesystem
      uri: file://more
    - name: team
      source_type: http
      uri: https://tasks.example.com/index.json
      polling_interval: 30s
      timeout: 10s
      max_zip_size: 4MiB
      verify_tls: false
      enabled: false
      auth: {type: header, header: X-Api-Key, token_env: TEAM_TOKEN}
YAML
run "$RATCHET_BIN" config validate "$WORK/good.yaml"
expect_rc 0 "a file with every key validates"
RATCHET_REGISTRY_DEFAULT_POLLING_INTERVAL=soon run "$RATCHET_BIN" config validate "$WORK/good.yaml"
expect_rc 1 "a bad environment override"
expect_err_contains "RATCHET_REGISTRY_DEFAULT_POLLING_INTERVAL" "the variable is named"

# A filesystem source (file:// and relative to the config file) is stored like engine.tasks.
run "$RATCHET_BIN" --config "$WORK/good.yaml" --data-dir "$WORK/data" tasks sync
expect_rc 0 "sync with a filesystem source and a disabled http one"
expect_out_contains "added     addition 1.0.0" "the filesystem source's task is stored"
expect_out_contains "1 added, 0 updated, 0 unchanged, 0 failed" "the disabled http source is not read"
finish
