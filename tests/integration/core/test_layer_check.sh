#!/bin/bash
# cmake/GantryLayers.cmake fails the configure for a library that links one above it, for a
# client library (agent, cli, wire) that reaches the server's, and for a module not in the
# layers; a tree that keeps the order configures. Configure only, on a toy project.
source "$(dirname "$0")/lib.sh"

make_test_dir
repo=$(cd "$(dirname "$0")/../../.." && pwd)
# toy DEP_LINES: a project with gantry_<x> libraries linking as DEP_LINES say.
toy() {
  local dir="$TEST_DIR/toy$1"; shift
  mkdir -p "$dir"
  echo 'int x;' >"$dir/x.c"
  {
    echo 'cmake_minimum_required(VERSION 3.25)'
    echo 'project(toy C)'
    echo "include($repo/cmake/GantryLayers.cmake)"
    for lib in base model wire store broker api cli; do
      echo "add_library(gantry_$lib STATIC x.c)"
      echo "add_library(gantry::$lib ALIAS gantry_$lib)"
    done
    printf '%s\n' "$@"
    echo 'gantry_check_layers(base model wire store broker api cli ${EXTRA})'
  } >"$dir/CMakeLists.txt"
  cmake -S "$dir" -B "$dir/b" >"$dir/out.txt" 2>&1
  echo "rc=$? $(tr '\n' ' ' <"$dir/out.txt")"
}
expect_contains "$(toy 1 'target_link_libraries(gantry_wire PUBLIC gantry::model)' \
  'target_link_libraries(gantry_cli PUBLIC gantry::wire)' \
  'target_link_libraries(gantry_api PUBLIC gantry::broker)')" "rc=0" "a tree in layer order configures"
out=$(toy 2 'target_link_libraries(gantry_model PUBLIC gantry::wire)')
expect_contains "$out" "rc=1" "a link that points up fails the configure"
expect_contains "$out" "gantry::model links gantry::wire, which is not below it" "and names it"
out=$(toy 3 'target_link_libraries(gantry_broker PUBLIC gantry::store)' \
  'target_link_libraries(gantry_cli PUBLIC gantry::broker)')
expect_contains "$out" "rc=1" "a CLI reaching the store fails the configure"
expect_contains "$out" "gantry::cli reaches broker" "and names the path"
out=$(toy 4 'add_library(gantry_novel STATIC x.c)' 'set(EXTRA novel)')
expect_contains "$out" "src/novel has no place in the layers" "a module not in the layers fails"
finish
