#!/usr/bin/env bash
# Two `ratchet serve` hosts on one PostgreSQL database (storage-postgres), each with its own
# worker pool: 3,000 jobs queued by the operator command all complete, each exactly once (one
# execution per job, the right output), claimed by both hosts; a schedule firing every second
# while both hosts run queues one job per fire; after kill -9 of one host during a second
# burn-down the other finishes every job, each completed exactly once. Runs itself on a
# throwaway cluster (tests/pg_cluster.sh).
if [ -z "${RATCHET_PG_URL:-}" ]; then
  exec bash "$RATCHET_SOURCE_DIR/tests/pg_cluster.sh" bash "$0" "$@"
fi
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
R=$RATCHET_BIN
N=3000
cat >"$WORK/r.yaml" <<YAML
engine:
  workers: 2
  lease: 2s
instances:
  - name: db
    plugin: storage-postgres
    options:
      url: $RATCHET_PG_URL
      schema: hosts
YAML
OPS=("$R" --config "$WORK/r.yaml" --data-dir "$WORK/data" --tasks "$RATCHET_SOURCE_DIR/sample/addition")
sql() { psql "$RATCHET_PG_URL" -XAtq -v ON_ERROR_STOP=1 -c "$1"; }

seq 1 "$N" | awk '{printf "{\"num1\": %d, \"num2\": %d}\n", $1, $1 * 2}' >"$WORK/batch.jsonl"
run "${OPS[@]}" jobs submit --task addition --batch "$WORK/batch.jsonl"
expect_rc 0 "$N jobs queued in one transaction"

"$R" --config "$WORK/r.yaml" --data-dir "$WORK/data1" serve --no-api 2>"$WORK/serve.err" &
host1=$!
"$R" --config "$WORK/r.yaml" --data-dir "$WORK/data2" serve --no-api 2>"$WORK/serve2.err" &
host2=$!
cleanup_hooks+=("kill -9 $host1 $host2 2>/dev/null")

all_done() { [ "$(sql "SELECT count(*) FROM hosts.jobs WHERE status = 'completed'")" -eq "$N" ]; }
# The lease owners seen while the queue burns down: both hosts take part.
touch "$WORK/owners"
owners_or_done() {
  sql "SELECT DISTINCT lease_owner FROM hosts.jobs WHERE lease_owner IS NOT NULL" >>"$WORK/owners"
  [ "$(sort -u "$WORK/owners" | wc -l)" -ge 2 ] || all_done
}
CHECKS=$((CHECKS + 1))
wait_for 240 owners_or_done
if [ "$(sort -u "$WORK/owners" | wc -l)" -ge 2 ]; then pass "both hosts claimed jobs"; else
  fail "only these lease owners were seen: $(sort -u "$WORK/owners" | tr '\n' ' ')"; fi
CHECKS=$((CHECKS + 1))
if wait_for 240 all_done; then pass "all $N jobs completed on two hosts"; else
  fail "only $(sql "SELECT count(*) FROM hosts.jobs WHERE status = 'completed'") of $N completed"; fi

CHECKS=$((CHECKS + 1))
got=$(sql "SELECT count(*), count(DISTINCT job_id), count(*) FILTER (WHERE status <> 'completed')
           FROM hosts.executions")
if [ "$got" = "$N|$N|0" ]; then pass "one execution per job, none failed"; else
  fail "executions (count|jobs|not completed): $got"; fi

CHECKS=$((CHECKS + 1))
wrong=$(sql "SELECT count(*) FROM hosts.jobs WHERE (output::json->>'sum')::int <>
             (input::json->>'num1')::int + (input::json->>'num2')::int OR output IS NULL")
if [ "$wrong" = 0 ]; then pass "every output matches its input"; else fail "$wrong wrong outputs"; fi

# A schedule firing every second, with both hosts' schedulers running.
run "${OPS[@]}" schedules add --name tick --task addition --cron '* * * * * *' \
  --input-json '{"num1": 1, "num2": 1}'
expect_rc 0 "schedule added"
t0=$(date +%s)
fired() { [ "$(sql "SELECT run_count FROM hosts.schedules WHERE name = 'tick'")" -ge 4 ]; }
CHECKS=$((CHECKS + 1))
if wait_for 30 fired; then pass "the schedule fired"; else fail "the schedule did not fire 4 times"; fi
sql "UPDATE hosts.schedules SET enabled = false WHERE name = 'tick'" >/dev/null
elapsed=$(($(date +%s) - t0 + 1))
CHECKS=$((CHECKS + 1))
got=$(sql "SELECT s.run_count, (SELECT count(*) FROM hosts.jobs j WHERE j.schedule_id = s.id)
           FROM hosts.schedules s WHERE s.name = 'tick'")
runs=${got%|*} jobs=${got#*|}
if [ "$runs" = "$jobs" ] && [ "$jobs" -le $((elapsed + 1)) ]; then
  pass "one job per fire ($jobs fires in about ${elapsed}s)"; else
  fail "fires|jobs = $got in about ${elapsed}s"; fi

# kill -9 of one host during a burn-down: the other requeues its jobs once their leases
# expire (engine.lease 2s here) and finishes them; nothing is lost, nothing finished twice.
M=2000
seq 1 "$M" | awk '{printf "{\"num1\": %d, \"num2\": 7}\n", $1}' >"$WORK/batch2.jsonl"
run "${OPS[@]}" jobs submit --task addition --batch "$WORK/batch2.jsonl"
expect_rc 0 "$M more jobs queued"
running1() { [ "$(sql "SELECT count(*) FROM hosts.jobs WHERE status = 'completed' AND
                            (input::json->>'num2')::int = 7")" -ge 200 ]; }
wait_for 60 running1 || fail "the second burn-down did not start"
kill -9 "$host1"
wait "$host1" 2>/dev/null
all_done2() { [ "$(sql "SELECT count(*) FROM hosts.jobs WHERE status IN ('queued', 'retrying',
                                'processing')")" -eq 0 ]; }
CHECKS=$((CHECKS + 1))
if wait_for 120 all_done2; then pass "the surviving host finished the queue"; else
  fail "left unfinished: $(sql "SELECT status, count(*) FROM hosts.jobs GROUP BY 1")"; fi
CHECKS=$((CHECKS + 1))
got=$(sql "SELECT count(*) FILTER (WHERE j.status = 'completed'),
                  count(*) FILTER (WHERE (SELECT count(*) FROM hosts.executions e
                                          WHERE e.job_id = j.id AND e.status = 'completed') <> 1)
           FROM hosts.jobs j WHERE (j.input::json->>'num2')::int = 7")
if [ "$got" = "$M|0" ]; then pass "all $M completed, each exactly once"; else
  fail "completed|not exactly once = $got"; fi
requeued=$(sql "SELECT count(*) FROM hosts.executions WHERE error LIKE '%LeaseExpired%'")
echo "  ($requeued attempts of the killed host were requeued)"

kill -TERM "$host2"
OUT="" ERR=""
wait "$host2" && RC=0 || RC=$?
expect_rc 0 "host 2 exits 0 on SIGTERM"
CHECKS=$((CHECKS + 1))
if grep -qi "error" "$WORK/serve.err" "$WORK/serve2.err"; then
  fail "errors logged: $(grep -hi error "$WORK/serve.err" "$WORK/serve2.err" | head -3)"; else
  pass "no errors logged"; fi
finish
