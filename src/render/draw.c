/* A layout drawn on a page: its elements in order (QR codes last), the
 * specimen mark, the graphics state set only when it changes. */
#include <math.h>
#include <string.h>

#include "core/err.h"
#include "core/str.h"
#include "render/render_int.h"

/*
 * Colours (and in text.c the font and word spacing) are set only when
 * they change: libharu writes every call into the page, and each call
 * costs thousands of instructions. Its graphics state, which
 * GSave/GRestore keep right, says what is set; it starts black, as a
 * page does.
 */
static HPDF_RGBColor rgb_of(unsigned rgb)
{
	HPDF_RGBColor c = { (HPDF_REAL)((rgb >> 16) / 255.0),
			    (HPDF_REAL)(((rgb >> 8) & 255) / 255.0),
			    (HPDF_REAL)((rgb & 255) / 255.0) };
	return c;
}

static int same_rgb(HPDF_RGBColor a, HPDF_RGBColor b)
{
	return a.r == b.r && a.g == b.g && a.b == b.b;
}

void render__set_fill(struct doc *d, unsigned rgb)
{
	HPDF_RGBColor c = rgb_of(rgb);
	if (!same_rgb(c, HPDF_Page_GetRGBFill(d->page)))
		HPDF_Page_SetRGBFill(d->page, c.r, c.g, c.b);
}

void render__set_stroke(struct doc *d, unsigned rgb)
{
	HPDF_RGBColor c = rgb_of(rgb);
	if (!same_rgb(c, HPDF_Page_GetRGBStroke(d->page)))
		HPDF_Page_SetRGBStroke(d->page, c.r, c.g, c.b);
}

/* "file:line: " prefix for messages about one element. */
static int el_err(struct doc *d, const struct layout *lay,
		  const struct layout_el *e, int rc)
{
	struct buf msg = BUF_INIT;
	if (buf_addf(&msg, "%s:%d (%s): %s", lay->name, e->line,
		     layout_kind_name(e->kind), d->err ? d->err->data : "") == 0
	    && d->err)
		tb_err(d->err, rc, "%s", msg.data);
	buf_release(&msg);
	return rc;
}

/* The smallest size element e's text may take, from size pt: shrink=MIN,
 * plain shrink 60 % of dflt (the size the layout gives), without shrink
 * the size itself. */
static double elem_min(const struct layout_el *e, double size, double dflt)
{
	if (!(e->flags & LF_SHRINK))
		return size;
	return fmin(size, render__num_or(e, LN_SHRINK, dflt * 0.6));
}

/* A row's value that cannot be printed: which row, then why (the table's
 * line alone would leave the reader guessing which field it was). */
static int row_err(struct doc *d, const struct layout_el *e, int rc)
{
	struct buf msg = BUF_INIT;
	if (d->err && buf_addf(&msg, "baris \"%s\": %s", e->str[LS_LABEL],
			       d->err->data) == 0)
		tb_err(d->err, rc, "%s", msg.data);
	buf_release(&msg);
	return rc;
}

static void box_from(const struct doc *d, struct textbox *b,
		     const struct layout_el *e)
{
	memset(b, 0, sizeof(*b));
	b->x = e->num[LN_X];
	b->y = render__el_y(d, e);
	b->w = render__num_or(e, LN_W, 0);
	b->h = e->num[LN_H];
	b->size = render__num_or(e, LN_SIZE, 11);
	b->leading = render__num_or(e, LN_LEADING, 1.25);
	b->font = (e->flags & LF_BOLD) ? FONT_BOLD : FONT_REGULAR;
	b->underline = !!(e->flags & LF_UNDERLINE);
	b->wrap = !!(e->flags & LF_WRAP);
	b->min = elem_min(e, b->size, b->size);
	b->lines = (int)render__num_or(e, LN_LINES, 0);
	b->align = e->align;
	b->color = e->color;
}

static int el_text(struct doc *d, const struct layout_el *e)
{
	struct textbox b;
	double h;
	box_from(d, &b, e);
	int rc = render__expand_text(d, e->str[LS_TEXT]);
	if (rc < 0 || (rc = render__draw_box(d, &b, &h)) < 0)
		return rc;
	d->flow_y = b.y + h;
	return 0;
}

/*
 * The value's size in row e of table t: the table's; for a row with
 * shrink, the table's times d->row_scale (below 1 while the row gives way
 * to the table's h=), never below the row's own minimum.
 */
static double row_size(const struct doc *d, const struct layout_el *t,
		       const struct layout_el *e)
{
	double s = d->table_size;
	if (!(e->flags & LF_SHRINK))
		return s;
	return fmax(elem_min(e, s, render__num_or(t, LN_SIZE, 11)),
		    s * d->row_scale);
}

/*
 * One table row at the table's font size, its top at d->row_y; *h gets
 * its height (the tallest cell). The value is a box of its own: with the
 * row's lines= it keeps to that many lines, shrinking (the row's shrink)
 * when it must. With measure set nothing is drawn.
 */
static int row_draw(struct doc *d, const struct layout_el *t,
		    const struct layout_el *e, int measure, double *h)
{
	struct textbox b;
	double size = d->table_size;
	box_from(d, &b, t);
	b.wrap = 1;
	b.y = d->row_y;
	b.size = size;
	b.h = NAN;
	b.min = size;
	b.lines = 0;
	b.measure = measure;
	double gap = render__num_or(t, LN_GAP, 2), lw = t->num[LN_LABEL_W];
	double hl = 0, hv = 0, hc = 0;
	b.w = lw - gap;
	b.font = ((t->flags | e->flags) & LF_BOLD) ? FONT_BOLD : FONT_REGULAR;
	/* label_size: captions smaller than the values (the card's 6 pt
	 * labels beside 7 pt data), never larger than the table's size as
	 * it shrinks, set down to share the value's first baseline (cap
	 * height is about 0.73 of the size in TerbitSans). */
	double lsize = fmin(render__num_or(t, LN_LABEL_SIZE, size), size);
	b.size = b.min = lsize;
	b.y = d->row_y + (size - lsize) * 0.73 * 25.4 / 72.0;
	int rc = render__expand_text(d, e->str[LS_LABEL]);
	if (rc < 0 || (rc = render__draw_box(d, &b, &hl)) < 0)
		return rc;
	hl += b.y - d->row_y;
	b.y = d->row_y;
	b.size = b.min = size;
	b.font = (e->flags & LF_BOLD) ? FONT_BOLD : FONT_REGULAR;
	b.x = t->num[LN_X] + lw;
	if (t->flags & LF_COLON) {
		buf_reset(&d->text);
		if (buf_adds(&d->text, ":") < 0)
			return tb_err(d->err, TB_ENOMEM, "memori habis");
		b.w = 0;
		if ((rc = render__draw_box(d, &b, &hc)) < 0)
			return rc;
		b.x += 1.2 * size * 25.4 / 72.0 * 0.5 + gap;
	}
	b.w = t->num[LN_X] + t->num[LN_W] - b.x;
	b.size = row_size(d, t, e);
	b.min = elem_min(e, b.size, render__num_or(t, LN_SIZE, 11));
	b.lines = (int)render__num_or(e, LN_LINES, 0);
	if ((rc = render__expand_text(d, e->str[LS_TEXT])) < 0 ||
	    (rc = render__draw_box(d, &b, &hv)) < 0)
		return row_err(d, e, rc);
	*h = fmax(hl, fmax(hv, hc));
	return 0;
}

/*
 * A table with h= must fit it: the rows below it are measured first. When
 * they are too tall, the rows marked shrink give way first (their size
 * steps down, to their minimum), then with the table's shrink the whole
 * table's size steps down (to its minimum), so a long address on the card
 * makes smaller address text while the name keeps its size, and only a
 * text nothing can fit is refused, naming the tallest row.
 */
static int el_table(struct doc *d, const struct layout_el *e)
{
	double base = render__num_or(e, LN_SIZE, 11);
	d->table = e;
	d->row_y = render__el_y(d, e);
	d->flow_y = d->row_y;
	d->table_size = base;
	d->row_scale = 1;
	if (isnan(e->num[LN_H]))
		return 0;
	const struct layout_el *end = d->lay->el + d->lay->n;
	for (;;) {
		double total = 0, h, tallest_h = 0;
		const struct layout_el *tallest = NULL;
		int giving = 0; /* rows with shrink not yet at their minimum */
		for (const struct layout_el *r = e + 1;
		     r < end && r->kind == LAYOUT_ROW; r++) {
			int rc = row_draw(d, e, r, 1, &h);
			if (rc < 0)
				return rc;
			total += h;
			if (h > tallest_h)
				tallest_h = h, tallest = r;
			giving |= (r->flags & LF_SHRINK) &&
				  row_size(d, e, r) >
					  elem_min(r, d->table_size, base);
		}
		if (total <= e->num[LN_H] + 0.01)
			return 0;
		double next = render__smaller(d->table_size,
					      elem_min(e, base, base));
		if (giving) {
			d->row_scale *= 0.95;
		} else if (next > 0) {
			d->table_size = next;
		} else {
			return tb_err(d->err, TB_EINVAL, "tabel tidak muat dalam "
				      "tinggi %.1f mm: perlu %.1f mm walau "
				      "huruf diperkecil sampai %.1f pt; baris "
				      "tertinggi: %s (%.1f mm)",
				      e->num[LN_H], total, d->table_size,
				      tallest ? tallest->str[LS_LABEL] : "?",
				      tallest_h);
		}
	}
}

static int el_row(struct doc *d, const struct layout_el *e)
{
	double h;
	int rc = row_draw(d, d->table, e, 0, &h);
	if (rc < 0)
		return rc;
	d->row_y += h;
	d->flow_y = d->row_y;
	return 0;
}

static int el_rule(struct doc *d, const struct layout_el *e)
{
	double x = PT(e->num[LN_X]), w = PT(e->num[LN_W]);
	double y = PT(d->page_h - render__el_y(d, e));
	double thick = render__num_or(e, LN_THICK,
				      (e->flags & LF_DOUBLE) ? 0.9 : 0.3);
	render__set_stroke(d, e->color);
	HPDF_Page_SetLineWidth(d->page, (HPDF_REAL)PT(thick));
	HPDF_Page_MoveTo(d->page, (HPDF_REAL)x, (HPDF_REAL)y);
	HPDF_Page_LineTo(d->page, (HPDF_REAL)(x + w), (HPDF_REAL)y);
	HPDF_Page_Stroke(d->page);
	if (e->flags & LF_DOUBLE) {
		/* the kop surat's rule: a heavy line over a thin one */
		double y2 = y - PT(render__num_or(e, LN_GAP, 0.9));
		HPDF_Page_SetLineWidth(d->page, (HPDF_REAL)PT(thick / 3));
		HPDF_Page_MoveTo(d->page, (HPDF_REAL)x, (HPDF_REAL)y2);
		HPDF_Page_LineTo(d->page, (HPDF_REAL)(x + w), (HPDF_REAL)y2);
		HPDF_Page_Stroke(d->page);
	}
	return 0;
}

/* Appends the n numbers of v and then op ("l", "c", ...) to p. */
static char *put_op(char *p, const double *v, int n, const char *op)
{
	for (int i = 0; i < n; i++) {
		p = render__put_real(p, v[i]);
		*p++ = ' ';
	}
	size_t len = strlen(op);
	memcpy(p, op, len);
	p[len] = '\n';
	return p + len + 1;
}

/*
 * The path of a rectangle with corner radius r (pt), from its lower
 * left, and the operator that paints it, written into the page in one
 * piece (libharu's path calls cost thousands of instructions each, a
 * dozen of them a rectangle). The path ends with its paint, so libharu's
 * graphics mode stays right.
 */
static int rounded_rect(struct doc *d, double x, double y, double w,
			double h, double r, const char *paint)
{
	const double k = 0.5523 * r; /* Bezier handle for a quarter circle */
	buf_reset(&d->line);
	if (buf_grow(&d->line, 512) < 0)
		return tb_err(d->err, TB_ENOMEM, "memori habis");
	char *p = d->line.data;
	if (r <= 0) {
		p = put_op(p, (double[]){ x, y, w, h }, 4, "re");
	} else {
		p = put_op(p, (double[]){ x + r, y }, 2, "m");
		p = put_op(p, (double[]){ x + w - r, y }, 2, "l");
		p = put_op(p, (double[]){ x + w - r + k, y, x + w, y + r - k,
					  x + w, y + r }, 6, "c");
		p = put_op(p, (double[]){ x + w, y + h - r }, 2, "l");
		p = put_op(p, (double[]){ x + w, y + h - r + k, x + w - r + k,
					  y + h, x + w - r, y + h }, 6, "c");
		p = put_op(p, (double[]){ x + r, y + h }, 2, "l");
		p = put_op(p, (double[]){ x + r - k, y + h, x, y + h - r + k,
					  x, y + h - r }, 6, "c");
		p = put_op(p, (double[]){ x, y + r }, 2, "l");
		p = put_op(p, (double[]){ x, y + r - k, x + r - k, y, x + r,
					  y }, 6, "c");
		p = put_op(p, NULL, 0, "h");
	}
	p = put_op(p, NULL, 0, paint);
	haru_page_write(d->page, d->line.data, (size_t)(p - d->line.data));
	return 0;
}

static int el_rect(struct doc *d, const struct layout_el *e)
{
	double w = PT(e->num[LN_W]), h = PT(e->num[LN_H]);
	double x = PT(e->num[LN_X]), y = PT(d->page_h - render__el_y(d, e)) - h;
	int stroke = e->has_stroke || !e->has_fill;
	if (e->has_fill)
		render__set_fill(d, e->fill);
	if (stroke) {
		render__set_stroke(d, e->has_stroke ? e->stroke : 0);
		double thick = render__num_or(e, LN_THICK, 0.2);
		HPDF_Page_SetLineWidth(d->page, (HPDF_REAL)PT(thick));
	}
	return rounded_rect(d, x, y, w, h, PT(render__num_or(e, LN_RADIUS, 0)),
			    !e->has_fill ? "S" : stroke ? "B" : "f");
}

static int el_signature(struct doc *d, const struct layout_el *e)
{
	struct textbox b;
	box_from(d, &b, e);
	b.align = LAYOUT_CENTER;
	b.wrap = 1;
	b.h = NAN;
	double used;
	static const int parts[] = { LS_PLACE, LS_TITLE, -1, LS_NAME, LS_NIP,
				     LS_NOTE };
	for (size_t i = 0; i < ARRAY_SIZE(parts); i++) {
		int slot = parts[i];
		if (slot < 0) { /* room for the (electronic) signature */
			b.y += render__num_or(e, LN_SPACE, 22);
			continue;
		}
		if (!e->str[slot])
			continue;
		b.font = slot == LS_NAME ? FONT_BOLD : FONT_REGULAR;
		b.underline = slot == LS_NAME;
		b.size = render__num_or(e, LN_SIZE, 11) *
			 (slot == LS_NOTE ? 0.8 : 1);
		int rc = render__expand_text(d, e->str[slot]);
		if (rc < 0 || (rc = render__draw_box(d, &b, &used)) < 0)
			return rc;
		b.y += used;
	}
	d->flow_y = b.y;
	return 0;
}

static void draw_specimen(struct doc *d, double page_w)
{
	static const char mark[] = "CONTOH / SPECIMEN";
	double diag = atan2(d->page_h, page_w);
	double size = PT(hypot(page_w, d->page_h)) * 0.75 /
		      (render__width_pt(d, FONT_BOLD, 1, mark, strlen(mark)));
	double tw = render__width_pt(d, FONT_BOLD, size, mark, strlen(mark));
	HPDF_ExtGState gs = HPDF_CreateExtGState(d->pdf);
	HPDF_ExtGState_SetAlphaFill(gs, 0.22f);
	HPDF_Page_GSave(d->page);
	HPDF_Page_SetExtGState(d->page, gs);
	render__set_fill(d, 0xC00000);
	double c = cos(diag), s = sin(diag);
	/* centre of the page, minus half the text along the diagonal */
	double cx = PT(page_w) / 2 - c * tw / 2 + s * size * 0.35;
	double cy = PT(d->page_h) / 2 - s * tw / 2 - c * size * 0.35;
	HPDF_Page_BeginText(d->page);
	HPDF_Page_SetFontAndSize(d->page, d->font[FONT_BOLD], (HPDF_REAL)size);
	HPDF_Page_SetTextMatrix(d->page, (HPDF_REAL)c, (HPDF_REAL)s,
				(HPDF_REAL)-s, (HPDF_REAL)c, (HPDF_REAL)cx,
				(HPDF_REAL)cy);
	HPDF_Page_ShowText(d->page, mark);
	HPDF_Page_EndText(d->page);
	HPDF_Page_GRestore(d->page);
}

static int (*const el_draw[])(struct doc *, const struct layout_el *) = {
	[LAYOUT_PAGE] = NULL,          [LAYOUT_TEXT] = el_text,
	[LAYOUT_TABLE] = el_table,     [LAYOUT_ROW] = el_row,
	[LAYOUT_RULE] = el_rule,       [LAYOUT_RECT] = el_rect,
	[LAYOUT_IMAGE] = render__el_image, [LAYOUT_QR] = render__el_qr,
	[LAYOUT_SIGNATURE] = el_signature,
};

/* A new page of w x h mm, which the drawing calls then draw on. */
int render__add_page(struct doc *d, double w, double h)
{
	if (d->npages == d->maxpages)
		return tb_err(d->err, TB_EINTERNAL, "halaman melebihi %d",
			      d->maxpages);
	d->page = HPDF_AddPage(d->pdf);
	if (d->page)
		d->pg[d->npages++].page = d->page;
	d->page_h = h;
	d->ox = d->otop = 0;
	HPDF_Page_SetWidth(d->page, (HPDF_REAL)PT(w));
	HPDF_Page_SetHeight(d->page, (HPDF_REAL)PT(h));
	return render__hpdf_check(d, "membuat halaman");
}

#define QR_PER_LAYOUT 8

/*
 * The layout's elements in order, then (pass 1) its QR codes: they go on
 * last, over the specimen mark too, as nothing may cover a code (the
 * mark across a module row made one unreadable at 100 dpi). Each keeps
 * the text flow it had in the layout's order, for y=+N.
 */
static int draw_elements(struct doc *d, const struct layout *lay, int flags)
{
	double qr_flow[QR_PER_LAYOUT];
	size_t nqr = 0, k = 0;
	int rc = 0;
	for (int pass = 0; rc == 0 && pass < 2; pass++) {
		for (size_t i = 0; rc == 0 && i < lay->n; i++) {
			const struct layout_el *e = &lay->el[i];
			int is_qr = e->kind == LAYOUT_QR;
			if (!el_draw[e->kind] || (pass == 1 && !is_qr))
				continue;
			if (pass == 0 && is_qr) {
				if (nqr == QR_PER_LAYOUT)
					rc = el_err(d, lay, e, tb_err(d->err,
						TB_EINVAL, "lebih dari 8 kode QR"));
				else
					qr_flow[nqr++] = d->flow_y;
				continue;
			}
			if (pass == 1)
				d->flow_y = qr_flow[k++];
			const char *kind = layout_kind_name(e->kind);
			if ((rc = el_draw[e->kind](d, e)) < 0 ||
			    (rc = render__hpdf_check(d, kind)) < 0)
				rc = el_err(d, lay, e, rc);
		}
		if (rc == 0 && pass == 0 && (flags & RENDER_SPECIMEN)) {
			draw_specimen(d, lay->page_w);
			rc = render__hpdf_check(d, "tanda contoh");
		}
	}
	return rc;
}

/*
 * Draws layout lay with fields on the current page, its top-left corner
 * at (x, y) mm from the page's top-left: the one-card pages at (0, 0),
 * the cards of a sheet at their places. Away from the corner the page is
 * shifted under the layout (a cm in GSave/GRestore), so every element
 * draws as on a page of the layout's own size: same checks, same bytes.
 */
int render__draw_layout(struct doc *d, const struct layout *lay,
			const struct render_fields *fields, double x,
			double y, int flags)
{
	double sheet_h = d->page_h;
	int moved = x != 0 || y != 0;
	d->fields = fields;
	d->lay = lay;
	d->flow_y = 0;
	if (moved) {
		HPDF_Page_GSave(d->page);
		HPDF_Page_Concat(d->page, 1, 0, 0, 1, (HPDF_REAL)PT(x),
				 (HPDF_REAL)PT(sheet_h - y - lay->page_h));
		d->page_h = lay->page_h;
		d->ox = PT(x);
		d->otop = PT(y);
	}
	int rc = draw_elements(d, lay, flags);
	if (moved) {
		HPDF_Page_GRestore(d->page);
		d->page_h = sheet_h;
		d->ox = d->otop = 0;
	}
	return rc;
}
