#!/bin/bash
# CSV import throughput: 100,000 synthetic residents (terbit demo-data
# --export-csv) imported by `terbit import residents` into a fresh
# database, in one transaction with one prepared statement. Prints
# "name<TAB>value<TAB>unit<TAB>note" (scripts/bench).
set -u
N=${BENCH_IMPORT_ROWS:-100000}
d="$BENCH_TMP/import"
mkdir -p "$d"
"$TERBIT" demo-data --residents "$N" --seed 1 --export-csv "$d/csv" >&2 || exit 1
export TERBIT_DATA="$d/data"
"$TERBIT" init >&2 || exit 1
start=$(date +%s.%N)
"$TERBIT" import residents "$d/csv/residents.csv" >&2 || exit 1
end=$(date +%s.%N)
rows=$(sqlite3 "$TERBIT_DATA/terbit.db" 'SELECT count(*) FROM residents')
[ "$rows" -eq "$N" ] || { echo "10-import: $rows rows imported, want $N" >&2; exit 1; }
awk -v n="$N" -v s="$start" -v e="$end" 'BEGIN {
	t = e - s
	printf "CSV import (%s residents)\t%d\trows/s\t%.2f s, validated, one transaction, WAL, synchronous=FULL\n",
		(n == 100000 ? "100,000" : n), n / t, t
}'
