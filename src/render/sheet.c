/* Card sheets: cards imposed ten to an A4 page for printing, fronts and
 * mirrored backs, with crop marks and a footer (render.h). */
#include <math.h>

#include "core/err.h"
#include "core/fmt.h"
#include "render/render_int.h"
#include "render/textenc.h"

/*
 * Ten cards to an A4 portrait page (docs/printing.md). The two columns
 * are SHEET_GUTTER apart, so a cut a little off shows white paper, not
 * the next card's outline; the five rows share their cuts (with gutters
 * they would leave too little margin for the marks and the footer inside
 * what office printers print, about 5 mm from the edge).
 */
#define SHEET_W 210.0
#define SHEET_H 297.0
#define SHEET_COLS 2
#define SHEET_ROWS 5
#define SHEET_GUTTER 6.0
#define MARK_OFFSET 2.0      /* mm from the card's edge to the mark */
#define MARK_LEN 5.0         /* mm */
#define MARK_GUTTER_OFFSET 1.5 /* in the gutter, from both cards */
#define MARK_WIDTH 0.25      /* pt, a print shop's hairline */

struct sheet {
	double w, h;          /* one card, mm */
	double left, top;     /* the front's top-left card, mm */
	size_t first, count;  /* cards on this sheet */
	size_t total;
	int k, nsheets;
	const char *date;
};

/* Top-left of the i-th card of a sheet, front or (mirrored) back: with
 * a long-edge flip the back of a card is behind its front. */
static void sheet_cell(const struct sheet *sh, size_t i, int back,
		       double *x, double *y)
{
	*x = sh->left + (double)(i % SHEET_COLS) * (sh->w + SHEET_GUTTER);
	*y = sh->top + (double)(i / SHEET_COLS) * sh->h;
	if (back)
		*x = SHEET_W - *x - sh->w;
}

static void mark(struct doc *d, int back, double x1, double y1, double x2,
		 double y2)
{
	if (back) {
		x1 = SHEET_W - x1;
		x2 = SHEET_W - x2;
	}
	HPDF_Page_MoveTo(d->page, (HPDF_REAL)PT(x1),
			 (HPDF_REAL)PT(SHEET_H - y1));
	HPDF_Page_LineTo(d->page, (HPDF_REAL)PT(x2),
			 (HPDF_REAL)PT(SHEET_H - y2));
}

/*
 * Crop marks: every cut line of the cards on the sheet extended into the
 * margins (and across the gutter), MARK_OFFSET clear of the cards, so
 * none touches a card. The corners are square cuts: the rounded outline
 * printed on the card guides a corner rounder.
 */
static int sheet_marks(struct doc *d, const struct sheet *sh, int back)
{
	size_t rows = (sh->count + SHEET_COLS - 1) / SHEET_COLS;
	size_t cols = sh->count < SHEET_COLS ? sh->count : SHEET_COLS;
	double bottom = sh->top + (double)rows * sh->h;
	double right = sh->left + (double)cols * sh->w +
		       (double)(cols - 1) * SHEET_GUTTER;
	render__set_stroke(d, 0);
	HPDF_Page_SetLineWidth(d->page, MARK_WIDTH);
	for (size_t c = 0; c < cols; c++)
		for (int edge = 0; edge < 2; edge++) {
			double x = sh->left + (double)c * (sh->w + SHEET_GUTTER) +
				   edge * sh->w;
			mark(d, back, x, sh->top - MARK_OFFSET, x,
			     sh->top - MARK_OFFSET - MARK_LEN);
			mark(d, back, x, bottom + MARK_OFFSET, x,
			     bottom + MARK_OFFSET + MARK_LEN);
		}
	for (size_t r = 0; r <= rows; r++) {
		double y = sh->top + (double)r * sh->h;
		mark(d, back, sh->left - MARK_OFFSET, y,
		     sh->left - MARK_OFFSET - MARK_LEN, y);
		mark(d, back, right + MARK_OFFSET, y,
		     right + MARK_OFFSET + MARK_LEN, y);
		if (cols > 1)
			mark(d, back, sh->left + sh->w + MARK_GUTTER_OFFSET, y,
			     sh->left + sh->w + SHEET_GUTTER -
				     MARK_GUTTER_OFFSET, y);
	}
	HPDF_Page_Stroke(d->page);
	return render__hpdf_check(d, "tanda potong");
}

/* "Lembar 1 dari 2 · depan · kartu 1–10 dari 12 · dicetak 23 November
 * 2026", under the first column (the front's; mirrored on the back),
 * below the cut and between the marks. */
static int sheet_footer(struct doc *d, const struct sheet *sh, int back)
{
	struct textbox b = {
		.x = sh->left + 3, .y = sh->top + SHEET_ROWS * sh->h + 3,
		.w = sh->w - 6, .h = NAN, .size = 6, .leading = 1.25,
		.min = 6 * 0.6, .color = 0x555555,
	};
	if (back)
		b.x = SHEET_W - b.x - b.w;
	buf_reset(&d->utf8);
	int rc = buf_addf(&d->utf8, "Lembar %d dari %d \xC2\xB7 %s \xC2\xB7 "
			  "kartu %zu\xE2\x80\x93%zu dari %zu", sh->k, sh->nsheets,
			  back ? "belakang" : "depan", sh->first + 1,
			  sh->first + sh->count, sh->total);
	if (rc == 0 && sh->date &&
	    (rc = buf_adds(&d->utf8, " \xC2\xB7 dicetak ")) == 0)
		rc = fmt_date_id(&d->utf8, sh->date);
	if (rc == TB_EINVAL)
		return tb_err(d->err, rc, "tanggal cetak tidak sah: '%s'",
			      sh->date);
	if (rc < 0)
		return tb_err(d->err, TB_ENOMEM, "memori habis");
	buf_reset(&d->text);
	if ((rc = textenc_cp1252(d->utf8.data, &d->text, d->err)) < 0 ||
	    (rc = render__draw_box(d, &b, NULL)) < 0)
		return rc;
	return render__hpdf_check(d, "kaki lembar");
}

/* Card i's error, with which card it was. */
static int card_err(struct doc *d, size_t i, const struct render_fields *f,
		    int rc)
{
	struct buf msg = BUF_INIT;
	const char *serial = render_fields_get(f, "serial");
	if (buf_addf(&msg, "kartu ke-%zu%s%s%s: %s", i + 1,
		     serial ? " (seri " : "", serial ? serial : "",
		     serial ? ")" : "", d->err->data) == 0)
		tb_err(d->err, rc, "%s", msg.data);
	buf_release(&msg);
	return rc;
}

/* One side of a sheet: a page, its cards, marks and footer. */
static int sheet_side(struct doc *d, const struct sheet *sh,
		      const struct render_fields *cards, int back, int flags)
{
	const struct layout *lay = &d->ctx->lay[RENDER_CARD][back];
	int rc = render__add_page(d, SHEET_W, SHEET_H);
	for (size_t i = 0; rc == 0 && i < sh->count; i++) {
		double x, y;
		sheet_cell(sh, i, back, &x, &y);
		rc = render__draw_layout(d, lay, &cards[sh->first + i], x, y,
					 flags);
		if (rc < 0)
			rc = card_err(d, sh->first + i, &cards[sh->first + i],
				      rc);
	}
	if (rc == 0)
		rc = sheet_marks(d, sh, back);
	return rc < 0 ? rc : sheet_footer(d, sh, back);
}

int render_card_sheet(const struct render_ctx *ctx,
		      const struct render_fields *cards, size_t n,
		      const char *date, int flags, struct buf *out,
		      struct buf *err)
{
	const struct layout *front = &ctx->lay[RENDER_CARD][0];
	const struct layout *back = &ctx->lay[RENDER_CARD][1];
	struct sheet sh = { .w = front->page_w, .h = front->page_h,
			    .total = n, .date = date };
	struct doc d;
	if (n == 0)
		return tb_err(err, TB_EINVAL, "tidak ada kartu untuk dicetak");
	if (n > RENDER_SHEET_MAX_CARDS)
		return tb_err(err, TB_ETOOBIG, "paling banyak %d kartu sekali "
			      "cetak (diminta %zu)", RENDER_SHEET_MAX_CARDS, n);
	sh.left = (SHEET_W - SHEET_COLS * sh.w - SHEET_GUTTER) / 2;
	sh.top = (SHEET_H - SHEET_ROWS * sh.h) / 2;
	/* room for the marks, and backs the same size as fronts */
	if (sh.left < MARK_OFFSET + MARK_LEN + 3 ||
	    sh.top < MARK_OFFSET + MARK_LEN + 3 ||
	    back->page_w != sh.w || back->page_h != sh.h)
		return tb_err(err, TB_EINVAL, "ukuran kartu %.2f x %.2f mm "
			      "tidak muat %d per lembar A4", sh.w, sh.h,
			      SHEET_COLS * SHEET_ROWS);
	sh.nsheets = (int)((n + RENDER_SHEET_CARDS - 1) / RENDER_SHEET_CARDS);
	int rc = render__doc_open(&d, ctx, 2 * sh.nsheets, err);
	for (sh.k = 1; rc == 0 && sh.k <= sh.nsheets; sh.k++) {
		sh.first = (size_t)(sh.k - 1) * RENDER_SHEET_CARDS;
		sh.count = n - sh.first < RENDER_SHEET_CARDS ? n - sh.first
							      : RENDER_SHEET_CARDS;
		if ((rc = sheet_side(&d, &sh, cards, 0, flags)) == 0)
			rc = sheet_side(&d, &sh, cards, 1, flags);
	}
	if (rc == 0)
		rc = render__doc_finish(&d, out);
	render__doc_close(&d);
	return rc;
}
