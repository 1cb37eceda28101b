#!/bin/bash
# #SBATCH directives, part 1: names, task/CPU counts, memory, time limits, output patterns,
# working directory, --export, and the job environment variables. Each is checked through
# what the job sees or what `gantry status --json` records.
source "$(dirname "$0")/lib.sh"

start_gantry
enter_work_dir

# run_ok FILE [submit args]: submit, wait, require DONE; prints the job id.
run_ok() {
  local f=$1; shift
  local id
  id=$(submit "$@" "$f") || exit 1
  gwait "$id" || fail "job $id ($f) did not end DONE (wait rc $?): $(g status "$id")"
  echo "$id"
}

log "--- -J/--job-name, -n/--ntasks, -c/--cpus-per-task (short forms)"
f=$(script short.sh '#SBATCH -J shortname' '#SBATCH -n 2' '#SBATCH -c 1' \
  'echo "name=$SLURM_JOB_NAME gn=$GANTRY_NTASKS sn=$SLURM_NTASKS gc=$GANTRY_CPUS_PER_TASK sc=$SLURM_CPUS_PER_TASK"')
id=$(run_ok "$f") || fail "short-form job"
out=$(cat "slurm-$id.out")
expect_eq "$out" "name=shortname gn=2 sn=2 gc=1 sc=1" "-J -n -c seen by the job"

log "--- long forms"
f=$(script long.sh '#SBATCH --job-name=longname' '#SBATCH --ntasks=1' '#SBATCH --cpus-per-task=2' \
  'echo "name=$SLURM_JOB_NAME gn=$GANTRY_NTASKS sn=$SLURM_NTASKS gc=$GANTRY_CPUS_PER_TASK sc=$SLURM_CPUS_PER_TASK"')
id=$(run_ok "$f") || fail "long-form job"
expect_eq "$(cat "slurm-$id.out")" "name=longname gn=1 sn=1 gc=2 sc=2" \
  "--job-name --ntasks --cpus-per-task seen by the job"
expect_eq "$(json_get "$id" 't["name"]')" "longname" "status name"
expect_eq "$(json_get "$id" 't["cpus"]')" "2" "status cpus"

log "--- default job name is the script's file name"
f=$(script noname.sh 'echo "$SLURM_JOB_NAME"')
id=$(run_ok "$f") || fail "noname job"
expect_eq "$(cat "slurm-$id.out")" "noname.sh" "default SLURM_JOB_NAME"

log "--- memory and time limits (held jobs: only what status records)"
held=()
check_spec() {  # check_spec "directive" PYEXPR EXPECTED
  local f id
  f=$(script "spec$RANDOM.sh" "#SBATCH $1" 'true')
  id=$(submit -H "$f") || fail "submit with '$1'"
  held+=("$id")
  expect_eq "$(json_get "$id" "$2")" "$3" "#SBATCH $1 -> status $2"
}
check_spec "--mem=100M" 't["spec"]["memory_mb"]' 100
check_spec "--mem=2G" 't["spec"]["memory_mb"]' 2048
check_spec "--mem=512" 't["spec"]["memory_mb"]' 512
f=$(script mpc.sh '#SBATCH --mem-per-cpu=100M' '#SBATCH -c 2' '#SBATCH -n 3' 'true')
id=$(submit -H "$f") || fail "submit mem-per-cpu"
held+=("$id")
expect_eq "$(json_get "$id" 't["spec"]["memory_mb"]')" 600 "--mem-per-cpu=100M x -c 2 x -n 3"
check_spec "-t 5" 't["time_limit_seconds"]' 300
check_spec "--time=1:30" 't["time_limit_seconds"]' 90
check_spec "--time=1:02:03" 't["time_limit_seconds"]' 3723
check_spec "-t 1-2" 't["time_limit_seconds"]' 93600
check_spec "-t 1-2:03" 't["time_limit_seconds"]' 93780
check_spec "-t 2-0:0:5" 't["time_limit_seconds"]' 172805
check_spec "--time=UNLIMITED" 't["time_limit_seconds"]' 0
expect_contains "$(g status "${held[-2]}")" "TimeLimit=2-00:00:05" "status text shows the limit"
g cancel -q "${held[@]}" || fail "cancel held spec jobs"

log "--- -o/-e patterns: %j %A %a %x %u %%"
user=$(id -un)
f=$(script pat.sh '#SBATCH -J patjob' '#SBATCH -o out-%j-%A-%a-%x-%u-%%.txt' \
  '#SBATCH --error=err-%x-%j.txt' 'echo to-stdout' 'echo to-stderr >&2')
id=$(run_ok "$f") || fail "pattern job"
o="out-$id-$id-4294967294-patjob-$user-%.txt"
[[ -f "$o" ]] || fail "expected output file $o; have: $(ls)"
expect_eq "$(cat "$o")" "to-stdout" "-o with %j %A %a %x %u %% expanded"
expect_eq "$(cat "err-patjob-$id.txt")" "to-stderr" "--error with %x %j expanded"
f=$(script patarr.sh '#SBATCH -a 3-4' '#SBATCH --output=arr-%A-%a.txt' 'echo task $SLURM_ARRAY_TASK_ID')
id=$(submit "$f") || fail "array pattern job"
gwait "$id" || fail "array pattern job failed"
expect_eq "$(cat "arr-$id-3.txt" "arr-$id-4.txt" | tr '\n' ' ')" "task 3 task 4 " \
  "-o with %A %a for an array"
f=$(script patdef.sh 'echo both; echo both-err >&2')
id=$(run_ok "$f") || fail "default output job"
expect_eq "$(cat "slurm-$id.out" | tr '\n' ' ')" "both both-err " \
  "default: slurm-%j.out holds stdout and stderr"

log "--- -D/--chdir"
mkdir -p "$W/sub/deeper"
f=$(script cd1.sh '#SBATCH -D sub' 'pwd')
id=$(run_ok "$f") || fail "chdir job"
expect_eq "$(cat "$W/sub/slurm-$id.out")" "$W/sub" "-D relative to the submit dir (output there too)"
f=$(script cd2.sh "#SBATCH --chdir=$W/sub/deeper" 'pwd; echo "$SLURM_SUBMIT_DIR"')
id=$(run_ok "$f") || fail "chdir abs job"
expect_eq "$(cat "$W/sub/deeper/slurm-$id.out" | tr '\n' ' ')" "$W/sub/deeper $W " \
  "--chdir absolute; SLURM_SUBMIT_DIR stays the submit dir"

log "--- --export"
envscript=$(script env.sh 'echo "foo=${FOO-unset} bar=${BAR-unset} baz=${BAZ-unset} home=${HOME-unset}"')
export FOO=foo1 BAR=bar1
unset BAZ
id=$(run_ok "$envscript") || fail "export default"
expect_eq "$(cat "slurm-$id.out")" "foo=foo1 bar=bar1 baz=unset home=$HOME" \
  "no --export = ALL: submitter's variables"
f=$(script envall.sh '#SBATCH --export=ALL' 'echo "foo=${FOO-unset}"')
id=$(run_ok "$f") || fail "export ALL"
expect_eq "$(cat "slurm-$id.out")" "foo=foo1" "--export=ALL"
f=$(script envnone.sh '#SBATCH --export=NONE' 'echo "foo=${FOO-unset} sj=${SLURM_JOB_ID-unset}"')
id=$(run_ok "$f") || fail "export NONE"
expect_eq "$(cat "slurm-$id.out")" "foo=unset sj=$id" \
  "--export=NONE: submitter's FOO gone, SLURM_JOB_ID still set"
f=$(script envnone2.sh '#SBATCH --export=NONE' 'echo "home=${HOME-unset} user=${USER-unset}"; ls / >/dev/null && echo path-ok')
id=$(run_ok "$f") || fail "export NONE 2"
expect_contains "$(cat "slurm-$id.out")" "path-ok" "--export=NONE: a default PATH finds ls"
# sbatch's NONE still loads the user's login basics: HOME, USER, LOGNAME.
out=$(cat "slurm-$id.out")
expect_true "--export=NONE still sets HOME and USER for the job user (got: ${out%%$'\n'*})" \
  eval '[[ "$out" == "home=$HOME user=$(id -un)"* ]]'
f=$(script envlist.sh '#SBATCH --export=FOO,BAZ=z1' \
  'echo "foo=${FOO-unset} bar=${BAR-unset} baz=${BAZ-unset} exp=${SLURM_EXPORT_ENV-unset}"')
id=$(run_ok "$f") || fail "export list"
expect_eq "$(cat "slurm-$id.out")" "foo=foo1 bar=unset baz=z1 exp=FOO,BAZ=z1" \
  "--export=FOO,BAZ=z1: only those, plus SLURM_EXPORT_ENV"
f=$(script envallover.sh '#SBATCH --export=ALL,FOO=over' 'echo "foo=${FOO-unset} bar=${BAR-unset}"')
id=$(run_ok "$f") || fail "export ALL,FOO=over"
expect_eq "$(cat "slurm-$id.out")" "foo=over bar=bar1" "--export=ALL,FOO=over"
unset FOO BAR

log "--- job environment: GANTRY_JOB_ID, GANTRY_SUBMIT_DIR, SLURM_JOB_ID, SLURM_SUBMIT_DIR"
f=$(script ids.sh 'echo "$GANTRY_JOB_ID $SLURM_JOB_ID $GANTRY_SUBMIT_DIR $SLURM_SUBMIT_DIR"')
id=$(run_ok "$f") || fail "env ids job"
expect_eq "$(cat "slurm-$id.out")" "$id $id $W $W" "job id and submit dir variables"

finish
