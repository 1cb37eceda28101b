#!/usr/bin/env bash
# Configures and builds Gantry into build/ (release-like: -O2 -g).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGANTRY_MODULES="" >/dev/null
ninja -C "$root/build" -j"$(nproc)"
