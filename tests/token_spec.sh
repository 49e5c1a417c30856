#!/bin/bash
# The token spec and the code agree (issue 12). A second implementation,
# Debian's Python (hashlib, and Ed25519 from python3-cryptography), written
# from docs/token.md alone:
#  1. recomputes every line of the test vectors in docs/token.md from the
#     seed, the header and the fields (tests/unit/test_token.c makes the
#     same tokens with terbit's code);
#  2. checks a letter and a card issued by the real gate as a checker
#     with the paper in hand would: the fields read from the printed text
#     (pdftotext) turned into the spec's value forms, the token read from
#     the printed QR code (pdftoppm + zbarimg), the digest compared and the
#     signature verified with the key `terbit keys export-public` gives.
# Each check is also run on a changed value, which must fail, so the
# checker cannot pass by accepting everything.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/http-lib.bash"
PY=/usr/bin/python3   # Debian's, with Debian's python3-cryptography
for t in pdftotext pdftoppm zbarimg; do
	command -v $t >/dev/null || { t_fail "$t missing (scripts/install-deps)"; t_done; exit 1; }
done
"$PY" -c 'import cryptography' 2>/dev/null ||
	{ t_fail "python3-cryptography missing (scripts/install-deps)"; t_done; exit 1; }

cat >"$T_TMP/spec.py" <<'EOF'
# A checker written from docs/token.md.
import base64, hashlib, re, sys
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey, Ed25519PublicKey)

MONTHS = ("Januari Februari Maret April Mei Juni Juli Agustus September "
          "Oktober November Desember").split()

def digest(fields):
    canon = b"terbit-fields-v1\n" + b"".join(
        b"%s=%s\n" % (n.encode(), v.encode())
        for n, v in sorted(fields.items(), key=lambda f: f[0].encode()))
    return hashlib.sha256(canon).digest()[:8]

def iso(printed):                       # "1 Juli 1985" -> "1985-07-01"
    d, m, y = printed.split()
    return "%s-%02d-%02d" % (y, MONTHS.index(m) + 1, int(d))

def decode(url):
    tok = url.rsplit("/", 1)[-1].upper()
    assert len(tok) in (144, 152), len(tok)    # format 1 or 2
    b = base64.b32decode(tok + "=" * (-len(tok) % 8))
    assert b[0] == len(tok) // 8 - 17 and b[5] in (1, 2), b[:6].hex()
    return b

def signed_part(b):                     # (signature input, signature)
    n = 26 if b[0] == 1 else 31
    return b"terbit-qr-v%d\x00" % b[0] + b[:n], b[n:]

def vectors(path):
    text = open(path, encoding="utf-8").read()
    blocks = re.findall(r"```vector\n(.*?)```", text, re.S)
    assert len(blocks) >= 2, "no vectors in " + path
    n = 0
    for block in blocks:
        v, fields = {}, {}
        for line in block.splitlines():
            key, _, val = line.partition(" ")
            val = val.strip()
            if key == "field":
                name, _, value = val.partition("=")
                fields[name] = value
            else:
                v[key] = val
        k = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(v["seed"]))
        pub = k.public_key().public_bytes(serialization.Encoding.Raw,
                                          serialization.PublicFormat.Raw)
        kid = hashlib.sha256(pub).digest()[:4]
        dg = digest(fields)
        signed = (bytes([1]) + kid + bytes([int(v["kind"])]) +
                  bytes.fromhex(v["serial"]) +
                  int(v["issued"]).to_bytes(2, "big") +
                  int(v["expires"]).to_bytes(2, "big") + dg)
        sig = k.sign(b"terbit-qr-v1\x00" + signed)
        got = {"public": pub.hex(), "kid": kid.hex(), "digest": dg.hex(),
               "signed": signed.hex(), "signature": sig.hex(),
               "token": base64.b32encode(signed + sig).decode()}
        for key, val in got.items():
            assert v[key] == val, (key, v[key], val)
        # the digest binds the values: one byte changed, another digest
        fields["nik"] = fields["nik"][:-1] + "9"
        assert digest(fields) != dg
        n += 1
    print("%d vectors hold" % n)

def printed(path):
    """The bound fields as a checker reads them off the printed text."""
    lines = [l.strip() for l in open(path, encoding="utf-8").read().splitlines()]
    def after(label):
        for l in lines:
            if l.startswith(label):
                return l[len(label):].strip()
        raise AssertionError("no %r in the text" % label)
    if lines[0] == "KARTU INDONESIA SEHAT":     # the card
        number = next(l for l in lines if re.fullmatch(r"\d{4} \d{4} \d{4} \d", l))
        i = lines.index(number) + 1
        name = []
        while not lines[i].startswith("NIK"):
            name.append(lines[i]); i += 1
        return {"name": " ".join(name), "nik": after("NIK :"),
                "birth_date": iso(after("Tgl Lahir :")),
                "card_number": number.replace(" ", "")}
    return {"name": after("Nama :"), "nik": after("NIK :"),
            "birth_date": iso(after("Tempat/Tgl Lahir :").rsplit(", ", 1)[1]),
            "letter_number": after("Nomor:")}

def document(text, url, keys):
    import json
    b = decode(url)
    fields = printed(text)
    assert b[18:26] == digest(fields), ("digest", fields)
    pubs = {hashlib.sha256(base64.urlsafe_b64decode(k["x"] + "==")).digest()[:4]:
            base64.urlsafe_b64decode(k["x"] + "==")
            for k in json.load(open(keys))["qr_keys"]}
    msg, sig = signed_part(b)
    Ed25519PublicKey.from_public_bytes(pubs[b[1:5]]).verify(sig, msg)
    # a checker that reads one digit wrong must not match
    fields["nik"] = fields["nik"][:-1] + str((int(fields["nik"][-1]) + 1) % 10)
    assert b[18:26] != digest(fields)
    print("kind %d: %s" % (b[5], ", ".join(sorted(fields))))

if sys.argv[1] == "vectors":
    vectors(sys.argv[2])
else:
    document(sys.argv[2], sys.argv[3], sys.argv[4])
EOF

t_run 0 "docs/token.md's vectors, recomputed by Python" "$PY" "$T_TMP/spec.py" vectors "$ROOT/docs/token.md"
t_grep "both vectors (a letter and a card)" '^2 vectors hold$' "$OUT"
# A vector edited by one character must be caught.
sed 's/^digest     39910c8c7e06dca5/digest     39910c8c7e06dca6/' "$ROOT/docs/token.md" >"$T_TMP/bad.md"
t_run nz "a wrong vector is caught" "$PY" "$T_TMP/spec.py" vectors "$T_TMP/bad.md"

t_check "fixture: documents issued by the gate" fixture
"$TERBIT" keys export-public --out "$T_TMP/pub" >/dev/null
t_check "public keys exported" test -s "$T_TMP/pub/keys.json"
for doc in letter:"$VALID" card:"$CARD"; do
	kind=${doc%%:*} serial=${doc#*:}
	"$TERBIT" document get "$serial" --out "$T_TMP/$kind.pdf" >/dev/null
	pdftotext -raw "$T_TMP/$kind.pdf" "$T_TMP/$kind.txt"
	pdftoppm -r 150 -f 1 -l 1 -png "$T_TMP/$kind.pdf" "$T_TMP/$kind"
	url=$(zbarimg -q --raw "$T_TMP/$kind"-1.png 2>/dev/null | head -n1)
	t_grep "$kind: the printed QR code reads" '^HTTPS://[A-Z0-9.:-]+/V/[A-Z2-7]{152}$' "$url"
	t_check "$kind: the QR code holds the registry's token" \
		test "${url##*/}" = "$(token_of "$serial")"
	t_run 0 "$kind: digest from the printed values, signature by the exported key" \
		"$PY" "$T_TMP/spec.py" document "$T_TMP/$kind.txt" "$url" "$T_TMP/pub/keys.json"
	t_grep "$kind: the four bound fields read" "^kind [12]: birth_date, (card|letter)_number, name, nik$" "$OUT"
	# The same paper with another birth date printed does not match.
	sed 's/\(Tgl Lahir : \(.*, \)\?\)[0-9]\{1,2\} /\128 /' "$T_TMP/$kind.txt" >"$T_TMP/$kind-bad.txt"
	t_check "$kind: the altered copy differs" bash -c "! cmp -s '$T_TMP/$kind.txt' '$T_TMP/$kind-bad.txt'"
	t_run nz "$kind: an altered printed date does not match" \
		"$PY" "$T_TMP/spec.py" document "$T_TMP/$kind-bad.txt" "$url" "$T_TMP/pub/keys.json"
done
t_done
