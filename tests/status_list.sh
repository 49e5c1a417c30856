#!/bin/bash
# End to end: the signed status list (docs/token.md, "The status list").
# `terbit status export` and GET /.well-known/terbit/status of the real
# server: the documents not in force and nothing else, the signature
# checked by two other implementations (Python's cryptography and the
# openssl CLI) with the public key `keys export-public` wrote, the ETag,
# 304 on If-None-Match, Cache-Control, a new list only when the registry
# moved, and expired documents through TERBIT_TODAY.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/http-lib.bash"

t_check "fixture: documents in every state" fixture
"$TERBIT" keys export-public --out "$T_TMP/pub" >/dev/null
kid=$(python3 -c 'import json,sys; print([k["kid"] for k in json.load(open(sys.argv[1]))["qr_keys"] if k["current"]][0])' "$T_TMP/pub/keys.json")

t_run 0 "status export" "$TERBIT" status export --out "$T_TMP/st.txt"
t_grep "says where" "Daftar status ditulis ke" "$OUT"
st=$(cat "$T_TMP/st.txt")
t_grep "header" "^terbit-status 1
issuer 3510
kid $kid
made [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z
next " "$st"
t_grep "two documents not in force" '^count 2$' "$(sed -n 6p "$T_TMP/st.txt")"
today=$(date -u +%F)
t_grep "the revoked letter: R, today" "^$REVOKED R $today\$" "$st"
t_grep "the superseded letter: S, today" "^$SUPERSEDED S $today\$" "$st"
t_check "nothing in force is listed" bash -c "! grep -Eq '^($VALID|$NEW|$CARD) ' '$T_TMP/st.txt'"
t_check "file is 0644" test "$(stat -c %a "$T_TMP/st.txt")" = 644

# A second implementation: Python's cryptography (Debian's, in the system
# python3), from the format alone.
check_py() { # FILE -> prints OK or why not
	/usr/bin/python3 - "$1" "$T_TMP/pub/keys.json" <<'EOF'
import base64, json, sys, datetime
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
text = open(sys.argv[1], "rb").read()
keys = {k["kid"]: k["x"] for k in json.load(open(sys.argv[2]))["qr_keys"]}
b64 = lambda s: base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
at = text.rindex(b"\nsig ") + 1
body, sig = text[:at], text[at + 4:]
assert sig.endswith(b"\n") and b"\n" not in sig[:-1], "sig line"
lines = body.decode().split("\n")[:-1]
assert lines[0] == "terbit-status 1"
f = dict(l.split(" ", 1) for l in lines[1:6])
n = int(f["count"])
entries = lines[6:]
assert len(entries) == n, "count"
assert entries == sorted(entries), "order"
made = datetime.datetime.strptime(f["made"], "%Y-%m-%dT%H:%M:%SZ")
nxt = datetime.datetime.strptime(f["next"], "%Y-%m-%dT%H:%M:%SZ")
Ed25519PublicKey.from_public_bytes(b64(keys[f["kid"]])).verify(
    b64(sig[:-1].decode()), b"terbit-status-v1\0" + body)
print("OK", f["issuer"], n, int((nxt - made).total_seconds()))
EOF
}
t_grep "Python verifies the signature" '^OK 3510 2 86400$' "$(check_py "$T_TMP/st.txt" 2>&1)"
# The worked example of docs/token.md, recomputed in Python from the seed
# 00..1f: the same bytes, the same signature (test_statuslist pins the C
# side to the same text).
t_grep "docs/token.md's status list vector, recomputed in Python" '^VECTOR OK$' "$(/usr/bin/python3 - "$ROOT/docs/token.md" <<'EOF'
import base64, sys
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
doc = open(sys.argv[1]).read()
ex = doc[doc.index("### Worked example\n"):]
ex = ex[ex.index("```\n") + 4:]
text = ex[:ex.index("```")].encode()
at = text.rindex(b"\nsig ") + 1
key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
sig = key.sign(b"terbit-status-v1\0" + text[:at])
want = b"sig " + base64.urlsafe_b64encode(sig).rstrip(b"=") + b"\n"
assert text[at:] == want, (text[at:], want)
key.public_key().verify(sig, b"terbit-status-v1\0" + text[:at])
assert text.startswith(b"terbit-status 1\nissuer 3510\nkid 56475aa7\n")
print("VECTOR OK")
EOF
)"
# A third: the openssl CLI, over the exact bytes signed.
sigline=$(tail -n1 "$T_TMP/st.txt")
{ printf 'terbit-status-v1\0'; head -n -1 "$T_TMP/st.txt"; } >"$T_TMP/msg"
printf '%s' "${sigline#sig }" | tr -- '-_' '+/' | python3 -c 'import sys,base64; s=sys.stdin.read(); sys.stdout.buffer.write(base64.b64decode(s+"="*(-len(s)%4)))' >"$T_TMP/sig"
t_run 0 "openssl pkeyutl verifies the signature" openssl pkeyutl -verify -pubin \
	-inkey "$T_TMP/pub/qr-$kid.pub.pem" -rawin -in "$T_TMP/msg" -sigfile "$T_TMP/sig"
t_grep "openssl: Signature Verified Successfully" 'Signature Verified Successfully' "$OUT"
# One changed byte (a revoked letter made superseded) and it fails.
sed "s/^$REVOKED R /$REVOKED S /" "$T_TMP/st.txt" >"$T_TMP/bad.txt"
bad=$(check_py "$T_TMP/bad.txt" 2>&1)
t_check "a changed entry fails in Python" bash -c "! grep -q '^OK' <<<'$bad'"
{ printf 'terbit-status-v1\0'; head -n -1 "$T_TMP/bad.txt"; } >"$T_TMP/badmsg"
t_run nz "a changed entry fails in openssl" openssl pkeyutl -verify -pubin \
	-inkey "$T_TMP/pub/qr-$kid.pub.pem" -rawin -in "$T_TMP/badmsg" -sigfile "$T_TMP/sig"

# Expired documents: TERBIT_TODAY past every expiry; listed X, dated the
# day after their last day.
TERBIT_TODAY=2031-01-01 "$TERBIT" status export --next-hours 2 >"$T_TMP/later.txt"
later=$(cat "$T_TMP/later.txt")
exp=$(db "SELECT date(expires_day * 86400 + 86400, 'unixepoch') FROM documents WHERE serial = '$VALID'")
t_grep "an expired letter: X, the day after its last" "^$VALID X $exp\$" "$later"
t_grep "and the card" "^$CARD X " "$later"
t_grep "revoked stays R" "^$REVOKED R " "$later"
t_grep "count 5" '^count 5$' "$later"
t_grep "--next-hours 2: next is made + 2 h" '^OK 3510 5 7200$' "$(check_py "$T_TMP/later.txt" 2>&1)"
t_run 2 "--next-hours 0 refused" "$TERBIT" status export --next-hours 0
t_grep "says why (Indonesian)" 'next-hours harus' "$ERR"

# The route.
t_check "server starts" srv_start main -- --rate-limit 0
req "$URL/.well-known/terbit/status"
t_grep "200" '^200$' "$CODE"
t_grep "text/plain; charset=utf-8" '^Content-Type: text/plain; charset=utf-8$' "$HDR"
t_grep "Cache-Control public, 5 minutes" '^Cache-Control: public, max-age=300$' "$HDR"
etag=$(printf '%s\n' "$HDR" | sed -n 's/^ETag: //p')
t_grep "a strong ETag" '^"[0-9a-f]{32}"$' "$etag"
cp "$T_TMP/body" "$T_TMP/served.txt"
t_grep "served list verifies in Python" '^OK 3510 2 86400$' "$(check_py "$T_TMP/served.txt" 2>&1)"
t_grep "same entries as the export" "^$REVOKED R $today\$" "$BODY"
req -H "If-None-Match: $etag" "$URL/.well-known/terbit/status"
t_grep "If-None-Match: 304" '^304$' "$CODE"
t_grep "304 has no body" '^0$' "$(curl -s -o /dev/null -w '%{size_download}' -H "If-None-Match: $etag" "$URL/.well-known/terbit/status")"
t_grep "304 keeps the ETag" "^ETag: $etag\$" "$HDR"
req -H 'If-None-Match: "0000", W/'"$etag" "$URL/.well-known/terbit/status"
t_grep "a list of tags, weak form: 304" '^304$' "$CODE"
req -H 'If-None-Match: "00000000000000000000000000000000"' "$URL/.well-known/terbit/status"
t_grep "another tag: 200" '^200$' "$CODE"
# Nothing moved: the same bytes (not remade on every request).
req "$URL/.well-known/terbit/status"
t_check "unchanged registry: same bytes" cmp -s "$T_TMP/body" "$T_TMP/served.txt"
# A revocation moves the registry: a new list, a new tag, at once.
"$TERBIT" revoke "$VALID" --reason "meninggal dunia" --by dinsos >/dev/null
req -H "If-None-Match: $etag" "$URL/.well-known/terbit/status"
t_grep "after a revocation: 200, not 304" '^200$' "$CODE"
t_grep "the revoked letter is listed" "^$VALID R $today\$" "$BODY"
t_grep "count 3" '^count 3$' "$BODY"
t_check "a new ETag" bash -c "! grep -q 'ETag: $etag' '$T_TMP/hdr'"
cp "$T_TMP/body" "$T_TMP/served2.txt"
t_grep "new list verifies" '^OK 3510 3 86400$' "$(check_py "$T_TMP/served2.txt" 2>&1)"
req -X POST "$URL/.well-known/terbit/status"
t_grep "POST: 405" '^405$' "$CODE"
srv_stop
t_check "server stops cleanly" test "$STOP_RC" = 0
t_done
