#!/bin/bash
# The dashboard at scale: 10,000 cases over a year (demo-data
# --history-days 365: every move, letter and card at the time it
# happened), then `wrk -t2 -c16 -d10s --latency` on GET /dasbor as dinsos
# (the whole regency: the heaviest scope) with a session cookie from one
# curl sign-in, p99 against the 50 ms target; and `terbit report monthly
# --out` (stats and PDF, a whole process) for this month against 1 s,
# best of three. Prints rows "name<TAB>value<TAB>unit<TAB>note".
set -u
CASES=${BENCH_DASH_CASES:-10000}
DURATION=${BENCH_HTTP_DURATION:-10s}
command -v wrk >/dev/null 2>&1 || {
	echo "50-dashboard: wrk missing (40-verify-http.sh installs it)" >&2
	exit 1
}
export TERBIT_DATA="$BENCH_TMP/dash"
mkdir -p "$TERBIT_DATA"
"$TERBIT" init >/dev/null || exit 1
t0=$(date +%s)
"$TERBIT" demo-data --residents $((CASES + CASES / 5)) --history-days 365 \
	--cases "$CASES" >/dev/null || exit 1
echo "50-dashboard: $CASES cases made in $(( $(date +%s) - t0 )) s" >&2
"$TERBIT" user add bench-dinsos --role dinsos >/dev/null &&
	echo "bench-dasbor-2026" | "$TERBIT" user passwd bench-dinsos >/dev/null || exit 1

M=$(TZ=Asia/Jakarta date +%Y-%m)
best=
for _ in 1 2 3; do
	s=$(date +%s%N)
	"$TERBIT" report monthly "$M" --out "$BENCH_TMP/laporan.pdf" >/dev/null || exit 1
	ms=$(( ($(date +%s%N) - s) / 1000000 ))
	[ -z "$best" ] || [ "$ms" -lt "$best" ] && best=$ms
done
printf 'dashboard: monthly report PDF, %s cases\t%s\tms\ttarget 1000 ms, whole process, best of 3\n' "$CASES" "$best"

PORT=$((19000 + $$ % 1000))
"$TERBIT" serve --listen "127.0.0.1:$PORT" --rate-limit 0 \
	>/dev/null 2>"$BENCH_TMP/dash.err" &
PID=$!
trap 'kill $PID 2>/dev/null' EXIT
for _ in $(seq 1 100); do
	(exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
	sleep 0.05
done
SID=$(curl -s -D - -o /dev/null -d "name=bench-dinsos&password=bench-dasbor-2026" \
	"http://127.0.0.1:$PORT/masuk" | sed -n 's/^Set-Cookie: terbit_sid=\([^;]*\);.*/\1/p')
[ -n "$SID" ] || { echo "50-dashboard: sign-in failed" >&2; exit 1; }
size=$(curl -s -b "terbit_sid=$SID" "http://127.0.0.1:$PORT/dasbor" | wc -c)
printf 'dashboard: page size, %s cases\t%s\tbytes\ttarget < 30720\n' "$CASES" "$size"
out=$(wrk -t2 -c16 -d"$DURATION" --latency -H "Cookie: terbit_sid=$SID" \
	"http://127.0.0.1:$PORT/dasbor" 2>&1)
echo "$out" >&2
rps=$(echo "$out" | awk '/^Requests\/sec:/ { print $2 }')
p99=$(echo "$out" | awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 }
	else if (v ~ /ms$/) sub(/ms$/, "", v); else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }
	printf "%.1f", v }')
printf 'dashboard: GET /dasbor as dinsos\t%s\treq/s\twrk -c16, %s\n' "$rps" "$DURATION"
printf 'dashboard: GET /dasbor p99\t%s\tms\ttarget 50 ms\n' "$p99"
kill "$PID" 2>/dev/null
wait "$PID" 2>/dev/null
