#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (unit, integration, fuzz smoke).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
cd "$root/build"
ctest -j"$(nproc)" --output-on-failure --timeout 600 "$@"
