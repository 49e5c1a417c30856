/* The monthly recap: the figures of struct stats in Indonesian words and
 * render blocks (report.h). */
#include "report/report.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/str.h"
#include "workflow/workflow.h"

const char *report_area_word(const struct stats *st)
{
	return st->area_digits >= REGION_CODE_MAX ? "Desa" : "Kecamatan";
}

int report_scope_label(const struct stats *st, struct buf *out)
{
	size_t n = strlen(st->scope);
	if (n == 0)
		return buf_adds(out, "Seluruh kabupaten");
	return buf_addf(out, "%s %s", n >= REGION_CODE_MAX ? "Desa" :
		       "Kecamatan", st->scope_name[0] ? st->scope_name :
		       st->scope);
}

int report_time_label(int64_t t, struct buf *out)
{
	int64_t local = t + STATS_TZ_OFFSET_S;
	int64_t day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
	int64_t sec = local - day * 86400;
	int rc = fmt_days_id(out, day);
	return rc < 0 ? rc : buf_addf(out, " pukul %02d.%02d WIB",
				      (int)(sec / 3600), (int)(sec / 60 % 60));
}

int report_period_label(const struct stats *st, struct buf *out)
{
	if (st->month)
		return buf_addf(out, "%s %d", fmt_month_id(st->month),
				st->year);
	int64_t last = (st->to - 1 + STATS_TZ_OFFSET_S) / 86400;
	int rc = buf_addf(out, "%d hari sampai ", st->days);
	return rc < 0 ? rc : fmt_days_id(out, last);
}

/* ---- the blocks' strings, owned by one list ---------------------- */

struct strs {
	char **v;
	size_t n, cap;
	int rc;
	struct buf tmp;
};

/* The string now in s->tmp, kept; "" after a failure (remembered). */
static const char *keep(struct strs *s)
{
	if (s->rc == 0 && s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 256;
		char **v = realloc(s->v, cap * sizeof *v);
		if (!v)
			s->rc = TB_ENOMEM;
		else
			s->v = v, s->cap = cap;
	}
	char *p = s->rc ? NULL : strdup(s->tmp.data ? s->tmp.data : "");
	buf_reset(&s->tmp);
	if (!p) {
		s->rc = TB_ENOMEM;
		return "";
	}
	return s->v[s->n++] = p;
}

static const char *sf(struct strs *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static const char *sf(struct strs *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (buf_vaddf(&s->tmp, fmt, ap) < 0)
		s->rc = TB_ENOMEM;
	va_end(ap);
	return keep(s);
}

static const char *num(struct strs *s, int64_t v)
{
	if (fmt_int_id(&s->tmp, v) < 0)
		s->rc = TB_ENOMEM;
	return keep(s);
}

/* A duration as the page writes it; "-" when nothing was measured. */
static const char *dur(struct strs *s, size_t n, int64_t secs)
{
	if (!n)
		return sf(s, "-");
	if (fmt_duration_id(&s->tmp, secs) < 0)
		s->rc = TB_ENOMEM;
	return keep(s);
}

static void strs_release(struct strs *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	buf_release(&s->tmp);
}

/* The states' colours, the same as the page's (static/terbit.css,
 * .chart .k0 ... .k8, in enum case_state order). */
static const unsigned state_rgb[ST__COUNT] = {
	0x8A9099, 0x2F6FB5, 0x5B8FD0, 0x7A5BB5, 0xB25BA8,
	0x1F8A8A, 0x0B7A34, 0xC77C0E, 0xB42318,
};
/* Letters and cards per day: the page's .k9 and .k10. */
static const unsigned trend_rgb[2] = { 0x123C69, 0xC77C0E };

#define MAX_BLOCKS 24

struct build {
	const struct stats *st;
	struct strs s;
	struct render_block b[MAX_BLOCKS];
	size_t nb;
	/* Arrays the blocks point at, freed at the end. */
	void *own[MAX_BLOCKS];
	size_t nown;
};

static void *own(struct build *B, size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p || B->nown == MAX_BLOCKS) {
		free(p);
		B->s.rc = TB_ENOMEM;
		return NULL;
	}
	return B->own[B->nown++] = p;
}

static struct render_block *block(struct build *B, enum render_block_kind k,
				  const char *text)
{
	if (B->nb == MAX_BLOCKS) {
		B->s.rc = TB_ENOMEM;
		return NULL;
	}
	struct render_block *b = &B->b[B->nb++];
	memset(b, 0, sizeof *b);
	b->kind = k;
	b->text = text;
	return b;
}

static void add_table(struct build *B, const char **cells, size_t rows,
		      size_t cols, const double *colw)
{
	struct render_block *b = block(B, RENDER_TABLE, NULL);
	if (!b)
		return;
	b->cells = cells;
	b->rows = rows;
	b->cols = cols;
	b->colw = colw;
}

/* Areas then the whole scope ("Jumlah"). */
static const struct stats_area *area_at(const struct stats *st, size_t i,
					const char **name, struct strs *s)
{
	if (i == st->nareas) {
		*name = "Jumlah";
		return &st->all;
	}
	const struct stats_area *a = &st->areas[i];
	*name = a->name[0] ? a->name : sf(s, "%s", a->code);
	return a;
}

static void summary(struct build *B)
{
	const struct stats *st = B->st;
	const struct stats_area *a = &st->all;
	struct strs *s = &B->s;
	block(B, RENDER_HEADING, "Ringkasan");
	block(B, RENDER_PARA, sf(s, "Dalam periode ini %s kasus diajukan, %s "
				 "dikembalikan untuk diperbaiki, %s disetujui "
				 "dan %s ditolak; terbit %s surat dan %s "
				 "kartu. Saat ini tercatat %s kasus.",
				 num(s, a->submitted), num(s, a->returned),
				 num(s, a->approved), num(s, a->rejected),
				 num(s, a->letters), num(s, a->cards),
				 num(s, a->total)));
	const char **c = own(B, 3 * 6, sizeof *c);
	if (!c)
		return;
	const char *head[6] = { "Waktu layanan", "Kasus", "Median", "P90",
				"Maksimum", "Target" };
	memcpy(c, head, sizeof head);
	const struct stats_dist *d[2] = { &a->to_approval, &a->to_letter };
	const char *what[2] = { "Pengajuan sampai persetujuan",
				"Persetujuan sampai surat" };
	for (int r = 0; r < 2; r++) {
		const char **row = c + 6 * (r + 1);
		row[0] = what[r];
		row[1] = num(s, (int64_t)d[r]->n);
		row[2] = dur(s, d[r]->n, d[r]->median_s);
		row[3] = dur(s, d[r]->n, d[r]->p90_s);
		row[4] = dur(s, d[r]->n, d[r]->max_s);
		row[5] = dur(s, 1, st->target_s);
	}
	static const double w[6] = { 77, 28, 38, 38, 38, 38 };
	add_table(B, c, 3, 6, w);
}

static void by_state(struct build *B)
{
	const struct stats *st = B->st;
	struct strs *s = &B->s;
	size_t cols = ST__COUNT + 2, rows = st->nareas + 2;
	block(B, RENDER_HEADING, sf(s, "Kasus per status dan %s",
				    report_area_word(st)[0] == 'D' ? "desa" :
				    "kecamatan"));
	const char **c = own(B, rows * cols, sizeof *c);
	int *val = own(B, st->nareas * ST__COUNT, sizeof *val);
	const char **cat = own(B, st->nareas, sizeof *cat);
	const char **ser = own(B, ST__COUNT, sizeof *ser);
	if (!c || !val || !cat || !ser)
		return;
	c[0] = report_area_word(st);
	for (int k = 0; k < ST__COUNT; k++)
		c[1 + k] = ser[k] = state_label((enum case_state)k);
	c[cols - 1] = "Jumlah";
	for (size_t i = 0; i <= st->nareas; i++) {
		const char *name;
		const struct stats_area *a = area_at(st, i, &name, s);
		const char **row = c + (i + 1) * cols;
		row[0] = name;
		for (int k = 0; k < ST__COUNT; k++) {
			row[1 + k] = num(s, a->by_state[k]);
			if (i < st->nareas) {
				val[i * ST__COUNT + k] = a->by_state[k];
				cat[i] = name;
			}
		}
		row[cols - 1] = num(s, a->total);
	}
	static const double w[ST__COUNT + 2] = { 43, 19, 21, 23, 21, 27, 23,
						 21, 25, 19, 18 };
	_Static_assert(ST__COUNT + 2 == 11, "column widths per state");
	add_table(B, c, rows, cols, w);
	struct render_block *b = block(B, RENDER_BARS, sf(s, "Grafik kasus "
				       "per status dan %s", report_area_word(st)[0] == 'D' ?
				       "desa" : "kecamatan"));
	if (!b || !st->nareas) {
		if (b)
			B->nb--; /* nothing to draw */
		return;
	}
	b->rows = st->nareas;
	b->cols = ST__COUNT;
	b->cat = cat;
	b->series = ser;
	b->rgb = state_rgb;
	b->val = val;
}

static void stages(struct build *B)
{
	const struct stats *st = B->st;
	const struct stats_area *a = &st->all;
	struct strs *s = &B->s;
	enum { COLS = 7 };
	block(B, RENDER_HEADING, "Waktu tunggu per tahap");
	block(B, RENDER_PARA, "Lama kasus menunggu di tiap tahap, dari kasus "
	      "yang meninggalkan tahap itu dalam periode (kunjungan berulang "
	      "dijumlahkan), dan kasus yang saat ini menunggu lebih lama dari "
	      "batas tahapnya.");
	const char **c = own(B, (STATS_NSTAGES + 1) * COLS, sizeof *c);
	if (!c)
		return;
	const char *head[COLS] = { "Tahap", "Batas", "Kasus", "Median", "P90",
				   "Maksimum", "Lewat batas sekarang" };
	memcpy(c, head, sizeof head);
	for (int i = 0; i < STATS_NSTAGES; i++) {
		const struct stats_dist *d = &a->wait[i];
		const char **row = c + (i + 1) * COLS;
		row[0] = state_label(stats_stages[i]);
		row[1] = dur(s, 1, st->limit_s[i]);
		row[2] = num(s, (int64_t)d->n);
		row[3] = dur(s, d->n, d->median_s);
		row[4] = dur(s, d->n, d->p90_s);
		row[5] = dur(s, d->n, d->max_s);
		row[6] = num(s, a->overdue[i]);
	}
	static const double w[COLS] = { 55, 30, 25, 36, 36, 36, 39 };
	add_table(B, c, STATS_NSTAGES + 1, COLS, w);
}

static void per_area(struct build *B)
{
	const struct stats *st = B->st;
	struct strs *s = &B->s;
	enum { COLS = 11 };
	size_t rows = st->nareas + 2;
	block(B, RENDER_HEADING, sf(s, "Arus dan waktu layanan per %s",
				    report_area_word(st)[0] == 'D' ? "desa" :
				    "kecamatan"));
	const char **c = own(B, rows * COLS, sizeof *c);
	if (!c)
		return;
	const char *head[COLS] = {
		report_area_word(st), "Diajukan", "Dikembalikan", "Disetujui",
		"Ditolak", "Surat", "Kartu", "Median pengajuan sampai "
		"persetujuan", "P90 pengajuan sampai persetujuan",
		"Median persetujuan sampai surat", "Lewat batas sekarang",
	};
	memcpy(c, head, sizeof head);
	for (size_t i = 0; i <= st->nareas; i++) {
		const char *name;
		const struct stats_area *a = area_at(st, i, &name, s);
		const char **row = c + (i + 1) * COLS;
		int over = 0;
		for (int k = 0; k < STATS_NSTAGES; k++)
			over += a->overdue[k];
		row[0] = name;
		row[1] = num(s, a->submitted);
		row[2] = num(s, a->returned);
		row[3] = num(s, a->approved);
		row[4] = num(s, a->rejected);
		row[5] = num(s, a->letters);
		row[6] = num(s, a->cards);
		row[7] = dur(s, a->to_approval.n, a->to_approval.median_s);
		row[8] = dur(s, a->to_approval.n, a->to_approval.p90_s);
		row[9] = dur(s, a->to_letter.n, a->to_letter.median_s);
		row[10] = num(s, over);
	}
	static const double w[COLS] = { 43, 19, 23, 20, 18, 16, 16, 27, 27, 27,
					21 };
	add_table(B, c, rows, COLS, w);
}

static void trend(struct build *B)
{
	const struct stats *st = B->st;
	struct strs *s = &B->s;
	const char **cat = own(B, STATS_TREND_DAYS, sizeof *cat);
	int *val = own(B, 2 * STATS_TREND_DAYS, sizeof *val);
	if (!cat || !val)
		return;
	for (int i = 0; i < STATS_TREND_DAYS; i++) {
		int y, m, d;
		days_to_date(st->trend[i].day, &y, &m, &d);
		cat[i] = sf(s, "%d %.3s", d, fmt_month_id(m));
		val[2 * i] = st->trend[i].letters;
		val[2 * i + 1] = st->trend[i].cards;
	}
	static const char *const ser[2] = { "Surat", "Kartu" };
	block(B, RENDER_HEADING, "Dokumen terbit per hari");
	struct render_block *b = block(B, RENDER_LINES, sf(s, "Surat dan "
				       "kartu terbit per hari, %d hari "
				       "terakhir sampai %s", STATS_TREND_DAYS,
				       cat[STATS_TREND_DAYS - 1]));
	if (!b)
		return;
	b->rows = STATS_TREND_DAYS;
	b->cols = 2;
	b->cat = cat;
	b->series = ser;
	b->rgb = trend_rgb;
	b->val = val;
}

static void reasons(struct build *B)
{
	const struct stats *st = B->st;
	struct strs *s = &B->s;
	const struct {
		const char *what;
		const struct stats_reasons *r;
	} kinds[] = {
		{ "Pencabutan", &st->revocations },
		{ "Penerbitan ulang", &st->reissues },
		{ "Penolakan penerbitan oleh pemeriksaan", &st->refusals },
	};
	size_t rows = 1;
	for (size_t k = 0; k < ARRAY_SIZE(kinds); k++)
		rows += 1 + kinds[k].r->n;
	block(B, RENDER_HEADING, "Pencabutan, penerbitan ulang dan penolakan");
	const char **c = own(B, rows * 3, sizeof *c);
	if (!c)
		return;
	c[0] = "Jenis";
	c[1] = "Alasan";
	c[2] = "Jumlah";
	size_t r = 1;
	for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
		const struct stats_reasons *rs = kinds[k].r;
		c[r * 3] = kinds[k].what;
		c[r * 3 + 1] = "Semua alasan";
		c[r * 3 + 2] = num(s, rs->total);
		r++;
		for (size_t i = 0; i < rs->n; i++, r++) {
			c[r * 3] = "";
			c[r * 3 + 1] = rs->r[i].label[0] ? rs->r[i].label
							 : rs->r[i].key;
			c[r * 3 + 2] = num(s, rs->r[i].n);
		}
	}
	static const double w[3] = { 70, 157, 30 };
	add_table(B, c, rows, 3, w);
}

/* The longest waiting first, by case number and village only: the file
 * leaves the service, residents' names stay on the page. */
#define PDF_OVERDUE 20

static void overdue(struct build *B)
{
	const struct stats *st = B->st;
	struct strs *s = &B->s;
	int all = 0;
	for (int k = 0; k < STATS_NSTAGES; k++)
		all += st->all.overdue[k];
	block(B, RENDER_HEADING, "Kasus menunggu lewat batas");
	if (!st->noverdue) {
		block(B, RENDER_PARA, "Tidak ada kasus yang menunggu lewat batas.");
		return;
	}
	size_t n = st->noverdue < PDF_OVERDUE ? st->noverdue : PDF_OVERDUE;
	const char **c = own(B, (n + 1) * 5, sizeof *c);
	if (!c)
		return;
	const char *head[5] = { "Nomor kasus", "Status", "Desa", "Menunggu",
				"Batas" };
	memcpy(c, head, sizeof head);
	for (size_t i = 0; i < n; i++) {
		const struct stats_overdue *o = &st->overdue[i];
		const char **row = c + (i + 1) * 5;
		row[0] = sf(s, "%lld", (long long)o->case_id);
		row[1] = state_label(o->state);
		row[2] = o->village_name[0] ? o->village_name : o->village;
		row[3] = dur(s, 1, o->waiting_s);
		row[4] = dur(s, 1, o->limit_s);
	}
	static const double w[5] = { 35, 50, 80, 50, 42 };
	add_table(B, c, n + 1, 5, w);
	if ((size_t)all > n)
		block(B, RENDER_PARA, sf(s, "%s kasus terlama dari %s kasus "
					 "yang menunggu lewat batas.",
					 num(s, (int64_t)n), num(s, all)));
}

static const char *const office_keys[] = { "government_level",
					   "office_name", "office_address" };

int report_pdf(const struct render_ctx *ctx, const struct policy *p,
	       const struct stats *st, struct buf *pdf, struct buf *err)
{
	struct build B;
	struct render_fields f;
	struct buf scope = BUF_INIT, period = BUF_INIT, at = BUF_INIT;
	int rc = TB_ENOMEM;
	memset(&B, 0, sizeof B);
	B.st = st;
	render_fields_init(&f);
	for (size_t i = 0; p && i < ARRAY_SIZE(office_keys); i++) {
		const char *v = policy_setting(p, office_keys[i]);
		if (v && render_fields_set(&f, office_keys[i], v) < 0)
			goto out;
	}
	if (report_scope_label(st, &scope) < 0 ||
	    report_period_label(st, &period) < 0 ||
	    report_time_label(st->at, &at) < 0 ||
	    render_fields_set(&f, "report_scope", scope.data) < 0 ||
	    render_fields_set(&f, "report_period", period.data) < 0 ||
	    render_fields_set(&f, "report_at", at.data) < 0)
		goto out;
	summary(&B);
	stages(&B);
	by_state(&B);
	per_area(&B);
	trend(&B);
	reasons(&B);
	overdue(&B);
	if (B.s.rc < 0)
		goto out;
	rc = render_report(ctx, &f, B.b, B.nb, pdf, err);
out:
	if (rc == TB_ENOMEM)
		tb_err(err, rc, "memori habis");
	for (size_t i = 0; i < B.nown; i++)
		free(B.own[i]);
	strs_release(&B.s);
	render_fields_release(&f);
	buf_release(&scope);
	buf_release(&period);
	buf_release(&at);
	return rc;
}
