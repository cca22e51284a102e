#!/usr/bin/env bash
# storage-postgres under faults, on a throwaway cluster (tests/pg_cluster.sh), the storage
# chosen with --storage-url / RATCHET_STORAGE_URL only (no storage instance in ratchet.yaml):
#  - PostgreSQL restarted (pg_ctl restart -m fast) during a burn-down on `serve`: every job
#    finishes exactly once (counted in the database: none lost, none with two final states),
#    serve logs the lost notification connection and its reconnection;
#  - PostgreSQL down when `serve` starts: serve exits 1 with a message naming host and port
#    (the chosen behaviour: a supervisor restarts it; see README "Scaling out");
#  - a wrong password: a clear message that does not print the password, also not the URL's;
#  - `serve` logs the storage it uses with the password masked; `config show` masks it;
#  - an unknown URL scheme is refused with a message naming it.
if [ -z "${RATCHET_PG_URL:-}" ]; then
  exec bash "$RATCHET_SOURCE_DIR/tests/pg_cluster.sh" bash "$0" "$@"
fi
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
R=$RATCHET_BIN
N=${RATCHET_FAULT_JOBS:-10000}
cat >"$WORK/r.yaml" <<YAML
engine:
  workers: 2
  lease: 3s
instances:
  - name: console
    plugin: logger-console
  - name: db
    plugin: storage-postgres
    options:
      url: postgresql://nobody@127.0.0.1:1/unused
      schema: faults
      poll_interval: 200ms
YAML
OPS=("$R" --config "$WORK/r.yaml" --data-dir "$WORK/data" --storage-url "$RATCHET_PG_URL"
  --tasks "$RATCHET_SOURCE_DIR/sample/addition")
sql() { psql "$RATCHET_PG_URL" -XAtq -v ON_ERROR_STOP=1 -c "$1"; }
pg_up() { psql "$RATCHET_PG_URL" -XAtq -c "SELECT 1" >/dev/null 2>&1; }

# ---- the URL chooses the storage; the configured instance's other options still apply -----
run "${OPS[@]}" jobs list
expect_rc 0 "jobs list on the --storage-url database"
[ "$RC" -eq 0 ] || finish # nothing below can work
CHECKS=$((CHECKS + 1))
if [ "$(sql "SELECT count(*) FROM pg_tables WHERE schemaname = 'faults'")" -gt 0 ]; then
  pass "the configured schema 'faults' was used with the URL's server"; else
  fail "no tables in schema faults"; fi
run "$R" jobs list --storage-url
expect_rc 2 "--storage-url without a value is a usage error"
expect_err_contains "--storage-url needs a URL" "the message says what it needs"
run "$R" --config "$WORK/r.yaml" --storage-url "mysql://u@h/db" jobs list
expect_rc 1 "an unknown scheme is refused"
expect_err_contains "--storage-url: unknown storage URL scheme 'mysql:'" "the message names it"
RATCHET_STORAGE_URL="redis://h" run "$R" --config "$WORK/r.yaml" jobs list
expect_err_contains "RATCHET_STORAGE_URL: unknown storage URL scheme 'redis:'" \
  "the environment variable is named"

# ---- RATCHET_DATABASE_URL (the original Ratchet's): a postgres:// URL chooses the storage ----
# like RATCHET_STORAGE_URL (which wins when both are set) and --storage-url (which wins over
# both); the job queued through it is in this database.
orig_url="postgres://${RATCHET_PG_URL#postgresql://}"
RATCHET_DATABASE_URL="$orig_url" run "$R" --config "$WORK/r.yaml" \
  --tasks "$RATCHET_SOURCE_DIR/sample/addition" jobs submit --task addition \
  --input-json '{"num1": 40, "num2": 2}' --idempotency-key dburl-1
expect_rc 0 "jobs submit with RATCHET_DATABASE_URL=postgres://..."
expect_err_contains "RATCHET_DATABASE_URL is the original Ratchet's; read as the storage URL" \
  "the warning says how RATCHET_DATABASE_URL was read"
CHECKS=$((CHECKS + 1))
if [ "$(sql "SELECT count(*) FROM faults.jobs WHERE idempotency_key = 'dburl-1'")" = 1 ]; then
  pass "the job queued through RATCHET_DATABASE_URL is in PostgreSQL"; else
  fail "no job with key dburl-1 in faults.jobs"; fi
RATCHET_DATABASE_URL="$orig_url" RATCHET_STORAGE_URL="sqlite:$WORK/both.db" run "$R" \
  --config "$WORK/r.yaml" config show
expect_out_contains "# storage: sqlite:$WORK/both.db from RATCHET_STORAGE_URL" \
  "RATCHET_STORAGE_URL wins over RATCHET_DATABASE_URL"
expect_err_contains "RATCHET_DATABASE_URL is the original Ratchet's; not read because RATCHET_STORAGE_URL is set" \
  "the warning says RATCHET_DATABASE_URL was not read"
RATCHET_DATABASE_URL="postgres://postgres@127.0.0.1:1/ratchet_test" run "$R" \
  --config "$WORK/r.yaml" jobs list
expect_rc 1 "an unreachable RATCHET_DATABASE_URL fails"
expect_err_contains "cannot connect to PostgreSQL at 127.0.0.1:1" "the error names its host and port"

# ---- a wrong password: clear, and the password is never printed ---------------------------
wrong="wrong-$RANDOM-pass"
pw_url="postgresql://ratchet_pw:$wrong@127.0.0.1:$RATCHET_PG_PORT/ratchet_test"
run "$R" --storage-url "$pw_url" jobs list
expect_rc 1 "a wrong password fails"
expect_err_contains "cannot log in to PostgreSQL at 127.0.0.1:$RATCHET_PG_PORT/ratchet_test: " \
  "the message names the server"
expect_err_contains "password authentication failed" "the message says the password was refused"
CHECKS=$((CHECKS + 1))
if grep -qF -- "$wrong" <<<"$ERR$OUT"; then fail "the password was printed: $ERR"; else
  pass "the wrong password is not printed"; fi
RATCHET_STORAGE_URL="$pw_url" run "$R" --config "$WORK/r.yaml" config show
expect_rc 0 "config show with RATCHET_STORAGE_URL"
expect_out_contains "postgresql://ratchet_pw:***@127.0.0.1:$RATCHET_PG_PORT/ratchet_test" \
  "config show masks the URL's password"
expect_out_lacks "$wrong" "config show does not print the password"
sed "s|url: postgresql://nobody@127.0.0.1:1/unused|url: postgresql://u:$wrong@h/db|" \
  "$WORK/r.yaml" >"$WORK/pw.yaml"
run "$R" --config "$WORK/pw.yaml" config show
expect_out_contains "url: postgresql://u:***@h/db" "config show masks a configured url"
expect_out_lacks "$wrong" "config show never prints the configured password"
# The right password through the environment (PGPASSWORD): works.
PGPASSWORD=$RATCHET_PG_PW run "$R" --storage-url "$RATCHET_PG_PW_URL" jobs list
expect_rc 0 "the right password from PGPASSWORD"

# ---- PostgreSQL down when serve starts: exit 1 naming host and port ----------------------
run "$R" --config "$WORK/r.yaml" --data-dir "$WORK/data" \
  --storage-url "postgresql://postgres@127.0.0.1:1/ratchet_test" serve --no-api
expect_rc 1 "serve exits when the database is unreachable"
expect_err_contains "cannot connect to PostgreSQL at 127.0.0.1:1" "the message names host and port"

# ---- PostgreSQL restarted during a burn-down ------------------------------------------------
seq 1 "$N" | awk '{printf "{\"num1\": %d, \"num2\": 5}\n", $1}' >"$WORK/batch.jsonl"
run "${OPS[@]}" jobs submit --task addition --batch "$WORK/batch.jsonl"
expect_rc 0 "$N jobs queued"
RATCHET_STORAGE_URL="$RATCHET_PG_URL" "$R" --config "$WORK/r.yaml" --data-dir "$WORK/data" \
  --tasks "$RATCHET_SOURCE_DIR/sample/addition" serve --no-api 2>"$WORK/serve.err" &
host=$!
cleanup_hooks+=("kill -9 $host 2>/dev/null")
line="storage: storage-postgres at postgresql://postgres@127.0.0.1:$RATCHET_PG_PORT/ratchet_test (from RATCHET_STORAGE_URL)"
CHECKS=$((CHECKS + 1))
if wait_for 30 grep -qF "$line" "$WORK/serve.err"; then
  pass "serve logs the storage it uses and where the choice came from"; else
  fail "serve's storage line: $(grep storage: "$WORK/serve.err")"; fi
completed() { sql "SELECT count(*) FROM faults.jobs WHERE status = 'completed'"; }
started() { [ "$(completed)" -ge 50 ]; }
CHECKS=$((CHECKS + 1))
if wait_for 120 started; then pass "the burn-down started"; else fail "no burn-down"; fi
before=$(completed)
$RATCHET_PG_CTL -D "$RATCHET_PG_DATA" -m fast -w -t 60 restart >/dev/null 2>&1 ||
  fail "pg_ctl restart failed"
wait_for 60 pg_up || fail "PostgreSQL did not come back"
CHECKS=$((CHECKS + 1))
if [ "$before" -lt "$N" ]; then pass "PostgreSQL restarted during the burn-down ($before of $N done)"
else fail "the burn-down was over before the restart; raise RATCHET_FAULT_JOBS"; fi
unfinished() { [ "$(sql "SELECT count(*) FROM faults.jobs WHERE status IN ('queued',
                        'retrying', 'processing')")" -eq 0 ]; }
CHECKS=$((CHECKS + 1))
if wait_for 180 unfinished; then pass "serve finished the queue after the restart"; else
  fail "left unfinished: $(sql "SELECT status, count(*) FROM faults.jobs GROUP BY 1")"; fi
CHECKS=$((CHECKS + 1))
got=$(sql "SELECT count(*),
                  count(*) FILTER (WHERE j.status = 'completed'),
                  count(*) FILTER (WHERE (SELECT count(*) FROM faults.executions e
                                          WHERE e.job_id = j.id AND e.status = 'completed') <> 1)
           FROM faults.jobs j WHERE (j.input::json->>'num2')::int = 5")
if [ "$got" = "$N|$N|0" ]; then pass "none lost, each completed exactly once ($got)"; else
  fail "jobs|completed|not exactly once = $got"; fi
CHECKS=$((CHECKS + 1))
wrong_out=$(sql "SELECT count(*) FROM faults.jobs WHERE (input::json->>'num2')::int = 5 AND
                 (output IS NULL OR (output::json->>'sum')::int <> (input::json->>'num1')::int + 5)")
if [ "$wrong_out" = 0 ]; then pass "every output is right"; else fail "$wrong_out wrong outputs"; fi
relistening() { grep -q "listening for other hosts' changes on PostgreSQL at .* again" "$WORK/serve.err"; }
CHECKS=$((CHECKS + 1))
if grep -q "lost the listening connection to PostgreSQL" "$WORK/serve.err" &&
  wait_for 30 relistening; then
  pass "serve logged the lost LISTEN connection and its reconnection"; else
  fail "no LISTEN loss/reconnect lines: $(grep -i "listen\|connect" "$WORK/serve.err" | head -5)"; fi
lost_lines=$(grep -c "lost the listening connection to PostgreSQL" "$WORK/serve.err")
CHECKS=$((CHECKS + 1))
if [ "$lost_lines" -le 2 ]; then pass "the outage is logged once ($lost_lines line)"; else
  fail "the outage was logged $lost_lines times"; fi
CHECKS=$((CHECKS + 1))
if grep -q "^FATAL:" "$WORK/serve.err"; then
  fail "libpq printed the server's message raw: $(grep "^FATAL:" "$WORK/serve.err" | head -1)"; else
  pass "the server's shutdown notice goes through the log, not raw to stderr"; fi
kill -TERM "$host"
wait "$host" && RC=0 || RC=$?
OUT="" ERR=""
expect_rc 0 "serve exits 0 on SIGTERM after the outage"
finish
