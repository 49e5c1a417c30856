# Helpers shared by the browser tests (tests/web_*.sh); sourced after
# lib.sh and http-lib.bash. Not a test itself (run-all runs tests/*.sh).
# Needs Chromium, its driver and Debian's python3-selenium
# (scripts/install-deps); a missing one fails the test, never skips it.

for tool in chromium chromedriver; do
	command -v $tool >/dev/null 2>&1 ||
		{ t_fail "$tool missing (scripts/install-deps)"; t_done; exit 1; }
done
# Debian's python3, where python3-selenium is (not a python3 earlier on
# PATH, such as pyenv's).
PY=/usr/bin/python3
$PY -c 'import selenium' 2>/dev/null ||
	{ t_fail "python3-selenium missing (scripts/install-deps)"; t_done; exit 1; }

# t_py SCRIPT|- ARGS...: runs python (a script, or stdin for -) with
# tests/web on the path; counts its "ok"/"FAIL" lines; its output is also
# in $T_TMP/py.out.
t_py() {
	local out
	out=$(PYTHONPATH="$ROOT/tests/web" timeout 500 $PY "$@" 2>"$T_TMP/py.err")
	local rc=$?
	printf '%s\n' "$out" | tee "$T_TMP/py.out"
	T_PASS=$((T_PASS + $(printf '%s\n' "$out" | grep -c '^ok ')))
	T_FAIL=$((T_FAIL + $(printf '%s\n' "$out" | grep -c '^FAIL')))
	if [ $rc -ne 0 ] && ! printf '%s\n' "$out" | grep -q '^FAIL'; then
		# The exception's own lines, not chromedriver's stack of addresses.
		t_fail "browser script died (rc $rc): $(grep -E '^  File|Error|Exception' "$T_TMP/py.err" | tail -n 4)"
	fi
}
