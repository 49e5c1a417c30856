#!/bin/bash
# End to end: read-only verifiers (`terbit serve --verify-only`) beside
# the writer on the same database file, as deploy/nginx-verifier.conf
# runs them. Two of them answer the same bytes (and ETags) as the writer;
# a revocation through the writer's API and a letter issued by the CLI
# show on both at once; they serve no route that writes or signs in (404),
# write nothing (the audit log does not grow, not even for refusals), and
# one refuses to start on a data directory without a database (creating
# nothing).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/http-lib.bash"

t_check "fixture: documents in every state" fixture
DINSOS=$(user_token dinsos)
t_check "writer starts" srv_start main -- --rate-limit 0
W_PID=$PID W_URL=$URL
t_check "read-only verifier 1 starts" srv_start ro1 -- --rate-limit 0 --verify-only --threads 2
R1_PID=$PID R1=$URL
t_check "read-only verifier 2 starts" srv_start ro2 -- --rate-limit 0 --verify-only --threads 2
R2_PID=$PID R2=$URL
t_grep "it says it only verifies" 'hanya verifikasi, baca saja' "$(cat "$T_TMP/ro1.out")"

hdr() { printf '%s\n' "$HDR" | sed -n "s/^$1: //Ip" | head -n1; }
audit_rows() { db "SELECT count(*) FROM audit"; }

V_TOK=$(token_of "$VALID")
for route in api/v1/verify V; do
	req "$W_URL/$route/$V_TOK"; w_body=$BODY; w_tag=$(hdr ETag)
	for u in "$R1" "$R2"; do
		req "$u/$route/$V_TOK"
		t_grep "$u /$route: VALID" '"state":"VALID"|<div class="w">SAH</div>' "$BODY"
		t_check "$u /$route: the writer's bytes" test "$BODY" = "$w_body"
		t_check "$u /$route: the writer's ETag" test "$(hdr ETag)" = "$w_tag"
	done
done

before=$(audit_rows)
for u in "$R1" "$R2"; do
	req -X POST -H "Authorization: Bearer $DINSOS" -H 'Content-Type: application/json' \
		--data-binary '{"reason":"dari verifier"}' "$u/api/v1/documents/$VALID/revoke"
	t_grep "$u: revoke route absent (404)" '^404$' "$CODE"
	req -H "Authorization: Bearer $DINSOS" "$u/api/v1/cases"
	t_grep "$u: case list absent (404)" '^404$' "$CODE"
	req -H 'Accept: text/html' "$u/"
	t_grep "$u: no web pages (404)" '^404$' "$CODE"
	req -X POST -H 'Content-Type: application/json' --data-binary '{"nik":"3510000000000000"}' \
		"$u/api/v1/verify/$V_TOK/nik"
	t_grep "$u: NIK check still answers" '"match":false' "$BODY"
	req "$u/healthz"
	t_grep "$u: healthz ok" '"status":"ok"' "$BODY"
done
t_check "the verifiers wrote no audit row ($before -> $(audit_rows))" test "$(audit_rows)" -eq "$before"
req "$W_URL/api/v1/verify/$V_TOK"
t_grep "the letter is still valid" '"state":"VALID"' "$BODY"

# Changes made by the writer show on both at once.
req -X POST -H "Authorization: Bearer $DINSOS" -H 'Content-Type: application/json' \
	--data-binary '{"reason":"uji verifier"}' "$W_URL/api/v1/documents/$VALID/revoke"
t_grep "the writer revokes the letter" '^200$' "$CODE"
for u in "$R1" "$R2"; do
	req "$u/api/v1/verify/$V_TOK"
	t_grep "$u: REVOKED at once" '"state":"REVOKED"' "$BODY"
	t_grep "$u: the reason" '"reason":"uji verifier"' "$BODY"
done
free=$(echo $FREE_CASES | cut -d' ' -f1)
NEWDOC=$("$TERBIT" issue "$free" letter --by dinsos)
t_check "the CLI issues a letter" test -n "$NEWDOC"
for u in "$R1" "$R2"; do
	req "$u/V/$(token_of "$NEWDOC")"
	t_grep "$u: the new letter is SAH" '<div class="w">SAH</div>' "$BODY"
done

# A verifier on a copy of the registry whose keys hold no private
# signing key (`keys export-verifier`): the same answers as the writer,
# PDFs checked, and nothing on that machine can sign a document.
K=$T_TMP/vkeys
t_run 0 "keys export-verifier" "$TERBIT" keys export-verifier --out "$K"
t_check "no private signing key in it" \
	bash -c "! ls '$K' | grep -Eq '^(qr-[0-9a-f]{8}|pdf-[0-9a-f]{8}|ca)\.key\$'"
t_check "the public QR keys, the CA and the seal key are" \
	bash -c "ls '$K'/qr-*.pub.pem '$K/ca.pem' '$K/seal.key' '$K/qr-current' >/dev/null"
t_grep "seal.key is 0600" '^600$' "$(stat -c %a "$K/seal.key")"
t_grep "the directory is 0700" '^700$' "$(stat -c %a "$K")"
t_run 2 "export-verifier without --out: refused" "$TERBIT" keys export-verifier
mkdir -p "$T_TMP/copy"
db ".backup '$T_TMP/copy/terbit.db'"
cp -a "$K" "$T_TMP/copy/keys"
t_check "verifier on the copy starts" \
	srv_start ro3 TERBIT_DATA="$T_TMP/copy" -- --rate-limit 0 --verify-only --threads 1
R3_PID=$PID R3=$URL
for tok in "$V_TOK" "$(token_of "$NEWDOC")" "$(token_of "$CARD")" "$(token_of "$SUPERSEDED")"; do
	req "$W_URL/api/v1/verify/$tok"; w_body=$BODY
	req "$R3/api/v1/verify/$tok"
	t_check "copy: $(jget "$BODY" '["state"]') as the writer says" test "$BODY" = "$w_body"
done
F_TOK="${V_TOK:0:143}$([ "${V_TOK: -1}" = A ] && echo B || echo A)"
req "$R3/api/v1/verify/$F_TOK"
t_grep "copy: a changed token is FORGED (the public key checks it)" '"state":"FORGED"' "$BODY"
req "$W_URL/.well-known/terbit/keys"; w_body=$BODY
req "$R3/.well-known/terbit/keys"
t_check "copy: the writer's public keys, the current one marked" test "$BODY" = "$w_body"
"$TERBIT" document pdf "$NEWDOC" --out "$T_TMP/new.pdf" >/dev/null 2>&1 ||
	db "SELECT writefile('$T_TMP/new.pdf', pdf) FROM document_pdfs WHERE serial = '$NEWDOC'" >/dev/null
req -X POST -H 'Content-Type: application/pdf' --data-binary "@$T_TMP/new.pdf" "$R3/api/v1/verify"
t_grep "copy: the letter's PDF verifies VALID" '"state":"VALID"' "$BODY"
free2=$(echo $FREE_CASES | cut -d' ' -f2)
t_run nz "the copy cannot issue: no signing key" env TERBIT_DATA="$T_TMP/copy" \
	"$TERBIT" issue "$free2" letter --by dinsos
t_grep "it says the key is missing" 'kunci' "$ERR"
PID=$R3_PID; srv_stop
t_grep "verifier on the copy: exit 0 on SIGTERM" '^0$' "$STOP_RC"

t_run nz "no database: refused" env TERBIT_DATA="$T_TMP/none" \
	"$TERBIT" serve --verify-only --listen 127.0.0.1:0
t_grep "no database: says why" 'basis data' "$ERR"
t_check "no database: nothing created" test ! -e "$T_TMP/none"

for p in "$R1_PID" "$R2_PID" "$W_PID"; do
	PID=$p; srv_stop
	t_grep "server $p: exit 0 on SIGTERM" '^0$' "$STOP_RC"
done
t_check "no sanitizer report" bash -c "! cat '$T_TMP'/*.err | grep -Eq 'Sanitizer|runtime error'"
t_done
