#!/bin/bash
# Issue 11, finding 5: the longest names and addresses a village can have,
# and names with characters from elsewhere, imported as residents (made
# up here) and issued as letters and cards through the real gate. Each
# document holds the whole name and address (pdftotext, lines joined),
# passes qpdf --check, embeds its fonts (pdffonts) and keeps a readable QR
# code (pdftoppm + zbarimg); a 60-character name prints at its normal size
# (the font sizes read from the uncompressed page with qpdf --qdf), and on
# every card, at every length, no text is under 6 pt and none of the
# holder's data under 7 pt (issue 12, "Card type that can be read"). A
# name past what import stores cannot reach the renderer; one given to
# `terbit render --fields` is refused with a message naming the row.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/issue-setup.bash"

W=$T_TMP/w
mkdir -p "$W"
issue_setup 1 || { t_fail "set-up of users and policy"; t_done; exit 1; }
t_ok "set-up: users, policy and keys"

# 60 characters: the most Permendagri 73/2022 allows. 100 and 127 (what
# import stores at most): older records. 120 and 255 bytes of address.
N60="Raden Mas Muhammad Abdurrahman Wicaksono Hadiningrat Putra J"
N100="Raden Ayu Siti Nurhayati Kusumawardhani Prameswari Hadiningrat Binti Haji Abdul Rahman Wiryoatmodjo"
N127="$N100 Sastrodiningrat Mangkubumi"
A120="Jalan Raya Jember-Banyuwangi Km. 12, Gang Melati III No. 117B, Dusun Krajan Kidul, Lingkungan Sumberrejo Wetan Perumahan"
A255="$A120 Griya Asri Blok C-17, Belakang Masjid Jami Al-Ikhlas, Sebelah Timur Pasar Desa Genteng Kulon, Dekat Kantor Pos Pembantu dan SDN 3 Jaya"
ACCENT="José María Muñoz O’Brien"          # all in Windows-1252
TRANSLIT="Nurʼaini Wąsik-Şahin Šarić"       # ʼ ą Ş ć: spelt ' a S c
t_check "the names and addresses have the lengths meant" \
	test "${#N60} ${#N100} ${#N127} ${#A120} ${#A255}" = "60 99 126 120 255"

# nik, name, address: synthetic residents of desa 3510052001 (Genteng)
cat >"$W/people.txt" <<EOF
3510050101850101|$N60|Dusun Krajan
3510054101850102|$N100|$A120
3510050101850103|$N127|$A255
3510050101850104|$ACCENT|Gang Kenari No. 5
3510054101850105|$TRANSLIT|Dusun Krajan
3510050101850106|${N127^^}|${A255^^}
EOF
{
	echo "nik,kk,name,birth_place,birth_date,sex,address,rt,rw,village_code"
	while IFS='|' read -r nik name addr; do
		sex=L; [ "${nik:6:1}" = 4 ] && sex=P
		printf '%s,3510050101200101,"%s",Banyuwangi,1985-01-01,%s,"%s",3,1,3510052001\n' \
			"$nik" "$name" "$sex" "$addr"
	done <"$W/people.txt"
} >"$W/residents.csv"
t_run 0 "import the residents" "$TERBIT" import residents "$W/residents.csv"

# What import stores at most: a 500-character name never reaches the
# renderer (the row is refused with its line).
N500=$(printf 'Hadiningrat %.0s' $(seq 42) | cut -c1-500)
printf 'nik,kk,name,birth_place,birth_date,sex,address,rt,rw,village_code\n3510050101850199,3510050101200101,%s,Banyuwangi,1985-01-01,L,Krajan,3,1,3510052001\n' \
	"$N500" >"$W/absurd.csv"
t_run nz "import refuses a 500-character name" "$TERBIT" import residents "$W/absurd.csv"
t_grep "naming the line and the limit" "terlalu panjang" "$ERR"

# The font size of every string shown, "size<TAB>text", in page order,
# from the uncompressed content streams (terbit sets the size only when
# it changes, so it is carried over from the last Tf).
sizes() {
	qpdf --qdf --object-streams=disable "$1" - 2>/dev/null | python3 -c '
import re, sys
data = sys.stdin.buffer.read().decode("cp1252", "replace")
size = None
for m in re.finditer(r"/F\d+ ([\d.]+) Tf|\(((?:[^()\\]|\\.)*)\) Tj", data):
    if m.group(1):
        size = m.group(1)
    else:
        # PDF string escapes: \ddd octal (a byte of the code page), else
        # the character itself
        t = re.sub(r"\\([0-7]{1,3}|.)", lambda e: bytes([int(e.group(1), 8)]).decode("cp1252")
                   if e.group(1)[0] in "01234567" else e.group(1), m.group(2))
        print("%s\t%s" % (size, t))'
}

# check_doc FILE KIND NAME ADDRESS: the checks every issued one passes.
check_doc() {
	local f=$1 kind=$2 name=$3 addr=$4 text url
	t_run 0 "$kind $f: qpdf --check" qpdf --check "$W/$f.pdf"
	t_run 0 "$kind $f: pdffonts" pdffonts "$W/$f.pdf"
	t_check "$kind $f: every font embedded" python3 -c '
import sys
rows = sys.argv[1].splitlines()[2:]
assert rows and all(r.split()[-5] == "yes" for r in rows), rows' "$OUT"
	# the lines a wrapped text was broken into, joined again (-raw: in
	# the order drawn; the layout order puts a smaller-type address
	# below the rows beside it)
	text=$(pdftotext -raw "$W/$f.pdf" - 2>/dev/null | tr '\n' ' ' | tr -s ' ')
	t_check "$kind $f: the whole name" grep -qF -- "$name" <<<"$text"
	t_check "$kind $f: the whole address" grep -qF -- "$addr" <<<"$text"
	pdftoppm -r 150 -f 1 -l 1 -png "$W/$f.pdf" "$W/$f-qr"
	url=$(zbarimg -q --raw "$W/$f-qr"-1.png 2>/dev/null | head -n1)
	t_grep "$kind $f: the QR code decodes" '^HTTPS://[A-Z0-9.-]+/V/[A-Z2-7]+$' "$url"
	t_run 0 "$kind $f: and verifies" "$TERBIT" verify "$url"
	t_grep "$kind $f: VALID" "^VALID" "$OUT"
}

i=0
while IFS='|' read -r nik name addr; do
	i=$((i + 1))
	mkdir -p "$W/c$i"
	if ! issue_walk "$nik" "$W/c$i" >/dev/null 2>&1; then
		t_fail "resident $i: case walked to approved"
		continue
	fi
	id=$(cat "$W/c$i/case-id")
	t_run 0 "resident $i: issue letter" "$TERBIT" issue "$id" letter --by ds --out "$W/l$i.pdf"
	t_run 0 "resident $i: issue card" "$TERBIT" issue "$id" card --by ds --out "$W/k$i.pdf"
	shown=$name
	[ "$name" = "$TRANSLIT" ] && shown="Nur'aini Wasik-Sahin Šaric"
	check_doc "l$i" letter "$shown" "$addr RT 003/RW 001"
	check_doc "k$i" card "$shown" "$addr RT 003/RW 001,"
	pdftoppm -r 100 -png "$W/k$i.pdf" "$W/k$i-100dpi"
done <"$W/people.txt"

# A 60-character name at its normal size: 11 pt on the letter, 8 pt on
# the card, every line of it.
t_check "letter: the 60-character name at 11 pt" python3 -c '
import sys
words = set(sys.argv[2].split())
rows = [l.split("\t", 1) for l in sys.argv[1].splitlines()]
lines = [(s, t) for s, t in rows if t and set(t.split()) <= words]
assert lines and all(s == "11" for s, t in lines), lines' "$(sizes "$W/l1.pdf")" "$N60"
t_check "card: the 60-character name at 8 pt, as recorded" python3 -c '
import sys
words = set(sys.argv[2].split())
rows = [l.split("\t", 1) for l in sys.argv[1].splitlines()]
lines = [(s, t) for s, t in rows if t and set(t.split()) <= words]
assert " ".join(t for s, t in lines) == sys.argv[2], lines
assert all(s == "8" for s, t in lines), lines' "$(sizes "$W/k1.pdf")" "$N60"

# The card's type floor, on every card issued above (60 to 127
# characters of name, 255 bytes of address, accents): every string
# drawn is 6 pt or more, and every line of the holder's data (name,
# address, NIK, birth date, faskes, validity, card number, care class)
# 7 pt or more. The holder's lines are found by their words, so a
# caption cannot pass for data or data hide among captions; each field
# must be found whole.
# (6: the longest name and address in capitals, as many registries keep
# them: the widest text a card gets)
for i in 1 2 3 4 5 6; do
	[ -s "$W/k$i.pdf" ] && [ -s "$W/c$i/case-id" ] || { t_fail "card $i: issued"; continue; }
	fields=$(sqlite3 "$TERBIT_DATA/terbit.db" "SELECT fields FROM documents
		WHERE case_id = $(cat "$W/c$i/case-id") AND kind = 'card'")
	t_check "card $i: nothing under 6 pt, the holder's data at 7 pt or more" python3 -c '
import json, sys
rows = [l.split("\t", 1) for l in sys.argv[1].splitlines()]
rows = [(float(s), t) for s, t in rows if s != "None"]
assert rows, "no text found"
small = [(s, t) for s, t in rows if s < 6 - 1e-6]
assert not small, small
f = json.loads(sys.argv[2])
months = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember".split()
def date(iso):
    y, m, d = iso.split("-")
    return "%d %s %s" % (int(d), months[int(m) - 1], y)
c = f["card_number"]
name = f["name"].replace("\u02bc", "'"'"'").replace("\u0105", "a").replace("\u015e", "S").replace("\u0107", "c")
fields = [name, f["nik"], date(f["birth_date"]), f["faskes"],
          date(f["card_valid_until"]), "%s %s %s %s" % (c[:4], c[4:8], c[8:12], c[12]),
          "%s RT %s/RW %s, %s, %s" % (f["address"], f["rt"], f["rw"], f["village"], f["kecamatan"]),
          "Kelas rawat " + f["kelas"]]
words = set(" ".join(fields).split())
data = [(s, t) for s, t in rows if t.strip() and t != ":" and set(t.split()) <= words]
low = [(s, t) for s, t in data if s < 7 - 1e-6]
assert not low, low
drawn = " ".join(t for s, t in data)
for x in fields:
    assert x in drawn, (x, drawn)
print("  %.2f pt smallest text, %.2f pt smallest of %d holder lines" %
      (min(s for s, t in rows), min(s for s, t in data), len(data)))' \
		"$(sizes "$W/k$i.pdf")" "$fields"
done

# The QR code keeps its size for the longer v2 token (152 characters)
# under a 40-character host: 203 characters, version 8-M, still read from
# a 150 dpi scan of the card.
HOST40=VERIFIKASI-SPM.DINASSOSIAL.BANYUWANGI.ID
TOK152=$(printf 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567%.0s' 1 2 3 4 5 | cut -c1-152)
V2URL="HTTPS://$HOST40/V/$TOK152"
t_check "a v2-sized URL: 40-character host, 203 characters" test "${#HOST40} ${#V2URL}" = "40 203"
sed "s|^qr = .*|qr = $V2URL|" "$ROOT/tests/data/render_fields.txt" >"$W/v2.txt"
t_run 0 "card with the v2-sized URL" "$TERBIT" render card --fields "$W/v2.txt" --out "$W/v2.pdf"
pdftoppm -r 150 -f 1 -l 1 -png "$W/v2.pdf" "$W/v2"
t_check "its QR code reads back whole at 150 dpi" \
	test "$(zbarimg -q --raw "$W/v2-1.png" 2>/dev/null | head -n1)" = "$V2URL"

# Refused only when absurd, and said plainly (the render test path takes
# any value, import does not).
sed "s/^name = .*/name = $N500/" "$ROOT/tests/data/render_fields.txt" >"$W/absurd.txt"
t_run 2 "letter: a 500-character name is refused" "$TERBIT" render letter --fields "$W/absurd.txt" --out "$W/x.pdf"
t_grep "naming the row and what was tried" 'spm_letter.layout:[0-9]+ \(row\): baris "Nama": teks tidak muat .*9\.0 pt.*3 baris' "$ERR"
t_run 2 "card: a 500-character name is refused" "$TERBIT" render card --fields "$W/absurd.txt" --out "$W/x.pdf"
t_grep "naming the element and what was tried" 'kis_card_front.layout:[0-9]+ \(text\): teks tidak muat .*7\.0 pt, paling banyak 6 baris' "$ERR"
t_check "nothing written" test ! -e "$W/x.pdf"

t_done
