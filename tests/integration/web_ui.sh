#!/usr/bin/env bash
# The web-ui plugin as a browser meets it: the real `ratchet serve` (http + api-rest + web-ui on
# an ephemeral loopback port) and curl, over an assets folder made here (hashed asset names, a
# gzip variant, a symlink pointing out of the folder). Checks the redirects, the SPA fallback,
# caching headers (immutable assets, index.html revalidated), Content-Type, ETag and 304, the
# Content-Security-Policy, path traversal in its plain, encoded and symlinked forms, that REST
# gives GET / to the UI (and keeps it with redirect_root: false), and the startup error for a
# missing assets folder.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
command -v curl >/dev/null || { echo "SKIP: curl is not installed"; exit 77; }
R=$RATCHET_BIN
D=$WORK/dist
mkdir -p "$D/assets" "$D/deep" "$WORK/tasks" "$WORK/outside"
printf '<!doctype html><title>Ratchet</title><script type="module" src="/ui/assets/index-AbC123.js"></script>\n' >"$D/index.html"
printf 'console.log("ratchet ui");\n' >"$D/assets/index-AbC123.js"
printf 'body{color:#222}\n' >"$D/assets/index-Zz9.css"
printf '<svg xmlns="http://www.w3.org/2000/svg"/>\n' >"$D/favicon.svg"
printf 'hidden\n' >"$D/.env"
head -c 20000 /dev/zero | tr '\0' 'a' >"$D/assets/big-Q1.js"
gzip -k -9 "$D/assets/big-Q1.js"
printf 'TOP SECRET\n' >"$WORK/outside/secret.txt"
ln -s "$WORK/outside/secret.txt" "$D/assets/leak-1.txt"
ln -s "$WORK/outside" "$D/deep/out"
cp -r "$RATCHET_SOURCE_DIR/sample/addition" "$WORK/tasks/addition"

# serve_with NAME UI_OPTIONS: a server whose log is $WORK/NAME.err; sets BASE and SERVE.
serve_with() {
  cat >"$WORK/$1.yaml" <<YAML
engine: {workers: 1}
instances:
  - {name: console, plugin: logger-console}
  - {name: http, plugin: http, options: {listen: "127.0.0.1:0"}}
  - {name: api, plugin: api-rest}
  - {name: ui, plugin: web-ui, options: $2}
YAML
  "$R" --config "$WORK/$1.yaml" --data-dir "$WORK/data-$1" --tasks "$WORK/tasks" serve \
    2>"$WORK/$1.err" &
  SERVE=$!
  cleanup_hooks+=("kill -9 $SERVE 2>/dev/null")
  wait_for 20 grep -q 'listening on http://127.0.0.1:' "$WORK/$1.err" ||
    { fail "$1: no listener"; cat "$WORK/$1.err" >&2; finish; }
  BASE=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$WORK/$1.err" | head -1 | sed 's/listening on //')
}

# get PATH [curl args...]: CODE, BODY, headers in $WORK/headers (the path is sent as written).
get() {
  local p=$1; shift
  rm -f "$WORK/body" # curl writes no file for an empty body (a 304)
  CODE=$(curl -s --path-as-is -D "$WORK/headers" -o "$WORK/body" -w '%{http_code}' "$@" "$BASE$p")
  BODY=$(tr -d '\0' <"$WORK/body" 2>/dev/null)
}
header() { grep -i "^$1:" "$WORK/headers" | head -1 | sed 's/^[^:]*: *//; s/\r$//'; }
expect() { # expect CODE DESCRIPTION [TEXT-IN-BODY]
  CHECKS=$((CHECKS + 1))
  if [ "$CODE" = "$1" ] && { [ -z "${3:-}" ] || grep -qF -- "$3" <<<"$BODY"; }; then pass "$2 ($CODE)"; else
    fail "$2: expected $1${3:+ with '$3'}, got $CODE: ${BODY:0:300}"; fi
}
expect_header() { # expect_header NAME VALUE DESCRIPTION
  CHECKS=$((CHECKS + 1))
  local got; got=$(header "$1")
  if [ "$got" = "$2" ]; then pass "$3"; else fail "$3: $1 is '$got', wanted '$2'"; fi
}
CSP="default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"

serve_with main "{assets_dir: $D}"
grep -q "web UI at /ui/" "$WORK/main.err" && pass "serve logs where the UI is" || fail "no 'web UI at /ui/' line"
CHECKS=$((CHECKS + 1))

# ---- redirects and the page -----------------------------------------------------------------
get /
expect 302 "GET / redirects"
expect_header Location /ui/ "... to /ui/"
get /ui
expect 301 "GET /ui redirects"
expect_header Location /ui/ "... to /ui/"
get /ui/
expect 200 "GET /ui/ is the page" '<title>Ratchet</title>'
expect_header Content-Type "text/html; charset=utf-8" "index.html is HTML"
expect_header Cache-Control "no-cache" "index.html is revalidated, not cached"
expect_header Content-Security-Policy "$CSP" "the page carries the strict CSP"
expect_header X-Frame-Options "DENY" "the page cannot be framed"
ETAG=$(header ETag)
CHECKS=$((CHECKS + 1))
[[ $ETAG =~ ^\"[0-9a-f]+-[0-9a-f]+\"$ ]] && pass "index.html has an ETag ($ETAG)" || fail "ETag: '$ETAG'"
CHECKS=$((CHECKS + 1))
[ -n "$(header Last-Modified)" ] && pass "index.html has Last-Modified" || fail "no Last-Modified"
get /ui/ -H "If-None-Match: $ETAG"
expect 304 "a matching If-None-Match is a 304"
CHECKS=$((CHECKS + 1))
[ -z "$BODY" ] && pass "the 304 has no body" || fail "304 body: $BODY"
get /ui/ -H 'If-None-Match: "other"'
expect 200 "another ETag gets the page"
get /ui/ -I
expect 200 "HEAD /ui/"

# ---- the SPA fallback ------------------------------------------------------------------------
get /ui/jobs/42
expect 200 "a client route answers index.html" '<title>Ratchet</title>'
expect_header Cache-Control "no-cache" "... not cached"
get /ui/deep/
expect 200 "a folder answers index.html" '<title>Ratchet</title>'
get /ui/assets/missing-123.js
expect 404 "a missing asset is a 404, not HTML" "no such file in the web UI: 'assets/missing-123.js'"

# ---- assets ------------------------------------------------------------------------------------
get /ui/assets/index-AbC123.js
expect 200 "a hashed script" 'ratchet ui'
expect_header Content-Type "text/javascript; charset=utf-8" "JavaScript's type"
expect_header Cache-Control "public, max-age=31536000, immutable" "hashed assets are immutable"
expect_header Content-Security-Policy "$CSP" "assets carry the CSP too"
get /ui/assets/index-Zz9.css
expect_header Content-Type "text/css; charset=utf-8" "CSS's type"
get /ui/favicon.svg
expect 200 "a file at the top"
expect_header Content-Type "image/svg+xml" "SVG's type"
expect_header Cache-Control "no-cache" "an unhashed file is revalidated"
get /ui/assets/big-Q1.js -H 'Accept-Encoding: gzip'
expect 200 "the gzip variant"
expect_header Content-Encoding gzip "... is sent compressed to a client that takes gzip"
expect_header Vary Accept-Encoding "... with Vary"
CHECKS=$((CHECKS + 1))
[ "$(gzip -dc "$WORK/body" | wc -c)" = 20000 ] && pass "... and decompresses to the file" ||
  fail "gzip body does not decompress to 20000 bytes"
get /ui/assets/big-Q1.js
CHECKS=$((CHECKS + 1))
[ -z "$(header Content-Encoding)" ] && [ "${#BODY}" = 20000 ] && pass "a client without gzip gets the file" ||
  fail "plain variant: encoding '$(header Content-Encoding)', ${#BODY} bytes"

# ---- what must not be served -------------------------------------------------------------------
for p in "/ui/../../etc/passwd" "/ui/assets/../../../etc/passwd" "/ui/%2e%2e/%2e%2e/etc/passwd" \
  "/ui/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd" "/ui/assets/..%2f..%2f..%2fetc%2fpasswd" "/ui/.env" \
  "/ui/assets/leak-1.txt" "/ui/deep/out/secret.txt" "/ui/..%5c..%5cetc%5cpasswd"; do
  get "$p"
  CHECKS=$((CHECKS + 1))
  if grep -qE 'root:|TOP SECRET|^hidden' <<<"$BODY"; then fail "$p leaked a file: ${BODY:0:100}"
  elif [ "$CODE" = 200 ] && ! grep -qF '<title>Ratchet</title>' <<<"$BODY"; then fail "$p: 200 with $BODY"
  else pass "$p is refused ($CODE)"; fi
done
get "/ui/%2e%2e/%2e%2e/etc/passwd"
expect 404 "an encoded dot segment is a 404 saying why" "dot segments and hidden files are refused"
get "/ui/assets/leak-1.txt"
expect 404 "a symlink out of the folder is a 404 saying why" "resolves outside the assets folder"
get /ui/.env
expect 404 "a hidden file is a 404" "dot segments and hidden files are refused"

# ---- REST beside the UI ------------------------------------------------------------------------
get /api/v1/tasks/addition
expect 200 "REST still answers beside the UI" '"name":"addition"'
get /health
expect 200 "probes still answer"
get /api/v1/auth/whoami
expect 200 "whoami on an auth: none listener needs no key" '"authRequired":false'
CHECKS=$((CHECKS + 1))
grep -qF '"scope":"admin"' <<<"$BODY" && grep -qF '"name":null' <<<"$BODY" &&
  pass "... and answers admin, no name" || fail "whoami: $BODY"
# stop_serve NAME: SIGTERM; serve must exit 0 with nothing from the sanitizers on its stderr.
stop_serve() {
  kill -TERM "$SERVE"; wait "$SERVE"; RC=$?
  OUT="" ERR=$(grep -E 'Sanitizer|runtime error' "$WORK/$1.err")
  expect_rc 0 "$1: serve stops cleanly"
  CHECKS=$((CHECKS + 1))
  [ -z "$ERR" ] && pass "$1: no sanitizer report" || fail "$1: $ERR"
}
stop_serve main

# redirect_root: false leaves GET / to REST's service document.
serve_with keep "{assets_dir: $D, redirect_root: false}"
get /
expect 200 "with redirect_root false, GET / is REST's" '"service":"ratchet"'
get /ui/
expect 200 "... and the UI is still at /ui/" '<title>Ratchet</title>'
stop_serve keep

# ---- a missing assets folder stops serve with the path and how to build it --------------------
cat >"$WORK/missing.yaml" <<YAML
instances:
  - {name: http, plugin: http, options: {listen: "127.0.0.1:0"}}
  - {name: ui, plugin: web-ui, options: {assets_dir: $WORK/nope}}
YAML
run timeout 30 "$R" --config "$WORK/missing.yaml" --data-dir "$WORK/data-missing" --tasks "$WORK/tasks" serve
expect_rc 1 "serve with a missing assets folder fails"
expect_err_contains "the web UI's assets folder '$WORK/nope' does not exist" "the error names the folder"
expect_err_contains "cmake -DRATCHET_WEB_UI=ON" "... and says how to build the UI"
mkdir -p "$WORK/empty"
sed -i "s|$WORK/nope|$WORK/empty|" "$WORK/missing.yaml"
run timeout 30 "$R" --config "$WORK/missing.yaml" --data-dir "$WORK/data-missing" --tasks "$WORK/tasks" serve
expect_rc 1 "serve with an assets folder without index.html fails"
expect_err_contains "the web UI's assets folder '$WORK/empty' has no index.html" "... naming what is missing"

# The build's own UI: a binary in the build tree finds plugins/web-ui/dist by itself.
if [ -f "$RATCHET_BUILD_DIR/plugins/web-ui/dist/index.html" ]; then
  serve_with built "{}"
  get /ui/
  expect 200 "the built UI is served without assets_dir" '<div id="app"'
  ASSET=$(grep -o '/ui/assets/[^"]*\.js' "$WORK/body" | head -1)
  get "$ASSET"
  expect 200 "its script $ASSET"
  expect_header Cache-Control "public, max-age=31536000, immutable" "... is immutable"
  stop_serve built
  # With no front ends configured, serve adds the UI beside REST by itself (the README's
  # first command).
  printf 'instances:\n  - {name: console, plugin: logger-console}\n' >"$WORK/defaults.yaml"
  "$R" --config "$WORK/defaults.yaml" --data-dir "$WORK/data-defaults" --tasks "$WORK/tasks" \
    serve --listen 127.0.0.1:0 2>"$WORK/defaults.err" &
  SERVE=$!
  cleanup_hooks+=("kill -9 $SERVE 2>/dev/null")
  if wait_for 20 grep -q 'listening on http://127.0.0.1:' "$WORK/defaults.err"; then
    BASE=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$WORK/defaults.err" | head -1 | sed 's/listening on //')
    get /
    expect 302 "serve's default front ends redirect / to the UI"
    get /ui/
    expect 200 "... and serve it" '<div id="app"'
    get /api/v1/tasks/addition
    expect 200 "... beside REST" '"name":"addition"'
  else
    fail "defaults: no listener"; cat "$WORK/defaults.err" >&2
  fi
  stop_serve defaults
  # Installed: the binary finds share/ratchet/web-ui of its prefix.
  run cmake --install "$RATCHET_BUILD_DIR" --prefix "$WORK/prefix"
  expect_rc 0 "cmake --install"
  CHECKS=$((CHECKS + 1))
  [ -f "$WORK/prefix/share/ratchet/web-ui/index.html" ] && pass "the UI is installed into share/ratchet/web-ui" ||
    fail "no share/ratchet/web-ui/index.html in the prefix"
  R=$WORK/prefix/bin/ratchet
  serve_with installed "{}"
  get /ui/
  expect 200 "the installed binary serves the installed UI" '<div id="app"'
  grep -q "assets: $WORK/prefix/share/ratchet/web-ui" "$WORK/installed.err" &&
    pass "... from the prefix" || fail "installed UI from: $(grep -o 'assets: .*' "$WORK/installed.err")"
  CHECKS=$((CHECKS + 1))
  stop_serve installed
fi
finish
