# Shared helpers for the end-to-end tests. Source it first; it makes a
# scratch directory, points TERBIT_DATA there and counts checks. Every
# script ends with t_done, which prints "RESULT <passed> <failed>".
set -u
TERBIT=${TERBIT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/bin/terbit}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
T_PASS=0
T_FAIL=0
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/terbit-test.XXXXXX")
export TERBIT_DATA="$T_TMP/data"
trap 't_cleanup' EXIT

t_cleanup() {
	[ -n "${T_KEEP:-}" ] || rm -rf "$T_TMP"
}

t_ok()   { T_PASS=$((T_PASS + 1)); echo "ok   - $*"; }
t_fail() { T_FAIL=$((T_FAIL + 1)); echo "FAIL - $*"; }

# t_check DESC CMD...: passes when CMD exits 0.
t_check() {
	local desc=$1; shift
	if "$@"; then t_ok "$desc"; else t_fail "$desc"; fi
}

# t_run EXPECTED_RC DESC CMD...: runs CMD, keeps stdout in $OUT and stderr
# in $ERR, passes when the exit code is EXPECTED_RC ("nz" = any non-zero).
t_run() {
	local want=$1 desc=$2; shift 2
	"$@" >"$T_TMP/out" 2>"$T_TMP/err"
	local rc=$?
	OUT=$(cat "$T_TMP/out"); ERR=$(cat "$T_TMP/err")
	if { [ "$want" = nz ] && [ "$rc" -ne 0 ]; } || [ "$rc" = "$want" ]; then
		t_ok "$desc"
	else
		t_fail "$desc (exit $rc, want $want): $(head -c 400 "$T_TMP/err")"
	fi
}

# t_grep DESC PATTERN TEXT: passes when TEXT matches the extended regex.
t_grep() {
	if printf '%s' "$3" | grep -Eq -- "$2"; then t_ok "$1"
	else t_fail "$1: '$2' not in: $(printf '%s' "$3" | head -c 300)"; fi
}

# t_poorest_answers FILE: an answers CSV with the poorest value of every
# indicator of the shipped policy, the retired ones included.
t_poorest_answers() {
	{
		echo "indicator,value"
		"$TERBIT" policy show --json | python3 -c '
import json, sys
for i in json.load(sys.stdin)["indicators"]:
    print("%s,%d" % (i["code"], min(a["value"] for a in i["answers"])))'
	} >"$1"
}

# Dump of every table, for "nothing changed" checks.
t_dbdump() {
	sqlite3 "$TERBIT_DATA/terbit.db" .dump
}

t_done() {
	echo "RESULT $T_PASS $T_FAIL"
	[ "$T_FAIL" -eq 0 ]
}
