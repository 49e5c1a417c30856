/*
 * The figures of docs/reports.md, from the audit log's times. The store
 * hands over four walks (src/store/stats.c): cases per area and state,
 * the openings and moves of the cases that matter to the window, the
 * documents issued, and the revocations, reissues and gate refusals.
 * Everything else (visits, sums, percentiles, the overdue list) is done
 * here in one pass over each walk.
 */
#include "stats/stats.h"
#include "stats/stats_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/err.h"
#include "core/fmt.h"
#include "core/json.h"
#include "core/str.h"
#include "core/vec.h"

const enum case_state stats_stages[STATS_NSTAGES] = {
	ST_DRAFT,       ST_SUBMITTED, ST_HEALTH_CHECKED, ST_SURVEYED,
	ST_RECOMMENDED, ST_VERIFIED,  ST_RETURNED,
};

/* Value lists per area: the stages' waits, then the two times to a
 * letter. */
enum { V_APPROVAL = STATS_NSTAGES, V_LETTER, V__COUNT };

int stats_stage_index(enum case_state state)
{
	for (int i = 0; i < STATS_NSTAGES; i++)
		if (stats_stages[i] == state)
			return i;
	return -1;
}

#define LIMIT_KEY "stage_limit_hours_"
#define LIMIT_HOURS_MAX 8760

int stats_limits(const struct policy *p, int64_t limits_s[STATS_NSTAGES],
		 struct buf *err)
{
	for (int i = 0; i < STATS_NSTAGES; i++) {
		char key[64];
		limits_s[i] = STATS_LIMIT_DEFAULT_S;
		snprintf(key, sizeof key, LIMIT_KEY "%s",
			 state_name(stats_stages[i]));
		const char *v = p ? policy_setting(p, key) : NULL;
		if (!v)
			continue;
		if (strlen(v) > 6 || !str_all_digits(v) || atoi(v) < 1 ||
		    atoi(v) > LIMIT_HOURS_MAX)
			return tb_err(err, TB_EINVAL,
				      "setelan %s harus jam bulat 1 sampai %d "
				      "(tertulis '%s')",
				      key, LIMIT_HOURS_MAX, v);
		limits_s[i] = (int64_t)atoi(v) * 3600;
	}
	return 0;
}

int stats_month_parse(const char *s, int *year, int *month, struct buf *err)
{
	int ok = s && strlen(s) == 7 && s[4] == '-';
	for (int i = 0; ok && i < 7; i++)
		ok = i == 4 || (s[i] >= '0' && s[i] <= '9');
	if (!ok || atoi(s + 5) < 1 || atoi(s + 5) > 12 || atoi(s) < 2000)
		return tb_err(err, TB_EINVAL,
			      "bulan harus ditulis YYYY-MM, mis. 2026-11 "
			      "(tertulis '%s')", s ? s : "");
	*year = atoi(s);
	*month = atoi(s + 5);
	return 0;
}

/* ---- working state ------------------------------------------------ */

struct vals {
	int64_t *v;
	size_t n, cap;
};

static int vals_add(struct vals *l, int64_t v)
{
	if (vec_reserve(&l->v, &l->cap, l->n, sizeof *l->v, 16) < 0)
		return TB_ENOMEM;
	l->v[l->n++] = v;
	return 0;
}

struct warea {
	struct stats_area a;
	struct vals v[V__COUNT];
};

/* One visit's worth of a case's stage: the sum of its finished visits
 * and when the last of them ended. */
struct stage_sum {
	int64_t sum, last_end;
	int visits;
};

struct work {
	struct stats *st;
	struct store *s;
	int64_t from, to, at;
	struct warea all;
	struct warea *areas;
	size_t nareas, cap;
	size_t last;                /* index of the last area found */
	struct stats_overdue *od;   /* every overdue case, unsorted */
	size_t nod, odcap;
	/* The case being gathered from the steps walk. */
	int64_t case_id;
	char village[REGION_CODE_MAX + 1];
	char state_now[24];
	int exists;                 /* opened before `to` */
	enum case_state cur;
	int64_t since, first_submit;
	struct stage_sum sums[STATS_NSTAGES];
	struct buf *err;
};

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Nearest rank: the value of rank ceil(p * n / 100) of the sorted list. */
static int64_t rank(const int64_t *v, size_t n, unsigned p)
{
	size_t r = (p * n + 99) / 100;
	return v[r ? r - 1 : 0];
}

static void dist_of(struct vals *l, struct stats_dist *d)
{
	memset(d, 0, sizeof *d);
	if (!l->n)
		return;
	qsort(l->v, l->n, sizeof *l->v, cmp_i64);
	d->n = l->n;
	d->median_s = rank(l->v, l->n, 50);
	d->p90_s = rank(l->v, l->n, 90);
	d->max_s = l->v[l->n - 1];
}

/* The area of a village code (its first area_digits digits), added when
 * new: the walks may see a case opened after the counts were read. */
static struct warea *area_of(struct work *w, const char *village)
{
	size_t k = (size_t)w->st->area_digits;
	if (w->last < w->nareas &&
	    !strncmp(w->areas[w->last].a.code, village, k))
		return &w->areas[w->last];
	for (size_t i = 0; i < w->nareas; i++)
		if (!strncmp(w->areas[i].a.code, village, k)) {
			w->last = i;
			return &w->areas[i];
		}
	if (vec_reserve(&w->areas, &w->cap, w->nareas, sizeof *w->areas, 32) < 0)
		return NULL;
	struct warea *a = &w->areas[w->nareas];
	memset(a, 0, sizeof *a);
	snprintf(a->a.code, sizeof a->a.code, "%.*s", (int)k, village);
	w->last = w->nareas++;
	return a;
}

/* Adds v to list i of the case's area and of the whole scope. */
static int add_val(struct work *w, struct warea *a, int i, int64_t v)
{
	if (vals_add(&a->v[i], v) < 0 || vals_add(&w->all.v[i], v) < 0)
		return tb_err(w->err, TB_ENOMEM, "memori habis");
	return 0;
}

/* One more of a flow count, in the case's area and in the scope. */
#define BUMP(w, wa, field) ((wa)->a.field++, (w)->all.a.field++)

static int in_window(const struct work *w, int64_t t)
{
	return t >= w->from && t < w->to;
}

/* ---- cases per area and state --------------------------------------- */

static int on_count(const struct store_stats_count *r, void *arg)
{
	struct work *w = arg;
	int s = state_parse(r->state);
	struct warea *a = area_of(w, r->area);
	if (!a)
		return tb_err(w->err, TB_ENOMEM, "memori habis");
	if (s < 0)
		return 0; /* a state this binary does not know: not counted */
	a->a.by_state[s] += r->n;
	a->a.total += r->n;
	w->all.a.by_state[s] += r->n;
	w->all.a.total += r->n;
	return 0;
}

/* ---- the cases' histories -------------------------------------------- */

/* "from -> to" (and maybe ": note") into two states. */
static int parse_move(const char *note, int *from, int *to)
{
	char a[24], b[24];
	const char *arrow = strstr(note, " -> ");
	if (!arrow || arrow - note >= (long)sizeof a)
		return -1;
	snprintf(a, sizeof a, "%.*s", (int)(arrow - note), note);
	const char *t = arrow + 4;
	size_t n = strcspn(t, ":");
	if (n >= sizeof b)
		return -1;
	snprintf(b, sizeof b, "%.*s", (int)n, t);
	*from = state_parse(a);
	*to = state_parse(b);
	return *from < 0 || *to < 0 ? -1 : 0;
}

static void case_begin(struct work *w, const struct store_stats_step *r)
{
	w->case_id = r->case_id;
	snprintf(w->village, sizeof w->village, "%s", r->village);
	snprintf(w->state_now, sizeof w->state_now, "%s", r->state_now);
	w->exists = 0;
	w->cur = ST_DRAFT;
	w->since = 0;
	w->first_submit = -1;
	memset(w->sums, 0, sizeof w->sums);
}

static int overdue_add(struct work *w, int stage, int64_t waiting)
{
	if (vec_reserve(&w->od, &w->odcap, w->nod, sizeof *w->od, 64) < 0)
		return tb_err(w->err, TB_ENOMEM, "memori habis");
	struct stats_overdue *o = &w->od[w->nod++];
	memset(o, 0, sizeof *o);
	o->case_id = w->case_id;
	o->state = stats_stages[stage];
	o->since = w->since;
	o->waiting_s = waiting;
	o->limit_s = w->st->limit_s[stage];
	snprintf(o->village, sizeof o->village, "%s", w->village);
	return 0;
}

/* The case gathered so far is complete: its stage waits that ended in
 * the window, its state at `at` (correcting the counts, which are of
 * now), its open visit. */
static int case_end(struct work *w)
{
	if (!w->case_id)
		return 0;
	struct warea *a = area_of(w, w->village);
	if (!a)
		return tb_err(w->err, TB_ENOMEM, "memori habis");
	int rc = 0;
	for (int i = 0; i < STATS_NSTAGES && !rc; i++)
		if (w->sums[i].visits && in_window(w, w->sums[i].last_end))
			rc = add_val(w, a, i, w->sums[i].sum);
	if (rc)
		return rc;
	int now = state_parse(w->state_now);
	int then = w->exists ? (int)w->cur : -1;
	if (now != then) {
		if (now >= 0) {
			a->a.by_state[now]--;
			w->all.a.by_state[now]--;
		}
		if (then >= 0) {
			a->a.by_state[then]++;
			w->all.a.by_state[then]++;
		} else {
			a->a.total--;
			w->all.a.total--;
		}
	}
	int stage = w->exists ? stats_stage_index(w->cur) : -1;
	if (stage >= 0 && w->at - w->since > w->st->limit_s[stage]) {
		a->a.overdue[stage]++;
		w->all.a.overdue[stage]++;
		rc = overdue_add(w, stage, w->at - w->since);
	}
	w->case_id = 0;
	return rc;
}

static int on_step(const struct store_stats_step *r, void *arg)
{
	struct work *w = arg;
	int64_t t;
	int from, to;
	if (r->case_id != w->case_id) {
		int rc = case_end(w);
		if (rc)
			return rc;
		case_begin(w, r);
	}
	if (iso_utc_parse(r->at, &t) < 0)
		return 0; /* not a time the store wrote: left out */
	if (r->opened) {
		w->exists = 1;
		w->cur = ST_DRAFT;
		w->since = t;
		return 0;
	}
	if (parse_move(r->note, &from, &to) < 0)
		return 0;
	if (!w->exists) {
		/* A move without its opening (a log cut before it):
		 * nothing to measure the visit from. */
		w->exists = 1;
		w->cur = (enum case_state)to;
		w->since = t;
		return 0;
	}
	int stage = stats_stage_index((enum case_state)from);
	if (stage >= 0) {
		w->sums[stage].sum += t - w->since;
		w->sums[stage].last_end = t;
		w->sums[stage].visits++;
	}
	struct warea *a = area_of(w, w->village);
	if (!a)
		return tb_err(w->err, TB_ENOMEM, "memori habis");
	if (to == ST_SUBMITTED && from == ST_DRAFT && w->first_submit < 0) {
		w->first_submit = t;
		if (in_window(w, t))
			BUMP(w, a, submitted);
	}
	if (in_window(w, t)) {
		if (to == ST_RETURNED)
			BUMP(w, a, returned);
		if (to == ST_REJECTED)
			BUMP(w, a, rejected);
		if (to == ST_APPROVED) {
			BUMP(w, a, approved);
			if (w->first_submit >= 0) {
				int rc = add_val(w, a, V_APPROVAL,
						 t - w->first_submit);
				if (rc)
					return rc;
			}
		}
	}
	w->cur = (enum case_state)to;
	w->since = t;
	return 0;
}

/* ---- documents issued --------------------------------------------- */

/* Days since 1970-01-01 on the office's calendar (WIB). */
static int64_t wib_day(int64_t t)
{
	int64_t x = t + STATS_TZ_OFFSET_S;
	return x >= 0 ? x / 86400 : -((-x + 86399) / 86400);
}

static int on_issued(const struct store_stats_issued *r, void *arg)
{
	struct work *w = arg;
	int64_t t, ap;
	if (iso_utc_parse(r->at, &t) < 0)
		return 0;
	int letter = !strcmp(r->kind, "letter");
	int64_t i = wib_day(t) - w->st->trend[0].day;
	if (i >= 0 && i < STATS_TREND_DAYS) {
		w->st->trend[i].letters += letter;
		w->st->trend[i].cards += !letter;
	}
	if (!in_window(w, t))
		return 0;
	struct warea *a = area_of(w, r->village);
	if (!a)
		return tb_err(w->err, TB_ENOMEM, "memori habis");
	if (letter)
		BUMP(w, a, letters);
	else
		BUMP(w, a, cards);
	if (r->first_letter && iso_utc_parse(r->approved_at, &ap) == 0)
		return add_val(w, a, V_LETTER, t - ap);
	return 0;
}

/* ---- revocations, reissues, refusals ------------------------------ */

static const struct {
	const char *code, *label;
} reason_labels[] = {
	{ "not_approved", "Kasus belum disetujui" },
	{ "in_force", "Masih memegang dokumen yang berlaku" },
	{ "nik_valid", "NIK tidak sah" },
	{ "resident", "Bukan penduduk kabupaten" },
	{ "not_pbi", "Masih peserta PBI aktif" },
	{ "survey_complete", "Survei belum lengkap" },
	{ "score_below", "Skor tidak di bawah ambang" },
};

static const char *reason_label(const char *code)
{
	for (size_t i = 0; i < ARRAY_SIZE(reason_labels); i++)
		if (!strcmp(reason_labels[i].code, code))
			return reason_labels[i].label;
	return code;
}

/* Counts one more of key (n bytes) in r, growing its list. */
static int reason_add(struct stats_reasons *r, const char *key, size_t n,
		      int coded, struct buf *err)
{
	char k[STORE_TEXT_MAX];
	while (n && (*key == ' ' || *key == '\n')) {
		key++;
		n--;
	}
	while (n && (key[n - 1] == ' ' || key[n - 1] == '\n'))
		n--;
	snprintf(k, sizeof k, "%.*s", (int)n, key);
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->r[i].key, k)) {
			r->r[i].n++;
			return 0;
		}
	struct stats_reason *g = realloc(r->r, (r->n + 1) * sizeof *g);
	if (!g)
		return tb_err(err, TB_ENOMEM, "memori habis");
	r->r = g;
	struct stats_reason *e = &g[r->n++];
	memset(e, 0, sizeof *e);
	snprintf(e->key, sizeof e->key, "%s", k);
	snprintf(e->label, sizeof e->label, "%s", coded ? reason_label(k) : k);
	e->n = 1;
	return 0;
}

/* An issue.refused note: "letter [code,code] message" (issue.c). */
static int refusal_add(struct stats_reasons *r, const char *note,
		       struct buf *err)
{
	const char *open = strchr(note, '['), *close = strchr(note, ']');
	if (!open || !close || close < open)
		return reason_add(r, "", 0, 1, err);
	for (const char *p = open + 1; p < close;) {
		size_t n = strcspn(p, ",]");
		int rc = reason_add(r, p, n, 1, err);
		if (rc)
			return rc;
		p += n + 1;
	}
	return 0;
}

static int on_event(const struct store_stats_event *e, void *arg)
{
	struct work *w = arg;
	struct stats *st = w->st;
	if (!strcmp(e->action, "document.revoke")) {
		st->revocations.total++;
		return reason_add(&st->revocations, e->note, strlen(e->note), 0,
				  w->err);
	}
	if (!strcmp(e->action, "document.supersede")) {
		/* "diganti oleh SERIAL: reason" */
		const char *p = strstr(e->note, ": ");
		p = p ? p + 2 : e->note;
		st->reissues.total++;
		return reason_add(&st->reissues, p, strlen(p), 0, w->err);
	}
	st->refusals.total++;
	return refusal_add(&st->refusals, e->note, w->err);
}

static int cmp_reason(const void *a, const void *b)
{
	const struct stats_reason *x = a, *y = b;
	if (x->n != y->n)
		return y->n - x->n;
	return strcmp(x->key, y->key);
}

static void reasons_finish(struct stats_reasons *r)
{
	if (r->n)
		qsort(r->r, r->n, sizeof *r->r, cmp_reason);
	if (r->n > STATS_REASONS_MAX)
		r->n = STATS_REASONS_MAX;
}

/* ---- putting it together ------------------------------------------ */

static int cmp_overdue(const void *a, const void *b)
{
	const struct stats_overdue *x = a, *y = b;
	if (x->waiting_s != y->waiting_s)
		return x->waiting_s < y->waiting_s ? 1 : -1;
	return (x->case_id > y->case_id) - (x->case_id < y->case_id);
}

static int cmp_area(const void *a, const void *b)
{
	return strcmp(((const struct stats_area *)a)->code,
		      ((const struct stats_area *)b)->code);
}

static void region_name(struct store *s, const char *code, char *out,
			size_t n)
{
	struct store_region r;
	struct buf ignore = BUF_INIT;
	out[0] = 0;
	if (*code && store_region_get(s, code, &r, &ignore) == 0)
		snprintf(out, n, "%s", r.name);
	buf_release(&ignore);
}

int stats__scope(const struct cases_actor *a,
		 char scope[REGION_CODE_MAX + 1], int *names, struct buf *err)
{
	*names = 1;
	if (a && a->role == ROLE_ADMIN) {
		/* Administrators see the regency's figures but no case
		 * data (docs/workflow.md): no names in the overdue list. */
		scope[0] = 0;
		*names = 0;
		return 0;
	}
	return cases_scope(a, scope, err);
}

/* The window, `at`, the scope and the limits of the query. */
static int resolve(const struct stats_query *q, struct stats *st,
		   int *names, struct buf *err)
{
	int rc;
	if ((rc = stats__scope(q->actor, st->scope, names, err)) < 0)
		return rc;
	if (q->month) {
		if (q->month < 1 || q->month > 12 || q->year < 2000)
			return tb_err(err, TB_EINVAL, "bulan tidak sah");
		st->year = q->year;
		st->month = q->month;
		st->from = date_to_days(q->year, q->month, 1) * 86400 -
			   STATS_TZ_OFFSET_S;
		int ny = q->month == 12 ? q->year + 1 : q->year;
		int nm = q->month == 12 ? 1 : q->month + 1;
		st->to = date_to_days(ny, nm, 1) * 86400 - STATS_TZ_OFFSET_S;
		if (st->from > q->now)
			return tb_err(err, TB_EINVAL,
				      "bulan %04d-%02d belum dimulai", q->year,
				      q->month);
		st->days = (int)((st->to - st->from) / 86400);
	} else {
		st->days = q->days ? q->days : STATS_DAYS_DEFAULT;
		if (st->days < 1 || st->days > STATS_DAYS_MAX)
			return tb_err(err, TB_EINVAL,
				      "jumlah hari harus 1 sampai %d",
				      STATS_DAYS_MAX);
		st->to = q->now;
		st->from = q->now - (int64_t)st->days * 86400;
	}
	st->now = q->now;
	st->at = q->now < st->to ? q->now : st->to;
	st->area_digits = strlen(st->scope) >= 6 ? REGION_CODE_MAX : 6;
	st->target_s = STATS_TARGET_S;
	int64_t last = wib_day(st->at - 1);
	for (int i = 0; i < STATS_TREND_DAYS; i++)
		st->trend[i].day = last - (STATS_TREND_DAYS - 1) + i;
	return stats_limits(q->policy, st->limit_s, err);
}

/* JSON array of the states a case can still leave. */
static void open_states_json(char *out, size_t n)
{
	size_t k = 0;
	out[k++] = '[';
	for (int i = 0; i < STATS_NSTAGES; i++)
		k += (size_t)snprintf(out + k, n - k, "%s\"%s\"", i ? "," : "",
				      state_name(stats_stages[i]));
	snprintf(out + k, n - k, "]");
}

/* Sorted, cut to STATS_OVERDUE_MAX, with names for people. */
static int overdue_finish(struct work *w, int names)
{
	struct stats *st = w->st;
	if (w->nod)
		qsort(w->od, w->nod, sizeof *w->od, cmp_overdue);
	st->noverdue = w->nod < STATS_OVERDUE_MAX ? w->nod : STATS_OVERDUE_MAX;
	st->overdue = w->od;
	w->od = NULL;
	for (size_t i = 0; i < st->noverdue; i++) {
		struct stats_overdue *o = &st->overdue[i];
		struct store_case c;
		region_name(w->s, o->village, o->village_name,
			    sizeof o->village_name);
		if (!names)
			continue;
		int rc = store_case_get(w->s, o->case_id, &c, w->err);
		if (rc < 0)
			return rc;
		snprintf(o->name, sizeof o->name, "%s", c.name);
	}
	return 0;
}

static void work_release(struct work *w)
{
	for (int i = 0; i < V__COUNT; i++)
		free(w->all.v[i].v);
	for (size_t k = 0; k < w->nareas; k++)
		for (int i = 0; i < V__COUNT; i++)
			free(w->areas[k].v[i].v);
	free(w->areas);
	free(w->od);
}

static void area_finish(struct warea *a)
{
	for (int i = 0; i < STATS_NSTAGES; i++)
		dist_of(&a->v[i], &a->a.wait[i]);
	dist_of(&a->v[V_APPROVAL], &a->a.to_approval);
	dist_of(&a->v[V_LETTER], &a->a.to_letter);
}

int stats_compute(struct store *s, const struct stats_query *q,
		  struct stats *out, struct buf *err)
{
	struct work w = { .st = out, .s = s, .err = err };
	char from[32], to[32], trend_from[32], open[160];
	int names, rc;
	memset(out, 0, sizeof *out);
	if ((rc = resolve(q, out, &names, err)) < 0)
		goto out;
	w.from = out->from;
	w.to = out->to;
	w.at = out->at;
	fmt_iso_utc(out->from, from);
	fmt_iso_utc(out->to, to);
	fmt_iso_utc(out->trend[0].day * 86400 - STATS_TZ_OFFSET_S, trend_from);
	open_states_json(open, sizeof open);
	if ((rc = store_stats_counts(s, out->scope, out->area_digits, on_count,
				     &w, err)) < 0 ||
	    (rc = store_stats_steps(s, out->scope, open, from, to, on_step, &w,
				    err)) < 0 ||
	    (rc = case_end(&w)) < 0 ||
	    (rc = store_stats_issued(s, out->scope, trend_from, from, to,
				     on_issued, &w, err)) < 0 ||
	    (rc = store_stats_events(s, out->scope, from, to, on_event, &w,
				     err)) < 0 ||
	    (rc = overdue_finish(&w, names)) < 0)
		goto out;
	reasons_finish(&out->revocations);
	reasons_finish(&out->reissues);
	reasons_finish(&out->refusals);
	area_finish(&w.all);
	out->all = w.all.a;
	snprintf(out->all.code, sizeof out->all.code, "%s", out->scope);
	region_name(s, out->scope, out->all.name, sizeof out->all.name);
	if (!out->scope[0] && q->policy)
		snprintf(out->all.name, sizeof out->all.name, "Kabupaten %s",
			 policy_regency_name(q->policy));
	snprintf(out->scope_name, sizeof out->scope_name, "%s",
		 out->all.name);
	if (w.nareas) {
		out->areas = calloc(w.nareas, sizeof *out->areas);
		if (!out->areas) {
			rc = tb_err(err, TB_ENOMEM, "memori habis");
			goto out;
		}
	}
	for (size_t i = 0; i < w.nareas; i++) {
		area_finish(&w.areas[i]);
		out->areas[out->nareas] = w.areas[i].a;
		region_name(s, out->areas[out->nareas].code,
			    out->areas[out->nareas].name,
			    sizeof out->areas[out->nareas].name);
		out->nareas++;
	}
	if (out->nareas)
		qsort(out->areas, out->nareas, sizeof *out->areas, cmp_area);
	rc = 0;
out:
	work_release(&w);
	return rc;
}

void stats_release(struct stats *st)
{
	if (!st)
		return;
	free(st->areas);
	free(st->overdue);
	free(st->revocations.r);
	free(st->reissues.r);
	free(st->refusals.r);
	memset(st, 0, sizeof *st);
}

/* ---- JSON ---------------------------------------------------------- */

static void json_time(struct json *j, const char *key, int64_t t)
{
	char iso[32];
	fmt_iso_utc(t, iso);
	json_str(j, key, iso);
}

/* A day since 1970-01-01 as "YYYY-MM-DD". */
static void iso_day(int64_t day, char out[16])
{
	int y, m, d;
	days_to_date(day, &y, &m, &d);
	snprintf(out, 16, "%04d-%02d-%02d", y, m, d);
}

static void json_date(struct json *j, const char *key, int64_t day)
{
	char iso[16];
	iso_day(day, iso);
	json_str(j, key, iso);
}

static void json_dist(struct json *j, const char *key,
		      const struct stats_dist *d)
{
	json_obj_open(j, key);
	json_int(j, "n", (int64_t)d->n);
	json_int(j, "median_s", d->median_s);
	json_int(j, "p90_s", d->p90_s);
	json_int(j, "max_s", d->max_s);
	json_obj_close(j);
}

static void json_area(struct json *j, const char *key,
		      const struct stats_area *a)
{
	json_obj_open(j, key);
	json_str(j, "code", a->code);
	json_str(j, "name", a->name);
	json_obj_open(j, "by_state");
	for (int s = 0; s < ST__COUNT; s++)
		json_int(j, state_name((enum case_state)s), a->by_state[s]);
	json_obj_close(j);
	json_int(j, "total", a->total);
	json_arr_open(j, "stages");
	for (int i = 0; i < STATS_NSTAGES; i++) {
		json_obj_open(j, NULL);
		json_str(j, "state", state_name(stats_stages[i]));
		json_int(j, "n", (int64_t)a->wait[i].n);
		json_int(j, "median_s", a->wait[i].median_s);
		json_int(j, "p90_s", a->wait[i].p90_s);
		json_int(j, "max_s", a->wait[i].max_s);
		json_int(j, "overdue", a->overdue[i]);
		json_obj_close(j);
	}
	json_arr_close(j);
	json_dist(j, "to_approval", &a->to_approval);
	json_dist(j, "to_letter", &a->to_letter);
	json_int(j, "submitted", a->submitted);
	json_int(j, "returned", a->returned);
	json_int(j, "approved", a->approved);
	json_int(j, "rejected", a->rejected);
	json_int(j, "letters", a->letters);
	json_int(j, "cards", a->cards);
	json_obj_close(j);
}

static void json_reasons(struct json *j, const char *key,
			 const struct stats_reasons *r)
{
	json_obj_open(j, key);
	json_int(j, "total", r->total);
	json_arr_open(j, "reasons");
	for (size_t i = 0; i < r->n; i++) {
		json_obj_open(j, NULL);
		json_str(j, "key", r->r[i].key);
		json_str(j, "label", r->r[i].label);
		json_int(j, "n", r->r[i].n);
		json_obj_close(j);
	}
	json_arr_close(j);
	json_obj_close(j);
}

int stats_to_json(const struct stats *st, struct buf *out)
{
	struct json j;
	json_init(&j, out);
	json_obj_open(&j, NULL);
	json_str(&j, "scope", st->scope);
	json_str(&j, "scope_name", st->scope_name);
	json_str(&j, "area_level", st->area_digits == 6 ? "kecamatan" : "village");
	json_time(&j, "now", st->now);
	json_time(&j, "from", st->from);
	json_time(&j, "to", st->to);
	json_time(&j, "at", st->at);
	json_int(&j, "days", st->days);
	if (st->month) {
		char m[16];
		snprintf(m, sizeof m, "%04d-%02d", st->year % 10000,
			 st->month % 100);
		json_str(&j, "month", m);
	} else {
		json_null(&j, "month");
	}
	json_int(&j, "target_s", st->target_s);
	json_arr_open(&j, "stages");
	for (int i = 0; i < STATS_NSTAGES; i++) {
		json_obj_open(&j, NULL);
		json_str(&j, "state", state_name(stats_stages[i]));
		json_str(&j, "label", state_label(stats_stages[i]));
		json_int(&j, "limit_s", st->limit_s[i]);
		json_obj_close(&j);
	}
	json_arr_close(&j);
	json_area(&j, "all", &st->all);
	json_arr_open(&j, "areas");
	for (size_t i = 0; i < st->nareas; i++)
		json_area(&j, NULL, &st->areas[i]);
	json_arr_close(&j);
	json_arr_open(&j, "overdue");
	for (size_t i = 0; i < st->noverdue; i++) {
		const struct stats_overdue *o = &st->overdue[i];
		json_obj_open(&j, NULL);
		json_int(&j, "case_id", o->case_id);
		json_str(&j, "state", state_name(o->state));
		json_time(&j, "since", o->since);
		json_int(&j, "waiting_s", o->waiting_s);
		json_int(&j, "limit_s", o->limit_s);
		json_str(&j, "village", o->village);
		json_str(&j, "village_name", o->village_name);
		json_str(&j, "name", o->name);
		json_obj_close(&j);
	}
	json_arr_close(&j);
	json_arr_open(&j, "issued_per_day");
	for (int i = 0; i < STATS_TREND_DAYS; i++) {
		json_obj_open(&j, NULL);
		json_date(&j, "date", st->trend[i].day);
		json_int(&j, "letters", st->trend[i].letters);
		json_int(&j, "cards", st->trend[i].cards);
		json_obj_close(&j);
	}
	json_arr_close(&j);
	json_reasons(&j, "revocations", &st->revocations);
	json_reasons(&j, "reissues", &st->reissues);
	json_reasons(&j, "refusals", &st->refusals);
	json_obj_close(&j);
	return json_finish(&j);
}

/* ---- CSV ----------------------------------------------------------- */

/* Seconds as hours with two decimals and a '.', rounded half up, with
 * integers only (no locale can turn the point into a comma). */
static void hours(int64_t s, char out[32])
{
	int64_t c = (s * 100 + 1800) / 3600;
	snprintf(out, 32, "%lld.%02lld", (long long)(c / 100),
		 (long long)(c % 100));
}

static void num(int64_t v, char out[32])
{
	snprintf(out, 32, "%lld", (long long)v);
}

/* Rows of one CSV block go through here: the first failure sticks. */
struct csvw {
	struct buf *out;
	int rc;
};

static void row(struct csvw *c, const char *const *f, size_t n)
{
	if (!c->rc)
		c->rc = csv_row(c->out, f, n);
}

static void row1(struct csvw *c, const char *title)
{
	row(c, &title, title ? 1 : 0);
}

static void csv_counts(struct csvw *c, const struct stats *st,
		       const struct stats_area *a, const char *name)
{
	char v[ST__COUNT + 1][32];
	const char *f[ST__COUNT + 3] = { a->code, name };
	for (int s = 0; s < ST__COUNT; s++) {
		num(a->by_state[s], v[s]);
		f[2 + s] = v[s];
	}
	num(a->total, v[ST__COUNT]);
	f[2 + ST__COUNT] = v[ST__COUNT];
	(void)st;
	row(c, f, ARRAY_SIZE(f));
}

static void csv_waits(struct csvw *c, const struct stats *st,
		      const struct stats_area *a, const char *name)
{
	for (int i = 0; i < STATS_NSTAGES; i++) {
		char lim[32], n[32], med[32], p90[32], max[32], od[32];
		hours(st->limit_s[i], lim);
		num((int64_t)a->wait[i].n, n);
		hours(a->wait[i].median_s, med);
		hours(a->wait[i].p90_s, p90);
		hours(a->wait[i].max_s, max);
		num(a->overdue[i], od);
		const char *f[] = { a->code, name, state_label(stats_stages[i]),
				    lim, n, med, p90, max, od };
		row(c, f, ARRAY_SIZE(f));
	}
}

static void csv_dist(struct csvw *c, const struct stats_area *a,
		     const char *name, const char *what,
		     const struct stats_dist *d)
{
	char n[32], med[32], p90[32], max[32];
	num((int64_t)d->n, n);
	hours(d->median_s, med);
	hours(d->p90_s, p90);
	hours(d->max_s, max);
	const char *f[] = { a->code, name, what, n, med, p90, max };
	row(c, f, ARRAY_SIZE(f));
}

static void csv_flows(struct csvw *c, const struct stats_area *a,
		      const char *name)
{
	char v[6][32];
	num(a->submitted, v[0]);
	num(a->returned, v[1]);
	num(a->approved, v[2]);
	num(a->rejected, v[3]);
	num(a->letters, v[4]);
	num(a->cards, v[5]);
	const char *f[] = { a->code, name, v[0], v[1], v[2], v[3], v[4], v[5] };
	row(c, f, ARRAY_SIZE(f));
}

static void csv_reasons(struct csvw *c, const char *kind,
			const struct stats_reasons *r)
{
	char n[32];
	num(r->total, n);
	const char *t[] = { kind, "", "Jumlah", n };
	row(c, t, ARRAY_SIZE(t));
	for (size_t i = 0; i < r->n; i++) {
		num(r->r[i].n, n);
		const char *f[] = { kind, r->r[i].key, r->r[i].label, n };
		row(c, f, ARRAY_SIZE(f));
	}
}

/* Every area, then the whole scope as "Semua". */
#define EACH_AREA(c, st, fn, ...)                                            \
	do {                                                                 \
		for (size_t i_ = 0; i_ < (st)->nareas; i_++)                 \
			fn(c, __VA_ARGS__ (st)->areas + i_,                  \
			   (st)->areas[i_].name);                            \
		fn(c, __VA_ARGS__ &(st)->all, "Semua");                      \
	} while (0)

int stats_to_csv(const struct stats *st, struct buf *out)
{
	struct csvw c = { out, 0 };
	char period[64], at[32];
	if (st->month)
		snprintf(period, sizeof period, "%04d-%02d", st->year % 10000,
			 st->month % 100);
	else
		snprintf(period, sizeof period, "%d hari", st->days);
	fmt_iso_utc(st->at, at);
	c.rc = buf_adds(out, "\xEF\xBB\xBF");
	const char *head[] = { "Laporan terbit", st->scope_name, st->scope,
			       period, at };
	row(&c, head, ARRAY_SIZE(head));

	row1(&c, NULL);
	row1(&c, "Kasus per status");
	const char *h1[ST__COUNT + 3] = { "kode_wilayah", "wilayah" };
	for (int s = 0; s < ST__COUNT; s++)
		h1[2 + s] = state_label((enum case_state)s);
	h1[2 + ST__COUNT] = "Jumlah";
	row(&c, h1, ARRAY_SIZE(h1));
	EACH_AREA(&c, st, csv_counts, st,);

	row1(&c, NULL);
	row1(&c, "Waktu tunggu per tahap (jam)");
	const char *h2[] = { "kode_wilayah", "wilayah", "tahap", "batas_jam",
			     "kasus", "median_jam", "p90_jam", "maks_jam",
			     "lewat_batas_sekarang" };
	row(&c, h2, ARRAY_SIZE(h2));
	EACH_AREA(&c, st, csv_waits, st,);

	row1(&c, NULL);
	row1(&c, "Waktu sampai surat (jam)");
	const char *h3[] = { "kode_wilayah", "wilayah", "ukuran", "kasus",
			     "median_jam", "p90_jam", "maks_jam" };
	row(&c, h3, ARRAY_SIZE(h3));
	for (size_t i = 0; i <= st->nareas; i++) {
		const struct stats_area *a =
			i < st->nareas ? &st->areas[i] : &st->all;
		const char *name = i < st->nareas ? a->name : "Semua";
		csv_dist(&c, a, name, "Pengajuan sampai persetujuan",
			 &a->to_approval);
		csv_dist(&c, a, name, "Persetujuan sampai surat",
			 &a->to_letter);
	}

	row1(&c, NULL);
	row1(&c, "Arus dalam periode");
	const char *h4[] = { "kode_wilayah", "wilayah", "diajukan",
			     "dikembalikan", "disetujui", "ditolak", "surat",
			     "kartu" };
	row(&c, h4, ARRAY_SIZE(h4));
	EACH_AREA(&c, st, csv_flows, );

	row1(&c, NULL);
	row1(&c, "Dokumen terbit per hari");
	const char *h5[] = { "tanggal", "surat", "kartu" };
	row(&c, h5, ARRAY_SIZE(h5));
	for (int i = 0; i < STATS_TREND_DAYS; i++) {
		char d[16], l[32], k[32];
		iso_day(st->trend[i].day, d);
		num(st->trend[i].letters, l);
		num(st->trend[i].cards, k);
		const char *f[] = { d, l, k };
		row(&c, f, ARRAY_SIZE(f));
	}

	row1(&c, NULL);
	row1(&c, "Alasan");
	const char *h6[] = { "jenis", "kode", "alasan", "jumlah" };
	row(&c, h6, ARRAY_SIZE(h6));
	csv_reasons(&c, "Pencabutan", &st->revocations);
	csv_reasons(&c, "Penerbitan ulang", &st->reissues);
	csv_reasons(&c, "Penolakan penerbitan", &st->refusals);

	/* The overdue cases by id and village only: a file leaves the
	 * service, the residents' names stay on the page. */
	row1(&c, NULL);
	row1(&c, "Kasus lewat batas");
	const char *h7[] = { "id_kasus", "status", "sejak", "menunggu_jam",
			     "batas_jam", "kode_desa", "desa" };
	row(&c, h7, ARRAY_SIZE(h7));
	for (size_t i = 0; i < st->noverdue; i++) {
		const struct stats_overdue *o = &st->overdue[i];
		char id[32], since[32], w[32], l[32];
		num(o->case_id, id);
		fmt_iso_utc(o->since, since);
		hours(o->waiting_s, w);
		hours(o->limit_s, l);
		const char *f[] = { id, state_label(o->state), since, w, l,
				    o->village, o->village_name };
		row(&c, f, ARRAY_SIZE(f));
	}
	return c.rc;
}
