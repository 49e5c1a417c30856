#!/bin/bash
# End to end: the public verifier of the real `terbit serve`. Every
# registry state by token (JSON and the HTML page), EXPIRED through
# TERBIT_TODAY in the server's environment, UNKNOWN (a well-signed token
# from a copy of the office that this registry never saw) and FORGED;
# PDF upload (good, tampered, unknown, not a PDF); the NIK check; the
# public keys; metrics by result; the page's headers and size.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/http-lib.bash"

t_check "fixture: documents in every state" fixture
# A copy of the office: same keys, a document this registry never saw.
cp -a "$TERBIT_DATA" "$T_TMP/other"
free=${FREE_CASES%% *}; [ -n "$free" ] || free=${FREE_CASES# }; free=${free%% *}
OTHER=$(TERBIT_DATA="$T_TMP/other" "$TERBIT" issue "$free" letter --by dinsos \
	--out "$T_TMP/other.pdf")
t_check "a document from the copy" test -n "$OTHER"
OTHER_TOK=$(TERBIT_DATA="$T_TMP/other" sqlite3 "$T_TMP/other/terbit.db" \
	"SELECT token FROM documents WHERE serial = '$OTHER'")

t_check "server starts" srv_start main -- --rate-limit 0

# state_of TOKEN_OR_PATH: the JSON state for a token.
check_state() { # desc token want_state want_label
	req "$URL/api/v1/verify/$2"
	t_grep "$1: 200" '^200$' "$CODE"
	t_grep "$1: state $3" "\"state\":\"$3\"" "$BODY"
	t_grep "$1: label $4" "\"label\":\"$4\"" "$BODY"
}
check_state "valid letter" "$(token_of "$VALID")" VALID SAH
check_state "valid card" "$(token_of "$CARD")" VALID SAH
check_state "revoked" "$(token_of "$REVOKED")" REVOKED DICABUT
t_grep "revoked: reason shown" '"reason":"data keliru"' "$BODY"
check_state "superseded" "$(token_of "$SUPERSEDED")" SUPERSEDED DIGANTI
t_grep "superseded: names the new serial" "\"superseded_by\":\"$NEW\"" "$BODY"
check_state "replacement" "$(token_of "$NEW")" VALID SAH
check_state "unknown serial, good signature" "$OTHER_TOK" UNKNOWN "TIDAK TERDAFTAR"
t_grep "unknown: no document shown" '"document":null' "$BODY"
tok=$(token_of "$VALID")
# One letter changed in the signature part: the token no longer matches.
last=${tok: -1}; [ "$last" = A ] && sub=B || sub=A
check_state "forged (one character changed)" "${tok:0:143}$sub" FORGED PALSU
check_state "lower-case token" "$(echo "$tok" | tr A-Z a-z)" VALID SAH
check_state "malformed token" "not-a-token" FORGED PALSU
check_state "overlong token" "$(head -c 3000 /dev/zero | tr '\0' A)" FORGED PALSU

# Masking: no full NIK, no full name in any public answer.
nik=$(db "SELECT nik FROM documents WHERE serial = '$VALID'")
name=$(db "SELECT name FROM documents WHERE serial = '$VALID'")
req "$URL/api/v1/verify/$tok"
t_check "JSON holds no full NIK" bash -c "! grep -q '$nik' '$T_TMP/body'"
t_grep "JSON: masked NIK" '"nik":"[0-9]{6}\*{6}[0-9]{4}"' "$BODY"
t_check "JSON holds no full name" bash -c "! grep -qF '$name' '$T_TMP/body'"

# The HTML page, both path spellings.
for p in V v; do
	req "$URL/$p/$tok"
	t_grep "/$p/ page: 200" '^200$' "$CODE"
	t_grep "/$p/ page: HTML" '^Content-Type: text/html; charset=utf-8$' "$HDR"
	t_grep "/$p/ page: SAH" '<div class="w">SAH</div>' "$BODY"
done
t_grep "page: valid, cacheable for a minute" '^Cache-Control: public, max-age=60$' "$HDR"
t_grep "page: CSP" "^Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'$" "$HDR"
t_grep "page: nosniff" '^X-Content-Type-Options: nosniff$' "$HDR"
t_grep "page: no referrer" '^Referrer-Policy: no-referrer$' "$HDR"
size=$(stat -c %s "$T_TMP/body")
t_check "page under 10 KB ($size bytes)" test "$size" -lt 10240
# The one script installs the offline verifier (tests/web_offline.sh).
t_check "page: no script but the offline verifier's" \
	test "$(grep -oi '<script[^>]*>' "$T_TMP/body")" = '<script src="/V/sw-register.js" defer>'
t_check "page: no outside resource" \
	bash -c "! sed 's|src=\"/V/sw-register.js\"||' '$T_TMP/body' | grep -Eqi '(src|href)='"
t_check "page holds no full NIK" bash -c "! grep -q '$nik' '$T_TMP/body'"
t_grep "page: document number" "$(db "SELECT number FROM documents WHERE serial = '$VALID'" | sed 's/[.]/\\./g')" "$BODY"
req "$URL/V/$(token_of "$REVOKED")"
t_grep "revoked page: DICABUT" '<div class="w">DICABUT</div>' "$BODY"
req "$URL/V/$(token_of "$SUPERSEDED")"
t_grep "superseded page: DIGANTI" '<div class="w">DIGANTI</div>' "$BODY"
req "$URL/V/not-a-token"
t_grep "malformed token page: 200, never 500" '^200$' "$CODE"
t_grep "malformed token page: TIDAK SAH" '<div class="w">TIDAK SAH</div>' "$BODY"
req "$URL/V/%3Cscript%3Ealert(1)%3C%5Cscript%3E"
t_grep "markup in the path: TIDAK SAH" 'TIDAK SAH' "$BODY"
t_check "markup in the path never echoed" bash -c "! grep -q '<script>' '$T_TMP/body'"

# PDF upload.
"$TERBIT" document get "$VALID" --out "$T_TMP/valid.pdf" >/dev/null
req -X POST -H 'Content-Type: application/pdf' --data-binary @"$T_TMP/valid.pdf" "$URL/api/v1/verify"
t_grep "PDF upload: 200" '^200$' "$CODE"
t_grep "PDF upload: VALID" '"state":"VALID"' "$BODY"
t_grep "PDF upload: names the serial" "\"serial\":\"$VALID\"" "$BODY"
"$TERBIT" document get "$REVOKED" --out "$T_TMP/revoked.pdf" >/dev/null
req -X POST -H 'Content-Type: application/pdf' --data-binary @"$T_TMP/revoked.pdf" "$URL/api/v1/verify"
t_grep "revoked PDF: REVOKED" '"state":"REVOKED"' "$BODY"
# Tampered: one byte of the page content changed (same length).
python3 - "$T_TMP/valid.pdf" "$T_TMP/tampered.pdf" <<'PY'
import sys
b = bytearray(open(sys.argv[1], 'rb').read())
i = b.index(b'stream') + 20
b[i] ^= 0x01
open(sys.argv[2], 'wb').write(b)
PY
req -X POST -H 'Content-Type: application/pdf' --data-binary @"$T_TMP/tampered.pdf" "$URL/api/v1/verify"
t_grep "tampered PDF: 200" '^200$' "$CODE"
t_grep "tampered PDF: FORGED" '"state":"FORGED"' "$BODY"
req -X POST -H 'Content-Type: application/pdf' --data-binary @"$T_TMP/other.pdf" "$URL/api/v1/verify"
t_grep "good signature, not in our registry: UNKNOWN" '"state":"UNKNOWN"' "$BODY"
req -X POST -H 'Content-Type: application/pdf' --data-binary 'not a pdf at all' "$URL/api/v1/verify"
t_grep "garbage as PDF: FORGED, not 500" '"state":"FORGED"' "$BODY"
req -X POST -H 'Content-Type: text/plain' --data-binary @"$T_TMP/valid.pdf" "$URL/api/v1/verify"
t_grep "PDF as text/plain: 415" '^415$' "$CODE"
t_grep "415: English message" '"message":"The request body.s content type is not accepted' "$BODY"
head -c $((5 * 1024 * 1024 + 1)) /dev/zero >"$T_TMP/big.pdf"
req -X POST -H 'Content-Type: application/pdf' --data-binary @"$T_TMP/big.pdf" "$URL/api/v1/verify"
t_grep "PDF over 5 MB: 413" '^413$' "$CODE"
t_run 2 "the CLI has the same limit (VERIFY_PDF_MAX)" "$TERBIT" verify "$T_TMP/big.pdf"
t_grep "CLI limit: says the size" "lebih besar dari 5242880 byte" "$ERR"

# NIK check.
req -X POST -H 'Content-Type: application/json' -d "{\"nik\":\"$nik\"}" "$URL/api/v1/verify/$tok/nik"
t_grep "NIK match: 200" '^200$' "$CODE"
t_grep "NIK match: true" '^\{"match":true\}$' "$BODY"
other_nik=$(db "SELECT nik FROM residents WHERE nik <> '$nik' LIMIT 1")
req -X POST -H 'Content-Type: text/plain' --data-binary "$other_nik" "$URL/api/v1/verify/$tok/nik"
t_grep "NIK mismatch (text/plain): false" '^\{"match":false\}$' "$BODY"
req -X POST -H 'Content-Type: application/json' -d '{"nik":"12"}' "$URL/api/v1/verify/$tok/nik"
t_grep "short NIK: 400" '^400$' "$CODE"
t_grep "400 carries the module's text as detail" '"detail":"NIK harus 16 digit"' "$BODY"
req -X POST -H 'Content-Type: application/json' -d '{"nik":' "$URL/api/v1/verify/$tok/nik"
t_grep "broken JSON: 400" '^400$' "$CODE"
req -X POST -H 'Content-Type: application/json' -d "{\"nik\":\"$nik\"}" "$URL/api/v1/verify/$OTHER_TOK/nik"
t_grep "NIK on a token we never issued: 404" '^404$' "$CODE"

# Public keys.
req "$URL/.well-known/terbit/keys"
t_grep "keys: 200" '^200$' "$CODE"
t_grep "keys: format" '"format":"terbit-keys-1"' "$BODY"
t_grep "keys: CA certificate" 'BEGIN CERTIFICATE' "$BODY"
t_check "keys: no private key" bash -c "! grep -q PRIVATE '$T_TMP/body'"

req "$URL/metrics"
t_grep "metrics: valid verifications" 'terbit_verifications_total\{result="valid"\} [0-9]+' "$BODY"
t_grep "metrics: forged verifications" 'terbit_verifications_total\{result="forged"\} [0-9]+' "$BODY"
t_grep "metrics: revoked verifications" 'terbit_verifications_total\{result="revoked"\} [0-9]+' "$BODY"
srv_stop
t_grep "server: exit 0 on SIGTERM" '^0$' "$STOP_RC"
t_check "no token in the access log" bash -c "! grep -q '$tok' '$T_TMP/main.err'"
t_check "no sanitizer report" bash -c "! grep -Eq 'Sanitizer|runtime error' '$T_TMP/main.err'"

# EXPIRED: the same registry on a later day.
t_check "server two years later starts" srv_start later TERBIT_TODAY=2029-01-01 -- --rate-limit 0
check_state "expired (TERBIT_TODAY=2029-01-01)" "$tok" EXPIRED KEDALUWARSA
req "$URL/V/$tok"
t_grep "expired page: KEDALUWARSA" '<div class="w">KEDALUWARSA</div>' "$BODY"
srv_stop

# The NIK check has its own, stricter bucket: rate_limit 40 -> 2 a minute.
t_check "rate-limited server starts" srv_start limited -- --rate-limit 40
for i in 1 2; do
	req -X POST -H 'Content-Type: text/plain' --data-binary "$nik" "$URL/api/v1/verify/$tok/nik"
	t_grep "NIK check $i within its bucket" '^200$' "$CODE"
done
req -X POST -H 'Content-Type: text/plain' --data-binary "$nik" "$URL/api/v1/verify/$tok/nik"
t_grep "3rd NIK check: 429" '^429$' "$CODE"
t_grep "429 says when to retry" '^Retry-After: [0-9]+$' "$HDR"
req "$URL/api/v1/verify/$tok"
t_grep "plain verification still allowed" '^200$' "$CODE"
srv_stop

t_done
