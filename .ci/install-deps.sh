#!/usr/bin/env bash
# Install what Ratchet needs on Debian/Ubuntu: `.ci/install-deps.sh` for building and running,
# `.ci/install-deps.sh --test` also for the test suite. Uses sudo when not root; runs
# apt-get only for packages that are missing. Then fetches Debian's source package of mujs
# (see fetch_mujs_source below) so the build can compile MuJS with raised limits.
set -euo pipefail
cd "$(dirname "$0")/.."
build_pkgs=(build-essential cmake pkg-config libyaml-dev libjson-c-dev libmujs-dev
  libmicrohttpd-dev libsqlite3-dev libcurl4-openssl-dev libzip-dev libseccomp-dev dpkg-dev
  libpq-dev  # storage-postgres (built when pkg-config finds libpq)
  zlib1g-dev # logger-file: gzip of rotated files (built without it when pkg-config lacks zlib)
  nodejs) # the web UI (plugins/web-ui/app) is built with node and npm packages into .cache/npm
test_pkgs=(libcmocka-dev json-schema-test-suite python3 zip unzip mujs tzdata nodejs
  clang libclang-rt-dev # clang + libFuzzer: the fuzz stage of tests/run-all.sh
  curl openssl wrk # the HTTP tests (curl, a self-signed TLS certificate) and bench_http
  sqlite3 # bench_queue_scale fills its databases with SQL through the sqlite3 command
  postgresql # storage.conformance.postgres: a throwaway cluster (tests/pg_cluster.sh)
  chromium) # the web UI's browser tests (tests/webui: playwright-core drives Debian's Chromium)
# nodejs brings npm here (the MCP tests install the official MCP SDK and conformance suite
# into .cache/ from the npm registry); Debian's separate `npm` package would conflict with it.
pkgs=("${build_pkgs[@]}")
[ "${1:-}" = "--test" ] && pkgs+=("${test_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  echo "installing: ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# --- MuJS source -----------------------------------------------------------------------------
# Debian builds libmujs with the interpreter's default limits (about 60 nested calls), so the
# executor plugin compiles MuJS itself, with raised limits, from Debian's own source package.
# The source is unpacked into $cache/mujs (CMake's RATCHET_MUJS_SOURCE_DIR default) and kept:
# later runs find it there and need no network. Nothing in the system's apt configuration
# changes: the deb-src entries, package lists and caches live in $cache/apt.
cache=${RATCHET_MUJS_CACHE:-$PWD/.cache/mujs-src}

# The machine's enabled Debian/Ubuntu archive entries (one-line .list files and deb822
# .sources files, as apt reads them), rewritten as deb-src entries of the same mirror, suites,
# components and keyring. Third-party repositories (no "debian"/"ubuntu" in the URI) are left
# out: most publish no sources, and a missing index would fail `apt-get update`.
derive_deb_src() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    sed -nE '/^[[:space:]]*deb[[:space:]]/{/(debian|ubuntu)/I{s/^[[:space:]]*deb[[:space:]]/deb-src /p}}' "$f" \
      >>"$1/sources.list.d/deb-src.list"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    # One deb822 paragraph per entry: keep those of type deb, not disabled, on an archive URI.
    awk 'function flush() {
           if (para != "" && isdeb && archive && !off) printf "%s\n", para
           para = ""; isdeb = archive = off = 0
         }
         /^[[:space:]]*$/ { flush(); next }
         /^#/ { next }
         tolower($1) == "types:" { for (i = 2; i <= NF; i++) if ($i == "deb") isdeb = 1
                                   $0 = "Types: deb-src" }
         tolower($1) == "uris:" && tolower($0) ~ /debian|ubuntu/ { archive = 1 }
         tolower($1) == "enabled:" && tolower($2) == "no" { off = 1 }
         { para = para $0 "\n" }
         END { flush() }' "$f" >>"$1/sources.list.d/deb-src.sources"
  done
}

fetch_mujs_source() {
  local want have apt_dir opts
  want=$(dpkg-query -W -f='${Version}' libmujs-dev 2>/dev/null) || {
    echo "install-deps: libmujs-dev is not installed; skipping the MuJS source" >&2
    return 1
  }
  if [ -f "$cache/mujs/debian/changelog" ]; then
    have=$(cd "$cache/mujs" && dpkg-parsechangelog -S Version)
    [ "$have" = "$want" ] && return 0
    echo "install-deps: cached MuJS source is $have, libmujs-dev is $want: fetching again" >&2
  fi
  apt_dir=$cache/apt
  rm -rf "$apt_dir"
  mkdir -p "$apt_dir/sources.list.d" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
  derive_deb_src "$apt_dir"
  [ -s "$apt_dir/sources.list.d/deb-src.list" ] || rm -f "$apt_dir/sources.list.d/deb-src.list"
  [ -s "$apt_dir/sources.list.d/deb-src.sources" ] || rm -f "$apt_dir/sources.list.d/deb-src.sources"
  if [ -z "$(ls -A "$apt_dir/sources.list.d")" ]; then
    echo "install-deps: no Debian or Ubuntu entry in /etc/apt to derive a deb-src entry from" >&2
    return 1
  fi
  # A private configuration: its own source list, package lists and caches. Downloads run as
  # the current user (apt would otherwise switch to _apt, who may not reach this folder).
  opts=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$apt_dir/sources.list.d"
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
    -o "APT::Sandbox::User=$(id -un)")
  apt-get "${opts[@]}" -qq update || return 1
  # Verification: the Sources index comes from the mirror's InRelease, whose signature apt
  # checks against the entry's Signed-By keyring; apt-get source then checks each downloaded
  # file (.dsc, .orig.tar.xz, .debian.tar.xz) against the size and SHA256 listed for it in that
  # index and refuses a mismatch, and dpkg-source -x checks the tarballs against the .dsc's
  # Checksums-Sha256 again while unpacking. `mujs=$want` asks for exactly the installed
  # version; apt-get fails when the mirror no longer has it.
  mkdir -p "$cache/download"
  rm -rf "$cache/download/"*
  (cd "$cache/download" && apt-get "${opts[@]}" -qq source "mujs=$want") || return 1
  have=$(cd "$cache/download"/mujs-*/ && dpkg-parsechangelog -S Version)
  if [ "$have" != "$want" ]; then
    echo "install-deps: apt-get source gave mujs $have, expected $want" >&2
    return 1
  fi
  rm -rf "$cache/mujs"
  mv "$cache/download"/mujs-*/ "$cache/mujs"
  rm -rf "$apt_dir"
  echo "install-deps: MuJS $want source in $cache/mujs" >&2
}

# Without the source the build falls back to the system libmujs (and says so at configure).
fetch_mujs_source ||
  echo "install-deps: warning: no MuJS source; the build uses the system libmujs and its" \
    "default limits (about 60 nested calls)" >&2
