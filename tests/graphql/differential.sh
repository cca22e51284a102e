#!/usr/bin/env bash
# Our GraphQL library against graphql-js 16 (from the npm registry, into .cache/npm-graphql):
# validation errors and introspection must match (differential.mjs). Skips (77) without Node
# or the package. Environment: GQL_CLI (the gql_cli binary), RATCHET_SOURCE_DIR.
set -euo pipefail
CACHE=${RATCHET_NPM_CACHE:-$RATCHET_SOURCE_DIR/.cache/npm-graphql}
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "SKIP: node and npm are needed for graphql-js (apt-get install nodejs npm)"
  exit 77
fi
if [ ! -d "$CACHE/node_modules/graphql" ] &&
   ! npm install --prefix "$CACHE" --no-audit --no-fund graphql@16 >"$CACHE.log" 2>&1; then
  echo "SKIP: cannot install graphql@16 from the npm registry:"
  tail -5 "$CACHE.log"
  exit 77
fi
# ESM resolves packages from the script's own folder: run a copy placed beside node_modules.
cp "$RATCHET_SOURCE_DIR/tests/graphql/differential.mjs" "$CACHE/differential.mjs"
exec node "$CACHE/differential.mjs" "$GQL_CLI" "$RATCHET_SOURCE_DIR"
