#include "render/render.h"

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_pages.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "render/flate.h"
#include "render/layout.h"
#include "render/qr.h"
#include "render/textenc.h"
#include "render/ttfsub.h"

#define PT(mm) ((mm) * 72.0 / 25.4)

enum { FONT_REGULAR, FONT_BOLD, FONT_N };

static const char *const font_files[FONT_N] = {
	"fonts/terbit-sans.ttf", "fonts/terbit-sans-bold.ttf",
};

/* The layouts of each document kind, in page order. */
static const struct {
	enum render_kind kind;
	const char *files[2];
} doc_layouts[] = {
	{ RENDER_LETTER, { "layouts/spm_letter.layout", NULL } },
	{ RENDER_CARD, { "layouts/kis_card_front.layout",
			 "layouts/kis_card_back.layout" } },
};
#define NDOCS (sizeof(doc_layouts) / sizeof(doc_layouts[0]))

/* A font as the documents use it: Windows-1252 byte -> glyph and width
 * (in 1/1000 em, rounded per glyph as libharu does), taken from libharu
 * once at start, so that measuring text is a table look-up. */
struct render_font {
	char *path;
	struct ttfsub sub;
	unsigned short gid[256];
	unsigned short width[256];
};

/*
 * A stream made once at start and written as is into every document: the
 * keys of its dictionary beyond /Type, /Subtype and /Length (as PDF text,
 * /Filter included) and its data, already deflated. libharu would decode
 * the PNG and deflate it again for every document (a fifth of a letter's
 * time, measured).
 */
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
};

/* Everything one render_doc call owns. */
struct doc {
	const struct render_ctx *ctx;
	const struct render_fields *fields;
	struct buf *err;
	HPDF_Doc pdf;
	HPDF_Page page;
	HPDF_Font font[FONT_N];
	struct mem_reader {        /* libharu reads our bytes through these */
		const unsigned char *data;
		size_t len, pos;
	} reader[FONT_N], out_reader[FONT_N];
	struct buf fontfile[FONT_N]; /* embedded as they are */
	struct doc_page {
		HPDF_Page page;
		struct buf z;          /* its content stream, deflated */
		struct mem_reader r;
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
	double row_y;              /* mm, top of that next row */
	double flow_y;             /* mm, bottom of the last text block */
	struct buf utf8, text, line;  /* scratch */
};

/* libharu calls this on every error. Errors are sticky inside a libharu
 * document, so only the first is kept and the document is abandoned at
 * the next check. */
static void on_hpdf_error(HPDF_STATUS no, HPDF_STATUS detail, void *user)
{
	struct doc *d = user;
	if (!d->hpdf_error) {
		d->hpdf_error = no;
		d->hpdf_detail = detail;
	}
}

static int hpdf_check(struct doc *d, const char *what)
{
	if (!d->hpdf_error)
		return 0;
	return tb_err(d->err, d->hpdf_error == HPDF_FAILD_TO_ALLOC_MEM ?
		      TB_ENOMEM : TB_EINTERNAL,
		      "libharu gagal saat %s: galat 0x%04X (detail %u)", what,
		      (unsigned)d->hpdf_error, (unsigned)d->hpdf_detail);
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

/*
 * A libharu stream reading bytes we hold: the font files read at start
 * (libharu 2.3 has no call to load a font from memory; fread of the file
 * for each document cost half of loading it, measured), and the streams
 * a document embeds as they are (libharu copies its own memory streams a
 * byte at a time, twice over, when it saves).
 */
static HPDF_STATUS mr_read(HPDF_Stream st, HPDF_BYTE *ptr, HPDF_UINT *size)
{
	struct mem_reader *r = st->attr;
	size_t n = r->len - r->pos < *size ? r->len - r->pos : *size;
	memcpy(ptr, r->data + r->pos, n);
	r->pos += n;
	if (n == *size)
		return HPDF_OK;
	*size = (HPDF_UINT)n;
	return HPDF_STREAM_EOF;
}

static HPDF_STATUS mr_seek(HPDF_Stream st, HPDF_INT pos, HPDF_WhenceMode mode)
{
	struct mem_reader *r = st->attr;
	long to = pos + (mode == HPDF_SEEK_CUR ? (long)r->pos :
			 mode == HPDF_SEEK_END ? (long)r->len : 0);
	if (to < 0 || (size_t)to > r->len)
		return HPDF_SetError(st->error, HPDF_FILE_IO_ERROR, 0);
	r->pos = (size_t)to;
	return HPDF_OK;
}

static HPDF_INT32 mr_tell(HPDF_Stream st)
{
	return (HPDF_INT32)((struct mem_reader *)st->attr)->pos;
}

static HPDF_UINT32 mr_size(HPDF_Stream st)
{
	return (HPDF_UINT32)((struct mem_reader *)st->attr)->len;
}

/* Gives dict (a stream dictionary) a stream reading data, which must
 * stay as it is until the document is saved, in place of its own. */
static int use_bytes(struct doc *d, HPDF_Dict dict, struct mem_reader *r,
		     const struct buf *data)
{
	*r = (struct mem_reader){ (const unsigned char *)data->data,
				  data->len, 0 };
	HPDF_Stream st = HPDF_CallbackReader_New(d->pdf->mmgr, mr_read, mr_seek,
						 mr_tell, mr_size, r);
	if (!st)
		return tb_err(d->err, TB_ENOMEM, "memori habis");
	HPDF_Stream_Free(dict->stream);
	dict->stream = st;
	return 0;
}

/* ---- placeholders ------------------------------------------------- */

static int upper_utf8(struct buf *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char c = *p;
		if (c >= 'a' && c <= 'z')
			c -= 32;
		/* Latin-1 small letters U+00E0..U+00FE (but not U+00F7) */
		else if (c == 0xC3 && p[1] >= 0xA0 && p[1] <= 0xBE &&
			 p[1] != 0xB7) {
			if (buf_addc(out, (char)c) < 0)
				return TB_ENOMEM;
			c = (unsigned char)(*++p - 0x20);
		}
		if (buf_addc(out, (char)c) < 0)
			return TB_ENOMEM;
	}
	return 0;
}

/* Appends field value v formatted by fmt (NULL: as is). */
static int apply_format(struct buf *out, const char *key, const char *v,
			const char *fmt, size_t fmtlen, struct buf *err)
{
	int rc;
#define IS(name) (fmtlen == strlen(name) && memcmp(fmt, name, fmtlen) == 0)
	if (!fmt)
		rc = buf_adds(out, v);
	else if (IS("date"))
		rc = fmt_date_id(out, v);
	else if (IS("decimal3")) {
		char *end;
		double x = strtod(v, &end);
		rc = *v && !*end ? fmt_decimal_id(out, x, 3) : TB_EINVAL;
	} else if (IS("card"))
		rc = fmt_card_number(out, v);
	else if (IS("sex"))
		rc = strlen(v) == 1 ? fmt_sex_id(out, v[0]) : TB_EINVAL;
	else if (IS("upper"))
		rc = upper_utf8(out, v);
	else
		return tb_err(err, TB_EINVAL, "format tidak dikenal: {%s|%.*s}",
			      key, (int)fmtlen, fmt);
#undef IS
	if (rc == TB_EINVAL)
		return tb_err(err, rc, "field %s tidak sah untuk format "
			      "%.*s: '%s'", key, (int)fmtlen, fmt, v);
	return rc < 0 ? tb_err(err, rc, "memori habis") : 0;
}

/* Expands "{key}" and "{key|format}" in tpl into d->utf8 (replacing its
 * contents); "{{" is a literal brace. */
static int expand(struct doc *d, const char *tpl)
{
	buf_reset(&d->utf8);
	for (const char *p = tpl; *p;) {
		if (p[0] == '{' && p[1] == '{') {
			if (buf_addc(&d->utf8, '{') < 0)
				return tb_err(d->err, TB_ENOMEM, "memori habis");
			p += 2;
			continue;
		}
		if (*p != '{') {
			size_t n = strcspn(p, "{");
			if (buf_add(&d->utf8, p, n) < 0)
				return tb_err(d->err, TB_ENOMEM, "memori habis");
			p += n;
			continue;
		}
		const char *end = strchr(p, '}');
		if (!end)
			return tb_err(d->err, TB_EINVAL,
				      "'{' tanpa '}' dalam \"%s\"", tpl);
		const char *bar = memchr(p, '|', (size_t)(end - p));
		char key[64];
		size_t klen = (size_t)((bar ? bar : end) - p - 1);
		if (klen == 0 || klen >= sizeof(key))
			return tb_err(d->err, TB_EINVAL,
				      "nama field tidak sah dalam \"%s\"", tpl);
		memcpy(key, p + 1, klen);
		key[klen] = 0;
		const char *v = render_fields_get(d->fields, key);
		if (!v)
			return tb_err(d->err, TB_EINVAL,
				      "field {%s} tidak ada", key);
		int rc = apply_format(&d->utf8, key, v, bar ? bar + 1 : NULL,
				      bar ? (size_t)(end - bar - 1) : 0, d->err);
		if (rc < 0)
			return rc;
		p = end + 1;
	}
	return 0;
}

/* Expands tpl and converts it to CP1252 in d->text. */
static int expand_text(struct doc *d, const char *tpl)
{
	int rc = expand(d, tpl);
	if (rc < 0)
		return rc;
	buf_reset(&d->text);
	return textenc_cp1252(d->utf8.data, &d->text, d->err);
}

/* ---- text boxes --------------------------------------------------- */

struct textbox {
	double x, y, w, h;         /* mm; w 0: unbounded; h NaN: any */
	double size, leading;      /* pt, factor */
	int font, underline, wrap, shrink;
	int measure;               /* only the height: draw nothing */
	enum layout_align align;
	unsigned color;
};

static double width_pt(struct doc *d, int font, double size, const char *s,
		       size_t n)
{
	const unsigned short *w = d->ctx->font[font].width;
	unsigned sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += w[(unsigned char)s[i]];
	return sum * size / 1000.0;
}

/* End of the line that starts at i: greedy word wrap within w_pt (0: no
 * limit); without b->wrap the line runs to the next '\n'. -1 when one
 * word (or the unwrapped line) is wider than w_pt. */
static long line_end(struct doc *d, const struct textbox *b, double size,
		     const char *s, size_t n, size_t i, double w_pt)
{
	if (!b->wrap) {
		size_t end = i + strcspn(s + i, "\n");
		if (w_pt > 0 && width_pt(d, b->font, size, s + i, end - i) > w_pt)
			return -1;
		return (long)end;
	}
	long best = -1;
	double w = 0; /* width of s[i..end): widths add up, no kerning */
	for (size_t end = i;;) {
		size_t word = end;
		while (word < n && s[word] != ' ' && s[word] != '\n')
			word++;
		size_t from = end > i ? end - 1 : end; /* with its space */
		w += width_pt(d, b->font, size, s + from, word - from);
		if (w_pt > 0 && w > w_pt)
			return best; /* -1 when even the first word is too wide */
		best = (long)word;
		if (word >= n || s[word] == '\n')
			return best;
		end = word + 1;
	}
}

/*
 * Breaks text (CP1252, '\n' forces a break) into lines no wider than
 * w_pt, calling fn (when not NULL) for each; returns the line count, fn's
 * negative return, or -1 when something is too wide for the box.
 */
static int break_lines(struct doc *d, const struct textbox *b, double size,
		       const char *s, size_t n, double w_pt,
		       int (*fn)(struct doc *, const struct textbox *, double,
				 const char *, size_t, int, int, void *),
		       void *arg)
{
	int nlines = 0;
	for (size_t i = 0;;) {
		long end = line_end(d, b, size, s, n, i, w_pt);
		if (end < 0)
			return -1;
		/* a paragraph's last line is never justified */
		int last = (size_t)end >= n || s[end] == '\n';
		if (fn) {
			int rc = fn(d, b, size, s + i, (size_t)end - i, nlines,
				    last, arg);
			if (rc < 0)
				return rc;
		}
		nlines++;
		if ((size_t)end >= n)
			return nlines;
		i = (size_t)end + 1; /* the space or newline it broke at */
	}
}

/*
 * Colours, font and word spacing are set only when they change: libharu
 * writes every call into the page (each call also costs a few thousand
 * instructions), and its graphics state, which GSave/GRestore keep
 * right, says what is set. Its state starts black, as a page does.
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

static void set_fill(struct doc *d, unsigned rgb)
{
	HPDF_RGBColor c = rgb_of(rgb);
	if (!same_rgb(c, HPDF_Page_GetRGBFill(d->page)))
		HPDF_Page_SetRGBFill(d->page, c.r, c.g, c.b);
}

static void set_stroke(struct doc *d, unsigned rgb)
{
	HPDF_RGBColor c = rgb_of(rgb);
	if (!same_rgb(c, HPDF_Page_GetRGBStroke(d->page)))
		HPDF_Page_SetRGBStroke(d->page, c.r, c.g, c.b);
}

static void set_font(struct doc *d, int font, double size, double ws)
{
	if (HPDF_Page_GetCurrentFont(d->page) != d->font[font] ||
	    HPDF_Page_GetCurrentFontSize(d->page) != (HPDF_REAL)size)
		HPDF_Page_SetFontAndSize(d->page, d->font[font], (HPDF_REAL)size);
	if (HPDF_Page_GetWordSpace(d->page) != (HPDF_REAL)ws)
		HPDF_Page_SetWordSpace(d->page, (HPDF_REAL)ws);
}

static char *put_int(char *p, int v)
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
static char *put_real(char *p, double v)
{
	long long q = llround(v * 100000);
	if (q < 0) {
		*p++ = '-';
		q = -q;
	}
	p = put_int(p, (int)(q / 100000));
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

/*
 * One line of text: BT, the font and word spacing (through libharu, only
 * when they change, which also puts the font in the page's resources),
 * the position, the string, ET. libharu's TextOut cost several thousand
 * instructions a line (measured: a tenth of a card); its record of the
 * characters shown, which /Widths and the embedded subset follow, is
 * kept here.
 */
static int put_text(struct doc *d, int font, double size, double ws,
		    double x, double y, const char *s, size_t n)
{
	HPDF_FontAttr fa = (HPDF_FontAttr)d->font[font]->attr;
	HPDF_Stream st = ((HPDF_PageAttr)d->page->attr)->stream;
	buf_reset(&d->line);
	if (buf_grow(&d->line, 4 * n + 64) < 0)
		return tb_err(d->err, TB_ENOMEM, "memori habis");
	HPDF_Stream_Write(st, (const HPDF_BYTE *)"BT\012", 3);
	set_font(d, font, size, ws);
	char *p = d->line.data;
	p = put_real(p, x);
	*p++ = ' ';
	p = put_real(p, y);
	memcpy(p, " Td\012(", 5);
	p += 5;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '(' || c == ')' || c == '\\')
			*p++ = '\\';
		*p++ = (char)c;
		if (!fa->used[c]) {
			fa->used[c] = 1;
			fa->widths[c] = (HPDF_INT16)d->ctx->font[font].width[c];
		}
	}
	memcpy(p, ") Tj\012ET\012", 9);
	p += 9;
	HPDF_Stream_Write(st, (const HPDF_BYTE *)d->line.data,
			  (HPDF_UINT)(p - d->line.data));
	return 0;
}

static int draw_line(struct doc *d, const struct textbox *b, double size,
		     const char *s, size_t n, int lineno, int last, void *arg)
{
	(void)arg;
	double lh = size * b->leading;                 /* pt */
	double top = PT(d->page_h - b->y);             /* pt, from bottom */
	double base = top - lineno * lh - (lh - size) / 2 - 0.8 * size;
	double lw = width_pt(d, b->font, size, s, n);
	double x = PT(b->x), w = PT(b->w), ws = 0;
	int spaces = 0;
	switch (b->align) {
	case LAYOUT_CENTER: x += (w - lw) / 2; break;
	case LAYOUT_RIGHT: x += w - lw; break;
	case LAYOUT_JUSTIFY:
		for (size_t i = 0; i < n; i++)
			spaces += s[i] == ' ';
		if (!last && spaces)
			ws = (w - lw) / spaces;
		break;
	default: break;
	}
	int rc = put_text(d, b->font, size, ws, x, base, s, n);
	if (rc < 0)
		return rc;
	if (b->underline && n) {
		double uw = lw + ws * spaces;
		HPDF_Page_SetLineWidth(d->page, (HPDF_REAL)(size * 0.06));
		HPDF_Page_MoveTo(d->page, (HPDF_REAL)x,
				 (HPDF_REAL)(base - size * 0.14));
		HPDF_Page_LineTo(d->page, (HPDF_REAL)(x + uw),
				 (HPDF_REAL)(base - size * 0.14));
		HPDF_Page_Stroke(d->page);
	}
	return 0;
}

/*
 * Draws d->text in box b; *height gets the mm used. Text that does not
 * fit (a word wider than the box, more lines than h allows) is an error
 * unless b->shrink lets the size go down to 60 %.
 */
static int draw_box(struct doc *d, const struct textbox *b, double *height)
{
	double w_pt = b->w > 0 ? PT(b->w) : 0;
	double size = b->size;
	int nlines;
	for (;;) {
		nlines = break_lines(d, b, size, d->text.data, d->text.len,
				     w_pt, NULL, NULL);
		double used = nlines * size * b->leading * 25.4 / 72.0;
		/* nothing may run past the box's height or the page's foot */
		int fits = nlines >= 0 && (isnan(b->h) || used <= b->h + 0.01) &&
			   (b->measure || b->y + used <= d->page_h + 0.01);
		if (fits)
			break;
		if (!b->shrink || size * 0.95 < b->size * 0.6) {
			size_t cut = d->utf8.len > 60 ? 60 : d->utf8.len;
			while (cut && (d->utf8.data[cut] & 0xC0) == 0x80)
				cut--; /* not inside a UTF-8 sequence */
			d->utf8.data[cut] = 0;
			return tb_err(d->err, TB_EINVAL, "teks tidak muat dalam "
				      "kotaknya: \"%s\"", d->utf8.data);
		}
		size *= 0.95;
	}
	if (height)
		*height = nlines * size * b->leading * 25.4 / 72.0;
	if (b->measure)
		return 0;
	set_fill(d, b->color);
	if (b->underline)
		set_stroke(d, b->color);
	int rc = break_lines(d, b, size, d->text.data, d->text.len, w_pt,
			     draw_line, NULL);
	return rc < 0 ? rc : 0;
}

static double num_or(const struct layout_el *e, int slot, double dflt)
{
	return isnan(e->num[slot]) ? dflt : e->num[slot];
}

/* The element's top in mm: fixed, or below the last text block. */
static double el_y(const struct doc *d, const struct layout_el *e)
{
	return e->y_rel ? d->flow_y + e->num[LN_Y] : e->num[LN_Y];
}

static void box_from(const struct doc *d, struct textbox *b,
		     const struct layout_el *e)
{
	memset(b, 0, sizeof(*b));
	b->x = e->num[LN_X];
	b->y = el_y(d, e);
	b->w = num_or(e, LN_W, 0);
	b->h = e->num[LN_H];
	b->size = num_or(e, LN_SIZE, 11);
	b->leading = num_or(e, LN_LEADING, 1.25);
	b->font = (e->flags & LF_BOLD) ? FONT_BOLD : FONT_REGULAR;
	b->underline = !!(e->flags & LF_UNDERLINE);
	b->wrap = !!(e->flags & LF_WRAP);
	b->shrink = !!(e->flags & LF_SHRINK);
	b->align = e->align;
	b->color = e->color;
}

/* ---- elements ----------------------------------------------------- */

static int el_text(struct doc *d, const struct layout_el *e)
{
	struct textbox b;
	double h;
	box_from(d, &b, e);
	int rc = expand_text(d, e->str[LS_TEXT]);
	if (rc < 0 || (rc = draw_box(d, &b, &h)) < 0)
		return rc;
	d->flow_y = b.y + h;
	return 0;
}

/*
 * One table row at font size `size`, its top at d->row_y; *h gets its
 * height (the tallest cell). With measure set nothing is drawn.
 */
static int row_draw(struct doc *d, const struct layout_el *t,
		    const struct layout_el *e, double size, int measure,
		    double *h)
{
	struct textbox b;
	box_from(d, &b, t);
	b.wrap = 1;
	b.y = d->row_y;
	b.size = size;
	b.h = NAN;
	b.shrink = 0;
	b.measure = measure;
	double gap = num_or(t, LN_GAP, 2), lw = t->num[LN_LABEL_W];
	double hl = 0, hv = 0, hc = 0;
	b.w = lw - gap;
	b.font = ((t->flags | e->flags) & LF_BOLD) ? FONT_BOLD : FONT_REGULAR;
	int rc = expand_text(d, e->str[LS_LABEL]);
	if (rc < 0 || (rc = draw_box(d, &b, &hl)) < 0)
		return rc;
	b.font = (e->flags & LF_BOLD) ? FONT_BOLD : FONT_REGULAR;
	b.x = t->num[LN_X] + lw;
	if (t->flags & LF_COLON) {
		buf_reset(&d->text);
		if (buf_adds(&d->text, ":") < 0)
			return tb_err(d->err, TB_ENOMEM, "memori habis");
		b.w = 0;
		if ((rc = draw_box(d, &b, &hc)) < 0)
			return rc;
		b.x += 1.2 * size * 25.4 / 72.0 * 0.5 + gap;
	}
	b.w = t->num[LN_X] + t->num[LN_W] - b.x;
	if ((rc = expand_text(d, e->str[LS_TEXT])) < 0 ||
	    (rc = draw_box(d, &b, &hv)) < 0)
		return rc;
	*h = fmax(hl, fmax(hv, hc));
	return 0;
}

/*
 * A table with h= must fit it: the rows below it are measured first, and
 * with shrink the table's font size steps down (to 60 % at most) until
 * they do, so a long name or address on the card makes smaller text, not
 * a refused card.
 */
static int el_table(struct doc *d, const struct layout_el *e)
{
	d->table = e;
	d->row_y = el_y(d, e);
	d->flow_y = d->row_y;
	d->table_size = num_or(e, LN_SIZE, 11);
	if (isnan(e->num[LN_H]))
		return 0;
	const struct layout_el *end = d->lay->el + d->lay->n;
	for (;;) {
		double total = 0, h;
		for (const struct layout_el *r = e + 1;
		     r < end && r->kind == LAYOUT_ROW; r++) {
			int rc = row_draw(d, e, r, d->table_size, 1, &h);
			if (rc < 0)
				return rc;
			total += h;
		}
		if (total <= e->num[LN_H] + 0.01)
			return 0;
		if (!(e->flags & LF_SHRINK) ||
		    d->table_size * 0.95 < num_or(e, LN_SIZE, 11) * 0.6)
			return tb_err(d->err, TB_EINVAL, "tabel tidak muat dalam "
				      "tinggi %.1f mm (perlu %.1f mm)",
				      e->num[LN_H], total);
		d->table_size *= 0.95;
	}
}

static int el_row(struct doc *d, const struct layout_el *e)
{
	double h;
	int rc = row_draw(d, d->table, e, d->table_size, 0, &h);
	if (rc < 0)
		return rc;
	d->row_y += h;
	d->flow_y = d->row_y;
	return 0;
}

static int el_rule(struct doc *d, const struct layout_el *e)
{
	double x = PT(e->num[LN_X]), w = PT(e->num[LN_W]);
	double y = PT(d->page_h - el_y(d, e));
	double thick = num_or(e, LN_THICK, (e->flags & LF_DOUBLE) ? 0.9 : 0.3);
	set_stroke(d, e->color);
	HPDF_Page_SetLineWidth(d->page, (HPDF_REAL)PT(thick));
	HPDF_Page_MoveTo(d->page, (HPDF_REAL)x, (HPDF_REAL)y);
	HPDF_Page_LineTo(d->page, (HPDF_REAL)(x + w), (HPDF_REAL)y);
	HPDF_Page_Stroke(d->page);
	if (e->flags & LF_DOUBLE) {
		/* the kop surat's rule: a heavy line over a thin one */
		double y2 = y - PT(num_or(e, LN_GAP, 0.9));
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
		p = put_real(p, v[i]);
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
 * piece (through libharu, a dozen path calls cost a tenth of a card,
 * measured). The path ends with its paint, so libharu's graphics mode
 * stays right.
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
	HPDF_Stream_Write(((HPDF_PageAttr)d->page->attr)->stream,
			  (const HPDF_BYTE *)d->line.data,
			  (HPDF_UINT)(p - d->line.data));
	return 0;
}

static int el_rect(struct doc *d, const struct layout_el *e)
{
	double w = PT(e->num[LN_W]), h = PT(e->num[LN_H]);
	double x = PT(e->num[LN_X]), y = PT(d->page_h - el_y(d, e)) - h;
	int stroke = e->has_stroke || !e->has_fill;
	if (e->has_fill)
		set_fill(d, e->fill);
	if (stroke) {
		set_stroke(d, e->has_stroke ? e->stroke : 0);
		HPDF_Page_SetLineWidth(d->page,
				       (HPDF_REAL)PT(num_or(e, LN_THICK, 0.2)));
	}
	return rounded_rect(d, x, y, w, h, PT(num_or(e, LN_RADIUS, 0)),
			    !e->has_fill ? "S" : stroke ? "B" : "f");
}

/* libharu writes a dictionary's own keys, then calls this, then ">>":
 * the prepared keys go in here. With filter NONE libharu writes the data
 * as it is, already deflated. */
static HPDF_STATUS write_prepared_keys(HPDF_Dict obj, HPDF_Stream stream)
{
	const struct buf *keys = obj->attr;
	return HPDF_Stream_Write(stream, (const HPDF_BYTE *)keys->data,
				 (HPDF_UINT)keys->len);
}

static HPDF_Image prepared_image(struct doc *d, const struct prepared *p)
{
	HPDF_Dict img = HPDF_DictStream_New(d->pdf->mmgr, d->pdf->xref);
	if (!img)
		return NULL;
	img->header.obj_class |= HPDF_OSUBCLASS_XOBJECT;
	img->write_fn = write_prepared_keys;
	img->attr = (void *)&p->keys; /* not freed by libharu: no free_fn */
	if (HPDF_Dict_AddName(img, "Type", "XObject") != HPDF_OK ||
	    HPDF_Dict_AddName(img, "Subtype", "Image") != HPDF_OK ||
	    HPDF_Stream_Write(img->stream, (const HPDF_BYTE *)p->data.data,
			      (HPDF_UINT)p->data.len) != HPDF_OK)
		return NULL;
	return img;
}

static int el_image(struct doc *d, const struct layout_el *e)
{
	const struct prepared *p = NULL;
	for (size_t i = 0; i < d->ctx->nprep && !p; i++)
		if (d->ctx->prep[i].el == e)
			p = &d->ctx->prep[i];
	HPDF_Image img = p ? prepared_image(d, p) :
		HPDF_LoadPngImageFromMem(d->pdf,
			(const HPDF_BYTE *)e->image.data, (HPDF_UINT)e->image.len);
	if (!img) {
		int rc = hpdf_check(d, "memuat gambar");
		return rc < 0 ? rc : tb_err(d->err, TB_ENOMEM, "memori habis");
	}
	double w = PT(e->num[LN_W]), h = PT(e->num[LN_H]);
	HPDF_Page_DrawImage(d->page, img, (HPDF_REAL)PT(e->num[LN_X]),
			    (HPDF_REAL)(PT(d->page_h - el_y(d, e)) - h),
			    (HPDF_REAL)w, (HPDF_REAL)h);
	return 0;
}

/*
 * One rectangle per run of dark modules, runs repeated on the rows below
 * merged into one (qr_rects: 449 instead of 524 on the card), in module
 * units: the page's matrix maps them to the symbol's place, so the
 * content stream holds short integers ("12 3 4 1 re") instead of
 * millimetre fractions, a third of the bytes to write and to compress.
 * The rectangles are formatted here and written to the page's content
 * stream in one piece: HPDF_Page_Rectangle costs about 3,000
 * instructions a call (measured: a third of a letter's time for ~600
 * runs). The stream is reached through hpdf_pages.h, which libhpdf-dev
 * installs; the path is closed by its own "f", so libharu's idea of the
 * graphics mode stays right.
 */
static int qr_rect(int x, int y, int w, int h, void *arg)
{
	struct buf *b = arg;
	if (buf_grow(b, 64) < 0)
		return -1;
	char *p = b->data + b->len;
	p = put_int(p, x);
	*p++ = ' ';
	p = put_int(p, y);
	*p++ = ' ';
	p = put_int(p, w);
	*p++ = ' ';
	p = put_int(p, h);
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

static int el_qr(struct doc *d, const struct layout_el *e)
{
	struct qr q;
	int rc = expand(d, e->str[LS_DATA]);
	if (rc < 0 || (rc = qr_encode(&q, d->utf8.data, d->err)) < 0)
		return rc;
	double quiet = num_or(e, LN_QUIET, QR_QUIET);
	double m = PT(e->num[LN_SIZE]) / (q.width + 2 * quiet);
	double x = PT(e->num[LN_X]), from_top = PT(el_y(d, e));
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
	set_fill(d, 0xFFFFFF);
	HPDF_Page_Rectangle(d->page, (HPDF_REAL)x, (HPDF_REAL)(top - side),
			    (HPDF_REAL)side, (HPDF_REAL)side);
	HPDF_Page_Fill(d->page);
	set_fill(d, 0);
	HPDF_Page_GSave(d->page);
	HPDF_Page_Concat(d->page, (HPDF_REAL)m, 0, 0, (HPDF_REAL)-m,
			 (HPDF_REAL)(x + quiet * m), (HPDF_REAL)(top - quiet * m));
	buf_reset(&d->line);
	rc = qr_rects(&q, qr_rect, &d->line) < 0 ||
	     buf_adds(&d->line, "f\n") < 0 ? TB_ENOMEM : 0;
	qr_release(&q);
	if (rc < 0)
		return tb_err(d->err, rc, "memori habis");
	HPDF_PageAttr attr = (HPDF_PageAttr)d->page->attr;
	HPDF_Stream_Write(attr->stream, (const HPDF_BYTE *)d->line.data,
			  (HPDF_UINT)d->line.len);
	HPDF_Page_GRestore(d->page);
	if (!e->str[LS_NOTE])
		return 0;
	/* the caption under the symbol, e.g. "Pindai untuk verifikasi" */
	struct textbox b = { .x = x * 25.4 / 72, .y = (from_top + side) * 25.4 / 72,
			     .w = side * 25.4 / 72, .h = NAN,
			     .size = fmin(8, e->num[LN_SIZE] * 0.3),
			     .leading = 1.2, .wrap = 1, .align = LAYOUT_CENTER };
	return (rc = expand_text(d, e->str[LS_NOTE])) < 0 ? rc :
	       draw_box(d, &b, NULL);
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
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		int slot = parts[i];
		if (slot < 0) { /* room for the (electronic) signature */
			b.y += num_or(e, LN_SPACE, 22);
			continue;
		}
		if (!e->str[slot])
			continue;
		b.font = slot == LS_NAME ? FONT_BOLD : FONT_REGULAR;
		b.underline = slot == LS_NAME;
		b.size = num_or(e, LN_SIZE, 11) * (slot == LS_NOTE ? 0.8 : 1);
		int rc = expand_text(d, e->str[slot]);
		if (rc < 0 || (rc = draw_box(d, &b, &used)) < 0)
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
		      (width_pt(d, FONT_BOLD, 1, mark, strlen(mark)));
	double tw = width_pt(d, FONT_BOLD, size, mark, strlen(mark));
	HPDF_ExtGState gs = HPDF_CreateExtGState(d->pdf);
	HPDF_ExtGState_SetAlphaFill(gs, 0.22f);
	HPDF_Page_GSave(d->page);
	HPDF_Page_SetExtGState(d->page, gs);
	set_fill(d, 0xC00000);
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
	[LAYOUT_IMAGE] = el_image,     [LAYOUT_QR] = el_qr,
	[LAYOUT_SIGNATURE] = el_signature,
};

/* A new page of w x h mm, which the drawing calls then draw on. */
static int add_page(struct doc *d, double w, double h)
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
	return hpdf_check(d, "membuat halaman");
}

/*
 * Draws layout lay with fields on the current page, its top-left corner
 * at (x, y) mm from the page's top-left: the one-card pages at (0, 0),
 * the cards of a sheet at their places. Away from the corner the page is
 * shifted under the layout (a cm in GSave/GRestore), so every element
 * draws as on a page of the layout's own size: same checks, same bytes.
 */
static int draw_layout(struct doc *d, const struct layout *lay,
		       const struct render_fields *fields, double x, double y,
		       int flags)
{
	double sheet_h = d->page_h;
	int moved = x != 0 || y != 0, rc = 0;
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
	/* QR codes go on last, over the specimen mark too: nothing may cover
	 * a code (the mark across a module row made one unreadable at 100
	 * dpi). Each keeps the text flow it had in the layout's order, for
	 * y=+N. */
	double qr_flow[8];
	size_t nqr = 0, k = 0;
	for (int pass = 0; rc == 0 && pass < 2; pass++) {
		for (size_t i = 0; rc == 0 && i < lay->n; i++) {
			const struct layout_el *e = &lay->el[i];
			int is_qr = e->kind == LAYOUT_QR;
			if (!el_draw[e->kind] || (pass == 1 && !is_qr))
				continue;
			if (pass == 0 && is_qr) {
				if (nqr == sizeof(qr_flow) / sizeof(qr_flow[0]))
					rc = el_err(d, lay, e, tb_err(d->err,
						TB_EINVAL, "lebih dari 8 kode QR"));
				else
					qr_flow[nqr++] = d->flow_y;
				continue;
			}
			if (pass == 1)
				d->flow_y = qr_flow[k++];
			if ((rc = el_draw[e->kind](d, e)) < 0 ||
			    (rc = hpdf_check(d, layout_kind_name(e->kind))) < 0)
				rc = el_err(d, lay, e, rc);
		}
		if (rc == 0 && pass == 0 && (flags & RENDER_SPECIMEN)) {
			draw_specimen(d, lay->page_w);
			rc = hpdf_check(d, "tanda contoh");
		}
	}
	if (moved) {
		HPDF_Page_GRestore(d->page);
		d->page_h = sheet_h;
		d->ox = d->otop = 0;
	}
	return rc;
}

/* All of a libharu stream's bytes, appended to out. */
static int stream_bytes(HPDF_Stream st, struct buf *out)
{
	for (HPDF_UINT i = 0; i < HPDF_MemStream_GetBufCount(st); i++) {
		HPDF_UINT n = 0;
		HPDF_BYTE *p = HPDF_MemStream_GetBufPtr(st, i, &n);
		if (p && buf_add(out, p, n) < 0)
			return TB_ENOMEM;
	}
	return 0;
}

static HPDF_STATUS write_flate_filter(HPDF_Dict obj, HPDF_Stream stream)
{
	(void)obj;
	return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

/*
 * The page's content stream deflated by flate_compress (libharu's zlib
 * deflate at its default level was a quarter of a document's time) and
 * put back in its place; libharu writes it as is (filter none) and the
 * dictionary's write hook adds the /Filter it then leaves out.
 */
static int deflate_page(struct doc *d, int k)
{
	struct doc_page *pg = &d->pg[k];
	HPDF_PageAttr pa = (HPDF_PageAttr)pg->page->attr;
	HPDF_Stream st = pa->stream;
	buf_reset(&d->text);
	for (HPDF_UINT i = 0; i < HPDF_MemStream_GetBufCount(st); i++) {
		HPDF_UINT n = 0;
		HPDF_BYTE *p = HPDF_MemStream_GetBufPtr(st, i, &n);
		if (p && buf_add(&d->text, p, n) < 0)
			return tb_err(d->err, TB_ENOMEM, "memori habis");
	}
	if (flate_compress(d->text.data, d->text.len, &pg->z) < 0)
		return tb_err(d->err, TB_ENOMEM, "memori habis");
	int rc = use_bytes(d, pa->contents, &pg->r, &pg->z);
	if (rc < 0)
		return rc;
	pa->stream = pa->contents->stream; /* nothing is drawn after this */
	pa->contents->filter = HPDF_STREAM_FILTER_NONE;
	pa->contents->write_fn = write_flate_filter;
	return hpdf_check(d, "memadatkan halaman");
}

static int save_pdf(struct doc *d, struct buf *out)
{
	for (int i = 0; i < d->npages; i++) {
		int rc = deflate_page(d, i);
		if (rc < 0)
			return rc;
	}
	HPDF_SaveToStream(d->pdf);
	int rc = hpdf_check(d, "menyimpan PDF");
	if (rc < 0)
		return rc;
	/* straight from libharu's buffers: HPDF_ReadFromStream copies a
	 * byte at a time */
	size_t at = out->len;
	if ((rc = stream_bytes(d->pdf->stream, out)) < 0) {
		buf_truncate(out, at);
		return tb_err(d->err, rc, "memori habis");
	}
	if (out->len - at != HPDF_GetStreamSize(d->pdf)) {
		buf_truncate(out, at);
		return tb_err(d->err, TB_EINTERNAL, "PDF terpotong");
	}
	return 0;
}

/*
 * Font i into the document, parsed by libharu (its font definition
 * belongs to the document, so it cannot be shared) from the copy read at
 * start. Not with libharu's embedding, which would re-read the whole font
 * byte by byte at every save (a fifth of a document's time, measured):
 * embed_font puts in our own subset instead. The tag keeps the names
 * libharu gives an embedded subset ("HPDFAA+TerbitSans,Book").
 */
static int load_font(struct doc *d, int i)
{
	const struct render_font *rf = &d->ctx->font[i];
	struct mem_reader *r = &d->reader[i];
	char tag[] = "HPDFAA";
	tag[5] = (char)('A' + i);
	*r = (struct mem_reader){ rf->sub.data, rf->sub.len, 0 };
	HPDF_Stream st = HPDF_CallbackReader_New(d->pdf->mmgr, mr_read, mr_seek,
						 mr_tell, mr_size, r);
	/* the definition owns the stream, even when it fails */
	HPDF_FontDef def = st ? HPDF_TTFontDef_Load(d->pdf->mmgr, st,
						    HPDF_FALSE) : NULL;
	if (!def || HPDF_Doc_RegisterFontDef(d->pdf, def) != HPDF_OK) {
		HPDF_STATUS no = HPDF_GetError(d->pdf);
		return tb_err(d->err, no == HPDF_FAILD_TO_ALLOC_MEM ? TB_ENOMEM :
			      TB_EINTERNAL, "libharu gagal memuat huruf %s: "
			      "galat 0x%04X", rf->path, (unsigned)no);
	}
	HPDF_TTFontDef_SetTagName(def, tag);
	d->font[i] = HPDF_GetFont(d->pdf, def->base_font, "CP1252");
	int rc = hpdf_check(d, "memuat huruf");
	if (rc == 0 && !d->font[i])
		rc = tb_err(d->err, TB_EINTERNAL, "libharu: huruf %s tidak "
			    "termuat", rf->path);
	return rc;
}

static int load_fonts(struct doc *d)
{
	int rc = 0;
	for (int i = 0; i < FONT_N && rc == 0; i++)
		rc = load_font(d, i);
	return rc;
}

/*
 * The font descriptor libharu would make at save time, with the font
 * file cut down to the glyphs of the characters this document showed
 * (libharu's own record of them, the same set its /Widths list). libharu
 * only adds a descriptor the font definition already has.
 */
static int embed_font(struct doc *d, int i)
{
	const struct render_font *rf = &d->ctx->font[i];
	HPDF_FontAttr fa = (HPDF_FontAttr)d->font[i]->attr;
	HPDF_FontDef def = fa->fontdef;
	HPDF_MMgr mm = d->pdf->mmgr;
	buf_reset(&d->line);
	if (buf_grow(&d->line, rf->sub.nglyphs) < 0)
		return tb_err(d->err, TB_ENOMEM, "memori habis");
	unsigned char *used = (unsigned char *)d->line.data;
	memset(used, 0, rf->sub.nglyphs);
	for (int c = 0; c < 256; c++)
		if (fa->used[c] && rf->gid[c] < rf->sub.nglyphs)
			used[rf->gid[c]] = 1;
	if (ttfsub_write(&rf->sub, used, &d->fontfile[i]) < 0)
		return tb_err(d->err, TB_ENOMEM, "memori habis");
	HPDF_Dict desc = HPDF_Dict_New(mm);
	if (!desc || HPDF_Xref_Add(d->pdf->xref, desc) != HPDF_OK)
		return hpdf_check(d, "menyematkan huruf");
	HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
	HPDF_Dict_AddNumber(desc, "Ascent", def->ascent);
	HPDF_Dict_AddNumber(desc, "Descent", def->descent);
	HPDF_Dict_AddNumber(desc, "CapHeight", def->cap_height);
	HPDF_Dict_AddNumber(desc, "Flags", (HPDF_INT32)def->flags);
	HPDF_Dict_Add(desc, "FontBBox", HPDF_Box_Array_New(mm, def->font_bbox));
	HPDF_Dict_AddName(desc, "FontName",
			  ((HPDF_TTFontDefAttr)def->attr)->base_font);
	HPDF_Dict_AddNumber(desc, "ItalicAngle", def->italic_angle);
	HPDF_Dict_AddNumber(desc, "StemV", def->stemv);
	HPDF_Dict_AddNumber(desc, "XHeight", def->x_height);
	HPDF_Dict file = HPDF_DictStream_New(mm, d->pdf->xref);
	if (!file)
		return hpdf_check(d, "menyematkan huruf");
	HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)d->fontfile[i].len);
	int rc = use_bytes(d, file, &d->out_reader[i], &d->fontfile[i]);
	if (rc < 0)
		return rc;
	HPDF_Dict_Add(desc, "FontFile2", file);
	def->descriptor = desc;
	return hpdf_check(d, "menyematkan huruf");
}

/*
 * A libharu document with the fonts loaded, for at most maxpages pages.
 * doc_close releases it, also after a failure here.
 */
static int doc_open(struct doc *d, const struct render_ctx *ctx,
		    int maxpages, struct buf *err)
{
	memset(d, 0, sizeof *d);
	d->ctx = ctx;
	d->err = err;
	buf_init(&d->utf8, 0);
	buf_init(&d->text, 0);
	buf_init(&d->line, 0);
	for (int i = 0; i < FONT_N; i++)
		buf_init(&d->fontfile[i], 0);
	d->pg = maxpages <= 2 ? d->pg_own : calloc((size_t)maxpages,
						   sizeof *d->pg);
	if (!d->pg)
		return tb_err(err, TB_ENOMEM, "memori habis");
	d->maxpages = maxpages;
	for (int i = 0; i < maxpages; i++)
		buf_init(&d->pg[i].z, 0);
	d->pdf = HPDF_New(on_hpdf_error, d);
	if (!d->pdf)
		return tb_err(err, TB_ENOMEM, "libharu: memori habis");
	/* Page contents and images are compressed; the font files are not
	 * (HPDF_COMP_METADATA): libharu already leaves out the glyphs a
	 * document does not use, and deflating the rest cost a quarter of
	 * each document's time for about 5 KB (measured). */
	HPDF_SetCompressionMode(d->pdf, HPDF_COMP_TEXT | HPDF_COMP_IMAGE);
	HPDF_SetInfoAttr(d->pdf, HPDF_INFO_CREATOR, "terbit");
	int rc = hpdf_check(d, "menyiapkan dokumen");
	return rc < 0 ? rc : load_fonts(d);
}

/* The fonts' subsets, then the PDF bytes appended to out. */
static int doc_finish(struct doc *d, struct buf *out)
{
	for (int i = 0; i < FONT_N; i++) {
		int rc = embed_font(d, i);
		if (rc < 0)
			return rc;
	}
	return save_pdf(d, out);
}

static void doc_close(struct doc *d)
{
	if (d->pdf)
		HPDF_Free(d->pdf);
	buf_release(&d->utf8);
	buf_release(&d->text);
	buf_release(&d->line);
	for (int i = 0; i < FONT_N; i++)
		buf_release(&d->fontfile[i]);
	for (int i = 0; d->pg && i < d->maxpages; i++)
		buf_release(&d->pg[i].z);
	if (d->pg != d->pg_own)
		free(d->pg);
}

int render_doc(const struct render_ctx *ctx, enum render_kind kind,
	       const struct render_fields *fields, int flags, struct buf *out,
	       struct buf *err)
{
	struct doc d;
	if ((size_t)kind >= NDOCS)
		return tb_err(err, TB_EINVAL, "jenis dokumen tidak dikenal");
	int rc = doc_open(&d, ctx, 2, err);
	for (int p = 0; rc == 0 && p < 2; p++) {
		const struct layout *lay = &ctx->lay[kind][p];
		if (lay->n && (rc = add_page(&d, lay->page_w, lay->page_h)) == 0)
			rc = draw_layout(&d, lay, fields, 0, 0, flags);
	}
	if (rc == 0)
		rc = doc_finish(&d, out);
	doc_close(&d);
	return rc;
}

/* ---- card sheets -------------------------------------------------- */

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
	set_stroke(d, 0);
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
	return hpdf_check(d, "tanda potong");
}

/* "Lembar 1 dari 2 · depan · kartu 1–10 dari 12 · dicetak 23 November
 * 2026", under the first column (the front's; mirrored on the back),
 * below the cut and between the marks. */
static int sheet_footer(struct doc *d, const struct sheet *sh, int back)
{
	struct textbox b = {
		.x = sh->left + 3, .y = sh->top + SHEET_ROWS * sh->h + 3,
		.w = sh->w - 6, .h = NAN, .size = 6, .leading = 1.25,
		.shrink = 1, .color = 0x555555,
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
	    (rc = draw_box(d, &b, NULL)) < 0)
		return rc;
	return hpdf_check(d, "kaki lembar");
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
	int rc = add_page(d, SHEET_W, SHEET_H);
	for (size_t i = 0; rc == 0 && i < sh->count; i++) {
		double x, y;
		sheet_cell(sh, i, back, &x, &y);
		rc = draw_layout(d, lay, &cards[sh->first + i], x, y, flags);
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
	int rc = doc_open(&d, ctx, 2 * sh.nsheets, err);
	for (sh.k = 1; rc == 0 && sh.k <= sh.nsheets; sh.k++) {
		sh.first = (size_t)(sh.k - 1) * RENDER_SHEET_CARDS;
		sh.count = n - sh.first < RENDER_SHEET_CARDS ? n - sh.first
							      : RENDER_SHEET_CARDS;
		if ((rc = sheet_side(&d, &sh, cards, 0, flags)) == 0)
			rc = sheet_side(&d, &sh, cards, 1, flags);
	}
	if (rc == 0)
		rc = doc_finish(&d, out);
	doc_close(&d);
	return rc;
}

/* ---- context ------------------------------------------------------ */

/* Glyphs and widths of every Windows-1252 byte, from libharu itself, so
 * that documents measure exactly as libharu draws. */
static int font_tables(struct render_ctx *ctx, struct buf *err)
{
	struct doc d = { .ctx = ctx, .err = err };
	int rc = 0;
	d.pdf = HPDF_New(on_hpdf_error, &d);
	if (!d.pdf)
		return tb_err(err, TB_ENOMEM, "libharu: memori habis");
	for (int i = 0; i < FONT_N && rc == 0; i++) {
		struct render_font *rf = &ctx->font[i];
		if ((rc = load_font(&d, i)) < 0)
			break;
		HPDF_Font font = d.font[i];
		HPDF_FontAttr fa = (HPDF_FontAttr)font->attr;
		for (int c = 0; c < 256; c++) {
			HPDF_BYTE b = (HPDF_BYTE)c;
			rf->width[c] = (unsigned short)
				HPDF_Font_TextWidth(font, &b, 1).width;
			rf->gid[c] = HPDF_TTFontDef_GetGlyphid(fa->fontdef,
				HPDF_Encoder_GetUnicode(fa->encoder, (HPDF_UINT16)c));
		}
		rc = hpdf_check(&d, "mengukur huruf");
	}
	HPDF_Free(d.pdf);
	return rc;
}

/*
 * The image the way libharu makes it from the PNG, made once: its keys as
 * PDF text and its data deflated by libharu.
 * An image libharu gives more than one object (a PNG with transparency
 * gets a soft mask) is not prepared: documents load it themselves. 0
 * either way, TB_ENOMEM.
 */
static int prepare_image(struct render_ctx *ctx, const struct layout_el *e)
{
	struct doc d = { .ctx = ctx };
	struct prepared *p = &ctx->prep[ctx->nprep];
	int rc = 0, ok = 0;
	if (ctx->nprep == PREPARED_MAX || !(d.pdf = HPDF_New(on_hpdf_error, &d)))
		return 0;
	HPDF_Image img = HPDF_LoadPngImageFromMem(d.pdf,
		(const HPDF_BYTE *)e->image.data, (HPDF_UINT)e->image.len);
	HPDF_Stream text = HPDF_MemStream_New(d.pdf->mmgr, 1024);
	HPDF_Stream flated = HPDF_MemStream_New(d.pdf->mmgr, 4096);
	if (!img || !text || !flated || d.hpdf_error)
		goto out;
	for (HPDF_UINT i = 0; i < img->list->count; i++) {
		HPDF_DictElement el = HPDF_List_ItemAt(img->list, i);
		const HPDF_Obj_Header *h = el->value;
		if (strcmp(el->key, "Type") == 0 || strcmp(el->key, "Subtype") == 0 ||
		    strcmp(el->key, "Length") == 0 || strcmp(el->key, "Filter") == 0)
			continue;
		if (h->obj_class == HPDF_OCLASS_PROXY)
			goto out; /* another object: a soft mask */
		HPDF_Stream_WriteEscapeName(text, el->key);
		HPDF_Stream_WriteStr(text, " ");
		HPDF_Obj_Write(el->value, text, NULL);
		HPDF_Stream_WriteStr(text, "\012");
	}
	HPDF_Stream_WriteStr(text, "/Filter /FlateDecode\012");
	if (d.hpdf_error)
		goto out;
	HPDF_Stream_WriteToStream(img->stream, flated,
				  HPDF_STREAM_FILTER_FLATE_DECODE, NULL);
	if (d.hpdf_error)
		goto out;
	rc = TB_ENOMEM;
	if (stream_bytes(text, &p->keys) < 0 || stream_bytes(flated, &p->data) < 0)
		goto out;
	p->el = e;
	ctx->nprep++;
	ok = 1;
	rc = 0;
out:
	if (!ok) {
		buf_release(&p->keys);
		buf_release(&p->data);
	}
	if (text)
		HPDF_Stream_Free(text);
	if (flated)
		HPDF_Stream_Free(flated);
	HPDF_Free(d.pdf);
	return rc;
}

int render_ctx_new(struct render_ctx **out, const char *root, struct buf *err)
{
	struct render_ctx *ctx = calloc(1, sizeof(*ctx));
	struct buf path = BUF_INIT, font = BUF_INIT;
	int rc = TB_ENOMEM;
	*out = NULL;
	if (!ctx)
		goto out;
	for (int i = 0; i < FONT_N; i++) {
		buf_reset(&path);
		if (buf_addf(&path, "%s/%s", root, font_files[i]) < 0)
			goto out;
		ctx->font[i].path = buf_detach(&path, NULL);
		buf_reset(&font);
		if ((rc = buf_read_file(&font, ctx->font[i].path, 8 << 20,
					err)) < 0 ||
		    (rc = ttfsub_load(&ctx->font[i].sub, font.data, font.len,
				      ctx->font[i].path, err)) < 0)
			goto out;
	}
	if ((rc = font_tables(ctx, err)) < 0)
		goto out;
	for (size_t k = 0; k < NDOCS; k++)
		for (int p = 0; p < 2 && doc_layouts[k].files[p]; p++) {
			buf_reset(&path);
			if ((rc = buf_addf(&path, "%s/%s", root,
					   doc_layouts[k].files[p])) < 0)
				goto out;
			struct layout *lay = &ctx->lay[doc_layouts[k].kind][p];
			if ((rc = layout_load(lay, path.data, err)) < 0)
				goto out;
			for (size_t i = 0; i < lay->n; i++)
				if (lay->el[i].kind == LAYOUT_IMAGE &&
				    (rc = prepare_image(ctx, &lay->el[i])) < 0)
					goto out;
		}
	*out = ctx;
	ctx = NULL;
	rc = 0;
out:
	if (rc == TB_ENOMEM)
		tb_err(err, rc, "memori habis");
	render_ctx_free(ctx);
	buf_release(&path);
	buf_release(&font);
	return rc;
}

void render_ctx_free(struct render_ctx *ctx)
{
	if (!ctx)
		return;
	for (int i = 0; i < FONT_N; i++) {
		free(ctx->font[i].path);
		ttfsub_release(&ctx->font[i].sub);
	}
	for (size_t k = 0; k < NDOCS; k++)
		for (int p = 0; p < 2; p++)
			layout_release(&ctx->lay[k][p]);
	for (size_t i = 0; i < ctx->nprep; i++) {
		buf_release(&ctx->prep[i].keys);
		buf_release(&ctx->prep[i].data);
	}
	free(ctx);
}
