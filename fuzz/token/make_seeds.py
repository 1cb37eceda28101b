#!/usr/bin/env python3
"""Writes fuzz/token/test_keys.inc (the fixed test JWKS and private keys the target embeds)
and the seeds in fuzz/token/seeds/ from es256.pem and rs256.pem (test keys, trusted by
nothing but the fuzz target). Run by hand after changing the keys or the target's site; needs
python3-cryptography. Seeds are one control byte then the input (see fuzz_token.cc)."""
import base64, json, os, sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, utils

here = os.path.dirname(os.path.abspath(__file__))
NOW = 1893456000  # the target's fixed clock: 2030-01-01T00:00:00Z
OWN = "https://gantry.fuzz/gantry"  # the built-in issuer (ES256)
IAM = "https://iam.fuzz/"           # a trusted issuer (RS256)


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def load(name):
    with open(os.path.join(here, name), "rb") as f:
        return f.read()


ec_pem, rsa_pem = load("es256.pem"), load("rs256.pem")
ec_key = serialization.load_pem_private_key(ec_pem, None)
rsa_key = serialization.load_pem_private_key(rsa_pem, None)
ecn = ec_key.public_key().public_numbers()
rsn = rsa_key.public_key().public_numbers()
ec_jwk = {"kty": "EC", "crv": "P-256", "kid": "fuzz-es256", "alg": "ES256",
          "x": b64(ecn.x.to_bytes(32, "big")), "y": b64(ecn.y.to_bytes(32, "big"))}
rsa_jwk = {"kty": "RSA", "kid": "fuzz-rs256", "alg": "RS256",
           "n": b64(rsn.n.to_bytes((rsn.n.bit_length() + 7) // 8, "big")),
           "e": b64(rsn.e.to_bytes((rsn.e.bit_length() + 7) // 8, "big"))}


def sign(header, payload):
    h = b64(json.dumps(header, separators=(",", ":")).encode())
    p = b64(json.dumps(payload, separators=(",", ":")).encode())
    data = (h + "." + p).encode()
    if header["alg"] == "ES256":
        r, s = utils.decode_dss_signature(ec_key.sign(data, ec.ECDSA(hashes.SHA256())))
        sig = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    else:
        sig = rsa_key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    return h + "." + p + "." + b64(sig)


def claims(**extra):
    c = {"iss": IAM, "sub": "alice-sub", "aud": "gantry", "iat": NOW - 100, "exp": NOW + 3600,
         "wlcg.ver": "1.0", "jti": "jti-1", "scope": "compute.read compute.create",
         "wlcg.groups": ["/cms", "/cms/Role=production"]}
    c.update(extra)
    return {k: v for k, v in c.items() if v is not None}


RS = {"alg": "RS256", "typ": "JWT", "kid": "fuzz-rs256"}
ES = {"alg": "ES256", "typ": "JWT", "kid": "fuzz-es256"}
tokens = {
    "valid_rs256": sign(RS, claims()),
    "valid_own_es256": sign(ES, claims(iss=OWN, sub="bob", **{"wlcg.groups": None})),
    "valid_no_kid": sign({"alg": "RS256", "typ": "JWT"}, claims(sub="carol-sub")),
    "valid_agent": sign(ES, claims(iss=OWN, sub="agent-node7", scope="gantry.agent")),
    "valid_group_only": sign(RS, claims(sub="dave-sub", **{"wlcg.groups": ["/cms"]})),
    "valid_unmapped": sign(RS, claims(sub="erin-sub", **{"wlcg.groups": ["/atlas"]})),
    "valid_pool": sign(RS, claims(sub="frank-sub", **{"wlcg.groups": ["/dteam"]})),
    "expired": sign(RS, claims(iat=NOW - 7200, exp=NOW - 3600)),
    "not_yet_valid": sign(RS, claims(nbf=NOW + 3600)),
    "wrong_audience": sign(RS, claims(aud=["https://elsewhere/"])),
    "unknown_issuer": sign(RS, claims(iss="https://rogue.fuzz/")),
    "revoked": sign(RS, claims(jti="revoked-jti")),
    "bad_version": sign(RS, claims(**{"wlcg.ver": "2.0"})),
    "missing_exp": sign(RS, claims(exp=None)),
    "wrong_kid": sign({"alg": "RS256", "typ": "JWT", "kid": "nope"}, claims()),
    "es256_with_rsa_key": sign(ES, claims()),
}
good = tokens["valid_rs256"]
h, p, s = good.split(".")
tokens["bad_signature"] = h + "." + p + "." + ("A" if s[0] != "A" else "B") + s[1:]
tokens["alg_none"] = b64(b'{"alg":"none"}') + "." + p + "."
tokens["hs256"] = b64(b'{"alg":"HS256","typ":"JWT"}') + "." + p + "." + s
tokens["garbage"] = "not.a.token"
tokens["two_parts"] = h + "." + p

seeds = os.path.join(here, "seeds")
os.makedirs(seeds, exist_ok=True)
# Control byte 0: the input is an Authorization header value.
for name, tok in tokens.items():
    with open(os.path.join(seeds, "header_" + name), "wb") as f:
        f.write(b"\x00Bearer " + tok.encode())
for name, text in {"empty": b"", "basic": b"Basic YWxpY2U6cHc=", "bearer_only": b"Bearer ",
                   "lowercase": b"bearer  " + good.encode() + b"  "}.items():
    with open(os.path.join(seeds, "header_" + name), "wb") as f:
        f.write(b"\x00" + text)
# Control byte 1 (odd): the input is a payload the target signs itself (bit 1: with the
# RS256 key as iam.fuzz, else ES256 as the built-in issuer; bit 2: header then '\n' then
# payload, both from the input).
payloads = {
    "payload_es256": (1, json.dumps(claims(iss=OWN, sub="bob"))),
    "payload_rs256": (3, json.dumps(claims())),
    "payload_pool": (3, json.dumps(claims(sub="gina-sub", **{"wlcg.groups": ["/dteam/x"]}))),
    "payload_odd_types": (3, json.dumps(claims(aud=[1, 2], exp="soon"))),
    "payload_header": (7, json.dumps(RS) + "\n" + json.dumps(claims())),
    # Found by this target: exp + leeway overflowed int64, a double exp was cast out of range
    # (UB), and a good signature over a payload with an integer above INT64_MAX was reported
    # as bad (libjwt's jansson refused the payload). Regression tests: claims_test.cc,
    # verifier_test.cc.
    "regression_exp_int64_max": (3, json.dumps(claims(exp=9223372036854775807))),
    "regression_exp_int64_min": (3, json.dumps(claims(exp=-9223372036854775808))),
    "regression_exp_1e300": (3, json.dumps(claims()).replace(str(NOW + 3600), "1e300")),
    "regression_uint64_claim": (3, json.dumps(claims(x=18446744073709551615))),
}
for name, (control, text) in payloads.items():
    with open(os.path.join(seeds, name), "wb") as f:
        f.write(bytes([control]) + text.encode())

jwks = json.dumps({"keys": [ec_jwk, rsa_jwk]}, indent=1)
with open(os.path.join(here, "test_keys.inc"), "w") as f:
    f.write("// Written by make_seeds.py: test keys trusted by nothing but fuzz_token.\n")
    f.write('constexpr char kTestJwks[] = R"(' + jwks + ')";\n')
    f.write('constexpr char kEs256Pem[] = R"(' + ec_pem.decode() + ')";\n')
    f.write('constexpr char kRs256Pem[] = R"(' + rsa_pem.decode() + ')";\n')
print("wrote", len(os.listdir(seeds)), "seeds and test_keys.inc", file=sys.stderr)
