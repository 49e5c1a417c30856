# Helpers for the browser tests tests/web_*.sh (sourced after lib.sh and
# http-lib.bash; not a test itself: run-all runs tests/*.sh). A missing
# browser tool fails the test, never skips it.

# Debian's python3, where python3-selenium is (not a python3 earlier on
# PATH, such as pyenv's).
PY=/usr/bin/python3

# web_needs TOOL...: chromium, chromedriver, Debian's python3-selenium and
# any further tools given; a missing one fails the test and ends it.
web_needs() {
	local tool
	for tool in chromium chromedriver "$@"; do
		command -v $tool >/dev/null 2>&1 ||
			{ t_fail "$tool missing (scripts/install-deps)"; t_done; exit 1; }
	done
	$PY -c 'import selenium' 2>/dev/null ||
		{ t_fail "python3-selenium missing (scripts/install-deps)"; t_done; exit 1; }
}

# t_py [SCRIPT.py | -] ARGS...: runs python (a script file, or stdin) with
# tests/web on the path; counts its "ok"/"FAIL" lines; its output is also
# in $T_TMP/py.out.
t_py() {
	local src=-
	if [ "${1:-}" = - ]; then
		shift
	elif [ -f "${1:-}" ] && [ "${1%.py}" != "$1" ]; then
		src=$1
		shift
	fi
	local out
	out=$(PYTHONPATH="$ROOT/tests/web" timeout 500 $PY "$src" "$@" 2>"$T_TMP/py.err")
	local rc=$?
	printf '%s\n' "$out" | tee "$T_TMP/py.out"
	T_PASS=$((T_PASS + $(printf '%s\n' "$out" | grep -c '^ok ')))
	T_FAIL=$((T_FAIL + $(printf '%s\n' "$out" | grep -c '^FAIL')))
	if [ $rc -ne 0 ] && ! printf '%s\n' "$out" | grep -q '^FAIL'; then
		# The exception's own lines, not chromedriver's stack of addresses.
		t_fail "browser script died (rc $rc): $(grep -E '^  File|Error|Exception' "$T_TMP/py.err" | tail -n 4)"
	fi
}
