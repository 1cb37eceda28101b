#!/bin/bash
# #SBATCH directives, part 3: -H/--hold and release, -p/-A recorded, warn-only directives,
# unknown directives, directives after the first command, #GANTRY lines, --wrap, script
# arguments, and command-line options overriding the script.
source "$(dirname "$0")/lib.sh"

start_gantry --partition local,gpu-part,short  # the partitions -p names below
enter_work_dir

log "--- -H / --hold, then release"
f=$(script held.sh '#SBATCH -H' 'echo ran-held')
h=$(submit "$f") || fail "submit -H"
expect_eq "$(state_of "$h")" "HELD" "#SBATCH -H submits held"
expect_contains "$(g status "$h")" "gantry release $h" "status tells how to release"
f=$(script held2.sh '#SBATCH --hold' 'echo ran-held2')
h2=$(submit "$f") || fail "submit --hold"
expect_eq "$(state_of "$h2")" "HELD" "#SBATCH --hold submits held"
[[ ! -e "slurm-$h.out" ]] && pass "a held job did not run" || fail "held job $h ran"
g release -q "$h" "$h2" || fail "gantry release $h $h2"
gwait "$h" "$h2" || fail "released jobs failed: $(g status "$h" "$h2")"
expect_eq "$(cat "slurm-$h.out")" "ran-held" "released job ran"
expect_eq "$(cat "slurm-$h2.out")" "ran-held2" "second released job ran"
# hold of a pending job: a job waiting for its begin time is held, then released.
p=$(submit --begin=now+600 --wrap true) || fail "submit --begin=now+600"
g hold -q "$p" || fail "gantry hold $p"
expect_eq "$(state_of "$p")" "HELD" "gantry hold on a waiting job"
g release -q "$p" || fail "gantry release $p"
st=$(state_of "$p")
[[ "$st" == WAITING || "$st" == READY ]] && pass "released job pending again ($st)" ||
  fail "after release job $p is $st"
g cancel -q "$p"

log "--- -p/--partition, -A/--account recorded"
f=$(script pa.sh '#SBATCH -p gpu-part' '#SBATCH -A proj42' 'true')
id=$(submit -H "$f") || fail "submit -p -A"
expect_eq "$(json_get "$id" 't["spec"]["partition"]')" "gpu-part" "-p in the spec"
expect_eq "$(json_get "$id" 't["spec"]["account"]')" "proj42" "-A in the spec"
expect_eq "$(json_get "$id" 't["partition"]')" "gpu-part" "status partition"
expect_contains "$(g status "$id")" "Account=proj42" "status text shows the account"
f=$(script pa2.sh '#SBATCH --partition=short' '#SBATCH --account=acctB' 'true')
id2=$(submit -H "$f") || fail "submit --partition --account"
expect_eq "$(json_get "$id2" '[t["spec"]["partition"], t["spec"]["account"]]')" \
  '["short", "acctB"]' "--partition/--account in the spec"
g cancel -q "$id" "$id2"

log "--- warn-only directives"
f=$(script warn.sh '#SBATCH --mail-type=END' '#SBATCH --mail-user=a@b.c' 'echo warned')
out=$(g submit --parsable "$f" 2>"$W/warn.err") || fail "--mail-type refused: $(cat "$W/warn.err")"
expect_contains "$(cat "$W/warn.err")" "warn.sh:2: --mail-type is accepted for SLURM compatibility" \
  "--mail-type accepted with a warning naming the line"
expect_contains "$(cat "$W/warn.err")" "--mail-user" "--mail-user warned too"
gwait "$out" || fail "warned job failed"
expect_eq "$(cat "slurm-$out.out")" "warned" "warned job ran"
expect_contains "$(json_get "$out" 't["spec"]["warnings"]')" "mail-type" "warnings kept in the spec"

log "--- unknown directive: refused with its line number"
before=$(q_count)
f=$(script unknown.sh '#SBATCH -J ok' '' '#SBATCH --frobnicate=3' 'true')
expect_fail_with "unknown.sh:4: unknown #SBATCH option --frobnicate" g submit "$f"
f=$(script unknown2.sh '#GANTRY --whatever' 'true')
expect_fail_with "unknown2.sh:2:" g submit "$f"
expect_eq "$(q_count)" "$before" "refused scripts left no job"

log "--- directives after the first command are ignored"
f=$(script late.sh '#SBATCH -J early' '# a comment' '' 'echo "$SLURM_JOB_NAME"' \
  '#SBATCH -J late' '#SBATCH --not-an-option')
id=$(submit "$f") || fail "late directives refused"
gwait "$id" || fail "late job failed"
expect_eq "$(cat "slurm-$id.out")" "early" "directive after a command ignored"
f=$(script indented.sh ' #SBATCH -J indented' '##SBATCH -J double' 'echo "$SLURM_JOB_NAME"')
id=$(submit "$f") || fail "indented directive refused"
gwait "$id" || fail "indented job failed"
expect_eq "$(cat "slurm-$id.out")" "indented.sh" "indented #SBATCH and ##SBATCH are comments"

log "--- #GANTRY lines"
f=$(script gl.sh '#GANTRY -J from-gantry --max-retries=2' '#SBATCH -J from-sbatch' \
  'echo "$SLURM_JOB_NAME"')
id=$(submit "$f") || fail "#GANTRY refused"
gwait "$id" || fail "#GANTRY job failed"
expect_eq "$(cat "slurm-$id.out")" "from-gantry" "#GANTRY wins over a later #SBATCH"
expect_eq "$(json_get "$id" 't["spec"]["max_retries"]')" "2" "#GANTRY --max-retries recorded"
f=$(script mr.sh '#SBATCH --max-retries=2' 'true')
expect_fail_with "put it on a #GANTRY line" g submit "$f"

log "--- --wrap"
id=$(submit --wrap 'echo "wrapped $SLURM_JOB_NAME"') || fail "submit --wrap"
gwait "$id" || fail "wrap job failed"
expect_eq "$(cat "slurm-$id.out")" "wrapped wrap" "--wrap runs the command, named wrap"
expect_eq "$(json_get "$id" 'repr(t["spec"]["script"])')" \
  "'#!/bin/sh\\necho \"wrapped \$SLURM_JOB_NAME\"\\n'" "--wrap script is #!/bin/sh + the command"
id=$(submit -J named --wrap='exit 0') || fail "submit --wrap= with -J"
expect_eq "$(json_get "$id" 't["name"]')" "named" "-J names a wrap job"
expect_fail_with "wrap" g submit --wrap 'true' "$W/gl.sh"

log "--- script on stdin, --wait"
out=$(printf '#!/bin/sh\n#SBATCH -o stdin-%%j.out\necho "from stdin: $SLURM_JOB_NAME"\n' |
  g submit -W --parsable) || fail "submit from stdin with -W failed"
id=${out%%$'\n'*}
expect_eq "$(state_of "$id")" "DONE" "-W returned after the job ended"
expect_eq "$(cat "stdin-$id.out")" "from stdin: stdin" "a script on stdin runs, named stdin"
g submit -W -Q --wrap 'exit 5' >/dev/null 2>&1
expect_eq "$?" "5" "submit -W exits with the job's exit code"

log "--- script arguments"
f=$(script args.sh 'echo "n=$# 1=$1 2=$2"')
id=$(submit "$f" one -two) || fail "submit with args"
gwait "$id" || fail "args job failed"
expect_eq "$(cat "slurm-$id.out")" "n=2 1=one 2=-two" "arguments after the script reach it"

log "--- command line overrides the script"
f=$(script over.sh '#SBATCH -J script-name' '#SBATCH -t 5' '#SBATCH --mem=100M' '#SBATCH -c 1' \
  '#SBATCH -o script-%j.out' 'echo "$SLURM_JOB_NAME $SLURM_CPUS_PER_TASK"')
id=$(submit -J cli-name --time=10 --mem=200M -c 2 -o cli-%j.out "$f") || fail "submit override"
gwait "$id" || fail "override job failed"
[[ -f "cli-$id.out" && ! -e "script-$id.out" ]] && pass "-o on the command line wins" ||
  fail "override: $(ls)"
expect_eq "$(cat "cli-$id.out")" "cli-name 2" "-J and -c on the command line win"
expect_eq "$(json_get "$id" '[t["time_limit_seconds"], t["spec"]["memory_mb"]]')" "[600, 200]" \
  "-t and --mem on the command line win"

finish
