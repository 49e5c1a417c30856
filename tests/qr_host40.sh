#!/bin/bash
# QR headroom (issue 12): with token format 2 (152 characters) a verifier
# host of 40 characters gives a 203-character URL, which must stay QR
# version 8 at level M; the letter and the card issued under such a host
# must read back with zbarimg from `pdftoppm -r 150` (the page at its
# real size), and the longest host docs/token.md allows (58) is the last
# that fits.
source "$(dirname "$0")/lib.sh"
command -v zbarimg >/dev/null || { t_fail "zbarimg missing (scripts/install-deps)"; t_done; exit 1; }

H=verifikasi-spm.dinsos.banyuwangikab.go.id
H=${H:0:37}.id
t_check "the host is 40 characters ($H)" test "${#H}" = 40
export TERBIT_VERIFIER_HOST=$H
"$TERBIT" init >/dev/null && "$TERBIT" demo-data --residents 60 --seed 7 >/dev/null
id=$("$TERBIT" case list --state approved | head -n1 | cut -f1)
t_check "an approved case" test -n "$id"
t_run 0 "issue the letter" "$TERBIT" issue "$id" letter --by dinsos --out "$T_TMP/l.pdf"
L=$OUT
t_run 0 "issue the card" "$TERBIT" issue "$id" card --by dinsos --out "$T_TMP/c.pdf"
C=$OUT
up=$(printf '%s' "$H" | tr a-z A-Z)
for doc in l:$L c:$C; do
	f=${doc%%:*}; serial=${doc#*:}
	tok=$(sqlite3 "$TERBIT_DATA/terbit.db" "SELECT token FROM documents WHERE serial = '$serial'")
	want="HTTPS://$up/V/$tok"
	t_check "$f: the URL is 203 characters" test "${#want}" = 203
	t_run 0 "$f: encodes" "$TERBIT" qr "$want" --out "$T_TMP/$f-qr.png"
	t_grep "$f: QR version 8" 'QR versi 8,' "$OUT"
	pdftoppm -r 150 -png -f 1 -l 1 "$T_TMP/$f.pdf" "$T_TMP/$f-page"
	got=$(zbarimg --raw -q "$T_TMP/$f-page"*.png 2>/dev/null)
	t_check "$f: zbarimg reads it back from 150 dpi" test "$got" = "$want"
done
# The longest host that fits: 58 characters; 59 is refused at issue.
H58=$(printf 'h%.0s' $(seq 1 55)).id
t_check "a 58-character host" test "${#H58}" = 58
id2=$("$TERBIT" case list --state approved | sed -n 2p | cut -f1)
t_run 0 "58 characters: the letter is issued" env TERBIT_VERIFIER_HOST="$H58" "$TERBIT" issue "$id2" letter --by dinsos --out "$T_TMP/l58.pdf"
pdftoppm -r 150 -png -f 1 -l 1 "$T_TMP/l58.pdf" "$T_TMP/l58-page"
got=$(zbarimg --raw -q "$T_TMP/l58-page"*.png 2>/dev/null)
t_check "58 characters: 221-character URL read back" test "${#got}" = 221
t_run 0 "58 characters: still version 8" "$TERBIT" qr "$got" --out "$T_TMP/q58.png"
t_grep "version 8" 'QR versi 8,' "$OUT"
id3=$("$TERBIT" case list --state approved | sed -n 3p | cut -f1)
before=$(sqlite3 "$TERBIT_DATA/terbit.db" "SELECT count(*) FROM documents")
t_run nz "59 characters: refused" env TERBIT_VERIFIER_HOST="x$H58" "$TERBIT" issue "$id3" letter --by dinsos
t_grep "says the limit" 'paling banyak 58 karakter' "$ERR"
t_check "nothing issued" test "$(sqlite3 "$TERBIT_DATA/terbit.db" "SELECT count(*) FROM documents")" = "$before"
t_done
