#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/CMakeLists.txt) with clang 16 into build-fuzz/ and runs
# each for SECONDS (default 25) from its seeds, with ASan and UBSan. Usage:
#   fuzz/run.sh [SECONDS] [ctest args...]     e.g. fuzz/run.sh 600 -R fuzz.http
# Exits non-zero when the build fails or a fuzzer finds a crash, leak, hang or UB; the
# input that did it is left in build-fuzz/fuzz/<name>-crash-*.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-25}"
shift || true
out="${GANTRY_FUZZ_BUILD_DIR:-$root/build-fuzz}"
source "$root/scripts/ccache.sh"
# Only the modules the targets link; -O1 and line tables keep the build short.
cmake -S "$root" -B "$out" -G Ninja "${launcher[@]}" \
  -DCMAKE_C_COMPILER=clang-16 -DCMAKE_CXX_COMPILER=clang++-16 \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O1 -gline-tables-only" \
  -DCMAKE_C_FLAGS_RELEASE="-O1 -gline-tables-only" \
  -DGANTRY_FUZZ=ON -DGANTRY_FUZZ_SECONDS="$seconds" \
  -DGANTRY_MODULES="base;classad;identity;model;net;pmi;submit;root" >/dev/null
ninja -C "$out" -j"$(nproc)" gantry_fuzz_targets
cd "$out"
# Each fuzzer is one process on one core: as many at once as there are cores.
ctest -L fuzz --output-on-failure -j"$(nproc)" "$@"
