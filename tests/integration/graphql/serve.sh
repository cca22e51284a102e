# tests/integration/graphql/serve.sh - the server the GraphQL tests talk to (sourced after
# lib.sh): `ratchet serve` with one worker, no retries, a JSON log and the instances given,
# the tasks of $WORK/tasks and the data in $WORK/data.

# graphql_serve INSTANCES: start it with INSTANCES (YAML list items, after the logger) and
# wait until it listens (and, with api-rest among them, is ready: serve_bg); sets SERVE (its pid, killed at exit) and U
# (its base URL).
# GRAPHQL_ENGINE_EXTRA: more lines of its engine section ("  writable_tasks: DIR\n").
graphql_serve() {
  cat >"$WORK/r.yaml" <<YAML
execution:
  timeout: 20s
engine:
  workers: 1
  max_retries: 0
  shutdown_grace: 1s
${GRAPHQL_ENGINE_EXTRA:-}instances:
  - name: file
    plugin: logger-file
    options: {path: serve.jsonl, level: info}
$1
YAML
  local ready=/ready # api-rest's; without it, listening is all there is to wait for
  [[ "$1" == *api-rest* ]] || ready=
  SERVE_READY=$ready serve_bg "$WORK/serve.jsonl" "$RATCHET_BIN" --data-dir "$WORK/data" \
    --config "$WORK/r.yaml" --tasks "$WORK/tasks" serve || finish
  U=$BASE
}

# graphql_chatty_task: $WORK/tasks/chatty, which logs five lines 200 ms apart and returns
# {lines: 5} (long enough to follow live).
graphql_chatty_task() {
  mkdir -p "$WORK/tasks/chatty"
  printf '{"name": "chatty", "version": "1.0.0"}\n' >"$WORK/tasks/chatty/metadata.json"
  printf 'function main(input) { for (var i = 0; i < 5; i++) { console.log("line " + i); var end = Date.now() + 200; while (Date.now() < end) {} } return {lines: 5}; }\n' \
    >"$WORK/tasks/chatty/main.js"
}
