#!/bin/bash
# Printing through CUPS end to end, against a real cupsd this test starts
# (tests/cups-setup.bash: its own configuration, a private Unix socket,
# virtual printers writing each job's PDF to a directory). Checks: the
# printers' capabilities as `terbit printers` reads them, unsuitable
# printers refused; the printed file is the document (the registry's
# bytes, pdftotext, the QR read back with zbarimg and verified VALID);
# the job's options as CUPS holds them, read back with ipptool; a stopped
# printer leaves the job pending and the document unprinted until
# cupsenable; a cancelled job is recorded as not printed with CUPS's
# reason; reprints need a reason and are audited as reprints; the old
# sheet file no longer counts as printed.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/issue-setup.bash"
source "$(dirname "$0")/cups-setup.bash"
trap 'cups_stop; t_cleanup' EXIT

W=$T_TMP/w
mkdir -p "$W"
DB=$TERBIT_DATA/terbit.db
q() { sqlite3 "$DB" "$1"; }

issue_setup 24 || { t_fail "set-up of approved cases"; t_done; exit 1; }
t_run 0 "issue 3 cards" "$TERBIT" issue-many card --by ds --count 3
mapfile -t C <<<"$OUT"
t_run 0 "issue a letter" "$TERBIT" issue 4 letter --by ds
LETTER=$OUT
t_run 0 "issue 20 more cards" "$TERBIT" issue-many card --by ds --batch 20 --count 20
mapfile -t MANY <<<"$OUT"

cups_start || { t_fail "cupsd started"; t_done; exit 1; }
# Get-Job-Attributes as the job's owner: CUPS shows job-name only to it
cat >"$W/job.test" <<'EOF'
{
	NAME "a job's attributes"
	OPERATION Get-Job-Attributes
	GROUP operation-attributes-tag
	ATTR charset attributes-charset utf-8
	ATTR naturalLanguage attributes-natural-language en
	ATTR uri job-uri $uri
	ATTR name requesting-user-name $user
	ATTR keyword requested-attributes all
	STATUS successful-ok
}
EOF
job_attrs() { ipptool -tv "$(cups_uri "/jobs/$1")" "$W/job.test" 2>&1; }
t_ok "cupsd started on $CUPS_SERVER"
cups_printer kantor 1 A4 && cups_printer kartu 1 CR80 && cups_printer biasa 0 A4
t_check "three virtual printers" test "$(lpstat -p | grep -c '^printer')" = 3

# ---- printers and their set-up -------------------------------------------

t_run 0 "terbit printers" "$TERBIT" printers
t_grep "kantor: A4, no CR80, duplex" "^kantor  A4: iso_a4_210x297mm  CR80: tidak  bolak-balik: ya  warna: tidak  siap" "$OUT"
t_grep "kartu: CR80, duplex" "^kartu  A4: tidak  CR80: [^ ]+  bolak-balik: ya" "$OUT"
t_grep "biasa: A4, no duplex" "^biasa  A4: iso_a4_210x297mm  CR80: tidak  bolak-balik: tidak" "$OUT"
t_grep "nothing set up yet" "printer surat: belum diatur" "$OUT"

BEFORE=$(t_dbdump)
t_run nz "cards refused on a printer without CR80" "$TERBIT" printer use card kantor --by ds
t_grep "says CR80 is missing" 'tidak cocok untuk kartu satu per halaman .*tidak ada media CR80' "$ERR"
t_run nz "sheets refused on a printer without duplex" "$TERBIT" printer use card biasa --sheets --by ds
t_grep "says duplex is missing" 'biasa" tidak cocok .*bolak-balik' "$ERR"
t_run nz "an unknown printer refused" "$TERBIT" printer use letter tidakada --by ds
t_grep "says unknown" 'printer "tidakada" tidak dikenal' "$ERR"
t_run nz "printing before any printer is set up" "$TERBIT" print "$LETTER" --by ds
t_grep "says how to set one up" 'belum ada printer untuk surat' "$ERR"
t_check "refusals changed nothing" test "$BEFORE" = "$(t_dbdump)"
t_run 0 "letters to kantor" "$TERBIT" printer use letter kantor --by ds
t_run 0 "cards to kartu" "$TERBIT" printer use card kartu --by ds
t_grep "set-up audited" "ds print.setup card: kartu \(card\)" \
	"$(q "SELECT actor || ' ' || action || ' ' || note FROM audit WHERE action = 'print.setup'")"

# ---- a letter: the file is the document, the options arrive -------------

t_run 0 "print the letter, 2 copies, wait" "$TERBIT" print "$LETTER" --copies 2 --by ds --wait 20
t_grep "job completed" "^pekerjaan 1  CUPS [0-9]+  kantor  selesai  letter x2  one-sided" "$OUT"
JOB=$(q "SELECT cups_id FROM print_jobs WHERE id = 1")
"$TERBIT" document get "$LETTER" --out "$W/letter.pdf"
t_check "printed file = the signed letter in the registry" cmp -s "$CUPS_OUT/job-$JOB.pdf" "$W/letter.pdf"
t_grep "pdftotext: the letter's number" "$(q "SELECT number FROM documents WHERE serial = '$LETTER'")" \
	"$(pdftotext "$CUPS_OUT/job-$JOB.pdf" - 2>/dev/null)"
ATTR=$(job_attrs "$JOB")
t_grep "IPP: media A4" "media \(keyword\) = iso_a4_210x297mm$" "$ATTR"
t_grep "IPP: one-sided" "sides \(keyword\) = one-sided" "$ATTR"
t_grep "IPP: 2 copies" "copies \(integer\) = 2" "$ATTR"
t_grep "IPP: job name is the serial only" "job-name \(name(WithoutLanguage)?\) = $LETTER$" "$ATTR"
t_grep "IPP: completed" "job-state \(enum\) = completed" "$ATTR"
t_check "letter counted printed once" test "$(q "SELECT count FROM document_prints WHERE serial = '$LETTER'")" = 1
t_grep "audit: who, printer, job, when" \
	"^ds document.print document:$LETTER pekerjaan 1 \(CUPS $JOB\) printer kantor x2 selesai 20[0-9-]+T" \
	"$(q "SELECT actor || ' ' || action || ' ' || object || ' ' || note FROM audit WHERE action = 'document.print'")"

# ---- a card on the card printer: the QR reads back VALID ----------------

t_run 0 "print card 1 on the card printer" "$TERBIT" print "${C[0]}" --by ds --wait 20
JOB=$(q "SELECT cups_id FROM print_jobs WHERE id = 2")
ATTR=$(job_attrs "$JOB")
t_grep "IPP: card media" "media \(keyword\) = custom_53.98x85.6mm_53.98x85.6mm$" "$ATTR"
t_grep "IPP: two-sided long edge" "sides \(keyword\) = two-sided-long-edge" "$ATTR"
t_grep "IPP: 1 copy" "copies \(integer\) = 1" "$ATTR"
pdftoppm -r 300 -png -f 1 -l 1 "$CUPS_OUT/job-$JOB.pdf" "$W/card" 2>/dev/null
URL=$(zbarimg -q --raw "$W"/card*.png 2>/dev/null | head -1)
t_grep "QR read back from the printed card" "^(https?|HTTPS?)://" "$URL"
t_run 0 "the printed card's QR verifies" "$TERBIT" verify "$URL"
t_grep "VALID" "^VALID" "$OUT"

# ---- a card on an A4 printer: sheets of ten, duplex ---------------------

t_run 0 "card 2 as a sheet on kantor" "$TERBIT" print "${C[1]}" --printer kantor --by ds --wait 20
t_grep "sheet job" "kantor  selesai  sheet x1  two-sided-long-edge" "$OUT"
JOB=$(q "SELECT cups_id FROM print_jobs WHERE id = 3")
t_grep "A4 sheet, front and back" "^Pages: +2$" "$(pdfinfo "$CUPS_OUT/job-$JOB.pdf" 2>/dev/null)"
t_grep "the sheet has the card's serial" "${C[1]}" "$(pdftotext "$CUPS_OUT/job-$JOB.pdf" - 2>/dev/null)"

# ---- twenty cards: one job of two sheets, its name within IPP's 255 bytes

t_run 0 "20 cards as sheets on kantor" "$TERBIT" print "${MANY[@]}" --printer kantor --by ds --wait 20
ID=$(q "SELECT max(id) FROM print_jobs")
JOB=$(q "SELECT cups_id FROM print_jobs WHERE id = $ID")
t_grep "two A4 sheets, front and back" "^Pages: +4$" "$(pdfinfo "$CUPS_OUT/job-$JOB.pdf" 2>/dev/null)"
ATTR=$(job_attrs "$JOB")
t_grep "IPP: job name is the first serials and how many more" \
	"job-name \(name(WithoutLanguage)?\) = ${MANY[0]} ${MANY[1]} [0-9A-F ]+ \+[0-9]+$" "$ATTR"
t_check "the registry keeps all 20 on the job" test "$(q "SELECT count(*) FROM print_job_docs WHERE job_id = $ID")" = 20
t_check "all 20 printed" test "$(q "SELECT count(*) FROM document_prints WHERE serial IN ($(printf "'%s'," "${MANY[@]}")'')")" = 20

# ---- a stopped printer: pending, not printed until enabled --------------

cupsdisable kartu
t_run 0 "card 3 sent to the stopped printer" "$TERBIT" print "${C[2]}" --by ds
ID=$(q "SELECT max(id) FROM print_jobs")
t_run nz "wait gives up while it is stopped" "$TERBIT" print wait "$ID" --timeout 0.5
t_grep "still pending, because the printer stopped" "menunggu .*sebab: printer berhenti" "$OUT"
t_grep "says not recorded" "belum tercatat dicetak" "$ERR"
t_check "card 3 not printed" test "$(q "SELECT count(*) FROM document_prints WHERE serial = '${C[2]}'")" = 0
t_check "no file while stopped" test ! -e "$CUPS_OUT/job-$(q "SELECT cups_id FROM print_jobs WHERE id = $ID").pdf"
cupsenable kartu
t_run 0 "enabled: the job completes" "$TERBIT" print wait "$ID" --timeout 20
t_check "card 3 now printed" test "$(q "SELECT count FROM document_prints WHERE serial = '${C[2]}'")" = 1

# ---- reprints -------------------------------------------------------------

BEFORE=$(t_dbdump)
t_run nz "printing a printed card again is refused" "$TERBIT" print "${C[0]}" --by ds
t_grep "says it was printed" "sudah pernah dicetak" "$ERR"
t_run nz "a reprint without a reason is refused" "$TERBIT" print "${C[0]}" --reprint --by ds
t_grep "says a reason is needed" "cetak ulang perlu alasan" "$ERR"
t_run nz "cards to a printer without duplex are refused" "$TERBIT" print "${C[0]}" --printer biasa --reprint --reason x --by ds
t_grep "says duplex is missing" 'biasa" tidak cocok untuk lembar kartu A4 .*bolak-balik' "$ERR"
t_run nz "an unknown printer is refused" "$TERBIT" print "$LETTER" --printer tidakada --reprint --reason x --by ds
t_grep "says unknown" 'printer "tidakada" tidak dikenal' "$ERR"
t_run nz "11 copies are refused" "$TERBIT" print "$LETTER" --copies 11 --reprint --reason x --by ds
t_grep "says 1..10" 'jumlah salinan harus 1..10' "$ERR"
t_run nz "a village operator may not print" "$TERBIT" print "${C[0]}" --reprint --reason x --by op
t_grep "says only the social office" 'hanya petugas Dinas Sosial' "$ERR"
t_check "refusals changed nothing" test "$BEFORE" = "$(t_dbdump)"
t_check "... and sent nothing to CUPS" test "$(lpstat -W all -o | wc -l)" = "$(q "SELECT count(*) FROM print_jobs")"

# ---- a cancelled job: not printed, CUPS's reason kept --------------------

cupsdisable kartu
t_run 0 "reprint of card 1 to the stopped printer" "$TERBIT" print "${C[0]}" \
	--reprint --reason "kartu rusak terkena air" --by ds
ID=$(q "SELECT max(id) FROM print_jobs")
cancel "$(q "SELECT cups_id FROM print_jobs WHERE id = $ID")"
t_run nz "wait reports the cancellation" "$TERBIT" print wait "$ID" --timeout 20
t_grep "cancelled, with CUPS's reason" "pekerjaan $ID dibatalkan: .*\((processing-to-stop-point|job-canceled-by-user)\)" "$ERR"
t_check "still printed once" test "$(q "SELECT count FROM document_prints WHERE serial = '${C[0]}'")" = 1
t_grep "audited as failed" "print.failed print:$ID CUPS [0-9]+ printer kartu cancelled" \
	"$(q "SELECT action || ' ' || object || ' ' || note FROM audit WHERE action = 'print.failed'")"
cupsenable kartu
t_run 0 "the reprint again, completed" "$TERBIT" print "${C[0]}" \
	--reprint --reason "kartu rusak terkena air" --by ds --wait 20
t_check "printed twice now" test "$(q "SELECT count FROM document_prints WHERE serial = '${C[0]}'")" = 2
t_grep "audited as a reprint with its reason" \
	"document.reprint document:${C[0]} .*alasan: kartu rusak terkena air" \
	"$(q "SELECT action || ' ' || object || ' ' || note FROM audit WHERE action = 'document.reprint'")"
t_run 0 "document show" "$TERBIT" document show "${C[0]}"
t_grep "shows how many times and when" "^Dicetak     : 2 kali, terakhir 20" "$OUT"
t_grep "lists the cancelled job too" "dibatalkan" "$OUT"

t_run 0 "print status lists the jobs" "$TERBIT" print status
t_check "seven jobs" test "$(printf '%s\n' "$OUT" | grep -c '^pekerjaan')" = 7
t_run 0 "the registry still checks" "$TERBIT" document check
t_run 0 "the audit chain holds" "$TERBIT" audit verify

t_done
