#!/bin/bash
# `terbit report monthly`: a demo history of two months (every audit row
# at the time its step happened), its month as CSV for spreadsheets; the
# PDF with the office's letterhead (the page, CSV and PDF agreeing is
# tests/web_dashboard.sh); bad input is refused. The numbers themselves
# are checked in tests/unit/test_stats.c.
source "$(dirname "$0")/lib.sh"

MONTH=$(date -u +%Y-%m)
t_run 0 "init" "$TERBIT" init
t_run 0 "demo history over 60 days" "$TERBIT" demo-data --residents 300 \
	--history-days 60 --cases 150
t_check "the moves are spread over the days" test \
	"$(sqlite3 "$TERBIT_DATA/terbit.db" "SELECT count(DISTINCT substr(at, 1, 10)) FROM audit WHERE action = 'case.move'")" -ge 40
t_run 0 "the audit chain holds" "$TERBIT" audit verify

t_run 0 "monthly CSV" "$TERBIT" report monthly "$MONTH" --csv "$T_TMP/r.csv"
t_check "CSV starts with a BOM" test "$(head -c 3 "$T_TMP/r.csv" | od -An -tx1 | tr -d ' ')" = efbbbf
t_grep "CSV: cases by state, Indonesian labels" '^kode_wilayah,wilayah,Draf,Diajukan' "$(cat "$T_TMP/r.csv")"
t_grep "CSV: the regency's row" '^,Semua,' "$(cat "$T_TMP/r.csv")"
t_grep "CSV: hours with a point" ',Semua,Diajukan,24\.00,[0-9]+,[0-9]+\.[0-9]{2},' "$(cat "$T_TMP/r.csv")"
t_check "CSV rows end with CRLF" bash -c "grep -c \$'\\r\$' '$T_TMP/r.csv' | grep -q '^[1-9]'"
t_run 0 "monthly CSV of a kecamatan officer" "$TERBIT" report monthly "$MONTH" \
	--csv "$T_TMP/k.csv" --by kecamatan-351005
t_check "only that kecamatan's villages" bash -c \
	"grep -E '^3510[0-9]{2}' '$T_TMP/k.csv' | grep -q '^3510052' && ! grep -E '^3510[0-9]{2}' '$T_TMP/k.csv' | grep -vq '^351005'"

t_run 0 "monthly PDF" "$TERBIT" report monthly "$MONTH" --out "$T_TMP/r.pdf"
t_run 0 "PDF: qpdf finds it sound" qpdf --check "$T_TMP/r.pdf"
t_check "PDF: written 0600" test "$(stat -c %a "$T_TMP/r.pdf")" = 600
pdftotext -layout "$T_TMP/r.pdf" "$T_TMP/r.txt"
t_grep "PDF: the office's letterhead" 'DINAS SOSIAL|Dinas Sosial' "$(cat "$T_TMP/r.txt")"
t_grep "PDF: the month named in Indonesian" "$(LC_ALL=C date -u +%Y)" "$(cat "$T_TMP/r.txt")"
t_run 2 "a bad month" "$TERBIT" report monthly 2026-13 --csv "$T_TMP/x.csv"
t_run 2 "neither --csv nor --out" "$TERBIT" report monthly "$MONTH"
t_done
