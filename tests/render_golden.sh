#!/bin/bash
# Rendered bytes pinned: the specimen letter and card from tests/data/
# render_fields.txt (`terbit render --fields`), the same fields without
# the mark as a letter, a card and a sheet of ten cards (render_doc and
# render_card_sheet, through the bench driver), and the specimen letter
# and card of a case of a fixed-seed demo database at a pinned date, must
# hash to the SHA-256 values below. A change to the renderer that is meant to keep the output
# (a refactor, a speed-up) must leave them as they are; a change meant to
# alter the documents updates them in the same commit, and says why.
#
# The issue gate cannot be pinned the same way: each issuance draws a
# random serial (token_serial_new), and the QR token that carries it is
# signed by a key `terbit init` makes. What it can prove is that the gate
# renders exactly what render_doc makes of the fields it stored: the
# first revision of an issued document (up to the first %%EOF; the
# signature is an incremental update after it) must equal the bench
# driver's render of those fields (`terbit render` always adds the
# specimen mark, the gate never does).
source "$(dirname "$0")/lib.sh"
FIELDS="$ROOT/tests/data/render_fields.txt"
BENCH_RENDER=${BENCH_RENDER:-"$ROOT/build/${TERBIT_BUILD:-rel}/bench/bench_render"}
export TERBIT_TODAY=2026-11-22

sha() { sha256sum "$1" | cut -d' ' -f1; }

# golden NAME FILE HASH
golden() {
	local got
	got=$(sha "$2")
	t_check "$1: sha256 $got" test "$got" = "$3"
}

t_run 0 "render letter --fields" "$TERBIT" render letter --fields "$FIELDS" --out "$T_TMP/l.pdf"
golden "letter from fields" "$T_TMP/l.pdf" \
	9ebbe8562ef377dcc347c2d716296e5bb21b7282c33e41f1f9d85f409ee1df83
t_run 0 "render card --fields" "$TERBIT" render card --fields "$FIELDS" --out "$T_TMP/c.pdf"
golden "card from fields" "$T_TMP/c.pdf" \
	cb936c8cfe1b8bd98774396392a47d2b98a5de6bc7e4bf78d6649a07d2625ca0

# plain FIELDS DIR: letter, card and sheet of FIELDS, unmarked, into DIR
plain() {
	mkdir -p "$2" && (cd "$ROOT" && BENCH_TMP="$2" "$BENCH_RENDER" "$1" 1)
}
t_run 0 "render letter, card, sheet without the mark" plain "$FIELDS" "$T_TMP/p"
golden "plain letter from fields" "$T_TMP/p/bench_letter.pdf" \
	12856ad7b688d58d213cd601217cd1ef3b96b1d38626d8debb16007527fba237
golden "plain card from fields" "$T_TMP/p/bench_card.pdf" \
	e749016514104902d02c63b6cf5020d337966304d583ec4ce76e3b927d1f95a6
golden "sheet of ten cards from fields" "$T_TMP/p/bench_sheet.pdf" \
	50ea1fb6460431cc2a846d7f932da1876fca2967416437a0d5834793a093984f

t_run 0 "init" "$TERBIT" init
t_run 0 "demo data, seed 1" "$TERBIT" demo-data --residents 40 --seed 1
id=$("$TERBIT" case list --state approved | head -n1 | cut -f1)
t_check "an approved case ($id)" test -n "$id"
t_run 0 "specimen letter of case $id" "$TERBIT" render letter "$id" --out "$T_TMP/sl.pdf"
golden "specimen letter from the demo database" "$T_TMP/sl.pdf" \
	32a7f1191550bfc774b34a58373e9a9a5542494310e022ffbb9dbf222abb07ee
t_run 0 "specimen card of case $id" "$TERBIT" render card "$id" --out "$T_TMP/sc.pdf"
golden "specimen card from the demo database" "$T_TMP/sc.pdf" \
	118069a342513798822c459f18ea6947d6a5204fdb4d853626b7264a22604e7c

# first_revision IN OUT: the bytes up to and including the first %%EOF line
first_revision() {
	python3 - "$1" "$2" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
end = data.index(b"%%EOF") + len(b"%%EOF")
if data[end:end + 1] == b"\n":
    end += 1
open(sys.argv[2], "wb").write(data[:end])
PY
}

# stored_fields SERIAL OUT: the fields the gate stored, as a fields file.
# The bench driver renders a letter and a card from one file, so the
# other kind's number is filled in; a field no placeholder names changes
# nothing in a document.
stored_fields() {
	sqlite3 "$TERBIT_DATA/terbit.db" \
		"SELECT fields FROM documents WHERE serial = '$1'" |
	python3 -c '
import json, sys
f = json.load(sys.stdin)
f.setdefault("letter_number", "400.9/0001/429.108/2026")
f.setdefault("card_number", "0001234567897")
for k, v in f.items():
    print("%s = %s" % (k, v))' >"$2"
}

for kind in letter card; do
	t_run 0 "issue $kind of case $id" "$TERBIT" issue "$id" "$kind" --by dinsos \
		--out "$T_TMP/i-$kind.pdf"
	serial=$OUT
	first_revision "$T_TMP/i-$kind.pdf" "$T_TMP/i-$kind-r1.pdf"
	t_check "issued $kind is signed after its first revision" \
		test "$(stat -c %s "$T_TMP/i-$kind.pdf")" -gt "$(stat -c %s "$T_TMP/i-$kind-r1.pdf")"
	stored_fields "$serial" "$T_TMP/i-$kind.fields"
	t_run 0 "render $kind from the stored fields" plain \
		"$T_TMP/i-$kind.fields" "$T_TMP/r-$kind"
	t_check "issued $kind: first revision is what render makes of its fields" \
		cmp -s "$T_TMP/i-$kind-r1.pdf" "$T_TMP/r-$kind/bench_$kind.pdf"
done

# The wall around libharu's private structs: only haru_internal.c may
# include its internal headers (the public one is hpdf.h and its
# hpdf_types.h, hpdf_consts.h, hpdf_error.h).
inside=$(grep -rlE '#include *[<"]hpdf_(doc|font|fontdef|pages|objects|encoder|streams|mmgr|list|utils|image|encrypt|catalog|outline|destination|annotation|info|conf|page_label|ext_gstate|namedict|3dmeasure|exdata|u3d|pdfa|gstate)\.h' "$ROOT/src" | sed "s|$ROOT/||" | sort | tr '\n' ' ')
t_check "libharu internals included only by haru_internal.c ($inside)" \
	test "$inside" = "src/render/haru_internal.c "

t_done
