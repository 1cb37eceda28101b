#!/bin/bash
# gantry token issue / inspect against a real server's built-in issuer: the issuer key is
# made on first start (0600), issued tokens carry the WLCG profile claims and verify, and
# inspect says precisely why a token would be refused.
source "$(dirname "$0")/lib.sh"

start_gantry
HOME_DIR=$GANTRY_HOME

log "--- the server made its issuer"
expect_eq "$(stat -c %a "$HOME_DIR/issuer.key")" "600" "issuer.key is private (0600)"
expect_contains "$(cat "$HOME_DIR/issuer.jwks")" '"kty": "EC"' "issuer.jwks holds the public key"
expect_not_contains "$(cat "$HOME_DIR/issuer.jwks")" '"d"' "issuer.jwks has no private part"

log "--- issue"
tok=$(g token issue --subject alice --group /cms --group /cms/Role=production \
  --scope "compute.read compute.create" --lifetime 2h) || fail "token issue failed"
claims=$(g token issue --json --subject bob --audience https://other.example/ --lifetime 90s)
py() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
expect_eq "$(echo "$claims" | py 'd["claims"]["exp"] - d["claims"]["iat"]')" "90" "--lifetime 90s"
expect_eq "$(echo "$claims" | py 'd["claims"]["aud"]')" "https://other.example/" "--audience"
expect_eq "$(echo "$claims" | py 'd["claims"]["wlcg.ver"]')" "1.0" "wlcg.ver 1.0"
expect_eq "$(echo "$claims" | py 'd["claims"]["scope"]')" \
  "compute.read compute.create compute.modify compute.cancel" "the default scope is every compute.* scope"
expect_fail_with "--subject is required" g token issue
expect_fail_with "is not a lifetime" g token issue --subject x --lifetime 2w
expect_fail_with "is not a group" g token issue --subject x --group cms

log "--- inspect"
out=$(g token inspect "$tok") || fail "inspect of a good token failed: $out"
expect_contains "$out" "sub:         alice" "inspect shows sub"
expect_contains "$out" "wlcg.groups: /cms /cms/Role=production" "inspect shows wlcg.groups"
expect_contains "$out" "valid:       yes" "inspect says the server accepts it"
json=$(echo "$tok" | g token inspect - --json) || fail "inspect - --json failed"
expect_eq "$(echo "$json" | py 'd["identity"]["vo"], d["identity"]["roles"]')" \
  "cms ['/cms/Role=production']" "inspect --json gives the identity"
expect_eq "$(BEARER_TOKEN="$tok" g token inspect --json | py 'd["source"]')" "BEARER_TOKEN" \
  "inspect finds the token by WLCG discovery"
other=$(echo "$claims" | py 'd["token"]')
out=$(g token inspect --json "$other"); rc=$?
expect_eq "$rc" "1" "a token for another audience: inspect exits 1"
expect_eq "$(echo "$out" | py 'd["problem"]')" "wrong_audience" "... and names the problem"
# Flip one character of the signature.
sig=${tok##*.}
bad="${tok%.*}.${sig:0:10}$([[ ${sig:10:1} == A ]] && echo B || echo A)${sig:11}"
expect_eq "$(g token inspect --json "$bad" | py 'd["problem"]')" "bad_signature" "a tampered signature"
expect_fail_with "the token is malformed" g token inspect not-a-token
# An unsigned token (alg none) with the same claims.
none=$(python3 -c '
import base64,json,sys
b=lambda s: base64.urlsafe_b64encode(s.encode()).decode().rstrip("=")
p=sys.argv[1].split(".")[1]
print(b(json.dumps({"alg":"none"}))+"."+p+".")' "$tok")
expect_eq "$(g token inspect --json "$none" | py 'd["problem"]')" "bad_algorithm" "alg none is refused"

log "--- a restarted server keeps its issuer"
kid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["keys"][0]["kid"])' "$HOME_DIR/issuer.jwks")
stop_gantry
restart_gantry
expect_eq "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["keys"][0]["kid"])' "$HOME_DIR/issuer.jwks")" \
  "$kid" "the issuer key survives a restart"
expect_true "a token issued before the restart still verifies" g token inspect "$tok"
chmod 0644 "$HOME_DIR/issuer.key"
expect_fail_with "others could mint tokens with it" g token issue --subject x
chmod 0600 "$HOME_DIR/issuer.key"

finish
