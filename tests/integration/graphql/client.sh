# tests/integration/graphql/client.sh - curl helpers of the GraphQL tests (sourced after lib.sh
# and serve.sh): requests to $U/graphql and checks of their answers.

# gql KEY ACCEPT QUERY [VARIABLES] [OPERATION]: POST /graphql; sets CODE, BODY, CTYPE.
gql() {
  local key=$1 accept=$2 body
  body=$(python3 -c 'import json,sys; d={"query": sys.argv[1]}
if len(sys.argv) > 2 and sys.argv[2]: d["variables"] = json.loads(sys.argv[2])
if len(sys.argv) > 3: d["operationName"] = sys.argv[3]
print(json.dumps(d))' "${@:3}")
  CODE=$(curl -s -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' -X POST "$U/graphql" \
    -H "Authorization: Bearer $key" -H "Accept: $accept" -H 'Content-Type: application/json' \
    --data-binary "$body")
  BODY=$(cat "$WORK/body")
  CTYPE=$(grep -i '^content-type:' "$WORK/headers" | tr -d '\r' | sed 's/^[^:]*: //')
}
# jget EXPR: a value of the last body, by a Python expression on `d`.
jget() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$WORK/body" 2>&1; }
expect() { # expect CODE DESCRIPTION [TEXT-IN-BODY]
  CHECKS=$((CHECKS + 1))
  if [ "$CODE" = "$1" ] && { [ -z "${3:-}" ] || grep -qF -- "$3" <<<"$BODY"; }; then pass "$2 ($CODE)"; else
    fail "$2: expected $1${3:+ with '$3'}, got $CODE: ${BODY:0:400}"; fi
}
expect_eq() { # expect_eq GOT WANT DESCRIPTION
  CHECKS=$((CHECKS + 1))
  if [ "$1" = "$2" ]; then pass "$3"; else fail "$3: got '$1', want '$2' (body: ${BODY:0:300})"; fi
}
GQLJ='application/graphql-response+json'
JSON='application/json'
