#!/bin/bash
# Foundation (c): demo data, then `terbit eligibility` shows both outcomes
# with their reasons, in text and JSON; approved-then-ineligible cases
# are flagged by the not_pbi rule; demo data is deterministic.
source "$(dirname "$0")/lib.sh"

t_run 0 "init" "$TERBIT" init
t_run 0 "demo-data" "$TERBIT" demo-data --residents 600 --seed 3
t_check "tokens file is private" test "$(stat -c %a "$TERBIT_DATA/demo-tokens.txt")" = 600
t_run 5 "demo-data twice is refused" "$TERBIT" demo-data --residents 600 --seed 3
t_grep "refusal says why" "hanya untuk basis data baru" "$ERR"

t_run 0 "case list" "$TERBIT" case list
for st in draft submitted health_checked surveyed recommended verified approved returned rejected; do
	t_grep "a demo case is $st" "	$st	" "$OUT"
done

yes=0 no=0 pbi=0 score=0
for id in $("$TERBIT" case list | cut -f1); do
	j=$("$TERBIT" eligibility "$id" --json) || { t_fail "eligibility $id"; continue; }
	case $j in *'"eligible":true'*) yes=$((yes + 1)) ;; *) no=$((no + 1)) ;; esac
	case $j in *'"code":"not_pbi","passed":false'*) pbi=$((pbi + 1)) ;; esac
	case $j in *'"code":"score_below","passed":false'*) score=$((score + 1)) ;; esac
done
t_check "some cases are eligible ($yes)" test "$yes" -gt 0
t_check "some cases are not eligible ($no)" test "$no" -gt 0
t_check "some fail on the score ($score)" test "$score" -gt 0

# Approved cases that are no longer eligible: PBI-APBD came after approval.
late=0
for id in $("$TERBIT" case list --state approved | cut -f1); do
	j=$("$TERBIT" eligibility "$id" --json)
	case $j in *'"eligible":false'*'"code":"not_pbi","passed":false'*) late=$((late + 1)) ;; esac
done
t_check "approved-then-ineligible cases exist ($late)" test "$late" -gt 0

ID=$("$TERBIT" case list --state rejected | head -n1 | cut -f1)
t_run 0 "eligibility text" "$TERBIT" eligibility "$ID"
t_grep "says TIDAK LAYAK" "Kelayakan: TIDAK LAYAK" "$OUT"
t_grep "gives the score reason" "score_below +Skor [0-9],[0-9]{3} tidak di bawah ambang 2,107" "$OUT"
t_run 0 "eligibility --json" "$TERBIT" eligibility "$ID" --json
t_check "JSON: eligible bool, score number, policy, rules" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["eligible"] is False and isinstance(d["score"], float)
assert d["policy"] == "banyuwangi-2026.2"
assert [r["code"] for r in d["rules"]] == ["nik_valid", "resident", "not_pbi", "survey_complete", "score_below"]
assert all(isinstance(r["passed"], bool) and r["message"] for r in d["rules"])' "$OUT"

t_run 0 "policy show" "$TERBIT" policy show
t_grep "retired indicator marked" "punya_hp .*tidak berlaku" "$OUT"
t_run 0 "policy show --json" "$TERBIT" policy show --json
t_check "18 indicators, one retired" python3 -c '
import json, sys
p = json.loads(sys.argv[1])
assert len(p["indicators"]) == 18
assert [i["code"] for i in p["indicators"] if i["retired"]] == ["punya_hp"]' "$OUT"

# The generated attachments are real files: qpdf and file(1) agree.
db="$TERBIT_DATA/terbit.db"
sqlite3 "$db" "SELECT writefile('$T_TMP/att.pdf', data) FROM attachments WHERE mime = 'application/pdf' LIMIT 1" >/dev/null
sqlite3 "$db" "SELECT writefile('$T_TMP/att.png', data) FROM attachments WHERE mime = 'image/png' LIMIT 1" >/dev/null
t_check "demo PDF attachment passes qpdf --check" qpdf --check "$T_TMP/att.pdf"
t_grep "demo PDF has its text" "Dokumen contoh sintetis" "$(pdftotext "$T_TMP/att.pdf" - 2>&1)"
t_grep "demo PNG attachment is a PNG image" "PNG image data, 32 x 32" "$(file "$T_TMP/att.png")"
t_check "attachment hashes match their bytes" test \
	"$(sqlite3 "$db" "SELECT sha256 FROM attachments WHERE mime = 'image/png' LIMIT 1")" = \
	"$(sha256sum <"$T_TMP/att.png" | cut -d' ' -f1)"

# Same seed, same bytes.
t_run 0 "export CSV" "$TERBIT" demo-data --residents 500 --seed 9 --export-csv "$T_TMP/a"
"$TERBIT" demo-data --residents 500 --seed 9 --export-csv "$T_TMP/b" >/dev/null
t_check "demo CSV is deterministic" cmp -s "$T_TMP/a/residents.csv" "$T_TMP/b/residents.csv"
t_check "500 residents plus header" test "$(wc -l <"$T_TMP/a/residents.csv")" -eq 501
mkdir -p "$T_TMP/fresh"
t_run 0 "exported CSV imports cleanly" env TERBIT_DATA="$T_TMP/fresh" "$TERBIT" import residents "$T_TMP/a/residents.csv"
t_run 0 "exported PBI imports cleanly" env TERBIT_DATA="$T_TMP/fresh" "$TERBIT" import pbi "$T_TMP/a/pbi.csv"
t_done
