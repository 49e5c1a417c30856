#!/bin/bash
# `terbit verify URL` names a foreign host (issue 11). A real token inside
# a URL of another host is a QR code someone made to send people to their
# own page: the verdict stays the token's (VALID, exit 0), but stderr
# warns in Indonesian and --json says "host_mismatch": true. The office's
# host is the policy's verifier_host, or TERBIT_VERIFIER_HOST.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/issue-setup.bash"

unset TERBIT_VERIFIER_HOST
issue_setup 1 || { t_fail "set-up of an approved case"; t_done; exit 1; }
S=$("$TERBIT" issue 1 letter --by ds)
TOKEN=$(sqlite3 "$TERBIT_DATA/terbit.db" "SELECT token FROM documents WHERE serial = '$S'")
t_check "a letter and its token" test -n "$TOKEN"

t_run 0 "a foreign host: still VALID by the token" "$TERBIT" verify "https://evil.example/v/$TOKEN"
t_grep "a foreign host: VALID on stdout" '^VALID' "$OUT"
t_grep "a foreign host: the warning names both hosts" \
	'^PERINGATAN: kode ini menunjuk ke host evil\.example, bukan SPM\.BANYUWANGIKAB\.GO\.ID$' "$ERR"
t_run 0 "a foreign host, --json" "$TERBIT" verify "HTTPS://EVIL.EXAMPLE:8443/V/$TOKEN" --json
t_check "--json: host_mismatch true and the host" python3 -c '
import json, sys
v = json.loads(sys.argv[1])
assert v["state"] == "VALID" and v["host_mismatch"] is True and v["host"] == "EVIL.EXAMPLE:8443", v' "$OUT"

t_run 0 "the office's host, in lower case" "$TERBIT" verify "https://spm.banyuwangikab.go.id/v/$TOKEN" --json
t_check "office host: no warning" test -z "$ERR"
t_check "office host: no host_mismatch" python3 -c '
import json, sys
v = json.loads(sys.argv[1]); assert "host_mismatch" not in v and v["state"] == "VALID", v' "$OUT"
t_run 0 "a bare token" "$TERBIT" verify "$TOKEN"
t_check "bare token: no warning" test -z "$ERR"
t_run 0 "TERBIT_VERIFIER_HOST names the host" env TERBIT_VERIFIER_HOST=evil.example "$TERBIT" verify "https://evil.example/v/$TOKEN"
t_check "that host: no warning" test -z "$ERR"
t_run 0 "TERBIT_VERIFIER_HOST, another host" env TERBIT_VERIFIER_HOST=127.0.0.1:8080 "$TERBIT" verify "https://evil.example/v/$TOKEN"
t_grep "the warning names the configured host" 'bukan 127\.0\.0\.1:8080$' "$ERR"
"$TERBIT" revoke "$S" --reason "data keliru" --by ds >/dev/null
t_run 11 "a revoked token under a foreign host: REVOKED's exit code" "$TERBIT" verify "https://evil.example/v/$TOKEN"
t_grep "revoked: still warned" '^PERINGATAN: kode ini menunjuk ke host evil\.example' "$ERR"
t_done
