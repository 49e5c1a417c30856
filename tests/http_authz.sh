#!/bin/bash
# End to end: who may call what. Every role (a village operator and a
# kecamatan officer of the case's own region and of another one, the
# health and social offices, a facility, an administrator) against every
# staff route, on one approved case with a letter; the expected status is
# one table below. Each 403 must leave one "access.denied" row in the
# audit log; no route answers anything but 401 without a token. A scoped
# role gets the same 403 for what does not exist as for what lies outside
# its region (issue 11, finding 7), so the create row's unknown NIK is a
# 403 for the villages too (it was 404).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/http-lib.bash"

t_check "fixture" fixture
t_check "server starts" srv_start main -- --rate-limit 0

V=$(db "SELECT village_code FROM cases WHERE id = $VALID_CASE")
OV=$(db "SELECT code FROM regions WHERE kind IN ('desa','kelurahan') AND substr(code,1,6) <> '${V:0:6}' LIMIT 1")
ATT=$(db "SELECT id FROM attachments WHERE case_id = $VALID_CASE LIMIT 1")
t_check "the case has an attachment" test -n "$ATT"
declare -A TOK=(
	[desa_own]=$(user_token "desa-$V") [desa_other]=$(user_token "desa-$OV")
	[kec_own]=$(user_token "kecamatan-${V:0:6}")
	[kec_other]=$(user_token "kecamatan-${OV:0:6}")
	[dinkes]=$(user_token dinkes) [dinsos]=$(user_token dinsos)
	[faskes]=$(user_token faskes) [admin]=$(user_token admin)
)
for r in "${!TOK[@]}"; do t_check "token for $r" test -n "${TOK[$r]}"; done

C=$VALID_CASE S=$VALID
# route name -> "METHOD PATH [JSON body]"
declare -A ROUTE=(
	[list]="GET /api/v1/cases"
	[show]="GET /api/v1/cases/$C"
	[elig]="GET /api/v1/cases/$C/eligibility"
	[att]="GET /api/v1/cases/$C/attachments/$ATT"
	[doc]="GET /api/v1/documents/$S"
	[pdf]="GET /api/v1/documents/$S.pdf"
	[move]='POST /api/v1/cases/'$C'/move {"to":"submitted"}'
	[issue]='POST /api/v1/cases/'$C'/documents {"kind":"letter"}'
	[revoke]='POST /api/v1/documents/'$S'/revoke {"reason":"uji"}'
	[create]='POST /api/v1/cases {"nik":"0000000000000000"}'
)
# The matrix. Columns: route, then the status for each role in this order.
ROLES="desa_own desa_other kec_own kec_other dinkes dinsos faskes admin"
MATRIX="
list    200 200 200 200 200 200 403 403
show    200 403 200 403 200 200 403 403
elig    200 403 200 403 200 200 403 403
att     200 403 200 403 200 200 403 403
doc     200 403 200 403 200 200 403 403
pdf     200 403 200 403 200 200 403 403
move    409 403 409 403 409 409 403 403
issue   403 403 403 403 403 200 403 403
revoke  403 403 403 403 403 -   403 403
create  403 403 403 403 403 403 403 403
"
denied=0
while read -r route expect; do
	[ -n "$route" ] || continue
	set -- $expect
	read -r method path body <<<"${ROUTE[$route]}"
	for role in $ROLES; do
		want=$1; shift
		[ "$want" = - ] && continue
		if [ -n "$body" ]; then
			req -X "$method" -H "Authorization: Bearer ${TOK[$role]}" \
				-H 'Content-Type: application/json' --data-binary "$body" "$URL$path"
		else
			req -X "$method" -H "Authorization: Bearer ${TOK[$role]}" "$URL$path"
		fi
		t_grep "$route as $role: $want" "^$want\$" "$CODE"
		[ "$want" = 403 ] && denied=$((denied + 1))
		if [ "$want" = 403 ]; then
			t_grep "$route as $role: forbidden, in English" '"message":"Not allowed' "$BODY"
		fi
	done
	# Without a token, every staff route asks for one.
	req -X "$method" "$URL$path"
	t_grep "$route without a token: 401" '^401$' "$CODE"
done <<<"$MATRIX"

got=$(db "SELECT count(*) FROM audit WHERE action = 'access.denied'")
t_check "every 403 audited once ($got of $denied)" test "$got" = "$denied"
row=$(db "SELECT actor || ' ' || role || ' ' || object || ' ' || note FROM audit
	WHERE action = 'access.denied' AND actor = 'desa-$OV' AND note LIKE 'GET /api/v1/documents%' LIMIT 1")
t_grep "denied row names who, what and the document" "^desa-$OV desa document:$S GET /api/v1/documents/\{serial\}$" "$row"
row=$(db "SELECT object FROM audit WHERE action = 'access.denied' AND actor = 'desa-$OV' AND note = 'GET /api/v1/cases/{id}'")
t_grep "denied row names the case" "^case:$C$" "$row"
# Every 401 audited too (issue 11): the address and what was tried,
# never the token.
unauth=$(db "SELECT count(*) FROM audit WHERE action = 'auth.denied'")
t_check "every 401 audited ($unauth)" test "$unauth" -ge "$(grep -c . <<<"$MATRIX")"
req -H "Authorization: Bearer GUESSED-TOKEN-123" "$URL/api/v1/cases"
t_grep "a guessed token: 401" '^401$' "$CODE"
row=$(db "SELECT actor || ' ' || object || ' ' || note FROM audit WHERE action = 'auth.denied' ORDER BY id DESC LIMIT 1")
t_grep "401 row names the address, the route and why" '^- addr:127\.0\.0\.1 GET /api/v1/cases; token tidak dikenal' "$row"
t_check "the guessed token is not in the audit log" test "$(db "SELECT count(*) FROM audit WHERE note LIKE '%GUESSED%' OR object LIKE '%GUESSED%'")" = 0
t_check "the letter was not revoked by anyone" test "$(db "SELECT state FROM documents WHERE serial = '$S'")" = valid
t_check "nothing downloaded by an outsider" test "$(db "SELECT count(*) FROM audit WHERE action = 'document.download' AND actor IN ('desa-$OV', 'kecamatan-${OV:0:6}', 'faskes', 'admin')")" = 0

srv_stop
t_grep "server: exit 0 on SIGTERM" '^0$' "$STOP_RC"
t_check "no sanitizer report" bash -c "! grep -Eq 'Sanitizer|runtime error' '$T_TMP/main.err'"
t_done
