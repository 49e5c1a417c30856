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

# The clerk's page in a browser driven by Selenium: the time of the
# check, the NIK form filled and sent as a person would (no script on the
# page), cocok and tidak cocok, the superseded letter's new number;
# screenshots at 360 and 1280 px (into samples/ui/ with TERBIT_SAMPLES=1).
source "$(dirname "$0")/web-lib.bash"
web_needs
UI=$T_TMP
[ -n "${TERBIT_SAMPLES:-}" ] && UI=$ROOT/samples/ui && mkdir -p "$UI"
nik=$(db "SELECT nik FROM documents WHERE serial = '$VALID'")
other=$(db "SELECT nik FROM residents WHERE nik <> '$nik' LIMIT 1")
t_py - "$URL" "$UI" "$(token_of "$VALID")" "$(token_of "$REVOKED")" \
	"$(token_of "$SUPERSEDED")" "$(db "SELECT number FROM documents WHERE serial = '$NEW'")" \
	"$nik" "$other" <<'PY'
import re, sys
from browser import Browser, check, done
url, ui, valid, revoked, superseded, new_number, nik, other = sys.argv[1:]
b = Browser(url, width=360)
try:
    def shot(name):
        for w in (360, 1280):
            b.shot("%s/verifikasi-%s-%d.png" % (ui, name, w), w)
        b.d.set_window_size(360, 900)
    b.open("/V/" + valid)
    check("valid: SAH", b.text(".w") == "SAH", b.text(".w"))
    check("valid: the time of the check",
          re.search(r"Diperiksa \d{1,2} \w+ \d{4} pukul \d\d\.\d\d WIB", b.text(".t")),
          b.text(".t"))
    shot("sah")
    b.fill(nik=nik).submit()
    check("the form sent by the browser: NIK COCOK", b.text(".rw") == "NIK COCOK",
          b.text(".rw"))
    check("the verdict stays on the answer", b.text(".w") == "SAH")
    check("the field comes back empty",
          b.d.find_element("name", "nik").get_attribute("value") == "")
    check("the typed NIK is nowhere on the page", nik not in b.d.page_source)
    shot("nik-cocok")
    b.fill(nik=other).submit()
    check("another NIK: NIK TIDAK COCOK", b.text(".rw") == "NIK TIDAK COCOK",
          b.text(".rw"))
    shot("nik-tidak-cocok")
    b.open("/V/" + revoked)
    check("revoked: DICABUT", b.text(".w") == "DICABUT")
    shot("dicabut")
    b.open("/V/" + superseded)
    check("superseded: DIGANTI", b.text(".w") == "DIGANTI")
    check("superseded: the new letter's number", new_number in b.body(), b.body())
    shot("diganti")
    check("no CSP refusal", not b.csp_refusals(), b.csp_refusals())
finally:
    b.close()
done()
PY
srv_stop
t_grep "server: exit 0 on SIGTERM" '^0$' "$STOP_RC"
t_done
