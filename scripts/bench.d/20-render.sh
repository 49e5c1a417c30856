#!/bin/bash
# Documents: letters and cards per second in one process (1,000 each,
# tests/bench/bench_render.c), bytes per document, and the same letter
# made by PHP TCPDF in the same run (scripts/bench.d/tcpdf_letter.php),
# with an embedded DejaVu Sans font and with core Helvetica, as ratios.
# Runs from the repository root (scripts/bench cds there).
set -u
tmp=${BENCH_TMP:-$(mktemp -d)}
fields=tests/data/render_fields.txt

"$BENCH_BUILD/bench_render" "$fields" 1000 | tee "$tmp/render.rows"
ours=$(awk -F'\t' '$1 ~ /letters per second/ {print $2}' "$tmp/render.rows")

# TCPDF is bench-only: install it here when missing.
if ! command -v php >/dev/null 2>&1 || [ ! -f /usr/share/php/tcpdf/tcpdf.php ]; then
	echo "20-render: installing php-cli php-tcpdf for the comparison" >&2
	SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 || true
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends php-cli php-tcpdf >&2 || true
fi
if ! command -v php >/dev/null 2>&1 || [ ! -f /usr/share/php/tcpdf/tcpdf.php ]; then
	printf 'render: TCPDF comparison\t-\t-\tphp-tcpdf not installable here\n'
	exit 0
fi
# counts picked so each run takes a few seconds (TCPDF embedding DejaVu
# makes about 7 letters a second on this machine)
for pair in dejavusans:40 helvetica:200; do
	font=${pair%%:*} n=${pair#*:}
	read -r rate bytes < <(php scripts/bench.d/tcpdf_letter.php "$fields" \
		layouts/logo.png "$font" "$n" "$tmp/tcpdf-$font.pdf")
	if [ -z "${rate:-}" ]; then
		printf 'render: TCPDF letter (%s)\tFAILED\t-\tsee stderr\n' "$font"
		continue
	fi
	label="embedded DejaVu Sans"
	[ "$font" = helvetica ] && label="core Helvetica, not embedded"
	printf 'render: TCPDF letters per second (%s)\t%s\tletter/s\t%d letters, one PHP process\n' \
		"$label" "$rate" "$n"
	printf 'render: TCPDF bytes per letter (%s)\t%s\tB\t\n' "$label" "$bytes"
	ratio=$(awk -v a="$ours" -v b="$rate" 'BEGIN { printf "%.1f", a / b }')
	target=""
	[ "$font" = dejavusans ] && target="target >= 20x"
	printf 'render: terbit / TCPDF letter throughput (%s)\t%s\tx\t%s\n' \
		"$label" "$ratio" "$target"
done
