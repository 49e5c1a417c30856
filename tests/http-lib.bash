# Helpers shared by the HTTP end-to-end tests (http_verify.sh, http_api.sh,
# http_authz.sh, verifier_page.sh); sourced after lib.sh. Not a test
# itself: tests/run-all runs only tests/*.sh.

command -v curl >/dev/null || { t_fail "curl missing (scripts/install-deps)"; t_done; exit 1; }
command -v sqlite3 >/dev/null || { t_fail "sqlite3 missing (scripts/install-deps)"; t_done; exit 1; }

# srv_start NAME [VAR=value ...] [-- serve flags...]: starts terbit serve on
# a port the kernel picks, in the environment given; sets PID, PORT, URL.
srv_start() {
	local name=$1; shift
	local envs=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
	[ "${1:-}" = -- ] && shift
	env ${envs[@]+"${envs[@]}"} "$TERBIT" serve --listen 127.0.0.1:0 "$@" \
		>"$T_TMP/$name.out" 2>"$T_TMP/$name.err" &
	PID=$!
	PORT=
	for _ in $(seq 1 400); do
		PORT=$(sed -n 's|^terbit melayani di http://[^ ]*:\([0-9][0-9]*\) .*|\1|p' \
			"$T_TMP/$name.out")
		[ -n "$PORT" ] && { URL="http://127.0.0.1:$PORT"; return 0; }
		kill -0 "$PID" 2>/dev/null || break
		sleep 0.05
	done
	cat "$T_TMP/$name.err" >&2
	return 1
}

# srv_stop: SIGTERM; exit code in STOP_RC (124 when it hangs).
srv_stop() {
	kill -TERM "$PID"
	for _ in $(seq 1 300); do
		kill -0 "$PID" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$PID" 2>/dev/null; then
		kill -KILL "$PID"; wait "$PID"; STOP_RC=124
	else
		wait "$PID"; STOP_RC=$?
	fi
}

# req ARGS...: curl; status in CODE, headers in HDR, body in BODY (and
# the raw body in $T_TMP/body).
req() {
	CODE=$(curl -s -o "$T_TMP/body" -D "$T_TMP/hdr" -w '%{http_code}' "$@")
	BODY=$(tr -d '\0' <"$T_TMP/body"); HDR=$(tr -d '\r' <"$T_TMP/hdr")
}

# jget JSON PATH: one value by a Python subscript path ('["state"]').
jget() {
	printf '%s' "$1" | python3 -c "import json,sys; v=json.load(sys.stdin)$2; print(v if not isinstance(v,bool) else str(v).lower())" 2>/dev/null
}

# The server may be writing: wait for its lock rather than fail.
db() { sqlite3 -cmd ".timeout 5000" "$TERBIT_DATA/terbit.db" "$@"; }

# token_of SERIAL: the stored QR token.
token_of() { db "SELECT token FROM documents WHERE serial = '$1'"; }

# user_token NAME: the API token demo-data printed for the user.
user_token() { awk -F'\t' -v n="$1" '$1 == n { print $4 }' "$TERBIT_DATA/demo-tokens.txt"; }

# fixture: a demo database with documents in every registry state:
# VALID (letter), REVOKED (letter), SUPERSEDED (letter) and its
# replacement NEW, a card CARD; the ids of the approved cases without a
# document in FREE_CASES. The verifier host is the local one.
fixture() {
	export TERBIT_VERIFIER_HOST=127.0.0.1:8080
	"$TERBIT" init >/dev/null &&
		"$TERBIT" demo-data --residents 200 --seed 7 >/dev/null || return 1
	local approved
	approved=$("$TERBIT" case list --state approved | cut -f1)
	set -- $approved
	local ids=()
	for id in "$@"; do
		s=$("$TERBIT" issue "$id" letter --by dinsos 2>/dev/null) && ids+=("$id:$s")
		[ ${#ids[@]} -ge 3 ] && break
	done
	[ ${#ids[@]} -ge 3 ] || return 1
	VALID=${ids[0]#*:}; VALID_CASE=${ids[0]%%:*}
	REVOKED=${ids[1]#*:}
	SUPERSEDED=${ids[2]#*:}
	"$TERBIT" revoke "$REVOKED" --reason "data keliru" --by dinsos >/dev/null &&
		NEW=$("$TERBIT" reissue "$SUPERSEDED" --reason "alamat berubah" --by dinsos) &&
		CARD=$("$TERBIT" issue "$VALID_CASE" card --by dinsos) || return 1
	FREE_CASES=""
	for id in "$@"; do
		db "SELECT 1 FROM documents WHERE case_id = $id" | grep -q 1 ||
			FREE_CASES="$FREE_CASES $id"
	done
	return 0
}
