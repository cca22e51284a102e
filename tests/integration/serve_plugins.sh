#!/usr/bin/env bash
# serve loads the plugins it uses and no others (each brings its libraries into the
# coordinator: libpq, GnuTLS, libcurl with OpenSSL): with --no-api on SQLite, the storage,
# the executor, the watcher and the configured loggers; with the default front ends also
# http, api-rest (and api-graphql, web-ui when built); with --storage-url postgres://, that
# storage and not SQLite's. Another plugin directory is loaded whole (its plugins may be
# anything). The log names every plugin loaded.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
R=$RATCHET_BIN
mk addition 'function main(input) { return {sum: input.a + input.b}; }'

# plugins_of LOG: the names in serve's "plugin NAME VERSION (...)" lines
plugins_of() { grep -o '\] plugin [a-z0-9-]* ' "$1" | awk '{print $3}' | sort | tr '\n' ' '; }
has() { CHECKS=$((CHECKS + 1)); if [[ " $1 " == *" $2 "* ]]; then pass "$3"; else fail "$3: loaded: $1"; fi; }
lacks() { CHECKS=$((CHECKS + 1)); if [[ " $1 " != *" $2 "* ]]; then pass "$3"; else fail "$3: loaded: $1"; fi; }
maps_lack() {
  CHECKS=$((CHECKS + 1))
  if grep -q "$1" "/proc/$SERVE/maps"; then fail "$2: $(grep -o "[^ ]*$1[^ ]*" "/proc/$SERVE/maps" | head -1) is mapped"
  else pass "$2"; fi
}
stop_serve() { kill -TERM "$SERVE"; wait "$SERVE" 2>/dev/null; }
same() { CHECKS=$((CHECKS + 1)); if [ "$1" = "$2" ]; then pass "$3"; else fail "$3: '$1', not '$2'"; fi; }

# --no-api on SQLite
"$R" --data-dir "$WORK/d1" --tasks "$WORK/tasks" serve --no-api 2>"$WORK/s1.err" &
SERVE=$!
cleanup_hooks+=("kill -9 $SERVE 2>/dev/null")
wait_for 30 grep -q 'ratchet serve: ready' "$WORK/s1.err" || fail "serve --no-api did not start"
loaded=$(plugins_of "$WORK/s1.err")
has "$loaded" storage-sqlite "--no-api: the storage"
has "$loaded" executor-mujs "--no-api: the executor"
lacks "$loaded" http "--no-api: no http plugin"
lacks "$loaded" api-rest "--no-api: no REST plugin"
lacks "$loaded" storage-postgres "--no-api: no other storage"
lacks "$loaded" exporter-otlp "--no-api: no unconfigured exporter"
maps_lack libpq "--no-api: libpq is not mapped"
maps_lack libgnutls "--no-api: GnuTLS is not mapped"
maps_lack libcurl "--no-api: libcurl is not mapped"
rss=$(awk '/^Rss:/ {print $2}' "/proc/$SERVE/smaps_rollup")
echo "   (coordinator RSS idle with --no-api: $rss kB)"
# the workers run ratchet-worker, the worker-only build beside ratchet, without the storage
worker_exes() { for w in $(pgrep -P "$SERVE"); do readlink "/proc/$w/exe"; done | sort -u; }
wait_for 30 bash -c "for w in \$(pgrep -P $SERVE); do readlink /proc/\$w/exe; done | grep -q ratchet-worker" ||
  fail "no worker runs ratchet-worker: $(worker_exes)"
same "$(worker_exes)" "$(dirname "$(readlink -f "$R")")/ratchet-worker" "workers run ratchet-worker"
W=$(pgrep -P "$SERVE" | head -1)
CHECKS=$((CHECKS + 1))
if grep -q libsqlite3 "/proc/$W/maps"; then fail "a worker maps libsqlite3"; else pass "a worker does not map the storage's library"; fi
echo "   (worker RSS idle: $(awk '/^Rss:/ {print $2}' "/proc/$W/smaps_rollup") kB)"
run "$R" --data-dir "$WORK/d1" --tasks "$WORK/tasks" jobs submit --task addition --input-json '{"a": 1, "b": 2}' --wait
expect_out_contains '{"sum":3}' "ratchet-worker runs a job"
stop_serve

# ratchet alone (no ratchet-worker beside it): workers are `ratchet worker` from ratchet itself
mkdir -p "$WORK/solo"
cp "$R" "$WORK/solo/ratchet"
"$WORK/solo/ratchet" --plugin-dir "$(dirname "$R")/plugins" --data-dir "$WORK/d4" --tasks "$WORK/tasks" \
  serve --no-api 2>"$WORK/s4.err" &
SERVE=$!
cleanup_hooks+=("kill -9 $SERVE 2>/dev/null")
wait_for 30 grep -q 'ratchet serve: ready' "$WORK/s4.err" || fail "serve without ratchet-worker did not start"
run "$WORK/solo/ratchet" --plugin-dir "$(dirname "$R")/plugins" --data-dir "$WORK/d4" --tasks "$WORK/tasks" \
  jobs submit --task addition --input-json '{"a": 2, "b": 2}' --wait
expect_out_contains '{"sum":4}' "without ratchet-worker, ratchet's own worker command runs a job"
same "$(worker_exes)" "$(readlink -f "$WORK/solo/ratchet")" "workers run ratchet itself"
stop_serve

# the default front ends
"$R" --data-dir "$WORK/d2" --tasks "$WORK/tasks" serve --listen 127.0.0.1:0 2>"$WORK/s2.err" &
SERVE=$!
cleanup_hooks+=("kill -9 $SERVE 2>/dev/null")
wait_for 30 grep -q 'listening on http://127.0.0.1:' "$WORK/s2.err" || fail "serve did not listen"
BASE=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$WORK/s2.err" | head -1 | sed 's/listening on //')
loaded=$(plugins_of "$WORK/s2.err")
has "$loaded" http "default: the http plugin"
has "$loaded" api-rest "default: the REST API"
lacks "$loaded" storage-postgres "default: no other storage"
run curl -s -X POST "$BASE/api/v1/tasks/addition/execute" -H 'Content-Type: application/json' \
  -d '{"input": {"a": 2, "b": 40}}'
expect_out_contains '"sum":42' "default: a task runs over REST"
stop_serve

# --plugin-dir: that directory is loaded whole, with the default plugins
if [ -d "$RATCHET_FIXTURE_DIR/abi-1-0" ]; then
  "$R" --plugin-dir "$RATCHET_FIXTURE_DIR/abi-1-0" --data-dir "$WORK/d3" --tasks "$WORK/tasks" \
    serve --no-api 2>"$WORK/s3.err" &
  SERVE=$!
  cleanup_hooks+=("kill -9 $SERVE 2>/dev/null")
  wait_for 30 grep -q 'ratchet serve: ready' "$WORK/s3.err" || fail "serve --plugin-dir did not start"
  loaded=$(plugins_of "$WORK/s3.err")
  has "$loaded" http "--plugin-dir: every default plugin too"
  stop_serve
fi
finish
