#!/bin/bash
# Crash safety of the issue gate: `terbit issue-many` is killed with
# SIGKILL at random moments (at least 100 times), alternating letters and
# cards, one transaction per document or (every third run) per batch of 4. Afterwards every document row must be whole: its PDF present and
# hashing to the stored SHA-256, its signature and token verifying
# (`terbit document check`, which also checks that the numbers run 1..N
# without gap per kind and year), letter numbers unique and consecutive,
# a sample of exported PDFs verifying with terbit and pdfsig, and the
# database passing PRAGMA integrity_check.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/issue-setup.bash"

W=$T_TMP/w
mkdir -p "$W"
KILLS=${ISSUE_CRASH_KILLS:-100}
# More cases than 100 runs can finish, so a late run still has work and
# is killed mid-way rather than exiting on an empty queue.
issue_setup 1500 || { t_fail "set-up of approved cases"; t_done; exit 1; }
t_ok "set-up: 1500 approved, eligible cases"

# Start-up time (policy, layouts, fonts, keys) measured once, so the kill
# lands inside the issuing window in fast and sanitizer builds alike.
t0=$(date +%s%N)
"$TERBIT" issue-many letter --by ds --count 0 >/dev/null
base_ms=$((($(date +%s%N) - t0) / 1000000))
echo "start-up ${base_ms} ms"

killed=0
i=0
# Until KILLS runs died mid-way: a run that finished before its kill does
# not count. Bounded, so a gate that always finishes instantly fails.
while [ "$killed" -lt "$KILLS" ] && [ "$i" -lt $((KILLS * 2)) ]; do
	i=$((i + 1))
	# letters and cards; every third run in batches of 4 per transaction
	kind=letter; [ $((i % 2)) -eq 0 ] && kind=card
	batch=1; [ $((i % 3)) -eq 0 ] && batch=4
	"$TERBIT" issue-many "$kind" --by ds --batch "$batch" >>"$W/serials" 2>>"$W/errs" &
	pid=$!
	ms=$((base_ms + RANDOM % 31))
	sleep "$(printf '0.%03d' "$ms")" 2>/dev/null || sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
	if kill -9 "$pid" 2>/dev/null; then killed=$((killed + 1)); fi
	wait "$pid" 2>/dev/null
done
echo "killed $killed of $i runs while they were still going"
t_check "at least 100 runs killed mid-way (got $killed)" test "$killed" -ge 100
grep -v '^$' "$W/errs" | grep -v 'Killed' | head -5

n=$(sqlite3 "$TERBIT_DATA/terbit.db" "SELECT count(*) FROM documents")
echo "$n documents in the registry"
t_check "documents were issued between the kills" test "$n" -gt 0
t_run 0 "database integrity_check" sqlite3 "$TERBIT_DATA/terbit.db" "PRAGMA integrity_check"
t_grep "integrity ok" "^ok$" "$OUT"

t_check "every row: PDF present and its SHA-256 the stored one" python3 - "$TERBIT_DATA/terbit.db" <<'PY'
import hashlib, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
bad = [s for s, pdf, h, n in db.execute(
           "SELECT d.serial, p.pdf, d.sha256, d.size FROM documents d"
           " LEFT JOIN document_pdfs p ON p.serial = d.serial")
       if not pdf or hashlib.sha256(pdf).hexdigest() != h or len(pdf) != n]
sys.exit(1 if bad else 0)
PY
t_check "letter and card numbers unique and consecutive per year" python3 - "$TERBIT_DATA/terbit.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for kind, year in db.execute("SELECT DISTINCT kind, year FROM documents"):
    seqs = [r[0] for r in db.execute(
        "SELECT seq FROM documents WHERE kind = ? AND year = ? ORDER BY seq", (kind, year))]
    nums = [r[0] for r in db.execute(
        "SELECT number FROM documents WHERE kind = ? AND year = ?", (kind, year))]
    assert seqs == list(range(1, len(seqs) + 1)), (kind, seqs)
    assert len(set(nums)) == len(nums), kind
    last = db.execute("SELECT last FROM doc_counters WHERE kind = ? AND year = ?",
                      (kind, year)).fetchone()[0]
    assert last == len(seqs), (kind, last, len(seqs))
PY
t_check "one document per case and kind" test -z "$(sqlite3 "$TERBIT_DATA/terbit.db" \
	"SELECT case_id, kind FROM documents GROUP BY case_id, kind HAVING count(*) > 1")"
t_run 0 "terbit document check: every row re-proved" "$TERBIT" document check
t_grep "no problems" " 0 masalah" "$OUT"

# A sample of exported PDFs, checked by terbit and by pdfsig.
for s in $(sqlite3 "$TERBIT_DATA/terbit.db" \
	"SELECT serial FROM documents ORDER BY random() LIMIT 4"); do
	"$TERBIT" document get "$s" --out "$W/$s.pdf"
	t_run 0 "$s: terbit verify" "$TERBIT" verify "$W/$s.pdf"
	pdfsig "$W/$s.pdf" >"$W/$s.sig" 2>&1
	t_check "$s: pdfsig valid" grep -q "Signature is Valid." "$W/$s.sig"
done

# After all that, the gate still works and continues the numbering.
t_run 0 "an uninterrupted run finishes the rest" "$TERBIT" issue-many letter --by ds --count 3
t_run 0 "registry still whole" "$TERBIT" document check
t_done
