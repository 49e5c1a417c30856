#!/bin/bash
# Accounts from the CLI: `user passwd` reads stdin and refuses weak
# passwords with the Indonesian reason (nothing changes), `user
# reset-password` prints a one-time password and sets must-change,
# `user token` replaces the API token, `user disable` stops the token at
# once; each is audited as the console; `demo-data --passwords` gives
# every demo user its role's password.
source "$(dirname "$0")/lib.sh"

db="$TERBIT_DATA/terbit.db"
q() { sqlite3 "$db" "$1"; }

"$TERBIT" init >/dev/null
TOK=$("$TERBIT" user add budi --role dinsos)

# refused EXIT DESC MESSAGE STDIN -- CMD...: fails with EXIT and MESSAGE,
# changes nothing.
refused() {
	local want=$1 desc=$2 msg=$3 input=$4; shift 5
	local before after
	before=$(t_dbdump)
	t_run "$want" "$desc: exit $want" bash -c '"$@" <<<"$0"' "$input" "$@"
	t_grep "$desc: message" "$msg" "$ERR"
	after=$(t_dbdump)
	if [ "$before" = "$after" ]; then t_ok "$desc: database unchanged"
	else t_fail "$desc: database changed"; fi
}

refused 2 "short password" "Kata sandi minimal 10 karakter" "pendek" -- "$TERBIT" user passwd budi
refused 2 "common password" "terlalu umum" "Banyuwangi123" -- "$TERBIT" user passwd budi
"$TERBIT" user add budi-sekali --role dinkes >/dev/null
refused 2 "password = name" "sama dengan nama pengguna" "BUDI-SEKALI" -- "$TERBIT" user passwd budi-sekali
refused 3 "unknown user" "pengguna siapa tidak dikenal" "kopi-tubruk-pagi" -- "$TERBIT" user passwd siapa
t_run 2 "no password on stdin" "$TERBIT" user passwd budi </dev/null

t_run 0 "passwd from stdin" bash -c 'printf "kopi-tubruk-pagi\n" | "$0" user passwd budi' "$TERBIT"
t_grep "passwd: stored as scrypt" '^\$scrypt\$ln=15,r=8,p=1\$[0-9a-f]{32}\$[0-9a-f]{64}$' "$(q "SELECT password_hash FROM users WHERE name = 'budi'")"
t_check "passwd: the password itself is nowhere in the database" \
	bash -c '! grep -q kopi-tubruk "$0"' "$db"
t_grep "passwd: audited" "console\|admin\|user.password\|user:budi" "$(q "SELECT actor, role, action, object FROM audit WHERE action = 'user.password'")"

t_run 0 "reset-password" "$TERBIT" user reset-password budi
t_grep "reset: one-time password printed" '^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$' "$OUT"
t_grep "reset: must change at next sign-in" '^1$' "$(q "SELECT must_change_password FROM users WHERE name = 'budi'")"
t_grep "reset: audited" "user.password.reset" "$(q "SELECT action FROM audit WHERE object = 'user:budi'")"

t_run 0 "token" "$TERBIT" user token budi
NEW=$OUT
t_grep "token: 43 characters" '^[A-Za-z0-9_-]{43}$' "$NEW"
sha() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
t_grep "token: the new one is stored as its hash" "^$(sha "$NEW")$" "$(q "SELECT token_sha256 FROM users WHERE name = 'budi'")"
t_check "token: the old one is gone" test "$(sha "$TOK")" != "$(q "SELECT token_sha256 FROM users WHERE name = 'budi'")"

t_run 3 "disable unknown user" "$TERBIT" user disable siapa
t_run 0 "disable" "$TERBIT" user disable budi
t_grep "disable: flag set" '^1$' "$(q "SELECT disabled FROM users WHERE name = 'budi'")"
t_run 4 "disabled user cannot act (--by)" "$TERBIT" case list --by budi
t_grep "disabled user: message" "dinonaktifkan" "$ERR"
t_grep "every admin operation audited as the console" '^4$' \
	"$(q "SELECT count(*) FROM audit WHERE actor = 'console' AND action IN ('user.password', 'user.password.reset', 'user.token.new', 'user.disable')")"

# Demo data with passwords: every user, its role's password.
export TERBIT_DATA="$T_TMP/demo"
db="$TERBIT_DATA/terbit.db"
"$TERBIT" init >/dev/null
t_run 0 "demo-data --passwords" "$TERBIT" demo-data --residents 100 --passwords
t_grep "demo: passwords file named" "demo-passwords.txt" "$OUT"
t_grep "demo: dinsos's password listed" "^dinsos	dinsos	dinsos-contoh-2026$" "$(cat "$TERBIT_DATA/demo-passwords.txt")"
t_grep "demo: every user has a password" "^0$" "$(q "SELECT count(*) FROM users WHERE password_hash IS NULL")"
t_grep "demo: one line per user" "^$(q "SELECT count(*) FROM users")$" "$(wc -l <"$TERBIT_DATA/demo-passwords.txt")"

# An optional expiry on a new token: stored, in the audit note; bad
# values refused before anything changes.
"$TERBIT" user add tono --role dinkes >/dev/null
refused 2 "--expires 0" "--expires harus jumlah hari" "" -- "$TERBIT" user token tono --expires 0
refused 2 "--expires -1" "--expires harus jumlah hari" "" -- "$TERBIT" user token tono --expires -1
refused 2 "--expires 7d" "--expires harus jumlah hari" "" -- "$TERBIT" user token tono --expires 7d
refused 2 "--expires past the maximum" "--expires harus jumlah hari" "" -- "$TERBIT" user token tono --expires 3651
t_run 0 "user token --expires 30" "$TERBIT" user token tono --expires 30
t_grep "token --expires: 43 characters" '^[A-Za-z0-9_-]{43}$' "$OUT"
left=$(q "SELECT token_expires_at - CAST(strftime('%s','now') AS INTEGER) FROM users WHERE name = 'tono'")
t_check "token --expires 30: expires in 30 days ($left s)" test "$left" -gt $((30 * 86400 - 120)) -a "$left" -le $((30 * 86400))
t_grep "token --expires: audited with the day" 'berlaku 30 hari, sampai [0-9]{4}-[0-9]{2}-[0-9]{2} UTC' "$(q "SELECT note FROM audit WHERE action = 'user.token.new' ORDER BY id DESC LIMIT 1")"
t_run 0 "user token without --expires" "$TERBIT" user token tono
t_check "token without --expires: no expiry" test -z "$(q "SELECT token_expires_at FROM users WHERE name = 'tono'")"

t_done
