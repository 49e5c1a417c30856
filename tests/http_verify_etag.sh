#!/bin/bash
# End to end: the verifier's answers carry an ETag computed from their
# bytes (checked against the same hash written again in Python), a Cache-Control that
# depends on the verdict (VALID: public, max-age=60; REVOKED, SUPERSEDED:
# no-cache; UNKNOWN, FORGED: no-store), and a 304 without a body when
# If-None-Match names the tag (also weak, in a list, or "*"). After a
# revocation the old tag no longer matches, so a cache that revalidates
# gets the new answer.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/http-lib.bash"

t_check "fixture: documents in every state" fixture
t_check "server starts" srv_start main -- --rate-limit 0

hdr() { printf '%s\n' "$HDR" | sed -n "s/^$1: //Ip" | head -n1; }
# body_tag FILE: the file's tag as src/http/etag.c defines it, computed
# here again from that definition: 64-bit little-endian words folded into
# four lanes, the tail into the second, then mixed with the length.
body_tag() {
	python3 - "$1" <<'PY'
import sys
M = (1 << 64) - 1
def fold(h, w):
    h = ((h ^ w) * 0x9e3779b97f4a7c15) & M
    return h ^ (h >> 32)
def mix(k):
    k ^= k >> 30; k = (k * 0xbf58476d1ce4e5b9) & M
    k ^= k >> 27; k = (k * 0x94d049bb133111eb) & M
    return k ^ (k >> 31)
b = open(sys.argv[1], "rb").read()
lane = [1, 2, 3, 4]
i = 0
while i + 32 <= len(b):
    for l in range(4):
        lane[l] = fold(lane[l], int.from_bytes(b[i + 8 * l:i + 8 * l + 8], "little"))
    i += 32
while i + 8 <= len(b):
    lane[0] = fold(lane[0], int.from_bytes(b[i:i + 8], "little"))
    i += 8
lane[1] = fold(lane[1], int.from_bytes(b[i:], "little"))
h = mix(len(b))
for l in lane:
    h = mix(h ^ l)
print('"%016x"' % h)
PY
}

V_TOK=$(token_of "$VALID")
for route in api/v1/verify V; do
	u="$URL/$route/$V_TOK"
	req "$u"
	tag=$(hdr ETag)
	t_grep "/$route valid: 200" '^200$' "$CODE"
	t_grep "/$route valid: ETag is a quoted 64-bit hex" '^"[0-9a-f]{16}"$' "$tag"
	t_grep "/$route valid: ETag is the body's hash (etag.c, again in Python)" "^$(body_tag "$T_TMP/body")\$" "$tag"
	t_grep "/$route valid: public, max-age=60" '^public, max-age=60$' "$(hdr Cache-Control)"
	: >"$T_TMP/body" # curl writes nothing for an empty body
	req -H "If-None-Match: $tag" "$u"
	t_grep "/$route If-None-Match: 304" '^304$' "$CODE"
	t_check "/$route 304: no body" test ! -s "$T_TMP/body"
	t_grep "/$route 304: the same ETag" "^$tag\$" "$(hdr ETag)"
	t_grep "/$route 304: the same Cache-Control" '^public, max-age=60$' "$(hdr Cache-Control)"
	req -H "If-None-Match: W/$tag" "$u"
	t_grep "/$route weak tag: 304" '^304$' "$CODE"
	req -H "If-None-Match: \"0000000000000000\", $tag" "$u"
	t_grep "/$route tag in a list: 304" '^304$' "$CODE"
	req -H 'If-None-Match: *' "$u"
	t_grep "/$route *: 304" '^304$' "$CODE"
	req -H 'If-None-Match: "0000000000000000"' "$u"
	t_grep "/$route another tag: 200" '^200$' "$CODE"
	t_grep "/$route another tag: the whole answer" 'VALID|SAH' "$BODY"
	req -H "If-None-Match: ${tag:1:16}" "$u"
	t_grep "/$route unquoted tag: 200" '^200$' "$CODE"
	eval "TAG_${route//[^a-zA-Z]/_}=\$tag"
done
t_check "JSON and page have different tags" test "$TAG_api_v__verify" != "$TAG_V"

# state_cc DESC TOKEN WANT: the Cache-Control of both routes.
state_cc() {
	req "$URL/api/v1/verify/$2"
	t_grep "$1 JSON: Cache-Control $3" "^$3\$" "$(hdr Cache-Control)"
	t_grep "$1 JSON: ETag" '^"[0-9a-f]{16}"$' "$(hdr ETag)"
	req "$URL/V/$2"
	t_grep "$1 page: Cache-Control $3" "^$3\$" "$(hdr Cache-Control)"
}
state_cc revoked "$(token_of "$REVOKED")" no-cache
state_cc superseded "$(token_of "$SUPERSEDED")" no-cache
state_cc forged "${V_TOK:0:143}$([ "${V_TOK: -1}" = A ] && echo B || echo A)" no-store
state_cc malformed not-a-token no-store
# UNKNOWN: a well-signed token from a copy of the office.
cp -a "$TERBIT_DATA" "$T_TMP/other"
free=$(echo $FREE_CASES | cut -d' ' -f1)
OTHER=$(TERBIT_DATA="$T_TMP/other" "$TERBIT" issue "$free" letter --by dinsos)
state_cc unknown "$(sqlite3 "$T_TMP/other/terbit.db" "SELECT token FROM documents WHERE serial = '$OTHER'")" no-store
req -H "If-None-Match: $(body_tag /dev/null)" "$URL/V/$(token_of "$REVOKED")"
req -H "If-None-Match: $(hdr ETag)" "$URL/V/$(token_of "$REVOKED")"
t_grep "revoked page revalidated: 304" '^304$' "$CODE"

# A revocation changes the bytes, so the old tag gets the new answer.
t_run 0 "CLI revokes the valid letter" "$TERBIT" revoke "$VALID" --reason "uji etag" --by dinsos
req -H "If-None-Match: $TAG_api_v__verify" "$URL/api/v1/verify/$V_TOK"
t_grep "old JSON tag after revocation: 200" '^200$' "$CODE"
t_grep "old JSON tag after revocation: REVOKED" '"state":"REVOKED"' "$BODY"
t_grep "revoked JSON: no-cache" '^no-cache$' "$(hdr Cache-Control)"
t_check "revoked JSON: a new tag" test "$(hdr ETag)" != "$TAG_api_v__verify"
req -H "If-None-Match: $TAG_V" "$URL/V/$V_TOK"
t_grep "old page tag after revocation: DICABUT" '<div class="w">DICABUT</div>' "$BODY"

# Other answers keep the server's default.
req "$URL/healthz"
t_check "healthz: no ETag" test -z "$(hdr ETag)"
t_grep "healthz: no-store" '^no-store$' "$(hdr Cache-Control)"

srv_stop
t_grep "server: exit 0 on SIGTERM" '^0$' "$STOP_RC"
t_check "no sanitizer report" bash -c "! grep -Eq 'Sanitizer|runtime error' '$T_TMP/main.err'"
t_done
