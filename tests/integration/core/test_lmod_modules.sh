#!/bin/bash
# Lmod environment modules (issue 16 section 3), with a small modulefile tree made here: the
# agent advertises the modules under its MODULEPATH; `#GANTRY --modules gcc/12,python` (and
# `--modules` on submit) makes the job need them and loads them before the script runs;
# `module load` works inside a bash script on a Gantry agent; a job asking for a module no
# agent has waits, and `status` says why (which also shows the agent advertised the others). Needs Lmod (Debian package lmod).
source "$(dirname "$0")/lib.sh"

LMOD_INIT=/usr/share/lmod/lmod/init/bash
[[ -f $LMOD_INIT ]] || skip_test "Lmod is not installed (apt-get install lmod)"

make_test_dir
MODS="$TEST_DIR/modulefiles"
mkdir -p "$MODS/gcc" "$MODS/python" "$MODS/cmake"
cat >"$MODS/gcc/12.lua" <<'LUA'
setenv("GANTRY_TEST_GCC", "12")
prepend_path("PATH", "/opt/gantry-test/gcc-12/bin")
LUA
cat >"$MODS/gcc/13.lua" <<'LUA'
setenv("GANTRY_TEST_GCC", "13")
LUA
printf '#%%Module\nsetenv GANTRY_TEST_PYTHON 3.11\n' >"$MODS/python/3.11"
cat >"$MODS/cmake/3.25.lua" <<'LUA'
setenv("GANTRY_TEST_CMAKE", "3.25")
LUA
# The agent finds its modules through its own MODULEPATH; the jobs' environment has none.
export MODULEPATH="$MODS"
start_gantry
unset MODULEPATH BASH_ENV LMOD_CMD LMOD_PKG LOADEDMODULES _LMFILES_
enter_work_dir

log "--- #GANTRY --modules: required, and loaded before the script"
s=$(script mods.sh '#GANTRY --modules gcc/12,python' \
  'echo "gcc=$GANTRY_TEST_GCC python=$GANTRY_TEST_PYTHON cmake=${GANTRY_TEST_CMAKE:-none}"' \
  'case ":$PATH:" in *:/opt/gantry-test/gcc-12/bin:*) echo path-ok;; esac')
j=$(submit -o "$W/mods.out" "$s")
gwait "$j" || fail "job $j: $(g status "$j")"
expect_eq "$(cat "$W/mods.out")" $'gcc=12 python=3.11 cmake=none\npath-ok' \
  "the job starts with gcc/12 and python (its default, 3.11) loaded, and nothing else"

log "--- --modules on the command line"
s=$(script cli.sh 'echo "cmake=$GANTRY_TEST_CMAKE"')
j=$(submit -o "$W/cli.out" --modules cmake/3.25 "$s")
gwait "$j" || fail "job $j: $(g status "$j")"
expect_eq "$(cat "$W/cli.out")" "cmake=3.25" "--modules cmake/3.25 loads it"

log "--- module load inside a bash script"
s=$(script inside.sh 'module load gcc/13 || exit 3' 'echo "gcc=$GANTRY_TEST_GCC"' \
  'module list 2>&1 | grep -o "gcc/13"')
j=$(submit -o "$W/inside.out" "$s")
gwait "$j" || fail "job $j: $(g status "$j"; cat "$W/inside.out")"
expect_eq "$(cat "$W/inside.out")" $'gcc=13\ngcc/13' "module load gcc/13 works in the script"

log "--- a module no agent has: the job waits and status says why"
s=$(script missing.sh '#GANTRY --modules gcc/99,python' 'true')
j=$(submit -o /dev/null "$s")
for ((i = 0; i < 50; i++)); do
  why=$(g status "$j")
  [[ "$why" == *"Why not running"*"gcc/99"* ]] && break
  sleep 0.1
done
expect_eq "$(state_of "$j")" "READY" "the job waits"
expect_contains "$why" 'member("gcc/99", TARGET.Modules) is false' "status --why names the missing module"
expect_not_contains "$why" 'member("python", TARGET.ModuleNames) is false' "and not the one the agent has"
g cancel "$j" >/dev/null

log "--- a bad module name is refused at submit, naming the line"
s=$(script bad.sh '#GANTRY --modules "gcc;rm"' 'true')
expect_fail_with "bad module name 'gcc;rm'" "$GANTRY_BIN" submit "$s"

finish
