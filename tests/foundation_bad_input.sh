#!/bin/bash
# Foundation (b): every kind of bad input gets a clear Indonesian message
# on stderr, the exit code of its error class, and leaves the database
# exactly as it was (sqlite3 .dump before and after).
source "$(dirname "$0")/lib.sh"

cat >"$T_TMP/residents.csv" <<CSV
nik,kk,name,birth_place,birth_date,sex,address,rt,rw,village_code
3510054506900001,3510050101200001,Siti Rahayu,Banyuwangi,1990-06-05,P,Dusun Krajan,1,2,3510052001
3510091203850002,3510090101200002,Slamet Santoso,Genteng,1985-03-12,L,Jalan Melati,3,1,3510092002
3510050101800003,3510050101200003,Budi Santoso,Banyuwangi,1980-01-01,L,Dusun Krajan,1,1,3510052001
CSV
printf '%%PDF-1.4\nrujukan\n%%%%EOF\n' >"$T_TMP/ok.pdf"
printf 'GIF89a\1\0\1\0' >"$T_TMP/foto.gif"
printf 'bukan pdf' >"$T_TMP/surat.pdf"
head -c $((10 * 1024 * 1024 + 1)) /dev/zero | sed '1s/^/%PDF-1.4\n/' >"$T_TMP/big.pdf"
printf 'indicator,value\nluas_lantai,1\nindikator_palsu,1\n' >"$T_TMP/unknown.csv"
printf 'indicator,value\nluas_lantai,7\n' >"$T_TMP/badvalue.csv"
printf 'indicator,value\nluas_lantai,1\njenis_lantai,1\nluas_lantai,2\n' >"$T_TMP/twice.csv"

"$TERBIT" init >/dev/null
"$TERBIT" import residents "$T_TMP/residents.csv" >/dev/null
"$TERBIT" user add op --role desa --region 3510052001 >/dev/null
"$TERBIT" user add op2 --role desa --region 3510092002 >/dev/null
"$TERBIT" user add dk --role dinkes >/dev/null
"$TERBIT" user add camat9 --role kecamatan --region 35.10.09 >/dev/null
ID=$("$TERBIT" case new 3510054506900001 --by op)
"$TERBIT" case attach "$ID" "$T_TMP/ok.pdf" --kind rujukan --by op >/dev/null
ID2=$("$TERBIT" case new 3510091203850002 --by op2)
ID3=$("$TERBIT" case new 3510050101800003 --by op)
"$TERBIT" case attach "$ID3" "$T_TMP/ok.pdf" --kind rujukan --by op >/dev/null
"$TERBIT" case move "$ID3" submitted --by op >/dev/null
"$TERBIT" case move "$ID3" health_checked --by dk >/dev/null

# The database but for the audit rows of refusals: recording what was
# refused is the one change a refusal makes.
dump() { t_dbdump | grep -v "'access\.denied"; }

# refused EXIT DESC MESSAGE-REGEX -- CMD...: the command fails with EXIT,
# says MESSAGE on stderr, prints nothing on stdout, changes nothing.
refused() {
	local want=$1 desc=$2 msg=$3; shift 4
	local before after
	before=$(dump)
	t_run "$want" "$desc: exit $want" "$@"
	t_grep "$desc: message" "$msg" "$ERR"
	t_check "$desc: nothing on stdout" test -z "$OUT"
	after=$(dump)
	if [ "$before" = "$after" ]; then t_ok "$desc: database unchanged"
	else t_fail "$desc: database changed"; fi
}

# A village operator gets the same answer for an unknown NIK or case as
# for one of another village (issue 11, finding 7): 403-class, exit 4.
refused 4 "unknown NIK" "NIK tidak ditemukan di wilayah Anda" -- "$TERBIT" case new 3510050101990099 --by op
t_grep "unknown NIK: the refusal audited with the NIK" "^access.denied.nik resident:3510050101990099 case.new$" \
	"$(sqlite3 "$TERBIT_DATA/terbit.db" "SELECT action, object, note FROM audit WHERE actor = 'op' AND action LIKE 'access%'" | tr '|' ' ')"
refused 5 "second open case for a resident" "sudah ada kasus terbuka #$ID untuk penduduk ini" -- "$TERBIT" case new 3510054506900001 --by op
refused 2 "malformed NIK" "NIK harus 16 digit" -- "$TERBIT" case new 35100545 --by op
refused 4 "unknown case" "kasus 999 tidak ditemukan di wilayah Anda" -- "$TERBIT" case move 999 submitted --by op
refused 3 "unknown case (show)" "kasus 999 tidak ditemukan" -- "$TERBIT" case show 999
refused 2 "bad case id" "nomor kasus tidak sah" -- "$TERBIT" case show 12abc
refused 3 "unknown user" "pengguna siapa tidak dikenal" -- "$TERBIT" case new 3510054506900001 --by siapa
refused 2 "missing --by" "--by" -- "$TERBIT" case move "$ID" submitted
refused 5 "illegal transition" "tidak dapat dipindah" -- "$TERBIT" case move "$ID" approved --by op
refused 2 "unknown state" "status tidak dikenal" -- "$TERBIT" case move "$ID" selesai --by op
refused 4 "role not allowed" "Hanya Operator Desa" -- "$TERBIT" case move "$ID" submitted --by dk
refused 4 "region not allowed (move)" "kasus $ID tidak ditemukan di wilayah Anda" -- "$TERBIT" case move "$ID" submitted --by op2
refused 4 "region not allowed (kecamatan)" "kasus $ID tidak ditemukan di wilayah Anda" -- "$TERBIT" case show "$ID" --by camat9
refused 4 "region not allowed (new)" "NIK tidak ditemukan di wilayah Anda" -- "$TERBIT" case new 3510054506900001 --by op2
refused 6 "missing attachment" "surat rujukan" -- "$TERBIT" case move "$ID2" submitted --by op2
refused 6 "incomplete survey" "Survei belum lengkap" -- "$TERBIT" case move "$ID3" surveyed --by op
refused 2 "unsupported attachment type" "hanya PDF, JPEG atau PNG" -- "$TERBIT" case attach "$ID" "$T_TMP/foto.gif" --kind rujukan --by op
refused 2 "PDF name, not PDF bytes" "hanya PDF, JPEG atau PNG" -- "$TERBIT" case attach "$ID" "$T_TMP/surat.pdf" --kind rujukan --by op
refused 2 "attachment over 10 MB" "10 MB" -- "$TERBIT" case attach "$ID" "$T_TMP/big.pdf" --kind rujukan --by op
refused 2 "unknown attachment kind" "rujukan, survei atau verifikasi" -- "$TERBIT" case attach "$ID" "$T_TMP/ok.pdf" --kind foto --by op
refused 3 "attachment file missing" "tidak dapat membuka berkas" -- "$TERBIT" case attach "$ID" "$T_TMP/none.pdf" --kind rujukan --by op
refused 2 "unknown indicator" "indikator_palsu" -- "$TERBIT" case answers "$ID" "$T_TMP/unknown.csv" --by op
refused 2 "one indicator twice" "indikator luas_lantai dijawab dua kali \(jawaban ke-1 dan ke-3\)" -- "$TERBIT" case answers "$ID" "$T_TMP/twice.csv" --by op
refused 2 "value not in the policy" "luas_lantai" -- "$TERBIT" case answers "$ID" "$T_TMP/badvalue.csv" --by op
refused 2 "user: region for a regency-wide role" "tidak memakai wilayah" -- "$TERBIT" user add x --role dinsos --region 351005
refused 2 "user: kecamatan code for desa" "bukan kode desa" -- "$TERBIT" user add x --role desa --region 35.10.05
refused 2 "user: unknown village" "tidak dikenal" -- "$TERBIT" user add x --role desa --region 3510059999
refused 2 "user: unknown role" "peran tidak dikenal" -- "$TERBIT" user add x --role lurah
refused 5 "user: duplicate name" "sudah ada" -- "$TERBIT" user add op --role dinkes
refused 2 "unknown option" "opsi tidak dikenal" -- "$TERBIT" case list --negara id
t_done
