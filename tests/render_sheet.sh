#!/bin/bash
# Batch printing end to end: `terbit document sheet` puts issued cards ten
# to an A4 sheet, fronts then mirrored backs. Checked with outside tools:
# qpdf --check, pdfinfo (pages, A4), pdftotext (every name and card
# number; each back behind its front), pdftoppm + zbarimg (the ten QR
# codes of the first sheet are the stored tokens and verify VALID); the
# audit rows; refusals (a letter, a revoked card, an unknown serial, a
# village operator) write no file and change nothing in the database.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/issue-setup.bash"

W=$T_TMP/w
mkdir -p "$W"
issue_setup 13 || { t_fail "set-up of approved cases"; t_done; exit 1; }
t_run 0 "issue 13 cards" "$TERBIT" issue-many card --by ds --batch 20
mapfile -t S <<<"$OUT"
t_check "13 serials" test "${#S[@]}" -eq 13
t_run 0 "issue a letter" "$TERBIT" issue 1 letter --by ds
LETTER=$OUT

# serial -> "token<TAB>name<TAB>card number as printed", from the registry
"$TERBIT" document list --json | python3 -c '
import json, sys
for d in json.load(sys.stdin):
    n = d["number"]
    print("\t".join([d["serial"], d["token"], d["name"],
                     " ".join(n[i:i + 4] for i in range(0, len(n), 4))]))
' >"$W/docs.tsv"
field() { awk -F'\t' -v s="$1" -v k="$2" '$1 == s { print $k }' "$W/docs.tsv"; }

t_run 0 "sheet of 12 cards" "$TERBIT" document sheet "${S[@]:0:12}" \
	--out "$W/sheet.pdf" --by ds
t_grep "stderr: 12 cards on 2 sheets (Indonesian)" "^12 kartu ditata pada 2 lembar A4" "$ERR"
t_run 0 "qpdf --check" qpdf --check "$W/sheet.pdf"
INFO=$(pdfinfo "$W/sheet.pdf")
t_grep "4 pages: 2 sheets, front and back" "^Pages: +4$" "$INFO"
t_grep "A4 pages" "^Page size: +595.2[0-9]* x 841.8[0-9]* pts \(A4\)" "$INFO"

TEXT=$(pdftotext "$W/sheet.pdf" - 2>/dev/null)
missing=
for s in "${S[@]:0:12}"; do
	printf '%s' "$TEXT" | grep -qF "$(field "$s" 3)" || missing+=" name:$s"
	printf '%s' "$TEXT" | grep -qF "$(field "$s" 4)" || missing+=" number:$s"
	printf '%s' "$TEXT" | grep -qF "No. seri $s" || missing+=" back:$s"
done
t_check "every card's name, card number and back (serial) in the text" test -z "$missing"
t_grep "footer: sheet 1 of 2, front, cards 1-10 of 12" "Lembar 1 dari 2 · depan · kartu 1–10 dari 12 · dicetak" "$TEXT"
t_grep "footer: sheet 2 of 2, back" "Lembar 2 dari 2 · belakang · kartu 11–12 dari 12" "$TEXT"

# Each back is behind its front under a long-edge flip: the first card's
# front is top left on page 1, its back top right on page 2 (points;
# cards 85.6 x 53.98 mm, columns 6 mm apart, centred).
crop() { pdftotext -f "$1" -l "$1" -x "$2" -y 38 -W 243 -H 153 "$W/sheet.pdf" - 2>/dev/null; }
t_grep "card 1 front: top left of page 1" "$(field "${S[0]}" 3)" "$(crop 1 46)"
t_grep "card 1 back: top right of page 2" "No. seri ${S[0]}" "$(crop 2 306)"
t_grep "card 2 back: top left of page 2" "No. seri ${S[1]}" "$(crop 2 46)"
t_check "card 2 back: not top right of page 2" test -z "$(crop 2 306 | grep -F "${S[1]}")"
t_grep "card 11 back: top right of page 4" "No. seri ${S[10]}" "$(crop 4 306)"

# The QR codes of the first sheet, as a phone or scanner reads them.
pdftoppm -r 150 -f 1 -l 1 -png "$W/sheet.pdf" "$W/p"
zbarimg -q --raw "$W"/p-1.png 2>/dev/null | sort >"$W/qr.txt"
for s in "${S[@]:0:10}"; do
	echo "HTTPS://SPM.BANYUWANGIKAB.GO.ID/V/$(field "$s" 2)"
done | sort >"$W/want.txt"
t_check "page 1: the 10 QR codes are the first ten cards' stored tokens" \
	diff "$W/want.txt" "$W/qr.txt"
bad=0
while read -r url; do
	"$TERBIT" verify "$url" >"$W/v" 2>&1
	grep -q "^VALID" "$W/v" || bad=$((bad + 1))
done <"$W/qr.txt"
t_check "each decoded code verifies VALID" test "$bad" -eq 0
t_run 0 "printing changed no document (registry still checks)" \
	"$TERBIT" document check

AUDIT=$(sqlite3 "$TERBIT_DATA/terbit.db" \
	"SELECT actor || ' ' || object || ' ' || note FROM audit WHERE action = 'document.sheet' ORDER BY id")
t_grep "audit: sheet 1 of 2 by ds, ten serials" "^ds sheet:1/2 10 kartu: ${S[0]} ${S[1]} " "$AUDIT"
t_grep "audit: sheet 2 of 2" "ds sheet:2/2 2 kartu: ${S[10]} ${S[11]}$" "$AUDIT"
# a file is not a print: only a completed CUPS job counts (print_cups.sh)
t_check "the sheet file marks no card printed" test \
	"$(sqlite3 "$TERBIT_DATA/terbit.db" "SELECT count(*) FROM document_prints")" = 0

# ---- refusals: nothing written -------------------------------------------

t_run 0 "revoke card 13" "$TERBIT" revoke "${S[12]}" --reason "kartu hilang" --by ds
BEFORE=$(t_dbdump)
t_run nz "a letter is refused" "$TERBIT" document sheet "${S[0]}" "$LETTER" \
	--out "$W/r1.pdf" --by ds
t_grep "message: a letter, not a card" "$LETTER adalah surat, bukan kartu" "$ERR"
t_run nz "a revoked card is refused" "$TERBIT" document sheet "${S[12]}" \
	--out "$W/r2.pdf" --by ds
t_grep "message: revoked" "kartu ${S[12]} sudah dicabut" "$ERR"
t_run nz "an unknown serial is refused" "$TERBIT" document sheet 00000000DEADBEEF \
	--out "$W/r3.pdf" --by ds
t_grep "message: not found" "kartu 00000000DEADBEEF tidak ditemukan" "$ERR"
t_run nz "a serial named twice is refused" "$TERBIT" document sheet "${S[0]}" "${S[0]}" \
	--out "$W/r4.pdf" --by ds
t_grep "message: twice" "disebut dua kali" "$ERR"
t_run nz "a village operator may not print" "$TERBIT" document sheet "${S[0]}" \
	--out "$W/r5.pdf" --by op
t_grep "message: only the social office" "hanya petugas Dinas Sosial" "$ERR"
t_check "no file written by a refusal" test ! -e "$W/r1.pdf" -a ! -e "$W/r2.pdf" \
	-a ! -e "$W/r3.pdf" -a ! -e "$W/r4.pdf" -a ! -e "$W/r5.pdf"
t_check "database unchanged by the refusals" test "$BEFORE" = "$(t_dbdump)"

# ---- conveniences ----------------------------------------------------------

t_run 0 "--all-valid: every card in force" "$TERBIT" document sheet --all-valid \
	--out "$W/all.pdf" --by ds
t_grep "--all-valid: 12 cards (the revoked one left out)" "^12 kartu ditata pada 2 lembar" "$ERR"
t_run 0 "--case 2: that case's card" "$TERBIT" document sheet --case 2 \
	--out "$W/case.pdf" --by ds
t_grep "--case: 1 card on 1 sheet" "^1 kartu ditata pada 1 lembar" "$ERR"
t_grep "--case: the case's card" "No. seri ${S[1]}" "$(pdftotext "$W/case.pdf" - 2>/dev/null)"

t_done
