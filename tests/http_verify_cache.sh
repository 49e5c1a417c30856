#!/bin/bash
# End to end: the verifier's answer cache (src/http/vcache.h) never serves
# a stale answer. Both token routes are asked many times over new
# connections (so every worker thread has the answer cached), then the
# registry changes and the very next answers must show it: a revocation
# by the CLI (another process), a revocation through the API (this
# server, possibly this very thread's database handle), a supersession by
# the CLI. Cache hits still count in the metrics. At the end, the answers
# from the registry in memory and from the database are the same bytes.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/http-lib.bash"

N=16
t_check "fixture: documents in every state" fixture
DINSOS=$(user_token dinsos)
t_check "server starts (2 threads)" srv_start main -- --rate-limit 0 --threads 2

# ask DESC TOKEN STATE WORD: N times each route, every answer as wanted.
ask() {
	local desc=$1 tok=$2 state=$3 word=$4 bad=0
	for _ in $(seq 1 $N); do
		req "$URL/api/v1/verify/$tok"
		grep -q "\"state\":\"$state\"" "$T_TMP/body" || bad=$((bad + 1))
		req "$URL/V/$tok"
		grep -q "<div class=\"w\">$word</div>" "$T_TMP/body" || bad=$((bad + 1))
	done
	t_check "$desc: $N JSON and $N pages say $state (wrong: $bad)" test "$bad" -eq 0
}

V_TOK=$(token_of "$VALID")
C_TOK=$(token_of "$CARD")
N_TOK=$(token_of "$NEW")
ask "letter before" "$V_TOK" VALID SAH
ask "card before" "$C_TOK" VALID SAH
ask "replacement before" "$N_TOK" VALID SAH

req "$URL/metrics"
before=$(printf '%s\n' "$BODY" | sed -n 's/^terbit_verifications_total{result="valid"} //p')
ask "letter again (cached)" "$V_TOK" VALID SAH
req "$URL/metrics"
after=$(printf '%s\n' "$BODY" | sed -n 's/^terbit_verifications_total{result="valid"} //p')
t_check "cache hits are counted ($before + $((2 * N)) = $after)" test "$after" -eq $((before + 2 * N))

t_run 0 "CLI revokes the letter while the server runs" \
	"$TERBIT" revoke "$VALID" --reason "uji tembolok" --by dinsos
ask "letter right after the CLI revocation" "$V_TOK" REVOKED DICABUT
req "$URL/api/v1/verify/$V_TOK"
t_grep "the new reason is shown" '"reason":"uji tembolok"' "$BODY"

# One keep-alive connection, so one worker thread: it caches the card,
# revokes it through its own database handle (a commit PRAGMA
# data_version does not count for that handle), then answers again.
C=$T_TMP/conn
curl -s -o "$C.1" "$URL/api/v1/verify/$C_TOK" --next -o "$C.2" "$URL/V/$C_TOK" \
	--next -o "$C.3" -w '%{http_code}\n' -X POST -H "Authorization: Bearer $DINSOS" \
	-H 'Content-Type: application/json' --data-binary '{"reason":"uji tembolok API"}' \
	"$URL/api/v1/documents/$CARD/revoke" \
	--next -o "$C.4" "$URL/api/v1/verify/$C_TOK" --next -o "$C.5" "$URL/V/$C_TOK" \
	-w '%{num_connects}\n' >"$C.codes"
t_grep "one connection: cached answer VALID" '"state":"VALID"' "$(cat "$C.1")"
t_grep "one connection: API revokes the card" '"state":"revoked"' "$(cat "$C.3")"
t_grep "one connection: the same thread answers REVOKED" '"state":"REVOKED"' "$(cat "$C.4")"
t_grep "one connection: its page says DICABUT" '<div class="w">DICABUT</div>' "$(cat "$C.5")"
t_grep "one connection: it was kept alive" '^0$' "$(tail -n1 "$C.codes")"
ask "card right after the API revocation" "$C_TOK" REVOKED DICABUT

t_run 0 "CLI reissues the replacement" \
	"$TERBIT" reissue "$NEW" --reason "uji tembolok" --by dinsos
ask "replacement right after its supersession" "$N_TOK" SUPERSEDED DIGANTI

# The threads hold their read snapshot across answers (store_read_hold)
# and are idle now, their connections closed: a later commit must still
# be checkpointed to the end, or an idle verifier would let the WAL grow.
t_run 0 "CLI commits once more while the verifier threads are idle" \
	"$TERBIT" user add idle-check --role faskes
checkpointed() { # the WAL copied back whole and emptied: "0|0|0"
	local i
	for i in $(seq 1 50); do
		[ "$(sqlite3 "$TERBIT_DATA/terbit.db" 'PRAGMA busy_timeout = 100; PRAGMA wal_checkpoint(TRUNCATE)' | tail -n1)" = "0|0|0" ] && return 0
	done
	return 1
}
t_check "no idle thread keeps the checkpoint from the end" checkpointed

# The registry in memory (src/issue/vindex.h, on by default) and the
# database path (verify_memory = 0) give the same bytes for every state,
# after all the changes above reached the memory through its change log.
t_grep "the server read the registry into memory at start" \
	'verifikasi: [0-9]+ dokumen di memori' "$(cat "$T_TMP/main.err")"
MAIN_PID=$PID MAIN_URL=$URL
t_check "a second server reading the database instead" \
	srv_start plain TERBIT_VERIFY_MEMORY=0 -- --rate-limit 0 --threads 1
t_check "it did not load the registry into memory" \
	bash -c "! grep -q 'dokumen di memori' '$T_TMP/plain.err'"
R_TOK=$(token_of "$REVOKED"); S_TOK=$(token_of "$SUPERSEDED")
# The reissue's new letter: valid, and written after the memory was read.
L_TOK=$(db "SELECT token FROM documents WHERE state = 'valid' ORDER BY rowid DESC LIMIT 1")
F_TOK="${V_TOK:0:143}$([ "${V_TOK: -1}" = A ] && echo B || echo A)"
for row in "valid, issued after start:VALID:$L_TOK" "revoked by the CLI:REVOKED:$V_TOK" \
	"revoked by the API:REVOKED:$C_TOK" \
	"superseded by the CLI:SUPERSEDED:$N_TOK" "revoked:REVOKED:$R_TOK" \
	"superseded:SUPERSEDED:$S_TOK" "forged:FORGED:$F_TOK"; do
	what=${row%%:*}; rest=${row#*:}; state=${rest%%:*}; tok=${rest#*:}
	req "$MAIN_URL/api/v1/verify/$tok"; mem=$BODY
	t_grep "$what: $state from memory" "\"state\":\"$state\"" "$mem"
	req "$URL/api/v1/verify/$tok"
	t_check "$what: the same JSON from memory and from the database" \
		test "$mem" = "$BODY"
done
srv_stop
t_grep "second server: exit 0 on SIGTERM" '^0$' "$STOP_RC"
t_check "no sanitizer report (second server)" bash -c "! grep -Eq 'Sanitizer|runtime error' '$T_TMP/plain.err'"
PID=$MAIN_PID URL=$MAIN_URL

srv_stop
t_grep "server: exit 0 on SIGTERM" '^0$' "$STOP_RC"
t_check "no sanitizer report" bash -c "! grep -Eq 'Sanitizer|runtime error' '$T_TMP/main.err'"
t_done
