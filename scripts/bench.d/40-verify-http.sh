#!/bin/bash
# HTTP throughput: nginx serving a static file of the verifier answer's size
# as the yardstick, and (TODO, with the verify routes) terbit answering
# verifications, both measured with `wrk -t2 -c64 -d10s --latency` on
# loopback. Prints rows "name<TAB>value<TAB>unit<TAB>note" (scripts/bench).
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
	out=$(wrk -t2 -c64 -d"$DURATION" --latency "$url" 2>&1) || {
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
	access_log off;
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
			"wrk -t2 -c64 -d$DURATION, loopback, yardstick" || rc=1
	else
		cat "$dir/error.log" >&2
		rc=1
	fi
	kill -QUIT "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return $rc
}

# TODO(verify routes): bench_terbit_verify — start `"$TERBIT" serve
# --listen 127.0.0.1:PORT --rate-limit 0` on a demo database with one
# issued document, then run_wrk against GET /v/{token} (HTML) and the JSON
# verify route, rows "terbit verify ...". Written with the verify handlers.

need_tools || { echo "40-verify-http: wrk/nginx unavailable" >&2; exit 1; }
# About the size of the verifier's HTML answer.
bench_nginx_static 4096
