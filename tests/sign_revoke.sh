#!/bin/bash
# Long-term signatures through the issue gate: every issued letter and
# card is PAdES B-LT (pdfsig valid, not the whole file: the DSS update
# follows; verify-pdf counts the DSS), and revoking the signing
# certificate with `keys crl --revoke`: `terbit verify` of a file it
# signed is no longer VALID, the gate stops issuing with it, `document
# check` names the documents to reissue, and `keys new-signer` lets the
# gate issue again.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/issue-setup.bash"
source "$(dirname "$0")/http-lib.bash"

W=$T_TMP/w
mkdir -p "$W"
issue_setup 3 || { t_fail "set-up of approved cases"; t_done; exit 1; }
t_ok "set-up: 3 approved cases"

t_run 0 "issue letter" "$TERBIT" issue 1 letter --by ds --out "$W/l1.pdf"
t_run 0 "issue card" "$TERBIT" issue 2 card --by ds --out "$W/c2.pdf"
for f in l1 c2; do
	t_run 0 "$f: pdfsig" pdfsig "$W/$f.pdf"
	t_grep "$f: pdfsig: valid, signed, then the DSS added" \
		"Not total document signed.*Signature is Valid" "$(tr '\n' ' ' <<<"$OUT")"
	t_run 0 "$f: qpdf --check" qpdf --check "$W/$f.pdf"
	t_run 0 "$f: verify-pdf" "$TERBIT" verify-pdf "$W/$f.pdf" --json
	t_grep "$f: B-LT" '"status":"VALID".*"level":"B-LT","dss_certs":2,"dss_crls":1' "$OUT"
	t_run 0 "$f: terbit verify: VALID" "$TERBIT" verify "$W/$f.pdf"
done
t_run 0 "document check before" "$TERBIT" document check
t_grep "document check: no problems" " 0 masalah" "$OUT"
token=$(sqlite3 "$TERBIT_DATA/terbit.db" "SELECT token FROM documents ORDER BY issued_at LIMIT 1")

kid=$("$TERBIT" keys list | awk '$1 == "pdf" && /aktif/ { print $2 }')
t_run 0 "keys crl --revoke the signer" "$TERBIT" keys crl --revoke "$kid"

for f in l1 c2; do
	t_run 11 "$f: terbit verify after revocation: REVOKED (exit 11)" \
		"$TERBIT" verify "$W/$f.pdf"
	t_grep "$f: the certificate is named, and the fix" \
		"sertifikat penanda tangan dicabut.*terbitan ulang" "$(tr '\n' ' ' <<<"$OUT")"
	t_run 11 "$f: terbit verify --json" "$TERBIT" verify "$W/$f.pdf" --json
	t_grep "$f: JSON state REVOKED" '"state":"REVOKED"' "$OUT"
	t_check "$f: never VALID" bash -c '! grep -q "\"state\":\"VALID\"" <<<"$1"' _ "$OUT"
done
# Offline, with what export-public writes (ca.crl among it): the same.
"$TERBIT" keys export-public --out "$W/pub" >/dev/null
"$TERBIT" status export --out "$W/st.txt" >/dev/null
t_run 11 "offline verify of the letter: REVOKED (exit 11)" env TERBIT_DATA="$W/nowhere" \
	"$TERBIT" verify --offline --trust "$W/pub" --status "$W/st.txt" "$W/l1.pdf"
t_grep "offline: REVOKED, the certificate named" \
	"^REVOKED.*sertifikat penanda tangan dicabut" "$(tr '\n' ' ' <<<"$OUT")"

# The QR token is signed by the Ed25519 key, not the certificate: the
# registry still answers for it.
t_run 0 "the QR token still verifies" "$TERBIT" verify "$token"
t_run nz "document check names the documents signed by it" "$TERBIT" document check
t_grep "document check: REVOKED signatures" "REVOKED.*dicabut" "$OUT"

docs=$(sqlite3 "$TERBIT_DATA/terbit.db" "SELECT count(*) FROM documents")
t_run nz "the gate cannot sign with a revoked certificate" \
	"$TERBIT" issue 3 letter --by ds --out "$W/l3.pdf"
t_grep "the gate names the fix" "keys new-signer" "$ERR"
t_check "no document row added" \
	test "$(sqlite3 "$TERBIT_DATA/terbit.db" "SELECT count(*) FROM documents")" = "$docs"
t_check "no file written" test ! -e "$W/l3.pdf"

t_run 0 "keys new-signer" "$TERBIT" keys new-signer
t_run 0 "issue again with the new signer" "$TERBIT" issue 3 letter --by ds --out "$W/l3.pdf"
t_run 0 "new letter: terbit verify VALID" "$TERBIT" verify "$W/l3.pdf"
t_run 0 "new letter: B-LT with the CRL that lists the old signer" \
	"$TERBIT" verify-pdf "$W/l3.pdf" --json
t_grep "new letter: B-LT" '"level":"B-LT"' "$OUT"

# terbit serve says at start when new letters would carry no CRL; the
# administrator's keys page marks the revoked signer.
echo "admin-rahasia-2026" | "$TERBIT" user passwd admin >/dev/null 2>&1
t_check "serve starts" srv_start s1
req -d "name=admin&password=admin-rahasia-2026" "$URL/masuk"
SID=$(printf '%s\n' "$HDR" | sed -n 's/^Set-Cookie: terbit_sid=\([^;]*\);.*/\1/p')
req -b "terbit_sid=$SID" "$URL/admin/kunci"
t_grep "keys page: the revoked signer marked Dicabut" \
	"<code>$kid</code>" "$(grep -A3 'pill bad">Dicabut' "$T_TMP/body")"
t_check "keys page: the new signer is not" \
	test "$(grep -c 'pill bad">Dicabut' "$T_TMP/body")" = 1
srv_stop
t_check "serve: no CRL warning with a current CRL" \
	bash -c '! grep -q "CRL kantor" "$1"' _ "$T_TMP/s1.err"
mv "$TERBIT_DATA/keys/ca.crl" "$W/ca.crl"
t_check "serve starts without a CRL" srv_start s2
srv_stop
t_grep "serve: warns that letters will not be B-LT" \
	"CRL kantor belum ada.*terbit keys crl" "$(cat "$T_TMP/s2.err")"
"$TERBIT" render letter --fields "$ROOT/tests/data/render_fields.txt" --out "$W/r.pdf" >/dev/null
t_run 0 "without a CRL: sign-pdf still signs" "$TERBIT" sign-pdf "$W/r.pdf" "$W/r-signed.pdf"
t_run 0 "without a CRL: verify-pdf" "$TERBIT" verify-pdf "$W/r-signed.pdf" --json
t_grep "without a CRL: VALID, DSS with the certificates only" \
	'"status":"VALID".*"level":"B-B","dss_certs":2,"dss_crls":0' "$OUT"
mv "$W/ca.crl" "$TERBIT_DATA/keys/ca.crl"

t_done
