#!/bin/bash
# Foundation (d): a malformed residents CSV (bad NIK, bad date, too many
# columns, an unterminated quote, ...) lists every bad line with its
# number and reason and imports nothing; --skip-bad imports the good rows
# and still lists the bad. BOM, CRLF and quoted fields are fine.
source "$(dirname "$0")/lib.sh"

"$TERBIT" init >/dev/null
H="nik,kk,name,birth_place,birth_date,sex,address,rt,rw,village_code"
{
	printf '\xef\xbb\xbf%s\r\n' "$H"
	printf '3510054506900001,3510050101200001,"Rahayu, Siti",Banyuwangi,1990-06-05,P,"Dusun ""Krajan""",1,2,35.10.05.2001\r\n'
	echo '3510O54506900002,3510050101200001,Ani,Banyuwangi,1990-06-05,P,Krajan,1,2,3510052001'
	echo '3510051203850003,3510050101200001,Budi,Banyuwangi,1985-13-12,L,Krajan,1,2,3510052001'
	echo '3510051203850004,3510050101200001,Budi,Banyuwangi,1985-03-12,L,Krajan,1,2,3510052001,lebih'
	echo '3510051203850005,3510050101200001,,Banyuwangi,1985-03-12,L,Krajan,1,2,3510052001'
	echo '3510051203850006,3510050101200001,Joko,Banyuwangi,1985-03-12,X,Krajan,1,2,3510052001'
	echo '3510051203850007,3510050101200001,Joko,Banyuwangi,1985-03-12,L,Krajan,1,2,351005'
	echo '3509051203850008,3509050101200001,Joko,Jember,1985-03-12,L,Jalan Mawar,1,2,3509052001'
	echo '3510051203850009,3510050101200001,"Joko,Banyuwangi,1985-03-12,L,Krajan,1,2,3510052001'
} >"$T_TMP/bad.csv"

before=$(t_dbdump)
t_run nz "import with bad rows fails" "$TERBIT" import residents "$T_TMP/bad.csv"
for want in "baris 3: .*NIK" "baris 4: .*tanggal lahir" "baris 5: ada 11 kolom, seharusnya 10" \
	"baris 6: nama kosong" "baris 7: jenis kelamin" "baris 8: kode desa" "baris 10: tanda kutip"; do
	t_grep "listed: $want" "$want" "$ERR"
done
t_check "good rows are not listed" bash -c "! grep -Eq 'baris (2|9):' <<<\"\$1\"" _ "$ERR"
t_grep "says nothing was imported" "tidak ada data penduduk yang diimpor" "$ERR"
t_check "database unchanged" test "$before" = "$(t_dbdump)"
t_check "no residents" test "$(sqlite3 "$TERBIT_DATA/terbit.db" 'SELECT count(*) FROM residents')" = 0

t_run 0 "--skip-bad imports the good rows" "$TERBIT" import residents "$T_TMP/bad.csv" --skip-bad
t_grep "counts" "^2 baris diimpor, 7 baris dilewati" "$OUT"
t_grep "still lists the bad" "baris 5: ada 11 kolom" "$ERR"
t_check "two residents" test "$(sqlite3 "$TERBIT_DATA/terbit.db" 'SELECT count(*) FROM residents')" = 2
t_check "quoted fields kept" test "$(sqlite3 "$TERBIT_DATA/terbit.db" "SELECT name || '|' || address || '|' || rt FROM residents WHERE nik = '3510054506900001'")" = 'Rahayu, Siti|Dusun "Krajan"|001'
t_check "outside the regency is kept" test "$(sqlite3 "$TERBIT_DATA/terbit.db" "SELECT village_code FROM residents WHERE nik = '3509051203850008'")" = 3509052001

# NIK inconsistent with birth date or sex.
printf '%s\n%s\n%s\n' "$H" \
	'3510054506900011,3510050101200001,Ani,Banyuwangi,1990-06-06,P,Krajan,1,2,3510052001' \
	'3510054506900012,3510050101200001,Ani,Banyuwangi,1990-06-05,L,Krajan,1,2,3510052001' >"$T_TMP/nik.csv"
t_run 2 "NIK against birth date and sex" "$TERBIT" import residents "$T_TMP/nik.csv"
t_grep "date mismatch listed" "baris 2: " "$ERR"
t_grep "sex mismatch listed" "baris 3: .*(jenis kelamin|sex)" "$ERR"

# Header problems stop before any row.
printf 'nik,kk,name\n1,2,3\n' >"$T_TMP/header.csv"
t_run 2 "missing columns in the header" "$TERBIT" import residents "$T_TMP/header.csv"
t_grep "names the column" "birth_place" "$ERR"

printf 'nik,program,status,card_number\n3510054506900001,PBI-JKN,aktif,0001234567890\n3510054506900001,PBI-X,aktif,0001234567890\n3510054506900001,PBI-APBD,ya,123\n' >"$T_TMP/pbi.csv"
t_run 2 "bad PBI rows" "$TERBIT" import pbi "$T_TMP/pbi.csv"
t_grep "program listed" "baris 3: program" "$ERR"
t_grep "status listed" "baris 4: status" "$ERR"
t_check "no PBI rows" test "$(sqlite3 "$TERBIT_DATA/terbit.db" 'SELECT count(*) FROM pbi')" = 0
t_done
