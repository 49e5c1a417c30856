/*
 * The statistics' reads (src/stats/, docs/reports.md): the audit rows of
 * the workflow moves, issuances, revocations and gate refusals, scoped by
 * the case's village. Times are compared as the log's ISO 8601 text
 * (fixed width, UTC, so text order is time order); the index
 * audit_action_at (migration 8) keeps each read to its window.
 */
#include "store/store_int.h"

#include <string.h>

#include "core/err.h"

/* A scope prefix matches every village code that starts with it; ""
 * matches all. */
#define IN_SCOPE(col) "substr(" col ", 1, length(?9)) = ?9"

static const char SQL_STATS_COUNTS[] =
	"SELECT substr(village_code, 1, ?1), state, count(*) FROM cases"
	" WHERE " IN_SCOPE("village_code")
	" GROUP BY 1, 2 ORDER BY 1, 2";

/*
 * The cases whose history the figures need: open now (their current
 * visit, and so the overdue list), or moved since `from` (a visit that
 * ended in the window, a first submission or an approval there). Their
 * whole history up to `to`, by case then log order. A case open now
 * that was closed at `to` cannot exist: closing is final. The '+' keeps
 * SQLite on audit_object for a case's rows: by audit_action_at it would
 * walk every move of the log for each case. A case with
 * no row before `to` (opened later) comes once with NULL action and at.
 */
static const char SQL_STATS_STEPS[] =
	"WITH cand(id) AS ("
	" SELECT id FROM cases WHERE state IN (SELECT value FROM json_each(?3))"
	" UNION"
	" SELECT CAST(substr(object, 6) AS INTEGER) FROM audit"
	" WHERE action = 'case.move' AND at >= ?1)"
	" SELECT c.id, c.village_code, c.state, a.action = 'case.new', a.at,"
	" substr(a.note, 1, 63)"
	" FROM cand JOIN cases c ON c.id = cand.id"
	" LEFT JOIN audit a ON a.object = 'case:' || c.id"
	" AND +a.action IN ('case.new', 'case.move') AND +a.at < ?2"
	" WHERE " IN_SCOPE("c.village_code")
	" ORDER BY c.id, a.id";

/*
 * Documents issued in [trend_from, to) (new ones and reissues), with,
 * for a case's first letter when it falls in [from, to), the case's
 * approval time.
 */
static const char SQL_STATS_ISSUED[] =
	"SELECT d.case_id, c.village_code, d.kind, a.at,"
	" CASE WHEN a.action = 'document.issue' AND d.kind = 'letter'"
	"  AND a.at >= ?2 AND NOT EXISTS (SELECT 1 FROM documents d2"
	"   JOIN audit a2 ON a2.object = 'document:' || d2.serial"
	"   WHERE d2.case_id = d.case_id AND d2.kind = 'letter'"
	"   AND a2.action = 'document.issue' AND a2.id < a.id)"
	" THEN (SELECT a3.at FROM audit a3 WHERE a3.object = 'case:' || d.case_id"
	"  AND a3.action = 'case.move' AND a3.note LIKE '%-> approved%'"
	"  ORDER BY a3.id LIMIT 1) END"
	" FROM audit a JOIN documents d ON d.serial = substr(a.object, 10)"
	" JOIN cases c ON c.id = d.case_id"
	" WHERE a.action IN ('document.issue', 'document.reissue')"
	" AND a.at >= ?1 AND a.at < ?3 AND " IN_SCOPE("c.village_code")
	" ORDER BY a.id";

/* Revocations, supersessions (reissues) and gate refusals in [from, to):
 * the documents' through their case, the refusals' through theirs. */
static const char SQL_STATS_EVENTS[] =
	"SELECT a.action, a.note, c.id, c.village_code"
	" FROM audit a LEFT JOIN documents d ON a.action <> 'issue.refused'"
	" AND d.serial = substr(a.object, 10)"
	" JOIN cases c ON c.id = coalesce(d.case_id,"
	"  CASE WHEN a.action = 'issue.refused'"
	"  THEN CAST(substr(a.object, 6) AS INTEGER) END)"
	" WHERE a.action IN ('document.revoke', 'document.supersede',"
	" 'issue.refused') AND a.at >= ?1 AND a.at < ?2"
	" AND " IN_SCOPE("c.village_code")
	" ORDER BY a.id";

/* Steps st to the end, handing each row to row(); a non-zero return
 * from it stops the walk and is returned. Resets st. */
static int walk(struct store *s, sqlite3_stmt *st,
		int (*row)(sqlite3_stmt *st, void *ctx), void *ctx,
		const char *what, struct buf *err)
{
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		int rc = row(st, ctx);
		if (rc)
			return store__done(st, rc);
	}
	return store__done(st, r == SQLITE_DONE ? 0 : store__err(s, what, err));
}

struct count_cb {
	int (*fn)(const struct store_stats_count *r, void *arg);
	void *arg;
};

static int count_row(sqlite3_stmt *st, void *ctx)
{
	struct count_cb *cb = ctx;
	struct store_stats_count r;
	store__col(st, 0, r.area, sizeof r.area);
	store__col(st, 1, r.state, sizeof r.state);
	r.n = sqlite3_column_int(st, 2);
	return cb->fn(&r, cb->arg);
}

int store_stats_counts(struct store *s, const char *prefix, int area_digits,
		       int (*fn)(const struct store_stats_count *r, void *arg),
		       void *arg, struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_STATS_COUNTS, err);
	if (!st)
		return TB_EDB;
	sqlite3_bind_int(st, 1, area_digits);
	store__bind(st, 9, prefix);
	struct count_cb cb = { fn, arg };
	return walk(s, st, count_row, &cb, "statistik kasus", err);
}

struct step_cb {
	int (*fn)(const struct store_stats_step *r, void *arg);
	void *arg;
};

static int step_row(sqlite3_stmt *st, void *ctx)
{
	struct step_cb *cb = ctx;
	struct store_stats_step r;
	r.case_id = sqlite3_column_int64(st, 0);
	store__col(st, 1, r.village, sizeof r.village);
	store__col(st, 2, r.state_now, sizeof r.state_now);
	r.opened = sqlite3_column_int(st, 3);
	store__col(st, 4, r.at, sizeof r.at);
	store__col(st, 5, r.note, sizeof r.note);
	return cb->fn(&r, cb->arg);
}

int store_stats_steps(struct store *s, const char *prefix,
		      const char *open_json, const char *from, const char *to,
		      int (*fn)(const struct store_stats_step *r, void *arg),
		      void *arg, struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_STATS_STEPS, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 1, from);
	store__bind(st, 2, to);
	store__bind(st, 3, open_json);
	store__bind(st, 9, prefix);
	struct step_cb cb = { fn, arg };
	return walk(s, st, step_row, &cb, "statistik riwayat kasus", err);
}

struct issued_cb {
	int (*fn)(const struct store_stats_issued *r, void *arg);
	void *arg;
};

static int issued_row(sqlite3_stmt *st, void *ctx)
{
	struct issued_cb *cb = ctx;
	struct store_stats_issued r;
	r.case_id = sqlite3_column_int64(st, 0);
	store__col(st, 1, r.village, sizeof r.village);
	store__col(st, 2, r.kind, sizeof r.kind);
	store__col(st, 3, r.at, sizeof r.at);
	store__col(st, 4, r.approved_at, sizeof r.approved_at);
	r.first_letter = sqlite3_column_type(st, 4) != SQLITE_NULL;
	return cb->fn(&r, cb->arg);
}

int store_stats_issued(struct store *s, const char *prefix,
		       const char *trend_from, const char *from,
		       const char *to,
		       int (*fn)(const struct store_stats_issued *r, void *arg),
		       void *arg, struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_STATS_ISSUED, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 1, trend_from);
	store__bind(st, 2, from);
	store__bind(st, 3, to);
	store__bind(st, 9, prefix);
	struct issued_cb cb = { fn, arg };
	return walk(s, st, issued_row, &cb, "statistik dokumen", err);
}

struct event_cb {
	int (*fn)(const struct store_stats_event *r, void *arg);
	void *arg;
};

static int event_row(sqlite3_stmt *st, void *ctx)
{
	struct event_cb *cb = ctx;
	struct store_stats_event r;
	store__col(st, 0, r.action, sizeof r.action);
	store__col(st, 1, r.note, sizeof r.note);
	r.case_id = sqlite3_column_int64(st, 2);
	store__col(st, 3, r.village, sizeof r.village);
	return cb->fn(&r, cb->arg);
}

int store_stats_events(struct store *s, const char *prefix, const char *from,
		       const char *to,
		       int (*fn)(const struct store_stats_event *r, void *arg),
		       void *arg, struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_STATS_EVENTS, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 1, from);
	store__bind(st, 2, to);
	store__bind(st, 9, prefix);
	struct event_cb cb = { fn, arg };
	return walk(s, st, event_row, &cb, "statistik pencabutan", err);
}

/* One max() per action so each is a single seek in audit_action_at
 * (an IN list would walk the ranges). */
static const char SQL_STATS_LAST_AT[] =
	"SELECT max(m) FROM ("
	" SELECT max(at) m FROM audit WHERE action = 'case.new'"
	" UNION ALL SELECT max(at) FROM audit WHERE action = 'case.move'"
	" UNION ALL SELECT max(at) FROM audit WHERE action = 'document.issue'"
	" UNION ALL SELECT max(at) FROM audit WHERE action = 'document.reissue'"
	" UNION ALL SELECT max(at) FROM audit WHERE action = 'document.revoke'"
	" UNION ALL SELECT max(at) FROM audit"
	"  WHERE action = 'document.supersede'"
	" UNION ALL SELECT max(at) FROM audit WHERE action = 'issue.refused')";

int store_stats_last_at(struct store *s, char out[32], struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_STATS_LAST_AT, err);
	if (!st)
		return TB_EDB;
	if (sqlite3_step(st) != SQLITE_ROW)
		return store__done(st, store__err(s, "statistik terakhir", err));
	store__col(st, 0, out, 32);
	return store__done(st, 0);
}
