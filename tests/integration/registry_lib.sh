# tests/integration/registry_lib.sh - a test registry server for the registry tests (sourced
# after lib.sh). start_registry DIR [PORT] serves DIR on loopback (registry_server.py) and
# sets REG (its base URL) and REG_PID; stats PATH KEY prints one of its counters.

start_registry() {
  local root=$1 port=${2:-0}
  rm -f "$WORK/reg.port"
  python3 "$RATCHET_SOURCE_DIR/tests/integration/registry_server.py" --root "$root" \
    --port "$port" --port-file "$WORK/reg.port" ${REG_TOKEN:+--token "$REG_TOKEN"} \
    2>>"$WORK/registry.err" &
  REG_PID=$!
  cleanup_hooks+=("kill $REG_PID 2>/dev/null")
  wait_for 10 test -s "$WORK/reg.port" || fail "the registry server did not start"
  REG_PORT=$(cat "$WORK/reg.port")
  REG="http://127.0.0.1:$REG_PORT"
}

stop_registry() {
  kill "$REG_PID" 2>/dev/null
  wait "$REG_PID" 2>/dev/null
}

# stats PATH KEY: the server's count of KEY (200, 304, bytes, ...) for PATH, 0 when none.
stats() {
  curl -sf "$REG/__stats" | python3 -c '
import json, sys
s = json.load(sys.stdin)
print(s.get(sys.argv[1], {}).get(sys.argv[2], 0))' "$1" "$2"
}

# fault PATH MODE: switch a fault on (MODE none: off).
fault() { curl -sf "$REG/__fault?path=$1&mode=$2" >/dev/null || fail "cannot set fault $2 on $1"; }

# expect_eq ACTUAL EXPECTED DESCRIPTION
expect_eq() {
  CHECKS=$((CHECKS + 1))
  if [ "$1" = "$2" ]; then pass "$3 ($1)"; else fail "$3: expected '$2', got '$1'"; fi
}
