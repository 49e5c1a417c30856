#!/bin/bash
# End to end (issue 11, "Crash safety and backups"): `terbit backup` while
# the server answers and a writer issues letters, then `terbit restore`
# into a fresh data directory: the registry re-proves itself, the restored
# server answers VALID and REVOKED as before. A backup edited with sqlite3
# or with a damaged page is refused with nothing changed, and so is a
# restore over a data directory a server holds. Modes: the backup is
# 0700/0600, the restored keys keep theirs. docs/operations.md.
#   bash tests/backup_restore.sh [BUILD_DIR BIN]
[ $# -ge 2 ] && export TERBIT="$PWD/$2"
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/http-lib.bash"

mode() { stat -c %a "$1"; }
state_of() { req "$URL/api/v1/verify/$1"; jget "$BODY" '["state"]'; }
# Everything a restore may change: the rows and the key files.
snapshot() {
	{ sqlite3 "$1/terbit.db" .dump; (cd "$1/keys" && sha256sum * && stat -c '%n %a' *); ls -a "$1"; } | sha256sum
}

t_check "fixture: issued, revoked, superseded documents" fixture
t_check "server starts" srv_start main -- --rate-limit 0 --threads 2
V_TOK=$(token_of "$VALID"); R_TOK=$(token_of "$REVOKED")
t_check "server answers: VALID before the backup" test "$(state_of "$V_TOK")" = VALID

# A writer issues letters (bounded: at most 6) while the backup is made.
(for id in $FREE_CASES; do "$TERBIT" issue "$id" letter --by dinsos >/dev/null 2>&1; done) &
WRITER=$!
# Start the copy once the writer is under way (its first letter is in).
for _ in $(seq 1 200); do
	[ "$(db 'SELECT COUNT(*) FROM documents')" -gt 5 ] && break
	sleep 0.05
done
B=$T_TMP/cadangan
t_run 0 "backup while the server runs and a writer issues" "$TERBIT" backup "$B"
t_grep "backup says it holds secrets" 'kunci privat' "$OUT"
wait "$WRITER"
t_check "the writer's letters went in" test "$(db 'SELECT COUNT(*) FROM documents')" -gt 5
t_check "backup dir 0700" test "$(mode "$B")" = 700
t_check "backup database 0600" test "$(mode "$B/terbit.db")" = 600
t_check "backup keys/ 0700" test "$(mode "$B/keys")" = 700
t_check "backup seal key 0600" test "$(mode "$B/keys/seal.key")" = 600
t_check "backup private keys keep 0600" bash -c "for f in '$B'/keys/*.key; do [ \$(stat -c %a \"\$f\") = 600 ] || exit 1; done"
t_check "no -wal/-shm/-gen or staging left" test "$(ls -A "$B")" = "$(printf 'keys\nterbit.db')"
t_check "no staging directory beside it" bash -c "! ls -d '$B'.sementara-* 2>/dev/null"
t_run nz "backup never writes over an existing one" "$TERBIT" backup "$B"
t_grep "says it exists" 'sudah ada' "$ERR"

t_run nz "restore refused while the server holds the data dir" "$TERBIT" restore "$B"
t_grep "names the server" 'sedang dipakai' "$ERR"
t_check "the server still answers" test "$(state_of "$V_TOK")" = VALID
srv_stop
t_check "server stops cleanly" test "$STOP_RC" = 0

# ---- restore into a fresh data directory
N=$T_TMP/baru
t_run 0 "restore into a fresh data dir" env TERBIT_DATA="$N" "$TERBIT" restore "$B"
t_grep "restore prints the audit head" 'kepala log audit [0-9]+:[0-9a-f]{64}' "$OUT"
t_run 0 "restored: document check" env TERBIT_DATA="$N" "$TERBIT" document check
t_grep "restored: no problem" ' 0 masalah' "$OUT"
t_run 0 "restored: audit verify" env TERBIT_DATA="$N" "$TERBIT" audit verify
t_check "restored database 0600" test "$(mode "$N/terbit.db")" = 600
t_check "restored keys/ 0700" test "$(mode "$N/keys")" = 700
t_check "restored seal key 0600" test "$(mode "$N/keys/seal.key")" = 600
t_check "restored certificate keeps 0644" test "$(mode "$N/keys/ca.pem")" = 644
t_check "restored keys are the same bytes" diff -r "$TERBIT_DATA/keys" "$N/keys"
t_check "no staging left in the data dir" bash -c "! ls -d '$N'/.pulih-* 2>/dev/null"
t_check "restored server starts" srv_start restored TERBIT_DATA="$N" -- --rate-limit 0 --threads 1
t_check "restored server: the letter from before is VALID" test "$(state_of "$V_TOK")" = VALID
t_check "restored server: the revoked one is REVOKED" test "$(state_of "$R_TOK")" = REVOKED
srv_stop

# ---- tampered backups are refused, the data dir untouched
before=$(snapshot "$N")
T1=$T_TMP/diubah
cp -a "$B" "$T1"
sqlite3 "$T1/terbit.db" "DROP TRIGGER documents_state;
    UPDATE documents SET state = 'valid', revoked_at = '', revoked_by = '',
    reason = '' WHERE serial = '$REVOKED'"
t_run nz "restore refuses a backup with an edited registry row" env TERBIT_DATA="$N" "$TERBIT" restore "$T1"
t_grep "names the row" "$REVOKED: segel tidak cocok" "$OUT"
t_grep "says nothing changed (Indonesian)" 'ditolak.*tidak diubah' "$ERR"
t_check "nothing changed after the edited backup" test "$(snapshot "$N")" = "$before"

T2=$T_TMP/rusak
cp -a "$B" "$T2"
root=$(sqlite3 "$T2/terbit.db" "SELECT rootpage FROM sqlite_schema WHERE name = 'documents'")
psize=$(sqlite3 "$T2/terbit.db" "PRAGMA page_size")
off=$(( (root - 1) * psize ))
byte=$(dd if="$T2/terbit.db" bs=1 skip="$off" count=1 status=none | od -An -tu1 | tr -d ' ')
printf "\\$(printf %03o $((byte ^ 0xff)))" |
	dd of="$T2/terbit.db" bs=1 seek="$off" count=1 conv=notrunc status=none
t_run nz "restore refuses a backup with a flipped byte" env TERBIT_DATA="$N" "$TERBIT" restore "$T2"
t_grep "says the file is damaged" 'basis data rusak' "$OUT"
t_check "nothing changed after the damaged backup" test "$(snapshot "$N")" = "$before"

T3=$T_TMP/tanpa-segel
cp -a "$B" "$T3"
rm "$T3/keys/seal.key"
t_run nz "restore refuses a backup without its seal key" env TERBIT_DATA="$N" "$TERBIT" restore "$T3"
t_check "nothing changed after the keyless backup" test "$(snapshot "$N")" = "$before"
t_run nz "restore refuses what is not a backup" env TERBIT_DATA="$N" "$TERBIT" restore "$T_TMP"
t_check "no staging left after refusals" bash -c "! ls -d '$N'/.pulih-* 2>/dev/null"

# ---- restore over a used data dir: the old one is kept beside
t_run 0 "restore over the original data dir (server stopped)" "$TERBIT" restore "$B"
t_grep "says where the old data went" 'sebelum-pulih' "$OUT"
t_run 0 "over the original: document check" "$TERBIT" document check
t_check "the letters issued after the backup are gone with it" \
	test "$(db 'SELECT COUNT(*) FROM documents')" = "$(sqlite3 "$B/terbit.db" 'SELECT COUNT(*) FROM documents')"
t_check "the old database is kept beside" bash -c "ls '$TERBIT_DATA'/terbit.db.sebelum-pulih-* >/dev/null"

t_done
