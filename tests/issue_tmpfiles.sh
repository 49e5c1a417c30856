#!/bin/bash
# Files `terbit issue --out` and friends leave on disk (issue 11, finding
# 6). Output PDFs hold personal data: they are written 0600 whatever the
# umask. A run killed while writing leaves "<out>.terbit-tmp.<pid>" (a
# complete PDF, as often as not); the next run that writes into that
# directory removes those of processes that are gone, and nothing else.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/issue-setup.bash"

W=$T_TMP/w
mkdir -p "$W"
issue_setup 3 || { t_fail "set-up of approved cases"; t_done; exit 1; }
umask 022

t_run 0 "issue --out" "$TERBIT" issue 1 letter --by ds --out "$W/a.pdf"
S1=$OUT
t_check "the letter is written 0600, not 0644 under umask 022" test "$(stat -c %a "$W/a.pdf")" = 600
t_run 0 "document get --out" "$TERBIT" document get "$S1" --by ds --out "$W/copy.pdf"
t_check "a copy is written 0600 too" test "$(stat -c %a "$W/copy.pdf")" = 600
t_run 0 "reissue --out" "$TERBIT" reissue "$S1" --reason "alamat berubah" --by ds --out "$W/new.pdf"
t_check "a reissued letter is written 0600 too" test "$(stat -c %a "$W/new.pdf")" = 600

# What a SIGKILL between open and rename leaves: a PDF under the temp
# name of a process that no longer runs.
sleep 0 & dead=$!; wait "$dead"
t_check "pid $dead is gone" bash -c "! kill -0 $dead 2>/dev/null"
cp "$W/a.pdf" "$W/b.pdf.terbit-tmp.$dead"
cp "$W/a.pdf" "$W/b.pdf.terbit-tmp.$$"          # a live writer's (this shell)
cp "$W/a.pdf" "$W/notes.tmp.$dead"              # not ours
t_run 0 "the next issue into the directory" "$TERBIT" issue 2 letter --by ds --out "$W/b.pdf"
t_grep "it says what it removed" "1 berkas sementara yang tertinggal dihapus" "$ERR"
t_check "the dead process's temp file is gone" test ! -e "$W/b.pdf.terbit-tmp.$dead"
t_check "a live process's temp file is kept" test -e "$W/b.pdf.terbit-tmp.$$"
t_check "a file that is not terbit's is kept" test -e "$W/notes.tmp.$dead"
rm -f "$W/b.pdf.terbit-tmp.$$"

# The real thing, best effort: SIGKILL while the letter is written. The
# window between open and rename is short, so a run may die before or
# after it; whatever is left must be gone after the next run.
for i in 1 2 3 4 5 6; do
	"$TERBIT" reissue "$("$TERBIT" document list --by ds 2>/dev/null | awk '$0 ~ /valid|berlaku/ {print $1; exit}')" \
		--reason "uji $i" --by ds --out "$W/k$i.pdf" >/dev/null 2>&1 &
	pid=$!
	sleep "0.$((RANDOM % 3))$((RANDOM % 10))"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
done
left=$(ls "$W" | grep -c 'terbit-tmp' || true)
echo "temp files left by the kills: $left"
t_run 0 "a run after the kills" "$TERBIT" issue 3 letter --by ds --out "$W/c.pdf"
t_check "no temp file is left after it" bash -c "! ls '$W' | grep -q terbit-tmp"
t_check "every PDF in the directory is 0600" bash -c "! find '$W' -name '*.pdf' ! -perm 600 | grep -q ."
t_done
