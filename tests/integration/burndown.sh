#!/usr/bin/env bash
# Burn-down: 10,000 jobs queued in one batch, `ratchet serve` with 2 workers runs them all,
# and every job's output is the right one for its input.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
R=$RATCHET_BIN
N=10000
cat >"$WORK/r.yaml" <<YAML
engine:
  workers: 2
instances: []
YAML
OPS=("$R" --config "$WORK/r.yaml" --data-dir "$WORK/data" --tasks "$RATCHET_SOURCE_DIR/sample/addition")
seq 1 "$N" | awk '{printf "{\"num1\": %d, \"num2\": %d}\n", $1, $1 * 2}' >"$WORK/batch.jsonl"
run "${OPS[@]}" jobs submit --task addition --batch "$WORK/batch.jsonl"
expect_rc 0 "$N jobs queued in one transaction"
expect_out_contains "$N jobs queued" "batch count"

"${OPS[@]}" serve --no-api 2>"$WORK/serve.err" &
serve=$!
cleanup_hooks+=("kill -9 $serve 2>/dev/null")
completed() { "${OPS[@]}" jobs list --status completed --limit 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'; }
all_done() { [ "$(completed)" -eq "$N" ]; }
CHECKS=$((CHECKS + 1))
if wait_for 240 all_done; then pass "all $N jobs completed"; else fail "only $(completed) of $N completed"; fi

CHECKS=$((CHECKS + 1))
if python3 - "$N" <<PY
import json, subprocess, sys
n = int(sys.argv[1]); seen = 0; bad = []
ops = ["$R", "--config", "$WORK/r.yaml", "--data-dir", "$WORK/data"]
for offset in range(0, n, 1000):
    out = subprocess.run(ops + ["jobs", "list", "--limit", "1000", "--offset", str(offset), "--json"],
                         check=True, capture_output=True, text=True).stdout
    for job in json.loads(out)["items"]:
        seen += 1
        i = job["input"]
        if job["status"] != "completed" or job["output"] != {"sum": i["num1"] + i["num2"]}:
            bad.append(job["id"])
print("checked %d jobs, %d wrong" % (seen, len(bad)))
sys.exit(0 if seen == n and not bad else 1)
PY
then pass "every output matches its input"; else fail "wrong outputs"; fi
kill -TERM "$serve"
wait "$serve" && RC=0 || RC=$?
OUT="" ERR=""
expect_rc 0 "serve exits 0"
finish
