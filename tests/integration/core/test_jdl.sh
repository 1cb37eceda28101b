#!/bin/bash
# gLite JDL submission (docs/submit.md, "JDL job descriptions"): a normal job with
# Executable/Arguments/StdOutput/StdError/Environment, parametric jobs (one array; _PARAM_
# as the array index in patterns, or redirected by the script), and the refusals.
source "$(dirname "$0")/lib.sh"

start_gantry
enter_work_dir
export JDL_TEST_SECRET=from-submitter

log "--- a normal job"
cat >"$W/show.sh" <<'EOF'
#!/bin/sh
echo "args=[$1][$2] greeting=$GREETING secret=${JDL_TEST_SECRET:-unset} cwd=$(pwd)"
echo "to stderr" >&2
EOF
chmod +x "$W/show.sh"
cat >"$W/normal.jdl" <<'EOF'
# A gLite job description
[
  Type = "Job";
  JobType = "Normal";
  Executable = "show.sh";
  Arguments = "\"two words\" second";
  StdOutput = "normal.out";
  StdError = "normal.err";
  Environment = { "GREETING=hello there" };
  InputSandbox = { "show.sh" };
  VirtualOrganisation = "testvo";
  RetryCount = 2;
  Requirements = other.Cpus >= 1;
]
EOF
out=$(g submit --parsable normal.jdl 2>"$TEST_DIR/submit.err") || fail "submit normal.jdl: $(cat "$TEST_DIR/submit.err")"
[[ "$out" =~ ^[0-9]+$ ]] || fail "submit --parsable printed '$out'"
id=$out
expect_eq "$(json_get "$id" 't["spec"]["input_files"][0]["name"]')" "show.sh" \
  "InputSandbox -> the input sandbox (used by agents without a shared filesystem)"
gwait "$id" || fail "job $id did not end DONE: $(g status "$id")"
expect_eq "$(cat "$W/normal.out")" "args=[two words][second] greeting=hello there secret=unset cwd=$W" \
  "stdout: arguments split by the shell, JDL environment only, working dir = submit dir"
expect_eq "$(cat "$W/normal.err")" "to stderr" "stderr file"
expect_eq "$(json_get "$id" 't["name"]')" "normal.jdl" "job name is the JDL file name"
expect_eq "$(json_get "$id" 't["spec"]["max_retries"]')" "2" "RetryCount -> max_retries"
expect_eq "$(json_get "$id" 't["spec"]["requirements"]')" "TARGET.Cpus >= 1" \
  "Requirements with other. -> TARGET."
expect_eq "$(json_get "$id" 't["spec"]["attributes"]["VirtualOrganisation"]')" '"testvo"' \
  "other attributes recorded as ClassAd text"

log "--- a parametric job over the array index"
cat >"$W/param.jdl" <<'EOF'
[
  JobType = "Parametric";
  Executable = "/bin/echo";
  Arguments = "task _PARAM_";
  Parameters = 3;
  StdOutput = "param__PARAM_.out";
]
EOF
id=$(submit param.jdl) || exit 1
gwait "$id" || fail "parametric job $id did not end DONE: $(g status "$id")"
# Counted once they ran: until dispatched, an array's untouched tasks are one status row.
expect_eq "$(json_get "$id" 'len(ts)')" "3" "Parameters = 3 gives 3 array tasks"
for i in 0 1 2; do
  expect_eq "$(cat "$W/param_$i.out")" "task $i" "parametric task $i output"
done

log "--- a parametric job over a list of values (script redirects its output)"
cat >"$W/list.jdl" <<'EOF'
[
  JobType = "Parametric";
  Executable = "/bin/sh";
  Arguments = "-c 'echo value=$0 env=$V' \"_PARAM_\"";
  Parameters = { "alpha", "beta gamma" };
  Environment = { "V=v__PARAM_" };
  StdOutput = "list__PARAM_.out";
]
EOF
id=$(submit list.jdl) || exit 1
gwait "$id" || fail "list job $id did not end DONE: $(g status "$id")"
expect_eq "$(cat "$W/list_alpha.out")" "value=alpha env=v_alpha" "list value 1"
expect_eq "$(cat "$W/list_beta gamma.out")" "value=beta gamma env=v_beta gamma" "list value 2"

log "--- refusals"
printf '[\n  Executable = "/bin/true";\n  Arguments = ;\n]\n' >"$W/bad.jdl"
expect_fail_with "bad.jdl:3:15:" g submit bad.jdl
printf '[ JobType = "DAG"; Executable = "/bin/true" ]\n' >"$W/dag.jdl"
expect_fail_with 'JobType "DAG" is not supported' g submit dag.jdl
expect_fail_with "sbatch options such as '-n' cannot be combined" g submit -n 2 normal.jdl
expect_fail_with "Arguments attribute" g submit normal.jdl extra
expect_eq "$(q_count)" "6" "nothing was queued by the refused submissions (1 + 3 + 2 tasks)"

log "--- a file without .jdl that starts with [ is JDL too"
printf '[ Executable = "/bin/echo"; Arguments = "bracket"; StdOutput = "bracket.out" ]\n' \
  >"$W/job.desc"
id=$(submit job.desc) || exit 1
gwait "$id" || fail "job $id did not end DONE"
expect_eq "$(cat "$W/bracket.out")" "bracket" "bracket-detected JDL"

finish
