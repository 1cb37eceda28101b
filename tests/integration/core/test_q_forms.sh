#!/bin/bash
# gantry q as squeue users type it: array tasks fold only when state and reason agree (issue
# 11 item 11, also after a restart), -j job-id forms and lists, -t state lists (item 12),
# names cut and padded by display width (item 13), and history pages newest first with
# --limit and --cursor (issue 10 section 3).
source "$(dirname "$0")/lib.sh"

start_gantry
enter_work_dir

# qjson_count [q args]: rows `gantry q --json` lists.
qjson_count() { g q --json "$@" 2>/dev/null | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))'; }

# qids [q args]: the JOBID and ST columns of `gantry q --noheader`, one "id state" per line.
qids() { g q --noheader "$@" | awk '{print $1, $5}' | sort; }

log "--- an array's tasks in different states are different lines"
a=$(submit -a 1-3 --begin=now+1hour -J later -o /dev/null --wrap true) || fail "submit array"
g hold "${a}_1" >/dev/null || fail "hold ${a}_1"
g hold "${a}_2" >/dev/null || fail "hold ${a}_2"
g release "${a}_2" >/dev/null || fail "release ${a}_2"
check_folding() {
  local out
  out=$(qids -j "$a")
  expect_contains "$out" "${a}_1 HELD" "$1: 1_1 is HELD on its own line"
  if [[ "$out" == *"${a}_[2-3] WAITING"* ]]; then
    pass "$1: 1_[2-3] WAITING"
  else
    expect_contains "$out" "${a}_2 WAITING" "$1: 1_2 waits for its begin time"
    expect_contains "$out" "${a}_3 WAITING" "$1: 1_3 waits for its begin time"
  fi
  expect_not_contains "$out" "${a}_[1-3]" "$1: no line folds tasks in different states"
  expect_contains "$(g q --noheader -j "${a}_3")" "BeginTime" "$1: the reason says why"
}
check_folding "before a restart"
stop_gantry
restart_gantry
check_folding "after a restart"

log "--- -j takes squeue's job-id forms"
expect_eq "$(qids -j "${a}_1")" "${a}_1 HELD" "q -j ARRAY_TASK"
expect_eq "$(qids "-j${a}_1")" "${a}_1 HELD" "q -jARRAY_TASK (attached, as squeue's man page writes it)"
expect_eq "$(qids -j "$((a + 2))")" "${a}_3 WAITING" "q -j with an array task's own id"
expect_eq "$(g q --noheader -j "${a}_[2-3]" | grep -c "${a}_")" "$(qids -j "${a}_[2-3]" | grep -c WAITING)" \
  "q -j ARRAY_[2-3] shows only waiting tasks"
expect_not_contains "$(qids -j "${a}_[2-3]")" "HELD" "q -j ARRAY_[2-3] leaves 1_1 out"
s=$(submit -J single -o /dev/null --wrap true) || fail "submit single"
gwait "$s" || fail "single job failed"
expect_eq "$(qids -a -j "${s},${a}_1")" "$(printf '%s\n' "${a}_1 HELD" "$s DONE" | sort)" \
  "q -a -j with a comma list"
expect_fail_with "invalid job id 'x1'" g q -j "$s,x1"
expect_fail_with "invalid job id '${a}_[3-1]'" g q -j "${a}_[3-1]"

log "--- q --all -j finds a finished array task by its own id"
b=$(submit -a 1-2 -o /dev/null --wrap true) || fail "submit array b"
gwait "$b" || fail "array b failed"
expect_eq "$(qids --all -j "$((b + 1))")" "${b}_2 DONE" "q --all -j OWN_ID (as status $((b + 1)) finds it)"
expect_eq "$(state_of "$((b + 1))")" "DONE" "status OWN_ID agrees"

log "--- -t takes state lists, short and long names"
r=$(submit -J runner -o /dev/null --wrap 'sleep 30') || fail "submit runner"
wait_state "$r" RUNNING
expect_contains "$(qids -t PD,R)" "$r RUNNING" "q -t PD,R: running"
expect_contains "$(qids -t PD,R)" "${a}_1 HELD" "q -t PD,R: held is pending"
expect_eq "$(qids -t pending,running)" "$(qids -t PD,R)" "long names, any case"
expect_eq "$(qids -t R)" "$r RUNNING" "q -t R"
expect_eq "$(qids -tR)" "$r RUNNING" "q -tR"
expect_contains "$(qids -t cd)" "$s DONE" "q -t cd shows finished jobs"
expect_not_contains "$(qids -t cd)" "RUNNING" "and only them"
expect_fail_with "unknown state 'BOGUS' in 'R,BOGUS'" g q -t R,BOGUS
g cancel -q "$r"

log "--- names are cut and padded by display width"
w=$(submit -H -J "日本語の長いジョブ名前" -o /dev/null --wrap true) || fail "submit wide name"
n=$(submit -H -J "plain" -o /dev/null --wrap true) || fail "submit plain name"
out=$(g q --noheader -j "$w,$n")
expect_true "q prints valid UTF-8" python3 -c 'import sys; sys.stdin.buffer.read().decode("utf-8")' <<<"$out"
widths=$(python3 -c '
import sys, unicodedata
user = " " + sys.argv[1] + " "
for line in sys.stdin.read().splitlines():
    col = 0
    for ch in line[:line.index(user) if user in line else len(line)]:
        col += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    print(col)' "$(id -un)" <<<"$out" | sort -u | wc -l)
expect_eq "$widths" "1" "the USER column starts at the same display column on every line"
expect_contains "$out" " 日本語の長い " "the name keeps the whole characters that fit in 12 columns"
expect_not_contains "$out" "日本語の長いジ" "and no more"

log "--- history: newest first, --limit, --cursor"
expect_eq "$(g q --all --noheader --limit 1 2>/dev/null | awk '{print $1}')" "$n" "the newest row first"
g q --all --noheader --limit 2 >"$W/page1" 2>"$W/page1.err" || fail "q --limit 2"
expect_eq "$(wc -l <"$W/page1")" "2" "--limit 2 prints two rows"
cursor=$(sed -n 's/.*--cursor=\([0-9]*\).*/\1/p' "$W/page1.err")
expect_true "the next page's cursor is on stderr" test -n "$cursor"
page2=$(g q --all --noheader --limit 2 --cursor "$cursor" 2>/dev/null)
expect_eq "$(grep -c . <<<"$page2")" "2" "the next page has rows"
expect_eq "$(awk '{print $1}' "$W/page1" <(echo "$page2") | sort | uniq -d)" "" \
  "and none of the first page's"
expect_eq "$(qjson_count --all --user "$(id -un)" --limit 3)" "3" "--user with --limit fills the page"
expect_eq "$(qjson_count --all --user nobody)" "0" "--user nobody: nothing"
expect_fail_with "'limit' must be between 1 and 100000" g q --all --limit -5

finish
