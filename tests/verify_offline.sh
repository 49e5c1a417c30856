#!/bin/bash
# End to end: `terbit verify --offline` (issue/offline.h, docs/trust.md)
# with no database at all, only what an office publishes: the public keys
# (keys export-public) and the signed status list. Valid, revoked,
# superseded, expired, forged, a stale list, an unknown kid, a token that
# names another issuer, a tampered list, a format 1 token, PDFs; then
# two regencies (3510 and 3509, two data directories) in one signed trust
# list. Tokens the other tools make are made by Python's cryptography
# from docs/token.md: a second implementation of format 2.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/http-lib.bash"
PY=/usr/bin/python3

t_check "fixture: documents in every state" fixture
"$TERBIT" keys export-public --out "$T_TMP/pub" >/dev/null
"$TERBIT" status export --out "$T_TMP/st.txt" >/dev/null
"$TERBIT" document get "$VALID" --out "$T_TMP/valid.pdf" >/dev/null
"$TERBIT" document get "$REVOKED" --out "$T_TMP/revoked.pdf" >/dev/null
"$TERBIT" document get "$CARD" --out "$T_TMP/card.pdf" >/dev/null
# From here on nothing may read the database: move it away.
mv "$TERBIT_DATA" "$T_TMP/office"
export TERBIT_DATA="$T_TMP/nowhere"
ov() { "$TERBIT" verify --offline --trust "$T_TMP/pub" --status "$T_TMP/st.txt" "$@"; }
tok() { sqlite3 "$T_TMP/office/terbit.db" "SELECT token FROM documents WHERE serial = '$1'"; }

t_run 0 "valid letter: VALID" ov "$(tok "$VALID")"
t_grep "first word VALID" '^VALID$' "$(printf '%s\n' "$OUT" | head -n1)"
t_grep "says offline" 'diperiksa tanpa sambungan' "$OUT"
t_grep "says how old the list is" '^Status per   : [0-9]+ [A-Z][a-z]+ [0-9]{4} pukul [0-9]{2}\.[0-9]{2} WIB \(.* lalu\)' "$OUT"
t_grep "names the issuer and serial" "Penerbit     : 3510" "$OUT"
t_grep "serial" "Seri         : $VALID" "$OUT"
t_check "no database was made" test ! -e "$T_TMP/nowhere"
t_run 0 "the QR URL, lower case: VALID" ov "https://127.0.0.1:8080/v/$(tok "$VALID" | tr A-Z a-z)"
t_run 0 "the card: VALID" ov "$(tok "$CARD")"
t_run 11 "revoked: exit 11" ov "$(tok "$REVOKED")"
t_grep "REVOKED" '^REVOKED$' "$(printf '%s\n' "$OUT" | head -n1)"
t_grep "with the day, from the list" "dicabut $(date -u +%F) \(menurut daftar status\)" "$OUT"
t_run 12 "superseded: exit 12" ov "$(tok "$SUPERSEDED")"
t_grep "SUPERSEDED" '^SUPERSEDED$' "$(printf '%s\n' "$OUT" | head -n1)"
t_run 0 "its replacement: VALID" ov "$(tok "$NEW")"
t=$(tok "$VALID"); last=${t: -1}; [ "$last" = A ] && sub=Q || sub=A
t_run 15 "forged (last character changed): exit 15" ov "${t:0:151}$sub"
t_grep "FORGED, bad signature" 'tanda tangan tidak sah' "$OUT"
t_run 15 "not a token: FORGED" ov "bukan-token"
t_run 0 "--json" ov --json "$(tok "$VALID")"
t_grep "JSON: offline, issuer, list times" '"state":"VALID".*"offline":true,"issuer":3510.*"status_made":"[0-9T:-]+Z","status_next":"[0-9T:-]+Z","status_stale":false' "$OUT"

# The same day a year and more later: the token itself has expired.
exp=$(sqlite3 "$T_TMP/office/terbit.db" "SELECT date(expires_day * 86400 + 86400, 'unixepoch') FROM documents WHERE serial = '$VALID'")
t_run 13 "past its last day: EXPIRED (exit 13)" env TERBIT_TODAY="$exp" "$TERBIT" verify --offline --trust "$T_TMP/pub" --status "$T_TMP/st.txt" "$(tok "$VALID")"

# A stale list: two days on (TERBIT_TODAY moves the checker's clock).
later=$(date -u -d '+2 days' +%F)
stale() { env TERBIT_TODAY="$later" "$TERBIT" verify --offline --trust "$T_TMP/pub" --status "$T_TMP/st.txt" "$@"; }
t_run 16 "stale list: never VALID (STALE, exit 16)" stale "$(tok "$VALID")"
t_grep "first word STALE" '^STALE$' "$(printf '%s\n' "$OUT" | head -n1)"
t_grep "a warning on stderr" '^PERINGATAN: daftar status sudah lewat' "$ERR"
t_grep "says how old (2 days)" '\((2 hari|1 hari [0-9]+ jam) lalu\)' "$OUT"
t_run 11 "stale list: a revocation is still a revocation" stale "$(tok "$REVOKED")"
t_run 16 "no list at all: STALE" "$TERBIT" verify --offline --trust "$T_TMP/pub" "$(tok "$VALID")"
t_grep "says there is no list" 'tidak ada daftar status penerbit 3510' "$OUT"

# Python, from docs/token.md: format 2 tokens signed by the office's own
# key (read from its key file) or by a stranger's.
mk_token() { # KEYFILE|new VERSION ISSUER SERIAL_HEX
	$PY - "$@" <<'EOF'
import base64, hashlib, struct, sys, datetime
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
keyfile, version, issuer, serial = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), bytes.fromhex(sys.argv[4])
key = Ed25519PrivateKey.generate() if keyfile == "new" else \
    serialization.load_pem_private_key(open(keyfile, "rb").read(), None)
pub = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
today = (datetime.date.today() - datetime.date(1970, 1, 1)).days
head = bytes([version]) + hashlib.sha256(pub).digest()[:4] + bytes([1]) + serial + \
    struct.pack(">HH", today, today + 365) + bytes(8)
if version == 2:
    head += struct.pack(">IB", issuer, 0)
sig = key.sign(b"terbit-qr-v%d\0" % version + head)
print(base64.b32encode(head + sig).decode())
EOF
}
qrkey=$(ls "$T_TMP"/office/keys/qr-*.key | head -n1)
py2=$(mk_token "$qrkey" 2 3510 0123456789ABCDEF)
t_check "Python's format 2 token is 152 characters" test "${#py2}" = 152
t_run 0 "a format 2 token made by Python with the office key: VALID" ov "$py2"
py1=$(mk_token "$qrkey" 1 0 0123456789ABCDEF)
t_check "Python's format 1 token is 144 characters" test "${#py1}" = 144
t_run 0 "token check reads Python's format 2" env TERBIT_DATA="$T_TMP/office" "$TERBIT" token check --json "$py2"
t_grep "format 2, issuer 3510, serial" '"status":"OK".*"serial":"0123456789abcdef","version":2,"issuer":3510' "$OUT"
t_run 0 "a format 1 token (no issuer field): VALID, issuer from its key" ov "$py1"
t_grep "format 1: issuer 3510 from the key" 'Penerbit     : 3510' "$OUT"
t_run 15 "the office key, but naming issuer 3509: the unknown-key answer" ov "$(mk_token "$qrkey" 2 3509 0123456789ABCDEF)"
t_grep "unknown key" 'kunci penanda tangan tidak dikenal' "$OUT"
t_run 15 "a stranger's key: the unknown-key answer" ov "$(mk_token new 2 3510 0123456789ABCDEF)"
t_grep "unknown key" 'kunci penanda tangan tidak dikenal' "$OUT"

# Tampered lists are refused whole, with the reason, exit 2.
sed "s/^$REVOKED R /$REVOKED S /" "$T_TMP/st.txt" >"$T_TMP/bad.txt"
t_run 2 "tampered status list: refused" "$TERBIT" verify --offline --trust "$T_TMP/pub" --status "$T_TMP/bad.txt" "$(tok "$VALID")"
t_grep "names the file and why" "bad.txt: tanda tangan daftar status tidak sah" "$ERR"
grep -v "^$REVOKED " "$T_TMP/st.txt" | sed 's/^count 2$/count 1/' >"$T_TMP/drop.txt"
t_run 2 "a revocation dropped (count fixed): refused" "$TERBIT" verify --offline --trust "$T_TMP/pub" --status "$T_TMP/drop.txt" "$(tok "$REVOKED")"
head -c 100 "$T_TMP/st.txt" >"$T_TMP/cut.txt"
t_run 2 "a cut list: refused" "$TERBIT" verify --offline --trust "$T_TMP/pub" --status "$T_TMP/cut.txt" "$(tok "$VALID")"
t_run 3 "a missing list: exit 3" "$TERBIT" verify --offline --trust "$T_TMP/pub" --status "$T_TMP/none.txt" "$(tok "$VALID")"
t_run 2 "--offline without --trust" "$TERBIT" verify --offline "$(tok "$VALID")"
t_grep "says what it needs" 'perlu --trust' "$ERR"

# PDFs: the signature against the exported CA certificate, then the
# serial printed on it against the list.
t_run 0 "valid letter PDF: VALID" ov "$T_TMP/valid.pdf"
t_grep "PDF: the serial it carries" "Seri         : $VALID" "$OUT"
t_run 11 "revoked letter PDF: REVOKED" ov "$T_TMP/revoked.pdf"
t_run 0 "card PDF: VALID" ov "$T_TMP/card.pdf"
t_grep "card PDF: its serial (printed on the back)" "Seri         : $CARD" "$OUT"
cp "$T_TMP/valid.pdf" "$T_TMP/changed.pdf"
printf 'X' | dd of="$T_TMP/changed.pdf" bs=1 seek=3000 conv=notrunc 2>/dev/null
t_run 15 "a changed byte: FORGED" ov "$T_TMP/changed.pdf"
t_run 3 "a missing PDF: not found, not FORGED" ov "$T_TMP/none.pdf"

# ---- two regencies, one trust list --------------------------------
B="$T_TMP/jember"
sed 's/^regency = 3510$/regency = 3509/; s/^regency_name = .*/regency_name = "Jember"/' \
	"$ROOT/policy/banyuwangi.policy" >"$T_TMP/jember.policy"
t_run 0 "second office (3509): init" env TERBIT_DATA="$B" TERBIT_POLICY="$T_TMP/jember.policy" "$TERBIT" init
mkdir -p "$T_TMP/lists"
t_run 0 "3509: its status list" env TERBIT_DATA="$B" TERBIT_POLICY="$T_TMP/jember.policy" "$TERBIT" status export --out "$T_TMP/lists/3509.txt"
cp "$T_TMP/st.txt" "$T_TMP/lists/3510.txt"
t_grep "3509's list names issuer 3509" '^issuer 3509$' "$(cat "$T_TMP/lists/3509.txt")"
env TERBIT_DATA="$B" "$TERBIT" keys export-public --out "$T_TMP/pub3509" >/dev/null
t_run 0 "trust keygen" "$TERBIT" trust keygen "$T_TMP/tl"
tkey=$(ls "$T_TMP"/tl/trust-*.key); tpub=$(ls "$T_TMP"/tl/trust-*.pub.pem)
t_check "trust key is 0600" test "$(stat -c %a "$tkey")" = 600
t_run 0 "trust make: two regencies" "$TERBIT" trust make --key "$tkey" --out "$T_TMP/trust.txt" \
	"3510:Kabupaten Banyuwangi:$T_TMP/pub:https://spm.banyuwangikab.go.id/.well-known/terbit/status" \
	"3509:Kabupaten Jember:$T_TMP/pub3509"
list=$(cat "$T_TMP/trust.txt")
t_grep "issuers sorted, named, with keys" "^issuer 3509 Kabupaten Jember
key [0-9a-f]{8} [A-Za-z0-9_-]{43}
issuer 3510 Kabupaten Banyuwangi
key [0-9a-f]{8} [A-Za-z0-9_-]{43}
status https://spm.banyuwangikab.go.id/.well-known/terbit/status
sig " "$list"
# The trust list's signature, checked in Python from docs/trust.md.
t_grep "Python verifies the trust list" '^OK 2$' "$($PY - "$T_TMP/trust.txt" "$tpub" <<'EOF'
import base64, sys
from cryptography.hazmat.primitives import serialization
text = open(sys.argv[1], "rb").read()
pub = serialization.load_pem_public_key(open(sys.argv[2], "rb").read())
at = text.rindex(b"\nsig ") + 1
sig = text[at + 4:-1].decode()
pub.verify(base64.urlsafe_b64decode(sig + "=="), b"terbit-trust-v1\0" + text[:at])
print("OK", text.count(b"\nissuer "))
EOF
)"
tv() { "$TERBIT" verify --offline --trust "$T_TMP/trust.txt" --trust-key "$tpub" --status "$T_TMP/lists" "$@"; }
t_run 0 "trust list: Banyuwangi's letter VALID" tv "$(tok "$VALID")"
t_grep "named from the list" 'Penerbit     : 3510 Kabupaten Banyuwangi' "$OUT"
t_run 11 "trust list: Banyuwangi's revoked letter REVOKED" tv "$(tok "$REVOKED")"
jkey=$(ls "$B"/keys/qr-*.key | head -n1)
t_run 0 "trust list: a Jember token VALID (its own list)" tv "$(mk_token "$jkey" 2 3509 FEDCBA9876543210)"
t_grep "Jember named" 'Penerbit     : 3509 Kabupaten Jember' "$OUT"
t_run 15 "a Jember key naming Banyuwangi: the unknown-key answer" tv "$(mk_token "$jkey" 2 3510 FEDCBA9876543210)"
t_run 16 "Jember without its list: STALE" "$TERBIT" verify --offline --trust "$T_TMP/trust.txt" --trust-key "$tpub" --status "$T_TMP/st.txt" "$(mk_token "$jkey" 2 3509 FEDCBA9876543210)"
sed 's/^issuer 3509 Kabupaten Jember$/issuer 3509 Kabupaten Jembar/' "$T_TMP/trust.txt" >"$T_TMP/trust-bad.txt"
t_run 2 "a tampered trust list: refused" "$TERBIT" verify --offline --trust "$T_TMP/trust-bad.txt" --trust-key "$tpub" "$(tok "$VALID")"
t_grep "says so" 'tanda tangan daftar kepercayaan tidak sah' "$ERR"
t_run 2 "a trust list without its key: refused" "$TERBIT" verify --offline --trust "$T_TMP/trust.txt" "$(tok "$VALID")"
"$TERBIT" trust keygen "$T_TMP/tl2" >/dev/null
t_run 2 "a trust list under another trust key: refused" "$TERBIT" verify --offline --trust "$T_TMP/trust.txt" --trust-key "$(ls "$T_TMP"/tl2/trust-*.pub.pem)" "$(tok "$VALID")"
# The online verifier of Banyuwangi, vouching for Jember too (`trust`).
jt=$(mk_token "$jkey" 2 3509 FEDCBA9876543210)
t_check "server with a trust list starts" srv_start trusted TERBIT_TRUST="$T_TMP/trust.txt" \
	TERBIT_TRUST_KEY="$tpub" TERBIT_TRUST_STATUS="$T_TMP/lists" -- --data "$T_TMP/office" --rate-limit 0
req "$URL/api/v1/verify/$(tok "$VALID")"
t_grep "online: its own letter VALID, from the registry" '"state":"VALID".*"document":\{"serial":"'"$VALID" "$BODY"
req "$URL/api/v1/verify/$jt"
t_grep "online: a Jember token VALID by its key and list" '"state":"VALID","label":"SAH","detail":"penerbit 3509 Kabupaten Jember, diperiksa dengan daftar statusnya","document":null' "$BODY"
req "$URL/api/v1/verify/$(mk_token "$jkey" 2 3510 FEDCBA9876543210)"
t_grep "online: a Jember key naming 3510: FORGED" '"state":"FORGED".*kunci penanda tangan tidak dikenal' "$BODY"
req "$URL/api/v1/verify/$(mk_token new 2 3509 FEDCBA9876543210)"
t_grep "online: a stranger's key: FORGED" '"state":"FORGED"' "$BODY"
req "$URL/metrics"
t_grep "metrics count it" 'result="valid"' "$BODY"
srv_stop
t_check "server with only Banyuwangi's list starts" srv_start trusted2 TERBIT_TRUST="$T_TMP/trust.txt" \
	TERBIT_TRUST_KEY="$tpub" TERBIT_TRUST_STATUS="$T_TMP/st.txt" -- --data "$T_TMP/office" --rate-limit 0
req "$URL/api/v1/verify/$jt"
t_grep "online: Jember without its list: STALE, never VALID" '"state":"STALE","label":"BELUM PASTI"' "$BODY"
req "$URL/V/$jt"
t_grep "online page: not SAH" '^200$' "$CODE"
t_check "online page: does not say SAH" bash -c "! grep -q '<div class=\"w\">SAH</div>' '$T_TMP/body'"
req "$URL/metrics"
t_grep "metrics: stale" 'result="stale"' "$BODY"
srv_stop
t_check "a tampered trust list stops the start" bash -c "! env TERBIT_TRUST='$T_TMP/trust-bad.txt' TERBIT_TRUST_KEY='$tpub' '$TERBIT' serve --data '$T_TMP/office' --listen 127.0.0.1:0 >/dev/null 2>&1"
t_run 2 "trust make: a bad issuer code" "$TERBIT" trust make --key "$tkey" --out "$T_TMP/x.txt" "351:Salah:$T_TMP/pub"
t_check "nothing written" test ! -e "$T_TMP/x.txt"
t_done
