# The PDF signature, checked by outside tools: pdfsig (poppler, with an
# NSS database that trusts the office CA), qpdf --check, and tampering.
source "$(dirname "$0")/lib.sh"
W="$T_TMP/w"
mkdir -p "$W"

t_run 0 "keys init" "$TERBIT" keys init
t_grep "keys init reports where" "keys" "$OUT"

# A hand-written one-page PDF, given a real xref by qpdf: a writer other
# than libharu, so the parser is not tuned to one producer.
cat >"$W/raw.pdf" <<'EOF'
%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]
  /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> endobj
4 0 obj << /Length 52 >> stream
BT /F1 14 Tf 72 760 Td (SURAT PERNYATAAN MISKIN) Tj ET
endstream endobj
5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj
trailer << /Root 1 0 R /Size 6 >>
%%EOF
EOF
qpdf --object-streams=disable --compress-streams=n "$W/raw.pdf" "$W/plain.pdf" 2>/dev/null
t_check "test PDF made" test -s "$W/plain.pdf"

# The letter as terbit renders it (libharu, embedded fonts, images).
t_run 0 "render a letter" "$TERBIT" render letter \
	--fields "$ROOT/tests/data/render_fields.txt" --out "$W/letter.pdf"

rm -rf "$W/nss"
mkdir -p "$W/nss"
certutil -N -d "sql:$W/nss" --empty-password
"$TERBIT" keys export-public --out "$W/pub" >/dev/null
certutil -A -d "sql:$W/nss" -n terbit-ca -t "CT,C,C" -i "$W/pub/ca.pem"

for name in plain letter; do
	in="$W/$name.pdf" out="$W/$name-signed.pdf"
	t_run 0 "$name: sign-pdf" "$TERBIT" sign-pdf "$in" "$out"
	t_run 0 "$name: pdfsig runs" pdfsig "$out"
	t_grep "$name: pdfsig says the signature is valid" "Signature is Valid\." "$OUT"
	t_grep "$name: the whole document is signed" "Total document signed" "$OUT"
	t_grep "$name: CAdES subfilter" "ETSI\.CAdES\.detached" "$OUT"
	t_grep "$name: signer is the office" "Dinas Sosial Kabupaten Banyuwangi" "$OUT"
	t_run 0 "$name: pdfsig with the office CA" pdfsig -nssdir "sql:$W/nss" "$out"
	t_grep "$name: certificate trusted through the office CA" \
		"Certificate is Trusted\." "$OUT"
	t_run 0 "$name: qpdf --check" qpdf --check "$out"
	t_run 0 "$name: terbit verify-pdf" "$TERBIT" verify-pdf "$out" --json
	t_grep "$name: verify-pdf says VALID" '"status":"VALID"' "$OUT"
	t_grep "$name: verify-pdf gives the file's SHA-256" \
		"\"sha256\":\"$(sha256sum "$out" | cut -d' ' -f1)\"" "$OUT"
	t_check "$name: the original bytes come first" \
		cmp -n "$(($(stat -c %s "$in") - 200))" "$in" "$out"
done
t_run 0 "text still extracts" pdftotext "$W/plain-signed.pdf" -
t_grep "text still extracts: content" "SURAT PERNYATAAN MISKIN" "$OUT"

# Every document gets its own trailer /ID.
"$TERBIT" sign-pdf "$W/plain.pdf" "$W/again.pdf" >/dev/null
id_of() { grep -a '/ID' "$1" | tail -n1 | sed 's/.*\/ID *\[<\([0-9a-f]*\)>.*/\1/'; }
t_check "a fresh /ID per signed document" \
	test "$(id_of "$W/plain-signed.pdf")" != "$(id_of "$W/again.pdf")"

# patch FILE OFFSET CHAR: overwrite one byte in place.
patch() { printf '%s' "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none; }

# One byte inside the signed ranges: the font name in the original part.
cp "$W/plain-signed.pdf" "$W/t1.pdf"
off=$(grep -abo 'Helvetica' "$W/t1.pdf" | head -n1 | cut -d: -f1)
patch "$W/t1.pdf" "$off" J
t_run 0 "tampered range: pdfsig runs" pdfsig "$W/t1.pdf"
t_check "tampered range: pdfsig does not call it valid" \
	bash -c "! grep -q 'Signature is Valid' <<<\"\$1\"" _ "$OUT"
t_run 6 "tampered range: verify-pdf refuses" "$TERBIT" verify-pdf "$W/t1.pdf"
t_grep "tampered range: BAD_SIGNATURE" "BAD_SIGNATURE" "$OUT"

# One byte inside /Contents (the CMS itself).
cp "$W/plain-signed.pdf" "$W/t2.pdf"
off=$(grep -abo '/Contents <' "$W/t2.pdf" | tail -n1 | cut -d: -f1)
off=$((off + 11 + 150))
old=$(dd if="$W/t2.pdf" bs=1 skip="$off" count=1 status=none)
new=a; [ "$old" = a ] && new=b
patch "$W/t2.pdf" "$off" "$new"
pdfsig "$W/t2.pdf" >"$W/t2.out" 2>&1
t_check "tampered /Contents: pdfsig does not call it valid" \
	bash -c "! grep -q 'Signature is Valid' '$W/t2.out'"
t_run 6 "tampered /Contents: verify-pdf refuses" "$TERBIT" verify-pdf "$W/t2.pdf"

# Bytes appended after signing.
cp "$W/plain-signed.pdf" "$W/t3.pdf"
printf '%% late addition\n' >>"$W/t3.pdf"
t_run 6 "appended bytes: verify-pdf refuses" "$TERBIT" verify-pdf "$W/t3.pdf"
t_grep "appended bytes: BAD_RANGE" "BAD_RANGE" "$OUT"

# Another office's keys do not trust this signature.
t_run 6 "other office: untrusted" env TERBIT_DATA="$T_TMP/other" \
	bash -c '"$1" keys init >/dev/null && "$1" verify-pdf "$2"' _ "$TERBIT" \
	"$W/plain-signed.pdf"
t_grep "other office: UNTRUSTED" "UNTRUSTED" "$OUT"

t_run 6 "verify-pdf on an unsigned PDF" "$TERBIT" verify-pdf "$W/plain.pdf"
t_grep "unsigned: NO_SIGNATURE" "NO_SIGNATURE" "$OUT"
t_run 3 "sign-pdf: missing input" "$TERBIT" sign-pdf "$W/none.pdf" "$W/x.pdf"
printf 'not a pdf at all' >"$W/junk.pdf"
t_run 2 "sign-pdf refuses junk" "$TERBIT" sign-pdf "$W/junk.pdf" "$W/x.pdf"
t_run 2 "sign-pdf refuses a signed PDF" "$TERBIT" sign-pdf "$W/plain-signed.pdf" "$W/x.pdf"

t_done
