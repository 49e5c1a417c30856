# Helpers for tests/issue_*.sh (sourced after lib.sh; not a test itself).
# issue_setup N: a data directory with N approved, eligible cases (ids
# 1..N) made through the real case operations by the bench driver
# (tests/bench/bench_issue.c setup), users op (desa 3510052001), dk,
# camat, ds and ds2 (dinsos), admin, faskes.
ISSUE_BENCH=${ISSUE_BENCH:-"$ROOT/build/${TERBIT_BUILD:-rel}/bench/bench_issue"}

issue_setup() {
	TERBIT_ROOT="$ROOT" "$ISSUE_BENCH" setup "$TERBIT_DATA" "$1"
}

# NIK of case $1.
issue_nik() {
	sqlite3 "$TERBIT_DATA/terbit.db" "SELECT nik FROM cases WHERE id = $1"
}

# issue_walk NIK DIR: a new case for NIK walked to approved through the
# CLI, each step by its role; its id is written to DIR/case-id.
issue_walk() {
	local nik=$1 dir=$2 id
	printf '%%PDF-1.4\nrujukan\n%%%%EOF\n' >"$dir/rujukan.pdf"
	t_poorest_answers "$dir/answers.csv"
	id=$("$TERBIT" case new "$nik" --by op) || return 1
	"$TERBIT" case attach "$id" "$dir/rujukan.pdf" --kind rujukan --by op &&
	"$TERBIT" case move "$id" submitted --by op &&
	"$TERBIT" case move "$id" health_checked --by dk &&
	"$TERBIT" case answers "$id" "$dir/answers.csv" --by op &&
	"$TERBIT" case move "$id" surveyed --by op &&
	"$TERBIT" case move "$id" recommended --by camat --note layak &&
	"$TERBIT" case attach "$id" "$dir/rujukan.pdf" --kind verifikasi --by op &&
	"$TERBIT" case move "$id" verified --by op &&
	"$TERBIT" case move "$id" approved --by ds || return 1
	echo "$id" >"$dir/case-id"
}
