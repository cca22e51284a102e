#!/usr/bin/env bash
# `ratchet schema check`: exit 0 valid, 1 invalid (one line per error on stdout), 2 for an
# unusable schema, an unreadable or malformed file, or a usage error; each with its message.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
cd "$WORK"

cat >order.schema.json <<'EOF'
{
  "type": "object",
  "required": ["items"],
  "properties": {
    "items": {
      "type": "array",
      "items": {"$ref": "defs/item.schema.json"}
    }
  }
}
EOF
mkdir defs
cat >defs/item.schema.json <<'EOF'
{
  "type": "object",
  "required": ["price"],
  "properties": {
    "price": {"type": "number", "minimum": 5},
    "sku": {"type": "string", "pattern": "^[A-Z]{3}-\\d+$"},
    "name": {"type": "string", "maxLength": 3}
  },
  "additionalProperties": false
}
EOF
echo '{"items": [{"price": 5, "sku": "ABC-1"}, {"price": 9}]}' >good.json
cat >bad.json <<'EOF'
{"items": [{"price": 6}, {"price": 7, "sku": "abc"}, {"price": 3, "colour": "red"},
           {"name": "\u00e9t\u00e9s"}]}
EOF

run "$RATCHET_BIN" schema check order.schema.json good.json
expect_rc 0 "valid instance"
expect_out_contains "valid" "valid instance prints valid"

run "$RATCHET_BIN" schema check order.schema.json bad.json
expect_rc 1 "invalid instance"
expect_out_contains '/items/1/sku: pattern: "abc" does not match the pattern "^[A-Z]{3}-\\d+$"' \
  "pattern error with pointer (relative \$ref to another file)"
expect_out_contains "/items/2/price: minimum: 3 is less than the minimum of 5" "minimum error"
expect_out_contains '/items/2: additionalProperties: property "colour" is not allowed' \
  "additionalProperties error"
expect_out_contains '/items/3: required: required property "price" is missing' "required error"
expect_out_contains '/items/3/name: maxLength: "étés" is longer than 3 characters' \
  "maxLength counts code points"
CHECKS=$((CHECKS + 1))
if [ "$(wc -l <<<"$OUT")" -eq 5 ]; then pass "one line per error"; else
  fail "expected 5 error lines, got: $OUT"; fi

echo '"x"' >x.json
run "$RATCHET_BIN" schema check order.schema.json x.json
expect_rc 1 "wrong type at the root"
expect_out_contains '(root): type: "x" is not of type object' "root shown as (root)"

run bash -c "echo '{\"items\": []}' | '$RATCHET_BIN' schema check order.schema.json -"
expect_rc 0 "instance from stdin"

# Unusable schemas: exit 2, the schema file and a pointer into it.
echo '{"type": 12}' >type12.json
run "$RATCHET_BIN" schema check type12.json good.json
expect_rc 2 "type 12"
expect_err_contains "type12.json: unusable schema: /type: type must be one of array, boolean" \
  "type 12 message"
echo '{"properties": {"a": {"minimum": "x"}}}' >minx.json
run "$RATCHET_BIN" schema check minx.json good.json
expect_rc 2 "minimum x"
expect_err_contains '/properties/a/minimum: minimum must be a number, got "x"' "minimum x message"
echo '{"properties": {"a": {"$ref": "#/definitions/missing"}}}' >ref.json
run "$RATCHET_BIN" schema check ref.json good.json
expect_rc 2 "unresolvable \$ref"
expect_err_contains '/properties/a/$ref: cannot resolve "#/definitions/missing"' "\$ref message"
echo '{"$ref": "https://example.com/remote.json"}' >remote.json
run "$RATCHET_BIN" schema check remote.json good.json
expect_rc 2 "remote \$ref is not fetched"
expect_err_contains "only file: references are loaded (no network access)" "no network message"
echo '{"$ref": "nowhere.json"}' >nofile.json
run "$RATCHET_BIN" schema check nofile.json good.json
expect_rc 2 "missing referenced file"
expect_err_contains "nowhere.json: cannot open: No such file or directory" "missing file message"
echo '{"pattern": "(ab"}' >regex.json
run "$RATCHET_BIN" schema check regex.json good.json
expect_rc 2 "bad regex"
expect_err_contains '/pattern: pattern "(ab" is not a valid regular expression' "bad regex message"
# Issue 15: a quantifier with more than 6 digits used to hang the pattern translator. It is
# refused at once with the bound in the message, in a schema and in data checked as "regex".
echo '{"pattern": "a{1234567}"}' >bigrepeat.json
run timeout 10 "$RATCHET_BIN" schema check bigrepeat.json good.json
expect_rc 2 "a quantifier beyond the bound is refused, not run"
expect_err_contains '/pattern: pattern "a{1234567}" uses what this validator does not support' \
  "big quantifier names the pattern"
expect_err_contains 'repetition counts above 1000 are not supported' "big quantifier bound"
echo '{"format": "regex"}' >isregex.json
echo '"{1234567"' >brace.json
run timeout 10 "$RATCHET_BIN" schema check isregex.json brace.json
expect_rc 0 "an unclosed brace with many digits is a literal, checked at once"
echo '"a{1234567}"' >bigrepeat-data.json
run timeout 10 "$RATCHET_BIN" schema check isregex.json bigrepeat-data.json
expect_rc 0 "a big quantifier in data checked as regex (valid ECMA-262) is answered at once"
echo '{"definitions": {"a": {"$ref": "#/definitions/b"}, "b": {"$ref": "#/definitions/a"}}}' \
  >loop.json
run timeout 10 "$RATCHET_BIN" schema check loop.json good.json
expect_rc 2 "\$ref loop is refused, not run"
expect_err_contains '$ref loop without progress' "loop message"

# Malformed or unreadable files: exit 2, the file and json-c's error with its position.
printf '{"items": [\n  {"price": 1,,}\n]}\n' >malformed.json
run "$RATCHET_BIN" schema check order.schema.json malformed.json
expect_rc 2 "malformed instance"
expect_err_contains "malformed.json:2:15: invalid JSON: quoted object property name expected" \
  "malformed message"
printf '{"type": "object"} trailing' >trailing.json
run "$RATCHET_BIN" schema check trailing.json good.json
expect_rc 2 "trailing text in the schema"
expect_err_contains "trailing.json:1:20: invalid JSON: unexpected text after the JSON value" \
  "trailing text message"
printf '{"minimum": NaN}' >nan.json
run "$RATCHET_BIN" schema check nan.json good.json
expect_rc 2 "NaN in the schema (json-c alone would accept it)"
expect_err_contains "nan.json:1:13: invalid JSON: unexpected word (JSON allows only true, false" \
  "NaN message"
: >empty.json
run "$RATCHET_BIN" schema check order.schema.json empty.json
expect_rc 2 "empty file"
expect_err_contains "empty.json:1:1: invalid JSON:" "empty file message"
run "$RATCHET_BIN" schema check order.schema.json missing.json
expect_rc 2 "missing file"
expect_err_contains "missing.json: cannot open: No such file or directory" "missing file named"

# Usage errors: exit 2.
run "$RATCHET_BIN" schema
expect_rc 2 "no subcommand"
expect_err_contains "missing subcommand (check)" "no subcommand message"
run "$RATCHET_BIN" schema frob a b
expect_rc 2 "unknown subcommand"
expect_err_contains "unknown subcommand 'frob'" "unknown subcommand message"
run "$RATCHET_BIN" schema check order.schema.json
expect_rc 2 "one file only"
expect_err_contains "usage: ratchet schema check SCHEMA.json INSTANCE.json" "usage message"
run "$RATCHET_BIN" schema check --strict order.schema.json good.json
expect_rc 2 "unknown flag"
expect_err_contains "unexpected argument '--strict'" "unknown flag message"
run "$RATCHET_BIN" schema --help
expect_rc 0 "schema --help"
expect_out_contains "Usage: ratchet schema check SCHEMA.json INSTANCE.json" "help text"
run "$RATCHET_BIN" --help
expect_out_contains "  schema" "--help lists schema"
finish
