#!/bin/bash
# End to end: the staff and village API of the real `terbit serve`. One
# new case walked from draft to approved, each step by the role the
# workflow names, with attachments and survey answers through the API;
# then the letter issued, downloaded (and verified), revoked, issued again
# and reissued. Every error status the API promises: 400, 401, 403, 404,
# 405, 409, 413, 415, 422. Downloads and issuance land in the audit log.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/http-lib.bash"

t_check "fixture" fixture
t_check "server starts" srv_start main -- --rate-limit 0

# A resident of the regency with no case and no active PBI membership.
read -r NIK VILLAGE < <(db -separator ' ' "SELECT nik, village_code FROM residents r
	WHERE village_code LIKE '3510%' AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.nik = r.nik)
	AND NOT EXISTS (SELECT 1 FROM pbi p WHERE p.nik = r.nik AND p.active = 1) LIMIT 1")
DESA=$(user_token "desa-$VILLAGE")
KEC=$(user_token "kecamatan-${VILLAGE:0:6}")
DINKES=$(user_token dinkes)
DINSOS=$(user_token dinsos)
t_check "tokens for every role of the case's region" test -n "$DESA" -a -n "$KEC" -a -n "$DINKES" -a -n "$DINSOS"

# api TOKEN METHOD PATH [curl args...]
api() {
	local tok=$1 method=$2 path=$3; shift 3
	req -X "$method" -H "Authorization: Bearer $tok" "$@" "$URL$path"
}
json() { api "$@"; }
post_json() { local tok=$1 path=$2 body=$3; api "$tok" POST "$path" -H 'Content-Type: application/json' --data-binary "$body"; }
move() { # desc token to want_code
	post_json "$2" "/api/v1/cases/$ID/move" "{\"to\":\"$3\",\"note\":\"lewat API\"}"
	t_grep "$1" "^$4\$" "$CODE"
}

post_json "$DESA" /api/v1/cases "{\"nik\":\"$NIK\"}"
t_grep "desa opens a case: 201" '^201$' "$CODE"
ID=$(jget "$BODY" '["id"]')
t_check "case id returned ($ID)" test -n "$ID"
api "$DESA" GET "/api/v1/cases/$ID"
t_grep "show: draft" '"state":"draft"' "$BODY"
t_grep "show: full NIK for staff" "\"nik\":\"$NIK\"" "$BODY"
post_json "$DESA" /api/v1/cases '{"nik":"0000000000000000"}'
# A village gets the same 403 for an unknown NIK as for another
# village's (issue 11, finding 7); it was 404.
t_grep "unknown NIK, village operator: 403" '^403$' "$CODE"
t_grep "unknown NIK: the same words as outside the region" '"detail":"NIK tidak ditemukan di wilayah Anda"' "$BODY"
post_json "$DESA" /api/v1/cases "{\"nik\":\"$NIK\"}"
t_grep "a second open case for the NIK: 409" '^409$' "$CODE"
t_grep "409 names the open case" "\"detail\":\"sudah ada kasus terbuka #$ID untuk penduduk ini\"" "$BODY"

move "submit without a referral: 422" "$DESA" submitted 422
t_grep "422: English message" '"message":"A rule is not met' "$BODY"
t_grep "422: the module's Indonesian reason as detail" '"detail":"[^"]*rujukan' "$BODY"

printf '%%PDF-1.4\n%% rujukan puskesmas\n1 0 obj<<>>endobj\n%%%%EOF\n' >"$T_TMP/rujukan.pdf"
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR-survey-photo' >"$T_TMP/survei.png"
api "$DESA" POST "/api/v1/cases/$ID/attachments?kind=rujukan&filename=rujukan.pdf" \
	-H 'Content-Type: application/pdf' --data-binary @"$T_TMP/rujukan.pdf"
t_grep "referral uploaded: 201" '^201$' "$CODE"
ATT=$(jget "$BODY" '["id"]')
api "$DESA" GET "/api/v1/cases/$ID/attachments/$ATT"
t_grep "attachment download: 200" '^200$' "$CODE"
t_grep "attachment download: its type" '^Content-Type: application/pdf$' "$HDR"
t_grep "attachment download: a file name" '^Content-Disposition: attachment; filename="rujukan.pdf"$' "$HDR"
t_check "attachment download: the same bytes" cmp -s "$T_TMP/body" "$T_TMP/rujukan.pdf"
t_grep "attachment download audited" 'case.attachment.get' "$(db "SELECT action FROM audit WHERE object = 'case:$ID'")"
api "$DESA" GET "/api/v1/cases/$ID/attachments/999999"
t_grep "unknown attachment: 404" '^404$' "$CODE"
api "$DESA" POST "/api/v1/cases/$ID/attachments?kind=rujukan" \
	-H 'Content-Type: text/plain' --data-binary @"$T_TMP/rujukan.pdf"
t_grep "attachment as text/plain: 415" '^415$' "$CODE"
api "$DESA" POST "/api/v1/cases/$ID/attachments?kind=rujukan" \
	-H 'Content-Type: application/pdf' --data-binary 'GIF89a not a pdf'
t_grep "bytes that are not what they claim: 415" '^415$' "$CODE"
api "$DESA" POST "/api/v1/cases/$ID/attachments" \
	-H 'Content-Type: application/pdf' --data-binary @"$T_TMP/rujukan.pdf"
t_grep "attachment without ?kind: 400" '^400$' "$CODE"
api "$DESA" POST "/api/v1/cases/$ID/attachments?kind=lain" \
	-H 'Content-Type: application/pdf' --data-binary @"$T_TMP/rujukan.pdf"
t_grep "unknown attachment kind: 400" '^400$' "$CODE"
head -c $((10 * 1024 * 1024 + 1)) /dev/zero >"$T_TMP/big"
api "$DESA" POST "/api/v1/cases/$ID/attachments?kind=rujukan" \
	-H 'Content-Type: application/pdf' --data-binary @"$T_TMP/big"
t_grep "attachment over 10 MB: 413" '^413$' "$CODE"
t_grep "413: English message" '"message":"The request body is too large' "$BODY"

move "desa submits" "$DESA" submitted 200
t_grep "move answers the new state" '"state":"submitted"' "$BODY"
move "desa may not do the health check: 403" "$DESA" health_checked 403
move "dinkes checks" "$DINKES" health_checked 200

# Survey: every active indicator answered 1 (poorest), the retired one too.
answers=$("$TERBIT" policy show --json | python3 -c '
import json, sys
p = json.load(sys.stdin)
print(json.dumps({"answers": [{"indicator": i["code"], "value": 1} for i in p["indicators"]]}))')
api "$DESA" PUT "/api/v1/cases/$ID/answers" -H 'Content-Type: application/json' --data-binary '{"answers":[{"indicator":"nope","value":1}]}'
t_grep "unknown indicator: 400" '^400$' "$CODE"
api "$DESA" PUT "/api/v1/cases/$ID/answers" -H 'Content-Type: application/json' --data-binary '{"answers":[{"indicator":"luas_lantai","value":1.5}]}'
t_grep "a fractional value: 400" '^400$' "$CODE"
api "$DESA" PUT "/api/v1/cases/$ID/answers" -H 'Content-Type: application/json' --data-binary '{"answers":[]}'
t_grep "no answers: 400" '^400$' "$CODE"
before=$(db "SELECT count(*) FROM answers WHERE case_id = $ID")
api "$DESA" PUT "/api/v1/cases/$ID/answers" -H 'Content-Type: application/json' --data-binary '{"answers":[{"indicator":"luas_lantai","value":1},{"indicator":"luas_lantai","value":2}]}'
t_grep "one indicator twice: 400" '^400$' "$CODE"
t_grep "one indicator twice: named" '"detail":"indikator luas_lantai dijawab dua kali' "$BODY"
t_check "one indicator twice: nothing stored" test "$(db "SELECT count(*) FROM answers WHERE case_id = $ID")" = "$before"
api "$DESA" PUT "/api/v1/cases/$ID/answers" -H 'Content-Type: text/csv' --data-binary 'luas_lantai,1'
t_grep "answers as CSV: 415 (JSON only)" '^415$' "$CODE"
api "$DESA" PUT "/api/v1/cases/$ID/answers" -H 'Content-Type: application/json' --data-binary "$answers"
t_grep "desa records the survey: 200" '^200$' "$CODE"
api "$DESA" POST "/api/v1/cases/$ID/attachments?kind=survei&filename=foto.png" \
	-H 'Content-Type: image/png' --data-binary @"$T_TMP/survei.png"
t_grep "survey photo (PNG): 201" '^201$' "$CODE"
move "desa: surveyed" "$DESA" surveyed 200
move "kecamatan recommends" "$KEC" recommended 200
move "verified without the results: 422" "$DESA" verified 422
api "$DESA" POST "/api/v1/cases/$ID/attachments?kind=verifikasi&filename=hasil.pdf" \
	-H 'Content-Type: application/pdf' --data-binary @"$T_TMP/rujukan.pdf"
move "desa uploads the results and verifies" "$DESA" verified 200
api "$DINSOS" GET "/api/v1/cases/$ID/eligibility"
t_grep "eligibility: 200" '^200$' "$CODE"
t_grep "eligibility: eligible" '"eligible":true' "$BODY"
post_json "$DINSOS" "/api/v1/cases/$ID/documents" '{"kind":"letter"}'
t_grep "issue before approval: 409" '^409$' "$CODE"
move "dinsos approves" "$DINSOS" approved 200
move "a move out of a final state: 409" "$DINSOS" submitted 409
t_grep "409: English message" '"message":"The request conflicts' "$BODY"
move "an unknown state: 400" "$DINSOS" nirwana 400
post_json "$DINSOS" "/api/v1/cases/$ID/move" '{"note":"tanpa tujuan"}'
t_grep "move without \"to\": 400" '^400$' "$CODE"

# Issuance.
post_json "$DINSOS" "/api/v1/cases/$ID/documents" '{"kind":"buku"}'
t_grep "unknown kind: 400" '^400$' "$CODE"
post_json "$DINSOS" "/api/v1/cases/$ID/documents" '{"kind":"letter"}'
t_grep "dinsos issues the letter: 201" '^201$' "$CODE"
SERIAL=$(jget "$BODY" '["serial"]')
t_grep "issued: valid" '"state":"valid"' "$BODY"
post_json "$DINSOS" "/api/v1/cases/$ID/documents" '{"kind":"letter"}'
t_grep "issuing again returns the same document: 200" '^200$' "$CODE"
t_grep "issuing again: same serial" "\"serial\":\"$SERIAL\"" "$BODY"
t_grep "issuance audited" 'document.issue' "$(db "SELECT action FROM audit WHERE object = 'document:$SERIAL'")"
req "$URL/metrics"
t_grep "metrics: a letter issued" 'terbit_documents_issued_total\{kind="letter"\} 1' "$BODY"

api "$DESA" GET "/api/v1/documents/$SERIAL"
t_grep "village reads its document: 200" '^200$' "$CODE"
t_grep "document metadata" "\"case_id\":$ID" "$BODY"
api "$DESA" GET "/api/v1/documents/$SERIAL.pdf"
t_grep "village downloads the PDF: 200" '^200$' "$CODE"
t_grep "PDF content type" '^Content-Type: application/pdf$' "$HDR"
cp "$T_TMP/body" "$T_TMP/letter.pdf"
t_check "the PDF passes qpdf --check" qpdf --check "$T_TMP/letter.pdf" >/dev/null
t_grep "download audited" 'document.download' "$(db "SELECT action FROM audit WHERE object = 'document:$SERIAL'")"
req -X POST -H 'Content-Type: application/pdf' --data-binary @"$T_TMP/letter.pdf" "$URL/api/v1/verify"
t_grep "the downloaded PDF verifies VALID" '"state":"VALID"' "$BODY"
api "$DESA" GET "/api/v1/documents/0000000000000000"
# Unknown serial: 403 for a village, as for another village's document
# (issue 11, finding 7; it was 404); the regency-wide roles keep 404.
t_grep "unknown serial, village operator: 403" '^403$' "$CODE"
api "$DINSOS" GET "/api/v1/documents/0000000000000000"
t_grep "unknown serial, dinsos: 404" '^404$' "$CODE"
api "$DESA" GET "/api/v1/documents/xyz"
t_grep "malformed serial: 400" '^400$' "$CODE"

post_json "$DINSOS" "/api/v1/documents/$SERIAL/revoke" '{}'
t_grep "revoke without a reason: 400" '^400$' "$CODE"
post_json "$DINSOS" "/api/v1/documents/$SERIAL/revoke" '{"reason":"salah nama"}'
t_grep "dinsos revokes: 200" '^200$' "$CODE"
t_grep "revoked" '"state":"revoked"' "$BODY"
req "$URL/api/v1/verify/$(token_of "$SERIAL")"
t_grep "the verifier says REVOKED" '"state":"REVOKED"' "$BODY"
post_json "$DINSOS" "/api/v1/documents/$SERIAL/revoke" '{"reason":"lagi"}'
t_grep "revoking twice: 409" '^409$' "$CODE"
post_json "$DINSOS" "/api/v1/documents/$SERIAL/reissue" '{"reason":"ganti"}'
t_grep "reissuing a revoked one: 409" '^409$' "$CODE"

post_json "$DINSOS" "/api/v1/cases/$ID/documents" '{"kind":"letter"}'
t_grep "a new letter after revocation: 201" '^201$' "$CODE"
SECOND=$(jget "$BODY" '["serial"]')
post_json "$DINSOS" "/api/v1/documents/$SECOND/reissue" '{"reason":"alamat berubah"}'
t_grep "dinsos reissues: 201" '^201$' "$CODE"
THIRD=$(jget "$BODY" '["serial"]')
t_grep "reissue names what it replaces" "\"replaces\":\"$SECOND\"" "$BODY"
req "$URL/api/v1/verify/$(token_of "$SECOND")"
t_grep "the replaced one: SUPERSEDED" '"state":"SUPERSEDED"' "$BODY"
req "$URL/api/v1/verify/$(token_of "$THIRD")"
t_grep "the replacement: VALID" '"state":"VALID"' "$BODY"

# Lists, filters and paging.
api "$DINSOS" GET "/api/v1/cases?state=approved&limit=2&offset=1"
t_grep "list: 200" '^200$' "$CODE"
t_check "list: a page of 2" test "$(jget "$BODY" '["cases"].__len__()')" = 2
t_check "list: total of approved cases" test "$(jget "$BODY" '["total"]')" = "$(db "SELECT count(*) FROM cases WHERE state = 'approved'")"
t_check "list: only approved cases" test "$(jget "$BODY" '[ "cases"][0]["state"]')" = approved
api "$DESA" GET "/api/v1/cases"
t_check "village list: only its village" test "$(jget "$BODY" '["total"]')" = "$(db "SELECT count(*) FROM cases WHERE village_code = '$VILLAGE'")"
api "$DINSOS" GET "/api/v1/cases?region=${VILLAGE:0:2}.${VILLAGE:2:2}.${VILLAGE:4:2}"
t_check "region filter (dotted)" test "$(jget "$BODY" '["total"]')" = "$(db "SELECT count(*) FROM cases WHERE village_code LIKE '${VILLAGE:0:6}%'")"
api "$DINSOS" GET "/api/v1/cases?state=nope"
t_grep "unknown state filter: 400" '^400$' "$CODE"
api "$DINSOS" GET "/api/v1/cases?limit=5000"
t_grep "limit past 1000: 400" '^400$' "$CODE"
api "$DINSOS" GET "/api/v1/cases?offset=-1"
t_grep "negative offset: 400" '^400$' "$CODE"

# Requests the server refuses before a handler.
req "$URL/api/v1/cases"
t_grep "no token: 401" '^401$' "$CODE"
t_grep "401 asks for Bearer" '^WWW-Authenticate: Bearer$' "$HDR"
t_grep "401: English message" '"message":"Authentication required' "$BODY"
req -H 'Authorization: Basic eDp5' "$URL/api/v1/cases"
t_grep "Basic scheme: 401" '^401$' "$CODE"
req -H 'Authorization: Bearer not-a-user' "$URL/api/v1/cases"
t_grep "unknown token: 401" '^401$' "$CODE"
t_grep "401 unknown: English message" '"message":"The bearer token is not known."' "$BODY"
api "$DINSOS" DELETE "/api/v1/cases/$ID"
t_grep "DELETE: 405" '^405$' "$CODE"
t_grep "405 lists what is allowed" '^Allow: GET, HEAD$' "$HDR"
t_grep "405: English message" '"message":"This method is not allowed' "$BODY"
api "$DINSOS" GET "/api/v1/nothing"
t_grep "unknown path: 404" '^404$' "$CODE"
t_grep "404: English message" '"message":"No route for this path."' "$BODY"
api "$DINSOS" GET "/api/v1/cases/999999"
t_grep "unknown case: 404" '^404$' "$CODE"
api "$DINSOS" GET "/api/v1/cases/abc"
t_grep "malformed case id: 400" '^400$' "$CODE"
api "$DESA" POST /api/v1/cases -H 'Content-Type: text/plain' --data-binary "{\"nik\":\"$NIK\"}"
t_grep "JSON route, text body: 415" '^415$' "$CODE"
api "$DESA" POST /api/v1/cases -H 'Content-Type: application/json' --data-binary '{"nik":"1",}'
t_grep "broken JSON: 400" '^400$' "$CODE"
t_grep "broken JSON: where" '"detail":"invalid JSON at byte' "$BODY"
api "$DESA" POST /api/v1/cases -H 'Content-Type: application/json' --data-binary '["nik"]'
t_grep "JSON not an object: 400" '^400$' "$CODE"
python3 -c 'print("{\"nik\":\"" + "1" * 70000 + "\"}")' >"$T_TMP/huge.json"
api "$DESA" POST /api/v1/cases -H 'Content-Type: application/json' --data-binary @"$T_TMP/huge.json"
t_grep "JSON over 64 KB: 413" '^413$' "$CODE"

# The dashboard's figures (docs/reports.md), scoped to the caller.
api "$DINSOS" GET "/api/v1/stats?days=30"
t_grep "stats: 200 for dinsos" '^200$' "$CODE"
t_grep "stats: the regency by kecamatan" '"area_level":"kecamatan"' "$BODY"
t_grep "stats: the case just approved" '"approved":[1-9]' "$BODY"
api "$KEC" GET "/api/v1/stats"
t_grep "stats: a kecamatan officer sees their kecamatan" "\"scope\":\"${VILLAGE:0:6}\"" "$BODY"
t_grep "stats: by village" '"area_level":"village"' "$BODY"
api "$DESA" GET "/api/v1/stats?month=2026-13"
t_grep "stats: a bad month: 400" '^400$' "$CODE"
api "$DESA" GET "/api/v1/stats?days=abc"
t_grep "stats: bad days: 400" '^400$' "$CODE"
api "$(user_token faskes)" GET "/api/v1/stats"
t_grep "stats: a health facility: 403" '^403$' "$CODE"

srv_stop
t_grep "server: exit 0 on SIGTERM" '^0$' "$STOP_RC"
t_check "no sanitizer report" bash -c "! grep -Eq 'Sanitizer|runtime error' '$T_TMP/main.err'"
t_check "no NIK in the server's log" bash -c "! grep -q '$NIK' '$T_TMP/main.err'"
t_done
