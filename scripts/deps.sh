#!/usr/bin/env bash
# Installs whatever localaws needs that this Debian 12 machine lacks. Safe to run repeatedly:
# it only calls apt-get / npm when something is missing.
#   scripts/deps.sh build   compiler, CMake, libraries
#   scripts/deps.sh test    the above plus the test clients (aws CLI v1/v2, boto3, Node.js SDK v3,
#                           the Go SDKs, rclone, s3cmd, restic, duplicity)
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-build}

need=()
pkgs=(build-essential cmake ninja-build pkg-config libcpp-httplib-dev libsqlite3-dev libssl-dev
      nlohmann-json3-dev catch2 libpugixml-dev libcli11-dev zlib1g-dev libzstd-dev libsimdjson-dev)
if [ "$what" = test ]; then
  # chromium: the web console's browser tests (tests/integration/js/test_console.mjs).
  pkgs+=(curl docker-compose chromium)
  # The fuzz targets (scripts/fuzz): clang with its libFuzzer and sanitizer runtimes.
  command -v clang++ >/dev/null 2>&1 || pkgs+=(clang)
  pkgs+=(libclang-rt-14-dev)
  command -v node >/dev/null 2>&1 || pkgs+=(nodejs)
  command -v npm >/dev/null 2>&1 || pkgs+=(npm)
  command -v python3 >/dev/null 2>&1 || pkgs+=(python3)
  # The machines here have boto3 / the aws CLI for pyenv's python3; elsewhere use Debian's.
  python3 -c 'import boto3' >/dev/null 2>&1 || pkgs+=(python3-boto3)
  # Debian's awscli is the aws CLI v2 (/usr/bin/aws), tested beside pyenv's v1 when present.
  pkgs+=(awscli)
  # The client-compatibility suite (tests/clients/): the Go SDKs v1 and v2 (built offline in
  # GOPATH mode against Debian's packaged sources), rclone, s3cmd, restic and duplicity (its
  # boto3+s3 backend runs under Debian's python3, hence Debian's python3-boto3).
  pkgs+=(golang-go golang-github-aws-aws-sdk-go-dev golang-github-aws-aws-sdk-go-v2-dev
         rclone s3cmd restic duplicity python3-boto3)
fi
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "localaws: installing missing packages: ${need[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if [ "$what" = test ] && { [ ! -d tests/integration/js/node_modules/@aws-sdk/client-s3 ] ||
                           [ ! -d tests/integration/js/node_modules/playwright-core ]; }; then
  echo "localaws: installing the JavaScript SDK v3 and playwright-core for the tests (npm)" >&2
  (cd tests/integration/js && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
