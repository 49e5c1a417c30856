/*
 * The dashboard (/dasbor) and its downloads: the figures of one
 * stats_compute for the signed-in user's scope (the regency, their
 * kecamatan, their village), as tables and inline SVG charts, and the
 * same figures as the monthly PDF (report_pdf) and CSV (stats_to_csv).
 * The figures come from the cache the threads share (w->web->stats):
 * computing them for the regency costs ~25 ms, drawing them far less.
 * The numbers are the stats module's; this page only words and draws
 * them (docs/web.md, docs/reports.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/str.h"
#include "http/pool.h"
#include "report/report.h"
#include "stats/stats.h"
#include "web/svg.h"
#include "web/web_int.h"

/* The page stays under 30 KB at 10,000 cases: the oldest overdue cases
 * only, with a count of the rest (the CSV has up to STATS_OVERDUE_MAX). */
#define PAGE_OVERDUE 20

/* ?bulan=YYYY-MM: a calendar month; absent: the last 30 days. */
static int query_of(struct web_req *w, struct stats_query *q, int need_month)
{
	const char *m = http_query(w->http, "bulan");
	memset(q, 0, sizeof *q);
	q->actor = w->actor;
	/* Not time(): its coarse clock lags the one rows are stamped
	 * with, and the figures cache tells seconds apart (stats.h). */
	q->now = clock_now();
	q->policy = w->app ? w->app->policy : NULL;
	if (m && *m)
		return stats_month_parse(m, &q->year, &q->month, w->err);
	if (need_month) {
		int d;
		days_to_date((q->now + STATS_TZ_OFFSET_S) / 86400, &q->year,
			     &q->month, &d);
	}
	return 0;
}

static const char *pool_str(struct web_req *w, struct buf *b)
{
	const char *s = b->data ? b->data : "";
	size_t n = strlen(s);
	char *p = pool_alloc(w->http->pool, n + 1);
	if (p)
		memcpy(p, s, n + 1);
	buf_reset(b);
	return p ? p : "";
}

static const char *dur(struct web_req *w, struct buf *tmp, size_t n,
		       int64_t s)
{
	if (!n)
		return "-";
	fmt_duration_id(tmp, s);
	return pool_str(w, tmp);
}

static const char *num(struct web_req *w, struct buf *tmp, int64_t v)
{
	fmt_int_id(tmp, v);
	return pool_str(w, tmp);
}

/* Cases by state x area: the table's rows and the bar chart. */
static int by_state(struct web_req *w, const struct stats *st,
		    struct buf *tmp)
{
	struct tmpl_view *v = w->view;
	for (int k = 0; k < ST__COUNT; k++) {
		struct tmpl_view *r = tmpl_add_row(v, "states");
		if (r) {
			tmpl_put_str(r, "label",
				     state_label((enum case_state)k));
			tmpl_put_int(r, "k", k);
		}
	}
	const char **cat = pool_alloc(w->http->pool,
				      (st->nareas + 1) * sizeof *cat);
	int *val = pool_alloc(w->http->pool,
			      (st->nareas + 1) * ST__COUNT * sizeof *val);
	if (!cat || !val)
		return TB_ENOMEM;
	for (size_t i = 0; i <= st->nareas; i++) {
		const struct stats_area *a = i < st->nareas ? &st->areas[i]
							    : &st->all;
		struct tmpl_view *r = tmpl_add_row(v, i < st->nareas ? "areas"
								    : "total");
		const char *name = i == st->nareas ? "Jumlah" :
				   a->name[0] ? a->name : a->code;
		if (!r)
			return TB_ENOMEM;
		tmpl_put_str(r, "name", name);
		for (int k = 0; k < ST__COUNT; k++) {
			struct tmpl_view *c = tmpl_add_row(r, "n");
			if (c)
				tmpl_put_str(c, "v", num(w, tmp,
							 a->by_state[k]));
		}
		tmpl_put_str(r, "sum", num(w, tmp, a->total));
		if (i < st->nareas) {
			cat[i] = name;
			for (int k = 0; k < ST__COUNT; k++)
				val[i * ST__COUNT + k] = a->by_state[k];
		}
	}
	if (!st->nareas)
		return 0;
	struct svg_series ser[ST__COUNT];
	for (int k = 0; k < ST__COUNT; k++) {
		ser[k].label = state_label((enum case_state)k);
		ser[k].klass = k;
	}
	buf_reset(tmp);
	int rc = svg_bars(tmp, "grafik-status", "Grafik kasus per status dan "
			  "wilayah; angkanya ada di tabel di bawahnya", cat,
			  st->nareas, ser, ST__COUNT, val);
	if (rc < 0)
		return rc;
	return tmpl_put_html(v, "bars", pool_str(w, tmp));
}

/* Time to approval and to the letter, beside the six-hour mark. */
static void to_letter(struct web_req *w, const struct stats *st,
		      struct buf *tmp)
{
	const struct {
		const char *what;
		const struct stats_dist *d;
	} rows[] = {
		{ "Pengajuan sampai persetujuan", &st->all.to_approval },
		{ "Persetujuan sampai surat", &st->all.to_letter },
	};
	tmpl_put_str(w->view, "target", dur(w, tmp, 1, st->target_s));
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		const struct stats_dist *d = rows[i].d;
		struct tmpl_view *r = tmpl_add_row(w->view, "service");
		if (!r)
			return;
		tmpl_put_str(r, "what", rows[i].what);
		tmpl_put_str(r, "n", num(w, tmp, (int64_t)d->n));
		tmpl_put_str(r, "median", dur(w, tmp, d->n, d->median_s));
		tmpl_put_str(r, "p90", dur(w, tmp, d->n, d->p90_s));
		tmpl_put_str(r, "max", dur(w, tmp, d->n, d->max_s));
		if (d->n)
			tmpl_put_bool(r, d->median_s <= st->target_s ? "ok"
								      : "late",
				      1);
	}
}

static void stages(struct web_req *w, const struct stats *st,
		   struct buf *tmp)
{
	for (int i = 0; i < STATS_NSTAGES; i++) {
		const struct stats_dist *d = &st->all.wait[i];
		struct tmpl_view *r = tmpl_add_row(w->view, "stages");
		if (!r)
			return;
		tmpl_put_str(r, "label", state_label(stats_stages[i]));
		tmpl_put_str(r, "limit", dur(w, tmp, 1, st->limit_s[i]));
		tmpl_put_str(r, "n", num(w, tmp, (int64_t)d->n));
		tmpl_put_str(r, "median", dur(w, tmp, d->n, d->median_s));
		tmpl_put_str(r, "p90", dur(w, tmp, d->n, d->p90_s));
		tmpl_put_str(r, "over", num(w, tmp, st->all.overdue[i]));
		tmpl_put_bool(r, "any_over", st->all.overdue[i] > 0);
	}
	int all = 0;
	for (int i = 0; i < STATS_NSTAGES; i++)
		all += st->all.overdue[i];
	tmpl_put_list(w->view, "overdue");
	size_t n = st->noverdue < PAGE_OVERDUE ? st->noverdue : PAGE_OVERDUE;
	for (size_t i = 0; i < n; i++) {
		const struct stats_overdue *o = &st->overdue[i];
		struct tmpl_view *r = tmpl_add_row(w->view, "overdue");
		if (!r)
			return;
		tmpl_put_int(r, "id", o->case_id);
		tmpl_put_str(r, "name", o->name);
		tmpl_put_str(r, "village", o->village_name[0] ? o->village_name
							     : o->village);
		tmpl_put_str(r, "state", state_label(o->state));
		tmpl_put_str(r, "waiting", dur(w, tmp, 1, o->waiting_s));
		tmpl_put_str(r, "limit", dur(w, tmp, 1, o->limit_s));
		char iso[32];
		fmt_iso_utc(o->since, iso);
		tmpl_put_str(r, "since", iso);
	}
	tmpl_put_bool(w->view, "any_overdue", n > 0);
	tmpl_put_str(w->view, "overdue_all", num(w, tmp, all));
	if ((size_t)all > n)
		tmpl_put_str(w->view, "overdue_rest",
			     num(w, tmp, all - (int64_t)n));
}

static int trend(struct web_req *w, const struct stats *st, struct buf *tmp)
{
	enum { N = STATS_TREND_DAYS };
	const char **lab = pool_alloc(w->http->pool, N * sizeof *lab);
	int *val = pool_alloc(w->http->pool, 2 * N * sizeof *val);
	int letters = 0, cards = 0;
	if (!lab || !val)
		return TB_ENOMEM;
	/* The chart has every day; its table sums weeks (from the last day
	 * back), newest first: 90 rows would weigh more than the chart and
	 * push a busy regency's page past 30 KB. */
	for (int i = 0; i < N; i++) {
		const struct stats_day *d = &st->trend[i];
		int y, m, dd;
		days_to_date(d->day, &y, &m, &dd);
		buf_addf(tmp, "%d %.3s", dd, fmt_month_id(m));
		lab[i] = pool_str(w, tmp);
		val[i] = d->letters;
		val[N + i] = d->cards;
		letters += d->letters;
		cards += d->cards;
	}
	for (int end = N - 1; end >= 0; end -= 7) {
		int start = end >= 6 ? end - 6 : 0, l = 0, c = 0;
		for (int i = start; i <= end; i++)
			l += val[i], c += val[N + i];
		struct tmpl_view *r = tmpl_add_row(w->view, "weeks");
		if (!r)
			return TB_ENOMEM;
		tmpl_put_fmt(r, "range", "%s sampai %s", lab[start], lab[end]);
		tmpl_put_str(r, "letters", num(w, tmp, l));
		tmpl_put_str(r, "cards", num(w, tmp, c));
	}
	tmpl_put_str(w->view, "trend_letters", num(w, tmp, letters));
	tmpl_put_str(w->view, "trend_cards", num(w, tmp, cards));
	static const struct svg_series ser[2] = { { "Surat", 9 },
						  { "Kartu", 10 } };
	int rc = svg_lines(tmp, "grafik-terbit", "Surat dan kartu terbit per "
			   "hari, 90 hari terakhir; angkanya ada di tabel di "
			   "bawahnya", lab, N, ser, 2, val);
	if (rc < 0)
		return rc;
	return tmpl_put_html(w->view, "lines", pool_str(w, tmp));
}

static void reasons(struct web_req *w, const struct stats *st,
		    struct buf *tmp)
{
	const struct {
		const char *key, *what;
		const struct stats_reasons *r;
	} kinds[] = {
		{ "revocations", "Pencabutan", &st->revocations },
		{ "reissues", "Penerbitan ulang", &st->reissues },
		{ "refusals", "Penolakan oleh pemeriksaan penerbitan",
		  &st->refusals },
	};
	for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
		struct tmpl_view *g = tmpl_add_row(w->view, "reasons");
		if (!g)
			return;
		tmpl_put_str(g, "what", kinds[k].what);
		tmpl_put_str(g, "total", num(w, tmp, kinds[k].r->total));
		tmpl_put_list(g, "items");
		tmpl_put_bool(g, "any", kinds[k].r->n > 0);
		for (size_t i = 0; i < kinds[k].r->n; i++) {
			const struct stats_reason *r = &kinds[k].r->r[i];
			struct tmpl_view *it = tmpl_add_row(g, "items");
			if (!it)
				return;
			tmpl_put_str(it, "label", r->label[0] ? r->label
							      : r->key);
			tmpl_put_str(it, "n", num(w, tmp, r->n));
		}
	}
}

static void flows(struct web_req *w, const struct stats *st, struct buf *tmp)
{
	const struct stats_area *a = &st->all;
	const struct {
		const char *what;
		int n;
	} f[] = {
		{ "Diajukan", a->submitted }, { "Dikembalikan", a->returned },
		{ "Disetujui", a->approved }, { "Ditolak", a->rejected },
		{ "Surat terbit", a->letters }, { "Kartu terbit", a->cards },
	};
	for (size_t i = 0; i < ARRAY_SIZE(f); i++) {
		struct tmpl_view *r = tmpl_add_row(w->view, "flows");
		if (!r)
			return;
		tmpl_put_str(r, "what", f[i].what);
		tmpl_put_str(r, "n", num(w, tmp, f[i].n));
	}
}

/* Download links: the month shown, or this month and the one before. */
static void downloads(struct web_req *w, const struct stats *st,
		      struct buf *tmp)
{
	int y = st->year, m = st->month, d;
	int n = st->month ? 1 : 2;
	if (!st->month)
		days_to_date((st->now + STATS_TZ_OFFSET_S) / 86400, &y, &m, &d);
	for (int i = 0; i < n; i++) {
		struct tmpl_view *r = tmpl_add_row(w->view, "months");
		if (!r)
			return;
		buf_addf(tmp, "%04d-%02d", y, m);
		tmpl_put_str(r, "month", pool_str(w, tmp));
		buf_addf(tmp, "%s %d", fmt_month_id(m), y);
		tmpl_put_str(r, "label", pool_str(w, tmp));
		if (--m == 0)
			m = 12, y--;
	}
}

/* The page's body (everything inside the layout) depends on the figures
 * alone, so it is rendered once per figures and kept with them
 * (stats_cache_memo): the tables' hundreds of numbers and the charts were
 * most of a request's CPU once the figures were cached. */
struct body_job {
	struct web_req *w;
	int rc;
};

static void body_free(void *p)
{
	buf_release(p);
	free(p);
}

static int body_view(struct web_req *w, const struct stats *st,
		     struct buf *tmp)
{
	if (report_scope_label(st, tmp) < 0)
		return TB_ENOMEM;
	tmpl_put_str(w->view, "scope", pool_str(w, tmp));
	if (report_period_label(st, tmp) < 0)
		return TB_ENOMEM;
	tmpl_put_str(w->view, "period", pool_str(w, tmp));
	if (report_time_label(st->at, tmp) < 0)
		return TB_ENOMEM;
	tmpl_put_str(w->view, "at", pool_str(w, tmp));
	tmpl_put_str(w->view, "area_word", report_area_word(st));
	tmpl_put_str(w->view, "area_lc", st->area_digits >= REGION_CODE_MAX
					       ? "desa" : "kecamatan");
	tmpl_put_bool(w->view, "month_mode", st->month != 0);
	tmpl_put_str(w->view, "cases", num(w, tmp, st->all.total));
	downloads(w, st, tmp);
	flows(w, st, tmp);
	to_letter(w, st, tmp);
	stages(w, st, tmp);
	reasons(w, st, tmp);
	int rc = by_state(w, st, tmp);
	return rc < 0 ? rc : trend(w, st, tmp);
}

/* The body into a buffer of its own, from a view of its own (in the
 * request's pool, like any view). NULL on failure, job->rc saying why. */
static void *body_make(const struct stats *st, void *arg)
{
	struct body_job *job = arg;
	struct web_req *w = job->w;
	struct tmpl_view *page = w->view;
	struct buf tmp = BUF_INIT;
	struct buf *out = malloc(sizeof *out);
	job->rc = TB_ENOMEM;
	if (!out || !(w->view = tmpl_view_new(w->http->pool))) {
		w->view = page;
		free(out);
		return NULL;
	}
	buf_init(out, WEB_PAGE_MAX);
	job->rc = body_view(w, st, &tmp);
	if (job->rc == 0)
		job->rc = tmpl_render(w->web->tmpl, "dasbor", w->view, out,
				      w->err);
	w->view = page;
	buf_release(&tmp);
	if (job->rc < 0) {
		body_free(out);
		return NULL;
	}
	return out;
}

int ui_dashboard(struct web_req *w)
{
	struct stats_query q;
	const struct stats *st = NULL;
	struct body_job job = { w, 0 };
	const struct buf *body;
	int rc;
	if ((rc = query_of(w, &q, 0)) < 0 ||
	    (rc = stats_cache_get(w->web->stats, w->store, &q, &st,
				  w->err)) < 0)
		goto out;
	body = stats_cache_memo(w->web->stats, st, body_make, body_free, &job);
	if (!body) {
		rc = job.rc < 0 ? job.rc : TB_ENOMEM;
		goto out;
	}
	rc = web_render_body(w, body->data, "Dasbor layanan");
out:
	if (rc == TB_ENOMEM)
		tb_err(w->err, rc, "memori habis");
	if (st)
		stats_cache_put(w->web->stats, st);
	return rc;
}

/* The month's figures as a file to download: a PDF or the CSV. */
static int download(struct web_req *w, int pdf)
{
	struct stats_query q;
	const struct stats *st = NULL;
	struct buf out = BUF_INIT;
	char *cd = NULL;
	int rc;
	/* The PDF is the monthly recap, always a month; the CSV without
	 * ?bulan= has the page's own 30 days. */
	if ((rc = query_of(w, &q, pdf)) < 0 ||
	    (rc = stats_cache_get(w->web->stats, w->store, &q, &st,
				  w->err)) < 0)
		goto out;
	if (pdf) {
		if (!w->app || !w->app->render) {
			rc = tb_err(w->err, TB_EINTERNAL, "pembuat dokumen "
				    "tidak dimuat");
			goto out;
		}
		rc = report_pdf(w->app->render, w->app->policy, st, &out,
				w->err);
	} else {
		rc = stats_to_csv(st, &out);
		if (rc < 0)
			tb_err(w->err, rc, "memori habis");
	}
	if (rc < 0)
		goto out;
	rc = TB_ENOMEM;
	cd = pool_alloc(w->http->pool, 64);
	if (!cd)
		goto out;
	if (st->month)
		snprintf(cd, 64, "attachment; filename=\"laporan-%04d-%02d.%s\"",
			 st->year % 10000, st->month % 100, pdf ? "pdf" : "csv");
	else
		snprintf(cd, 64, "attachment; filename=\"laporan-%d-hari.csv\"",
			 st->days);
	if (http_res_header(w->res, "Content-Disposition", cd) < 0)
		goto out;
	w->res->content_type = pdf ? "application/pdf"
				   : "text/csv; charset=utf-8";
	buf_reset(&w->res->body);
	if (buf_add(&w->res->body, out.data, out.len) < 0)
		goto out;
	rc = 0;
out:
	if (rc == TB_ENOMEM)
		tb_err(w->err, rc, "memori habis");
	if (st)
		stats_cache_put(w->web->stats, st);
	buf_release(&out);
	return rc;
}

int ui_dashboard_pdf(struct web_req *w)
{
	return download(w, 1);
}

int ui_dashboard_csv(struct web_req *w)
{
	return download(w, 0);
}
