#include "render/layout.h"

#include <ctype.h>
#include <math.h>
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/str.h"
#include "render/textenc.h"

/* A_SHRINK: a flag that may carry a number (shrink, shrink=4.5) */
enum attr_type { A_NUM, A_STR, A_FLAG, A_SHRINK, A_ALIGN, A_COLOR };

struct attr_def {
	const char *name;
	enum attr_type type;
	int slot; /* LN_*, LS_*, LF_* bit, or which colour (0 text, 1 fill, 2 stroke) */
};

/* At most 64: a line's attributes are a bit mask (read_attr). */
static const struct attr_def attrs[] = {
	{ "x", A_NUM, LN_X },           { "y", A_NUM, LN_Y },
	{ "w", A_NUM, LN_W },           { "h", A_NUM, LN_H },
	{ "size", A_NUM, LN_SIZE },     { "leading", A_NUM, LN_LEADING },
	{ "thick", A_NUM, LN_THICK },   { "gap", A_NUM, LN_GAP },
	{ "radius", A_NUM, LN_RADIUS }, { "quiet", A_NUM, LN_QUIET },
	{ "label_w", A_NUM, LN_LABEL_W }, { "space", A_NUM, LN_SPACE },
	{ "angle", A_NUM, LN_ANGLE },   { "lines", A_NUM, LN_LINES },
	{ "label_size", A_NUM, LN_LABEL_SIZE },
	{ "text", A_STR, LS_TEXT },     { "label", A_STR, LS_LABEL },
	{ "src", A_STR, LS_SRC },       { "data", A_STR, LS_DATA },
	{ "place", A_STR, LS_PLACE },   { "title", A_STR, LS_TITLE },
	{ "name", A_STR, LS_NAME },     { "nip", A_STR, LS_NIP },
	{ "note", A_STR, LS_NOTE },     { "paper", A_STR, LS_SIZE },
	{ "bold", A_FLAG, LF_BOLD },    { "underline", A_FLAG, LF_UNDERLINE },
	{ "wrap", A_FLAG, LF_WRAP },    { "shrink", A_SHRINK, LF_SHRINK },
	{ "double", A_FLAG, LF_DOUBLE }, { "colon", A_FLAG, LF_COLON },
	{ "align", A_ALIGN, 0 },
	{ "color", A_COLOR, 0 },        { "fill", A_COLOR, 1 },
	{ "stroke", A_COLOR, 2 },
};

_Static_assert(ARRAY_SIZE(attrs) <= 64, "attrs fit a mask");

static int check_page(struct layout *lay, struct layout_el *e,
		      struct buf *msg);
static int check_row(struct layout *lay, struct layout_el *e,
		     struct buf *msg);
static int check_text(struct layout *lay, struct layout_el *e,
		      struct buf *msg);
static int check_box(struct layout *lay, struct layout_el *e,
		     struct buf *msg);
static int check_table(struct layout *lay, struct layout_el *e,
		       struct buf *msg);

/*
 * The element kinds. allowed/required are space-separated attribute
 * names; check runs after the attributes are read, for rules a list
 * cannot say. docs/layouts.md describes each row.
 */
static const struct kind_def {
	const char *name;
	enum layout_kind kind;
	int (*check)(struct layout *, struct layout_el *, struct buf *);
	const char *allowed;
	const char *required;
} kinds[] = {
	{ "page", LAYOUT_PAGE, check_page, "paper w h", "" },
	{ "text", LAYOUT_TEXT, check_text,
	  "x y w h size leading bold underline wrap shrink lines align color "
	  "text",
	  "x y text" },
	{ "table", LAYOUT_TABLE, check_table,
	  "x y w h size leading label_w label_size gap colon bold shrink "
	  "color",
	  "x y w label_w" },
	{ "row", LAYOUT_ROW, check_row, "label text bold shrink lines",
	  "label text" },
	{ "rule", LAYOUT_RULE, NULL, "x y w thick gap double color", "x y w" },
	{ "rect", LAYOUT_RECT, check_box,
	  "x y w h radius thick fill stroke", "x y w h" },
	{ "image", LAYOUT_IMAGE, check_box, "x y w h src", "x y w h src" },
	{ "qr", LAYOUT_QR, NULL, "x y size quiet data note", "x y size data" },
	{ "signature", LAYOUT_SIGNATURE, NULL,
	  "x y w size leading space place title name nip note",
	  "x y w place title name nip" },
};

static const struct kind_def *kind_find(const char *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
		if (strlen(kinds[i].name) == len &&
		    memcmp(kinds[i].name, name, len) == 0)
			return &kinds[i];
	return NULL;
}

const char *layout_kind_name(enum layout_kind kind)
{
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
		if (kinds[i].kind == kind)
			return kinds[i].name;
	return "?";
}

static const struct attr_def *attr_find(const char *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(attrs); i++)
		if (strlen(attrs[i].name) == len &&
		    memcmp(attrs[i].name, name, len) == 0)
			return &attrs[i];
	return NULL;
}

/* Is the word name (len) in the space-separated list? */
static int in_list(const char *list, const char *name, size_t len)
{
	while (*list) {
		size_t n = strcspn(list, " ");
		if (n == len && memcmp(list, name, len) == 0)
			return 1;
		list += n;
		list += *list == ' ';
	}
	return 0;
}

static int attr_given(const struct layout_el *e, const struct attr_def *a)
{
	switch (a->type) {
	case A_NUM: return !isnan(e->num[a->slot]);
	case A_STR: return e->str[a->slot] != NULL;
	default: return 1; /* flags, align and colours have defaults */
	}
}

static int check_page(struct layout *lay, struct layout_el *e,
		      struct buf *msg)
{
	static const struct { const char *name; double w, h; } papers[] = {
		{ "A4", 210, 297 }, { "A5", 148, 210 },
		{ "ID1", 85.60, 53.98 }, { "F4", 215, 330 },
	};
	if (lay->n > 1)
		return buf_setf(msg, "page harus elemen pertama"), -1;
	const char *p = e->str[LS_SIZE];
	if (p) {
		for (size_t i = 0; i < ARRAY_SIZE(papers); i++)
			if (strcmp(p, papers[i].name) == 0) {
				lay->page_w = papers[i].w;
				lay->page_h = papers[i].h;
				return 0;
			}
		return buf_setf(msg, "kertas tidak dikenal: %s (A4, A5, F4, ID1)",
				p), -1;
	}
	if (isnan(e->num[LN_W]) || isnan(e->num[LN_H]) || e->num[LN_W] <= 0 ||
	    e->num[LN_H] <= 0)
		return buf_setf(msg, "page perlu paper= atau w= dan h="), -1;
	lay->page_w = e->num[LN_W];
	lay->page_h = e->num[LN_H];
	return 0;
}

/*
 * shrink=MIN_PT and lines=N, for an element whose text is size pt: a
 * minimum above 0 and no bigger than the size, a whole number of lines.
 */
static int check_fit(const struct layout_el *e, double size, struct buf *msg)
{
	double min = e->num[LN_SHRINK], n = e->num[LN_LINES];
	if (!isnan(min) && (min <= 0 || min > size))
		return buf_setf(msg, "shrink=%g harus lebih dari 0 dan tidak "
				"lebih dari ukuran huruf (%g pt)", min, size),
		       -1;
	if (!isnan(n) && (n < 1 || n > 99 || n != floor(n)))
		return buf_setf(msg, "lines harus bilangan bulat 1 sampai 99: "
				"'%g'", n), -1;
	return 0;
}

static int check_row(struct layout *lay, struct layout_el *e,
		     struct buf *msg)
{
	size_t t = lay->n - 1;
	while (t > 0 && lay->el[t - 1].kind == LAYOUT_ROW)
		t--;
	if (t == 0 || lay->el[t - 1].kind != LAYOUT_TABLE)
		return buf_setf(msg, "row harus di bawah table atau row"), -1;
	const struct layout_el *table = &lay->el[t - 1];
	return check_fit(e, isnan(table->num[LN_SIZE]) ? 11 :
			 table->num[LN_SIZE], msg);
}

static int check_text(struct layout *lay, struct layout_el *e,
		      struct buf *msg)
{
	(void)lay;
	if ((e->flags & (LF_WRAP | LF_SHRINK)) || e->align != LAYOUT_LEFT ||
	    !isnan(e->num[LN_LINES]))
		if (isnan(e->num[LN_W]))
			return buf_setf(msg, "text dengan wrap, shrink, lines atau "
					"align perlu w="), -1;
	return check_fit(e, isnan(e->num[LN_SIZE]) ? 11 : e->num[LN_SIZE],
			 msg);
}

static int check_table(struct layout *lay, struct layout_el *e,
		       struct buf *msg)
{
	(void)lay;
	return check_fit(e, isnan(e->num[LN_SIZE]) ? 11 : e->num[LN_SIZE],
			 msg);
}

static int check_box(struct layout *lay, struct layout_el *e,
		     struct buf *msg)
{
	(void)lay;
	if (e->num[LN_W] <= 0 || e->num[LN_H] <= 0)
		return buf_setf(msg, "w dan h harus lebih dari 0"), -1;
	return 0;
}

/* Reads a quoted string at *p (after the opening quote) into a new
 * string; NULL on an unterminated one (msg set) or no memory. */
static char *read_quoted(const char **pp, struct buf *msg)
{
	struct buf s = BUF_INIT;
	const char *p = *pp;
	for (;; p++) {
		if (!*p || *p == '\n') {
			buf_release(&s);
			buf_setf(msg, "string tanpa tanda kutip penutup");
			return NULL;
		}
		if (*p == '"')
			break;
		char c = *p;
		if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
			c = *++p;
		else if (*p == '\\' && p[1] == 'n')
			c = '\n', p++;
		if (buf_addc(&s, c) < 0) {
			buf_release(&s);
			buf_setf(msg, "memori habis");
			return NULL;
		}
	}
	*pp = p + 1;
	return buf_detach(&s, NULL);
}

static int set_value(struct layout_el *e, const struct attr_def *a,
		     const char *v, size_t vlen, struct buf *msg)
{
	char tmp[64];
	if (vlen >= sizeof(tmp))
		return buf_setf(msg, "nilai %s terlalu panjang", a->name), -1;
	memcpy(tmp, v, vlen);
	tmp[vlen] = 0;
	char *end;
	switch (a->type) {
	case A_NUM: {
		if (a->slot == LN_Y && tmp[0] == '+' && e->kind != LAYOUT_PAGE)
			e->y_rel = 1;
		double d = strtod(tmp, &end);
		if (!vlen || *end || !isfinite(d) ||
		    (d < 0 && a->slot != LN_ANGLE) || fabs(d) > 10000)
			return buf_setf(msg, "angka tidak sah untuk %s: '%s'",
					a->name, tmp), -1;
		e->num[a->slot] = d;
		return 0;
	}
	case A_ALIGN: {
		static const char *const names[] = { "left", "center", "right",
						     "justify" };
		for (int i = 0; i < 4; i++)
			if (strcmp(tmp, names[i]) == 0) {
				e->align = (enum layout_align)i;
				return 0;
			}
		return buf_setf(msg, "align tidak dikenal: '%s' (left, center, "
				"right, justify)", tmp), -1;
	}
	case A_COLOR: {
		unsigned long c = strtoul(tmp + 1, &end, 16);
		if (tmp[0] != '#' || vlen != 7 || *end)
			return buf_setf(msg, "warna harus #RRGGBB: '%s'", tmp),
			       -1;
		if (a->slot == 0)
			e->color = (unsigned)c;
		else if (a->slot == 1)
			e->fill = (unsigned)c, e->has_fill = 1;
		else
			e->stroke = (unsigned)c, e->has_stroke = 1;
		return 0;
	}
	default:
		return buf_setf(msg, "%s tidak bernilai", a->name), -1;
	}
}

/* Reads one attribute at *pp into e; *seen has a bit per attribute of
 * attrs[] the line gave. -1 with msg on error. */
static int read_attr(struct layout_el *e, const struct kind_def *k,
		     const char **pp, unsigned long long *seen,
		     struct buf *msg)
{
	const char *p = *pp;
	size_t nlen = strcspn(p, "= \t\n");
	const struct attr_def *a = attr_find(p, nlen);
	if (!a || !in_list(k->allowed, p, nlen))
		return buf_setf(msg, "atribut tidak dikenal untuk %s: '%.*s'",
				k->name, (int)nlen, p), -1;
	/* the second of two would silently win: say which one is meant */
	unsigned long long bit = 1ull << (a - attrs);
	if (*seen & bit)
		return buf_setf(msg, "atribut %s diberikan dua kali", a->name),
		       -1;
	*seen |= bit;
	p += nlen;
	if (a->type == A_FLAG || a->type == A_SHRINK)
		e->flags |= (unsigned)a->slot;
	if (*p != '=') {
		if (a->type != A_FLAG && a->type != A_SHRINK)
			return buf_setf(msg, "%s perlu nilai (%s=...)", a->name,
					a->name), -1;
		*pp = p;
		return 0;
	}
	p++;
	if (a->type == A_FLAG)
		return buf_setf(msg, "%s tidak bernilai", a->name), -1;
	if (a->type == A_SHRINK) { /* shrink=MIN_PT: the flag and its floor */
		static const struct attr_def floor_pt = { "shrink", A_NUM,
							  LN_SHRINK };
		a = &floor_pt;
	}
	if (a->type == A_STR) {
		char *s;
		if (*p != '"') { /* a bare word: paper=A4 */
			size_t n = strcspn(p, " \t\n\"");
			if (!n || p[n] == '"')
				return buf_setf(msg, "%s harus string dalam "
						"tanda kutip", a->name), -1;
			s = strndup(p, n);
			p += n;
			if (!s)
				return buf_setf(msg, "memori habis"), -1;
		} else {
			p++;
			s = read_quoted(&p, msg);
		}
		if (!s)
			return -1;
		free(e->str[a->slot]);
		e->str[a->slot] = s;
		*pp = p;
		return 0;
	}
	size_t vlen = strcspn(p, " \t\n");
	if (set_value(e, a, p, vlen, msg) < 0)
		return -1;
	*pp = p + vlen;
	return 0;
}

static int check_required(const struct layout_el *e, const struct kind_def *k,
			  struct buf *msg)
{
	const char *r = k->required;
	while (*r) {
		size_t n = strcspn(r, " ");
		const struct attr_def *a = attr_find(r, n);
		if (a && !attr_given(e, a))
			return buf_setf(msg, "%s perlu %.*s=", k->name, (int)n,
					r), -1;
		r += n;
		r += *r == ' ';
	}
	return 0;
}

static int add_el(struct layout *lay, struct layout_el **out)
{
	size_t n = lay->n;
	/* capacity: 16, then doubling whenever n reaches a power of two */
	if (n == 0 || (n >= 16 && (n & (n - 1)) == 0)) {
		struct layout_el *el = realloc(lay->el, (n ? n * 2 : 16) *
							    sizeof(*el));
		if (!el)
			return -1;
		lay->el = el;
	}
	struct layout_el *e = &lay->el[lay->n++];
	memset(e, 0, sizeof(*e));
	for (int i = 0; i < LN_NUM_MAX; i++)
		e->num[i] = NAN;
	buf_init(&e->image, 0);
	*out = e;
	return 0;
}

/* Parses one logical line (continuations already joined). */
static int parse_line(struct layout *lay, const char *p, int lineno,
		      struct buf *msg)
{
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p || *p == '#')
		return 0;
	size_t klen = strcspn(p, " \t");
	const struct kind_def *k = kind_find(p, klen);
	if (!k)
		return buf_setf(msg, "elemen tidak dikenal: '%.*s'", (int)klen,
				p), -1;
	if (k->kind != LAYOUT_PAGE && lay->n == 0)
		return buf_setf(msg, "baris pertama harus page"), -1;
	struct layout_el *e;
	if (add_el(lay, &e) < 0)
		return buf_setf(msg, "memori habis"), -1;
	e->kind = k->kind;
	e->line = lineno;
	p += klen;
	unsigned long long seen = 0;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (read_attr(e, k, &p, &seen, msg) < 0)
			return -1;
		if (*p && *p != ' ' && *p != '\t')
			return buf_setf(msg, "spasi diperlukan setelah atribut"),
			       -1;
	}
	if (check_required(e, k, msg) < 0)
		return -1;
	return k->check ? k->check(lay, e, msg) : 0;
}

/*
 * Checks the bytes of one physical line (without its '\n'): UTF-8, no
 * NUL, no control character but tab. A NUL once ended the file there
 * without a word (a signed letter came out without its table, QR code
 * and signature), so every byte the parser would not understand stops
 * the file instead, naming its column. -1 with msg set.
 */
static int check_bytes(const char *s, size_t n, struct buf *msg)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		int len;
		uint32_t c = textenc_utf8_next(p + i, n - i, &len);
		if (!len)
			return buf_setf(msg, "kolom %zu: byte 0x%02X bukan UTF-8 "
					"yang sah", i + 1, p[i]), -1;
		if (c == 0)
			return buf_setf(msg, "kolom %zu: byte NUL (0x00) tidak "
					"boleh ada di berkas layout", i + 1), -1;
		if (c == '\r')
			return buf_setf(msg, "kolom %zu: CR (0x0D) hanya boleh "
					"sebagai akhir baris CRLF", i + 1), -1;
		if ((c < 0x20 && c != '\t') || (c >= 0x7F && c < 0xA0))
			return buf_setf(msg, "kolom %zu: karakter kendali U+%04X "
					"tidak boleh ada di berkas layout", i + 1,
					(unsigned)c), -1;
		i += (size_t)len;
	}
	return 0;
}

int layout_parse(struct layout *lay, const char *name, const char *text,
		 size_t len, struct buf *err)
{
	memset(lay, 0, sizeof(*lay));
	struct buf line = BUF_INIT, msg = BUF_INIT;
	int rc = TB_ENOMEM, lineno = 0, start = 0;
	lay->name = strdup(name);
	if (!lay->name)
		goto out;
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		lineno++;
		if (!line.len)
			start = lineno;
		size_t body = n - (n > 0 && p[n - 1] == '\r'); /* CRLF */
		if (check_bytes(p, body, &msg) < 0) {
			rc = tb_err(err, TB_EINVAL, "%s:%d: %s", name, lineno,
				    msg.data);
			goto out;
		}
		int cont = body > 0 && p[body - 1] == '\\';
		if (buf_add(&line, p, cont ? body - 1 : body) < 0)
			goto out;
		p += n + (nl != NULL);
		if (cont && p < end)
			continue;
		if (parse_line(lay, line.data, start,
			       &msg) < 0) {
			rc = tb_err(err, TB_EINVAL, "%s:%d: %s", name, start,
				    msg.data);
			goto out;
		}
		buf_reset(&line);
	}
	if (lay->n == 0) {
		rc = tb_err(err, TB_EINVAL, "%s:1: berkas kosong, page "
			    "diperlukan", name);
		goto out;
	}
	rc = 0;
out:
	if (rc == TB_ENOMEM)
		tb_err(err, rc, "%s: memori habis", name);
	buf_release(&line);
	buf_release(&msg);
	return rc;
}

struct png_src {
	const unsigned char *p;
	size_t left;
	char msg[160];
};

static void png_src_read(png_structp png, png_bytep out, png_size_t n)
{
	struct png_src *src = png_get_io_ptr(png);
	if (n > src->left)
		png_error(png, "berkas terpotong");
	memcpy(out, src->p, n);
	src->p += n;
	src->left -= n;
}

static void png_src_error(png_structp png, png_const_charp msg)
{
	struct png_src *src = png_get_error_ptr(png);
	snprintf(src->msg, sizeof(src->msg), "%s", msg);
	png_longjmp(png, 1);
}

static void png_src_warning(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

/*
 * Decodes the whole PNG once, at load: libharu hands a broken image to
 * libpng without catching its errors, and libpng then aborts the
 * process (measured: a PNG cut after its signature killed `terbit
 * render`). An image that decodes here is safe to draw.
 */
static int png_validate(const struct buf *img, char *msg, size_t msgsize)
{
	struct png_src src = { (const unsigned char *)img->data, img->len, "" };
	png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &src,
						 png_src_error, png_src_warning);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	png_bytep volatile row = NULL; /* set after setjmp, freed after it */
	int ok = 0;
	if (!png || !info) {
		snprintf(msg, msgsize, "memori habis");
		goto out;
	}
	if (setjmp(png_jmpbuf(png))) {
		snprintf(msg, msgsize, "%s", src.msg);
		goto out;
	}
	png_set_read_fn(png, &src, png_src_read);
	png_read_info(png, info);
	png_set_interlace_handling(png);
	png_read_update_info(png, info);
	row = png_malloc(png, png_get_rowbytes(png, info));
	for (png_uint_32 y = 0; y < png_get_image_height(png, info); y++)
		png_read_row(png, row, NULL);
	png_read_end(png, NULL);
	ok = 1;
out:
	if (png)
		png_free(png, row);
	png_destroy_read_struct(png ? &png : NULL, info ? &info : NULL, NULL);
	return ok;
}

int layout_load(struct layout *lay, const char *path, struct buf *err)
{
	struct buf text = BUF_INIT, file = BUF_INIT;
	const char *base = strrchr(path, '/');
	int rc = buf_read_file(&text, path, 1 << 20, err);
	if (rc < 0) {
		memset(lay, 0, sizeof(*lay));
		goto out;
	}
	rc = layout_parse(lay, base ? base + 1 : path, text.data, text.len,
			  err);
	if (rc < 0)
		goto out;
	size_t dirlen = base ? (size_t)(base - path) + 1 : 0;
	for (size_t i = 0; i < lay->n; i++) {
		struct layout_el *e = &lay->el[i];
		if (e->kind != LAYOUT_IMAGE)
			continue;
		buf_reset(&file);
		if ((rc = buf_addf(&file, "%.*s%s", (int)dirlen, path,
				   e->str[LS_SRC])) < 0 ||
		    (rc = buf_read_file(&e->image, file.data, 4 << 20, err)) < 0)
			goto out;
		char why[160];
		if (e->image.len < 8 ||
		    memcmp(e->image.data, "\x89PNG\r\n\x1a\n", 8) != 0) {
			rc = tb_err(err, TB_EINVAL, "%s:%d: %s bukan PNG",
				    lay->name, e->line, e->str[LS_SRC]);
			goto out;
		}
		if (!png_validate(&e->image, why, sizeof(why))) {
			rc = tb_err(err, TB_EINVAL, "%s:%d: %s rusak: %s",
				    lay->name, e->line, e->str[LS_SRC], why);
			goto out;
		}
	}
out:
	buf_release(&text);
	buf_release(&file);
	return rc;
}

void layout_release(struct layout *lay)
{
	for (size_t i = 0; i < lay->n; i++) {
		for (int s = 0; s < LS_STR_MAX; s++)
			free(lay->el[i].str[s]);
		buf_release(&lay->el[i].image);
	}
	free(lay->el);
	free(lay->name);
	memset(lay, 0, sizeof(*lay));
}
