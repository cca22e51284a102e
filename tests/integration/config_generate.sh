#!/usr/bin/env bash
# `config generate` produces the documented default file, which is valid; --output refuses
# to overwrite without --force.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
run "$RATCHET_BIN" config generate
expect_rc 0 "generate"
CHECKS=$((CHECKS + 1))
if diff -u "$RATCHET_SOURCE_DIR/config/ratchet.yaml" <(printf '%s\n' "$OUT") >"$WORK/diff"; then
  pass "config/ratchet.yaml is what generate prints"
else
  fail "config/ratchet.yaml is stale; regenerate with: ./build/ratchet config generate > config/ratchet.yaml"
  cat "$WORK/diff" >&2
fi
run "$RATCHET_BIN" config generate --output "$WORK/g.yaml"
expect_rc 0 "generate --output"
run "$RATCHET_BIN" config validate "$WORK/g.yaml"
expect_rc 0 "generated file validates"
run "$RATCHET_BIN" config generate --output "$WORK/g.yaml"
expect_rc 1 "no overwrite without --force"
expect_err_contains "use --force to overwrite" "overwrite hint"
run "$RATCHET_BIN" config generate --output "$WORK/g.yaml" --force
expect_rc 0 "--force overwrites"
# The commented examples (the file logger, the front ends) become working instances once
# uncommented.
sed -e 's/^  # \(- name: \)/  \1/' -e '/^  #   /s/^  #   /    /' "$WORK/g.yaml" >"$WORK/u.yaml"
sed -i "s|^\(      \)# path: .*|\1path: $WORK/x.log|" "$WORK/u.yaml"
sed -i "s|^\(      \)# inner: .*|\1inner: file|" "$WORK/u.yaml"
run "$RATCHET_BIN" config validate "$WORK/u.yaml"
expect_rc 0 "uncommented example validates"
expect_out_contains "file: logger logger-file" "uncommented example has the file logger"
expect_out_contains "fast: logger logger-buffered" "uncommented example has the buffered logger"
expect_out_contains "http: frontend http" "uncommented example has the http listener"
expect_out_contains "mcp: frontend api-mcp" "uncommented example has the MCP front end"
finish
