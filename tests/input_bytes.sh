#!/bin/bash
# Bad bytes are bad input, wherever text comes in (issue 11, finding 2).
# A name with bytes that are not UTF-8, an ESC sequence, a NUL, or a NIK
# followed by "\0junk" is a bad row with its line number (nothing
# imported, the database unchanged; --skip-bad skips just that row); the
# API refuses such strings in JSON bodies with 400; the CLI's notes and
# reasons are checked the same way; and what was stored before the
# check existed never makes the API's JSON invalid or reaches the
# terminal raw.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/http-lib.bash"

HDR_ROW='nik,kk,name,birth_place,birth_date,sex,address,rt,rw,village_code'
GOOD1='3510054506900001,3510050101200001,Siti Rahayu,Banyuwangi,1990-06-05,P,Dusun Krajan,1,2,3510052001'
GOOD2='3510091203850002,3510090101200002,Slamet Santoso,Genteng,1985-03-12,L,Jalan Melati,3,1,3510052001'
# csv NAME BADROW: a residents file whose line 3 is BADROW (printf
# escapes), between two good rows.
csv() {
	{ echo "$HDR_ROW"; echo "$GOOD1"; printf "$2\n"; echo "$GOOD2"; } >"$T_TMP/$1.csv"
}
BASE='3510050101800003,3510050101200003'
csv ff    "$BASE,Budi \\xff\\xfe Santoso,Banyuwangi,1980-01-01,L,Krajan,1,1,3510052001"
csv esc   "$BASE,Budi \\x1b[2J\\x1b]0;owned\\x07,Banyuwangi,1980-01-01,L,Krajan,1,1,3510052001"
csv nul   "$BASE,Budi\\x00 Santoso,Banyuwangi,1980-01-01,L,Krajan,1,1,3510052001"
csv niknul "3510050101800003\\x00junk,3510050101200003,Budi Santoso,Banyuwangi,1980-01-01,L,Krajan,1,1,3510052001"
csv c1    "$BASE,Budi Santoso,Banyuwangi,1980-01-01,L,Jalan \\xc2\\x9b31m,1,1,3510052001"
csv over  "$BASE,Budi \\xc0\\xaf Santoso,Banyuwangi,1980-01-01,L,Krajan,1,1,3510052001"

"$TERBIT" init >/dev/null
TOKEN=$("$TERBIT" user add op --role desa --region 3510052001)
"$TERBIT" user add dinsos1 --role dinsos >/dev/null
t_check "the files hold the raw bytes" env LC_ALL=C grep -q $'\xff\xfe' "$T_TMP/ff.csv"

# import_refused NAME LINE-MESSAGE
import_refused() {
	local before after
	before=$(t_dbdump)
	t_run 2 "$1: import refused, exit 2" "$TERBIT" import residents "$T_TMP/$1.csv"
	t_grep "$1: names the line" "baris 3: $2" "$ERR"
	t_grep "$1: nothing imported" "tidak ada data penduduk yang diimpor" "$ERR"
	t_check "$1: the message holds no raw control byte" \
		bash -c "! LC_ALL=C grep -qaP '[\x00-\x08\x0b-\x1f\x7f]' '$T_TMP/err'"
	after=$(t_dbdump)
	if [ "$before" = "$after" ]; then t_ok "$1: database unchanged"
	else t_fail "$1: database changed"; fi
}
import_refused ff "nama bukan UTF-8 yang sah"
import_refused esc 'nama berisi karakter kontrol \(ESC\)'
import_refused nul "kolom ke-3 berisi byte NUL"
import_refused niknul "kolom ke-1 berisi byte NUL"
import_refused c1 'alamat berisi karakter kontrol \(U\+009B\)'
import_refused over "nama bukan UTF-8 yang sah"

t_run 0 "--skip-bad: the good rows go in" "$TERBIT" import residents "$T_TMP/esc.csv" --skip-bad
t_grep "--skip-bad: the bad line reported" "baris 3: nama berisi karakter kontrol" "$ERR"
t_check "--skip-bad: two residents, not three" \
	test "$(sqlite3 "$TERBIT_DATA/terbit.db" 'SELECT count(*) FROM residents')" = 2

# Regions: a region name is text too.
printf 'code,name,kind,faskes\n3510,Banyuwangi\x1b[31m,kabupaten,\n' >"$T_TMP/regions.csv"
before=$(t_dbdump)
t_run nz "regions with an ESC refused" "$TERBIT" init --regions "$T_TMP/regions.csv"
t_grep "regions: the line and the column" 'baris 2: nama berisi karakter kontrol \(ESC\)' "$ERR"
t_check "regions: database unchanged" test "$before" = "$(t_dbdump)"

# The CLI: a note, a reason, an attachment's file name.
ID=$("$TERBIT" case new 3510054506900001 --by op)
t_check "a case opened ($ID)" test -n "$ID"
printf '%%PDF-1.4\nrujukan\n%%%%EOF\n' >"$T_TMP/ok.pdf"
cp "$T_TMP/ok.pdf" "$T_TMP/$(printf 'ruj\033[2Jukan.pdf')"
before=$(t_dbdump)
t_run 2 "move note with ESC: exit 2" "$TERBIT" case move "$ID" submitted --by op --note "$(printf 'ok\033[2J')"
t_grep "move note: named" "catatan berisi karakter kontrol \(ESC\)" "$ERR"
t_run 2 "note not UTF-8: exit 2" "$TERBIT" case move "$ID" submitted --by op --note "$(printf 'ok\377')"
t_grep "note not UTF-8: named" "catatan bukan UTF-8 yang sah" "$ERR"
t_run 2 "file name with ESC: exit 2" "$TERBIT" case attach "$ID" "$T_TMP/$(printf 'ruj\033[2Jukan.pdf')" --kind rujukan --by op
t_grep "file name: named" "nama berkas berisi karakter kontrol \(ESC\)" "$ERR"
t_check "CLI refusals left the database unchanged" test "$before" = "$(t_dbdump)"

# The API.
t_check "server starts" srv_start main
post() { req -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' --data-binary "$2" "$URL$1"; }
before=$(t_dbdump)
post "/api/v1/cases/$ID/move" '{"to":"submitted","note":"a\u001b[2Jb"}'
t_grep "API: \\u001b in a note: 400" '^400$' "$CODE"
t_grep "API: English message names the member" 'member \\"note\\" holds a control character \(U\+001B\)' "$BODY"
post "/api/v1/cases/$ID/move" '{"to":"submitted","note":"a\u0000b"}'
t_grep "API: \\u0000: 400" '^400$' "$CODE"
post "/api/v1/cases/$ID/move" '{"to":"submitted","note":"a\ud800b"}'
t_grep "API: lone surrogate: 400" '^400$' "$CODE"
post "/api/v1/cases/$ID/move" "$(printf '{"to":"submitted","note":"a\377b"}')"
t_grep "API: raw invalid UTF-8: 400" '^400$' "$CODE"
post "/api/v1/cases/$ID/move" '{"to":"submitted","note":"a\u0085b"}'
t_grep "API: C1 control: 400" '^400$' "$CODE"
post "/api/v1/cases/$ID/move" '{"to":"submitted","note":"a\nb"}'
t_check "API: a two-line note is not refused for its bytes" test "$CODE" != 400
req -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/pdf' \
	--data-binary @"$T_TMP/ok.pdf" "$URL/api/v1/cases/$ID/attachments?kind=rujukan&filename=a%1Bb.pdf"
t_grep "API: file name with ESC in the query: 400" '^400$' "$CODE"
t_check "API refusals left the database unchanged" test "$before" = "$(db .dump)"

# Text stored before the check existed (written behind terbit's back
# here): the API's JSON stays valid and the terminal gets no raw escape.
db "UPDATE residents SET name = CAST(X'5369746920FFFE1B5B324A' AS TEXT) WHERE nik = '3510054506900001'"
req -H "Authorization: Bearer $TOKEN" "$URL/api/v1/cases"
t_grep "list: 200" '^200$' "$CODE"
t_check "list: valid JSON" bash -c "python3 -m json.tool '$T_TMP/body' >/dev/null"
req -H "Authorization: Bearer $TOKEN" "$URL/api/v1/cases/$ID"
t_check "show: valid JSON" bash -c "python3 -m json.tool '$T_TMP/body' >/dev/null"
srv_stop
t_run 0 "case list" "$TERBIT" case list
t_check "case list: no raw control byte" bash -c "! LC_ALL=C grep -qaP '[\x00-\x08\x0b-\x1f\x7f]|\xff' '$T_TMP/out'"
t_grep "case list: the bytes shown escaped" 'Siti \\xff\\xfe\\x1b\[2J' "$OUT"
t_run 0 "case show" "$TERBIT" case show "$ID"
t_check "case show: no raw control byte" bash -c "! LC_ALL=C grep -qaP '[\x00-\x08\x0b-\x1f\x7f]|\xff' '$T_TMP/out'"
t_check "no sanitizer report" bash -c "! grep -Eq 'Sanitizer|runtime error' '$T_TMP/main.err'"
t_done
