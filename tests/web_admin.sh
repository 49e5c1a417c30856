#!/bin/bash
# End to end: the administrator's pages, in a real browser
# (tests/web/browser.py) and with curl, against the real `terbit serve`
# and a demo database.
#   - adding a user: a bad region refused beside its field with what was
#     typed kept; markup, quotes, an RTL override and emoji in the fields
#     come back escaped; the API token shown once works on the API, is in
#     no later page and in no log; a reload (the form sent again) shows no
#     token;
#   - a new token: shown once, the old one stops at once (401);
#   - a password reset: the one-time password works once and sends every
#     page to /sandi until it is changed;
#   - disabling: the user's open session (another cookie jar) and API
#     token stop at once;
#   - the other roles: 403 on /admin/* with an access.denied audit row;
#   - forms without their CSRF token: 403, the database dump unchanged;
#   - the keys page, the admin's home, the faskes home; pages under 30 KB;
#   - the users page at 360 and 1280 px (samples/ui/ with TERBIT_SAMPLES=1).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/http-lib.bash"
source "$(dirname "$0")/web-lib.bash"
web_needs

# signin NAME PASSWORD: curl sign-in; the session id in SID, the page's
# CSRF token in CSRF.
signin() {
	req -d "name=$1&password=$2" "$URL/masuk"
	SID=$(printf '%s\n' "$HDR" | sed -n 's/^Set-Cookie: terbit_sid=\([^;]*\);.*/\1/p')
	req -b "terbit_sid=$SID" "$URL/"
	CSRF=$(printf '%s' "$BODY" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n1)
}
secret_of() { printf '%s' "$1" | sed -n 's/.*<code id="secret">\([^<]*\)<.*/\1/p'; }
audit_count() { db "SELECT count(*) FROM audit WHERE action = '$1'"; }

PW_ADMIN="admin-rahasia-2026"
PW_DINKES="dinkes-rahasia-2026"
PW_FASKES="faskes-rahasia-2026"
"$TERBIT" init >/dev/null && "$TERBIT" demo-data --residents 200 --seed 7 >/dev/null
t_check "a demo database" test $? -eq 0
for u in admin:$PW_ADMIN dinkes:$PW_DINKES faskes:$PW_FASKES; do
	echo "${u#*:}" | "$TERBIT" user passwd "${u%%:*}" >/dev/null
done
t_check "server starts" srv_start web -- --rate-limit 0

# ---- signed in as admin (curl) -------------------------------------------
signin admin "$PW_ADMIN"
ADMIN_SID=$SID ADMIN_CSRF=$CSRF
t_grep "admin's home: users by role" 'Pengguna aktif per peran' "$BODY"
t_grep "... with the count of village operators" '<td>Operator Desa</td><td class="num">[0-9]+</td>' "$BODY"
t_grep "... links to both pages" 'href="/admin/kunci"' "$BODY"
A=(-b "terbit_sid=$ADMIN_SID")
req "${A[@]}" "$URL/admin/pengguna"
t_grep "users page: 200" '^200$' "$CODE"
t_grep "users page: not cached" 'Cache-Control: no-store' "$HDR"
t_grep "users page: a village operator with role label and region" \
	'desa-3510012001</a></td>.<td>Operator Desa</td>.<td>35.10.01.2001</td>' "$(printf '%s' "$BODY" | tr '\n' '.')"
t_grep "users page: status as a pill with its word" '<span class="pill ok">Aktif</span>' "$BODY"
t_check "users page under 30 KB" test "$(stat -c %s "$T_TMP/body")" -lt 30720
t_grep "users page: 50 a page, a next page" 'href="/admin/pengguna\?hal=2"' "$BODY"
req "${A[@]}" "$URL/admin/pengguna?hal=3"
t_grep "page 3: a previous page" 'hal=2">Sebelumnya' "$BODY"
req "${A[@]}" "$URL/admin/pengguna/tidak-ada"
t_grep "an unknown user: 404" '^404$' "$CODE"
req "${A[@]}" "$URL/admin/kunci"
t_grep "keys page: the PDF signer's subject" 'CN=Dinas Sosial Kabupaten Banyuwangi' "$BODY"
kid=$("$TERBIT" keys list | awk '$1 == "pdf" { print $2 }')
t_grep "keys page: the kid terbit keys list shows" "<code>$kid</code>" "$BODY"
t_grep "keys page: expiry in Indonesian, ISO in title" 'title="20[0-9]{2}-[0-9]{2}-[0-9]{2}">[0-9]+ [A-Z][a-z]+ 20[0-9]{2}' "$BODY"
t_grep "keys page: the key in use marked" 'Dipakai sekarang' "$BODY"

# ---- other roles: 403 and the audit row -----------------------------------
signin dinkes "$PW_DINKES"
DINKES_SID=$SID DINKES_CSRF=$CSRF
denied=$(audit_count access.denied)
for p in /admin/pengguna /admin/kunci /admin/pengguna/admin; do
	req -b "terbit_sid=$DINKES_SID" "$URL$p"
	t_grep "dinkes: $p is 403" '^403$' "$CODE"
done
t_grep "... the Indonesian 403 page" 'Akses ditolak' "$BODY"
req -b "terbit_sid=$DINKES_SID" -d "csrf=$DINKES_CSRF" "$URL/admin/pengguna/dinkes/token"
t_grep "dinkes: making itself a token is 403" '^403$' "$CODE"
t_check "... each refusal wrote an access.denied row" \
	test "$(audit_count access.denied)" -eq $((denied + 4))
t_grep "... naming dinkes and the path" 'dinkes\|dinkes\|GET /admin/kunci' \
	"$(db "SELECT actor || '|' || role || '|' || note FROM audit WHERE action = 'access.denied'")"
signin faskes "$PW_FASKES"
t_grep "faskes home points to the public verifier" 'pindai kode QR' "$BODY"
req -b "terbit_sid=$SID" "$URL/admin/pengguna"
t_grep "faskes: /admin/pengguna is 403" '^403$' "$CODE"

# ---- CSRF: 403 and nothing written ------------------------------------------
before=$(t_dbdump)
req "${A[@]}" -d "name=tanpa-token&role=dinkes&region=" "$URL/admin/pengguna/baru"
t_grep "add user without CSRF token: 403" '^403$' "$CODE"
req "${A[@]}" -d "csrf=0123456789abcdef0123456789abcdef" "$URL/admin/pengguna/dinkes/nonaktifkan"
t_grep "disable with a wrong CSRF token: 403" '^403$' "$CODE"
req "${A[@]}" "$URL/admin/pengguna/dinkes/sandi" -d ""
t_grep "password reset without CSRF token: 403" '^403$' "$CODE"
req "${A[@]}" -d "csrf=$DINKES_CSRF" "$URL/admin/pengguna/dinkes/token"
t_grep "new token with another session's CSRF token: 403" '^403$' "$CODE"
t_check "the refused forms changed nothing in the database" test "$before" = "$(t_dbdump)"
t_check "no token shown on a refusal" test -z "$(secret_of "$BODY")"

# ---- escaping: what is typed comes back escaped ------------------------------
EVIL=$'<script>alert(1)</script>"\'&\u202e\U0001F600'
req "${A[@]}" --data-urlencode "csrf=$ADMIN_CSRF" --data-urlencode "name=$EVIL" \
	--data-urlencode "role=desa" --data-urlencode "region=$EVIL" "$URL/admin/pengguna/baru"
t_grep "markup as a user name: 422" '^422$' "$CODE"
t_grep "... the name refused beside its field" 'id="name-err">Nama pengguna 1 sampai 63' "$BODY"
t_grep "... the region refused beside its field" 'id="region-err">' "$BODY"
t_check "... no raw markup came back" bash -c "! grep -q '<script>alert' '$T_TMP/body'"
t_grep "... the typed name kept, escaped" \
	'value="&lt;script&gt;alert\(1\)&lt;/script&gt;&quot;&#39;&amp;' "$BODY"
t_grep "... RTL override and emoji kept as typed inside the attribute" $'\u202e\U0001F600"' "$BODY"
t_grep "... the chosen role kept" '<option value="desa" selected>' "$BODY"
t_check "... nothing added" test "$before" = "$(t_dbdump)"

# ---- the browser: add a user, see the token once, reset a password -------------
SHOTS=$T_TMP
[ -n "${TERBIT_SAMPLES:-}" ] && SHOTS=$ROOT/samples/ui && mkdir -p "$SHOTS"
t_py "$URL" "$PW_ADMIN" "$SHOTS" <<'EOF'
import sys
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from browser import Browser, check, done
url, pw, shots = sys.argv[1:4]
b = Browser(url)
try:
    b.open("/masuk")
    b.fill(name="admin", password=pw).submit()
    check("browser: admin's home", b.h1() == "Beranda", b.h1())
    b.open("/admin/pengguna")
    check("browser: users page", b.h1() == "Pengguna", b.h1())
    b.shot(shots + "/admin-pengguna-1280.png", 1280)
    b.shot(shots + "/admin-pengguna-360.png", 360)
    b.d.set_window_size(1280, 900)
    b.open("/admin/pengguna/baru")
    b.fill(name="ani-desa", region="35.10.05.9999")
    Select(b.d.find_element(By.NAME, "role")).select_by_value("desa")
    b.submit()
    check("browser: unknown village refused beside the field",
          "tidak ada dalam data wilayah" in b.text("#region-err"), b.body()[:300])
    reg = b.d.find_element(By.NAME, "region")
    check("browser: the error is linked to the input",
          "region-err" in (reg.get_attribute("aria-describedby") or ""))
    check("browser: typed values kept",
          b.d.find_element(By.NAME, "name").get_attribute("value") == "ani-desa"
          and reg.get_attribute("value") == "35.10.05.9999"
          and Select(b.d.find_element(By.NAME, "role")).first_selected_option.get_attribute("value") == "desa")
    b.fill(region="35.10.05.2001").submit()
    check("browser: user added, token page", b.h1() == "Pengguna ani-desa ditambahkan", b.h1())
    token = b.text("#secret")
    check("browser: a 43-character API token shown", len(token) == 43, token)
    check("browser: it says it is shown once", "satu kali" in b.body())
    check("browser: the answer to the POST itself, no redirect",
          b.path() == "/admin/pengguna/baru", b.path())
    b.shot(shots + "/admin-token-360.png", 360)
    b.d.set_window_size(1280, 900)
    print("TOKEN " + token)
    b.open("/admin/pengguna/ani-desa")
    check("browser: the user's page", b.h1() == "Pengguna ani-desa", b.h1())
    check("browser: the token is not on it", token not in b.d.page_source)
    b.submit(form_action="/admin/pengguna/ani-desa/sandi")
    onetime = b.text("#secret")
    check("browser: a one-time password shown", len(onetime) == 14, onetime)
    check("browser: the user must change it", "Wajib ganti sandi" in b.body() or "wajib" in b.body())
    print("ONETIME " + onetime)
    errs = b.csp_refusals()
    check("browser: the CSP refused nothing", not errs, errs)
finally:
    b.close()
done()
EOF
TOKEN=$(sed -n 's/^TOKEN //p' "$T_TMP/py.out")
ONETIME=$(sed -n 's/^ONETIME //p' "$T_TMP/py.out")
t_check "the browser read a token and a one-time password" test ${#TOKEN} -eq 43 -a ${#ONETIME} -eq 14
t_grep "the new user is stored with its village" '^desa\|3510052001\|0\|1$' \
	"$(db "SELECT role || '|' || region || '|' || disabled || '|' || must_change_password FROM users WHERE name = 'ani-desa'")"
req -H "Authorization: Bearer $TOKEN" "$URL/api/v1/cases"
t_grep "the token shown once works on the API" '^200$' "$CODE"
t_check "... it is in no log the server wrote" \
	bash -c "! grep -qF -- '$TOKEN' '$T_TMP/web.out' '$T_TMP/web.err'"
t_check "... nor in the database" bash -c "! sqlite3 '$TERBIT_DATA/terbit.db' .dump | grep -qF -- '$TOKEN'"
t_grep "audit: user.add by admin" '^admin\|user:ani-desa$' \
	"$(db "SELECT actor || '|' || object FROM audit WHERE action = 'user.add' ORDER BY id DESC LIMIT 1")"

# A reload of the confirmation sends the form again: no second token.
req "${A[@]}" -d "csrf=$ADMIN_CSRF&name=ani-desa&role=desa&region=3510052001" "$URL/admin/pengguna/baru"
t_grep "the add form sent again: 422" '^422$' "$CODE"
t_grep "... name taken, beside the field" 'id="name-err">Nama pengguna ini sudah dipakai' "$BODY"
t_check "... and no token" test -z "$(secret_of "$BODY")"

# ---- a new token: shown once, the old one stops ------------------------------------
tokens=$(audit_count user.token.new)
req "${A[@]}" -d "csrf=$ADMIN_CSRF" "$URL/admin/pengguna/ani-desa/token"
t_grep "new token: 200, the answer itself" '^200$' "$CODE"
t_grep "... no-store" 'Cache-Control: no-store' "$HDR"
TOKEN2=$(secret_of "$BODY")
t_check "... a new 43-character token" test ${#TOKEN2} -eq 43 -a "$TOKEN2" != "$TOKEN"
req -H "Authorization: Bearer $TOKEN" "$URL/api/v1/cases"
t_grep "the old token: 401 at once" '^401$' "$CODE"
req -H "Authorization: Bearer $TOKEN2" "$URL/api/v1/cases"
t_grep "the new token: 200" '^200$' "$CODE"
t_check "audit: user.token.new" test "$(audit_count user.token.new)" -eq $((tokens + 1))

# ---- the one-time password: once, then /sandi ----------------------------------------
NEWPW="ani-sandi-baru-2026"
t_py "$URL" "$ONETIME" "$NEWPW" <<'EOF'
import sys
from browser import Browser, check, done
url, onetime, newpw = sys.argv[1:4]
b = Browser(url)
try:
    b.open("/masuk")
    b.fill(name="ani-desa", password=onetime).submit()
    check("browser: the one-time password signs in, to /sandi", b.path() == "/sandi", b.path())
    b.open("/")
    check("browser: home held back until the change", b.path() == "/sandi", b.path())
    b.fill(old=onetime, new=newpw, again=newpw).submit()
    check("browser: password changed, home", b.h1() == "Beranda", b.path())
finally:
    b.close()
done()
EOF
req -d "name=ani-desa&password=$ONETIME" "$URL/masuk"
t_grep "the one-time password works only once" '^422$' "$CODE"
t_grep "audit: user.password.reset by admin" '^admin\|user:ani-desa$' \
	"$(db "SELECT actor || '|' || object FROM audit WHERE action = 'user.password.reset' ORDER BY id DESC LIMIT 1")"

# ---- disable: the open session and the token stop at once ------------------------------
signin ani-desa "$NEWPW"
ANI_SID=$SID
req -b "terbit_sid=$ANI_SID" "$URL/"
t_grep "ani-desa signed in (another cookie jar)" '<h1>Beranda</h1>' "$BODY"
req "${A[@]}" -d "csrf=$ADMIN_CSRF" "$URL/admin/pengguna/ani-desa/nonaktifkan"
t_grep "disable: 303 (POST, redirect, GET)" '^303$' "$CODE"
t_grep "... to the user's page with a fixed notice" 'Location: /admin/pengguna/ani-desa\?ok=nonaktif$' "$HDR"
req "${A[@]}" "$URL/admin/pengguna/ani-desa?ok=nonaktif"
t_grep "... which says what happened" 'sudah dinonaktifkan' "$BODY"
t_grep "... and shows the state" '<span class="pill bad">Nonaktif</span>' "$BODY"
t_check "... and offers no more actions" bash -c "! grep -q '/token\"' '$T_TMP/body'"
req -b "terbit_sid=$ANI_SID" "$URL/"
t_grep "the disabled user's open session: 303 to /masuk" '^303$' "$CODE"
t_grep "... to the sign-in page" 'Location: /masuk$' "$HDR"
req -H "Authorization: Bearer $TOKEN2" "$URL/api/v1/cases"
t_grep "the disabled user's token: 401" '^401$' "$CODE"
req -d "name=ani-desa&password=$NEWPW" "$URL/masuk"
t_grep "the disabled user cannot sign in" '^422$' "$CODE"
req "${A[@]}" "$URL/admin/pengguna/admin"
t_check "an admin is not offered to disable themself" bash -c "! grep -q 'nonaktifkan\"' '$T_TMP/body'"
req "${A[@]}" -d "csrf=$ADMIN_CSRF" "$URL/admin/pengguna/admin/nonaktifkan"
t_grep "... and refused when they try (409)" '^409$' "$CODE"

for shot in admin-pengguna-360 admin-pengguna-1280; do
	t_check "screenshot $shot" test -s "$SHOTS/$shot.png"
done
srv_stop
t_grep "server: exit 0 on SIGTERM" '^0$' "$STOP_RC"
t_done
