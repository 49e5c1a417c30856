#!/bin/bash
# terbit render from the case database: an approved case gives an
# unsigned specimen letter and card with the resident's data; other
# cases are refused.
source "$(dirname "$0")/lib.sh"

t_run 0 "init" "$TERBIT" init
t_run 0 "demo data" "$TERBIT" demo-data --residents 150 --seed 3
row=$("$TERBIT" case list --state approved | head -n1)
id=$(printf '%s' "$row" | cut -f1)
nik=$(printf '%s' "$row" | cut -f4)
name=$(printf '%s' "$row" | cut -f5)
t_check "an approved case exists" test -n "$id"

t_run 0 "render letter $id" "$TERBIT" render letter "$id" --out "$T_TMP/l.pdf"
t_grep "says it is a specimen" "CONTOH" "$OUT"
t_run 0 "render card $id" "$TERBIT" render card "$id" --out "$T_TMP/c.pdf"
t_run 0 "letter passes qpdf --check" qpdf --check "$T_TMP/l.pdf"
t_run 0 "card passes qpdf --check" qpdf --check "$T_TMP/c.pdf"
text=$(pdftotext -layout "$T_TMP/l.pdf" - 2>/dev/null)
t_grep "letter holds the name" "$name" "$text"
t_grep "letter holds the NIK" "$nik" "$text"
t_grep "letterhead from the policy" "DINAS SOSIAL KABUPATEN BANYUWANGI" "$text"
t_grep "score with a decimal comma" "skor kemiskinan [0-9],[0-9]{3}\\." "$text"
t_grep "an Indonesian date" "Banyuwangi, [0-9]{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember) 20[0-9]{2}" "$text"
text=$(pdftotext -layout "$T_TMP/c.pdf" - 2>/dev/null)
t_grep "card holds the NIK" "$nik" "$text"
pdftoppm -r 150 -png -f 1 -l 1 "$T_TMP/l.pdf" "$T_TMP/lp"
qr=$(zbarimg --raw -q "$T_TMP"/lp*.png 2>/dev/null)
t_grep "letter QR: the verifier URL, upper case, 190 characters" "^HTTPS://[A-Z0-9.-]+/V/[A-Z0-9]+$" "$qr"
t_check "QR payload is 190 characters (version 8 like an issued one)" test "${#qr}" -eq 190
t_check "QR carries no NIK" test "${qr#*$nik}" = "$qr"

other=$("$TERBIT" case list --state draft | head -n1 | cut -f1)
t_run 6 "a draft case is refused" "$TERBIT" render letter "$other" --out "$T_TMP/x.pdf"
t_grep "refusal names the state" "draft" "$ERR"
t_run 3 "an unknown case is refused" "$TERBIT" render card 999999 --out "$T_TMP/x.pdf"
t_run 2 "an unknown document kind is refused" "$TERBIT" render poster "$id" --out "$T_TMP/x.pdf"
t_check "nothing written for refusals" test ! -e "$T_TMP/x.pdf"

t_done
