#!/bin/bash
# End to end, loopback only: clients that trickle, and requests that
# libmicrohttpd would answer badly, read as raw bytes.
#  - A client sending one header line every 4 s is answered 408 and
#    closed once header_timeout (10 s, the default) has passed,
#    although it is never idle for the 15 s idle timeout.
#  - 110 such clients from 127.0.0.2 and 127.0.0.3 against a server of
#    100 connections: a client on 127.0.0.1 still gets /healthz at once
#    (each address may hold only max_connections / 8).
#  - A body below body_rate is cut with a 408.
#  - A 6 MB chunked upload to a 5 MB route gets one 413 before the close.
#  - A %00 in the path is a 400, never the shorter path's answer.
#  - HTTP/1.1 without Host, and a space in the target: one clean 400.
# Bounded: every socket has a timeout; the whole script takes ~15 s.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/http-lib.bash"
command -v python3 >/dev/null || { t_fail "python3 missing"; t_done; exit 1; }
export PYTHONPATH="$(cd "$(dirname "$0")" && pwd)${PYTHONPATH:+:$PYTHONPATH}"

t_run 0 "terbit init" "$TERBIT" init
t_check "server starts" srv_start slow TERBIT_MAX_CONNECTIONS=100 \
	TERBIT_RATE_LIMIT=0 TERBIT_THREADS=2

# raw.py: the socket work, one mode per check; prints what it measured.
cat >"$T_TMP/raw.py" <<'EOF'
import select, socket, sys, time
port = int(sys.argv[2])

from rawsock import conn as connect, read

def conn(src="127.0.0.1"):
    return connect(port, src)

def read_all(s, limit=8.0):
    return read(s, limit)[0]

def trickle():
    # One header line every 4 s: never idle long, never complete.
    s = conn()
    t0 = time.time()
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
    out = b""
    while time.time() - t0 < 20:
        r, _, _ = select.select([s], [], [], 4)
        if r:
            out = read_all(s, 2)
            break
        try:
            s.sendall(b"X-Slow: 1\r\n")
        except OSError:
            break
    print("%.1f %s" % (time.time() - t0, out.split(b"\r\n")[0].decode()))

def flood():
    held = []
    for i in range(110):
        try:
            s = conn("127.0.0.%d" % (2 + i % 2))
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            held.append(s)
        except OSError:
            pass
    time.sleep(0.5)
    t0 = time.time()
    s = conn()
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    out = read_all(s, 5)
    print("%.2f %s" % (time.time() - t0, out.split(b"\r\n")[0].decode()))

def slow_body():
    # Headers promptly, then a 100 KB body at 100 bytes a second.
    s = conn()
    t0 = time.time()
    s.sendall(b"POST /api/v1/verify HTTP/1.1\r\nHost: x\r\n"
              b"Content-Type: application/pdf\r\nContent-Length: 100000\r\n\r\n")
    out = b""
    while time.time() - t0 < 20:
        r, _, _ = select.select([s], [], [], 1)
        if r:
            out = read_all(s, 2)
            break
        try:
            s.sendall(b"%" * 100)
        except OSError:
            break
    print("%.1f %s" % (time.time() - t0, out.split(b"\r\n")[0].decode()))

def chunked():
    s = conn()
    s.sendall(b"POST /api/v1/verify HTTP/1.1\r\nHost: x\r\n"
              b"Content-Type: application/pdf\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = b"10000\r\n" + b"%" * 0x10000 + b"\r\n"
    try:
        for _ in range(96):  # 6 MiB
            s.sendall(chunk)
            if select.select([s], [], [], 0)[0]:
                break
        else:
            s.sendall(b"0\r\n\r\n")
    except OSError:
        pass
    sys.stdout.buffer.write(read_all(s, 3))

def raw():
    s = conn()
    s.sendall(sys.argv[3].encode().decode("unicode_escape").encode("latin1"))
    sys.stdout.buffer.write(read_all(s, 3))

globals()[sys.argv[1]]()
EOF
raw() { python3 "$T_TMP/raw.py" "$1" "$PORT" "${2:-}"; }

# All at once: the trickler and the slow body take ~10 s each, the
# flood's healthz must not wait.
raw trickle >"$T_TMP/trickle" &
TPID=$!
raw slow_body >"$T_TMP/slowbody" &
BPID=$!
FLOOD=$(raw flood)
t_grep "healthz from 127.0.0.1 under a flood of 110 trickling sockets" '^0\.[0-9]+ HTTP/1\.1 200 OK$' "$FLOOD"
wait "$TPID" "$BPID"
# 10 s deadline, checked every 250 ms; the trickler looks every 4 s.
t_grep "trickling headers cut by the deadline with a 408" '^1[0-2]\.[0-9] HTTP/1\.1 408 Request Timeout$' "$(cat "$T_TMP/trickle")"
# 10 s of grace plus 1 s per 10 KB received (100 bytes a second): ~10.1 s.
t_grep "a body below body_rate is cut with a 408" '^1[0-2]\.[0-9] HTTP/1\.1 408 Request Timeout$' "$(cat "$T_TMP/slowbody")"

OUT=$(raw chunked)
t_grep "6 MB chunked upload: 413" '^HTTP/1\.1 413 ' "$OUT"
t_check "6 MB chunked upload: one status line" test "$(printf '%s' "$OUT" | grep -c '^HTTP/1')" = 1
t_grep "6 MB chunked upload: JSON error body" '\{"error":"too_large",' "$OUT"

OUT=$(raw raw 'GET /healthz%00junk HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
t_grep "%00 in the path: 400" '^HTTP/1\.1 400 ' "$OUT"
t_check "%00 in the path: one status line" test "$(printf '%s' "$OUT" | grep -c '^HTTP/1')" = 1
t_grep "%00 in the path: JSON error" '"error":"invalid_input"' "$OUT"
t_check "%00 never reached /healthz" bash -c "! printf '%s' '$OUT' | grep -q status"
OUT=$(raw raw 'GET /v/AB%0aCD?x=%1b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
t_grep "%0a in the path: 400" '^HTTP/1\.1 400 ' "$OUT"
# libmicrohttpd 0.9.75's own 400 for these sent the status line and the
# headers twice; the server refuses them itself now (server.c on_uri,
# on_request), with one status line and the JSON error.
OUT=$(raw raw 'GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n')
t_grep "HTTP/1.1 without Host: 400" '^HTTP/1\.1 400 ' "$OUT"
t_check "HTTP/1.1 without Host: one status line" test "$(printf '%s' "$OUT" | grep -c '^HTTP/1')" = 1
t_grep "HTTP/1.1 without Host: JSON error" '"message":"An HTTP/1.1 request must carry a Host header."' "$OUT"
OUT=$(raw raw 'GET /healthz HTTP/1.0\r\n\r\n')
t_grep "HTTP/1.0 needs no Host: 200" '^HTTP/1\.1 200 ' "$OUT"
OUT=$(raw raw 'GET /health z HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
t_grep "a space in the target: 400" '^HTTP/1\.1 400 ' "$OUT"
t_check "a space in the target: one status line" test "$(printf '%s' "$OUT" | grep -c '^HTTP/1')" = 1

srv_stop
t_check "server stops cleanly" test "$STOP_RC" = 0
LOG=$(cat "$T_TMP/slow.err")
t_grep "cut connection logged with its address" 'access client=127\.0\.0\.1 method=- route=- status=408 .* end=timeout' "$LOG"
t_check "no sanitizer report" bash -c "! grep -Eq 'Sanitizer|runtime error' '$T_TMP/slow.err'"

t_done
