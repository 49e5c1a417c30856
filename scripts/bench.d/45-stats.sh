#!/bin/bash
# The dashboard's figures (stats_compute) on a year of history: 10,000
# cases over 365 days with letters and cards (terbit demo-data
# --history-days), tests/bench/bench_stats.c. docs/reports.md has the
# query plans and what the audit(action, at, object) index changes.
set -u
dir="$BENCH_TMP/stats"
mkdir -p "$dir"
TERBIT_DATA="$dir" "$TERBIT" init >/dev/null || exit 1
start=$(date +%s.%N)
TERBIT_DATA="$dir" "$TERBIT" demo-data --residents 12000 --history-days 365 \
	--cases 10000 >/dev/null || exit 1
end=$(date +%s.%N)
printf 'demo-data 10000 cases over 365 days\t%.1f\ts\twith letters and cards\n' \
	"$(echo "$end - $start" | bc)"
"$BENCH_BUILD/bench_stats" "$dir" 200
