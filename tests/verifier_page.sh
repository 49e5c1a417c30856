#!/bin/bash
# End to end: the verifier page in a real browser. Headless Chromium
# (Debian package chromium, installed here when missing: it is too big to
# install for every build) opens the page of a valid and a revoked
# document at a phone's size, 390x844; the rendered text must say SAH /
# DICABUT, and screenshots are taken (into samples/verifier-valid.png and
# samples/verifier-revoked.png with TERBIT_SAMPLES=1, so that an ordinary
# test run leaves the committed samples alone). No Chromium and no way to install it is a
# failure, never a silent pass.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/http-lib.bash"

need_chromium() {
	command -v chromium >/dev/null 2>&1 && return 0
	local sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo -n"
	echo "installing chromium (apt-get)" >&2
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends chromium fonts-dejavu-core >&2 ||
		{ $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 &&
		  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends chromium fonts-dejavu-core >&2; }
	command -v chromium >/dev/null 2>&1
}
if ! need_chromium; then
	t_fail "chromium is missing and could not be installed (apt-get install chromium)"
	t_done
	exit 1
fi
t_ok "chromium present ($(chromium --version 2>/dev/null | head -n1))"

# chrome OUT_ARGS... URL: one headless run with its own profile.
chrome() {
	local profile
	profile=$(mktemp -d "$T_TMP/profile.XXXXXX")
	timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking \
		--disable-component-update --disable-sync \
		--user-data-dir="$profile" --window-size=390,844 \
		--hide-scrollbars "$@" 2>>"$T_TMP/chromium.log"
}

t_check "fixture" fixture
t_check "server starts" srv_start main -- --rate-limit 0
SHOTS=$T_TMP
[ -n "${TERBIT_SAMPLES:-}" ] && SHOTS=$ROOT/samples && mkdir -p "$SHOTS"

for doc in valid:"$VALID":SAH revoked:"$REVOKED":DICABUT; do
	IFS=: read -r name serial word <<<"$doc"
	url="$URL/V/$(token_of "$serial")"
	dom=$(chrome --dump-dom "$url")
	t_grep "$name: the browser shows $word" "<div class=\"w\">$word</div>" "$dom"
	t_grep "$name: the browser shows the document kind" 'Surat Pernyataan Miskin' "$dom"
	t_grep "$name: masked NIK" '[0-9]{6}\*{6}[0-9]{4}' "$dom"
	shot="$SHOTS/verifier-$name.png"
	rm -f "$shot"
	chrome --screenshot="$shot" "$url" >/dev/null
	t_check "$name: screenshot written" test -s "$shot"
	t_grep "$name: screenshot is 390x844" '390 x 844' "$(file "$shot")"
done
req "$URL/V/not-a-token"
t_grep "a bad code: TIDAK SAH" 'TIDAK SAH' "$BODY"
t_check "the browser made no request past the page (CSP holds)" \
	bash -c "! grep -q 'Refused to' '$T_TMP/chromium.log'"
srv_stop
t_grep "server: exit 0 on SIGTERM" '^0$' "$STOP_RC"
t_done
