#ifndef TERBIT_RENDER_INT_H
#define TERBIT_RENDER_INT_H
/*
 * render_int: what the files of the render module share, and nothing
 * outside it includes. render.h is the module's contract.
 *
 *   render.c        the context (fonts, layouts, images loaded once) and
 *                   one document's life: open, render_doc, close
 *   placeholder.c   "{field|format}" in layout text -> the field's value
 *   text.c          fonts into a document, text measured, broken into
 *                   lines and written into the page
 *   draw.c          a layout drawn on a page: its elements, the
 *                   specimen mark, pages
 *   image.c         images, prepared once at start
 *   qr_draw.c       QR codes drawn as rectangles on the page's grid
 *   finish.c        font subsets, deflated pages, the saved PDF
 *   sheet.c         cards imposed ten to an A4 sheet, with crop marks
 *   report.c        reports: report.layout, then tables and vector
 *                   charts flowing over pages
 *   haru_internal.c every use of libharu's private structs
 */
#include <hpdf.h>
#include <math.h>

#include "core/buf.h"
#include "render/haru_internal.h"
#include "render/layout.h"
#include "render/render.h"
#include "render/ttfsub.h"

#define PT(mm) ((mm) * 72.0 / 25.4)

enum { FONT_REGULAR, FONT_BOLD, FONT_N };

#define NDOCS 2 /* enum render_kind */

/* A font as the documents use it: Windows-1252 byte -> glyph and width
 * (in 1/1000 em, rounded per glyph as libharu does), taken from libharu
 * once at start, so that measuring text is a table look-up. */
struct render_font {
	char *path;
	struct ttfsub sub;
	unsigned short gid[256];
	unsigned short width[256];
};

/* An image stream made once at start and written as is into every
 * document (haru_image_prepare). */
struct prepared {
	const struct layout_el *el; /* the image element it is for */
	struct buf keys, data;
};

#define PREPARED_MAX 8

struct render_ctx {
	struct render_font font[FONT_N];
	struct layout lay[NDOCS][2];
	size_t nprep;
	struct prepared prep[PREPARED_MAX];
	/* layouts/report.layout, when the root has one (n 0: none): a root
	 * made for documents alone still loads. */
	struct layout report;
};

/* Everything one render_doc or render_card_sheet call owns. */
struct doc {
	const struct render_ctx *ctx;
	const struct render_fields *fields;
	struct buf *err;
	HPDF_Doc pdf;
	HPDF_Page page;
	HPDF_Font font[FONT_N];
	struct haru_reader reader[FONT_N], out_reader[FONT_N];
	struct buf fontfile[FONT_N]; /* the subsets, embedded as they are */
	struct doc_page {
		HPDF_Page page;
		struct buf z;          /* its content stream, deflated */
		struct haru_reader r;
	} *pg, pg_own[2];          /* pg: pg_own, or a sheet's array */
	int npages, maxpages;
	double page_h;             /* mm, of what is being drawn (a card on
				      a sheet: the card's) */
	double ox, otop;           /* pt: where that is, from the page's
				      left and top edges (QR grid) */
	HPDF_STATUS hpdf_error;    /* first libharu error, 0 if none */
	HPDF_STATUS hpdf_detail;
	const struct layout *lay;  /* the page being drawn */
	const struct layout_el *table; /* the table the next row belongs to */
	double table_size;         /* its font size, after any shrinking */
	double row_scale;          /* its rows with shrink: their share of
				      table_size while they give way */
	double row_y;              /* mm, top of that next row */
	double flow_y;             /* mm, bottom of the last text block */
	struct buf utf8, text, line;  /* scratch */
};

struct textbox {
	double x, y, w, h;         /* mm; w 0: unbounded; h NaN: any */
	double size, leading;      /* pt, factor */
	double min;                /* pt: the size may step down to this */
	int lines;                 /* the most lines; 0: as h and wrap allow */
	int font, underline, wrap;
	int measure;               /* only the height: draw nothing */
	enum layout_align align;
	unsigned color;
};

/* render.c */
void render__hpdf_error(HPDF_STATUS no, HPDF_STATUS detail, void *user);
int render__hpdf_check(struct doc *d, const char *what);
int render__doc_open(struct doc *d, const struct render_ctx *ctx,
		     int maxpages, struct buf *err);
void render__doc_close(struct doc *d);

/* placeholder.c: tpl expanded into d->utf8; _text: and converted to
 * CP1252 in d->text */
int render__expand(struct doc *d, const char *tpl);
int render__expand_text(struct doc *d, const char *tpl);

/* text.c */
int render__load_fonts(struct doc *d);
int render__font_tables(struct render_ctx *ctx, struct buf *err);
int render__draw_box(struct doc *d, const struct textbox *b, double *height);

/* draw.c */
void render__set_fill(struct doc *d, unsigned rgb);
void render__set_stroke(struct doc *d, unsigned rgb);
int render__add_page(struct doc *d, double w, double h);
int render__draw_layout(struct doc *d, const struct layout *lay,
			const struct render_fields *fields, double x,
			double y, int flags);

/* image.c */
int render__el_image(struct doc *d, const struct layout_el *e);
int render__prepare_image(struct render_ctx *ctx, const struct layout_el *e);

/* qr_draw.c */
int render__el_qr(struct doc *d, const struct layout_el *e);

/* finish.c: the fonts' subsets, then the PDF bytes appended to out */
int render__doc_finish(struct doc *d, struct buf *out);

static inline double render__num_or(const struct layout_el *e, int slot,
				    double dflt)
{
	return isnan(e->num[slot]) ? dflt : e->num[slot];
}

/* The next font size to try when text does not fit: 5 % smaller, and
 * last the minimum itself; 0 once min has been tried. */
static inline double render__smaller(double size, double min)
{
	if (size * 0.95 >= min)
		return size * 0.95;
	return size > min ? min : 0;
}

/* The element's top in mm: fixed, or below the last text block. */
static inline double render__el_y(const struct doc *d,
				  const struct layout_el *e)
{
	return e->y_rel ? d->flow_y + e->num[LN_Y] : e->num[LN_Y];
}

static inline double render__width_pt(const struct doc *d, int font,
				      double size, const char *s, size_t n)
{
	const unsigned short *w = d->ctx->font[font].width;
	unsigned sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += w[(unsigned char)s[i]];
	return sum * size / 1000.0;
}

static inline char *render__put_int(char *p, int v)
{
	char tmp[12];
	int n = 0;
	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* v with at most 5 decimals, as libharu writes numbers. */
static inline char *render__put_real(char *p, double v)
{
	long long q = llround(v * 100000);
	if (q < 0) {
		*p++ = '-';
		q = -q;
	}
	p = render__put_int(p, (int)(q / 100000));
	int frac = (int)(q % 100000);
	if (frac) {
		*p++ = '.';
		for (int div = 10000; frac; div /= 10) {
			*p++ = (char)('0' + frac / div);
			frac %= div;
		}
	}
	return p;
}

#endif
