#!/bin/bash
# End to end: the offices' pages against the real `terbit serve` and a
# real demo database (demo-data: cases at every stage), with curl and in
# a real browser (tests/web/browser.py).
#   - dinkes: the submitted queue oldest first (the order of state_since
#     in the database), waiting times in hours and days, ?urut=baru;
#   - kecamatan: only its own kecamatan's cases; another kecamatan's
#     document: the 403 page and an access.denied audit row;
#   - dinsos: documents found by serial, NIK and name; Cabut with a
#     reason (the verifier then answers REVOKED); Terbitkan ulang (the old
#     one DIGANTI, the new one VALID); a refused form keeps what was typed;
#   - the print queue: ten cards downloaded as one PDF whose ten QR codes
#     all verify VALID, and those cards stay in the queue (a file is not
#     a print: tests/web_print.sh sends them through CUPS); without a
#     printer set up, sending is refused beside the form;
#   - Cabut without its CSRF token: 403, the database dump unchanged;
#   - <script>, quotes, &, U+202E and an emoji typed into every text
#     field these pages own come back escaped;
#   - every page under 30 KB; screenshots with TERBIT_SAMPLES=1.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/http-lib.bash"
source "$(dirname "$0")/web-lib.bash"

web_needs pdftoppm zbarimg pdfinfo

# ---- a demo database with documents -------------------------------------
export TERBIT_VERIFIER_HOST=127.0.0.1:8080
PW="kantor-rahasia-2026"
"$TERBIT" init >/dev/null && "$TERBIT" demo-data --residents 300 --seed 1 >/dev/null
t_check "demo data" test $? -eq 0
# Two more approved cases walked through the CLI by the demo users, so
# that there are more than ten cards to print.
t_poorest_answers "$T_TMP/answers.csv"
printf '%%PDF-1.4\nrujukan\n%%%%EOF\n' >"$T_TMP/rujukan.pdf"
walked=0
for row in $(db "SELECT nik || ':' || village_code FROM residents
		 WHERE nik NOT IN (SELECT nik FROM cases) ORDER BY nik LIMIT 16"); do
	nik=${row%%:*} desa=desa-${row#*:} kec=kecamatan-$(printf '%.6s' "${row#*:}")
	id=$("$TERBIT" case new "$nik" --by "$desa" 2>/dev/null) &&
	"$TERBIT" case attach "$id" "$T_TMP/rujukan.pdf" --kind rujukan --by "$desa" &&
	"$TERBIT" case move "$id" submitted --by "$desa" &&
	"$TERBIT" case move "$id" health_checked --by dinkes &&
	"$TERBIT" case answers "$id" "$T_TMP/answers.csv" --by "$desa" &&
	"$TERBIT" case move "$id" surveyed --by "$desa" &&
	"$TERBIT" case move "$id" recommended --by "$kec" --note layak &&
	"$TERBIT" case attach "$id" "$T_TMP/rujukan.pdf" --kind verifikasi --by "$desa" &&
	"$TERBIT" case move "$id" verified --by "$desa" &&
	"$TERBIT" case move "$id" approved --by dinsos &&
	"$TERBIT" issue "$id" card --by dinsos &&
		walked=$((walked + 1))
	[ $walked -ge 4 ] && break
done >/dev/null 2>&1
"$TERBIT" issue-many card --by dinsos >/dev/null &&
	"$TERBIT" issue-many letter --by dinsos >/dev/null
NCARDS=$(db "SELECT count(*) FROM documents WHERE kind = 'card'")
NLETTERS=$(db "SELECT count(*) FROM documents WHERE kind = 'letter'")
t_check "more than ten cards and three letters issued ($NCARDS, $NLETTERS)" \
	test "$NCARDS" -gt 10 -a "$NLETTERS" -ge 3
# Waiting times that read in hours and days: the submitted cases entered
# their state 5, 29, 53, ... hours ago, the lowest id last (so the queue's
# order is state_since's, not the ids').
db "UPDATE cases SET state_since = strftime('%Y-%m-%dT%H:%M:%fZ', 'now',
    '-' || (5 + 24 * (SELECT count(*) FROM cases c2 WHERE c2.state = 'submitted'
                       AND c2.id < cases.id)) || ' hours')
    WHERE state = 'submitted'"
# The same spread for the verified ones (the social office's queue).
db "UPDATE cases SET state_since = strftime('%Y-%m-%dT%H:%M:%fZ', 'now',
    '-' || (2 + 30 * (SELECT count(*) FROM cases c2 WHERE c2.state = 'verified'
                       AND c2.id > cases.id)) || ' hours')
    WHERE state = 'verified'"
# The kecamatan of the first surveyed case; one of its own.
KEC_CASE=$(db "SELECT id FROM cases WHERE state = 'surveyed' ORDER BY id LIMIT 1")
KEC=$(db "SELECT substr(village_code, 1, 6) FROM cases WHERE id = $KEC_CASE")
for u in dinkes dinsos "kecamatan-$KEC"; do
	echo "$PW" | "$TERBIT" user passwd "$u" >/dev/null 2>&1 || t_fail "password for $u"
done
t_check "server starts" srv_start web -- --rate-limit 0

# login NAME: a session cookie (SID) and its CSRF token (CSRF).
login() {
	req -d "name=$1&password=$PW" "$URL/masuk"
	SID=$(printf '%s\n' "$HDR" | sed -n 's/^Set-Cookie: terbit_sid=\([^;]*\);.*/\1/p')
	req -b "terbit_sid=$SID" "$URL/antrean"
	CSRF=$(printf '%s' "$BODY" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n1)
}
# size_ok DESC: the last page is under 30 KB.
size_ok() { t_check "$1 under 30 KB ($(stat -c %s "$T_TMP/body") bytes)" test "$(stat -c %s "$T_TMP/body")" -lt 30720; }
# ids_on_page: the case ids linked from the last page, in order.
ids_on_page() { printf '%s' "$BODY" | grep -o 'class="case" href="/kasus/[0-9]*"' | grep -o '[0-9]*' | tr '\n' ' '; }

# ---- dinkes: the submitted queue -------------------------------------------
login dinkes
t_check "dinkes signed in" test ${#CSRF} -eq 32
req -b "terbit_sid=$SID" "$URL/antrean"
t_grep "dinkes queue: 200" '^200$' "$CODE"
t_grep "dinkes queue: the state's label" 'berstatus <strong>Diajukan</strong>' "$BODY"
want=$(db "SELECT id FROM cases WHERE state = 'submitted' ORDER BY state_since, id" | tr '\n' ' ')
t_check "dinkes queue: oldest in the state first, as state_since says ($want)" \
	test "$(ids_on_page)" = "$want"
t_grep "dinkes queue: the count" "Jumlah: <strong>$(echo $want | wc -w)</strong> kasus" "$BODY"
t_grep "waiting time in days" 'class="wait" title="[0-9T:.Z-]*">[0-9]+ hari<' "$BODY"
t_grep "waiting time in hours" '>5 jam<' "$BODY"
t_grep "each case links to its page" 'href="/kasus/[0-9]+"' "$BODY"
t_grep "state pill with its word" '<span class="pill step">Diajukan</span>' "$BODY"
size_ok "dinkes queue"
req -b "terbit_sid=$SID" "$URL/antrean?urut=baru"
rev=$(db "SELECT id FROM cases WHERE state = 'submitted' ORDER BY state_since DESC, id DESC" | tr '\n' ' ')
t_check "?urut=baru: newest first ($rev)" test "$(ids_on_page)" = "$rev"
req -b "terbit_sid=$SID" -H 'Accept: text/html' "$URL/cetak"
t_grep "dinkes may not open the print queue: 403" '^403$' "$CODE"
# One query a list: 50 a page with ?hal= (a page past the end is empty).
req -b "terbit_sid=$SID" "$URL/antrean?hal=2"
t_grep "?hal=2 of a short queue: empty" 'Tidak ada kasus dalam antrean ini' "$BODY"

# ---- kecamatan: its own kecamatan only ----------------------------------------
login "kecamatan-$KEC"
req -b "terbit_sid=$SID" "$URL/antrean"
want=$(db "SELECT id FROM cases WHERE state = 'surveyed' AND village_code LIKE '$KEC%'
	   ORDER BY state_since, id" | tr '\n' ' ')
t_check "kecamatan queue: its own surveyed cases only ($want)" test "$(ids_on_page)" = "$want"
t_check "kecamatan queue: others exist but are not shown" \
	test "$(db "SELECT count(*) FROM cases WHERE state = 'surveyed'")" -gt "$(echo $want | wc -w)"
OTHER=$(db "SELECT d.serial FROM documents d JOIN cases c ON c.id = d.case_id
	    WHERE c.village_code NOT LIKE '$KEC%' LIMIT 1")
n_before=$(db "SELECT count(*) FROM audit WHERE action = 'access.denied'")
req -b "terbit_sid=$SID" -H 'Accept: text/html' "$URL/dokumen/$OTHER"
t_grep "another kecamatan's document: 403" '^403$' "$CODE"
t_grep "... the Indonesian 403 page" '<h1>Akses ditolak</h1>' "$BODY"
t_check "... and an access.denied audit row" test \
	"$(db "SELECT count(*) FROM audit WHERE action = 'access.denied' AND actor = 'kecamatan-$KEC'
	       AND object = 'document:$OTHER'")" -eq 1 -a \
	"$(db "SELECT count(*) FROM audit WHERE action = 'access.denied'")" -gt "$n_before"
req -b "terbit_sid=$SID" -H 'Accept: text/html' "$URL/dokumen/$OTHER.pdf"
t_grep "... nor its PDF: 403" '^403$' "$CODE"
req -b "terbit_sid=$SID" -H 'Accept: text/html' "$URL/dokumen?q=$OTHER"
t_grep "kecamatan may not search documents: 403" '^403$' "$CODE"

# ---- dinsos: documents -----------------------------------------------------------
login dinsos
req -b "terbit_sid=$SID" "$URL/antrean?status=approved"
t_grep "dinsos: approved cases with what they have" '<span class="pill ok">Disetujui</span>' "$BODY"
t_grep "... and which documents they already have" 'sudah terbit' "$BODY"
L1=$(db "SELECT serial FROM documents WHERE kind = 'letter' ORDER BY serial LIMIT 1")
L2=$(db "SELECT serial FROM documents WHERE kind = 'letter' ORDER BY serial LIMIT 1 OFFSET 1")
L1NIK=$(db "SELECT nik FROM documents WHERE serial = '$L1'")
L1NAME=$(db "SELECT name FROM documents WHERE serial = '$L1'")
req -b "terbit_sid=$SID" "$URL/dokumen?q=$L1"
t_grep "search by serial" "href=\"/dokumen/$L1\"" "$BODY"
size_ok "document search"
req -b "terbit_sid=$SID" --get --data-urlencode "q=$(printf '%s' "$L1" | sed 's/\(....\)/\1-/g; s/-$//' | tr A-F a-f)" "$URL/dokumen"
t_grep "search by serial typed in lower case with dashes" "href=\"/dokumen/$L1\"" "$BODY"
req -b "terbit_sid=$SID" "$URL/dokumen?q=$L1NIK"
t_grep "search by NIK" "href=\"/dokumen/$L1\"" "$BODY"
req -b "terbit_sid=$SID" --get --data-urlencode "q=$L1NAME" "$URL/dokumen"
t_grep "search by name" "href=\"/dokumen/$L1\"" "$BODY"
req -b "terbit_sid=$SID" "$URL/dokumen?q=x"
t_grep "a one-letter search: 422 with the reason beside the field" '^422$' "$CODE"
t_grep "... linked to the field" 'aria-describedby="q-err"' "$BODY"
req -b "terbit_sid=$SID" "$URL/dokumen/$L1"
t_grep "document page: the verifier's word" '<span class="pill big sah">SAH</span>' "$BODY"
t_grep "... dates in Indonesian" '<dd>[0-9]+ (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember) 20[0-9]{2}</dd>' "$BODY"
t_grep "... the time in WIB" 'pukul [0-9]{2}\.[0-9]{2} WIB' "$BODY"
t_grep "... the Cabut form" "action=\"/dokumen/$L1/cabut\"" "$BODY"
size_ok "document page"
n_dl=$(db "SELECT count(*) FROM audit WHERE action = 'document.download' AND object LIKE '%$L1%'")
curl -s -b "terbit_sid=$SID" -o "$T_TMP/l1.pdf" "$URL/dokumen/$L1.pdf"
t_check "download: the registry's signed PDF" test \
	"$(sha256sum <"$T_TMP/l1.pdf" | cut -d' ' -f1)" = "$(db "SELECT sha256 FROM documents WHERE serial = '$L1'")"
t_check "... audited" test \
	"$(db "SELECT count(*) FROM audit WHERE action = 'document.download' AND object LIKE '%$L1%'")" -gt "$n_dl"

# Cabut without the token: refused before the handler, nothing written.
before=$(t_dbdump)
req -b "terbit_sid=$SID" -d "reason=tanpa+token" "$URL/dokumen/$L1/cabut"
t_grep "Cabut without its CSRF token: 403" '^403$' "$CODE"
t_check "... the database dump unchanged" test "$before" = "$(t_dbdump)"
req -b "terbit_sid=$SID" -d "csrf=$CSRF&reason=" "$URL/dokumen/$L1/cabut"
t_grep "Cabut without a reason: 422" '^422$' "$CODE"
t_grep "... the message beside the field" 'id="revoke-err">Tuliskan alasannya' "$BODY"
t_check "... and the document still in force" test "$(db "SELECT state FROM documents WHERE serial = '$L1'")" = valid

# ---- the browser: Cabut and Terbitkan ulang with hostile reasons ---------------
SHOTS=$T_TMP
[ -n "${TERBIT_SAMPLES:-}" ] && SHOTS=$ROOT/samples/ui && mkdir -p "$SHOTS"
EVIL=$'<script>alert(1)</script> "\'& \u202e 😀'
t_py "$URL" "$PW" "$L1" "$L2" "$SHOTS" "$EVIL" <<'EOF'
import sys
from browser import Browser, check, done
url, pw, l1, l2, shots, evil = sys.argv[1:7]


def typed(b, css, text):
    """text into a field: chromedriver's typing stops at the BMP (the
    emoji), so the value is set as a paste would set it."""
    el = b.d.find_element("css selector", css)
    b.d.execute_script("arguments[0].value = arguments[1];", el, text)
    return b


b = Browser(url)
try:
    b.open("/masuk")
    b.fill(name="dinsos", password=pw).submit()
    b.open("/")
    if "Buka antrean" in b.body():  # once / dispatches to the office home
        b.shot(shots + "/beranda-kantor-1280.png", 1280)
        b.shot(shots + "/beranda-kantor-360.png", 360)
        b.d.set_window_size(1280, 900)
    b.open("/antrean")
    check("browser: dinsos queue", b.h1() == "Antrean kasus", b.h1())
    b.shot(shots + "/antrean-1280.png", 1280)
    b.shot(shots + "/antrean-360.png", 360)
    b.d.set_window_size(1280, 900)
    b.open("/dokumen/" + l1)
    typed(b, "#revoke-reason", evil).submit(form_action="/dokumen/%s/cabut" % l1)
    check("browser: Cabut, then the document's page", b.path() == "/dokumen/%s?ok=dicabut" % l1, b.path())
    check("browser: what happened, confirmed", "sudah dicabut" in b.text(".notice"), b.text(".notice"))
    check("browser: DICABUT now", b.text(".pill") == "DICABUT", b.text(".pill"))
    check("browser: the reason shown as typed", evil in b.text(".why"), b.text(".why"))
    check("browser: no Cabut form on a revoked document",
          not b.d.find_elements("css selector", "form[action$='/cabut']"))
    b.shot(shots + "/dokumen-1280.png", 1280)
    b.shot(shots + "/dokumen-360.png", 360)
    b.d.set_window_size(1280, 900)
    b.open("/dokumen/" + l2)
    typed(b, "#reissue-reason", evil).submit(form_action="/dokumen/%s/terbitkan-ulang" % l2)
    new = b.path().split("/dokumen/")[-1].split("?")[0]
    check("browser: Terbitkan ulang, then the new document's page",
          b.path().endswith("?ok=terbit-ulang") and new != l2, b.path())
    check("browser: the new one is SAH", b.text(".pill") == "SAH", b.text(".pill"))
    check("browser: it names the one it replaces", l2 in b.text(".facts"), b.text(".facts"))
    print("NEW " + new)
    b.open("/dokumen/" + l2)
    check("browser: the old one is DIGANTI", b.text(".pill") == "DIGANTI", b.text(".pill"))
    check("browser: and links its replacement",
          b.d.find_elements("css selector", "a[href='/dokumen/%s']" % new))
    b.open("/cetak")
    check("browser: print queue", b.h1() == "Antrean cetak", b.h1())
    b.shot(shots + "/cetak-1280.png", 1280)
    b.shot(shots + "/cetak-360.png", 360)
    b.d.set_window_size(1280, 900)
    b.submit(form_action="/cetak/kartu")
    check("browser: nothing ticked: told beside the list", "Pilih dulu" in b.text("#cards-err"), b.body()[:200])
    errs = b.csp_refusals()
    check("browser: the CSP refused nothing on these pages", not errs, errs)
finally:
    b.close()
done()
EOF
NEW=$(sed -n 's/^NEW //p' "$T_TMP/py.out")
req "$URL/api/v1/verify/$(token_of "$L1")"
t_grep "the verifier now answers REVOKED for the revoked letter" '"state": *"REVOKED"' "$BODY"
t_check "reissue: the old letter superseded by the new one" test \
	"$(db "SELECT state || ' ' || superseded_by FROM documents WHERE serial = '$L2'")" = "superseded $NEW"
t_grep "reissue: the new letter verifies VALID" '^VALID' "$("$TERBIT" verify "$(token_of "$NEW")" 2>&1)"
t_check "the hostile reasons are stored as typed" test \
	"$(db "SELECT count(*) FROM documents WHERE reason = '$(printf '%s' "$EVIL" | sed "s/'/''/g")'")" -eq 2
for s in "$L1" "$L2"; do
	req -b "terbit_sid=$SID" "$URL/dokumen/$s"
	t_grep "$s page: <script> escaped" '&lt;script&gt;alert\(1\)&lt;/script&gt;' "$BODY"
	t_check "$s page: no raw <script>" test "$(printf '%s' "$BODY" | grep -c '<script')" -eq 0
	t_grep "$s page: quotes and & escaped" '&quot;&#39;&amp;' "$BODY"
	t_grep "$s page: the RTL override as an entity inside <bdi>" '<bdi>[^<]*&#x202E;[^<]*😀</bdi>' "$BODY"
done
req -b "terbit_sid=$SID" --get --data-urlencode "q=$EVIL" "$URL/dokumen"
t_grep "the search field's value escaped" 'value="&lt;script&gt;alert\(1\)&lt;/script&gt; &quot;&#39;&amp;' "$BODY"
t_check "... and no raw <script>" test "$(printf '%s' "$BODY" | grep -c '<script')" -eq 0
req -b "terbit_sid=$SID" -d "csrf=$CSRF" --data-urlencode "reason=$EVIL" "$URL/dokumen/$L1/cabut"
t_grep "Cabut of a revoked document: 422 with the module's reason" '^422$' "$CODE"
t_grep "... what was typed kept, escaped, in the textarea" '&lt;script&gt;alert\(1\)&lt;/script&gt;' "$BODY"

# ---- the print queue: one sheet of ten cards -------------------------------------
req -b "terbit_sid=$SID" "$URL/cetak"
size_ok "print queue"
queued=$(printf '%s' "$BODY" | grep -o 'name="s[0-9A-F]\{16\}"' | sed 's/name="s\(.*\)"/\1/')
nq=$(db "SELECT count(*) FROM documents d WHERE kind = 'card' AND state = 'valid'
	 AND NOT EXISTS (SELECT 1 FROM document_prints p WHERE p.serial = d.serial)")
t_grep "print queue: the cards not yet printed" "Kartu belum dicetak: $nq<" "$BODY"
ten=$(printf '%s\n' "$queued" | head -n 10)
form=(-b "terbit_sid=$SID" -d "csrf=$CSRF" -d aksi=unduh)
for s in $ten; do form+=(-d "s$s=1"); done
curl -s -D "$T_TMP/sheet.hdr" -o "$T_TMP/sheet.pdf" "${form[@]}" "$URL/cetak/kartu"
t_grep "ten cards: a PDF download" 'Content-Type: application/pdf' "$(tr -d '\r' <"$T_TMP/sheet.hdr")"
t_grep "... one A4 sheet (front and back)" '^Pages: +2$' "$(pdfinfo "$T_TMP/sheet.pdf" 2>&1 | grep Pages)"
pdftoppm -r 150 -png "$T_TMP/sheet.pdf" "$T_TMP/sheet" >/dev/null 2>&1
codes=$(for p in "$T_TMP"/sheet-*.png; do zbarimg -q --raw "$p" 2>/dev/null; done | grep -i '/V/' | sort -u)
t_check "the sheet holds ten QR codes ($(printf '%s\n' "$codes" | grep -c .))" \
	test "$(printf '%s\n' "$codes" | grep -c .)" -eq 10
valid=0
for c in $codes; do
	"$TERBIT" verify "$c" 2>/dev/null | grep -q '^VALID' && valid=$((valid + 1))
done
t_check "... all ten verify VALID ($valid)" test "$valid" -eq 10
t_check "... and they are the ten ticked" test \
	"$(for c in $codes; do db "SELECT serial FROM documents WHERE token = '${c##*/}'"; done | sort | tr '\n' ' ')" \
	= "$(printf '%s\n' $ten | sort | tr '\n' ' ')"
req -b "terbit_sid=$SID" "$URL/cetak"
left=0
for s in $ten; do printf '%s' "$BODY" | grep -q "name=\"s$s\"" && left=$((left + 1)); done
t_check "the downloaded cards stay in the print queue (a file is not a print)" test "$left" -eq 10
t_grep "... the count unchanged" "Kartu belum dicetak: $nq<" "$BODY"
t_check "... one document.sheet audit row for the sheet, no print" test \
	"$(db "SELECT count(*) FROM audit WHERE action = 'document.sheet' AND object LIKE 'sheet:%'") $(db "SELECT count(*) FROM audit WHERE action = 'document.print'")" = "1 0"
t_grep "no printer set up: no send button, the download only" 'Printer kartu belum diatur' "$BODY"
t_check "... no \"Cetak kartu terpilih\"" test "$(printf '%s' "$BODY" | grep -c 'Cetak kartu terpilih')" -eq 0
req -b "terbit_sid=$SID" "$URL/cetak?jenis=surat"
size_ok "print queue, letters"
letter=$(printf '%s' "$BODY" | grep -o 'name="s[0-9A-F]\{16\}"' | head -n1 | sed 's/name="s\(.*\)"/\1/')
BEFORE=$(t_dbdump)
req -b "terbit_sid=$SID" -d "csrf=$CSRF&s$letter=1" "$URL/cetak/surat"
t_grep "a letter sent with no printer set up: 422" '^422$' "$CODE"
t_grep "... says how to set one up" 'belum ada printer untuk surat' "$BODY"
t_check "... nothing changed" test "$BEFORE" = "$(t_dbdump)"
req -b "terbit_sid=$SID" -d "csrf=$CSRF&terlama=10&aksi=unduh" "$URL/cetak/kartu"
t_grep "\"10 oldest\" downloaded: a PDF of them" 'Content-Type: application/pdf' "$HDR"
req -b "terbit_sid=$SID" -d "csrf=$CSRF&s0123456789ABCDEF=1" "$URL/cetak/kartu"
t_grep "a serial not in the queue is not printed: 422" '^422$' "$CODE"

# ---- the offices' home ------------------------------------------------------------
# The home page dispatches to ui_home_office once the village pages' ui_home
# does (their branch); until then / is the foundation's page.
req -b "terbit_sid=$SID" "$URL/"
if printf '%s' "$BODY" | grep -q 'Buka antrean'; then
	t_grep "dinsos home: its queue's count" 'kasus menunggu keputusan Anda' "$BODY"
	left=$(db "SELECT count(*) FROM documents d WHERE kind = 'card' AND state = 'valid'
		   AND NOT EXISTS (SELECT 1 FROM document_prints p WHERE p.serial = d.serial)")
	t_grep "dinsos home: the print queue's counts" "<strong>$left</strong> kartu" "$BODY"
	size_ok "dinsos home"
else
	echo "# office home not dispatched by / yet (ui_home is the village pages' edit)"
fi

srv_stop
t_check "server stopped cleanly" test "$STOP_RC" -eq 0
if [ -n "${TERBIT_SAMPLES:-}" ]; then
	for shot in antrean-360 antrean-1280 dokumen-360 dokumen-1280 cetak-360 cetak-1280; do
		t_check "screenshot $shot" test -s "$SHOTS/$shot.png"
	done
fi
t_done
