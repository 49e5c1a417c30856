#!/bin/bash
# End to end: the verification lane (serve --verify-listen), terbit's own
# HTTP/1.1 reader for the verifier's public routes, beside the main
# listener on libmicrohttpd.
#  - Same answers: for a valid, revoked, superseded and forged token, the
#    lane's JSON and page bodies and headers (Date aside) are the main
#    listener's; so are HEAD, the 304 of If-None-Match, the status list,
#    the public keys, the offline worker's files, and the NIK check by
#    form and by API.
#  - Only its rows: the staff API, the PDF upload and unknown paths are
#    404 there; another method on a lane path is 405 with the lane's Allow.
#  - Read as raw bytes: pipelined requests answered in order; HTTP/1.0;
#    no Host, a folded header, HTTP/2.0, a %00 or a raw space in the
#    target, a head over 8 KiB, a malformed Content-Length, a chunked
#    body, a body over 1 KiB: each one clean refusal (one status line)
#    and the connection closed; a small body on a route that takes none
#    is a 413 and the connection goes on; Expect: 100-continue is
#    answered.
#  - Limits: a head that trickles gets its 408 after header_timeout; an
#    idle connection is closed after timeout; max_per_ip holds; the
#    rate limit answers 429 with Retry-After.
#  - The access log names route patterns, never a token; SIGTERM ends
#    the server with 0; a bad --verify-listen is refused at start.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/http-lib.bash"
export PYTHONPATH="$(cd "$(dirname "$0")" && pwd)${PYTHONPATH:+:$PYTHONPATH}"

t_check "fixture: documents in every state" fixture

# lane_start NAME [VAR=value ...] [-- flags]: srv_start with a lane on a
# free port; LPORT, LURL.
lane_start() {
	local name=$1; shift
	srv_start "$name" "$@" || return 1
	for _ in $(seq 1 100); do
		LPORT=$(sed -n 's/^jalur verifikasi di port \([0-9][0-9]*\) .*/\1/p' \
			"$T_TMP/$name.out")
		[ -n "$LPORT" ] && { LURL="http://127.0.0.1:$LPORT"; return 0; }
		sleep 0.05
	done
	return 1
}

t_check "server with a lane starts" lane_start main \
	TERBIT_ACCESS_LOG="$T_TMP/access.log" -- --rate-limit 0 \
	--verify-listen 127.0.0.1:0
t_check "the lane has its own port" test "$LPORT" != "$PORT"

# same DESC ARGS... PATH: the request on both listeners; bodies and
# headers must be the same, but for Date, the page's time of the check
# (it may tick between the two), and Connection: close (libmicrohttpd's
# side closes after refusing a body it did not read; the lane reads a
# small body whole and goes on).
norm() {
	sed -e '/^Date: /d' -e '/^Connection: close/d' \
		-e 's/pukul [0-9.]* W[IT]*B//' "$@"
}
same() {
	local desc=$1; shift
	local path=${*: -1} args=("${@:1:$#-1}")
	req "${args[@]}" "$URL$path"
	local mcode=$CODE
	norm "$T_TMP/hdr" | tr -d '\r' >"$T_TMP/m.hdr"
	norm "$T_TMP/body" >"$T_TMP/m.body"
	req "${args[@]}" "$LURL$path"
	norm "$T_TMP/hdr" | tr -d '\r' >"$T_TMP/l.hdr"
	norm "$T_TMP/body" >"$T_TMP/l.body"
	t_check "$desc: same status ($mcode)" test "$mcode" = "$CODE"
	t_check "$desc: same headers" diff "$T_TMP/m.hdr" "$T_TMP/l.hdr"
	t_check "$desc: same body" cmp -s "$T_TMP/m.body" "$T_TMP/l.body"
}

V_TOK=$(token_of "$VALID")
FORGED=${V_TOK%?}$([ "${V_TOK: -1}" = A ] && echo B || echo A)
for s in VALID REVOKED SUPERSEDED CARD; do
	tok=$(token_of "${!s}")
	same "JSON, $s" "/api/v1/verify/$tok"
	same "page, $s" "/V/$tok"
	same "page by the lower-case path, $s" "/v/$tok"
done
same "JSON, forged" "/api/v1/verify/$FORGED"
same "page, forged" "/V/$FORGED"
same "page asked for as HTML" -H 'Accept: text/html' "/V/$V_TOK"
same "HEAD of the page" -I "/V/$V_TOK"
req "$LURL/V/$V_TOK"
tag=$(printf '%s\n' "$HDR" | sed -n 's/^ETag: //Ip')
: >"$T_TMP/body"
req -H "If-None-Match: $tag" "$LURL/V/$V_TOK"
t_grep "If-None-Match on the lane: 304" '^304$' "$CODE"
t_check "304: no body" test ! -s "$T_TMP/body"
same "status list" /.well-known/terbit/status
same "public keys" /.well-known/terbit/keys
same "offline worker" /V/sw.js
same "offline page" /V/offline.html
same "health" /healthz

nik=$(db "SELECT nik FROM documents WHERE serial = '$VALID'")
other=$(db "SELECT nik FROM residents WHERE nik <> '$nik' LIMIT 1")
same "NIK form, matching" -X POST -H 'Accept: text/html' --data-urlencode "nik=$nik" "/V/$V_TOK"
t_grep "NIK form on the lane: NIK COCOK" '<div class="rw">NIK COCOK</div>' "$BODY"
same "NIK form, spaced" -X POST --data-urlencode "nik=${nik:0:4} ${nik:4:12}" "/V/$V_TOK"
same "NIK form, another NIK" -X POST --data-urlencode "nik=$other" "/V/$V_TOK"
t_grep "NIK form on the lane: NIK TIDAK COCOK" '<div class="rw">NIK TIDAK COCOK</div>' "$BODY"
same "NIK API, JSON" -X POST -H 'Content-Type: application/json' \
	-d "{\"nik\":\"$nik\"}" "/api/v1/verify/$V_TOK/nik"
t_grep "NIK API on the lane: a match" '"match":true' "$BODY"
same "NIK API, text" -X POST -H 'Content-Type: text/plain' \
	--data-binary "$other" "/api/v1/verify/$V_TOK/nik"
same "NIK API, a type it does not take" -X POST -H 'Content-Type: text/csv' \
	--data-binary "$nik" "/api/v1/verify/$V_TOK/nik"
t_grep "wrong type: 415" '^415$' "$CODE"

req -H "Authorization: Bearer $(user_token dinsos)" "$LURL/api/v1/cases"
t_grep "staff API on the lane: 404" '^404$' "$CODE"
t_grep "staff API on the lane: said why" 'on this listener' "$BODY"
req -H "Authorization: Bearer $(user_token dinsos)" "$URL/api/v1/cases"
t_grep "... while the main listener serves it" '^200$' "$CODE"
req -X POST -H 'Content-Type: application/pdf' --data-binary @/dev/null "$LURL/api/v1/verify"
t_grep "PDF upload on the lane: 404" '^404$' "$CODE"
req "$LURL/masuk"
t_grep "a web page on the lane: 404" '^404$' "$CODE"
req -X DELETE "$LURL/V/$V_TOK"
t_grep "DELETE of a token: 405" '^405$' "$CODE"
t_grep "405: the lane's Allow" '^Allow: GET, HEAD, POST$' "$HDR"
req -X PUT "$LURL/.well-known/terbit/status"
t_grep "PUT of the status list: Allow GET, HEAD" '^Allow: GET, HEAD$' "$HDR"

# raw.py MODE PORT [ARG]: the socket work; prints what it saw.
cat >"$T_TMP/raw.py" <<'EOF'
import re, sys, time
mode, port = sys.argv[1], int(sys.argv[2])
arg = sys.argv[3] if len(sys.argv) > 3 else ""

from rawsock import conn as connect, read

def conn(src="127.0.0.1"):
    return connect(port, src)

def summary(out, closed):
    # A JSON body ends in a newline, and the next answer follows it.
    heads = re.findall(rb"(?:^|\n)HTTP/1\.1 ([0-9]{3}) ", out)
    print("statuses=" + ",".join(h.decode() for h in heads))
    print("closed=%d" % closed)
    print("close-header=%d" % (b"\r\nConnection: close\r\n" in out))
    for l in re.split(rb"\r\n|\n", out):
        if l.startswith(b"{"):
            print("body=" + l.decode(errors="replace"))

def one(data):
    s = conn()
    s.sendall(data)
    summary(*read(s))

H = b"Host: lane\r\n"
if mode == "pipelined":
    one(b"GET /healthz HTTP/1.1\r\n" + H + b"\r\n" +
        b"GET /api/v1/verify/" + arg.encode() + b" HTTP/1.1\r\n" + H + b"\r\n" +
        b"GET /nothing HTTP/1.1\r\n" + H + b"\r\n" +
        b"GET /healthz HTTP/1.1\r\n" + H + b"Connection: close\r\n\r\n")
elif mode == "http10":
    one(b"GET /healthz HTTP/1.0\r\n\r\n")
elif mode == "http10keep":
    one(b"GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n" +
        b"GET /healthz HTTP/1.0\r\n\r\n")
elif mode == "nulhead":
    one(b"GET /healthz HTTP/1.1\r\n" + H + b"X-A: a\0b\r\n\r\n")
elif mode == "nohost":
    one(b"GET /healthz HTTP/1.1\r\n\r\n")
elif mode == "folded":
    one(b"GET /healthz HTTP/1.1\r\n" + H + b"X-A: 1\r\n  2\r\n\r\n")
elif mode == "http2":
    one(b"GET /healthz HTTP/2.0\r\n" + H + b"\r\n")
elif mode == "nul":
    one(b"GET /V/" + arg.encode() + b"%00junk HTTP/1.1\r\n" + H + b"\r\n")
elif mode == "ctl":
    # A raw control byte or DEL at each place of the token's target, one
    # request a connection: every one refused, none answered for a token.
    t = b"/V/" + arg.encode()
    for i in range(1, len(t) + 1):
        for b in (b"\x01", b"\x1f", b"\x7f"):
            s = conn()
            s.sendall(b"GET " + t[:i] + b + t[i:] + b" HTTP/1.1\r\n" + H +
                      b"Connection: close\r\n\r\n")
            head, _ = read(s)
            print("status=" + head.split(b" ")[1].decode())
elif mode == "space":
    one(b"GET /V/a b HTTP/1.1\r\n" + H + b"\r\n")
elif mode == "bighead":
    one(b"GET /healthz HTTP/1.1\r\n" + H + b"X-Big: " + b"a" * 9000 + b"\r\n\r\n")
elif mode == "badlength":
    one(b"POST /api/v1/verify/x/nik HTTP/1.1\r\n" + H +
        b"Content-Type: application/json\r\nContent-Length: -1\r\n\r\n")
elif mode == "twolengths":
    one(b"POST /api/v1/verify/x/nik HTTP/1.1\r\n" + H +
        b"Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}")
elif mode == "chunked":
    one(b"POST /api/v1/verify/x/nik HTTP/1.1\r\n" + H +
        b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n")
elif mode == "hugebody":
    one(b"POST /api/v1/verify/x/nik HTTP/1.1\r\n" + H +
        b"Content-Type: application/json\r\nContent-Length: 6000000\r\n\r\n" + b"x" * 4000)
elif mode == "getbody":
    one(b"GET /healthz HTTP/1.1\r\n" + H + b"Content-Length: 5\r\n\r\nhello" +
        b"GET /healthz HTTP/1.1\r\n" + H + b"Connection: close\r\n\r\n")
elif mode == "expect":
    body = ('{"nik":"%s"}' % arg.split(":")[1]).encode()
    s = conn()
    s.sendall(b"POST /api/v1/verify/" + arg.split(":")[0].encode() + b"/nik HTTP/1.1\r\n" +
              H + b"Content-Type: application/json\r\nExpect: 100-continue\r\n" +
              b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n")
    first, _ = read(s, 1.0)
    print("interim=" + first.split(b"\r\n")[0].decode())
    s.sendall(body)
    out, closed = read(s, 1.0)
    summary(first + out, closed)
elif mode == "trickle":
    # A line every 0.4 s, never a whole head: header_timeout is 1 s.
    s = conn()
    t0 = time.time()
    s.sendall(b"GET /healthz HTTP/1.1\r\n")
    out, closed = b"", False
    while time.time() - t0 < 6 and not closed:
        try:
            s.sendall(b"X-Slow: 1\r\n")
        except OSError:
            break
        o, closed = read(s, 0.4)
        out += o
    if not closed:
        o, closed = read(s, 1)
        out += o
    print("after=%.1f" % (time.time() - t0))
    summary(out, closed)
elif mode == "idle":
    # Nothing sent: timeout is 2 s.
    s = conn()
    t0 = time.time()
    out, closed = read(s, 6)
    print("after=%.1f" % (time.time() - t0))
    summary(out, closed)
elif mode == "perip":
    # max_per_ip is 2: a third connection from one address is closed at
    # once; another address still gets in.
    held = [conn(), conn()]
    time.sleep(0.2)
    third = conn()
    out, closed = read(third, 1.5)
    print("third-closed=%d third-bytes=%d" % (closed, len(out)))
    other = conn("127.0.0.2")
    other.sendall(b"GET /healthz HTTP/1.1\r\n" + H + b"Connection: close\r\n\r\n")
    summary(*read(other))
    for h in held:
        h.sendall(b"GET /healthz HTTP/1.1\r\n" + H + b"Connection: close\r\n\r\n")
        out, closed = read(h)
        print("held=" + out.split(b"\r\n")[0].decode())
EOF
raw() { python3 "$T_TMP/raw.py" "$@"; }

OUT=$(raw pipelined "$LPORT" "$V_TOK")
t_grep "pipelined: four answers in order" '^statuses=200,200,404,200$' "$OUT"
t_grep "pipelined: the last asked to close, and it did" '^closed=1$' "$OUT"
t_grep "pipelined: the verdict in its place" 'body=\{"state":"VALID"' "$OUT"
OUT=$(raw http10 "$LPORT")
t_grep "HTTP/1.0: answered, then closed" '^statuses=200$' "$OUT"
t_grep "HTTP/1.0: closed" '^closed=1$' "$OUT"
OUT=$(raw http10keep "$LPORT")
t_grep "HTTP/1.0 keep-alive: kept for the next request" '^statuses=200,200$' "$OUT"
t_grep "HTTP/1.0 keep-alive: said so, then closed after the last" '^closed=1$' "$OUT"
# refused DESC MODE STATUS MESSAGE: one status line, a close, the reason.
refused() {
	OUT=$(raw "$2" "$LPORT" "$V_TOK")
	t_grep "$1: one $3" "^statuses=$3\$" "$OUT"
	t_grep "$1: Connection: close, and closed" '^close-header=1$' "$OUT"
	t_grep "$1: closed" '^closed=1$' "$OUT"
	t_grep "$1: said why" "$4" "$OUT"
}
refused "no Host" nohost 400 'must carry a Host'
refused "folded header" folded 400 'may not be folded'
refused "HTTP/2.0" http2 505 'HTTP/1.0 and HTTP/1.1'
refused "raw space in the target" space 400 'request line is malformed'
refused "head over 8 KiB" bighead 431 'headers are too large'
refused "a NUL byte in the head" nulhead 400 'NUL byte'
refused "Content-Length -1" badlength 400 'Content-Length is malformed'
refused "two different Content-Lengths" twolengths 400 'Content-Length is malformed'
refused "chunked body" chunked 411 'Content-Length here'
refused "6 MB body" hugebody 413 'too large for this route'
# A whole request with a target refused: answered, the connection kept.
OUT=$(raw nul "$LPORT" "$V_TOK")
t_grep "%00 in the path: 400" '^statuses=400$' "$OUT"
t_grep "%00 in the path: said why" 'encoded control' "$OUT"
t_check "%00 in the path: never the shorter path's verdict" \
	bash -c "! grep -q VALID <<<'$OUT'"
# An encoded control byte in the query: refused by both listeners alike
# (the lane once decoded only the path's).
for q in '%00' 'x=%09y' 'x=%7F'; do
	req "$URL/V/$V_TOK?$q"
	t_grep "?$q, main listener: 400" '^400$' "$CODE"
	req "$LURL/V/$V_TOK?$q"
	t_grep "?$q, lane: 400 as well" '^400$' "$CODE"
done
req "$LURL/V/$V_TOK?x=%41"
t_grep "?x=%41 (a letter): the lane answers" '^200$' "$CODE"
OUT=$(raw ctl "$LPORT" "$V_TOK")
t_grep "a control byte or DEL at any place of a token's target: all 400" \
	"^status=400\$" "$OUT"
t_check "... every one of them" test "$(grep -c '^status=400$' <<<"$OUT")" \
	-eq $(( (${#V_TOK} + 3) * 3 ))
OUT=$(raw getbody "$LPORT")
t_grep "a small body where none is taken: 413, then the next request" \
	'^statuses=413,200$' "$OUT"
OUT=$(raw expect "$LPORT" "$V_TOK:$nik")
t_grep "Expect: 100-continue is answered" '^interim=HTTP/1.1 100 Continue$' "$OUT"
t_grep "... and then the NIK check" 'body=\{"match":true\}' "$OUT"

t_grep "access log: lane requests by route pattern" \
	'method=GET route=/api/v1/verify/\{token\} status=200' "$(cat "$T_TMP/access.log")"
t_grep "access log: the lane's refusals too" 'route=- status=431' "$(cat "$T_TMP/access.log")"
t_check "access log: no token" bash -c "! grep -q '$V_TOK' '$T_TMP/access.log'"
t_check "access log: no NIK" bash -c "! grep -q '$nik' '$T_TMP/access.log' '$T_TMP/main.err'"
srv_stop
t_grep "SIGTERM: exit 0" '^0$' "$STOP_RC"

t_check "server with tight limits starts" lane_start tight \
	TERBIT_HEADER_TIMEOUT=1 TERBIT_TIMEOUT=2 TERBIT_MAX_CONNECTIONS=16 \
	TERBIT_MAX_PER_IP=2 -- --rate-limit 3 --verify-listen 127.0.0.1:0
OUT=$(raw trickle "$LPORT")
t_grep "trickled head: 408" '^statuses=408$' "$OUT"
t_grep "trickled head: closed" '^closed=1$' "$OUT"
t_check "trickled head: cut within 3 s" awk -v a="$(sed -n 's/^after=//p' <<<"$OUT")" \
	'BEGIN { exit !(a >= 1 && a < 3) }'
OUT=$(raw idle "$LPORT")
t_grep "idle connection: closed" '^closed=1$' "$OUT"
t_grep "idle connection: nothing sent" '^statuses=$' "$OUT"
t_check "idle connection: closed after 2-4 s" awk -v a="$(sed -n 's/^after=//p' <<<"$OUT")" \
	'BEGIN { exit !(a >= 2 && a < 4.5) }'
OUT=$(raw perip "$LPORT")
t_grep "max_per_ip: the third connection closed unanswered" '^third-closed=1 third-bytes=0$' "$OUT"
t_grep "max_per_ip: another address gets in" '^statuses=200$' "$OUT"
t_grep "max_per_ip: the two held ones still answer" '^held=HTTP/1.1 200 OK$' "$OUT"
for i in 1 2 3 4; do req "$LURL/healthz"; done
t_grep "rate limit on the lane: 429" '^429$' "$CODE"
t_grep "429: Retry-After" '^Retry-After: [0-9]+$' "$HDR"
srv_stop
t_grep "SIGTERM: exit 0" '^0$' "$STOP_RC"

t_run 2 "a bad --verify-listen is refused" "$TERBIT" serve --listen 127.0.0.1:0 \
	--verify-listen nowhere
t_grep "... saying why" "alamat listen tidak sah" "$ERR"
t_done
