#!/bin/sh
# Builds the ClassAd libFuzzer target with clang (-fsanitize=fuzzer,address,undefined)
# and runs it for a bounded time. Usage: fuzz/classad/run.sh [SECONDS] (default 60).
# GANTRY_FUZZ_BUILD_DIR sets where the binary and the corpus go (default: a temp dir).
# Exits non-zero when the build fails or the fuzzer finds a crash, leak or hang.
set -eu
seconds="${1:-60}"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${GANTRY_FUZZ_BUILD_DIR:-${TMPDIR:-/tmp}/gantry-fuzz-classad}"
mkdir -p "$out/corpus"

sources=""
for f in "$root"/src/classad/*.cc; do
  case "$f" in *_test.cc) ;; *) sources="$sources $f" ;; esac
done

# compat/ comes first: it replaces base/error.h (see the comment there). Two compilers at
# a time (CI has 2 cores), objects in $out/obj, then one link: keeps ctest -L fuzz, build
# included, well under 3 minutes.
mkdir -p "$out/obj"
flags="-std=c++2b -O1 -gline-tables-only -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined"
flags="$flags -fno-sanitize-recover=undefined -I$here/compat -I$root/src"
export flags
# shellcheck disable=SC2086
printf '%s\n' "$here/fuzz_classad.cc" $sources "$root/src/base/check.cc" |
  xargs -P 2 -I{} sh -c 'f="$1"; o="$2/obj/$(basename "$f" .cc).o"
    exec clang++ $flags -c "$f" -o "$o"' sh {} "$out"
# shellcheck disable=SC2086
clang++ -fsanitize=fuzzer,address,undefined "$out"/obj/*.o -lpcre2-8 -o "$out/fuzz_classad"

cd "$out"
exec ./fuzz_classad -max_total_time="$seconds" -max_len=4096 -timeout=20 \
  -rss_limit_mb=2048 -print_final_stats=1 corpus "$here/seeds"
