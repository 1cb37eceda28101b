#!/bin/bash
# Pool accounts (issue 10 section 1): a gridmap line "/dteam" .gantrypool maps each /dteam
# token subject to one of the local accounts gantrypool001, gantrypool002 (made here), leased
# to it for good. A root server runs each subject's jobs as its account (`id -un` in the job's
# output), two subjects never share one, a third is refused with 403 naming the exhausted
# pool, and after a restart each subject still has its account (the lease file survives).
source "$(dirname "$0")/lib.sh"

need_users gantrypool001 gantrypool002

make_test_dir
printf '"/dteam" .gantrypool\n' >"$TEST_DIR/gridmap"
printf 'gridmap gridmap\n' >"$TEST_DIR/identity.conf"
start_gantry
TCP=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tcp"])' "$GANTRY_HOME/server.json")
OUT="$TEST_DIR/out"
mkdir -p "$OUT"
chmod 1777 "$OUT"  # the pool accounts write their jobs' output here

issue() { g token issue --lifetime 1h --group /dteam "$@" || fail "token issue $*"; }
ANN=$(issue --subject pool-ann)
BEN=$(issue --subject pool-ben)
CAT=$(issue --subject pool-cat)

# call TOKEN METHOD PATH [BODY]: the status; the body lands in $TEST_DIR/last.body
call() {
  local token=$1 method=$2 path=$3 body=${4:-}
  local args=(-s -o "$TEST_DIR/last.body" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $token")
  [[ -n "$body" ]] && args+=(-H 'Content-Type: application/json' --data "$body")
  curl "${args[@]}" "$TCP$path"
}
body_py() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$TEST_DIR/last.body"; }
SPEC="{\"script\":\"#!/bin/sh\\nid -un\\n\",\"submit_dir\":\"$OUT\",\"working_dir\":\"$OUT\"}"
# runs_as TOKEN: the account a job of TOKEN's subject ran as
runs_as() {
  [[ $(call "$1" POST /v1/jobs "$SPEC") == 201 ]] || { echo "submit refused: $(cat "$TEST_DIR/last.body")"; return; }
  local id
  id=$(body_py 'd["job_id"]')
  gwait "$id" >/dev/null || { echo "job $id: $(g status "$id")"; return; }
  cat "$OUT/slurm-$id.out"
}

log "--- two subjects of /dteam, two pool accounts"
expect_eq "$(runs_as "$ANN")" "gantrypool001" "the first subject's job runs as the first pool account"
expect_eq "$(runs_as "$BEN")" "gantrypool002" "the second subject's job runs as the second"
expect_eq "$(runs_as "$ANN")" "gantrypool001" "the first subject keeps its account"
expect_eq "$(call "$BEN" GET /v1/whoami)" "200" "whoami of the second subject"
expect_eq "$(body_py 'd["user"]')" "gantrypool002" "... names its pool account"

log "--- the pool is exhausted: a third subject is refused, naming the pool"
expect_eq "$(call "$CAT" GET /v1/jobs)" "403" "a third subject gets 403"
expect_contains "$(body_py 'd["error"]')" \
  "maps to pool accounts, but the pool 'gantrypool' (gantrypool001..gantrypool002, 2 accounts) is exhausted" \
  "the 403 names the pool and its accounts"
expect_eq "$(call "$ANN" GET /v1/jobs)" "200" "the subjects holding leases are untouched"

log "--- the leases are on disk"
leases=$(grep -v '^#' "$GANTRY_HOME/pool-leases")
expect_contains "$leases" "gantrypool001 gantrypool \"" "the lease file records the first account"
expect_contains "$leases" "\"pool-ann\"" "... leased to its subject"
expect_eq "$(grep -c '^gantrypool' <<<"$leases")" "2" "two leases, nothing for the refused subject"

log "--- after a restart each subject has the same account (asked in the other order)"
stop_gantry
restart_gantry
TCP=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tcp"])' "$GANTRY_HOME/server.json")
expect_eq "$(runs_as "$BEN")" "gantrypool002" "the second subject still runs as gantrypool002"
expect_eq "$(runs_as "$ANN")" "gantrypool001" "the first still as gantrypool001"
expect_eq "$(call "$CAT" GET /v1/jobs)" "403" "the third is still refused"

finish
