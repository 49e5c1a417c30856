#!/bin/bash
# End to end (issue 11, finding 3): the registry and the audit log edited
# with sqlite3 on the real file, behind terbit's back, while the server
# runs. Each edit must be noticed: the verifier (JSON from the server on a
# loopback port, the page, `terbit verify`) never says VALID for an edited
# row, the NIK match never says true for a swapped NIK, `document check`
# exits non-zero naming the serial, `audit verify` names the audit id, and
# a corrupted page is an integrity error. Where an edit can be undone,
# undoing it makes the checks pass again: the seal is over exactly what
# was written, nothing looser.
#
# The server's answer cache learns of a write by another program through
# PRAGMA data_version, asked at least once a second (docs/server.md), so
# the answers after an edit are asked after WINDOW seconds.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/http-lib.bash"

WINDOW=1.2

t_check "fixture: documents in every state" fixture
EXTRA=$("$TERBIT" issue "$(echo $FREE_CASES | awk '{ print $1 }')" letter --by dinsos)
t_check "one more letter, the last of its year" test -n "$EXTRA"
t_run 0 "document check: untouched registry" "$TERBIT" document check
t_grep "no problem" ' 0 masalah' "$OUT"
t_run 0 "audit verify: untouched log" "$TERBIT" audit verify
# A consistent copy (keys too) for the corrupted-page case at the end.
C=$T_TMP/corrupt
mkdir -p "$C"
cp -r "$TERBIT_DATA/keys" "$C/keys"
db ".backup '$C/terbit.db'"
t_run 0 "the copy is sound" env TERBIT_DATA="$C" "$TERBIT" document check
U=$T_TMP/upgrade
mkdir -p "$U"
cp -r "$TERBIT_DATA/keys" "$U/keys"
db ".backup '$U/terbit.db'"
t_check "server starts" srv_start main -- --rate-limit 0 --threads 1

# state_of TOKEN: the JSON answer's state.
state_of() { req "$URL/api/v1/verify/$1"; jget "$BODY" '["state"]'; }
# check_names DESC SERIAL-OR-ID: document check fails and names it.
check_names() {
	t_run nz "document check fails: $1" "$TERBIT" document check
	t_grep "document check names $2" "$2" "$OUT"
}

# ---- a revoked document set back to valid (the state trigger dropped)
R_TOK=$(token_of "$REVOKED")
t_check "revoked letter: REVOKED before (cached)" test "$(state_of "$R_TOK")" = REVOKED
saved=$(db "SELECT revoked_at || '|' || revoked_by || '|' || reason FROM documents WHERE serial = '$REVOKED'")
db "DROP TRIGGER documents_state;
    UPDATE documents SET state = 'valid', revoked_at = '', revoked_by = '',
    reason = '' WHERE serial = '$REVOKED'"
sleep "$WINDOW"
req "$URL/api/v1/verify/$R_TOK"
st=$(jget "$BODY" '["state"]')
t_check "revoked set back to valid: JSON says FORGED, not VALID ($st)" test "$st" = FORGED
t_check "JSON shows none of the row" test "$(jget "$BODY" '["document"]')" = None
req "$URL/V/$R_TOK"
t_check "page does not say SAH" bash -c "! grep -q '<div class=\"w\">SAH</div>' '$T_TMP/body'"
t_run 15 "terbit verify: FORGED (exit 15)" "$TERBIT" verify "$R_TOK"
t_grep "terbit verify's first word" '^FORGED' "$OUT"
check_names "revoked set back to valid" "$REVOKED: segel tidak cocok"
IFS='|' read -r at by why <<<"$saved"
db "UPDATE documents SET state = 'revoked', revoked_at = '$at', revoked_by = '$by',
    reason = '$why' WHERE serial = '$REVOKED'"
t_run 0 "undone: document check passes again" "$TERBIT" document check
sleep "$WINDOW"
t_check "undone: REVOKED again" test "$(state_of "$R_TOK")" = REVOKED

# ---- name and NIK swapped (the immutability trigger dropped)
V_TOK=$(token_of "$VALID")
nik=$(db "SELECT nik FROM documents WHERE serial = '$VALID'")
name=$(db "SELECT name FROM documents WHERE serial = '$VALID'")
other=$(db "SELECT nik || '|' || name FROM residents WHERE nik <> '$nik' LIMIT 1")
onik=${other%%|*}; oname=${other#*|}
nikq() { req -X POST -H 'Content-Type: application/json' -d "{\"nik\":\"$1\"}" "$URL/api/v1/verify/$V_TOK/nik"; }
nikq "$nik"
t_grep "NIK match before: true for the holder" '"match":true' "$BODY"
db "DROP TRIGGER documents_immutable;
    UPDATE documents SET nik = '$onik', name = '$oname' WHERE serial = '$VALID'"
sleep "$WINDOW"
nikq "$onik"
t_check "swapped NIK: the match does not answer true ($CODE $BODY)" \
	bash -c "! grep -q '\"match\":true' '$T_TMP/body'"
t_check "swapped: JSON says FORGED" test "$(state_of "$V_TOK")" = FORGED
t_run 15 "swapped: terbit verify FORGED" "$TERBIT" verify "$V_TOK"
check_names "name and NIK swapped" "$VALID: segel tidak cocok"
db "UPDATE documents SET nik = '$nik', name = '$name' WHERE serial = '$VALID'"
sleep "$WINDOW"
t_check "undone: VALID again" test "$(state_of "$V_TOK")" = VALID
t_run 0 "undone: document check passes" "$TERBIT" document check

# ---- columns the triggers never guarded: reason, revoked_by,
# superseded_by (with the triggers of migration 3 in place here they
# were already free to change)
for col in reason revoked_by superseded_by; do
	old=$(db "SELECT $col FROM documents WHERE serial = '$SUPERSEDED'")
	new=$([ "$col" = superseded_by ] && echo "$EXTRA" || echo "diubah")
	db "UPDATE documents SET $col = '$new' WHERE serial = '$SUPERSEDED'"
	check_names "$col changed" "$SUPERSEDED: segel tidak cocok"
	db "UPDATE documents SET $col = '$old' WHERE serial = '$SUPERSEDED'"
	t_run 0 "$col undone: document check passes" "$TERBIT" document check
done

# ---- the printed fields (what a card sheet is drawn from) changed
db "UPDATE documents SET fields = fields || ' ' WHERE serial = '$CARD'"
check_names "printed fields changed" "$CARD: isian tercetak tidak sama"
t_run nz "changed fields: the card is not printed on a sheet" \
	"$TERBIT" document sheet "$CARD" --out "$T_TMP/sheet.pdf" --by dinsos
t_grep "says why" 'diubah di luar terbit' "$ERR"
db "UPDATE documents SET fields = substr(fields, 1, length(fields) - 1)
    WHERE serial = '$CARD'"
t_run 0 "fields undone: document check passes" "$TERBIT" document check

# ---- the last letter deleted and its counter turned back
db "DROP TRIGGER documents_no_delete; DROP TRIGGER document_pdfs_no_delete;
    DELETE FROM document_pdfs WHERE serial = '$EXTRA';
    DELETE FROM documents WHERE serial = '$EXTRA';
    UPDATE doc_counters SET last = last - 1 WHERE kind = 'letter'"
check_names "last letter deleted, counter turned back" \
	"$EXTRA: tercatat terbit di log audit, tetapi tidak ada di registri"
# The counter alone turned back (a number would be handed out twice).
db "UPDATE doc_counters SET last = last - 1 WHERE kind = 'letter'"
check_names "letter counter turned back" "penghitung letter"

# ---- the audit log: its triggers dropped, one row edited, then deleted
t_run 0 "audit head" "$TERBIT" audit head
HEAD=$OUT
t_grep "head is ID:HASH" '^[0-9]+:[0-9a-f]{64}$' "$HEAD"
t_run 0 "audit verify --head: the head written down is there" \
	"$TERBIT" audit verify --head "$HEAD"
mid=$(db "SELECT id FROM audit WHERE action = 'document.revoke' LIMIT 1")
note=$(db "SELECT note FROM audit WHERE id = $mid")
db "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;
    UPDATE audit SET note = 'tidak ada apa-apa' WHERE id = $mid"
t_run nz "audit verify: an edited entry" "$TERBIT" audit verify
t_grep "audit verify names entry $mid" "entri $mid berubah" "$ERR"
check_names "an edited audit entry" "log audit $mid"
db "UPDATE audit SET note = '$note' WHERE id = $mid"
t_run 0 "undone: audit verify passes" "$TERBIT" audit verify
# The last entry deleted leaves a whole chain: only the head written
# down before shows it (what the monthly report is for).
db "DELETE FROM audit WHERE id = (SELECT max(id) FROM audit)"
t_run 0 "last entry deleted: the chain alone still holds" "$TERBIT" audit verify
t_run nz "last entry deleted: audit verify --head fails" \
	"$TERBIT" audit verify --head "$HEAD"
t_grep "names the recorded head" "entri ${HEAD%%:*} hilang" "$ERR"
db "DELETE FROM audit WHERE id = $mid"
t_run nz "audit verify: a deleted entry" "$TERBIT" audit verify
t_grep "audit verify names the entry after it" "entri $((mid + 1)) tidak menyambung" "$ERR"

srv_stop
t_check "server stops cleanly" test "$STOP_RC" = 0

# ---- a corrupted page, in the copy taken before any edit
pages=$(sqlite3 "$C/terbit.db" "PRAGMA page_count")
psize=$(sqlite3 "$C/terbit.db" "PRAGMA page_size")
dd if=/dev/urandom of="$C/terbit.db" bs="$psize" seek=$((pages / 2)) count=1 \
	conv=notrunc status=none
t_run nz "corrupted page: document check fails" env TERBIT_DATA="$C" "$TERBIT" document check
t_grep "names the damage" 'basis data rusak' "$OUT$ERR"

# ---- a data directory from before seals (schema 6 and every later step
# undone in the copy, the seal key removed): migration 6 chains the old
# log, the old rows are FORGED until `document seal`, which seals them
# once and never again. The seals are step 6 (src/store/migrate.c); the
# steps after it run again too, so their objects go as well (7: token
# expiry, 8: the statistics' index, 9: the queues' index, 10: the print
# jobs, 11: the status list's index; its other half, the token CHECK
# widened to 152 characters, is left wide: the step runs again as a
# no-op on it; 12: the verifier's covering index, which names the seal
# column, so it goes first; 13: the log of changed documents; 14: its
# bound, a trigger on that log, which goes with its table).
v=$(sqlite3 "$U/terbit.db" "PRAGMA user_version")
seal_step=6
sqlite3 "$U/terbit.db" "DROP INDEX documents_verify; DROP TABLE doc_changes;
    DROP TRIGGER doc_changes_insert; DROP TRIGGER doc_changes_update;
    DROP TRIGGER doc_changes_delete;
    ALTER TABLE documents DROP COLUMN seal;
    ALTER TABLE documents DROP COLUMN fields_sha256;
    ALTER TABLE audit DROP COLUMN prev_hash; ALTER TABLE audit DROP COLUMN hash;
    ALTER TABLE users DROP COLUMN token_expires_at;
    DROP INDEX audit_action_at; DROP INDEX cases_state_village;
    DROP INDEX documents_status;
    DROP TABLE print_job_docs; DROP TABLE print_jobs; DROP TABLE print_setup;
    PRAGMA user_version = $((seal_step - 1))"
rm "$U/keys/seal.key"
u() { env TERBIT_DATA="$U" "$TERBIT" "$@"; }
t_run 0 "upgrade: the old log is chained by the migration" u audit verify
t_check "upgrade: back at schema $v" test "$(sqlite3 "$U/terbit.db" "PRAGMA user_version")" = "$v"
t_run 15 "upgrade: an unsealed row is not VALID" u verify "$(token_of "$VALID")"
t_grep "upgrade: says why" 'belum disegel' "$OUT"
t_run nz "upgrade: document check names unsealed rows" u document check
t_grep "upgrade: names $VALID" "$VALID: belum disegel" "$OUT"
t_run 0 "upgrade: document seal" u document seal
t_grep "upgrade: the key is made" 'kunci segel dibuat' "$OUT"
t_grep "upgrade: every row sealed" '^[1-9][0-9]* dokumen disegel' "$(printf '%s' "$OUT" | tail -n1)"
t_check "upgrade: seal.key is 0600" test "$(stat -c %a "$U/keys/seal.key")" = 600
t_run 0 "upgrade: VALID once sealed" u verify "$(token_of "$VALID")"
t_run 0 "upgrade: document check passes" u document check
sqlite3 "$U/terbit.db" "UPDATE documents SET reason = 'diubah' WHERE serial = '$REVOKED'"
t_run 0 "upgrade: document seal again" u document seal
t_grep "upgrade: a wrong seal is never made right" '^0 dokumen disegel' "$OUT"
t_run nz "upgrade: the edit still shows" u document check

t_done
