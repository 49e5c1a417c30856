/* QR codes drawn as vectors: rectangles for the dark modules, on the
 * page's grid so that module edges fall on pixel edges. */
#include <math.h>
#include <string.h>

#include "core/err.h"
#include "render/qr.h"
#include "render/render_int.h"

/*
 * One rectangle per run of dark modules, runs repeated on the rows below
 * merged into one (qr_rects), in module units: the page's matrix maps
 * them to the symbol's place, so the content stream holds short integers
 * ("12 3 4 1 re") instead of millimetre fractions, fewer bytes to write
 * and to compress. The rectangles are formatted here and written to the
 * page's content stream in one piece (haru_page_write): a code has
 * hundreds of runs, and HPDF_Page_Rectangle costs thousands of
 * instructions a call. The path is closed by its own "f", so libharu's
 * idea of the graphics mode stays right.
 */
static int qr_rect(int x, int y, int w, int h, void *arg)
{
	struct buf *b = arg;
	if (buf_grow(b, 64) < 0)
		return -1;
	char *p = b->data + b->len;
	p = render__put_int(p, x);
	*p++ = ' ';
	p = render__put_int(p, y);
	*p++ = ' ';
	p = render__put_int(p, w);
	*p++ = ' ';
	p = render__put_int(p, h);
	memcpy(p, " re\n", 4);
	b->len = (size_t)(p + 4 - b->data);
	b->data[b->len] = 0;
	return 0;
}

/*
 * QR modules snap to a grid of 1/50 inch (1.44 pt) when they are at least
 * that big: the size is rounded down to whole steps and the corner to the
 * nearest step from the page's top left, so at 100, 150, 300 and 600 dpi
 * every module edge is a pixel edge (2, 3, 6, 12 pixels a module).
 * Measured: with 1.8 to 2.2 pixels a module and blurred edges, zbarimg
 * missed about one page render in ten at 100 dpi.
 */
#define QR_GRID 1.44

/*
 * v (pt from the layout's left or top) on the page's grid, origin being
 * where the layout sits on the page. A card on a sheet (origin not 0)
 * sits off the grid (rows of 53.98 mm are not whole steps), and its code
 * moves up and left only: the caption is right under it, and the room
 * above and left of the card's code is free (less than a step, 0.51 mm).
 */
static double qr_snap(double v, double origin)
{
	if (origin == 0)
		return round(v / QR_GRID) * QR_GRID;
	return floor((origin + v) / QR_GRID + 1e-6) * QR_GRID - origin;
}

int render__el_qr(struct doc *d, const struct layout_el *e)
{
	struct qr q;
	int rc = render__expand(d, e->str[LS_DATA]);
	if (rc < 0 || (rc = qr_encode(&q, d->utf8.data, d->err)) < 0)
		return rc;
	double quiet = render__num_or(e, LN_QUIET, QR_QUIET);
	double m = PT(e->num[LN_SIZE]) / (q.width + 2 * quiet);
	double x = PT(e->num[LN_X]), from_top = PT(render__el_y(d, e));
	if (m >= QR_GRID) {
		/* whole grid steps: module edges fall on pixel edges; the
		 * grid is the page's, also for a card drawn on a sheet */
		m = floor(m / QR_GRID) * QR_GRID;
		x = qr_snap(x, d->ox);
		from_top = qr_snap(from_top, d->otop);
	}
	double side = m * (q.width + 2 * quiet);
	double top = PT(d->page_h) - from_top;
	/* a white ground, so that the quiet zone holds on coloured cards */
	render__set_fill(d, 0xFFFFFF);
	HPDF_Page_Rectangle(d->page, (HPDF_REAL)x, (HPDF_REAL)(top - side),
			    (HPDF_REAL)side, (HPDF_REAL)side);
	HPDF_Page_Fill(d->page);
	render__set_fill(d, 0);
	HPDF_Page_GSave(d->page);
	HPDF_Page_Concat(d->page, (HPDF_REAL)m, 0, 0, (HPDF_REAL)-m,
			 (HPDF_REAL)(x + quiet * m), (HPDF_REAL)(top - quiet * m));
	buf_reset(&d->line);
	rc = qr_rects(&q, qr_rect, &d->line) < 0 ||
	     buf_adds(&d->line, "f\n") < 0 ? TB_ENOMEM : 0;
	qr_release(&q);
	if (rc < 0)
		return tb_err(d->err, rc, "memori habis");
	haru_page_write(d->page, d->line.data, d->line.len);
	HPDF_Page_GRestore(d->page);
	if (!e->str[LS_NOTE])
		return 0;
	/* the caption under the symbol, e.g. "Pindai untuk verifikasi" */
	struct textbox b = { .x = x * 25.4 / 72, .y = (from_top + side) * 25.4 / 72,
			     .w = side * 25.4 / 72, .h = NAN,
			     .size = fmin(8, e->num[LN_SIZE] * 0.3),
			     .leading = 1.2, .wrap = 1, .align = LAYOUT_CENTER };
	return (rc = render__expand_text(d, e->str[LS_NOTE])) < 0 ? rc :
	       render__draw_box(d, &b, NULL);
}
