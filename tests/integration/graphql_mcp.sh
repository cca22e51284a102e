#!/usr/bin/env bash
# The original's MCP-backed mutations on the real server (`ratchet serve`: http, api-rest, api-graphql
# and engine.writable_tasks): mcpCreateTask and mcpEditTask write a task through the engine's
# task_write with the checks of the MCP tools (a bad name, a compile error with its line and
# column, a failing test case, an unknown task: each a GraphQL error saying so, nothing
# stored), the written task runs, an edit stores a new version, mcpTestTask runs its tests;
# createTask's `enabled` is applied and its errors carry the same problems; a read key cannot
# call them.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
source "$RATCHET_SOURCE_DIR/tests/integration/graphql/serve.sh"
source "$RATCHET_SOURCE_DIR/tests/integration/graphql/client.sh"
command -v curl >/dev/null || { echo "SKIP: curl is not installed"; exit 77; }
mkdir -p "$WORK/tasks" "$WORK/authored"
cp -r "$RATCHET_SOURCE_DIR/sample/addition" "$WORK/tasks/addition"
READ=$("$RATCHET_BIN" --data-dir "$WORK/data" keys create --name reader --scope read 2>/dev/null)
WRITE=$("$RATCHET_BIN" --data-dir "$WORK/data" keys create --name writer --scope write 2>/dev/null)
GRAPHQL_ENGINE_EXTRA="  writable_tasks: $WORK/authored
" graphql_serve '  - name: http
    plugin: http
    options: {listen: "127.0.0.1:0", auth: api_key}
  - name: api
    plugin: api-rest
  - name: graphql
    plugin: api-graphql'

SCHEMAS='"inputSchema": {"type": "object", "properties": {"a": {"type": "number"}, "b": {"type": "number"}}, "required": ["a", "b"]}, "outputSchema": {"type": "object", "properties": {"product": {"type": "number"}}, "required": ["product"]}'
MAIN='function main(input) {\n  return {product: input.a * input.b};\n}\n'
TESTS='"testCases": [{"name": "two-three", "input": {"a": 2, "b": 3}, "expectedOutput": {"product": 6}, "description": "2 x 3"}, {"name": "not-a-number", "input": {"a": "x", "b": 1}, "shouldFail": true}]'
CREATE='mutation ($in: McpCreateTaskInput!) { mcpCreateTask(input: $in) }'
EDIT='mutation ($in: McpEditTaskInput!) { mcpEditTask(input: $in) }'

# ---- mcpCreateTask ----------------------------------------------------------------------------
gql "$READ" "$GQLJ" "$CREATE" "{\"in\": {\"name\": \"mul\", \"description\": \"d\", \"code\": \"$MAIN\", $SCHEMAS}}"
expect 403 "a read key cannot create a task" "Mutations need an API key with the write scope."
gql "$WRITE" "$GQLJ" "$CREATE" "{\"in\": {\"name\": \"../x\", \"description\": \"d\", \"code\": \"$MAIN\", $SCHEMAS}}"
expect 200 "mcpCreateTask: a bad task name is refused" \
  'nothing was written at /name: the task name is required and must match [A-Za-z0-9_-]{1,100}'
expect_eq "$(jget 'd["errors"][0]["extensions"]["code"], d["errors"][0]["path"], d["data"]')" \
  "VALIDATION_ERROR ['mcpCreateTask'] None" "as a VALIDATION_ERROR at the field, data null"
gql "$WRITE" "$GQLJ" "$CREATE" "{\"in\": {\"name\": \"syn\", \"description\": \"d\", \"code\": \"function main(input) {\\n  var x = ;\\n  return x;\\n}\\n\", $SCHEMAS}}"
expect 200 "mcpCreateTask: invalid code is refused with the compile error" \
  'at /code: syn/main.js: compile error: main.js:2:11: Unexpected token'
gql "$WRITE" "$GQLJ" "$CREATE" "{\"in\": {\"name\": \"mul\", \"description\": \"d\", \"code\": \"$MAIN\", $SCHEMAS, \"testCases\": [{\"name\": \"wrong\", \"input\": {\"a\": 2, \"b\": 3}, \"expectedOutput\": {\"product\": 7}}]}}"
expect 200 "mcpCreateTask: a failing test case is refused with its difference" \
  '1 test of task mul failed; nothing was stored at /tests/0: test wrong failed: /product: expected 7, got 6'
CHECKS=$((CHECKS + 1))
if [ -z "$(ls -A "$WORK/authored")" ]; then pass "nothing was left in the writable folder"
else fail "the writable folder holds: $(ls -A "$WORK/authored")"; fi

gql "$WRITE" "$GQLJ" "$CREATE" "{\"in\": {\"name\": \"mul\", \"description\": \"multiply\", \"code\": \"$MAIN\", $SCHEMAS, $TESTS, \"tags\": [\"math\"]}}"
expect 200 "mcpCreateTask writes a valid task" '"status":"success"'
expect_eq "$(jget '(lambda r: (r["task_name"], r["version"], r["enabled"], r["test_cases_count"], r["tests"]["passed"], r["task"]["tags"]))(d["data"]["mcpCreateTask"])')" \
  "('mul', '1.0.0', True, 2, 2, ['math'])" "the original's answer: name, version 1.0.0, enabled, its two tests passed"
expect_eq "$(jget 'd["data"]["mcpCreateTask"]["path"]')" "$WORK/authored/mul" "written into engine.writable_tasks"
gql "$WRITE" "$GQLJ" 'mutation { executeTaskSync(input: {taskId: "mul", inputData: {a: 4, b: 5}}) { status output } }'
expect 200 "the new task runs" '"output":{"product":20}'
gql "$WRITE" "$GQLJ" "$CREATE" "{\"in\": {\"name\": \"mul\", \"description\": \"d\", \"code\": \"$MAIN\", $SCHEMAS}}"
expect 200 "creating it again is a conflict" 'task mul already exists (version 1.0.0); edit it instead'
expect_eq "$(jget 'd["errors"][0]["extensions"]["code"]')" "CONFLICT" "with the code CONFLICT"

# ---- mcpEditTask ------------------------------------------------------------------------------
gql "$WRITE" "$GQLJ" "$EDIT" '{"in": {"name": "mul", "code": "function main(input) {\n  return {product: input.b * input.a};\n}\n", "enabled": false}}'
expect 200 "mcpEditTask stores a new version" '"status":"success"'
expect_eq "$(jget '(lambda r: (r["version"], r["enabled"], r["tests"]["total"], r["task"]["availableVersions"]))(d["data"]["mcpEditTask"])')" \
  "('1.0.1', False, 2, ['1.0.0', '1.0.1'])" "bumped to 1.0.1, its enabled applied, the folder's tests run again"
gql "$WRITE" "$GQLJ" "$EDIT" '{"in": {"name": "nope", "code": "function main() { return {}; }"}}'
expect 200 "mcpEditTask: an unknown task is an error" '"code":"NOT_FOUND"'
gql "$WRITE" "$GQLJ" "$EDIT" '{"in": {"name": "mul", "version": "1.0.2", "code": "function main(input) { return {product: ; }"}}'
expect 200 "mcpEditTask: invalid code is refused with the compile error" \
  'at /code: mul/main.js: compile error: main.js:1:'
gql "$WRITE" "$GQLJ" "$EDIT" '{"in": {"name": "../mul"}}'
expect 200 "mcpEditTask: a bad task name is refused" \
  'nothing was written at /name: the task name is required and must match [A-Za-z0-9_-]{1,100}'

# ---- mcpTestTask ------------------------------------------------------------------------------
gql "$WRITE" "$GQLJ" 'mutation { mcpTestTask(taskName: "mul") { total passed failed skipped testResults } }'
expect 200 "mcpTestTask runs the task's tests" '"total":2,"passed":2,"failed":0,"skipped":0'
expect_eq "$(jget 'sorted((t["name"], t["status"]) for t in d["data"]["mcpTestTask"]["testResults"])')" \
  "[('not-a-number', 'passed'), ('two-three', 'passed')]" "each test's result"
printf '{"input":{"a":1,"b":1},"expected_output":{"product":3}}\n' >"$WORK/authored/mul/tests/off.json"
gql "$WRITE" "$GQLJ" 'mutation { mcpTestTask(taskName: "mul") { total failed testResults } }'
expect 200 "a failing test is counted, not an error" '"total":3,"failed":1'
expect_eq "$(jget '[t["error"] for t in d["data"]["mcpTestTask"]["testResults"] if t["status"] == "failed"]')" \
  "['/product: expected 3, got 1']" "with its difference"
gql "$WRITE" "$GQLJ" 'mutation { mcpTestTask(taskName: "nope") { total } }'
expect 200 "mcpTestTask: an unknown task is an error" '"code":"NOT_FOUND"'

# ---- createTask: enabled applied, the problems in the message ---------------------------------
gql "$WRITE" "$GQLJ" "mutation (\$c: String!) { createTask(input: {name: \"off\", code: \$c, enabled: false}) { task { name enabled } tests { total } } }" \
  '{"c": "function main(input) { return {}; }"}'
expect 200 "createTask with enabled: false" '"task":{"name":"off","enabled":false}'
gql "$WRITE" "$GQLJ" 'mutation { createTask(input: {name: "bad", code: "function main( {"}) { task { name } } }'
expect 200 "createTask: invalid code is refused with the compile error" 'at /code: bad/main.js: compile error: main.js:1:'
finish
