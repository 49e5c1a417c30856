#!/bin/bash
# HTTP throughput: terbit answering verifications (GET /api/v1/verify/{token}
# and the HTML page GET /V/{token}, random tokens among 1,500 letters
# issued through the real gate, --rate-limit 0), and nginx serving a static
# file of each answer's size as the yardstick, all measured with
# `wrk -t2 -c64 -d10s --latency` on loopback; the ratio, p99, and the
# server's resident memory after the runs. Both servers write an access
# log line per request to a file, buffered the same way (8 KiB, flushed
# at least every second: nginx "buffer=8k flush=1s", terbit's own policy
# for a log file, docs/server.md), so neither is measured without the
# log the issue requires. Prints rows
# "name<TAB>value<TAB>unit<TAB>note" (scripts/bench).
set -u

DURATION=${BENCH_HTTP_DURATION:-10s}

# Bench-only tools, installed here rather than by scripts/install-deps.
need_tools() {
	local missing=""
	command -v wrk >/dev/null 2>&1 || missing="$missing wrk"
	command -v nginx >/dev/null 2>&1 || missing="$missing nginx-light"
	[ -z "$missing" ] && return 0
	local sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	echo "40-verify-http: installing$missing" >&2
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null &&
		# shellcheck disable=SC2086
		$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends $missing >&2
}

# A loopback port nobody listens on: 18000 + pid % 1000, then upwards.
free_port() {
	local p=$((18000 + $$ % 1000))
	while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do
		p=$((p + 1))
	done
	echo "$p"
}

# wait_port PORT: until something accepts there (5 s at most).
wait_port() {
	for _ in $(seq 1 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# run_wrk URL NAME NOTE: one wrk run, two rows (requests/s and p99 in ms).
run_wrk() {
	local url=$1 name=$2 note=$3 out
	out=$(wrk -t2 -c64 -d"$DURATION" --latency \
		${WRK_SCRIPT:+-s "$WRK_SCRIPT"} "$url" 2>&1) || {
		echo "$out" >&2
		return 1
	}
	echo "$out" >&2
	local rps p99
	rps=$(echo "$out" | awk '/^Requests\/sec:/ { print $2 }')
	# "     99%    1.23ms" -> milliseconds, whatever unit wrk chose.
	p99=$(echo "$out" | awk '$1 == "99%" {
		v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
		if (u == "us") v /= 1000; else if (u == "s") v *= 1000
		else if (u == "m") v *= 60000
		printf "%.2f", v }')
	[ -n "$rps" ] && [ -n "$p99" ] || return 1
	printf '%s: requests/s\t%s\treq/s\t%s\n' "$name" "$rps" "$note"
	printf '%s: p99 latency\t%s\tms\t%s\n' "$name" "$p99" "$note"
}

# run_wrk_script BASE_URL LUA NAME NOTE: run_wrk with a request script.
run_wrk_script() {
	WRK_SCRIPT=$2 run_wrk "$1" "$3" "$4"
}

# bench_nginx_static SIZE_BYTES: nginx, as the current user, with a
# temporary config on a loopback port, serving one file of that size.
bench_nginx_static() {
	local size=$1 dir="$BENCH_TMP/nginx" port pid rc=0
	mkdir -p "$dir/www" "$dir/tmp"
	head -c "$size" /dev/zero | tr '\0' 'x' >"$dir/www/answer.html"
	port=$(free_port)
	{
		# Only root may switch users; as root, stay root so the
		# private temporary directory stays readable.
		[ "$(id -u)" -eq 0 ] && echo "user root;"
		cat <<EOF
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
	access_log $dir/access.log combined buffer=8k flush=1s;
	client_body_temp_path $dir/tmp/body;
	proxy_temp_path $dir/tmp/proxy;
	fastcgi_temp_path $dir/tmp/fastcgi;
	uwsgi_temp_path $dir/tmp/uwsgi;
	scgi_temp_path $dir/tmp/scgi;
	server {
		listen 127.0.0.1:$port;
		root $dir/www;
	}
}
EOF
	} >"$dir/nginx.conf"
	nginx -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;' 2>>"$dir/error.log" &
	pid=$!
	if wait_port "$port"; then
		run_wrk "http://127.0.0.1:$port/answer.html" \
			"nginx static file ${size} B" \
			"wrk -t2 -c64 -d$DURATION, loopback, yardstick" \
			>"$BENCH_TMP/nginx.rows" || rc=1
		cat "$BENCH_TMP/nginx.rows"
		NGINX_RPS=$(awk -F'\t' 'NR == 1 { print $2 }' "$BENCH_TMP/nginx.rows")
	else
		cat "$dir/error.log" >&2
		rc=1
	fi
	kill -QUIT "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return $rc
}

N_DOCS=${BENCH_VERIFY_DOCS:-1500}

# make_registry DIR: N_DOCS approved cases (tests/bench/bench_issue.c's
# set-up, the real case operations), each issued a letter by the real gate
# (terbit issue-many); their tokens one a line in DIR/tokens.
make_registry() {
	local dir=$1
	TERBIT_ROOT=$PWD "$BENCH_BUILD/bench_issue" setup "$dir/data" "$N_DOCS" >/dev/null &&
		TERBIT_DATA="$dir/data" TERBIT_VERIFIER_HOST=127.0.0.1:8080 \
			"$TERBIT" issue-many letter --by ds >"$dir/serials" &&
		sqlite3 "$dir/data/terbit.db" \
			"SELECT token FROM documents WHERE kind = 'letter'" >"$dir/tokens" &&
		[ "$(wc -l <"$dir/tokens")" -ge "$N_DOCS" ]
}

# A wrk script requesting PREFIX + a random token of TOKENS each time
# (each wrk thread runs its own copy).
write_lua() {
	cat >"$1" <<'LUA'
local tokens = {}
for line in io.lines(os.getenv("TOKENS")) do tokens[#tokens + 1] = line end
local prefix = os.getenv("PREFIX")
math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 1000)
request = function()
	return wrk.format("GET", prefix .. tokens[math.random(#tokens)])
end
LUA
}

# bench_terbit_verify: the server on its own loopback port over the
# registry, then for each route: wrk, nginx at the same answer size, the
# ratio; then the server's memory.
bench_terbit_verify() {
	local dir="$BENCH_TMP/verify" port pid rc=0
	mkdir -p "$dir"
	echo "40-verify-http: issuing $N_DOCS letters" >&2
	make_registry "$dir" || { echo "40-verify-http: registry set-up failed" >&2; return 1; }
	write_lua "$dir/random.lua"
	port=$(free_port)
	# Access log to a file, as nginx's is here (same buffering).
	TERBIT_DATA="$dir/data" TERBIT_ACCESS_LOG="$dir/access.log" \
		"$TERBIT" serve --listen "127.0.0.1:$port" \
		--rate-limit 0 >"$dir/serve.out" 2>"$dir/serve.err" &
	pid=$!
	if ! wait_port "$port"; then
		cat "$dir/serve.err" >&2
		kill "$pid" 2>/dev/null
		return 1
	fi
	local first
	first=$(head -n1 "$dir/tokens")
	for route in "api/v1/verify" "V"; do
		local name size url="http://127.0.0.1:$port/$route/$first"
		size=$(curl -s "$url" | wc -c)
		case $route in V) name="terbit verify page /V/{token}" ;;
			*) name="terbit verify JSON /api/v1/verify/{token}" ;; esac
		TOKENS="$dir/tokens" PREFIX="/$route/" \
			run_wrk_script "http://127.0.0.1:$port" "$dir/random.lua" \
			"$name" "$N_DOCS random valid tokens, ${size} B answer, --rate-limit 0" \
			>"$dir/rows" || rc=1
		cat "$dir/rows"
		local rps p99
		rps=$(awk -F'\t' 'NR == 1 { print $2 }' "$dir/rows")
		p99=$(awk -F'\t' 'NR == 2 { print $2 }' "$dir/rows")
		NGINX_RPS=
		bench_nginx_static "$size" || rc=1
		if [ -n "$rps" ] && [ -n "$NGINX_RPS" ]; then
			awk -v a="$rps" -v b="$NGINX_RPS" -v n="$name" 'BEGIN {
				printf "%s / nginx static\t%.2f\tx\ttarget >= 1.0\n", n, a / b }'
		fi
		[ -n "$p99" ] && awk -v p="$p99" -v n="$name" 'BEGIN {
			printf "%s: p99 under 10 ms\t%s\t-\ttarget p99 < 10 ms\n", n,
				(p + 0 < 10 ? "yes" : "NO") }'
	done
	local rss hwm anon
	rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
	hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")
	anon=$(awk '/^RssAnon:/ { print $2 }' "/proc/$pid/status")
	printf 'terbit serve resident memory after the runs\t%s\tKiB\tVmRSS; 4 threads\n' "$rss"
	printf 'terbit serve private memory after the runs\t%s\tKiB\tRssAnon: heap, stacks, page caches\n' "$anon"
	printf 'terbit serve peak resident memory\t%s\tKiB\tVmHWM\n' "$hwm"
	kill -TERM "$pid"
	wait "$pid" || { echo "40-verify-http: serve did not exit 0" >&2; rc=1; }
	return $rc
}

need_tools || { echo "40-verify-http: wrk/nginx unavailable" >&2; exit 1; }
bench_terbit_verify
