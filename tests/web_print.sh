#!/bin/bash
# The print queue in the browser against the real `terbit serve` and a
# real cupsd (tests/cups-setup.bash), with curl and Chromium:
#   - ticked cards go to the card printer as CUPS jobs (303), leave the
#     queue, and show their state as of the page load; a stopped printer
#     keeps them pending and unprinted;
#   - the server's follower records a completed job without any page
#     being opened; a cancelled one shows CUPS's reason, and its card is
#     back in the queue, unprinted;
#   - a letter goes out as its signed PDF (the printer's file is the
#     registry's bytes);
#   - Cetak ulang on the document's page: no reason is 422 beside the
#     field and changes nothing, no CSRF token is 403, with a reason a
#     reprint job; a document never printed offers no Cetak ulang (the
#     module would refuse it);
#   - screenshots of the queue with jobs in several states, and of a
#     card's page with its print history and a refused Cetak ulang, at
#     1280 and 360 px (samples/ui/ with TERBIT_SAMPLES=1).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/http-lib.bash"
source "$(dirname "$0")/web-lib.bash"
source "$(dirname "$0")/issue-setup.bash"
source "$(dirname "$0")/cups-setup.bash"
trap 'cups_stop; t_cleanup' EXIT

web_needs
PW="kantor-rahasia-2026"
issue_setup 5 || { t_fail "set-up of approved cases"; t_done; exit 1; }
"$TERBIT" issue-many card --by ds --count 4 >/dev/null &&
	"$TERBIT" issue 5 letter --by ds >/dev/null
t_check "four cards and a letter" test "$(db "SELECT count(*) FROM documents")" = 5
mapfile -t C < <(db "SELECT serial FROM documents WHERE kind = 'card' ORDER BY issued_at, serial")
L=$(db "SELECT serial FROM documents WHERE kind = 'letter'")
echo "$PW" | "$TERBIT" user passwd ds >/dev/null 2>&1 || t_fail "password for ds"

cups_start || { t_fail "cupsd started"; t_done; exit 1; }
cups_printer kantor 1 A4 && cups_printer kartu 1 CR80
"$TERBIT" printer use letter kantor --by ds >/dev/null &&
	"$TERBIT" printer use card kartu --by ds >/dev/null
t_check "printers set up" test "$(db "SELECT count(*) FROM print_setup")" = 2
t_check "server starts" srv_start web TERBIT_PRINT_FOLLOW_SECONDS=1 -- --rate-limit 0

login() {
	req -d "name=$1&password=$PW" "$URL/masuk"
	SID=$(printf '%s\n' "$HDR" | sed -n 's/^Set-Cookie: terbit_sid=\([^;]*\);.*/\1/p')
	req -b "terbit_sid=$SID" "$URL/cetak"
	CSRF=$(printf '%s' "$BODY" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n1)
}
login ds
t_check "ds signed in" test ${#CSRF} -eq 32
t_grep "the card printer named" 'Kartu dikirim ke printer <strong>kartu</strong>, satu kartu per halaman' "$BODY"
t_grep "no jobs yet" 'Belum ada pekerjaan cetak' "$BODY"
printed() { db "SELECT coalesce((SELECT count FROM document_prints WHERE serial = '$1'), 0)"; }
# until_sql SECONDS SQL WANT: until SQL answers WANT, at most SECONDS
# (polls the database the server writes; no fixed sleep)
until_sql() {
	local n=$(($1 * 20))
	while [ $n -gt 0 ]; do
		[ "$(db "$2")" = "$3" ] && return 0
		sleep 0.05; n=$((n - 1))
	done
	return 1
}
# until_ok SECONDS SERIAL COUNT: until SERIAL's print count is COUNT
until_ok() {
	until_sql "$1" "SELECT coalesce((SELECT count FROM document_prints
		WHERE serial = '$2'), 0)" "$3"
}

# ---- two cards to a stopped printer: pending, not printed ----------------
cupsdisable kartu
req -b "terbit_sid=$SID" -d "csrf=$CSRF&s${C[0]}=1&s${C[1]}=1" "$URL/cetak/kartu"
t_grep "sent: 303 to the queue" '^303$' "$CODE"
t_grep "... with the notice" 'Location: /cetak\?ok=dikirim' "$HDR"
t_check "two CUPS jobs, one a card" test "$(db "SELECT count(*) || ' ' || group_concat(kind) FROM print_jobs")" = "2 card,card"
req -b "terbit_sid=$SID" "$URL/cetak?ok=dikirim"
t_grep "the notice says when they count" 'tercatat dicetak setelah printer menyelesaikan' "$BODY"
t_check "both jobs pending on the page" test "$(printf '%s' "$BODY" | grep -c '<span class="pill ">menunggu</span>')" -eq 2
t_grep "... because the printer stopped" 'menunggu</span><br><span class="note">printer berhenti' "$BODY"
t_check "the sent cards left the queue" test "$(printf '%s' "$BODY" | grep -c "name=\"s${C[0]}\"\|name=\"s${C[1]}\"")" -eq 0
t_check "nothing printed yet" test "$(printed "${C[0]}")$(printed "${C[1]}")" = 00
JOB1=$(db "SELECT cups_id FROM print_jobs WHERE id = 1")
JOB2=$(db "SELECT cups_id FROM print_jobs WHERE id = 2")

# ---- one cancelled, the other completes: the follower records it ---------
cancel "$JOB2"
cupsenable kartu
t_check "the server's follower records the completed job by itself" until_ok 20 "${C[0]}" 1
t_check "... and the cancelled one ended unprinted" \
	until_sql 20 "SELECT state FROM print_jobs WHERE id = 2" cancelled
t_check "... card 2 unprinted" test "$(printed "${C[1]}")" = 0
req -b "terbit_sid=$SID" "$URL/cetak"
t_grep "the page: selesai" '<span class="pill ok">selesai</span>' "$BODY"
t_grep "the page: dibatalkan, with CUPS's reason" '<span class="pill bad">dibatalkan</span><br><span class="note">[a-z-]+' "$BODY"
t_check "the cancelled card is back in the queue" test "$(printf '%s' "$BODY" | grep -c "name=\"s${C[1]}\"")" -eq 1
t_check "the printed one is not" test "$(printf '%s' "$BODY" | grep -c "name=\"s${C[0]}\"")" -eq 0

# ---- a letter -------------------------------------------------------------
req -b "terbit_sid=$SID" -d "csrf=$CSRF&s$L=1" "$URL/cetak/surat"
t_grep "letter sent: 303" 'Location: /cetak\?jenis=surat&ok=dikirim' "$HDR"
t_check "the letter printed" until_ok 20 "$L" 1
LJOB=$(db "SELECT cups_id FROM print_jobs j JOIN print_job_docs d ON d.job_id = j.id WHERE d.serial = '$L'")
"$TERBIT" document get "$L" --out "$T_TMP/letter.pdf"
t_check "the printer's file is the signed letter" cmp -s "$CUPS_OUT/job-$LJOB.pdf" "$T_TMP/letter.pdf"

# ---- Cetak ulang on the document's page ------------------------------------
req -b "terbit_sid=$SID" "$URL/dokumen/${C[0]}"
t_grep "document page: printed once, when" '<dt>Dicetak</dt><dd>1 kali, terakhir ' "$BODY"
t_grep "... its job listed" 'Pekerjaan #1 ke kartu' "$BODY"
t_grep "... Cetak ulang offered, asking the reason" 'action="/dokumen/'"${C[0]}"'/cetak-ulang"' "$BODY"
req -b "terbit_sid=$SID" "$URL/dokumen/${C[1]}"
t_grep "a card never printed: belum pernah" '<dt>Dicetak</dt><dd>belum pernah' "$BODY"
t_check "... no Cetak ulang (the module would refuse it)" test "$(printf '%s' "$BODY" | grep -c 'cetak-ulang')" -eq 0
BEFORE=$(db "SELECT count(*) FROM print_jobs")
req -b "terbit_sid=$SID" -d "csrf=$CSRF&reason=" "$URL/dokumen/${C[0]}/cetak-ulang"
t_grep "no reason: 422" '^422$' "$CODE"
t_grep "... told beside the field" 'id="reprint-err">Tuliskan alasannya' "$BODY"
req -b "terbit_sid=$SID" -d "reason=rusak" "$URL/dokumen/${C[0]}/cetak-ulang"
t_grep "no CSRF token: 403" '^403$' "$CODE"
t_check "... neither sent anything" test "$(db "SELECT count(*) FROM print_jobs")" = "$BEFORE"
req -b "terbit_sid=$SID" -d "csrf=$CSRF" --data-urlencode "reason=kartu <b>hilang</b>" "$URL/dokumen/${C[0]}/cetak-ulang"
t_grep "with a reason: 303 to the page" "Location: /dokumen/${C[0]}\\?ok=cetak-ulang" "$HDR"
t_check "reprinted: twice now" until_ok 20 "${C[0]}" 2
t_grep "audited as a reprint with the reason" "document.reprint .*alasan: kartu <b>hilang</b>" \
	"$(db "SELECT action || ' ' || note FROM audit WHERE action = 'document.reprint'")"
req -b "terbit_sid=$SID" "$URL/dokumen/${C[0]}"
t_grep "the page: 2 times" '<dt>Dicetak</dt><dd>2 kali' "$BODY"
t_grep "... the reason escaped" 'cetak ulang: kartu &lt;b&gt;hilang&lt;/b&gt;' "$BODY"

# ---- a printer that cannot take jobs: no send button, the reason said ----
cupsreject kartu
req -b "terbit_sid=$SID" "$URL/cetak"
t_grep "a rejecting card printer: said on the page" 'Printer kartu tidak dapat dipakai sekarang: printer &quot;kartu&quot; menolak' "$BODY"
t_check "... and no send button" test "$(printf '%s' "$BODY" | grep -c 'Cetak kartu terpilih')" -eq 0
cupsaccept kartu
req -b "terbit_sid=$SID" "$URL/cetak"
t_check "accepting again: the button is back" test "$(printf '%s' "$BODY" | grep -c 'Cetak kartu terpilih')" -eq 1

# ---- one more pending, for the picture: every state on the page -----------
cupsdisable kartu
req -b "terbit_sid=$SID" -d "csrf=$CSRF&s${C[2]}=1" "$URL/cetak/kartu"
[ -n "${TERBIT_SAMPLES:-}" ] && SHOTS=$ROOT/samples/ui && mkdir -p "$SHOTS"
t_py - "$URL" "$PW" "${SHOTS:-$T_TMP}" "${C[0]}" <<'EOF'
import sys
from browser import Browser, check, done
url, pw, shots, card = sys.argv[1:5]
b = Browser(url)
try:
    b.open("/masuk")
    b.fill(name="ds", password=pw).submit()
    b.open("/cetak")
    check("browser: print queue", b.h1() == "Antrean cetak", b.h1())
    states = [e.text for e in b.d.find_elements("css selector", "table.jobs .pill")]
    check("browser: jobs in several states", {"selesai", "dibatalkan", "menunggu"} <= set(states), states)
    b.shot(shots + "/cetak-pekerjaan-1280.png", 1280)
    b.shot(shots + "/cetak-pekerjaan-360.png", 360)
    b.d.set_window_size(1280, 900)
    b.open("/dokumen/" + card)
    check("browser: the card's print history", "Riwayat cetak" in b.body(), b.h1())
    b.submit(form_action="/dokumen/%s/cetak-ulang" % card)
    check("browser: Cetak ulang without a reason: told beside the field",
          "Tuliskan alasannya" in b.text("#reprint-err"), b.body()[:200])
    b.shot(shots + "/dokumen-cetak-1280.png", 1280)
    b.shot(shots + "/dokumen-cetak-360.png", 360)
    errs = b.csp_refusals()
    check("browser: the CSP refused nothing", not errs, errs)
finally:
    b.close()
done()
EOF
cupsenable kartu
srv_stop
t_check "the server stopped cleanly (follower joined)" test "$STOP_RC" = 0

t_done
