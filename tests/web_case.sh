#!/bin/bash
# End to end: the whole case in a real browser (headless Chromium through
# tests/web/browser.py), played by four people signing in in turn,
# against the real `terbit serve` and a real database (demo data):
#   1. the village operator registers a new resident (a bad NIK first:
#      the message beside the field, what was typed kept), opens a case,
#      uploads the referral PDF and submits;
#   2. dinkes sees the referral inline and returns the case with a note;
#      the note is on top of the operator's home and case page; the
#      operator submits again; dinkes confirms;
#   3. the operator saves part of the survey, then the rest, and moves on;
#   4. kecamatan recommends;
#   5. the operator uploads the verification results and moves on;
#   6. dinsos approves and issues the letter and the card;
#   7. the operator downloads the letter: pdfsig and `terbit verify` VALID,
#      the download is audited and leaves the "ready" list.
# Also: another village's case (403 page, access.denied row), a form
# without its CSRF token (403, database unchanged), the escaping of the
# resident's fields and the notes on every page showing them, page sizes
# under 30 KB, screenshots (TERBIT_SAMPLES=1) of the village home, the case
# page and the survey form at 360 and 1280 px.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/http-lib.bash"
source "$(dirname "$0")/web-lib.bash"
web_needs pdftoppm zbarimg pdfsig
command -v pdfsig >/dev/null 2>&1 ||
	{ t_fail "pdfsig missing (scripts/install-deps)"; t_done; exit 1; }

PW="sandi-uji-kasus-2026"
DESA=desa-3510052002 OTHER=desa-3510052001 KEC=kecamatan-351005
"$TERBIT" init >/dev/null && "$TERBIT" demo-data --residents 120 --seed 11 >/dev/null
t_check "demo data" test $? -eq 0
for u in $DESA $OTHER $KEC dinkes dinsos; do
	echo "$PW" | "$TERBIT" user passwd "$u" >/dev/null || t_fail "password for $u"
done
# A case of another village, for the scope check.
FOREIGN=$(db "SELECT id FROM cases WHERE village_code != '3510052002' LIMIT 1")
t_check "a case of another village exists" test -n "$FOREIGN"

# The referral and the verification results: small real PDFs.
$PY - "$T_TMP/rujukan.pdf" "Surat rujukan Puskesmas" "$T_TMP/verifikasi.pdf" \
	"Hasil verifikasi lapangan" <<'EOF'
import sys
def pdf(path, text):
    objs = ["<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    stream = "BT /F1 24 Tf 72 760 Td (%s) Tj ET" % text
    objs.append("<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    out, offs = "%PDF-1.4\n", []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += "%d 0 obj\n%s\nendobj\n" % (i, o)
    x = len(out)
    out += "xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += "".join("%010d 00000 n \n" % o for o in offs)
    out += "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
    open(path, "w").write(out)
pdf(sys.argv[1], sys.argv[2]); pdf(sys.argv[3], sys.argv[4])
EOF

t_check "server starts" srv_start web -- --rate-limit 0

# sign_in NAME: a curl session; its cookie in SID, a CSRF token in CSRF.
sign_in() {
	req -d "name=$1&password=$PW" "$URL/masuk"
	SID=$(printf '%s\n' "$HDR" | sed -n 's/^Set-Cookie: terbit_sid=\([^;]*\);.*/\1/p')
	req -b "terbit_sid=$SID" "$URL/"
	CSRF=$(printf '%s' "$BODY" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n1)
}

# ---- scope and CSRF with curl ------------------------------------------
sign_in $DESA
t_check "curl: the operator is signed in" test ${#CSRF} -eq 32
req -b "terbit_sid=$SID" -H 'Accept: text/html' "$URL/kasus/$FOREIGN"
t_grep "another village's case: 403" '^403$' "$CODE"
t_grep "... the Indonesian 403 page" '<h1>Akses ditolak</h1>' "$BODY"
t_grep "... an access.denied audit row naming the case" "^access.denied\|GET /kasus/\{id\}\|case:$FOREIGN$" \
	"$(db "SELECT action || '|' || note || '|' || object FROM audit WHERE action = 'access.denied' AND actor = '$DESA'")"
req -b "terbit_sid=$SID" "$URL/kasus/$FOREIGN/lampiran/1"
t_grep "another village's attachment: 403" '^403$' "$CODE"
before=$(t_dbdump)
req -b "terbit_sid=$SID" --data-urlencode "nik=3510055501900091" -d "kk=3510051000010002&name=Tanpa+Token&birth_place=Muncar&birth_date=1990-01-15&sex=P&address=Dusun&rt=1&rw=2&village_code=3510052002" "$URL/penduduk/baru"
t_grep "register without the CSRF token: 403" '^403$' "$CODE"
req -b "terbit_sid=$SID" -d "csrf=$CSRF&nik=$(db "SELECT nik FROM residents WHERE village_code = '3510052002' LIMIT 1")" "$URL/kasus" -H 'Sec-Fetch-Site: cross-site'
t_grep "open a case from another site: 403" '^403$' "$CODE"
req -b "terbit_sid=$SID" -d "to=submitted" "$URL/kasus/1/pindah"
t_grep "a move without the token: 403" '^403$' "$CODE"
t_check "the refused forms changed nothing in the database" \
	test "$before" = "$(t_dbdump)"

# ---- the browser ---------------------------------------------------------
SHOTS=$T_TMP
[ -n "${TERBIT_SAMPLES:-}" ] && SHOTS=$ROOT/samples/ui && mkdir -p "$SHOTS"
t_py "$ROOT/tests/web/case_walk.py" "$URL" "$PW" "$T_TMP" "$SHOTS"
ID=$(sed -n 's/^CASE //p' "$T_TMP/py.out")
EVIL=$(sed -n 's/^EVIL_CASE //p' "$T_TMP/py.out")
t_check "the browser opened a case" test -n "$ID"

# ---- what the walk left in the database ------------------------------------
t_grep "the case is approved" '^approved$' "$(db "SELECT state FROM cases WHERE id = ${ID:-0}")"
t_grep "the registered resident is stored" '^Wulan Sari\|1990-01-15\|P$' \
	"$(db "SELECT name || '|' || birth_date || '|' || sex FROM residents WHERE nik = '3510055501900091'")"
t_grep "registering and correcting are audited" '^resident.add resident.correct $' \
	"$(db "SELECT action FROM audit WHERE object = 'resident:3510055501900091' ORDER BY id" | tr '\n' ' ')"
t_grep "the correction kept old, new and reason" '^address\|Dusun Krajan No. 7\|Dusun Krajan No. 17\|Nomor rumah salah ketik$' \
	"$(db "SELECT field || '|' || old || '|' || new || '|' || reason FROM resident_corrections WHERE nik = '3510055501900091'")"
t_grep "the return's note is in the history" 'Rujukan buram' \
	"$(db "SELECT note FROM audit WHERE object = 'case:${ID:-0}' AND action = 'case.move'")"
t_grep "referral and verification attached" '^rujukan verifikasi $' \
	"$(db "SELECT kind FROM attachments WHERE case_id = ${ID:-0} ORDER BY id" | tr '\n' ' ')"
t_grep "every active answer stored" '^1[0-9]$' \
	"$(db "SELECT count(*) FROM answers WHERE case_id = ${ID:-0}")"
t_grep "a letter and a card issued" '^card letter $' \
	"$(db "SELECT kind FROM documents WHERE case_id = ${ID:-0} ORDER BY kind" | tr '\n' ' ')"
LETTER=$(db "SELECT serial FROM documents WHERE case_id = ${ID:-0} AND kind = 'letter'")
t_check "the downloaded letter was saved" test -s "$T_TMP/dl/surat-$LETTER.pdf"
pdfsig "$T_TMP/dl/surat-$LETTER.pdf" >"$T_TMP/sig" 2>&1
t_grep "pdfsig: the signature is valid" 'Signature Validation: Signature is Valid' "$(cat "$T_TMP/sig")"
t_run 0 "terbit verify: the downloaded letter" "$TERBIT" verify "$T_TMP/dl/surat-$LETTER.pdf"
t_grep "... says VALID" 'VALID' "$OUT"
t_grep "the download is audited" "^1$" \
	"$(db "SELECT count(*) FROM audit WHERE action = 'document.download' AND object = 'document:$LETTER' AND actor = '$DESA'")"

# ---- curl: headers, inline attachment, sizes, escaping ------------------------
sign_in $DESA
ATT=$(db "SELECT id FROM attachments WHERE case_id = ${ID:-0} AND kind = 'rujukan'")
req -b "terbit_sid=$SID" "$URL/kasus/$ID/lampiran/$ATT"
t_grep "the referral: served as the PDF it was checked to be" 'Content-Type: application/pdf' "$HDR"
t_grep "... inline" 'Content-Disposition: inline; filename="rujukan.pdf"' "$HDR"
t_grep "... framed by our own pages only, shown by the browser's PDF viewer" "object-src 'self'; frame-ancestors 'self'" "$HDR"
t_grep "... nosniff" 'X-Content-Type-Options: nosniff' "$HDR"
req -b "terbit_sid=$SID" "$URL/kasus/$ID"
t_grep "the case page may frame our PDFs" "frame-src 'self'; object-src 'self'" "$HDR"
t_grep "the letter's download is an attachment" "href=\"/unduh/$LETTER.pdf\"" "$BODY"
req -b "terbit_sid=$SID" "$URL/unduh/$LETTER.pdf"
t_grep "download: attachment, PDF" 'Content-Disposition: attachment; filename="surat-'$LETTER'.pdf"' "$HDR"
req -b "terbit_sid=$SID" -H 'Accept: text/html' "$URL/unduh/$LETTER"
t_grep "a download without .pdf: 404" '^404$' "$CODE"
req -b "terbit_sid=$SID" -H 'Accept: text/html' "$URL/kasus/abc"
t_grep "a case id that is not one: 404" '^404$' "$CODE"
# A file that is not a PDF, JPEG or PNG: refused beside the field, 422.
printf 'bukan PDF\n' >"$T_TMP/catatan.txt"
req -b "terbit_sid=$SID" -F "csrf=$CSRF" -F kind=rujukan -F "file=@$T_TMP/catatan.txt" "$URL/kasus/$EVIL/lampiran"
t_grep "upload of a text file: 422" '^422$' "$CODE"
t_grep "... the message beside the file field" 'id="file-err"' "$BODY"
t_grep "... linked to it" 'aria-describedby="file-err"' "$BODY"
t_grep "... nothing stored" '^0$' "$(db "SELECT count(*) FROM attachments WHERE case_id = ${EVIL:-0}")"
# A move that is not in the workflow table: refused on the case page.
req -b "terbit_sid=$SID" -d "csrf=$CSRF&to=health_checked" "$URL/kasus/$EVIL/pindah"
t_grep "a draft straight to health-checked: 409 on the case page" '^409$' "$CODE"
t_grep "... saying why, in Indonesian" 'tidak dapat dipindah' "$BODY"
# A move of another role: the 403 page and the audit row.
sign_in $KEC
req -b "terbit_sid=$SID" -H 'Accept: text/html' -d "csrf=$CSRF&to=submitted" "$URL/kasus/$EVIL/pindah"
t_grep "kecamatan submitting the village's draft: 403" '^403$' "$CODE"
t_grep "... audited" "^1$" "$(db "SELECT count(*) FROM audit WHERE action = 'access.denied' AND actor = '$KEC' AND object = 'case:$EVIL'")"
# The gate refuses a case that is not approved: its reason on the case
# page, never a 500.
sign_in dinsos
req -b "terbit_sid=$SID" -d "csrf=$CSRF" "$URL/kasus/$EVIL/terbitkan"
t_grep "issuing a draft: refused (409), not a 500" '^409$' "$CODE"
t_grep "... the gate's reason on the case page" 'Surat dan kartu belum dapat diterbitkan' "$BODY"
t_grep "... still the case page" "<h1>Kasus $EVIL</h1>" "$BODY"
t_grep "... nothing issued" '^0$' "$(db "SELECT count(*) FROM documents WHERE case_id = ${EVIL:-0}")"
sign_in $DESA
for page in / "/kasus/$ID" "/kasus/$ID/survei" "/penduduk/3510055501900091" \
	"/penduduk?q=wulan" /penduduk/baru "/kasus/$EVIL" "/penduduk/3510054101920092"; do
	req -b "terbit_sid=$SID" "$URL$page"
	size=$(stat -c %s "$T_TMP/body")
	echo "# size $page: $size bytes"
	t_check "$page: 200 and under 30 KB ($size bytes)" \
		test "$CODE" = 200 -a "$size" -lt 30720
done
# The escaping check on the pages that show what the operator typed: the
# evil resident's name, birth place and address, on the home page, the
# case page and the resident page; the note on the home and case page.
check_escaped() { # desc body
	t_check "$1: no raw <script>" bash -c '! grep -q "<script>alert" <<<"$0"' "$2"
	t_grep "$1: the tag shown as text" '&lt;script&gt;alert\(1\)&lt;/script&gt;' "$2"
	t_grep "$1: quotes and & as entities" '&quot;&#39;&amp;' "$2"
	t_grep "$1: the RTL override held in <bdi>" '<bdi>[^<]*&#x202E;' "$2"
	t_grep "$1: the emoji as it is" $'\xf0\x9f\x98\x80' "$2"
}
req -b "terbit_sid=$SID" "$URL/"
check_escaped "home" "$BODY"
req -b "terbit_sid=$SID" "$URL/kasus/$EVIL"
check_escaped "case page" "$BODY"
t_grep "case page: the birth place escaped" 'Tempat &lt;b&gt;' "$BODY"
t_grep "case page: the address escaped" 'Jalan &lt;i&gt;' "$BODY"
req -b "terbit_sid=$SID" "$URL/penduduk/3510054101920092"
check_escaped "resident page" "$BODY"
req -b "terbit_sid=$SID" "$URL/kasus/$ID"
t_grep "case page: the reviewer's note escaped in the timeline" \
	'Rujukan buram &lt;script&gt;alert\(1\)&lt;/script&gt; &quot;&#39;&amp;' "$BODY"

srv_stop
t_grep "server: exit 0 on SIGTERM" '^0$' "$STOP_RC"
for shot in beranda-desa kasus survei; do
	for wd in 360 1280; do
		t_check "screenshot $shot-$wd" test -s "$SHOTS/$shot-$wd.png"
	done
done
t_done
