#!/bin/bash
# The verifier as it is really used: every scan a different token.
# 100,000 letters are issued through the real gate into a bench database
# (tests/bench/bench_issue.c's set-up of approved cases, then `terbit
# issue-many`), kept under BENCH_CACHE between runs; then, in the same
# run, three rounds of:
#   - terbit serve (--rate-limit 0) on GET /api/v1/verify/{token} and
#     GET /V/{token}, a random one of the 100,000 tokens per request,
#     through its verification lane (--verify-listen, docs/server.md),
#     and the same through the main listener (libmicrohttpd) for
#     comparison;
#   - nginx serving 100,000 distinct static files of the same size at the
#     same paths, the same random choice (the yardstick);
# and then nginx with proxy_cache (deploy/nginx-verifier.conf, made
# loopback-only) in front of two read-only verifiers' lanes (serve
# --verify-only --verify-listen) on the same database file. All with `wrk -t2 -c64
# --latency` on loopback; every server writes a buffered access log to a
# file (nginx "buffer=8k flush=1s", terbit's own policy for a file).
# Medians of the three rounds; ratio terbit / nginx from the medians.
# Also the set-up's time and the database's size per document.
# Prints rows "name<TAB>value<TAB>unit<TAB>note" (scripts/bench).
set -u

DURATION=${BENCH_HTTP_DURATION:-10s}
N_DOCS=${BENCH_VERIFY_DOCS:-100000}
ROUNDS=${BENCH_VERIFY_ROUNDS:-3}
CACHE=${BENCH_CACHE:-${TMPDIR:-/tmp}/terbit-bench-cache}/verify-$N_DOCS
say() { echo "40-verify-http: $*" >&2; }

# Bench-only tools, installed here rather than by scripts/install-deps.
need_tools() {
	local missing=""
	command -v wrk >/dev/null 2>&1 || missing="$missing wrk"
	command -v nginx >/dev/null 2>&1 || missing="$missing nginx-light"
	[ -z "$missing" ] && return 0
	local sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	say "installing$missing"
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null &&
		# shellcheck disable=SC2086
		$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends $missing >&2
}

# A loopback port nobody listens on, from 18000 + pid % 1000 upwards,
# never one handed out before in this run.
NEXT_PORT=$((18000 + $$ % 1000))
free_port() {
	while (exec 3<>"/dev/tcp/127.0.0.1/$NEXT_PORT") 2>/dev/null; do
		NEXT_PORT=$((NEXT_PORT + 1))
	done
	PORT=$NEXT_PORT
	NEXT_PORT=$((NEXT_PORT + 1))
}

# wait_port PORT: until something accepts there (5 s at most).
wait_port() {
	for _ in $(seq 1 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

now() { date +%s.%N; }

# registry: $CACHE/data with N_DOCS letters issued, their tokens one a
# line in $CACHE/tokens and the set-up times in $CACHE/timing; made once,
# reused while $CACHE/ok is there (BENCH_FRESH=1 makes it again).
registry() {
	if [ -z "${BENCH_FRESH:-}" ] && [ -f "$CACHE/ok" ] && [ -s "$CACHE/tokens" ]; then
		FROM_CACHE=1
		return 0
	fi
	FROM_CACHE=0
	rm -rf "$CACHE"
	mkdir -p "$CACHE" || return 1
	say "issuing $N_DOCS letters into $CACHE (kept for later runs)"
	local t0 t1 t2
	t0=$(now)
	TERBIT_ROOT=$PWD "$BENCH_BUILD/bench_issue" setup "$CACHE/data" "$N_DOCS" >/dev/null || return 1
	t1=$(now)
	TERBIT_DATA="$CACHE/data" TERBIT_VERIFIER_HOST=127.0.0.1:8080 \
		"$TERBIT" issue-many letter --by ds --batch 200 >"$CACHE/serials" || return 1
	t2=$(now)
	sqlite3 "$CACHE/data/terbit.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null &&
		sqlite3 "$CACHE/data/terbit.db" \
			"SELECT token FROM documents WHERE kind = 'letter'" >"$CACHE/tokens" &&
		[ "$(wc -l <"$CACHE/tokens")" -eq "$N_DOCS" ] || return 1
	awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { printf "%.2f %.2f\n", b - a, c - b }' \
		>"$CACHE/timing"
	touch "$CACHE/ok"
}

registry_rows() {
	local setup issue note db=$CACHE/data/terbit.db
	read -r setup issue <"$CACHE/timing"
	note="made in this run"
	[ "$FROM_CACHE" = 1 ] && note="made by an earlier run, kept in $CACHE"
	printf 'verify scale: set-up of %d approved cases\t%.0f\ts\tbench_issue setup: real case operations, 200 cases a transaction; %s\n' \
		"$N_DOCS" "$setup" "$note"
	printf 'verify scale: issuing %d letters\t%.0f\ts\tterbit issue-many --batch 200: gate, render, sign, store (%.0f docs/s); %s\n' \
		"$N_DOCS" "$issue" "$(awk -v n="$N_DOCS" -v t="$issue" 'BEGIN { print n / t }')" "$note"
	local total registry pdfs
	total=$(stat -c %s "$db")
	# dbstat: the pages of each table and index.
	registry=$(sqlite3 "$db" "SELECT sum(pgsize) FROM dbstat WHERE name = 'documents'
		OR name IN (SELECT name FROM sqlite_schema WHERE tbl_name = 'documents')")
	pdfs=$(sqlite3 "$db" "SELECT sum(pgsize) FROM dbstat WHERE name = 'document_pdfs'
		OR name IN (SELECT name FROM sqlite_schema WHERE tbl_name = 'document_pdfs')")
	printf 'database bytes per issued letter (whole file)\t%d\tB\t%d MB for %d letters with their cases, audit rows and PDFs\n' \
		"$((total / N_DOCS))" "$((total / 1000000))" "$N_DOCS"
	printf 'database bytes per letter: registry row + indexes\t%d\tB\twhat a verification reads (documents table)\n' \
		"$((registry / N_DOCS))"
	printf 'database bytes per letter: the signed PDF\t%d\tB\tdocument_pdfs\n' "$((pdfs / N_DOCS))"
}

# The wrk script: PREFIX + a random line of TOKENS for every request
# (each wrk thread loads its own copy and seeds its own generator).
write_lua() {
	cat >"$1" <<'LUA'
local tokens = {}
for line in io.lines(os.getenv("TOKENS")) do tokens[#tokens + 1] = line end
local prefix = os.getenv("PREFIX")
math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 100000)
request = function()
	return wrk.format("GET", prefix .. tokens[math.random(#tokens)])
end
LUA
}

# cpu_ticks PID...: user + system clock ticks the processes have used.
cpu_ticks() {
	local p t=0 u s
	for p in "$@"; do
		# Fields 14 and 15 of /proc/PID/stat (the name, field 2, has
		# no spaces here: terbit, nginx).
		read -r _ _ _ _ _ _ _ _ _ _ _ _ _ u s _ <"/proc/$p/stat" || return 1
		t=$((t + u + s))
	done
	echo "$t"
}

# run_wrk URL PREFIX OUT [TOKENS]: one wrk run over random tokens (of
# all N_DOCS unless TOKENS names another file); OUT gets "requests/s
# p99_ms cpu_us", the last the CPU the processes in SERVER_PIDS spent
# per answer (from /proc, so it does not depend on how much of the
# machine wrk took).
run_wrk() {
	local out rps p99 c0 c1 n
	c0=$(cpu_ticks ${SERVER_PIDS:-})
	out=$(TOKENS="${4:-$CACHE/tokens}" PREFIX="$2" wrk -t2 -c64 -d"$DURATION" --latency \
		-s "$BENCH_TMP/verify/random.lua" "$1" 2>&1) || { echo "$out" >&2; return 1; }
	c1=$(cpu_ticks ${SERVER_PIDS:-})
	n=$(echo "$out" | awk '/requests in/ { print $1 }')
	echo "$out" >&2
	if echo "$out" | grep -q 'Non-2xx'; then
		say "non-2xx answers: $(echo "$out" | grep Non-2xx)"
		return 1
	fi
	rps=$(echo "$out" | awk '/^Requests\/sec:/ { print $2 }')
	# "     99%    1.23ms" -> milliseconds, whatever unit wrk chose.
	p99=$(echo "$out" | awk '$1 == "99%" {
		v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
		if (u == "us") v /= 1000; else if (u == "s") v *= 1000
		else if (u == "m") v *= 60000
		printf "%.2f", v }')
	[ -n "$rps" ] && [ -n "$p99" ] && [ -n "$n" ] || return 1
	echo "$rps $p99 $(awk -v t=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" -v n="$n" \
		'BEGIN { printf "%.1f", t * 1e6 / hz / n }')" >>"$3"
}

# median FILE COLUMN: the median of a column (odd counts: the middle).
median() {
	sort -g -k"$2","$2" "$1" | awk -v c="$2" '{ v[NR] = $c }
		END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# nginx_conf DIR PORT: the yardstick's config, the static files in DIR/www.
nginx_conf() {
	{
		# Only root may switch users; as root, stay root so the
		# private temporary directory stays readable.
		[ "$(id -u)" -eq 0 ] && echo "user root;"
		cat <<EOF
worker_processes 2;
pid $1/nginx.pid;
error_log $1/error.log warn;
events { worker_connections 1024; }
http {
	access_log $1/access.log combined buffer=8k flush=1s;
	client_body_temp_path $1/tmp/body;
	proxy_temp_path $1/tmp/proxy;
	fastcgi_temp_path $1/tmp/fastcgi;
	uwsgi_temp_path $1/tmp/uwsgi;
	scgi_temp_path $1/tmp/scgi;
	server {
		listen 127.0.0.1:$2;
		root $1/www;
	}
}
EOF
	} >"$1/nginx.conf"
}

# static_files DIR ROUTE SIZE: one file of SIZE bytes per token at
# DIR/www/ROUTE/<token>: the same paths terbit answers.
static_files() {
	mkdir -p "$1/www/$2"
	python3 - "$1/www/$2" "$3" "$CACHE/tokens" <<'PY'
import os, sys
d, size, tokens = sys.argv[1], int(sys.argv[2]), sys.argv[3]
body = b"x" * size
for t in open(tokens):
    with open(os.path.join(d, t.strip()), "wb") as f:
        f.write(body)
PY
}

# start_nginx DIR: nginx -p DIR (its config in DIR/nginx.conf); NGINX_PID.
start_nginx() {
	mkdir -p "$1/tmp"
	nginx -p "$1" -c "$1/nginx.conf" -g 'daemon off;' 2>>"$1/error.log" &
	NGINX_PID=$!
}

stop_pid() {
	kill -"${2:-TERM}" "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

# start_terbit NAME PORT ARGS...: terbit serve on the bench registry;
# sets SERVE_PID.
start_terbit() {
	local name=$1 port=$2
	shift 2
	# max_per_ip: behind nginx every connection comes from 127.0.0.1.
	TERBIT_DATA="$CACHE/data" TERBIT_ACCESS_LOG="$BENCH_TMP/verify/$name.access" \
		TERBIT_MAX_PER_IP=256 \
		"$TERBIT" serve --listen "127.0.0.1:$port" --rate-limit 0 "$@" \
		>"$BENCH_TMP/verify/$name.out" 2>"$BENCH_TMP/verify/$name.err" &
	SERVE_PID=$!
	wait_port "$port" || { cat "$BENCH_TMP/verify/$name.err" >&2; return 1; }
}

# rows NAME NOTE TERBIT_FILE NGINX_FILE: median rows, ratio, p99 verdict.
rows() {
	local name=$1 note=$2 t=$3 n=$4 trps tp99 nrps np99
	trps=$(median "$t" 1); tp99=$(median "$t" 2)
	nrps=$(median "$n" 1); np99=$(median "$n" 2)
	printf '%s: requests/s\t%s\treq/s\tmedian of %d; %s\n' "$name" "$trps" "$ROUNDS" "$note"
	printf '%s: p99 latency\t%s\tms\tmedian of %d\n' "$name" "$tp99" "$ROUNDS"
	printf 'nginx, %d static files of that size: requests/s\t%s\treq/s\tmedian of %d, the same random paths\n' \
		"$N_DOCS" "$nrps" "$ROUNDS"
	printf 'nginx, %d static files of that size: p99 latency\t%s\tms\tmedian of %d\n' \
		"$N_DOCS" "$np99" "$ROUNDS"
	printf '%s: server CPU an answer\t%s\tus\tmedian of %d; user + system time from /proc over the run\n' \
		"$name" "$(median "$t" 3)" "$ROUNDS"
	printf 'nginx, %d static files of that size: CPU an answer\t%s\tus\tmedian of %d; master and workers\n' \
		"$N_DOCS" "$(median "$n" 3)" "$ROUNDS"
	local per_round
	per_round=$(paste -d' ' "$t" "$n" | awk '{ printf "%s%.2f", (NR > 1 ? ", " : ""), $1 / $4 }')
	awk -v a="$trps" -v b="$nrps" -v n="$name" -v r="$per_round" 'BEGIN {
		printf "%s / nginx\t%.2f\tx\ttarget >= 1.2 (rounds: %s)\n", n, a / b, r }'
	awk -v p="$tp99" -v n="$name" 'BEGIN {
		printf "%s: p99 under 10 ms\t%s\t-\ttarget p99 < 10 ms\n", n, (p + 0 < 10 ? "yes" : "NO") }'
}

# main_rows DIR: the same answers through the main listener
# (libmicrohttpd), against the same nginx runs.
main_rows() {
	local route f n
	for route in JSON page; do
		f=$1/m.json; n=$1/n.json
		[ "$route" = page ] && { f=$1/m.page; n=$1/n.page; }
		printf 'the same %s through the main listener (libmicrohttpd): requests/s\t%s\treq/s\tmedian of %d\n' \
			"$route" "$(median "$f" 1)" "$ROUNDS"
		printf 'the same %s through the main listener: server CPU an answer\t%s\tus\tmedian of %d\n' \
			"$route" "$(median "$f" 3)" "$ROUNDS"
		awk -v a="$(median "$f" 1)" -v b="$(median "$n" 1)" -v r="$route" 'BEGIN {
			printf "the same %s through the main listener / nginx\t%.2f\tx\tfor comparison\n", r, a / b }'
	done
}

# floor_rows DIR PORT: what the HTTP stack itself costs an answer (the
# lane answering a page of about the same size from memory).
floor_rows() {
	local fsize
	fsize=$(curl -s "http://127.0.0.1:$2/V/offline.html" | wc -c)
	printf 'floor: terbit answering a %s B page from memory: server CPU an answer\t%s\tus\tmedian of %d; /V/offline.html through the lane, no verification: the HTTP stack itself\n' \
		"$fsize" "$(median "$1/t.floor" 3)" "$ROUNDS"
}

bench_direct() {
	local dir=$BENCH_TMP/verify port mport nport pid first rc=0
	# port: the lane, what is measured against nginx; mport: the main
	# listener, libmicrohttpd, the same answers.
	free_port; mport=$PORT; free_port; port=$PORT
	start_terbit direct "$mport" --verify-listen "127.0.0.1:$port" || return 1
	pid=$SERVE_PID
	wait_port "$port" || { stop_pid "$pid"; return 1; }
	first=$(head -n1 "$CACHE/tokens")
	if ! curl -s "http://127.0.0.1:$port/api/v1/verify/$first" | grep -q '"state":"VALID"'; then
		say "the bench registry does not verify; remove $CACHE"
		stop_pid "$pid"
		return 1
	fi
	local jsize psize
	jsize=$(curl -s "http://127.0.0.1:$port/api/v1/verify/$first" | wc -c)
	psize=$(curl -s "http://127.0.0.1:$port/V/$first" | wc -c)
	say "static files for nginx: $N_DOCS of $jsize B and $N_DOCS of $psize B"
	mkdir -p "$dir/nginx"
	static_files "$dir/nginx" api/v1/verify "$jsize"
	static_files "$dir/nginx" V "$psize"
	free_port; nport=$PORT
	nginx_conf "$dir/nginx" "$nport"
	start_nginx "$dir/nginx"
	wait_port "$nport" || { cat "$dir/nginx/error.log" >&2; stop_pid "$pid"; return 1; }
	: >"$dir/t.json"; : >"$dir/n.json"; : >"$dir/t.page"; : >"$dir/n.page"
	local npids="$NGINX_PID $(pgrep -P "$NGINX_PID" | tr '\n' ' ')"
	# The floor: the same server answering a page of about the same
	# size that needs no verification (the offline shell, kept in
	# memory); its CPU an answer is what this HTTP stack costs by itself.
	: >"$dir/t.floor"; : >"$dir/m.json"; : >"$dir/m.page"
	seq 1 1000 | sed 's/.*//' >"$dir/empty.tokens"
	for round in $(seq 1 "$ROUNDS"); do
		say "round $round of $ROUNDS"
		SERVER_PIDS=$pid run_wrk "http://127.0.0.1:$port" /api/v1/verify/ "$dir/t.json" &&
			SERVER_PIDS=$npids run_wrk "http://127.0.0.1:$nport" /api/v1/verify/ "$dir/n.json" &&
			SERVER_PIDS=$pid run_wrk "http://127.0.0.1:$port" /V/ "$dir/t.page" &&
			SERVER_PIDS=$npids run_wrk "http://127.0.0.1:$nport" /V/ "$dir/n.page" &&
			SERVER_PIDS=$pid run_wrk "http://127.0.0.1:$port" /V/offline.html \
				"$dir/t.floor" "$dir/empty.tokens" &&
			SERVER_PIDS=$pid run_wrk "http://127.0.0.1:$mport" /api/v1/verify/ "$dir/m.json" &&
			SERVER_PIDS=$pid run_wrk "http://127.0.0.1:$mport" /V/ "$dir/m.page" ||
			{ rc=1; break; }
	done
	if [ "$rc" = 0 ]; then
		rows "terbit verify JSON /api/v1/verify/{token}, $N_DOCS distinct" \
			"random over $N_DOCS issued tokens, $jsize B answer, the lane, $(nproc) threads (one per CPU)" \
			"$dir/t.json" "$dir/n.json"
		rows "terbit verify page /V/{token}, $N_DOCS distinct" \
			"random over $N_DOCS issued tokens, $psize B answer, the lane, $(nproc) threads (one per CPU)" \
			"$dir/t.page" "$dir/n.page"
		main_rows "$dir"
		floor_rows "$dir" "$port"
		local rss hwm anon
		rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
		hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")
		anon=$(awk '/^RssAnon:/ { print $2 }' "/proc/$pid/status")
		printf 'terbit serve resident memory after the runs\t%s\tKiB\tVmRSS; %s lane and 4 libmicrohttpd threads, each with its answer cache\n' "$rss" "$(nproc)"
		printf 'terbit serve private memory after the runs\t%s\tKiB\tRssAnon: heap, stacks, page caches\n' "$anon"
		printf 'terbit serve peak resident memory\t%s\tKiB\tVmHWM\n' "$hwm"
	fi
	stop_pid "$NGINX_PID" QUIT
	kill -TERM "$pid"
	wait "$pid" || { say "serve did not exit 0"; rc=1; }
	return $rc
}

# deploy/nginx-verifier.conf on loopback: the TLS lines and the per-client
# limits left out (one client here: terbit runs with --rate-limit 0 too),
# the cache in the bench directory, the verifiers' ports this run's.
fronted_conf() {
	local dir=$1 port=$2 v1=$3 v2=$4 w=$5 l1=$6 l2=$7
	{
		[ "$(id -u)" -eq 0 ] && echo "user root;"
		cat <<EOF
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
	log_format cache '\$upstream_cache_status \$status';
	access_log $dir/access.log cache buffer=8k flush=1s;
	client_body_temp_path $dir/tmp/body;
	proxy_temp_path $dir/tmp/proxy;
	fastcgi_temp_path $dir/tmp/fastcgi;
	uwsgi_temp_path $dir/tmp/uwsgi;
	scgi_temp_path $dir/tmp/scgi;
EOF
		sed -e '/^ *ssl_/d' -e '/limit_req\|limit_conn/d' -e '/^ *listen \[::\]/d' \
			-e "s|listen 443 ssl http2;|listen 127.0.0.1:$port;|" \
			-e "s|/var/cache/nginx/terbit-verify|$dir/cache|" \
			-e "s|127.0.0.1:8081;|127.0.0.1:$v1;|" -e "s|127.0.0.1:8082;|127.0.0.1:$v2;|" \
			-e "s|127.0.0.1:8080;|127.0.0.1:$w;|" \
			-e "s|127.0.0.1:8091;|127.0.0.1:$l1;|" -e "s|127.0.0.1:8092;|127.0.0.1:$l2;|" \
			-e '/Strict-Transport-Security/d' \
			deploy/nginx-verifier.conf
		echo "}"
	} >"$dir/nginx.conf"
}

bench_fronted() {
	local dir=$BENCH_TMP/verify/fronted port v1 v2 p1 p2 rc=0
	mkdir -p "$dir/tmp" "$dir/cache"
	local l1 l2
	free_port; v1=$PORT; free_port; v2=$PORT; free_port; port=$PORT
	free_port; l1=$PORT; free_port; l2=$PORT
	# One thread each, in both listeners: two processes share the CPUs.
	export TERBIT_VERIFY_THREADS=${BENCH_VERIFIER_THREADS:-1}
	start_terbit ro1 "$v1" --verify-only --threads "${BENCH_VERIFIER_THREADS:-1}" \
		--verify-listen "127.0.0.1:$l1" || return 1
	p1=$SERVE_PID
	start_terbit ro2 "$v2" --verify-only --threads "${BENCH_VERIFIER_THREADS:-1}" \
		--verify-listen "127.0.0.1:$l2" || { stop_pid "$p1"; return 1; }
	p2=$SERVE_PID
	unset TERBIT_VERIFY_THREADS
	wait_port "$l1" && wait_port "$l2" || { stop_pid "$p1"; stop_pid "$p2"; return 1; }
	# The writer is not started: the bench only verifies.
	fronted_conf "$dir" "$port" "$v1" "$v2" "$v1" "$l1" "$l2"
	start_nginx "$dir"
	if ! wait_port "$port"; then
		cat "$dir/error.log" >&2
		stop_pid "$p1"; stop_pid "$p2"
		return 1
	fi
	: >"$dir/page"; : >"$dir/json"; : >"$dir/hot"
	# The hot set: the same 1,500 letters scanned again and again (a
	# day's patients at the facilities), after the distinct rounds.
	head -n 1500 "$CACHE/tokens" >"$dir/hot.tokens"
	for round in $(seq 1 "$ROUNDS"); do
		say "nginx-fronted round $round of $ROUNDS"
		run_wrk "http://127.0.0.1:$port" /V/ "$dir/page" &&
			run_wrk "http://127.0.0.1:$port" /api/v1/verify/ "$dir/json" || { rc=1; break; }
	done
	# Flushes the access log: the cache's share of the distinct rounds.
	kill -USR1 "$NGINX_PID"
	sleep 1.5
	local hits all
	hits=$(grep -c '^HIT ' "$dir/access.log")
	all=$(wc -l <"$dir/access.log")
	for round in $(seq 1 "$ROUNDS"); do
		[ "$rc" = 0 ] || break
		run_wrk "http://127.0.0.1:$port" /V/ "$dir/hot" "$dir/hot.tokens" || rc=1
	done
	stop_pid "$NGINX_PID" QUIT
	if [ "$rc" = 0 ]; then
		local note="nginx proxy_cache (deploy/nginx-verifier.conf) over 2 read-only verifiers' lanes x ${BENCH_VERIFIER_THREADS:-1} thread, random over $N_DOCS tokens"
		printf 'nginx-fronted verify page /V/{token}: requests/s\t%s\treq/s\tmedian of %d; %s\n' \
			"$(median "$dir/page" 1)" "$ROUNDS" "$note"
		printf 'nginx-fronted verify page /V/{token}: p99 latency\t%s\tms\tmedian of %d\n' \
			"$(median "$dir/page" 2)" "$ROUNDS"
		printf 'nginx-fronted verify JSON: requests/s\t%s\treq/s\tmedian of %d\n' \
			"$(median "$dir/json" 1)" "$ROUNDS"
		printf 'nginx-fronted verify JSON: p99 latency\t%s\tms\tmedian of %d\n' \
			"$(median "$dir/json" 2)" "$ROUNDS"
		printf 'nginx-fronted: answers from the cache\t%s\t%%\t%d of %d requests (a token asked again within its minute)\n' \
			"$(awk -v h="$hits" -v a="$all" 'BEGIN { printf "%.1f", a ? 100 * h / a : 0 }')" "$hits" "$all"
		printf 'nginx-fronted verify page, 1,500 letters scanned again: requests/s\t%s\treq/s\tmedian of %d; answers from the cache\n' \
			"$(median "$dir/hot" 1)" "$ROUNDS"
		printf 'nginx-fronted verify page, 1,500 letters scanned again: p99 latency\t%s\tms\tmedian of %d\n' \
			"$(median "$dir/hot" 2)" "$ROUNDS"
	fi
	kill -TERM "$p1" "$p2"
	wait "$p1" || { say "verifier 1 did not exit 0"; rc=1; }
	wait "$p2" || { say "verifier 2 did not exit 0"; rc=1; }
	return $rc
}

need_tools || { say "wrk/nginx unavailable"; exit 1; }
mkdir -p "$BENCH_TMP/verify"
write_lua "$BENCH_TMP/verify/random.lua"
registry || { say "registry set-up failed"; exit 1; }
registry_rows
rc=0
# BENCH_VERIFY_PART=direct or fronted runs only that half.
[ "${BENCH_VERIFY_PART:-direct}" = direct ] && { bench_direct || rc=1; }
[ "${BENCH_VERIFY_PART:-fronted}" = fronted ] && { bench_fronted || rc=1; }
exit $rc
