/* Reports: report.layout's first page, then headings, paragraphs, tables
 * and vector charts flowing down the pages (render.h, render_report). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/str.h"
#include "render/render_int.h"
#include "render/textenc.h"

/* The body's box, mm from the page's top-left (the report's page size
 * comes from its layout). The foot keeps room for "Halaman k". */
#define MARGIN_X 20.0
#define TOP 18.0
#define FOOT 14.0
#define GAP 5.0           /* between blocks */
#define CELL_SIZE 8.0     /* pt */
#define CELL_MIN 5.0      /* pt: a header word may shrink to this */
#define CELL_PAD 1.2      /* mm, left and right of a cell's text */
#define ROW_PAD 1.0       /* mm, above and below */
#define CHART_SIZE 7.5    /* pt, chart labels */
#define BAR_H 3.6         /* mm */
#define BAR_STEP 5.0      /* mm, bar to bar */
#define LINE_PLOT_H 45.0  /* mm */

struct flow {
	struct doc *d;
	double page_w, page_h;
	double x0, x1;        /* the body's left and right */
	double y;             /* the next block's top */
	double bottom;
};

/* UTF-8 into d->text (CP1252) for render__draw_box; d->utf8 keeps the
 * original for its messages. */
static int set_text(struct doc *d, const char *s)
{
	buf_reset(&d->text);
	buf_reset(&d->utf8);
	if (buf_adds(&d->utf8, s ? s : "") < 0)
		return tb_err(d->err, TB_ENOMEM, "memori habis");
	return textenc_cp1252(s ? s : "", &d->text, d->err);
}

static int box(struct doc *d, const char *s, double x, double y, double w,
	       double size, int font, enum layout_align align, int wrap,
	       int measure, double *h)
{
	struct textbox b;
	memset(&b, 0, sizeof b);
	b.x = x;
	b.y = y;
	b.w = w;
	b.h = NAN;
	b.size = size;
	b.min = size < CELL_MIN ? size : CELL_MIN;
	b.leading = 1.2;
	b.font = font;
	b.wrap = wrap;
	b.lines = wrap ? 0 : 3;
	b.align = align;
	b.measure = measure;
	int rc = set_text(d, s);
	return rc < 0 ? rc : render__draw_box(d, &b, h);
}

static int page_foot(struct flow *f)
{
	char s[32];
	double h;
	snprintf(s, sizeof s, "Halaman %d", f->d->npages);
	return box(f->d, s, f->x0, f->page_h - FOOT + 6, f->x1 - f->x0, 8,
		   FONT_REGULAR, LAYOUT_RIGHT, 0, 0, &h);
}

/* A new page for the rest: the body from the top. */
static int next_page(struct flow *f)
{
	int rc = render__add_page(f->d, f->page_w, f->page_h);
	if (rc == TB_EINTERNAL && f->d->npages == f->d->maxpages)
		return tb_err(f->d->err, TB_ETOOBIG, "laporan melebihi %d "
			      "halaman", RENDER_REPORT_PAGES);
	if (rc < 0 || (rc = page_foot(f)) < 0)
		return rc;
	f->y = TOP;
	return 0;
}

/* Room for h mm more on this page, else a new one. */
static int need(struct flow *f, double h)
{
	if (f->y + h <= f->bottom)
		return 0;
	return next_page(f);
}

static void fill_rect(struct doc *d, double x, double y, double w, double h,
		      unsigned rgb)
{
	render__set_fill(d, rgb);
	HPDF_Page_Rectangle(d->page, (HPDF_REAL)PT(x),
			    (HPDF_REAL)PT(d->page_h - y - h), (HPDF_REAL)PT(w),
			    (HPDF_REAL)PT(h));
	HPDF_Page_Fill(d->page);
}

static void hline(struct doc *d, double x, double y, double w, double thick,
		  unsigned rgb)
{
	render__set_stroke(d, rgb);
	HPDF_Page_SetLineWidth(d->page, (HPDF_REAL)PT(thick));
	HPDF_Page_MoveTo(d->page, (HPDF_REAL)PT(x), (HPDF_REAL)PT(d->page_h - y));
	HPDF_Page_LineTo(d->page, (HPDF_REAL)PT(x + w),
			 (HPDF_REAL)PT(d->page_h - y));
	HPDF_Page_Stroke(d->page);
}

static int el_heading(struct flow *f, const struct render_block *b)
{
	double h;
	/* A heading never ends a page: it keeps 20 mm of what follows. */
	int rc = need(f, 26);
	if (rc == 0)
		rc = box(f->d, b->text, f->x0, f->y, f->x1 - f->x0, 11.5,
			 FONT_BOLD, LAYOUT_LEFT, 1, 0, &h);
	if (rc == 0)
		f->y += h + 2;
	return rc;
}

static int el_para(struct flow *f, const struct render_block *b)
{
	double h;
	int rc = box(f->d, b->text, f->x0, f->y, f->x1 - f->x0, 9.5,
		     FONT_REGULAR, LAYOUT_LEFT, 1, 1, &h);
	if (rc == 0)
		rc = need(f, h);
	if (rc == 0)
		rc = box(f->d, b->text, f->x0, f->y, f->x1 - f->x0, 9.5,
			 FONT_REGULAR, LAYOUT_LEFT, 1, 0, &h);
	if (rc == 0)
		f->y += h + GAP;
	return rc;
}

/* Row r's cells, measured only (the tallest cell's height in *h) or
 * drawn; *x_end is where the row ends. */
static int row_cells(struct flow *f, const struct render_block *b,
		     const double *w, size_t r, int measure, double *h,
		     double *x_end)
{
	double x = f->x0;
	int font = r == 0 ? FONT_BOLD : FONT_REGULAR;
	*h = 0;
	for (size_t c = 0; c < b->cols; c++) {
		double ch;
		int rc = box(f->d, b->cells[r * b->cols + c], x + CELL_PAD,
			     f->y + ROW_PAD, w[c] - 2 * CELL_PAD, CELL_SIZE,
			     font, c == 0 ? LAYOUT_LEFT : LAYOUT_RIGHT, 1,
			     measure, &ch);
		if (rc < 0)
			return rc;
		*h = fmax(*h, ch);
		x += w[c];
	}
	*x_end = x;
	return 0;
}

/* The row's height into *out_h; drawn too unless measure: measured
 * first either way, since the header's fill goes under its text. */
static int table_row(struct flow *f, const struct render_block *b,
		     const double *w, size_t r, int measure, double *out_h)
{
	struct doc *d = f->d;
	double h, x, unused;
	int rc = row_cells(f, b, w, r, 1, &h, &x);
	if (rc < 0)
		return rc;
	h += 2 * ROW_PAD;
	*out_h = h;
	if (measure)
		return 0;
	if (r == 0)
		fill_rect(d, f->x0, f->y, x - f->x0, h, 0xE8EEF5);
	if ((rc = row_cells(f, b, w, r, 0, &unused, &x)) < 0)
		return rc;
	hline(d, f->x0, f->y + h, x - f->x0, r == 0 ? 0.35 : 0.15,
	      r == 0 ? 0x123C69 : 0xB8BEC6);
	return 0;
}

#define TABLE_COLS_MAX 16

static int el_table(struct flow *f, const struct render_block *b)
{
	double w[TABLE_COLS_MAX], head_h, h;
	if (!b->cells || b->rows < 1 || b->cols < 1 ||
	    b->cols > TABLE_COLS_MAX)
		return tb_err(f->d->err, TB_EINVAL, "tabel laporan tanpa isi "
			      "atau dengan lebih dari %d kolom",
			      TABLE_COLS_MAX);
	double width = f->x1 - f->x0, unit = width / (b->cols + 1.5);
	for (size_t c = 0; c < b->cols; c++)
		w[c] = b->colw ? b->colw[c] : c == 0 ? 2.5 * unit : unit;
	int rc = table_row(f, b, w, 0, 1, &head_h);
	h = 0;
	/* A table that fits on a page of its own is never split; a longer
	 * one starts with its header and first row together. */
	double total = head_h;
	for (size_t r = 1; r < b->rows && rc == 0; r++) {
		rc = table_row(f, b, w, r, 1, &h);
		total += h;
	}
	if (rc == 0 && b->rows > 1)
		rc = table_row(f, b, w, 1, 1, &h);
	if (rc == 0)
		rc = need(f, total <= f->bottom - TOP ? total : head_h + h);
	if (rc == 0 && (rc = table_row(f, b, w, 0, 0, &head_h)) == 0)
		f->y += head_h;
	for (size_t r = 1; r < b->rows && rc == 0; r++) {
		if ((rc = table_row(f, b, w, r, 1, &h)) < 0)
			break;
		/* Past the foot: the rest on a new page, the header again. */
		if (f->y + h > f->bottom) {
			if ((rc = next_page(f)) < 0 ||
			    (rc = table_row(f, b, w, 0, 0, &head_h)) < 0)
				break;
			f->y += head_h;
		}
		if ((rc = table_row(f, b, w, r, 0, &h)) == 0)
			f->y += h;
	}
	if (rc == 0)
		f->y += GAP;
	return rc;
}

/* The legend under a chart's title: a swatch (bars) or a line with the
 * series' dash (lines) and its word, wrapping at the body's width. */
static void dash_of(struct doc *d, size_t j)
{
	static const HPDF_UINT16 dash[] = { 4, 2 }, dots[] = { 1, 2 };
	if (j % 3 == 0)
		HPDF_Page_SetDash(d->page, NULL, 0, 0);
	else
		HPDF_Page_SetDash(d->page, j % 3 == 1 ? dash : dots, 2, 0);
}

static int legend(struct flow *f, const struct render_block *b, int lines)
{
	struct doc *d = f->d;
	double x = f->x0, h;
	for (size_t j = 0; j < b->cols; j++) {
		int rc = set_text(d, b->series[j]);
		if (rc < 0)
			return rc;
		double tw = render__width_pt(d, FONT_REGULAR, CHART_SIZE,
					     d->text.data, d->text.len) *
			    25.4 / 72.0;
		double need_w = 6 + tw + 5;
		if (x > f->x0 && x + need_w > f->x1) {
			x = f->x0;
			f->y += 4.5;
		}
		if (lines) {
			render__set_stroke(d, b->rgb[j]);
			HPDF_Page_SetLineWidth(d->page, (HPDF_REAL)PT(0.6));
			dash_of(d, j);
			HPDF_Page_MoveTo(d->page, (HPDF_REAL)PT(x),
					 (HPDF_REAL)PT(d->page_h - f->y - 1.6));
			HPDF_Page_LineTo(d->page, (HPDF_REAL)PT(x + 4.5),
					 (HPDF_REAL)PT(d->page_h - f->y - 1.6));
			HPDF_Page_Stroke(d->page);
			dash_of(d, 0);
		} else {
			fill_rect(d, x, f->y, 3, 3, b->rgb[j]);
		}
		if ((rc = box(d, b->series[j], x + 6, f->y - 0.2, 0,
			      CHART_SIZE, FONT_REGULAR, LAYOUT_LEFT, 0, 0,
			      &h)) < 0)
			return rc;
		x += need_w;
	}
	f->y += 6;
	return 0;
}

static int chart_title(struct flow *f, const struct render_block *b,
		       double body_h)
{
	double th, lh = 6 + 4.5 * (double)(b->cols / 6);
	int rc = box(f->d, b->text, f->x0, f->y, f->x1 - f->x0, 9.5,
		     FONT_BOLD, LAYOUT_LEFT, 1, 1, &th);
	if (rc == 0)
		rc = need(f, th + 2 + lh + body_h);
	if (rc == 0)
		rc = box(f->d, b->text, f->x0, f->y, f->x1 - f->x0, 9.5,
			 FONT_BOLD, LAYOUT_LEFT, 1, 0, &th);
	if (rc == 0) {
		f->y += th + 2;
		rc = legend(f, b, b->kind == RENDER_LINES);
	}
	return rc;
}

static int chart_shape(struct flow *f, const struct render_block *b)
{
	if (!b->cat || !b->series || !b->rgb || !b->val || b->rows < 1 ||
	    b->cols < 1)
		return tb_err(f->d->err, TB_EINVAL, "grafik laporan tanpa data");
	return 0;
}

static int el_bars(struct flow *f, const struct render_block *b)
{
	struct doc *d = f->d;
	const double label_w = 42, gap = 2, total_w = 14;
	double h, max = 1;
	int rc = chart_shape(f, b);
	for (size_t i = 0; rc == 0 && i < b->rows; i++) {
		double t = 0;
		for (size_t j = 0; j < b->cols; j++)
			t += b->val[i * b->cols + j] > 0
				     ? b->val[i * b->cols + j] : 0;
		max = fmax(max, t);
	}
	/* The whole chart on one page when it fits one. */
	double body = fmin((double)b->rows * BAR_STEP, f->bottom - TOP - 30);
	if (rc == 0)
		rc = chart_title(f, b, body);
	double x0 = f->x0 + label_w + gap;
	double span = f->x1 - x0 - total_w;
	for (size_t i = 0; rc == 0 && i < b->rows; i++) {
		if (f->y + BAR_STEP > f->bottom && (rc = next_page(f)) < 0)
			break;
		double t = 0, x = x0;
		for (size_t j = 0; j < b->cols; j++) {
			int v = b->val[i * b->cols + j];
			if (v <= 0)
				continue;
			double len = span * v / max;
			fill_rect(d, x, f->y + (BAR_STEP - BAR_H) / 2, len, BAR_H,
				  b->rgb[j]);
			x += len;
			t += v;
		}
		char n[32];
		struct buf nb = BUF_INIT;
		if (fmt_int_id(&nb, (int64_t)t) < 0) {
			buf_release(&nb);
			return tb_err(d->err, TB_ENOMEM, "memori habis");
		}
		snprintf(n, sizeof n, "%s", nb.data);
		buf_release(&nb);
		if ((rc = box(d, b->cat[i], f->x0, f->y + 0.6, label_w,
			      CHART_SIZE, FONT_REGULAR, LAYOUT_RIGHT, 0, 0,
			      &h)) < 0 ||
		    (rc = box(d, n, x + 1.2, f->y + 0.6, 0, CHART_SIZE,
			      FONT_REGULAR, LAYOUT_LEFT, 0, 0, &h)) < 0)
			break;
		f->y += BAR_STEP;
	}
	if (rc == 0)
		f->y += GAP;
	return rc;
}

static int el_lines(struct flow *f, const struct render_block *b)
{
	struct doc *d = f->d;
	const double left = 14;
	double h;
	int rc = chart_shape(f, b), vmax = 0;
	for (size_t k = 0; rc == 0 && k < b->rows * b->cols; k++)
		if (b->val[k] > vmax)
			vmax = b->val[k];
	int top = (int)fmt_axis_max(vmax);
	if (rc == 0)
		rc = chart_title(f, b, LINE_PLOT_H + 8);
	if (rc < 0)
		return rc;
	double x0 = f->x0 + left, w = f->x1 - x0, y0 = f->y + 2;
	double dx = b->rows > 1 ? w / (double)(b->rows - 1) : 0;
	for (int g = 0; g <= 2 && rc == 0; g++) {
		double y = y0 + LINE_PLOT_H - LINE_PLOT_H * g / 2;
		struct buf nb = BUF_INIT;
		hline(d, x0, y, w, g ? 0.1 : 0.25, g ? 0xC9CED4 : 0x4A5058);
		if (fmt_int_id(&nb, (int64_t)top * g / 2) < 0)
			rc = tb_err(d->err, TB_ENOMEM, "memori habis");
		else
			rc = box(d, nb.data, f->x0, y - 1.6, left - 2,
				 CHART_SIZE, FONT_REGULAR, LAYOUT_RIGHT, 0, 0,
				 &h);
		buf_release(&nb);
	}
	/* A few days named under the axis: the last, every 30th before
	 * it, and the first (as the page's chart does). */
	for (size_t i = 0; i < b->rows && rc == 0; i++) {
		size_t from_end = b->rows - 1 - i;
		if (i != 0 && (from_end % 30 != 0 || i < 12))
			continue;
		double x = x0 + dx * (double)i;
		enum layout_align al = i == 0 ? LAYOUT_LEFT :
				       from_end == 0 ? LAYOUT_RIGHT :
						       LAYOUT_CENTER;
		double bx = al == LAYOUT_LEFT ? x :
			    al == LAYOUT_RIGHT ? x - 30 : x - 15;
		rc = box(d, b->cat[i], bx, y0 + LINE_PLOT_H + 1.5, 30,
			 CHART_SIZE, FONT_REGULAR, al, 0, 0, &h);
	}
	for (size_t j = 0; j < b->cols && rc == 0; j++) {
		render__set_stroke(d, b->rgb[j]);
		HPDF_Page_SetLineWidth(d->page, (HPDF_REAL)PT(0.5));
		dash_of(d, j);
		for (size_t i = 0; i < b->rows; i++) {
			int v = b->val[i * b->cols + j];
			double x = x0 + dx * (double)i;
			double y = y0 + LINE_PLOT_H -
				   LINE_PLOT_H * (v > 0 ? v : 0) / top;
			if (i == 0)
				HPDF_Page_MoveTo(d->page, (HPDF_REAL)PT(x),
						 (HPDF_REAL)PT(d->page_h - y));
			else
				HPDF_Page_LineTo(d->page, (HPDF_REAL)PT(x),
						 (HPDF_REAL)PT(d->page_h - y));
		}
		HPDF_Page_Stroke(d->page);
		dash_of(d, 0);
	}
	if (rc == 0)
		f->y = y0 + LINE_PLOT_H + 8 + GAP;
	return rc;
}

static int (*const block_draw[])(struct flow *,
				 const struct render_block *) = {
	[RENDER_HEADING] = el_heading, [RENDER_PARA] = el_para,
	[RENDER_TABLE] = el_table,     [RENDER_BARS] = el_bars,
	[RENDER_LINES] = el_lines,
};

int render_report(const struct render_ctx *ctx,
		  const struct render_fields *fields,
		  const struct render_block *blocks, size_t n,
		  struct buf *out, struct buf *err)
{
	struct doc d;
	struct flow f;
	int rc;
	if (!ctx->report.n)
		return tb_err(err, TB_ENOTFOUND, "layouts/report.layout tidak "
			      "ada di folder tata letak");
	rc = render__doc_open(&d, ctx, RENDER_REPORT_PAGES, err);
	memset(&f, 0, sizeof f);
	f.d = &d;
	f.page_w = ctx->report.page_w;
	f.page_h = ctx->report.page_h;
	f.x0 = MARGIN_X;
	f.x1 = f.page_w - MARGIN_X;
	f.bottom = f.page_h - FOOT;
	if (rc == 0 && (rc = render__add_page(&d, f.page_w, f.page_h)) == 0 &&
	    (rc = render__draw_layout(&d, &ctx->report, fields, 0, 0, 0)) == 0)
		rc = page_foot(&f);
	f.y = d.flow_y + GAP;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if ((size_t)blocks[i].kind >= ARRAY_SIZE(block_draw))
			rc = tb_err(err, TB_EINVAL, "blok laporan tidak dikenal");
		else if ((rc = block_draw[blocks[i].kind](&f, &blocks[i])) == 0)
			rc = render__hpdf_check(&d, "menggambar laporan");
	}
	if (rc == 0)
		rc = render__doc_finish(&d, out);
	render__doc_close(&d);
	return rc;
}
