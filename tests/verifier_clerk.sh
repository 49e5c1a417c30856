#!/bin/bash
# End to end: what the clerk at a hospital counter gets from the verifier
# page of the real `terbit serve` (issue 12). The time of the check, from
# the server's clock (TERBIT_NOW), in WIB; the masked NIK showing the
# kecamatan and the last four digits and never the birth date; the new
# letter's number on a superseded letter's page; the NIK form posted as a
# browser without JavaScript posts it (cocok / tidak cocok / bad input),
# sharing the NIK API's strict per-address limit; no full NIK in any
# answer or log; and the card's number and name printed on the card
# (pdftotext) exactly as the page shows them.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/http-lib.bash"
command -v pdftotext >/dev/null || { t_fail "pdftotext missing (poppler-utils)"; t_done; exit 1; }

t_check "fixture: documents in every state" fixture

# The server's clock: today at 03:30 UTC, 10.30 in WIB.
today=$(date -u +%F)
months=(Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember)
y=${today%%-*}; m=${today#*-}; m=${m%-*}; d=${today##*-}
when="$((10#$d)) ${months[$((10#$m - 1))]} $y pukul 10.30 WIB"
t_check "server starts (TERBIT_NOW=${today}T03:30:00Z)" \
	srv_start main "TERBIT_NOW=${today}T03:30:00Z" -- --rate-limit 0

tok=$(token_of "$VALID")
nik=$(db "SELECT nik FROM documents WHERE serial = '$VALID'")
masked="${nik:0:6}******${nik:12:4}"
# The third answer comes from the cache (vcache.h keeps a token's
# answer the second time it is made).
for round in first again cached; do
	req "$URL/V/$tok"
	t_grep "$round: 200" '^200$' "$CODE"
	t_grep "$round: the time of the check in WIB" "Diperiksa $when" "$BODY"
	t_check "$round: no time mark left in the page" \
		bash -c "! grep -q \$'\\x01' '$T_TMP/body'"
done
t_grep "masked NIK: kecamatan and last four ($masked)" "<dd>${masked//\*/\\*}</dd>" "$BODY"
t_check "page holds no full NIK" bash -c "! grep -q '$nik' '$T_TMP/body'"
t_check "nor the birth-date digits" bash -c "! grep -q '${nik:6:6}' '$T_TMP/body'"
t_grep "the letter's number, labelled as such" \
	"<dt>Nomor surat</dt><dd>$(db "SELECT number FROM documents WHERE serial = '$VALID'")</dd>" "$BODY"
t_grep "a NIK form posting to the page" '<form method="post"><label for="nik">' "$BODY"
t_grep "CSP lets the form post to the page only" "form-action 'self'" "$HDR"

# The NIK form, as a browser sends it (application/x-www-form-urlencoded).
form() { req -X POST -H 'Accept: text/html' --data-urlencode "nik=$1" "$URL/V/$2"; }
form "$nik" "$tok"
t_grep "right NIK: 200" '^200$' "$CODE"
t_grep "right NIK: NIK COCOK" '<div class="rw">NIK COCOK</div>' "$BODY"
t_grep "the answer page keeps the verdict and the time" "Diperiksa $when" "$BODY"
t_grep "the answer is kept by no cache" '^Cache-Control: no-store' "$HDR"
t_check "the answer does not echo the NIK" bash -c "! grep -q '$nik' '$T_TMP/body'"
form "${nik:0:4} ${nik:4:2} ${nik:6:6} ${nik:12:4}" "$tok"
t_grep "typed in its printed groups: NIK COCOK" 'NIK COCOK' "$BODY"
other=$(db "SELECT nik FROM residents WHERE nik <> '$nik' LIMIT 1")
form "$other" "$tok"
t_grep "another NIK: NIK TIDAK COCOK" '<div class="rw">NIK TIDAK COCOK</div>' "$BODY"
t_check "another NIK: not echoed" bash -c "! grep -q '$other' '$T_TMP/body'"
form "12" "$tok"
t_grep "a short NIK: 400" '^400$' "$CODE"
t_grep "a short NIK: asked again, 16 digits" 'NIK harus 16 angka' "$BODY"
t_check "a short NIK: neither cocok nor tidak cocok" \
	bash -c "! grep -q 'NIK COCOK\|NIK TIDAK COCOK' '$T_TMP/body'"
form "$nik" "$(token_of "$REVOKED")"
t_grep "a revoked letter: its verdict stays" '<div class="w">DICABUT</div>' "$BODY"
rnik=$(db "SELECT nik FROM documents WHERE serial = '$REVOKED'")
form "$rnik" "$(token_of "$REVOKED")"
t_grep "a revoked letter: its holder's NIK still checks" 'NIK COCOK' "$BODY"
form "$nik" "NOT-A-TOKEN"
t_grep "a bad code: TIDAK SAH, no NIK answer" '<div class="w">TIDAK SAH</div>' "$BODY"
t_check "a bad code: no form" bash -c "! grep -q 'name=\"nik\"' '$T_TMP/body'"
req -X POST -H 'Content-Type: application/json' -d "{\"nik\":\"$nik\"}" "$URL/V/$tok"
t_grep "the form route takes only a form: 415" '^415$' "$CODE"

# A superseded letter names the new one by its number.
new_number=$(db "SELECT number FROM documents WHERE serial = '$NEW'")
req "$URL/V/$(token_of "$SUPERSEDED")"
t_grep "superseded: DIGANTI" '<div class="w">DIGANTI</div>' "$BODY"
t_grep "superseded: the new letter's number ($new_number)" \
	"<dt>Diganti oleh surat nomor</dt><dd>$new_number</dd>" "$BODY"
t_grep "superseded: the new serial too" "<dd>$NEW</dd>" "$BODY"
req "$URL/api/v1/verify/$(token_of "$SUPERSEDED")"
t_grep "JSON: superseded_by_number" "\"superseded_by_number\":\"$new_number\"" "$BODY"

# The card: its number and its name, on the card and on the page.
"$TERBIT" document get "$CARD" --out "$T_TMP/card.pdf" >/dev/null
card_text=$(pdftotext -layout "$T_TMP/card.pdf" - | tr -s ' ')
card_no=$(db "SELECT number FROM documents WHERE serial = '$CARD'")
grouped="${card_no:0:4} ${card_no:4:4} ${card_no:8:4} ${card_no:12:1}"
req "$URL/V/$(token_of "$CARD")"
t_grep "card page: number in groups ($grouped)" "<dt>Nomor kartu</dt><dd>$grouped</dd>" "$BODY"
t_grep "card: the same groups printed" "$grouped" "$card_text"
label=$(printf '%s' "$BODY" | sed -n 's|.*<dt>Jenis dokumen</dt><dd>\([^<]*\)</dd>.*|\1|p')
t_check "card page names the kind ($label)" test -n "$label"
t_grep "card: its title is the page's name (${label%%,*})" "$(printf '%s' "${label%%,*}" | tr a-z A-Z)" "$card_text"
t_grep "card: its subtitle is the rest (${label#*, })" "${label#*, }" "$card_text"
srv_stop
t_grep "server: exit 0 on SIGTERM" '^0$' "$STOP_RC"
t_check "no NIK in the server's log" bash -c "! grep -q '$nik\|$other\|$rnik' '$T_TMP/main.err' '$T_TMP/main.out'"

# One bucket: rate_limit 40 gives the strict routes 2 a minute per
# address, and the form and the API draw on it together.
t_check "rate-limited server starts" srv_start limited -- --rate-limit 40
form "$nik" "$tok"
t_grep "form: 1st within the bucket" '^200$' "$CODE"
req -X POST -H 'Content-Type: text/plain' --data-binary "$nik" "$URL/api/v1/verify/$tok/nik"
t_grep "API: 2nd within the same bucket" '^200$' "$CODE"
form "$nik" "$tok"
t_grep "form: 3rd: 429" '^429$' "$CODE"
t_grep "429 says when to retry" '^Retry-After: [0-9]+$' "$HDR"
t_grep "429 to a browser is a page" '^Content-Type: text/html' "$HDR"
req -X POST -H 'Content-Type: text/plain' --data-binary "$nik" "$URL/api/v1/verify/$tok/nik"
t_grep "API after the form's: 429" '^429$' "$CODE"
req "$URL/V/$tok"
t_grep "the page itself is still served" '^200$' "$CODE"
srv_stop
t_done
