#!/usr/bin/env bash
# Configures and builds Gantry into build/ (release-like: -O2 -g).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
launcher=()
# ccache (scripts/packages.txt) makes a rebuild of unchanged sources, e.g. in CI after a session, cheap.
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
cmake -S "$root" -B "$root/build" -G Ninja "${launcher[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGANTRY_MODULES="" >/dev/null
ninja -C "$root/build" -j"$(nproc)"
