#!/bin/bash
# Crash safety of the server under load: several API clients (one
# python3 process, a thread per client) open cases, walk them through the
# workflow by each office's token, issue letters and revoke some, while
# `terbit serve` is killed with SIGKILL at random moments (50-400 ms after
# it is up) and started again. Every 2xx answer a client got is logged
# with what it did. After each kill, on the database the next start will
# find: PRAGMA integrity_check, `terbit document check` (PDF hashes,
# signatures, seals, numbering, the audit chain), `terbit audit verify`,
# and letter and card numbers consecutive per kind and year against the
# counter. At the end every logged 2xx effect must be present: issued
# serials exist (valid, or revoked/superseded since), revoked ones are
# revoked, moved cases are in that state or one the workflow reaches from
# it, attachments and answers are stored.
# 50 kills in the plain build; the sanitizer build (TERBIT_BUILD=san, see
# tests/run-all) is some five times slower, so it makes 15 to stay within
# make check's time. SERVER_KILL_KILLS overrides both.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/http-lib.bash"

W=$T_TMP/w
mkdir -p "$W"
if [ "${TERBIT_BUILD:-rel}" = san ]; then KILLS=${SERVER_KILL_KILLS:-15}
else KILLS=${SERVER_KILL_KILLS:-50}; fi

export TERBIT_VERIFIER_HOST=127.0.0.1:8080
"$TERBIT" init >/dev/null && "$TERBIT" demo-data --residents 400 --seed 11 >/dev/null ||
	{ t_fail "demo data"; t_done; exit 1; }
t_ok "demo data with API tokens"
"$TERBIT" policy show --json >"$W/policy.json"
# Residents without a case, for the clients to open new ones.
db "SELECT nik, village_code FROM residents r
    WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.nik = r.nik)" >"$W/free"
db "SELECT id FROM cases WHERE state NOT IN ('approved', 'rejected')" >"$W/open"
cat >"$W/terbit.conf" <<'EOF'
# one address for every client: no rate limit
rate_limit = 0
threads = 4
EOF

cat >"$W/client.py" <<'PY'
# Clients of the kill test: python3 client.py W DEADLINE_S
import json, os, random, sys, threading, time
import http.client

W, deadline = sys.argv[1], time.time() + float(sys.argv[2])
tokens = {}
for line in open(os.path.join(W, "..", "data", "demo-tokens.txt")):
    f = line.rstrip("\n").split("\t")
    if len(f) >= 4:
        tokens[f[0]] = f[3]
pol = json.load(open(os.path.join(W, "policy.json")))
answers = {"answers": [{"indicator": i["code"],
                        "value": min(a["value"] for a in i["answers"])}
                       for i in pol["indicators"] if not i["retired"]]}
# Residents of villages with an operator token (demo data also has
# residents who moved in from other regencies).
free = [l.split("|") for l in open(os.path.join(W, "free")).read().split()]
free = [(nik, v) for nik, v in free if "desa-" + v in tokens]
cases = [int(x) for x in open(os.path.join(W, "open")).read().split()]
issued, revoked, lost = [], set(), [0]
lock = threading.Lock()
log = open(os.path.join(W, "effects"), "a", buffering=1)
PDF = b"%PDF-1.4\nberkas\n%%EOF\n"

def effect(line):
    with lock:
        log.write(line + "\n")

def api(method, path, who, body=None, ctype="application/json"):
    """(status, json or None); None when the server is down or died."""
    try:
        url = open(os.path.join(W, "url")).read().strip()
        host, port = url[len("http://"):].split(":")
        c = http.client.HTTPConnection(host, int(port), timeout=10)
        h = {"Authorization": "Bearer " + tokens[who]}
        if body is not None:
            h["Content-Type"] = ctype
            if ctype == "application/json":
                body = json.dumps(body).encode()
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        data = r.read()
        c.close()
        try:
            return r.status, json.loads(data)
        except ValueError:
            return r.status, None
    except ConnectionRefusedError:
        time.sleep(0.03)  # down between a kill and the restart
        return None
    except (OSError, http.client.HTTPException, ValueError):
        # Cut off mid-request: the kill landed while it was in flight.
        with lock:
            lost[0] += 1
        time.sleep(0.03)
        return None

def move(cid, who, to, note=None):
    body = {"to": to}
    if note:
        body["note"] = note
    r = api("POST", "/api/v1/cases/%d/move" % cid, who, body)
    if r and r[0] == 200:
        effect("moved %d %s" % (cid, r[1]["state"]))
    return r

def attach(cid, who, kind):
    r = api("POST", "/api/v1/cases/%d/attachments?kind=%s" % (cid, kind),
            who, PDF, "application/pdf")
    if r and r[0] == 201:
        effect("attached %d %d" % (cid, r[1]["id"]))
    return r and r[0] == 201

def advance(cid):
    r = api("GET", "/api/v1/cases/%d" % cid, "dinsos")
    if not r or r[0] != 200:
        return
    st, v = r[1]["state"], r[1]["village"]
    desa, camat = "desa-" + v, "kecamatan-" + v[:6]
    if st in ("draft", "returned"):
        if st == "returned" or attach(cid, desa, "rujukan"):
            move(cid, desa, "submitted")
    elif st == "submitted":
        move(cid, "dinkes", "health_checked")
    elif st == "health_checked":
        a = api("PUT", "/api/v1/cases/%d/answers" % cid, desa, answers)
        if a and a[0] == 200:
            effect("answered %d" % cid)
            move(cid, desa, "surveyed")
    elif st == "surveyed":
        move(cid, camat, "recommended", "layak")
    elif st == "recommended":
        if attach(cid, desa, "verifikasi"):
            move(cid, desa, "verified")
    elif st == "verified":
        m = move(cid, "dinsos", "approved")
        if m and m[0] == 422:
            move(cid, "dinsos", "rejected", "tidak layak")
    elif st == "approved":
        d = api("POST", "/api/v1/cases/%d/documents" % cid, "dinsos",
                {"kind": random.choice(("letter", "letter", "card"))})
        if d and d[0] in (200, 201):
            effect("issued %s" % d[1]["serial"])
            with lock:
                issued.append(d[1]["serial"])

def worker(seed):
    rnd = random.Random(seed)
    while time.time() < deadline and not os.path.exists(os.path.join(W, "stop")):
        op = rnd.random()
        if op < 0.15:
            with lock:
                nik, v = free.pop() if free else (None, None)
            if nik:
                r = api("POST", "/api/v1/cases", "desa-" + v, {"nik": nik})
                if r and r[0] == 201:
                    effect("moved %d draft" % r[1]["id"])
                    with lock:
                        cases.append(r[1]["id"])
        elif op < 0.30:
            with lock:
                left = [s for s in issued if s not in revoked]
                s = rnd.choice(left) if left else None
                if s:
                    revoked.add(s)
            if s:
                r = api("POST", "/api/v1/documents/%s/revoke" % s, "dinsos",
                        {"reason": "uji pembatalan"})
                if r and r[0] == 200:
                    effect("revoked %s" % s)
        else:
            with lock:
                cid = rnd.choice(cases) if cases else None
            if cid:
                advance(cid)

ts = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
for t in ts:
    t.start()
for t in ts:
    t.join()
open(os.path.join(W, "lost"), "w").write("%d\n" % lost[0])
PY

cat >"$W/final.py" <<'PY'
# Every 2xx effect the clients logged is in the database: final.py DB EFFECTS
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
nxt = {"draft": ["submitted"], "submitted": ["health_checked", "returned", "rejected"],
       "health_checked": ["surveyed"], "surveyed": ["recommended", "returned", "rejected"],
       "recommended": ["verified"], "verified": ["approved", "returned", "rejected"],
       "returned": ["submitted"], "approved": [], "rejected": []}
def reach(s):
    seen, todo = set(), [s]
    while todo:
        x = todo.pop()
        if x not in seen:
            seen.add(x)
            todo += nxt[x]
    return seen
bad, n = [], 0
for line in open(sys.argv[2]):
    w = line.split()
    n += 1
    if w[0] == "issued":
        r = db.execute("SELECT state FROM documents WHERE serial = ?", (w[1],)).fetchone()
        ok = r is not None
    elif w[0] == "revoked":
        r = db.execute("SELECT state FROM documents WHERE serial = ?", (w[1],)).fetchone()
        ok = r is not None and r[0] == "revoked"
    elif w[0] == "moved":
        r = db.execute("SELECT state FROM cases WHERE id = ?", (int(w[1]),)).fetchone()
        ok = r is not None and r[0] in reach(w[2])
    elif w[0] == "attached":
        ok = db.execute("SELECT 1 FROM attachments WHERE id = ? AND case_id = ?",
                        (int(w[2]), int(w[1]))).fetchone() is not None
    elif w[0] == "answered":
        ok = db.execute("SELECT 1 FROM answers WHERE case_id = ?",
                        (int(w[1]),)).fetchone() is not None
    else:
        ok = False
    if not ok:
        bad.append(line.strip())
kinds = {}
for line in open(sys.argv[2]):
    kinds[line.split()[0]] = kinds.get(line.split()[0], 0) + 1
print("%d effects logged %s, %d missing" % (n, sorted(kinds.items()), len(bad)))
for b in bad[:10]:
    print("missing:", b)
sys.exit(1 if bad or n == 0 else 0)
PY

# Numbers per kind and year: 1..N without gap or duplicate, N the counter.
numbering_bad() {
	db "SELECT kind, year FROM documents d GROUP BY kind, year
	    HAVING count(*) <> max(seq) OR count(DISTINCT seq) <> count(*)
	       OR count(DISTINCT number) <> count(*)
	       OR max(seq) <> (SELECT last FROM doc_counters c
	                       WHERE c.kind = d.kind AND c.year = d.year)"
}

# start: the server on a port the kernel picks; the clients read it from
# $W/url. Start-up is bounded by srv_start (20 s).
start() {
	srv_start srv -- --config "$W/terbit.conf" || return 1
	echo "$URL" >"$W/url.new" && mv "$W/url.new" "$W/url"
}

start || { t_fail "server starts"; t_done; exit 1; }
# The clients stop when told, or after 5 minutes whatever happens.
python3 "$W/client.py" "$W" 300 2>"$W/client.err" &
CLIENTS=$!

kills=0 integ=0 dcheck=0 averify=0 numbers=0 restarts=0
t0=$(date +%s)
for i in $(seq 1 "$KILLS"); do
	ms=$((50 + RANDOM % 351))
	sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
	kill -9 "$PID" && kills=$((kills + 1))
	wait "$PID" 2>/dev/null
	# The database exactly as the next start will find it.
	if [ "$(db 'PRAGMA integrity_check')" = ok ]; then integ=$((integ + 1))
	else echo "kill $i: integrity_check failed"; fi
	if "$TERBIT" document check >"$W/check.out" 2>&1 && grep -q ' 0 masalah' "$W/check.out"
	then dcheck=$((dcheck + 1)); else echo "kill $i: document check:"; tail -5 "$W/check.out"; fi
	if "$TERBIT" audit verify >"$W/audit.out" 2>&1; then averify=$((averify + 1))
	else echo "kill $i: audit verify:"; tail -3 "$W/audit.out"; fi
	nb=$(numbering_bad)
	if [ -z "$nb" ]; then numbers=$((numbers + 1)); else echo "kill $i: numbering: $nb"; fi
	if start; then restarts=$((restarts + 1)); else echo "kill $i: restart failed"; break; fi
done
secs=$(($(date +%s) - t0))
touch "$W/stop"
wait "$CLIENTS"
srv_stop
head -20 "$W/client.err"
t_check "the clients ran to the end without an error" test ! -s "$W/client.err"

echo "killed $kills times in ${secs} s; $(db 'SELECT count(*) FROM documents') documents," \
	"$(db "SELECT count(*) FROM documents WHERE state = 'revoked'") revoked"
echo "requests cut off by a kill while in flight: $(cat "$W/lost")"
echo "after each kill: integrity_check $integ, document check $dcheck," \
	"audit verify $averify, numbering $numbers of $kills; restarts $restarts"
t_check "$KILLS kills (got $kills)" test "$kills" -eq "$KILLS"
t_check "restarted after every kill" test "$restarts" -eq "$kills"
t_check "integrity_check ok after every kill" test "$integ" -eq "$kills"
t_check "document check: 0 problems after every kill" test "$dcheck" -eq "$kills"
t_check "audit verify after every kill" test "$averify" -eq "$kills"
t_check "numbers consecutive per kind and year after every kill" test "$numbers" -eq "$kills"
t_check "issued, revoked and moved between the kills" \
	grep -q '^issued' "$W/effects"
t_run 0 "every 2xx answer's effect is present" python3 "$W/final.py" \
	"$TERBIT_DATA/terbit.db" "$W/effects"
echo "$OUT"
t_run 0 "a last document check after a clean stop" "$TERBIT" document check
t_done
