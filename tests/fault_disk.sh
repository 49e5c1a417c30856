#!/bin/bash
# A full disk under the issue gate (issue 11, fault injection): the data
# directory on a small tmpfs, filled up to a few levels of free space
# (none, less than a letter, about a letter, enough), and a letter issued
# at each. Every attempt either issues a whole document or fails with a
# message (never a signal or a sanitizer report), and once space is freed
# the database is exactly what it was before the failed attempt,
# `document check` finds nothing and the next attempt succeeds.
# Needs mount(2) (root in the test sandbox); without it the script says
# so and passes: tests/unit/test_faults.c covers the same path through its
# VFS shim answering SQLITE_FULL.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/issue-setup.bash"

DISK=$T_TMP/disk
mkdir -p "$DISK"
if ! mount -t tmpfs -o size=6m,mode=0700 tmpfs "$DISK" 2>/dev/null; then
	t_ok "skipped: cannot mount a tmpfs here (the unit test's SQLITE_FULL path covers it)"
	t_done
	exit $?
fi
# Unmount before lib.sh removes the scratch directory.
trap 'umount "$DISK" 2>/dev/null; t_cleanup' EXIT
export TERBIT_DATA=$DISK/data

issue_setup 6 || { t_fail "set-up of approved cases"; t_done; exit 1; }
t_ok "set-up: 6 approved cases on a 6 MB tmpfs"
DB=$TERBIT_DATA/terbit.db

avail() { df --output=avail -B1 "$DISK" | tail -n1 | tr -d ' '; }

# fill FREE: leaves about FREE bytes free (tmpfs counts whole pages).
fill() {
	rm -f "$DISK/fill"
	local n=$(($(avail) - $1))
	[ "$n" -gt 0 ] && head -c "$n" /dev/zero >"$DISK/fill" 2>/dev/null
	return 0
}

case_id=1
for free in 0 8192 32768 65536 131072 1048576; do
	sqlite3 "$DB" .dump >"$T_TMP/before" || { t_fail "dump before"; continue; }
	fill "$free"
	"$TERBIT" issue "$case_id" letter --by ds >"$T_TMP/out" 2>"$T_TMP/err"
	rc=$?
	rm -f "$DISK/fill"
	err=$(head -c 300 "$T_TMP/err")
	t_check "free $free: exit $rc, no signal" test "$rc" -lt 128
	t_check "free $free: no sanitizer report" \
		bash -c "! grep -Eq 'Sanitizer|runtime error' '$T_TMP/err'"
	if [ "$rc" -eq 0 ]; then
		echo "free $free: issued $(cat "$T_TMP/out")"
		case_id=$((case_id + 1))
	else
		echo "free $free: refused: $err"
		t_check "free $free: a message" test -s "$T_TMP/err"
		sqlite3 "$DB" .dump >"$T_TMP/after"
		t_check "free $free: database exactly as before" \
			cmp -s "$T_TMP/before" "$T_TMP/after"
	fi
	t_run 0 "free $free: document check" "$TERBIT" document check
	t_grep "free $free: no problems" " 0 masalah" "$OUT"
done
t_check "at least one attempt failed for want of space" \
	test "$case_id" -lt 7
t_run 0 "with space again, the next letter is issued" \
	"$TERBIT" issue "$case_id" letter --by ds
t_run 0 "integrity_check" sqlite3 "$DB" "PRAGMA integrity_check"
t_grep "integrity ok" "^ok$" "$OUT"
t_done
