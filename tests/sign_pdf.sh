# The PDF signature, checked by outside tools: pdfsig (poppler, with an
# NSS database that trusts the office CA), qpdf --check, openssl cms
# -verify on the signed byte ranges, and tampering. PAdES B-B (no CMS
# signingTime, ESS signing-certificate-v2) and B-LT (a /DSS update after
# the signature: certificates and the CA's CRL, read back through qpdf's
# JSON and checked with openssl verify -crl_check), and revocation.
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

# cms FILE OUT: OUT.der, the signature's CMS (the /Contents hole is zero
# padded: cut at the DER's own length), OUT.data, the bytes its
# /ByteRange covers, and OUT.signed.pdf, the signed revision alone.
cms() {
	python3 - "$1" "$2" <<'PY'
import re, sys
d = open(sys.argv[1], "rb").read()
a, b, c, n = map(int, re.findall(rb"/ByteRange \[(\d+) (\d+) (\d+) (\d+)\]", d)[-1])
open(sys.argv[2] + ".data", "wb").write(d[a:a + b] + d[c:c + n])
der = bytes.fromhex(d[b + 1:c - 1].decode())
k = der[1] & 0x7F if der[1] & 0x80 else 0
size = 2 + k + (int.from_bytes(der[2:2 + k], "big") if k else der[1])
open(sys.argv[2] + ".der", "wb").write(der[:size])
open(sys.argv[2] + ".signed.pdf", "wb").write(d[:c + n])
PY
}
# dss FILE DIR: the DSS's certificates and CRLs as DIR/certsN.der and
# DIR/crlsN.der, found through qpdf's JSON (another PDF parser): trailer
# /Root -> /DSS -> /Certs, /CRLs -> stream data.
dss() {
	qpdf --json=2 --json-stream-data=inline "$1" >"$2.json" &&
	python3 - "$2.json" "$2" <<'PY'
import base64, json, os, sys
q = json.load(open(sys.argv[1]))["qpdf"][1]
root = q["obj:" + q["trailer"]["value"]["/Root"]]["value"]
dss = q["obj:" + root["/DSS"]]["value"]
assert dss["/Type"] == "/DSS"
os.makedirs(sys.argv[2], exist_ok=True)
for kind in ("/Certs", "/CRLs"):
    for i, ref in enumerate(dss.get(kind, [])):
        data = base64.b64decode(q["obj:" + ref]["stream"]["data"])
        open("%s/%s%d.der" % (sys.argv[2], kind[1:].lower(), i), "wb").write(data)
PY
}

rm -rf "$W/nss"
mkdir -p "$W/nss"
certutil -N -d "sql:$W/nss" --empty-password
"$TERBIT" keys export-public --out "$W/pub" >/dev/null
certutil -A -d "sql:$W/nss" -n terbit-ca -t "CT,C,C" -i "$W/pub/ca.pem"
t_run 0 "export-public: the CA's CRL, signed by the CA (openssl crl)" \
	openssl crl -in "$W/pub/ca.crl" -CAfile "$W/pub/ca.pem" -noout
t_grep "openssl: CRL signature verify OK" "verify OK" "$OUT $ERR"

for name in plain letter; do
	in="$W/$name.pdf" out="$W/$name-signed.pdf"
	t_run 0 "$name: sign-pdf" "$TERBIT" sign-pdf "$in" "$out"
	t_run 0 "$name: pdfsig runs" pdfsig "$out"
	t_grep "$name: pdfsig says the signature is valid" "Signature is Valid\." "$OUT"
	# B-LT: the signature covers the revision before the DSS update.
	t_grep "$name: signed, then the DSS added" "Not total document signed" "$OUT"
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
	t_grep "$name: B-LT, two certificates and the CRL" \
		'"level":"B-LT","dss_certs":2,"dss_crls":1' "$OUT"
	t_check "$name: the original bytes come first" \
		cmp -n "$(($(stat -c %s "$in") - 200))" "$in" "$out"

	# B-B: the CMS verifies over the signed ranges with openssl alone,
	# carries no signingTime and does carry signing-certificate-v2.
	cms "$out" "$W/$name-cms"
	t_run 0 "$name: openssl cms -verify over the byte ranges" \
		openssl cms -verify -binary -inform DER -in "$W/$name-cms.der" \
		-content "$W/$name-cms.data" -CAfile "$W/pub/ca.pem" \
		-purpose any -out /dev/null
	t_grep "$name: openssl: verification successful" "CMS Verification successful" "$ERR"
	openssl cms -cmsout -print -inform DER -in "$W/$name-cms.der" >"$W/$name-cms.txt"
	t_check "$name: no signingTime attribute (B-B: the time is /M)" \
		bash -c "! grep -qi 'signingTime' '$W/$name-cms.txt'"
	t_check "$name: ESS signing-certificate-v2 attribute" \
		grep -q "id-smime-aa-signingCertificateV2" "$W/$name-cms.txt"
	t_check "$name: message digest and content type signed" \
		grep -qz 'object: contentType.*object: messageDigest' "$W/$name-cms.txt"
	# The signed revision alone is the B-B file: whole and valid.
	t_run 0 "$name: pdfsig on the signed revision" pdfsig "$W/$name-cms.signed.pdf"
	t_grep "$name: B-B revision: valid" "Signature is Valid\." "$OUT"
	t_grep "$name: B-B revision: the whole of it signed" "Total document signed" "$OUT"
	t_run 0 "$name: verify-pdf on the signed revision" "$TERBIT" verify-pdf \
		"$W/$name-cms.signed.pdf" --json
	t_grep "$name: signed revision: VALID, B-B" '"status":"VALID".*"level":"B-B","dss_certs":0' "$OUT"

	# B-LT: what the DSS holds validates the signer with no server: the
	# signer's certificate chains to the CA, and the CRL says not revoked.
	t_check "$name: the DSS parses (qpdf JSON)" dss "$out" "$W/$name-dss"
	for f in "$W/$name-dss"/*.der; do
		kind=x509; case $f in *crls*) kind=crl ;; esac
		openssl "$kind" -inform DER -in "$f" -out "${f%.der}.pem"
	done
	t_grep "$name: DSS certificate 0 is the signer" "Dinas Sosial Kabupaten Banyuwangi" \
		"$(openssl x509 -in "$W/$name-dss/certs0.pem" -noout -subject)"
	t_grep "$name: DSS CRL is the office CA's" "CA Dinas Sosial" \
		"$(openssl crl -in "$W/$name-dss/crls0.pem" -noout -issuer)"
	t_run 0 "$name: openssl verify -crl_check with the DSS's own CRL" \
		openssl verify -crl_check -CAfile "$W/$name-dss/certs1.pem" \
		-CRLfile "$W/$name-dss/crls0.pem" "$W/$name-dss/certs0.pem"
	t_grep "$name: signer certificate OK per the DSS" ": OK" "$OUT"
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

# An update after the signature that does more than add the DSS: qpdf
# rewrites the catalog's /Lang in an incremental update (as an editor
# would). pdfsig calls it valid but not the whole document; verify-pdf
# refuses it.
cp "$W/plain-signed.pdf" "$W/t4.pdf"
root=$(qpdf --show-object=trailer "$W/t4.pdf" | sed 's/.*\/Root \([0-9]*\) .*/\1/')
python3 - "$W/t4.pdf" "$root" <<'PY'
import re, sys
path, root = sys.argv[1], int(sys.argv[2])
d = open(path, "rb").read()
start = d.rindex(b"startxref")
prev = int(d[start + 9:].split()[0])
# the newest catalog, with one entry more
cat = d[d.rindex(b"\n%d 0 obj" % root) + 1:]
cat = cat[:cat.index(b"endobj") + 6].replace(b"/Type /Catalog", b"/Type /Catalog /Lang (en)", 1)
off = len(d)
upd = cat + b"\n"
xref = off + len(upd)
size = int(re.findall(rb"/Size (\d+)", d)[-1])
upd += b"xref\n%d 1\n%010d 00000 n \ntrailer\n<< /Size %d /Root %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (root, off, size, root, prev, xref)
open(path, "ab").write(upd)
PY
t_run 0 "edited after signing: qpdf --check" qpdf --check "$W/t4.pdf"
t_run 0 "edited after signing: pdfsig runs" pdfsig "$W/t4.pdf"
t_grep "edited after signing: pdfsig: valid, but not the whole document" \
	"Not total document signed.*Signature is Valid" "$(tr '\n' ' ' <<<"$OUT")"
t_run 6 "edited after signing: verify-pdf refuses" "$TERBIT" verify-pdf "$W/t4.pdf"
t_grep "edited after signing: BAD_RANGE, not the DSS" "BAD_RANGE.*|bukan DSS" "$OUT"

# Another office's keys do not trust this signature.
t_run 6 "other office: untrusted" env TERBIT_DATA="$T_TMP/other" \
	bash -c '"$1" keys init >/dev/null && "$1" verify-pdf "$2"' _ "$TERBIT" \
	"$W/plain-signed.pdf"
t_grep "other office: UNTRUSTED" "UNTRUSTED" "$OUT"

# ---- revocation: the office CA's CRL ---------------------------------

crl="$TERBIT_DATA/keys/ca.crl"
t_check "keys init made the first CRL, 0644" test "$(stat -c %a "$crl")" = 644
kid=$("$TERBIT" keys list | awk '$1 == "pdf" && /aktif/ { print $2 }')
before=$(sha256sum <"$crl")
t_run 2 "keys crl --revoke garbage" "$TERBIT" keys crl --revoke zz
t_grep "garbage: says what --revoke takes" "kid penanda tangan" "$ERR"
t_run 3 "keys crl --revoke an unknown kid" "$TERBIT" keys crl --revoke 0123abcd
t_run 2 "keys crl --days 400" "$TERBIT" keys crl --days 400
t_check "refused CRL requests change nothing" test "$(sha256sum <"$crl")" = "$before"
t_run 0 "keys crl --revoke the current signer" "$TERBIT" keys crl --revoke "$kid"
t_grep "CRL number 2, one certificate revoked" "nomor 2, 1 sertifikat dicabut" "$OUT"
t_run 0 "the CRL parses (openssl crl)" openssl crl -in "$crl" -noout -text
t_grep "openssl: the CRL lists the signer's serial" \
	"Serial Number: $(openssl x509 -in "$W/letter-dss/certs0.pem" -noout -serial | cut -d= -f2)" "$OUT"
t_run 0 "keys list" "$TERBIT" keys list
t_grep "keys list marks the signer DICABUT" "^pdf  $kid .*DICABUT" "$OUT"
t_run 6 "revoked signer: verify-pdf does not say VALID" "$TERBIT" verify-pdf "$W/letter-signed.pdf"
t_grep "revoked signer: REVOKED, with the reason" "REVOKED.*dicabut" "$(tr '\n' ' ' <<<"$OUT")"
# The letter's DSS keeps what held when it was signed; the CRL of now
# says revoked, which a reader checks with openssl alone.
t_run nz "openssl verify -crl_check with the new CRL: refused" \
	openssl verify -crl_check -CAfile "$W/letter-dss/certs1.pem" \
	-CRLfile "$crl" "$W/letter-dss/certs0.pem"
t_grep "openssl: certificate revoked" "certificate revoked" "$OUT $ERR"
t_run 1 "sign-pdf refuses with a revoked signer" "$TERBIT" sign-pdf "$W/plain.pdf" "$W/x.pdf"
t_grep "revoked signer: the fix is named" "keys new-signer" "$ERR"
t_check "nothing written" test ! -e "$W/x.pdf"
t_run 0 "keys new-signer" "$TERBIT" keys new-signer
t_run 0 "sign with the new signer" "$TERBIT" sign-pdf "$W/plain.pdf" "$W/new.pdf"
t_run 0 "new signer: VALID, B-LT with the new CRL" "$TERBIT" verify-pdf "$W/new.pdf" --json
t_grep "new signer: B-LT" '"status":"VALID".*"level":"B-LT"' "$OUT"

t_run 6 "verify-pdf on an unsigned PDF" "$TERBIT" verify-pdf "$W/plain.pdf"
t_grep "unsigned: NO_SIGNATURE" "NO_SIGNATURE" "$OUT"
t_run 3 "sign-pdf: missing input" "$TERBIT" sign-pdf "$W/none.pdf" "$W/x.pdf"
printf 'not a pdf at all' >"$W/junk.pdf"
t_run 2 "sign-pdf refuses junk" "$TERBIT" sign-pdf "$W/junk.pdf" "$W/x.pdf"
t_run 2 "sign-pdf refuses a signed PDF" "$TERBIT" sign-pdf "$W/plain-signed.pdf" "$W/x.pdf"

t_done
