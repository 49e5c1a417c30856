/* Text: the fonts loaded into each document, text measured with the
 * widths taken from libharu at start, broken into lines and written into
 * the page. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "render/render_int.h"
#include "render/textenc.h"

/* End of the line that starts at i: greedy word wrap within w_pt (0: no
 * limit); without b->wrap the line runs to the next '\n'. -1 when one
 * word (or the unwrapped line) is wider than w_pt. */
static long line_end(struct doc *d, const struct textbox *b, double size,
		     const char *s, size_t n, size_t i, double w_pt)
{
	if (!b->wrap) {
		size_t end = i + strcspn(s + i, "\n");
		if (w_pt > 0 &&
		    render__width_pt(d, b->font, size, s + i, end - i) > w_pt)
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
		w += render__width_pt(d, b->font, size, s + from, word - from);
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

static void set_font(struct doc *d, int font, double size, double ws)
{
	if (HPDF_Page_GetCurrentFont(d->page) != d->font[font] ||
	    HPDF_Page_GetCurrentFontSize(d->page) != (HPDF_REAL)size)
		HPDF_Page_SetFontAndSize(d->page, d->font[font], (HPDF_REAL)size);
	if (HPDF_Page_GetWordSpace(d->page) != (HPDF_REAL)ws)
		HPDF_Page_SetWordSpace(d->page, (HPDF_REAL)ws);
}

/*
 * One line of text: BT, the font and word spacing (through libharu, only
 * when they change, which also puts the font in the page's resources),
 * the position, the string, ET, formatted here: libharu's TextOut costs
 * several thousand instructions a line. Its record of the characters
 * shown, which /Widths and the embedded subset follow, is kept with
 * haru_font_use.
 */
static int put_text(struct doc *d, int font, double size, double ws,
		    double x, double y, const char *s, size_t n)
{
	buf_reset(&d->line);
	if (buf_grow(&d->line, 4 * n + 64) < 0)
		return tb_err(d->err, TB_ENOMEM, "memori habis");
	haru_page_write(d->page, "BT\012", 3);
	set_font(d, font, size, ws);
	char *p = d->line.data;
	p = render__put_real(p, x);
	*p++ = ' ';
	p = render__put_real(p, y);
	memcpy(p, " Td\012(", 5);
	p += 5;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '(' || c == ')' || c == '\\')
			*p++ = '\\';
		*p++ = c;
	}
	memcpy(p, ") Tj\012ET\012", 9);
	p += 9;
	haru_font_use(d->font[font], s, n, d->ctx->font[font].width);
	haru_page_write(d->page, d->line.data, (size_t)(p - d->line.data));
	return 0;
}

static int draw_line(struct doc *d, const struct textbox *b, double size,
		     const char *s, size_t n, int lineno, int last, void *arg)
{
	(void)arg;
	double lh = size * b->leading;                 /* pt */
	double top = PT(d->page_h - b->y);             /* pt, from bottom */
	double base = top - lineno * lh - (lh - size) / 2 - 0.8 * size;
	double lw = render__width_pt(d, b->font, size, s, n);
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

/* The lines d->text takes in b at size, or -1 when it does not fit: a
 * word wider than the box, more than maxl lines (0: no limit), past the
 * box's height or the page's foot. */
static int try_fit(struct doc *d, const struct textbox *b, double size,
		   double w_pt, int maxl)
{
	int n = break_lines(d, b, size, d->text.data, d->text.len, w_pt,
			    NULL, NULL);
	double used = n * size * b->leading * 25.4 / 72.0;
	if (n < 0 || (maxl > 0 && n > maxl) ||
	    (!isnan(b->h) && used > b->h + 0.01) ||
	    (!b->measure && b->y + used > d->page_h + 0.01))
		return -1;
	return n;
}

/* The refusal: what was tried, and the start of the text. */
static int no_fit(struct doc *d, const struct textbox *b)
{
	size_t cut = d->utf8.len > 60 ? 60 : d->utf8.len;
	while (cut && (d->utf8.data[cut] & 0xC0) == 0x80)
		cut--; /* not inside a UTF-8 sequence */
	const char *more = cut < d->utf8.len ? "..." : "";
	d->utf8.data[cut] = 0;
	char tried[96] = "";
	if (b->min < b->size)
		snprintf(tried, sizeof(tried), ", juga setelah diperkecil "
			 "sampai %.1f pt", b->min);
	if (b->lines > 0)
		snprintf(tried + strlen(tried), sizeof(tried) - strlen(tried),
			 "%s paling banyak %d baris", *tried ? "," : " dalam",
			 b->lines);
	return tb_err(d->err, TB_EINVAL, "teks tidak muat dalam kotaknya%s: "
		      "\"%s%s\"", tried, d->utf8.data, more);
}

/*
 * Draws d->text in box b; *height gets the mm used. The text is laid out
 * as the box says (wrapping or not), at b->size and then, when it does
 * not fit, at sizes stepping down to b->min. A box that does not wrap but
 * may take b->lines > 1 then wraps, at the fewest lines that fit, each
 * line count tried from b->size down: shrink first, then wrap, so a name
 * a little too long for its line stays one line. Text that still does
 * not fit (a word wider than the box, more lines than allowed, past h or
 * the page) is an error, never clipped.
 */
int render__draw_box(struct doc *d, const struct textbox *b, double *height)
{
	struct textbox t = *b;
	double w_pt = b->w > 0 ? PT(b->w) : 0;
	double size = b->size;
	int nlines = -1;
	while (size > 0 && (nlines = try_fit(d, &t, size, w_pt, b->lines)) < 0)
		size = render__smaller(size, b->min);
	for (int k = 2; nlines < 0 && !b->wrap && k <= b->lines; k++) {
		t.wrap = 1;
		for (size = b->size; size > 0 &&
		     (nlines = try_fit(d, &t, size, w_pt, k)) < 0;)
			size = render__smaller(size, b->min);
	}
	if (nlines < 0)
		return no_fit(d, b);
	if (height)
		*height = nlines * size * b->leading * 25.4 / 72.0;
	if (b->measure)
		return 0;
	render__set_fill(d, b->color);
	if (b->underline)
		render__set_stroke(d, b->color);
	int rc = break_lines(d, &t, size, d->text.data, d->text.len, w_pt,
			     draw_line, NULL);
	return rc < 0 ? rc : 0;
}

/*
 * Font i into the document, parsed by libharu (its font definition
 * belongs to the document, so it cannot be shared) from the copy read at
 * start. Not with libharu's embedding, which would re-read the whole font
 * byte by byte at every save: finish.c embeds our own subset instead. The
 * tag keeps the names libharu gives an embedded subset
 * ("HPDFAA+TerbitSans,Book").
 */
static int load_font(struct doc *d, int i)
{
	const struct render_font *rf = &d->ctx->font[i];
	char tag[] = "HPDFAA";
	tag[5] = (char)('A' + i);
	if (haru_font_load(d->pdf, &d->reader[i], rf->sub.data, rf->sub.len,
			   tag, &d->font[i]) < 0) {
		HPDF_STATUS no = HPDF_GetError(d->pdf);
		return tb_err(d->err, no == HPDF_FAILD_TO_ALLOC_MEM ? TB_ENOMEM :
			      TB_EINTERNAL, "libharu gagal memuat huruf %s: "
			      "galat 0x%04X", rf->path, (unsigned)no);
	}
	int rc = render__hpdf_check(d, "memuat huruf");
	if (rc == 0 && !d->font[i])
		rc = tb_err(d->err, TB_EINTERNAL, "libharu: huruf %s tidak "
			    "termuat", rf->path);
	return rc;
}

int render__load_fonts(struct doc *d)
{
	int rc = 0;
	for (int i = 0; i < FONT_N && rc == 0; i++)
		rc = load_font(d, i);
	return rc;
}

/* Glyphs and widths of every Windows-1252 byte, from libharu itself, so
 * that documents measure exactly as libharu draws. */
int render__font_tables(struct render_ctx *ctx, struct buf *err)
{
	struct doc d = { .ctx = ctx, .err = err };
	int rc = 0;
	d.pdf = HPDF_New(render__hpdf_error, &d);
	if (!d.pdf)
		return tb_err(err, TB_ENOMEM, "libharu: memori habis");
	for (int i = 0; i < FONT_N && rc == 0; i++) {
		struct render_font *rf = &ctx->font[i];
		if ((rc = load_font(&d, i)) < 0)
			break;
		HPDF_Font font = d.font[i];
		for (int c = 0; c < 256; c++) {
			HPDF_BYTE b = (HPDF_BYTE)c;
			rf->width[c] = (unsigned short)
				HPDF_Font_TextWidth(font, &b, 1).width;
			rf->gid[c] = (unsigned short)haru_font_glyph(font, b);
		}
		rc = render__hpdf_check(&d, "mengukur huruf");
	}
	HPDF_Free(d.pdf);
	return rc;
}
