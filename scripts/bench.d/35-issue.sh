#!/bin/bash
# Full issuance through the gate (tests/bench/bench_issue.c: 1,000 letters
# and 1,000 cards on 2,000 approved cases, one process), and the same
# letter made and signed by PHP TCPDF (tcpdf_signed_letter.php: DejaVu Sans
# embedded, QR code, RSA-2048 signature), in the same run, as a ratio.
# Runs from the repository root.
set -u
d="$BENCH_TMP/issue"
mkdir -p "$d"
n=${BENCH_ISSUE_N:-1000}
if ! php -r 'exit(is_file("/usr/share/php/tcpdf/tcpdf.php") ? 0 : 1);' 2>/dev/null; then
	echo "35-issue: installing php-cli and php-tcpdf" >&2
	SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends php-cli php-tcpdf >&2 || true
fi
"$BENCH_BUILD/bench_issue" run "$d/data" "$n" >"$d/rows" || exit 1
cat "$d/rows"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/tcpdf.key" \
	-out "$d/tcpdf.pem" -days 30 -subj "/CN=Bench TCPDF" 2>/dev/null || exit 1
if ! php -r 'exit(is_file("/usr/share/php/tcpdf/tcpdf.php") ? 0 : 1);' 2>/dev/null; then
	printf 'issue: TCPDF comparison\t-\t-\tphp-tcpdf not installable here\n'
	exit 0
fi
tn=${BENCH_TCPDF_N:-50}
tcpdf=$(php "$(dirname "$0")/tcpdf_signed_letter.php" "$d/tcpdf.pem" "$d/tcpdf.key" \
	"$tn" "$d/tcpdf.pdf") || exit 1
pdfsig "$d/tcpdf.pdf" 2>/dev/null | grep -q "Signature is Valid." ||
	echo "35-issue: TCPDF signature did not validate" >&2
printf 'issue: PHP TCPDF letter, rendered and signed\t%s\tdocs/s\t%s letters, DejaVu Sans embedded, RSA-2048\n' "$tcpdf" "$tn"
letters=$(awk -F'\t' '/^issue: letters, one commit each/ { print $2 }' "$d/rows")
awk -v a="$letters" -v b="$tcpdf" 'BEGIN {
	printf "issue: terbit letters / TCPDF letters\t%.1f\tx\ttarget >= 20x (aim 50x); one commit per letter\n", a / b }'
