#!/usr/bin/env bash
# GraphiQL at /graphiql, offline (issue 18): the bundle the build made from the npm registry
# (plugins/api-graphql/graphiql) is served by api-graphql with a strict CSP and cache headers
# (curl), and headless Chromium driven by playwright-core (npm, in .cache/npm-webui like the
# web UI's browser tests) opens it, runs a query and sees the result
# (tests/integration/graphql/graphiql_browser.mjs). Skips (77) when the build has no GraphiQL
# bundle (no node/npm at build time), or Chromium or the npm packages cannot be had.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
source "$RATCHET_SOURCE_DIR/tests/integration/graphql/serve.sh"
command -v curl >/dev/null || { echo "SKIP: curl is not installed"; exit 77; }
BUNDLE=$(dirname "$RATCHET_BIN")/plugins/api-graphql/graphiql
[ -f "$BUNDLE/index.html" ] || { echo "SKIP: no GraphiQL bundle in $BUNDLE (built with node and npm)"; exit 77; }
mkdir -p "$WORK/tasks"
cp -r "$RATCHET_SOURCE_DIR/sample/addition" "$WORK/tasks/addition"
READ=$("$RATCHET_BIN" --data-dir "$WORK/data" keys create --name reader --scope read 2>/dev/null)
graphql_serve '  - name: http
    plugin: http
    options: {listen: "127.0.0.1:0", auth: api_key}
  - name: graphql
    plugin: api-graphql'

# get PATH: GET it; sets CODE, HEAD (headers, lower-cased names) and BODY.
get() {
  CODE=$(curl -s -o "$WORK/body" -D "$WORK/head" -w '%{http_code}' "$U$1")
  HEAD=$(tr -d '\r' <"$WORK/head")
  BODY=$(cat "$WORK/body")
}
has() { # has DESCRIPTION TEXT: HEAD or BODY holds TEXT
  CHECKS=$((CHECKS + 1))
  if grep -qiF -- "$2" <<<"$HEAD$BODY"; then pass "$1"; else fail "$1: no '$2' in $CODE $HEAD ${BODY:0:300}"; fi
}
get /graphiql
has "GET /graphiql without a key: the page" "<title>Ratchet GraphiQL</title>"
has "with a CSP allowing this origin only" "Content-Security-Policy: default-src 'none'; script-src 'self'"
ASSET=$(grep -o '/graphiql/assets/index-[A-Za-z0-9_-]*\.js' <<<"$BODY" | head -1)
get "$ASSET"
has "a hashed asset ($ASSET) is served" "Content-Type: text/javascript"
has "and cached as immutable" "Cache-Control: public, max-age=31536000, immutable"
get /playground
CHECKS=$((CHECKS + 1))
if [ "$CODE" = 308 ] && grep -qi '^location: /graphiql$' <<<"$HEAD"; then pass "the original's /playground leads to /graphiql (308)"; else
  fail "/playground: $CODE $HEAD"; fi
get /graphiql/assets/nope.js
CHECKS=$((CHECKS + 1))
if [ "$CODE" = 404 ] && grep -qF 'no such GraphiQL file' <<<"$BODY"; then pass "an unknown asset is a 404 with a message"; else
  fail "unknown asset: $CODE $BODY"; fi

CHROMIUM=${RATCHET_CHROMIUM:-/usr/bin/chromium}
CACHE=${RATCHET_WEBUI_NPM_CACHE:-$RATCHET_SOURCE_DIR/.cache/npm-webui}
if [ ! -x "$CHROMIUM" ] || ! command -v node >/dev/null; then
  echo "SKIP: the browser check needs Chromium at $CHROMIUM and node"
  finish
fi
if [ "$(node -p "require('$CACHE/node_modules/playwright-core/package.json').version" 2>/dev/null)" != 1.65.2 ] &&
   ! npm install --prefix "$CACHE" --no-audit --no-fund playwright-core@1.65.2 >"$WORK/npm.log" 2>&1; then
  echo "SKIP: cannot install playwright-core from the npm registry"; tail -5 "$WORK/npm.log"
  finish
fi
run timeout 120 node "$RATCHET_SOURCE_DIR/tests/integration/graphql/graphiql_browser.mjs" "$U" "$READ" \
  "$CHROMIUM" "$CACHE"
echo "$OUT"
CHECKS=$((CHECKS + 1))
if [ "$RC" -eq 0 ]; then pass "Chromium runs a query in GraphiQL and sees the result"; else
  fail "graphiql_browser.mjs (exit $RC): $(grep FAIL <<<"$OUT") ${ERR:0:600}"; fi
finish
