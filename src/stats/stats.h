#ifndef TERBIT_STATS_H
#define TERBIT_STATS_H
/*
 * stats: the dashboard's and the monthly report's figures, for one actor's
 * scope, computed from the audit log's timestamps of the workflow moves
 * (docs/reports.md defines every figure; read it before changing one).
 * The page (src/web/), the PDF report (src/render/), the CSV report and
 * GET /api/v1/stats all take their numbers from one struct stats filled
 * by stats_compute, so they cannot disagree.
 *
 *   struct stats_query q = { .actor = a, .now = time(NULL), .policy = p };
 *   struct stats st;
 *   if (stats_compute(s, &q, &st, err) == 0) { ... use st ... }
 *   stats_release(&st);       // always, also after a failure
 *
 * Definitions, in short (docs/reports.md has them in full):
 *  - A visit is one stay of a case in a state: from the audit row that
 *    brought it there (case.new for draft, case.move "x -> S") to the
 *    case.move out of it. A stage's wait for a case is the SUM of all its
 *    visits to that stage (a returned and resubmitted case adds up).
 *  - The window is [from, to): the last `days` days ending at now, or a
 *    calendar month in WIB (UTC+7). "now" for open visits is
 *    at = min(now, to): the figures are those of the log as of `at`.
 *  - Stage waits over the window: the (case, stage) pairs whose LAST
 *    finished visit to the stage ended inside the window; the value is
 *    the sum of all the case's finished visits to it.
 *  - Submission to approval: cases approved inside the window, from their
 *    FIRST submission (draft -> submitted) to the approval.
 *    Approval to letter: cases whose first letter (document.issue of a
 *    letter) was issued inside the window, from their approval.
 *  - Percentiles are nearest-rank: the p-th of n sorted values is the
 *    value of rank ceil(p * n / 100) (1-based); median is p = 50.
 *  - Overdue: open at `at`, in a waiting stage, and in its current visit
 *    for longer than the stage's limit.
 *  - A refusal by the gate is an issue.refused audit row (the gate's
 *    checks said no: not approved, not eligible, another document in
 *    force), appended by src/issue/issue.c.
 *
 * Scope comes from cases_scope (wf_scope): the regency for dinsos,
 * dinkes and admin (and the NULL console actor), the actor's kecamatan
 * for kecamatan, the actor's village for desa; faskes sees nothing
 * (TB_EPERM). Areas are the kecamatan of the regency for a regency-wide
 * actor, the villages of the kecamatan for a kecamatan officer, and the
 * one village for a village operator.
 *
 * Durations are seconds (int64_t); times are unix seconds; days are days
 * since 1970-01-01 in WIB (UTC+7), the office's calendar.
 */
#include <stddef.h>
#include <stdint.h>

#include "cases/cases.h"
#include "core/buf.h"
#include "eligibility/eligibility.h"
#include "store/store.h"
#include "workflow/workflow.h"

#define STATS_DAYS_DEFAULT 30
#define STATS_DAYS_MAX 366
#define STATS_TREND_DAYS 90          /* letters and cards per day */
#define STATS_OVERDUE_MAX 100        /* overdue cases listed (all counted) */
#define STATS_REASONS_MAX 20         /* reasons listed per kind (all counted) */
#define STATS_LIMIT_DEFAULT_S (24 * 3600)
#define STATS_TARGET_S (6 * 3600)    /* the six-hour mark of the regency */
#define STATS_TZ_OFFSET_S (7 * 3600) /* WIB: days and months are WIB's */

/*
 * The waiting stages, in workflow order: the states a case waits in for
 * someone (every state but the final approved and rejected). Index i of
 * every per-stage array is stats_stages[i].
 */
#define STATS_NSTAGES 7
extern const enum case_state stats_stages[STATS_NSTAGES];
/* The index of state in stats_stages, or -1 (approved, rejected). */
int stats_stage_index(enum case_state state);

/*
 * The stage limits: policy settings `stage_limit_hours_<state> = N`
 * (whole hours, 1..8760, in the policy file's [settings]; the value is
 * checked when the policy loads, docs/policy.md), STATS_LIMIT_DEFAULT_S
 * for a stage without one.
 * p may be NULL (every stage the default). Fills limits_s[i] for
 * stats_stages[i]. 0, or TB_EINVAL for a malformed setting.
 */
int stats_limits(const struct policy *p, int64_t limits_s[STATS_NSTAGES],
		 struct buf *err);

struct stats_query {
	const struct cases_actor *actor; /* NULL: the console, the regency */
	int64_t now;                /* unix seconds (tests pass their clock) */
	int days;                   /* window length; 0: STATS_DAYS_DEFAULT */
	/* A calendar month instead of the rolling window (the monthly
	 * report): year and month 1..12 in WIB; 0: rolling window. */
	int year, month;
	const struct policy *policy; /* stage limits; NULL: defaults */
};

/* n values, nearest-rank percentiles; all 0 when n is 0. */
struct stats_dist {
	size_t n;
	int64_t median_s, p90_s, max_s;
};

/* One area's figures (an area, or the whole scope: stats.all). */
struct stats_area {
	char code[REGION_CODE_MAX + 1];  /* 6 or 10 digits; scope for all */
	char name[STORE_NAME_MAX];       /* from the regions table; "" unknown */
	int by_state[ST__COUNT];         /* cases in each state at `at` */
	int total;
	struct stats_dist wait[STATS_NSTAGES]; /* stage waits in the window */
	int overdue[STATS_NSTAGES];      /* open beyond the limit at `at` */
	struct stats_dist to_approval;   /* first submission -> approval */
	struct stats_dist to_letter;     /* approval -> first letter */
	/* Flows inside the window: first submissions, returns, approvals,
	 * rejections (moves), documents issued (issue + reissue rows). */
	int submitted, returned, approved, rejected;
	int letters, cards;
};

struct stats_overdue {
	int64_t case_id;
	enum case_state state;
	int64_t since;              /* unix seconds: entered the state */
	int64_t waiting_s;          /* at - since */
	int64_t limit_s;
	char village[REGION_CODE_MAX + 1];
	char village_name[STORE_NAME_MAX];
	char name[STORE_NAME_MAX];  /* the resident's */
};

struct stats_day {
	int64_t day;                /* days since 1970-01-01, WIB */
	int letters, cards;         /* documents issued (issue + reissue) */
};

/* A reason and how many times it was given in the window. key: the
 * engine's rule code or "not_approved" / "in_force" for refusals; the
 * reason text itself for revocations and reissues. */
struct stats_reason {
	char key[STORE_TEXT_MAX];
	char label[STORE_TEXT_MAX]; /* Indonesian, for people */
	int n;
};

struct stats_reasons {
	int total;                  /* events in the window */
	struct stats_reason *r;     /* most frequent first, ties by key */
	size_t n;                   /* at most STATS_REASONS_MAX listed */
};

struct stats {
	/* The query as resolved. */
	int64_t now, from, to, at;  /* unix seconds; at = min(now, to) */
	int days;                   /* window length in days */
	int year, month;            /* 0 unless a month was asked */
	char scope[REGION_CODE_MAX + 1]; /* village-code prefix; "" regency */
	char scope_name[STORE_NAME_MAX];
	int area_digits;            /* 6: kecamatan areas; 10: villages */
	int64_t limit_s[STATS_NSTAGES];
	int64_t target_s;           /* STATS_TARGET_S */

	struct stats_area all;      /* the whole scope */
	struct stats_area *areas;   /* code order; only areas with a case */
	size_t nareas;

	/* Overdue at `at`, longest waiting first (ties by case id);
	 * noverdue <= STATS_OVERDUE_MAX, all.overdue[] counts them all. */
	struct stats_overdue *overdue;
	size_t noverdue;

	/* The STATS_TREND_DAYS days ending with at's day, oldest first. */
	struct stats_day trend[STATS_TREND_DAYS];

	struct stats_reasons revocations; /* document.revoke */
	struct stats_reasons reissues;    /* document.supersede */
	struct stats_reasons refusals;    /* issue.refused, by reason */
};

/*
 * Fills *out (the caller's, released with stats_release also after a
 * failure). TB_EPERM for an actor that sees no case data, TB_EINVAL for
 * a bad query (days outside 1..STATS_DAYS_MAX, a month outside 1..12 or
 * after now), TB_EDB. Reads only, with no transaction of its own
 * (SQLite's WAL gives each statement a consistent view).
 */
int stats_compute(struct store *s, const struct stats_query *q,
		  struct stats *out, struct buf *err);
void stats_release(struct stats *st);

/* The figures as one JSON object (docs/api.md, GET /api/v1/stats),
 * appended to out: durations in seconds, times ISO 8601 UTC. */
int stats_to_json(const struct stats *st, struct buf *out);

/*
 * The monthly report's figures as CSV (docs/reports.md), appended to out:
 * UTF-8 with a BOM (so spreadsheets read the names right), CRLF rows,
 * blocks with their own header row separated by an empty row; numbers
 * plain, '.' for decimals (hours with two decimals), never grouped; a
 * cell a spreadsheet could run as a formula is defused (csv_row).
 */
int stats_to_csv(const struct stats *st, struct buf *out);

/*
 * A cache of computed figures that the server's threads share (the
 * dashboard page and its downloads): the page is asked for often, the
 * figures change only when something is committed, and computing them
 * for the regency reads a year's audit log (docs/reports.md, "Speed").
 *
 * Figures are kept per (scope, names shown or not, window: days or
 * month, policy, minute of q->now) and served while the database's
 * shared commit counter (store_generation) has not moved since they
 * were computed: any terbit commit, in any thread or process (a move,
 * a letter, a session's touch), makes every entry stale at once. The
 * figures served are those computed at the first request of the minute
 * after the last commit, so "now" in them is at most a minute old, and
 * a write by another program (the sqlite3 shell) shows at the next
 * minute. Only one thread computes a key at a time; the others asking
 * for it wait for that result instead of computing it again.
 *
 *   const struct stats *st;
 *   if (stats_cache_get(c, s, &q, &st, err) == 0) {
 *       ... read *st, never change it ...
 *       stats_cache_put(c, st);       // once per successful get
 *   }
 *
 * At most STATS_CACHE_SLOTS keys (least recently used goes). Without a
 * commit counter (":memory:") every get computes afresh. Thread-safe.
 */
#define STATS_CACHE_SLOTS 64

struct stats_cache;

/* NULL when memory runs out. stats_cache_free(NULL) is fine; every
 * figure handed out must have been put back before. */
struct stats_cache *stats_cache_new(void);
void stats_cache_free(struct stats_cache *c);

/* The figures of q (as stats_compute would give them at q->now, or at
 * most a minute earlier): 0 with *out, or stats_compute's errors. s is
 * the calling thread's handle (it computes on it on a miss). */
int stats_cache_get(struct stats_cache *c, struct store *s,
		    const struct stats_query *q, const struct stats **out,
		    struct buf *err);
/* Hands back figures from stats_cache_get. */
void stats_cache_put(struct stats_cache *c, const struct stats *st);

/*
 * Something a caller derives from figures once and keeps with them (the
 * dashboard's rendered tables and charts: the same for everyone who
 * gets these figures): the memo of st, made by make(st, arg) the first
 * time it is asked for and freed with release when the figures are.
 * Valid until st is put back. Two threads asking at once may both make
 * one; the first kept wins and the other is released. NULL when make
 * returned NULL (nothing is kept then).
 */
const void *stats_cache_memo(struct stats_cache *c, const struct stats *st,
			     void *(*make)(const struct stats *st, void *arg),
			     void (*release)(void *memo), void *arg);

/* What the cache did so far (tests, logs). */
struct stats_cache_counts {
	uint64_t hits;              /* served kept figures */
	uint64_t computes;          /* stats_compute runs */
	uint64_t waits;             /* waited for another thread's compute */
};
void stats_cache_counts(struct stats_cache *c,
			struct stats_cache_counts *out);

/* "YYYY-MM" -> year, month. TB_EINVAL (Indonesian) otherwise. */
int stats_month_parse(const char *s, int *year, int *month, struct buf *err);

#endif
