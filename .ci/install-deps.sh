#!/usr/bin/env bash
# Install what Ratchet needs on Debian/Ubuntu: `.ci/install-deps.sh` for building and running,
# `.ci/install-deps.sh --test` also for the test suite. Uses sudo when not root; runs
# apt-get only for packages that are missing.
set -euo pipefail
build_pkgs=(build-essential cmake pkg-config libyaml-dev libjson-c-dev libmujs-dev
  libmicrohttpd-dev libsqlite3-dev libcurl4-openssl-dev libzip-dev libseccomp-dev)
test_pkgs=(libcmocka-dev json-schema-test-suite python3 zip unzip mujs tzdata)
pkgs=("${build_pkgs[@]}")
[ "${1:-}" = "--test" ] && pkgs+=("${test_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
echo "installing: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
