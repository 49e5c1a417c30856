#!/bin/bash
# Foundation (a): one case from draft to approved through the CLI, each
# step made by the role the workflow gives it, with users made by
# `terbit user add`; the audit trail and the JSON view follow along.
source "$(dirname "$0")/lib.sh"

V=3510052001 # Muncar, desa 2001
cat >"$T_TMP/residents.csv" <<CSV
nik,kk,name,birth_place,birth_date,sex,address,rt,rw,village_code
3510054506900001,3510050101200001,Siti Rahayu,Banyuwangi,1990-06-05,P,"Dusun Krajan, No. 3",1,2,35.10.05.2001
CSV
printf '%%PDF-1.4\nsurat rujukan\n%%%%EOF\n' >"$T_TMP/rujukan.pdf"
printf '%%PDF-1.4\nberita acara\n%%%%EOF\n' >"$T_TMP/verifikasi.pdf"
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR' >"$T_TMP/rumah.png"
# Poorest answer to every indicator, the retired phone one included.
t_poorest_answers "$T_TMP/answers.csv"

t_run 0 "init" "$TERBIT" init
t_grep "init reports the regions" "Wilayah: 108" "$OUT"
t_check "data directory is private" test "$(stat -c %a "$TERBIT_DATA")" = 700
t_run 0 "import residents" "$TERBIT" import residents "$T_TMP/residents.csv"

t_run 0 "user add desa" "$TERBIT" user add op --role desa --region 35.10.05.2001
t_grep "only a token is printed" '^[A-Za-z0-9_-]{43}$' "$OUT"
TOKEN=$OUT
t_check "token is not stored" bash -c "! sqlite3 '$TERBIT_DATA/terbit.db' .dump | grep -q -- '$TOKEN'"
t_run 0 "user add dinkes" "$TERBIT" user add dk --role dinkes
t_run 0 "user add kecamatan" "$TERBIT" user add camat --role kecamatan --region 351005
t_run 0 "user add dinsos" "$TERBIT" user add ds --role dinsos

t_run 0 "case new" "$TERBIT" case new 3510054506900001 --by op
t_grep "only the case id is printed" '^[0-9]+$' "$OUT"
ID=$OUT
t_run 0 "attach referral" "$TERBIT" case attach "$ID" "$T_TMP/rujukan.pdf" --kind rujukan --by op
t_run 0 "desa submits" "$TERBIT" case move "$ID" submitted --by op
t_run 0 "dinkes checks" "$TERBIT" case move "$ID" health_checked --by dk
t_run 0 "survey answers" "$TERBIT" case answers "$ID" "$T_TMP/answers.csv" --by op
t_run 0 "survey photo" "$TERBIT" case attach "$ID" "$T_TMP/rumah.png" --kind survei --by camat
t_run 0 "desa: surveyed" "$TERBIT" case move "$ID" surveyed --by op
t_run 0 "kecamatan recommends" "$TERBIT" case move "$ID" recommended --by camat --note "Layak direkomendasikan"
t_run 0 "verification results" "$TERBIT" case attach "$ID" "$T_TMP/verifikasi.pdf" --kind verifikasi --by op
t_run 0 "desa: verified" "$TERBIT" case move "$ID" verified --by op
t_run 0 "eligible before approval" "$TERBIT" eligibility "$ID"
t_grep "decision says LAYAK" "Kelayakan: LAYAK" "$OUT"
t_run 0 "dinsos approves" "$TERBIT" case move "$ID" approved --by ds

t_run 0 "case show" "$TERBIT" case show "$ID"
t_grep "state approved" "approved \(Disetujui\)" "$OUT"
t_grep "history has every move" "verified -> approved" "$OUT"
t_grep "note kept" "Layak direkomendasikan" "$OUT"
t_run 0 "case show --json" "$TERBIT" case show "$ID" --json
t_check "JSON parses, approved, 3 attachments, 18 answers" python3 -c '
import json, sys
c = json.loads(sys.argv[1])
assert c["state"] == "approved" and c["faskes"] == "Puskesmas Muncar"
assert len(c["attachments"]) == 3 and {a["mime"] for a in c["attachments"]} == {"application/pdf", "image/png"}
assert len(c["answers"]) == 18 and any(a["retired"] for a in c["answers"])
assert c["eligibility"]["eligible"] is True
assert [h["action"] for h in c["history"]].count("case.move") == 6' "$OUT"
t_run 0 "case list --json by the kecamatan" "$TERBIT" case list --json --by camat
t_grep "kecamatan sees its case" "\"id\":$ID" "$OUT"
t_run 0 "case list by state" "$TERBIT" case list --state approved --region 35.10.05
t_grep "listed with tab-separated columns" "^$ID	approved	$V	" "$OUT"
t_check "audit rows: users, import, case" test "$(sqlite3 "$TERBIT_DATA/terbit.db" 'SELECT count(*) FROM audit')" -ge 15
t_done
