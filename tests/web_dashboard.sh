#!/bin/bash
# End to end: the dashboard (/dasbor), its PDF and CSV downloads and the
# monthly report agree, against the real `terbit serve` and a database
# with a history (demo-data --history-days: moves at the times they
# happened).
#   - the page as dinsos: the regency's figures, under 30 KB;
#   - the CSV of the page's 30 days: counts per state per kecamatan and
#     every stage's median and p90 equal the page's;
#   - a month: the page, the CSV and the PDF (pdftotext -layout) agree;
#   - a kecamatan officer (in a real browser) sees only their villages,
#     and their total is the regency page's row for their kecamatan;
#   - a village operator sees their one village; faskes is refused;
#   - screenshots (TERBIT_SAMPLES=1: samples/ui/dasbor-*.png and the
#     report's first page, samples/laporan-bulanan.png).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/http-lib.bash"

for tool in chromium chromedriver pdftotext pdftoppm; do
	command -v $tool >/dev/null 2>&1 ||
		{ t_fail "$tool missing (scripts/install-deps)"; t_done; exit 1; }
done
PY=/usr/bin/python3
$PY -c 'import selenium' 2>/dev/null ||
	{ t_fail "python3-selenium missing (scripts/install-deps)"; t_done; exit 1; }

# t_py ARGS...: python (stdin or a file) with tests/web on the path; its
# "ok"/"FAIL" lines counted.
t_py() {
	local out rc
	out=$(PYTHONPATH="$ROOT/tests/web" timeout 400 $PY "$@" 2>"$T_TMP/py.err")
	rc=$?
	printf '%s\n' "$out"
	T_PASS=$((T_PASS + $(printf '%s\n' "$out" | grep -c '^ok ')))
	T_FAIL=$((T_FAIL + $(printf '%s\n' "$out" | grep -c '^FAIL')))
	if [ $rc -ne 0 ] && ! printf '%s\n' "$out" | grep -q '^FAIL'; then
		t_fail "python died (rc $rc): $(grep -E 'Error|Exception' "$T_TMP/py.err" | tail -n 3)"
	fi
}

"$TERBIT" init >/dev/null || { t_fail "init"; t_done; exit 1; }
t_run 0 "demo data with 120 days of history" \
	"$TERBIT" demo-data --residents 400 --history-days 120 --cases 300
PW="dasbor-rahasia-2026"
adduser() { # NAME ROLE [REGION]
	"$TERBIT" user add "$1" --role "$2" ${3:+--region "$3"} >/dev/null &&
		echo "$PW" | "$TERBIT" user passwd "$1" >/dev/null
}
adduser sari dinsos
# A kecamatan and one of its villages that have cases, from the figures.
# M: this month in WIB (what the page links to). R: the month the checks
# read, the one before, which the history fills whole: in the first hours
# of a month (from 17.00 UTC on its eve) this month has no waits yet.
M=$(TZ=Asia/Jakarta date +%Y-%m)
R=$(TZ=Asia/Jakarta date -d "$M-01 -1 day" +%Y-%m)
"$TERBIT" report monthly "$R" --csv "$T_TMP/all.csv" >/dev/null
KEC=$(awk -F, '/^Kasus per status/{on=1;getline;next} on&&NF<3{exit} on{print $1}' \
	"$T_TMP/all.csv" | head -n1)
KEC_NAME=$(awk -F, -v k="$KEC" '$1==k{print $2; exit}' "$T_TMP/all.csv")
t_check "a kecamatan with cases ($KEC_NAME)" test ${#KEC} -eq 6
adduser camat kecamatan "$KEC"
"$TERBIT" report monthly "$R" --by camat --csv "$T_TMP/kec.csv" >/dev/null
VIL=$(awk -F, '/^Kasus per status/{on=1;getline;next} on&&NF<3{exit} on{print $1}' \
	"$T_TMP/kec.csv" | head -n1)
t_check "a village of it with cases" test ${#VIL} -eq 10
adduser budi desa "$VIL"
adduser puskesmas faskes

t_check "server starts" srv_start dash -- --rate-limit 0
signin() { # NAME -> SID
	curl -s -D - -o /dev/null -d "name=$1&password=$PW" "$URL/masuk" |
		sed -n 's/^Set-Cookie: terbit_sid=\([^;]*\);.*/\1/p'
}
SARI=$(signin sari)
t_check "dinsos signs in" test ${#SARI} -eq 43

# ---- the page of the last 30 days and its CSV --------------------------
req -b "terbit_sid=$SARI" "$URL/dasbor"
cp "$T_TMP/body" "$T_TMP/page.html"
t_grep "dashboard: 200" '^200$' "$CODE"
t_grep "dashboard: its heading" '<h1>Dasbor layanan</h1>' "$BODY"
t_grep "dashboard: the regency" 'Seluruh kabupaten' "$BODY"
SIZE=$(stat -c %s "$T_TMP/page.html")
echo "# page: $SIZE bytes"
t_check "dashboard under 30 KB ($SIZE bytes)" test "$SIZE" -lt 30720
t_grep "bar chart: inline SVG with a title" '<svg class="chart"[^>]*role="img"' "$BODY"
t_grep "line chart too" 'id="grafik-terbit-t"' "$BODY"
t_check "no script on the page" bash -c "! grep -q '<script' '$T_TMP/page.html'"
t_grep "links to download the month's PDF" "href=\"/dasbor/laporan.pdf\?bulan=$M\"" "$BODY"
t_grep "the header links the dashboard" '<a class="nav" href="/dasbor">' "$BODY"
req -b "terbit_sid=$SARI" "$URL/dasbor/laporan.csv"
cp "$T_TMP/body" "$T_TMP/page.csv"
t_grep "csv: text/csv, a download" 'Content-Disposition: attachment; filename="laporan-30-hari.csv"' "$HDR"
t_py "$ROOT/tests/web/dashboard_check.py" counts "$T_TMP/page.html" "$T_TMP/page.csv"
t_py "$ROOT/tests/web/dashboard_check.py" waits "$T_TMP/page.html" "$T_TMP/page.csv"

# ---- a month: the page, its CSV, its PDF and the CLI's PDF ---------------
req -b "terbit_sid=$SARI" "$URL/dasbor?bulan=$R"
cp "$T_TMP/body" "$T_TMP/month.html"
t_grep "the month's page" '^200$' "$CODE"
req -b "terbit_sid=$SARI" "$URL/dasbor/laporan.csv?bulan=$R"
cp "$T_TMP/body" "$T_TMP/month.csv"
t_py "$ROOT/tests/web/dashboard_check.py" counts "$T_TMP/month.html" "$T_TMP/month.csv"
t_py "$ROOT/tests/web/dashboard_check.py" waits "$T_TMP/month.html" "$T_TMP/month.csv"
curl -s -b "terbit_sid=$SARI" -o "$T_TMP/web.pdf" -D "$T_TMP/hdr" "$URL/dasbor/laporan.pdf?bulan=$R"
t_grep "pdf from the page: application/pdf" 'Content-Type: application/pdf' "$(cat "$T_TMP/hdr")"
pdftotext -layout "$T_TMP/web.pdf" "$T_TMP/web.txt"
t_py "$ROOT/tests/web/dashboard_check.py" pdf "$T_TMP/month.html" "$T_TMP/web.txt"
t0=$(date +%s%N)
t_run 0 "terbit report monthly --out" "$TERBIT" report monthly "$R" --out "$T_TMP/cli.pdf"
echo "# report monthly (stats and PDF): $(( ($(date +%s%N) - t0) / 1000000 )) ms"
pdftotext -layout "$T_TMP/cli.pdf" "$T_TMP/cli.txt"
t_py "$ROOT/tests/web/dashboard_check.py" pdf "$T_TMP/month.html" "$T_TMP/cli.txt"
t_grep "the report's letterhead" 'DINAS SOSIAL' "$(cat "$T_TMP/cli.txt")"
t_grep "the report's period" "Periode $(LC_ALL=C awk -v m="${R#*-}" 'BEGIN{split("Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember",n," ");print n[m+0]}')" "$(cat "$T_TMP/cli.txt")"
req -b "terbit_sid=$SARI" -H 'Accept: text/html' "$URL/dasbor?bulan=2026-13"
t_grep "a bad month: 400 page" '^400$' "$CODE"

# ---- scopes ----------------------------------------------------------------
REG_ROW=$(grep -o "<tr><th scope=\"row\">$KEC_NAME</th>.*" "$T_TMP/page.html" | sed 's|</tr>.*||' |
	sed 's/<[^>]*>/ /g' | awk '{print $NF}')
BUDI=$(signin budi)
req -b "terbit_sid=$BUDI" "$URL/dasbor"
t_grep "village operator: their village" '<p class="lead">Desa ' "$BODY"
t_check "village operator: one village row" test "$(printf '%s' "$BODY" | tr -d '\n' |
	sed 's/.*id="per-status"//; s|</tbody>.*||' | grep -o '<tr>' | wc -l)" -eq 2
PUSK=$(signin puskesmas)
req -b "terbit_sid=$PUSK" -H 'Accept: text/html' "$URL/dasbor"
t_grep "faskes: 403" '^403$' "$CODE"
req "$URL/dasbor"
t_grep "signed out: to the sign-in page" 'Location: /masuk\?next=%2Fdasbor$' "$HDR"

SHOTS=$T_TMP
[ -n "${TERBIT_SAMPLES:-}" ] && SHOTS=$ROOT/samples/ui && mkdir -p "$SHOTS"
t_py - "$URL" "$PW" "$SHOTS" "$KEC_NAME" "$REG_ROW" "$T_TMP/kec.csv" <<'PYEOF'
import sys, csv, io
from browser import Browser, check, done
from selenium.webdriver.common.by import By
url, pw, shots, kec_name, reg_total, kec_csv = sys.argv[1:7]
# The villages of the kecamatan, from the CLI's figures for the officer.
rows = list(csv.reader(io.StringIO(open(kec_csv, encoding="utf-8-sig").read())))
i = rows.index(["Kasus per status"])
villages = set()
for r in rows[i + 2:]:
    if not r or r == [""] or r[0] == "":
        break
    villages.add(r[1])
b = Browser(url)
try:
    b.open("/masuk?next=/dasbor")
    b.fill(name="camat", password=pw).submit()
    check("browser: the kecamatan officer lands on the dashboard", b.h1() == "Dasbor layanan", b.h1())
    check("browser: scope is their kecamatan", ("Kecamatan " + kec_name) in b.text(".lead"), b.text(".lead"))
    names = [e.text for e in b.d.find_elements(By.CSS_SELECTOR, "#per-status tbody th")]
    check("browser: only villages of their kecamatan (%d)" % len(names),
          names and set(names) <= villages, set(names) - villages)
    total = b.d.find_element(By.CSS_SELECTOR, "#per-status tfoot td:last-child").text
    check("browser: their total is the regency page's row for %s" % kec_name,
          total == reg_total, "%r vs %r" % (total, reg_total))
    check("browser: the chart is drawn", len(b.d.find_elements(By.CSS_SELECTOR, "svg.chart")) == 2)
    errs = b.csp_refusals()
    check("browser: the CSP refused nothing", not errs, errs)
    b.submit(form_action="/keluar")
    for who, tag in (("sari", "dinsos"), ("budi", "desa")):
        b.open("/masuk?next=/dasbor")
        b.fill(name=who, password=pw).submit()
        check("browser: %s sees the dashboard" % who, b.h1() == "Dasbor layanan", b.h1())
        b.shot("%s/dasbor-%s-1280.png" % (shots, tag), 1280)
        b.shot("%s/dasbor-%s-360.png" % (shots, tag), 360)
        b.d.set_window_size(1280, 900)
        b.submit(form_action="/keluar")
finally:
    b.close()
done()
PYEOF
for shot in dasbor-dinsos-360 dasbor-dinsos-1280 dasbor-desa-360 dasbor-desa-1280; do
	t_check "screenshot $shot" test -s "$SHOTS/$shot.png"
done
if [ -n "${TERBIT_SAMPLES:-}" ]; then
	pdftoppm -r 100 -png -f 1 -l 1 -singlefile "$T_TMP/cli.pdf" "$ROOT/samples/laporan-bulanan"
	t_check "sample: the report's first page" test -s "$ROOT/samples/laporan-bulanan.png"
fi
srv_stop
t_grep "server: exit 0 on SIGTERM" '^0$' "$STOP_RC"
t_done
