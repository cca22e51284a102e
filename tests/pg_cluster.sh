#!/usr/bin/env bash
# tests/pg_cluster.sh CMD [ARG...] - run CMD against a throwaway PostgreSQL cluster.
#
# initdb under a fresh temporary folder (as the `postgres` user when run as root: initdb
# refuses root), a server on a free port on 127.0.0.1 only, stopped and removed at exit
# whatever happens (trap). CMD sees:
#   RATCHET_PG_URL     postgresql://postgres@127.0.0.1:PORT/ratchet_test  (trust, no password)
#   RATCHET_PG_PW_URL  the same database as the role ratchet_pw, which needs a password
#                      (scram-sha-256); its password is in RATCHET_PG_PW (for wrong-password
#                      tests)
#   RATCHET_PG_PORT, RATCHET_PG_DATA, RATCHET_PG_CTL (pg_ctl with the user switch in front)
# Exits with CMD's status; 1 with a message when PostgreSQL cannot be started (never skips).
# RATCHET_PG_OPTIONS adds server options ("-c shared_preload_libraries=pg_stat_statements").
set -euo pipefail

bindir=""
if command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ]; then
  bindir=$(pg_config --bindir)
else
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "pg_cluster.sh: PostgreSQL server binaries not found (install postgresql: .ci/install-deps.sh --test)" >&2
  exit 1
fi

as=()
dir=$(mktemp -d "${TMPDIR:-/tmp}/ratchet-pg.XXXXXX")
if [ "$(id -u)" -eq 0 ]; then
  chown postgres:postgres "$dir"
  chmod 700 "$dir"
  as=(runuser -u postgres --)
  # The postgres user must reach the folder (a TMPDIR under /root would not do).
  if ! "${as[@]}" test -w "$dir"; then
    rm -rf "$dir"
    dir=$(mktemp -d /tmp/ratchet-pg.XXXXXX)
    chown postgres:postgres "$dir"
    chmod 700 "$dir"
  fi
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

cleanup() {
  "${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM

"${as[@]}" "$bindir/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 1; }
# First match wins: the password role must authenticate, everyone else is trusted.
{
  echo "host all ratchet_pw 127.0.0.1/32 scram-sha-256"
  cat "$dir/data/pg_hba.conf"
} >"$dir/hba.tmp"
if [ ${#as[@]} -gt 0 ]; then chown postgres:postgres "$dir/hba.tmp"; fi
mv "$dir/hba.tmp" "$dir/data/pg_hba.conf"

"${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200 ${RATCHET_PG_OPTIONS:-}" start >/dev/null ||
  { cat "$dir/server.log" >&2; exit 1; }

psql_cmd() { "$bindir/psql" "postgresql://postgres@127.0.0.1:$port/$1" -XAtq -v ON_ERROR_STOP=1 -c "$2"; }
psql_cmd postgres "CREATE DATABASE ratchet_test"
pw="right-$RANDOM$RANDOM"
psql_cmd ratchet_test "CREATE ROLE ratchet_pw LOGIN PASSWORD '$pw'"
psql_cmd ratchet_test "GRANT CREATE ON DATABASE ratchet_test TO ratchet_pw"

export RATCHET_PG_URL="postgresql://postgres@127.0.0.1:$port/ratchet_test"
export RATCHET_PG_PW_URL="postgresql://ratchet_pw@127.0.0.1:$port/ratchet_test"
export RATCHET_PG_PW="$pw"
export RATCHET_PG_PORT=$port RATCHET_PG_DATA="$dir/data"
export RATCHET_PG_CTL="${as[*]} $bindir/pg_ctl"

set +e
"$@"
rc=$?
set -e
if [ $rc -ne 0 ] && [ -f "$dir/server.log" ]; then
  echo "--- PostgreSQL server log (last 30 lines) ---" >&2
  tail -n 30 "$dir/server.log" >&2
fi
exit $rc
