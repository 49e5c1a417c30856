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
