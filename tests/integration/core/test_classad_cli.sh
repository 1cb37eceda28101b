#!/bin/bash
# gantry classad eval|match (docs/classad.md): values in canonical syntax, --my/--target ad
# files in the three formats, parse errors with positions (exit 2), matches (exit 0), no
# match with the failing clause named (exit 1), --json. No server needed.
source "$(dirname "$0")/lib.sh"

make_test_dir
cd "$TEST_DIR" || fail "cd $TEST_DIR"

# run_rc CMD...: prints "<rc>|<stdout>" (stderr in $TEST_DIR/err).
run_rc() {
  local out rc
  out=$("$@" 2>"$TEST_DIR/err")
  rc=$?
  echo "$rc|$out"
}

log "--- eval: values"
expect_eq "$(run_rc g classad eval '1 + 2 * 3')" "0|7" "arithmetic"
expect_eq "$(run_rc g classad eval '"a" + 1' 'undefined || true' '10 / 4.0' 'strcat("x", "y")')" \
  "0|error
true
2.5
\"xy\"" "error, three-valued logic, reals, functions, one line each"
expect_eq "$(run_rc g classad eval '{ 1, "two", [ a = 3 ] }')" '0|{ 1, "two", [ a = 3 ] }' \
  "lists and ads print canonically"
expect_eq "$(run_rc g classad eval 'member("b", { "a", "B" })' 'regexp("^j.b$", "JOB", "i")')" \
  "0|true
true" "member is case-insensitive, regexp options"
expect_eq "$(run_rc g classad eval 'NoSuchAttr' 'NoSuchAttr is undefined')" "0|undefined
true" "unknown attribute is undefined"

log "--- eval: --my and --target ad files"
cat >job.ad <<'EOF'
[
  RequestMemory = 2048;
  RequestCpus = 2;
  Owner = "alice";
  Doubled = RequestMemory * 2;
]
EOF
cat >machine.ad <<'EOF'
Memory = 4096
Cpus = 8
Arch = "X86_64"
Name = "slot1@node1"
EOF
expect_eq "$(run_rc g classad eval --my job.ad 'Doubled' 'MY.Owner')" '0|4096
"alice"' "MY attributes (new ClassAd file)"
expect_eq "$(run_rc g classad eval --my job.ad --target machine.ad \
  'TARGET.Memory >= MY.RequestMemory' 'Cpus - RequestCpus' 'TARGET.Name')" \
  '0|true
6
"slot1@node1"' "TARGET from an old-format file, unqualified names fall back to TARGET"

log "--- eval: errors with positions, exit 2"
expect_eq "$(run_rc g classad eval '1 +')" "2|" "incomplete expression exits 2"
expect_contains "$(cat "$TEST_DIR/err")" "expression 1 (1 +): 1:4:" "error names the column"
expect_eq "$(run_rc g classad eval '2' '(3' '4')" "2|2
4" "good expressions still print, exit 2"
expect_contains "$(cat "$TEST_DIR/err")" "expression 2 ((3): 1:3:" "second expression's error"
printf '[\n  a = 1;\n  b = * 2;\n]\n' >broken.ad
expect_eq "$(run_rc g classad eval --my broken.ad 'a')" "2|" "bad ad file exits 2"
expect_contains "$(cat "$TEST_DIR/err")" "broken.ad:3:7:" "ad file error has file:line:column"
expect_eq "$(run_rc g classad eval --my missing.ad 'a')" "2|" "missing file exits 2"
expect_contains "$(cat "$TEST_DIR/err")" "missing.ad" "missing file is named"
expect_eq "$(run_rc g classad eval)" "2|" "no expression exits 2"

log "--- match"
cat >job2.ad <<'EOF'
[
  RequestMemory = 2048;
  RequestCpus = 2;
  Requirements = TARGET.Memory >= MY.RequestMemory && TARGET.Arch == "X86_64";
  Rank = TARGET.Memory / 1024;
]
EOF
cat >slot.ad <<'EOF'
[ Memory = 4096; Cpus = 8; Arch = "X86_64"; START = TARGET.RequestCpus <= Cpus; Rank = 1 ]
EOF
cat >small.ad <<'EOF'
[ Memory = 1024; Cpus = 8; Arch = "X86_64"; START = true ]
EOF
r=$(run_rc g classad match job2.ad slot.ad)
expect_eq "${r%%$'\n'*}" "0|match" "matching pair exits 0"
expect_contains "$r" "job rank of resource: 4" "job rank printed"
r=$(run_rc g classad match job2.ad small.ad)
expect_eq "${r%%$'\n'*}" "1|no match" "no match exits 1"
expect_contains "$r" "[FAIL] TARGET.Memory >= MY.RequestMemory  => false" \
  "the failing clause is named"
expect_contains "$r" "[ok  ] TARGET.Arch == \"X86_64\"" "the passing clause is shown as ok"
r=$(g classad match --json job2.ad small.ad)
expect_eq "$?" "1" "--json no match exits 1"
expect_eq "$(python3 -c '
import json, sys
d = json.loads(sys.argv[1])
bad = [c["clause"] for c in d["job"]["clauses"] if not c["satisfied"]]
print(d["match"], d["job_accepts_resource"], d["resource_accepts_job"], bad)' "$r")" \
  "False False True ['TARGET.Memory >= MY.RequestMemory']" "--json fields and failing clause"
expect_eq "$(g classad match --json job2.ad slot.ad | python3 -c '
import json, sys; d = json.load(sys.stdin); print(d["match"], d["job_rank"])')" "True 4.0" \
  "--json match"
expect_eq "$(run_rc g classad match job2.ad)" "2|" "one ad only exits 2"
expect_eq "$(run_rc g classad match job2.ad broken.ad)" "2|" "bad ad exits 2"
expect_contains "$(cat "$TEST_DIR/err")" "broken.ad:3:7:" "bad ad position"

finish
