#!/bin/bash
# End to end: the real `terbit serve` on a loopback port. The server is
# started with --listen 127.0.0.1:0, so the kernel picks a free port, and
# the port is read back from the line the server prints when it listens.
# Checks /healthz, /metrics, 404, 405 + Allow, 413, the slow-client
# timeout, 429 + Retry-After, the access log (route patterns, never a
# token) and a clean exit 0 on SIGTERM (under bin/terbit-san that exit
# also means no leak: LeakSanitizer fails the exit code).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/http-lib.bash"

# The helpers of http-lib.bash under this script's names.
start_server() { local name=$1; shift; srv_start "$name" -- "$@"; }
stop_server() { srv_stop; }

cat >"$T_TMP/terbit.conf" <<'EOF'
# test service: short idle timeout for the slow-client check
timeout = 2
rate_limit = 0
threads = 2
drain_timeout = 5
EOF

# serve loads the keys (the verifier needs them) and refuses to start
# without them: make them, and the database, first.
t_run 0 "terbit init" "$TERBIT" init
t_check "server starts on a free loopback port" start_server main --config "$T_TMP/terbit.conf"
URL="http://127.0.0.1:$PORT"

req "$URL/healthz"
t_grep "GET /healthz 200" '^200$' "$CODE"
t_grep "healthz says ok" '^\{"status":"ok"\}$' "$BODY"
t_check "database file there" test -f "$TERBIT_DATA/terbit.db"

req "$URL/nope/x"
t_grep "unknown path 404" '^404$' "$CODE"
t_grep "404 is a JSON error" '^\{"error":"not_found","message":"[^"]+"\}$' "$BODY"

req -X POST "$URL/healthz"
t_grep "wrong method 405" '^405$' "$CODE"
t_grep "405 names what is allowed" '^Allow: GET, HEAD$' "$HDR"

head -c 200000 /dev/zero >"$T_TMP/big"
req -X GET -H 'Content-Type: application/octet-stream' --data-binary @"$T_TMP/big" "$URL/healthz"
t_grep "body on a route that takes none: 413" '^413$' "$CODE"
t_grep "413 is a JSON error" '"error":"too_large"' "$BODY"

# Tokens in paths, queries and headers must never reach the log.
req -H 'Authorization: Bearer SECRETTOKEN0001' "$URL/v/SECRETTOKEN0002?t=SECRETTOKEN0003"
t_grep "a bad token on the verifier path: the TIDAK SAH page" '^200$' "$CODE"

req "$URL/metrics"
t_grep "GET /metrics 200" '^200$' "$CODE"
t_grep "metrics content type" '^Content-Type: text/plain; version=0.0.4' "$HDR"
t_grep "metrics: counter declared" '# TYPE terbit_http_requests_total counter' "$BODY"
t_grep "metrics: healthz counted" 'terbit_http_requests_total\{route="/healthz",method="GET",status="200"\} 1' "$BODY"
t_grep "metrics: 404 under route none" 'terbit_http_requests_total\{route="none",method="GET",status="404"\} 1' "$BODY"
t_grep "metrics: 413 counted" 'route="/healthz",method="GET",status="413"\} 1' "$BODY"
t_grep "metrics: histogram declared" '# TYPE terbit_http_request_duration_seconds histogram' "$BODY"
t_grep "metrics: +Inf bucket" 'terbit_http_request_duration_seconds_bucket\{route="/healthz",le="\+Inf"\} [0-9]+' "$BODY"
t_grep "metrics: sum and count" 'terbit_http_request_duration_seconds_count\{route="/healthz"\} [0-9]+' "$BODY"
t_grep "metrics: module counters declared" '# TYPE terbit_verifications_total counter' "$BODY"

# A slow client: half a request line, then nothing. The 2 s timeout cuts
# it; meanwhile other clients are served.
exec 3<>"/dev/tcp/127.0.0.1/$PORT"
printf 'GET /heal' >&3
start=$(date +%s%N)
req "$URL/healthz"
t_grep "served while a slow client hangs on" '^200$' "$CODE"
timeout 10 cat <&3 >/dev/null
ms=$(( ($(date +%s%N) - start) / 1000000 ))
exec 3<&-
t_check "slow client cut after the 2 s timeout (${ms} ms)" test "$ms" -ge 1500 -a "$ms" -lt 6000

# A keep-alive connection with a finished request does not hold up the
# end; a request made just before SIGTERM is answered in full.
exec 4<>"/dev/tcp/127.0.0.1/$PORT"
printf 'GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n' >&4
sleep 0.2
start=$(date +%s%N)
stop_server
ms=$(( ($(date +%s%N) - start) / 1000000 ))
t_grep "SIGTERM: exit 0" '^0$' "$STOP_RC"
t_check "idle keep-alive did not hold the drain (${ms} ms)" test "$ms" -lt 4000
t_grep "answer before SIGTERM complete" '\{"status":"ok"\}' "$(timeout 2 cat <&4)"
exec 4<&-
LOG=$(cat "$T_TMP/main.err")
t_grep "stop logged" 'server berhenti' "$LOG"
t_grep "access line with route pattern" 'access client=127\.0\.0\.1 method=GET route=/healthz status=200 bytes=16 ms=' "$LOG"
t_grep "access line for unmatched path" 'access client=127\.0\.0\.1 method=GET route=- status=404' "$LOG"
t_grep "access line for metrics" 'access client=127\.0\.0\.1 method=GET route=/metrics status=200' "$LOG"
t_check "no token in the log" bash -c "! grep -q SECRETTOKEN '$T_TMP/main.err'"
t_check "no raw path in the log" bash -c "! grep -q '/nope/x' '$T_TMP/main.err'"
t_check "no sanitizer report" bash -c "! grep -Eq 'Sanitizer|runtime error' '$T_TMP/main.err'"

# Rate limit: 3 a minute per address.
t_check "second server starts" start_server limited --rate-limit 3
URL="http://127.0.0.1:$PORT"
for i in 1 2 3; do req "$URL/healthz"; t_grep "request $i within the limit" '^200$' "$CODE"; done
req "$URL/healthz"
t_grep "4th request: 429" '^429$' "$CODE"
t_grep "429 says when to retry" '^Retry-After: (19|20)$' "$HDR"
t_grep "429 is a JSON error" '"error":"rate_limited"' "$BODY"
stop_server
t_grep "second server: exit 0 on SIGTERM" '^0$' "$STOP_RC"
t_grep "429 logged under its route" 'route=/healthz status=429' "$(cat "$T_TMP/limited.err")"

# Access log to a file: buffered per thread, out within about a second
# while the server runs, and every line out on SIGTERM.
ALOG=$T_TMP/access.log
t_check "third server starts, access log to a file" \
	srv_start filelog TERBIT_ACCESS_LOG="$ALOG" -- --config "$T_TMP/terbit.conf"
URL="http://127.0.0.1:$PORT"
for i in 1 2 3 4 5; do req "$URL/healthz"; done
sleep 2.2
t_check "lines reach the file within the flush interval (got $(grep -c 'route=/healthz status=200' "$ALOG" 2>/dev/null))" \
	test "$(grep -c 'route=/healthz status=200' "$ALOG" 2>/dev/null)" -eq 5
for i in $(seq 1 40); do req "$URL/nope/$i"; done
stop_server
t_grep "third server: exit 0 on SIGTERM" '^0$' "$STOP_RC"
t_check "SIGTERM flushed every line (got $(grep -c 'route=- status=404' "$ALOG"))" \
	test "$(grep -c 'route=- status=404' "$ALOG")" -eq 40
t_check "access log file is 0600" test "$(stat -c %a "$ALOG")" = 600
t_check "whole lines only" bash -c "! grep -Ev '^[0-9T:.-]+Z access client=[0-9a-f.:]+ method=[A-Z]+ route=[^ ]+ status=[0-9]+ bytes=[0-9]+ ms=[0-9.]+$' '$ALOG'"

# Bad configuration is refused before listening, naming the line.
printf 'listen = 127.0.0.1:0\nthreds = 4\n' >"$T_TMP/bad.conf"
t_run 2 "unknown config key refused" "$TERBIT" serve --config "$T_TMP/bad.conf"
t_grep "message names file and line" 'bad.conf:2: .*threds' "$ERR"
t_run 2 "bad --listen refused" "$TERBIT" serve --listen nowhere
t_run 2 "bad env value refused" env TERBIT_THREADS=many "$TERBIT" serve --listen 127.0.0.1:0

t_done
