#!/bin/bash
# Signing costs: the QR token (Ed25519) and the PAdES signature (ECDSA
# P-256 CMS) on a rendered letter, keys loaded once
# (tests/bench/bench_sign.c). Runs from the repository root.
set -u
d="$BENCH_TMP/sign"
mkdir -p "$d"
TERBIT_DATA="$d/data" "$TERBIT" keys init >&2 || exit 1
"$TERBIT" render letter --fields tests/data/render_fields.txt --out "$d/letter.pdf" >&2 || exit 1
"$BENCH_BUILD/bench_sign" "$d/data" "$d/letter.pdf" 2000
