#!/usr/bin/env bash
# Builds the unit tests (target gantry_unit_tests: every gantry_test but the MPI integration
# one) with ASan and UBSan into build-asan/ and runs them. Integration tests are not run
# here (their binaries are not even built): they drive real servers and would only be slower. Usage: scripts/sanitize.sh [ctest args...]
# A sanitizer report fails the test that triggered it (-fno-sanitize-recover, and ASan
# exits non-zero on a leak).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${GANTRY_ASAN_BUILD_DIR:-$root/build-asan}"
source "$root/scripts/ccache.sh"
# -O1 -g1: the sanitizers' usual optimisation, and line numbers in their reports, at less
# compile time than -O2 -g.
cmake -S "$root" -B "$out" -G Ninja "${launcher[@]}" -DCMAKE_BUILD_TYPE=Sanitize \
  -DCMAKE_CXX_FLAGS_SANITIZE="-O1 -g1" -DCMAKE_C_FLAGS_SANITIZE="-O1 -g1" \
  -DGANTRY_SANITIZE=ON -DGANTRY_MODULES="" >/dev/null
ninja -C "$out" -j"$(nproc)" gantry_unit_tests
cd "$out"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# Only the unit tests were built: the integration scripts (labels integration, durability)
# are left out by label, and the MPI integration binary, not built, by the placeholder name
# gtest_discover_tests gives it.
ctest -LE '^(integration|durability)$' -E '_NOT_BUILT$' -j"$(nproc)" --output-on-failure --timeout 600 "$@"
