#!/bin/bash
# End to end: the offline verifier on a phone (static/verify-sw.js;
# docs/token.md, "Offline on a phone"), against the real `terbit serve`
# and a real demo database.
#   - curl: the worker, its registration script and the page shell are
#     served with their types, an ETag (304 on If-None-Match) and a long
#     Cache-Control; the verifier page loads only the one script of ours
#     (CSP script-src 'self'), the staff pages still none;
#   - headless Chromium at 360 px (tests/web/offline_check.py): one page
#     online installs the worker of its own spelling of /V/ and then the
#     other's (the copies fetched once; a first page at /v/ too), which
#     keeps the keys, the status list and the shell and nothing else;
#     then offline through the DevTools
#     protocol (or with the server stopped, when that does not reach the
#     worker's fetch: the script says which), valid, revoked, superseded,
#     forged, expired, v2 and unknown-key tokens get their verdicts from
#     the worker, with "diperiksa tanpa sambungan, status per <date>"; a
#     stale list warns, a tampered one is not believed;
#   - screenshots of the offline verdicts (samples/ui/ with
#     TERBIT_SAMPLES=1).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/http-lib.bash"
source "$(dirname "$0")/web-lib.bash"

web_needs
$PY -c 'import cryptography' 2>/dev/null ||
	{ t_fail "python3-cryptography missing (scripts/install-deps)"; t_done; exit 1; }

t_check "fixture" fixture
t_check "server starts" srv_start offline -- --rate-limit 0

# ---- curl: the three files and the page's policy -------------------------
req "$URL/V/$(token_of "$VALID")"
t_grep "the verifier page: one script of ours" \
	'<script src="/V/sw-register.js" defer></script>' "$BODY"
t_grep "the verifier page: script-src 'self', nothing inline" \
	"Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'unsafe-inline';" "$HDR"
t_check "the verifier page: no inline script" \
	test "$(printf '%s' "$BODY" | grep -o '<script' | wc -l)" -eq 1
req "$URL/healthz"
for f in "V/sw.js:text/javascript" "v/sw.js:text/javascript" \
	"V/sw-register.js:text/javascript" "V/offline.html:text/html"; do
	path=${f%%:*} type=${f#*:}
	req "$URL/$path"
	t_grep "/$path: 200 $type" "^200$" "$CODE"
	t_grep "/$path: Content-Type $type" "Content-Type: $type; charset=utf-8" "$HDR"
	t_grep "/$path: a week's Cache-Control" 'Cache-Control: public, max-age=604800' "$HDR"
	etag=$(printf '%s\n' "$HDR" | sed -n 's/^ETag: //p')
	t_check "/$path: an ETag" test -n "$etag"
	req -H "If-None-Match: $etag" "$URL/$path"
	t_grep "/$path: 304 by its ETag" '^304$' "$CODE"
done
req "$URL/V/sw.js"
t_grep "the worker may fetch from our origin only" \
	"Content-Security-Policy: default-src 'none'; connect-src 'self'" "$HDR"
t_check "/V/sw.js is static/verify-sw.js" cmp -s "$T_TMP/body" "$ROOT/static/verify-sw.js"
req "$URL/V/offline.html"
t_grep "the shell: the page's look, no script" '<style>.*</style></head>' "$BODY"
t_check "the shell: no script at all" bash -c "! grep -q '<script' '$T_TMP/body'"
t_grep "the shell: the words of the online page" '"REVOKED":\{"word":"DICABUT"' "$BODY"
req -H 'Accept: text/html' "$URL/masuk"
t_grep "the staff pages keep no script at all" "Content-Security-Policy: default-src 'none'; style-src 'self'" "$HDR"

# ---- the browser ---------------------------------------------------------
SHOTS=""
[ -n "${TERBIT_SAMPLES:-}" ] && SHOTS=$ROOT/samples/ui && mkdir -p "$SHOTS"
t_py "$ROOT/tests/web/offline_check.py" "$URL" "$TERBIT_DATA" "$SHOTS" "$PID" \
	"$T_TMP/offline.err" \
	"$(token_of "$VALID")" "$(token_of "$REVOKED")" "$(token_of "$SUPERSEDED")"
# The script ends the server with SIGTERM (the worker's other offline);
# when it died before that, the server is stopped here.
if kill -0 "$PID" 2>/dev/null && ! grep -q ' Z ' "/proc/$PID/stat"; then
	t_fail "the browser script did not stop the server"
	srv_stop
else
	wait "$PID"
	t_check "server: exit 0 on the script's SIGTERM" test $? -eq 0
fi
t_done
