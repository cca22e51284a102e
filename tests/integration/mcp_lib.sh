# tests/integration/mcp_lib.sh - driving `ratchet mcp-serve` over stdio from a test (sourced
# after lib.sh). The caller sets TASKS (an array of --tasks flags) before start_mcp.

# start_mcp NAME [ENGINE_LINES]: `ratchet mcp-serve` reading a FIFO (fd 3) and writing
# $WORK/NAME.out, with more lines (each "  key: value") in the config's engine section.
start_mcp() {
  MCP_OUT=$WORK/$1.out
  mkfifo "$WORK/$1.in"
  printf 'engine:\n  max_retries: 0\n%s' "${2:-}" >"$WORK/$1.yaml"
  "$RATCHET_BIN" --config "$WORK/$1.yaml" --data-dir "$WORK/data-$1" "${TASKS[@]}" mcp-serve \
    <"$WORK/$1.in" \
    >"$MCP_OUT" 2>"$WORK/$1.err" &
  MCP=$!
  cleanup_hooks+=("kill -9 $MCP 2>/dev/null")
  exec 3>"$WORK/$1.in"
}
send() { printf '%s\n' "$1" >&3; }
# answer ID: waits for the response with that id; OUT = that line.
# (Matched at the start of the line: a result may hold other "id" members, e.g. a task's.)
answer() {
  local at="^{\"jsonrpc\":\"2.0\",\"id\":$1[,}]"
  wait_for 30 grep -q "$at" "$MCP_OUT" || true
  OUT=$(grep "$at" "$MCP_OUT" | head -1)
}
# expect_answer ID TEXT DESCRIPTION
expect_answer() { answer "$1"; expect_out_contains "$2" "$3"; }
# ping ID: the server still answers.
alive() { send "{\"jsonrpc\":\"2.0\",\"id\":$1,\"method\":\"ping\"}"; expect_answer "$1" \
  "{\"jsonrpc\":\"2.0\",\"id\":$1,\"result\":{}}" "still answering after $2"; }
# expect_log TEXT DESCRIPTION: the output so far has TEXT (for answers with id null).
expect_log() {
  CHECKS=$((CHECKS + 1))
  if grep -qF -- "$1" "$MCP_OUT"; then pass "$2"; else fail "$2: no '$1'"; cat "$MCP_OUT" >&2; fi
}
stop_mcp() {
  exec 3>&-
  wait "$MCP" && RC=0 || RC=$?
  OUT="" ERR=$(cat "$WORK"/*.err)
  expect_rc 0 "mcp-serve exits 0 on EOF"
}

