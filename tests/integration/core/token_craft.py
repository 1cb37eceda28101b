#!/usr/bin/env python3
"""token_craft.py KEY PAYLOAD_JSON [ALG]: prints a compact JWS of PAYLOAD_JSON signed ES256
with the PEM private key KEY (via the openssl CLI), for integration tests that need tokens
`gantry token issue` will not make (expired, not yet valid, another issuer). String values
"now", "now+N", "now-N" become that many seconds from now."""
import base64, json, subprocess, sys, time

key, payload = sys.argv[1], json.loads(sys.argv[2])
alg = sys.argv[3] if len(sys.argv) > 3 else "ES256"
now = int(time.time())
for k, v in list(payload.items()):
    if isinstance(v, str) and v.startswith("now"):
        payload[k] = now + int(v[3:] or 0)
b64 = lambda b: base64.urlsafe_b64encode(b).decode().rstrip("=")
signing = b64(json.dumps({"alg": alg, "typ": "JWT"}).encode()) + "." + b64(json.dumps(payload).encode())
der = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key], input=signing.encode(),
                     capture_output=True, check=True).stdout


def integer(buf, at):  # DER INTEGER at buf[at] -> (value, next offset)
    assert buf[at] == 2
    n = buf[at + 1]
    return int.from_bytes(buf[at + 2:at + 2 + n], "big"), at + 2 + n


# DER SEQUENCE { INTEGER r, INTEGER s } -> r || s, 32 bytes each (RFC 7518 section 3.4).
r, at = integer(der, 2)
s, _ = integer(der, at)
print(signing + "." + b64(r.to_bytes(32, "big") + s.to_bytes(32, "big")))
