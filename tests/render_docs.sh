#!/bin/bash
# Documents checked with outside tools, without the database: render the
# letter and the card from a fields file, then qpdf, pdffonts, pdftotext,
# pdftoppm + zbarimg must agree with what went in.
source "$(dirname "$0")/lib.sh"
FIELDS="$ROOT/tests/data/render_fields.txt"
QR=$(sed -n 's/^qr = //p' "$FIELDS")

# with_field KEY VALUE: a copy of the fields file with KEY replaced
with_field() {
	local out="$T_TMP/fields-$RANDOM.txt"
	grep -v "^$1 = " "$FIELDS" >"$out"
	printf '%s = %s\n' "$1" "$2" >>"$out"
	echo "$out"
}

t_run 0 "render letter from fields" "$TERBIT" render letter --fields "$FIELDS" --out "$T_TMP/l.pdf"
t_run 0 "render card from fields" "$TERBIT" render card --fields "$FIELDS" --out "$T_TMP/c.pdf"

for doc in l c; do
	t_run 0 "qpdf --check ($doc)" qpdf --check "$T_TMP/$doc.pdf"
	t_run 0 "pdffonts ($doc)" pdffonts "$T_TMP/$doc.pdf"
	fonts=$(printf '%s\n' "$OUT" | tail -n +3)
	t_grep "fonts listed ($doc)" "TrueType" "$fonts"
	t_check "every font embedded ($doc)" \
		test -z "$(printf '%s\n' "$fonts" | awk '$(NF-4) != "yes"')"
	size=$(stat -c %s "$T_TMP/$doc.pdf")
	t_check "$doc.pdf is at most 30 KB ($size bytes)" test "$size" -le 30720
done

t_run 0 "card has two ID-1 pages" pdfinfo "$T_TMP/c.pdf"
t_grep "two pages" "Pages: +2" "$OUT"
t_grep "ID-1 size (242.65 x 153.01 pt)" "Page size: +242.6[0-9]* x 153.0[0-9]* pts" "$OUT"
t_run 0 "letter is A4" pdfinfo "$T_TMP/l.pdf"
t_grep "A4 size" "Page size: +595.2[0-9]* x 841.8[0-9]* pts" "$OUT"

text=$(pdftotext -layout "$T_TMP/l.pdf" - 2>/dev/null)
t_grep "letter: name" 'Ahmad "Gus" Fauzi' "$text"
t_grep "letter: NIK" "3510050107850003" "$text"
t_grep "letter: number" "Nomor: 400\.9/0001/429\.108/2026" "$text"
t_grep "letter: birth date" "Banyuwangi, 1 Juli 1985" "$text"
t_grep "letter: date line" "Banyuwangi, 22 November 2026" "$text"
t_grep "letter: valid until" "21 Mei 2027" "$text"
t_grep "letter: score with comma" "1,842" "$text"
t_grep "letter: title" "SURAT PERNYATAAN MISKIN" "$text"
# the diagonal mark: pdftotext cuts rotated text, so read the content stream
qpdf --qdf --stream-data=uncompress "$T_TMP/l.pdf" "$T_TMP/l-qdf.pdf"
t_check "letter: specimen mark" grep -aq "(CONTOH / SPECIMEN) Tj" "$T_TMP/l-qdf.pdf"
text=$(pdftotext -layout "$T_TMP/c.pdf" - 2>/dev/null)
t_grep "card: number grouped" "0001 2345 6789 7" "$text"
t_grep "card: name" 'Ahmad "Gus" Fauzi' "$text"
t_grep "card: NIK" "3510050107850003" "$text"
t_grep "card: class" "III" "$text"
t_grep "card back: issuer" "Diterbitkan oleh Dinas Sosial Kabupaten Banyuwangi" "$text"

# names that must come back out of pdftotext exactly
while IFS= read -r name; do
	f=$(with_field name "$name")
	"$TERBIT" render letter --fields "$f" --out "$T_TMP/n.pdf" >/dev/null 2>"$T_TMP/err"
	got=$(pdftotext -raw "$T_TMP/n.pdf" - 2>/dev/null | grep -F -x -- ": $name" || \
	      pdftotext -raw "$T_TMP/n.pdf" - 2>/dev/null | grep -F -- "$name")
	t_check "name round trip: $name" test -n "$got"
done <<'NAMES'
Nur'aini
O’Neil
Andréas
Ahmad "Gus" Fauzi
Ni Luh Putu Ayu
Ketut “Tut” Suryaningsih – Ibu
NAMES

# QR codes decode to exactly the payload at 150 and 100 dpi
for doc in l c; do
	for dpi in 150 100; do
		pdftoppm -r $dpi -png -f 1 -l 1 "$T_TMP/$doc.pdf" "$T_TMP/$doc$dpi"
		png=$(ls "$T_TMP/$doc$dpi"*.png | head -n1)
		got=$(zbarimg --raw -q "$png" 2>/dev/null)
		t_check "QR of $doc at $dpi dpi decodes to the payload" test "$got" = "$QR"
	done
done

# errors name their cause
f=$(with_field name "Жанна Łukasz")
t_run 2 "a character the fonts lack, with no Latin spelling, is refused" "$TERBIT" render letter --fields "$f" --out "$T_TMP/x.pdf"
t_grep "message names U+0416" "U\+0416" "$ERR"
t_check "no file written" test ! -e "$T_TMP/x.pdf"
f=$(with_field name "Łukasz Wąsik")
t_run 0 "a letter the fonts lack with an obvious Latin spelling prints" "$TERBIT" render letter --fields "$f" --out "$T_TMP/lw.pdf"
t_grep "Ł printed as L, ą as a" "Lukasz Wasik" "$(pdftotext "$T_TMP/lw.pdf" - 2>/dev/null)"
grep -v '^kk = ' "$FIELDS" >"$T_TMP/nokk.txt"
t_run 2 "a missing field is refused" "$TERBIT" render letter --fields "$T_TMP/nokk.txt" --out "$T_TMP/x.pdf"
t_grep "message names the field and the layout line" "spm_letter.layout:[0-9]+.*\{kk\}" "$ERR"

# a broken layout fails at start with its line number
mkdir -p "$T_TMP/root"
cp -r "$ROOT/layouts" "$ROOT/fonts" "$T_TMP/root/"
printf 'page paper=ID1\nrect x=0 y=0 w=abc h=2\n' >"$T_TMP/root/layouts/kis_card_back.layout"
t_run 2 "broken layout refused" "$TERBIT" render card --fields "$FIELDS" --root "$T_TMP/root" --out "$T_TMP/x.pdf"
t_grep "file and line named" "kis_card_back.layout:2: .*abc" "$ERR"

# a broken image (a PNG cut short after its signature) is refused when
# the layouts load, with the line; libpng would abort inside libharu
cp "$ROOT/layouts/kis_card_back.layout" "$T_TMP/root/layouts/"
head -c 60 "$ROOT/layouts/logo.png" >"$T_TMP/root/layouts/logo.png"
t_run 2 "a broken image is refused at start" "$TERBIT" render letter --fields "$FIELDS" --root "$T_TMP/root" --out "$T_TMP/x.pdf"
t_grep "file, line and image named" "spm_letter.layout:[0-9]+: logo.png rusak" "$ERR"
t_check "no file written" test ! -e "$T_TMP/x.pdf"

# terbit qr: a 1-bit PNG with its resolution
t_run 0 "terbit qr" "$TERBIT" qr "$QR" --out "$T_TMP/q.png" --mm 20 --dpi 300
t_check "qr PNG decodes" test "$(zbarimg --raw -q "$T_TMP/q.png" 2>/dev/null)" = "$QR"
hdr=$(od -A d -t x1 -j 24 -N 2 "$T_TMP/q.png" | head -n1)
t_grep "bit depth 1, greyscale" "^0000024 01 00" "$hdr"
t_check "pHYs chunk present" grep -q pHYs "$T_TMP/q.png"
t_run 2 "lower-case long payload refused" "$TERBIT" qr "$(printf '%s' "$QR" | tr A-Z a-z)x" --out "$T_TMP/q2.png"
t_grep "version named" "versi" "$ERR"

t_done
