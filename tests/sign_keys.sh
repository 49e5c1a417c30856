# Key administration end to end: init, modes, list, rotate, public export,
# and importing a PKCS#12 certificate made here with openssl (standing in
# for one issued by the national e-signature authority).
source "$(dirname "$0")/lib.sh"
W="$T_TMP/w"
K="$TERBIT_DATA/keys"
mkdir -p "$W"

t_run 0 "keys init" "$TERBIT" keys init
t_check "keys dir is 0700" test "$(stat -c %a "$K")" = 700
for f in "$K"/*.key; do
	t_check "$(basename "$f") is 0600" test "$(stat -c %a "$f")" = 600
done
t_run 0 "keys init again" "$TERBIT" keys init
t_grep "keys init again leaves the keys" "sudah ada" "$OUT"

t_run 0 "keys list" "$TERBIT" keys list
t_grep "list: a QR key, current" "^qr +[0-9a-f]{8} +Ed25519 +\(aktif\)" "$OUT"
t_grep "list: the office signer" "^pdf +[0-9a-f]{8} +CN=Dinas Sosial Kabupaten Banyuwangi" "$OUT"
t_grep "list: the local CA" "^ca +CN=CA Dinas Sosial" "$OUT"
old=$(printf '%s\n' "$OUT" | sed -n 's/^qr *\([0-9a-f]*\).*/\1/p')

t_run 0 "keys rotate" "$TERBIT" keys rotate
new=$(printf '%s' "$OUT" | grep -Eo '[0-9a-f]{8}' | head -n1)
t_check "rotation made a new kid" test -n "$new" -a "$new" != "$old"
t_check "the new QR key is 0600" test "$(stat -c %a "$K/qr-$new.key")" = 600
t_run 0 "keys list after rotate" "$TERBIT" keys list
t_grep "the old key is still listed" "^qr +$old" "$OUT"
t_grep "the new key is current" "^qr +$new +Ed25519 +\(aktif\)" "$OUT"

t_run 0 "export-public as JSON" "$TERBIT" keys export-public
t_grep "JSON names both QR keys" "\"kid\":\"$old\".*\"kid\":\"$new\"|\"kid\":\"$new\".*\"kid\":\"$old\"" "$OUT"
t_check "JSON holds no private key" bash -c "! grep -q PRIVATE <<<\"\$1\"" _ "$OUT"
t_run 0 "export-public to a directory" "$TERBIT" keys export-public --out "$W/pub"
t_check "public QR key files" test -s "$W/pub/qr-$old.pub.pem" -a -s "$W/pub/qr-$new.pub.pem"
# The exported key is what `x` in the JSON says (raw key, base64url).
x=$(openssl pkey -pubin -in "$W/pub/qr-$new.pub.pem" -outform DER | tail -c 32 |
	base64 | tr '+/' '-_' | tr -d '=\n')
t_grep "JSON x matches the PEM key" "\"x\":\"$x\"" "$(cat "$W/pub/keys.json")"
# And the kid is the first 4 bytes of SHA-256 of that raw key.
kid=$(openssl pkey -pubin -in "$W/pub/qr-$new.pub.pem" -outform DER | tail -c 32 |
	sha256sum | cut -c1-8)
t_check "kid = SHA-256(raw public key)[0..4]" test "$kid" = "$new"
t_run 0 "exported CA certificate parses" openssl x509 -in "$W/pub/ca.pem" -noout -text
t_grep "CA is a CA" "CA:TRUE" "$OUT"
t_grep "CA may sign certificates" "Certificate Sign" "$OUT"
t_run 0 "office signer certificate" openssl x509 -in "$(ls "$K"/pdf-*.pem | head -n1)" -noout -text
t_grep "signer: digitalSignature + nonRepudiation" "Digital Signature, Non Repudiation" "$OUT"
t_grep "signer: P-256" "prime256v1|P-256" "$OUT"
t_run 0 "signer chains to the CA" openssl verify -CAfile "$W/pub/ca.pem" "$(ls "$K"/pdf-*.pem | head -n1)"

# ---- import a PKCS#12 ----
cd "$W"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout root.key -out root.pem -days 3650 -subj "/C=ID/O=Otoritas Uji/CN=Root CA Uji" \
	-addext "basicConstraints=critical,CA:TRUE" \
	-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout leaf.key -out leaf.csr \
	-subj "/C=ID/O=Pemerintah Kabupaten Banyuwangi/CN=Kepala Dinas Sosial Uji" 2>/dev/null
printf 'keyUsage=critical,digitalSignature,nonRepudiation\nbasicConstraints=CA:FALSE\n' >ext.cnf
openssl x509 -req -in leaf.csr -CA root.pem -CAkey root.key -CAcreateserial \
	-out leaf.pem -days 365 -extfile ext.cnf 2>/dev/null
printf 'rahasia-uji\n' >pw.txt
openssl pkcs12 -export -inkey leaf.key -in leaf.pem -certfile root.pem \
	-out office.p12 -passout pass:rahasia-uji
cd - >/dev/null
t_check "test p12 made" test -s "$W/office.p12"

t_run 4 "import with a wrong password" "$TERBIT" keys import "$W/office.p12"
t_run 0 "import with --password-file" "$TERBIT" keys import "$W/office.p12" --password-file "$W/pw.txt"
pkid=$(printf '%s' "$OUT" | grep -Eo '[0-9a-f]{8}' | head -n1)
t_check "imported key is 0600" test "$(stat -c %a "$K/pdf-$pkid.key")" = 600
t_run 0 "keys list after import" "$TERBIT" keys list
t_grep "imported signer is current" "^pdf +$pkid +CN=Kepala Dinas Sosial Uji.*\(aktif\)" "$OUT"
t_grep "imported root is trusted" "^ca +CN=Root CA Uji" "$OUT"
t_run 0 "import the same p12 again" "$TERBIT" keys import "$W/office.p12" --password-file "$W/pw.txt"

# The next PDF is signed with the imported (RSA) certificate and chain.
cat >"$W/raw.pdf" <<'EOF'
%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj
trailer << /Root 1 0 R /Size 4 >>
%%EOF
EOF
qpdf --object-streams=disable "$W/raw.pdf" "$W/plain.pdf" 2>/dev/null
t_run 0 "sign with the imported certificate" "$TERBIT" sign-pdf "$W/plain.pdf" "$W/signed.pdf"
t_run 0 "pdfsig on it" pdfsig "$W/signed.pdf"
t_grep "pdfsig: valid" "Signature is Valid\." "$OUT"
t_grep "pdfsig: imported signer" "Kepala Dinas Sosial Uji" "$OUT"
# The DSS update follows the signature; the office CA's CRL is not the
# authority's, so it holds only the certificates.
t_grep "pdfsig: signed, then the DSS added" "Not total document signed" "$OUT"
t_run 0 "verify-pdf with the imported signer" "$TERBIT" verify-pdf "$W/signed.pdf" --json
t_grep "imported signer: DSS without the office's CRL" '"level":"B-B","dss_certs":[1-9],"dss_crls":0' "$OUT"
mkdir -p "$W/nss"
certutil -N -d "sql:$W/nss" --empty-password
certutil -A -d "sql:$W/nss" -n uji-root -t "CT,C,C" -i "$W/root.pem"
t_run 0 "pdfsig trusting the authority's root" pdfsig -nssdir "sql:$W/nss" "$W/signed.pdf"
t_grep "pdfsig: trusted through the imported root" "Certificate is Trusted\." "$OUT"
t_run 0 "qpdf --check" qpdf --check "$W/signed.pdf"
t_run 0 "verify-pdf trusts the imported chain" "$TERBIT" verify-pdf "$W/signed.pdf"
t_grep "verify-pdf: VALID" "Status: VALID" "$OUT"

printf 'not a p12' >"$W/bad.p12"
t_run 2 "import refuses a non-p12" "$TERBIT" keys import "$W/bad.p12"
t_run 3 "keys list without keys" env TERBIT_DATA="$T_TMP/none" "$TERBIT" keys list
t_grep "tells the operator what to run" "keys init" "$ERR"

# Loose modes (issue 11, finding 10): a private key the group or others
# can read, or a keys directory they can write, is refused by the CLI and
# by the server, naming the chmod that fixes it; put right, all is well.
qr=$(ls "$K"/qr-*.key | head -n1)
chmod 644 "$qr"
t_run 1 "a 0644 QR key is refused" "$TERBIT" keys list
t_grep "names the key and the fix" "kunci privat $K/qr-[0-9a-f]{8}\.key dapat dibaca .*mode 0644.*chmod 600 $K/\*\.key; chmod 700 $K" "$ERR"
t_run 1 "serve refuses it too" timeout 10 "$TERBIT" serve --listen 127.0.0.1:0
t_grep "serve says why" "kunci privat .*chmod 600" "$ERR"
chmod 600 "$qr"
chmod 640 "$K/seal.key"
t_run 1 "a group-readable seal key is refused" "$TERBIT" keys list
t_grep "names the seal key" "seal\.key dapat dibaca" "$ERR"
chmod 600 "$K/seal.key"
chmod 757 "$K"
t_run 1 "a keys directory others can write is refused" "$TERBIT" keys list
t_grep "names the directory and the fix" "direktori kunci $K dapat ditulis .*mode 0757.*chmod 700 $K" "$ERR"
chmod 700 "$K"
t_run 0 "modes put right: keys list works again" "$TERBIT" keys list

t_done
