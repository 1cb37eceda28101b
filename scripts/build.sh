#!/usr/bin/env bash
# Configures and builds Gantry into build/ (release-like: -O2 -g).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/ccache.sh"
cmake -S "$root" -B "$root/build" -G Ninja "${launcher[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGANTRY_MODULES="" >/dev/null
ninja -C "$root/build" -j"$(nproc)"
