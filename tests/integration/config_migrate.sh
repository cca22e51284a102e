#!/usr/bin/env bash
# Coming from the original Ratchet: `ratchet config migrate` on configurations written in the
# original's format (tests/fixtures/original-config: one per section and a full one), the
# detection of such a file by every command that loads a configuration, and the original's
# environment variables (honoured under their meaning here, or reported with what to use).
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
R=$RATCHET_BIN
FIX=$RATCHET_SOURCE_DIR/tests/fixtures/original-config
unset RATCHET_CONFIG

# expect_line FILE TEXT DESCRIPTION: FILE has a line equal to TEXT.
expect_line() {
  CHECKS=$((CHECKS + 1))
  if grep -qxF -- "$2" "$1"; then pass "$3"; else
    fail "$3: no line '$2' in $1"; cat "$1" >&2; fi
}

# ---- every section migrates to a file that `config validate` accepts ------------------------
for f in "$FIX"/*.yaml; do
  n=$(basename "$f" .yaml)
  run "$R" config migrate "$f" -o "$WORK/$n.yaml"
  expect_rc 0 "$n: migrate"
  printf '%s\n' "$OUT" >"$WORK/$n.report"
  expect_out_contains "$WORK/$n.yaml written; check it with \`ratchet config validate $WORK/$n.yaml\`" \
    "$n: says where it wrote"
  CHECKS=$((CHECKS + 1))
  if grep -Eq '^[0-9]+ keys: [0-9]+ mapped, [0-9]+ dropped, [0-9]+ to decide, [0-9]+ unknown$' \
    "$WORK/$n.report"; then pass "$n: report summary"; else fail "$n: no summary: $OUT"; fi
  CHECKS=$((CHECKS + 1))
  if grep -Ev '^(mapped  |dropped |decide  |unknown )|^[0-9]+ keys: |written; check it' \
    "$WORK/$n.report" | grep -q .; then fail "$n: a report line of no known kind: $OUT"
  else pass "$n: every report line is mapped, dropped, decide or unknown"; fi
  run "$R" config validate "$WORK/$n.yaml"
  expect_rc 0 "$n: the migrated file validates"
done

# What each section became (one telling line of each report).
expect_line "$WORK/server.report" "mapped  server.rate_limit.requests_per_minute = 120 -> instances[web].options.rate_limit: 2" "server: per minute to per second"
expect_line "$WORK/server.report" "mapped  server.tls.cert_file = certs/server.pem -> instances[web].options.listen[0].tls_cert" "server: TLS"
expect_line "$WORK/server.report" "decide  server.auth.jwt_secret = (hidden): no JWT here: API clients send API keys (\`ratchet keys create\`; auth: api_key on the listener)" "server: JWT to decide, secret hidden"
expect_line "$WORK/server.yaml" "      auth: api_key  # not loopback: clients need an API key (\`ratchet keys create\`); the original asked for none" "server: 0.0.0.0 needs API keys"
expect_line "$WORK/database.report" "mapped  server.database.url = sqlite://data/ratchet.db -> engine.data_dir: data" "database: sqlite file"
expect_line "$WORK/database-top.report" "dropped database.max_connections = 5: the storage plugin keeps its own pool of connections" "database at the top level"
expect_line "$WORK/execution.report" "mapped  execution.max_execution_duration = 120 -> execution.timeout: 120s" "execution: timeout"
expect_line "$WORK/execution.yaml" "  workers: 4  # was execution.max_concurrent_tasks = 4; here: worker processes, each running one task at a time" "execution: workers, commented"
expect_line "$WORK/http.report" "decide  http.timeout = 60: fetch's timeout is fixed at 30 s here; execution.timeout bounds the whole task" "http: a different timeout is to decide"
expect_line "$WORK/http.report" "dropped http.verify_ssl = true: fetch always verifies TLS certificates (the same value)" "http: the same value is dropped"
expect_line "$WORK/cache.report" "dropped cache.task_cache: no cache settings here: compiled task versions are kept by checksum" "cache: dropped"
expect_line "$WORK/logging.report" "mapped  logging.targets[1].max_size_bytes = 10485760 -> instances[file].options.max_size: 10MiB" "logging: file target"
expect_line "$WORK/logging.report" "decide  logging.targets[2]: type syslog: no such logger here; the console logger writes to stderr, which journald or syslog can collect" "logging: syslog to decide"
expect_line "$WORK/output.report" "decide  output.default_retry_policy.max_attempts = 5: webhooks are tried 3 times unless a destination sets max_attempts" "output: retry policy"
expect_line "$WORK/mcp.report" "decide  mcp.port = 8090: MCP is served at http://127.0.0.1:8080/mcp, on the same listener as the REST API; point MCP clients there" "mcp: own port to decide"
expect_line "$WORK/registry.report" "mapped  registry.sources[0].uri = file://./tasks -> engine.tasks: ./tasks" "registry: folder source"
expect_line "$WORK/registry.report" "decide  registry.sources[1].uri = https://github.com/example/ratchet-tasks.git: no git sources here: clone the repository and add its tasks folder to engine.tasks" "registry: git source to decide"
expect_line "$WORK/registry.yaml" "  watch: false  # was registry.sources[0].config.filesystem.watch_changes = false; here it applies to every task source" "registry: watch, commented"

# ---- the full configuration: the report line by line, and a server that starts -------------
CHECKS=$((CHECKS + 1))
if diff <(grep -v 'written; check it' "$WORK/full.report") "$FIX/full.report" >"$WORK/full.diff"; then
  pass "full: the report, line by line"; else fail "full: the report differs:"; cat "$WORK/full.diff" >&2; fi
for line in \
  "  timeout: 60s  # was execution.max_execution_duration = 60 (seconds); it bounds run-once and test too" \
  "  data_dir: data  # was server.database.url = sqlite://data/ratchet.db; the job store is ratchet.db in this folder (the original's database is not read)" \
  "  tasks: [\"./tasks\"]  # was registry.sources (folders); here loaded and watched by serve" \
  "      listen: \"127.0.0.1:8080\"  # was server.bind_address and server.port" \
  "      max_size: 1MiB  # was logging.targets[1].max_size_bytes = 1048576" \
  "#   - server.auth.jwt_secret = (hidden): no JWT here: API clients send API keys (\`ratchet keys" \
  "    plugin: api-mcp"; do
  expect_line "$WORK/full.yaml" "$line" "full: '${line:0:50}...'"
done

# Without -o: the YAML on stdout (the same file), the report on stderr.
run "$R" config migrate "$FIX/full.yaml"
expect_rc 0 "migrate to stdout"
printf '%s\n' "$OUT" >"$WORK/stdout.yaml"
CHECKS=$((CHECKS + 1))
if diff <(tail -n +2 "$WORK/stdout.yaml") <(tail -n +2 "$WORK/full.yaml") >/dev/null; then
  pass "stdout holds the YAML"; else fail "stdout differs from the -o file"; fi
CHECKS=$((CHECKS + 1))
if diff <(printf '%s\n' "$ERR") "$FIX/full.report" >/dev/null; then pass "stderr holds the report"
else fail "stderr is not the report: $ERR"; fi

# The migrated file runs a server: tasks from the migrated folder source, the REST API and MCP
# on the migrated listener (the original's RATCHET_SERVER_PORT=0 picks a free port).
mkdir -p "$WORK/logs" "$WORK/tasks"
cp -r "$RATCHET_SOURCE_DIR/sample/addition" "$WORK/tasks/addition"
serve_bg "$WORK/serve.err" env RATCHET_SERVER_PORT=0 "$R" --config "$WORK/full.yaml" serve ||
  { fail "the migrated configuration did not serve"; finish; }
run curl -s -X POST "$BASE/api/v1/tasks/addition/execute" -H 'Content-Type: application/json' \
  -d '{"input": {"num1": 2, "num2": 40}}'
expect_out_contains '"sum":42' "a task of the migrated source runs over REST"
run curl -s -X POST "$BASE/mcp" -H 'Content-Type: application/json' \
  -H 'Accept: application/json, text/event-stream' \
  -d '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-03-26","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}'
expect_out_contains '"protocolVersion"' "MCP answers at /mcp"
CHECKS=$((CHECKS + 1))
if [ -s "$WORK/logs/ratchet.log" ]; then pass "the migrated file target logs"; else fail "no logs/ratchet.log"; fi
CHECKS=$((CHECKS + 1))
if [ -f "$WORK/data/ratchet.db" ]; then pass "the job store is in the migrated data_dir"; else
  fail "no data/ratchet.db"; fi
CHECKS=$((CHECKS + 1))
n=$(grep -c 'RATCHET_SERVER_PORT is the original' "$WORK/serve.err")
if [ "$n" = 1 ]; then pass "the variable's warning is printed once (not by each worker)"; else
  fail "RATCHET_SERVER_PORT warning printed $n times"; fi
kill -TERM "$SERVE"
wait_for 20 bash -c "! kill -0 $SERVE" || fail "serve did not stop"

# ---- errors of migrate ------------------------------------------------------------------------
run "$R" config migrate "$WORK/nope.yaml"
expect_rc 1 "missing file"
expect_err_contains "cannot read $WORK/nope.yaml: No such file or directory" "missing file message"
printf 'server:\n  port: 8080\n  bind_address: [1, 2\n' >"$WORK/broken.yaml"
run "$R" config migrate "$WORK/broken.yaml"
expect_rc 1 "malformed YAML"
expect_err_contains "$WORK/broken.yaml:4:" "malformed YAML names file:line"
printf 'engine:\n  workers: 2\nserver:\n  port: 1\n' >"$WORK/ours.yaml"
run "$R" config migrate "$WORK/ours.yaml"
expect_rc 1 "a configuration of this Ratchet"
expect_err_contains "$WORK/ours.yaml is already a configuration of this Ratchet (it has 'engine'); nothing to migrate" "says it is ours"
printf 'colour: blue\n' >"$WORK/other.yaml"
run "$R" config migrate "$WORK/other.yaml"
expect_rc 1 "not a configuration"
expect_err_contains "$WORK/other.yaml: not a configuration of the original Ratchet: none of its sections (server, database, execution, http, logging, mcp, registry, output, cache) is there" "says it is no configuration"
printf -- '- server\n' >"$WORK/list.yaml"
run "$R" config migrate "$WORK/list.yaml"
expect_rc 1 "a list"
expect_err_contains "not a configuration of the original Ratchet: expected a mapping of sections" "a list is refused"
: >"$WORK/empty.yaml"
run "$R" config migrate "$WORK/empty.yaml"
expect_rc 1 "an empty file"
expect_err_contains "$WORK/empty.yaml: not a configuration of the original Ratchet: the file is empty" "empty file message"
run "$R" config migrate "$FIX/mcp.yaml" -o "$WORK/mcp.yaml"
expect_rc 1 "an existing output is kept"
expect_err_contains "cannot write $WORK/mcp.yaml: File exists (use --force to overwrite)" "says --force"
run "$R" config migrate "$FIX/mcp.yaml" -o "$WORK/mcp.yaml" --force
expect_rc 0 "--force overwrites"
cp "$FIX/mcp.yaml" "$WORK/orig.yaml"
run "$R" config migrate "$WORK/orig.yaml" -o "$WORK/orig.yaml" --force
expect_rc 1 "never over the original"
expect_err_contains "the output would overwrite the original" "same-file message"
run "$R" config migrate
expect_rc 2 "no FILE is a usage error"
# Unknown keys are reported, not fatal.
printf 'server:\n  port: 8081\n  job_queue: {size: 10}\nmcp_api:\n  enabled: true\n' >"$WORK/unknown.yaml"
run "$R" config migrate "$WORK/unknown.yaml" -o "$WORK/unknown-out.yaml"
expect_rc 0 "unknown keys do not stop migrate"
expect_out_contains "unknown server.job_queue: not a key of the original Ratchet's configuration; left out" "unknown nested key reported"
expect_out_contains "unknown mcp_api: not a key of the original Ratchet's configuration; left out" "unknown section reported"

# Combinations the fixtures do not hold: a PostgreSQL store (an instance of storage-postgres
# when the build has it), a file target without a path, a host name as the bind address.
cat >"$WORK/pg.yaml" <<'YAML'
server:
  bind_address: example.com
  database:
    url: postgres://ratchet@db.internal/ratchet
    max_connections: 8
    connection_timeout: 10
logging:
  targets:
    - type: file
      level: warn
YAML
run "$R" config migrate "$WORK/pg.yaml" -o "$WORK/pg-out.yaml"
expect_rc 0 "migrate postgres, pathless file target, host name"
printf '%s\n' "$OUT" >"$WORK/pg.report"
if "$R" plugins list 2>/dev/null | grep -q '^storage-postgres '; then
  expect_line "$WORK/pg.report" "mapped  server.database.url = postgres://ratchet@db.internal/ratchet -> instances[storage].options.url: postgres://ratchet@db.internal/ratchet" "postgres URL to storage-postgres"
  expect_line "$WORK/pg.report" "mapped  server.database.max_connections = 8 -> instances[storage].options.pool_size: 8" "postgres pool size"
  expect_line "$WORK/pg.report" "mapped  server.database.connection_timeout = 10 -> instances[storage].options.connect_timeout: 10s" "postgres connect timeout"
  expect_line "$WORK/pg-out.yaml" "    plugin: storage-postgres" "a storage-postgres instance"
else
  expect_out_contains "decide  server.database.url = postgres://ratchet@db.internal/ratchet: this build has no storage-postgres plugin" "postgres URL without the plugin"
fi
expect_line "$WORK/pg.report" "decide  logging.targets: a file target without a path logs to ratchet-file.log here" "pathless file target"
expect_line "$WORK/pg-out.yaml" "      path: ratchet-file.log  # the original's target named no path; chosen here" "a path chosen, commented"
expect_line "$WORK/pg.report" "decide  server.bind_address = example.com: expected a numeric address or localhost; -> instances[web].options.listen: 127.0.0.1:8080" "host name to decide"
run "$R" config validate "$WORK/pg-out.yaml"
expect_rc 0 "and the result validates"

# ---- detection: every command that loads a configuration names migrate ----------------------
for cmd in "config validate $FIX/full.yaml" "--config $FIX/logging.yaml serve" \
  "--config $FIX/execution.yaml run-once --from-fs $RATCHET_SOURCE_DIR/sample/addition" \
  "--config $FIX/server.yaml jobs list"; do
  # shellcheck disable=SC2086
  run "$R" $cmd
  expect_rc 1 "detected: $cmd"
  expect_err_contains "this is a configuration of the original Ratchet (it has" "says original: $cmd"
  expect_err_contains "ratchet config migrate " "names migrate: $cmd"
done
run env RATCHET_CONFIG="$FIX/mcp.yaml" "$R" config validate
expect_err_contains "$FIX/mcp.yaml: this is a configuration of the original Ratchet (it has mcp), which this Ratchet does not read as it is; convert it with" "RATCHET_CONFIG too, with the sections found"
expect_err_contains "  ratchet config migrate $FIX/mcp.yaml -o ratchet.yaml" "the migrate command line"

# ---- the original's environment variables ---------------------------------------------------
printf 'logging:\n  level: info\n' >"$WORK/plain.yaml"
show() { run env "$@" "$R" config show "$WORK/plain.yaml"; }
show RATCHET_LOG_LEVEL=debug
expect_rc 0 "RATCHET_LOG_LEVEL"
expect_out_contains "  level: debug" "RATCHET_LOG_LEVEL honoured"
expect_err_contains "warning: RATCHET_LOG_LEVEL is the original Ratchet's; read as RATCHET_LOGGING_LEVEL (logging.level)" "RATCHET_LOG_LEVEL names the new variable"
show RATCHET_LOG_LEVEL=debug RATCHET_LOGGING_LEVEL=warn
expect_out_contains "  level: warn" "RATCHET_LOGGING_LEVEL wins"
expect_err_contains "RATCHET_LOG_LEVEL is the original Ratchet's; not read because RATCHET_LOGGING_LEVEL is set" "and says so"
show RATCHET_LOG_LEVEL=loud
expect_rc 1 "a bad RATCHET_LOG_LEVEL"
expect_err_contains "environment variable RATCHET_LOG_LEVEL: logging.level: expected one of" "names the variable"
for v in RATCHET_MAX_EXECUTION_SECONDS RATCHET_MAX_EXECUTION_DURATION; do
  show "$v=42"
  expect_out_contains "  timeout: 42" "$v honoured"
  expect_err_contains "$v is the original Ratchet's; read as RATCHET_EXECUTION_TIMEOUT (execution.timeout)" "$v names the new variable"
done
show RATCHET_DATABASE_URL=sqlite://store/ratchet.db
expect_out_contains "  data_dir: $WORK/store" "RATCHET_DATABASE_URL (sqlite) honoured as engine.data_dir"
expect_err_contains "RATCHET_DATABASE_URL is the original Ratchet's; read as RATCHET_ENGINE_DATA_DIR=store" "RATCHET_DATABASE_URL names the new variable"
while read -r url dir; do
  show "RATCHET_DATABASE_URL=$url"
  expect_out_contains "  data_dir: $dir" "RATCHET_DATABASE_URL=$url is the folder $dir"
done <<LIST
sqlite:x.db $WORK
sqlite://x.db?mode=rwc $WORK
sqlite:///var/lib/ratchet/jobs.db /var/lib/ratchet
sqlite://./data/ratchet.db $WORK/./data
LIST
show RATCHET_DATABASE_URL=sqlite::memory:
expect_err_contains "RATCHET_DATABASE_URL is the original Ratchet's and is not read: an in-memory database has no equivalent" "an in-memory URL is reported"
show RATCHET_DATABASE_URL=postgres://u@db/ratchet
expect_rc 0 "a PostgreSQL URL is not an error"
expect_err_contains "RATCHET_DATABASE_URL is the original Ratchet's; read as the storage URL (like RATCHET_STORAGE_URL" "RATCHET_DATABASE_URL (postgres) is the storage URL"
expect_out_contains "# storage: postgres://u@db/ratchet from RATCHET_DATABASE_URL" "config show names it as the storage"
show RATCHET_DATABASE_URL=mysql://u@db/ratchet
expect_err_contains "RATCHET_DATABASE_URL is the original Ratchet's and is not read: only a sqlite: or postgres(ql):// URL has an equivalent" "RATCHET_DATABASE_URL (mysql) reported"
show RATCHET_SERVER_PORT=9
expect_err_contains "RATCHET_SERVER_PORT is the original Ratchet's; serve listens on 127.0.0.1:9 (here: --listen ADDR:PORT" "RATCHET_SERVER_PORT"
show RATCHET_SERVER_BIND_ADDRESS=::1 RATCHET_SERVER_PORT=9
expect_err_contains "RATCHET_SERVER_BIND_ADDRESS and RATCHET_SERVER_PORT are the original Ratchet's; serve listens on [::1]:9" "RATCHET_SERVER_BIND_ADDRESS"
show RATCHET_BIND_ADDRESS=127.0.0.2
expect_err_contains "RATCHET_BIND_ADDRESS is the original Ratchet's; serve listens on 127.0.0.2:8080" "RATCHET_BIND_ADDRESS"
show RATCHET_SERVER_PORT=http
expect_rc 1 "a bad RATCHET_SERVER_PORT"
expect_err_contains "environment variable RATCHET_SERVER_PORT: expected a port number 0..65535, got 'http'" "bad port names the variable"
while IFS='|' read -r var why; do
  show "$var=1"
  expect_rc 0 "$var is not an error"
  expect_err_contains "warning: $var is the original Ratchet's and is not read: $why" "$var reported"
  expect_out_lacks "# ignored $var" "$var is not listed as unmatched"
done <<'LIST'
RATCHET_LOG_FORMAT|the console logger writes text lines; for JSON lines configure a logger-file instance
RATCHET_VALIDATE_SCHEMAS|input and output are always checked against the task's schemas
RATCHET_HTTP_TIMEOUT|fetch's timeout is fixed at 30 s; RATCHET_EXECUTION_TIMEOUT bounds the whole task
RATCHET_HTTP_USER_AGENT|fetch sends User-Agent: Ratchet/1.0 unless the task sets the header
RATCHET_HTTP_VERIFY_SSL|fetch always verifies TLS certificates
RATCHET_CACHE_SIZE|there are no cache settings
RATCHET_CACHE_ENABLED|there are no cache settings
RATCHET_OUTPUT_MAX_CONCURRENT_DELIVERIES|there is no such setting
RATCHET_OUTPUT_DEFAULT_TIMEOUT|each webhook destination has its own timeout (default 30 s)
RATCHET_MCP_ENABLED|MCP is an api-mcp instance in the configuration
RATCHET_MCP_TRANSPORT|MCP is Streamable HTTP at /mcp on the http listener, or stdio with `ratchet mcp-serve`
RATCHET_MCP_HOST|MCP is served at /mcp on the http listener
RATCHET_MCP_PORT|MCP is served at /mcp on the http listener
LIST
# With an instance named http, RATCHET_HTTP_TIMEOUT is that instance's option, and says so.
printf 'instances:\n  - name: http\n    plugin: http\n' >"$WORK/named-http.yaml"
run env RATCHET_HTTP_TIMEOUT=60 "$R" config show "$WORK/named-http.yaml"
expect_rc 0 "RATCHET_HTTP_TIMEOUT with an http instance"
expect_out_contains "timeout: 60" "read as the instance's option"
expect_err_contains "RATCHET_HTTP_TIMEOUT was read as this Ratchet's RATCHET_<SECTION|INSTANCE>_<KEY> override" "and the warning says which meaning"
finish
