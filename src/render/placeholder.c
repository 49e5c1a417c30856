/* Placeholders: "{key}" and "{key|format}" in layout text, replaced by
 * the document's fields, formatted the Indonesian way (render.h). */
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "render/render_int.h"
#include "render/textenc.h"

/*
 * The capital of a small letter of Latin Extended-A (U+0100..U+017F) and
 * the Romanian ș ț, ÿ too; c itself when it has none. The block pairs
 * capital and small as neighbours, the capital first, except in
 * U+0139..U+0148 and U+0179..U+017E where the small one comes first.
 * Names with these letters print in capitals on the card, and their
 * Latin spelling (textenc.c) keeps the case, so a small one left here
 * would print small in a capitalised name ("WaSIK").
 */
static unsigned upper_latin_ext(unsigned c)
{
	if (c == 0xFF)
		return 0x178;
	if (c == 0x131 || c == 0x17F) /* dotless i, long s */
		return c == 0x131 ? 'I' : 'S';
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
		return c % 2 == 0 ? c - 1 : c;
	if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177) ||
	    c == 0x219 || c == 0x21B)
		return c % 2 == 1 ? c - 1 : c;
	return c;
}

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
		} else if (c >= 0xC3 && c <= 0xC8 && (p[1] & 0xC0) == 0x80) {
			/* two-byte letters from U+00C0 to U+023F */
			unsigned u = upper_latin_ext((c & 0x1Fu) << 6 |
						     (p[1] & 0x3Fu));
			char two[2] = { (char)(0xC0 | u >> 6),
					(char)(0x80 | (u & 0x3F)) };
			p++;
			if ((u < 0x80 ? buf_addc(out, (char)u) :
			     buf_add(out, two, 2)) < 0)
				return TB_ENOMEM;
			continue;
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

/* The placeholder at p ("{key}" or "{key|format}", in tpl) expanded
 * onto d->utf8; *next is what follows it. */
static int put_field(struct doc *d, const char *tpl, const char *p,
		     const char **next)
{
	const char *end = strchr(p, '}');
	if (!end)
		return tb_err(d->err, TB_EINVAL, "'{' tanpa '}' dalam \"%s\"",
			      tpl);
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
		return tb_err(d->err, TB_EINVAL, "field {%s} tidak ada", key);
	*next = end + 1;
	return apply_format(&d->utf8, key, v, bar ? bar + 1 : NULL,
			    bar ? (size_t)(end - bar - 1) : 0, d->err);
}

/* Expands "{key}" and "{key|format}" in tpl into d->utf8 (replacing its
 * contents); "{{" is a literal brace. */
int render__expand(struct doc *d, const char *tpl)
{
	buf_reset(&d->utf8);
	for (const char *p = tpl; *p;) {
		int rc = 0;
		if (p[0] == '{' && p[1] == '{') {
			rc = buf_addc(&d->utf8, '{') < 0 ? TB_ENOMEM : 0;
			p += 2;
		} else if (*p != '{') {
			size_t n = strcspn(p, "{");
			rc = buf_add(&d->utf8, p, n) < 0 ? TB_ENOMEM : 0;
			p += n;
		} else {
			rc = put_field(d, tpl, p, &p);
			if (rc < 0)
				return rc;
		}
		if (rc < 0)
			return tb_err(d->err, rc, "memori habis");
	}
	return 0;
}

/* Expands tpl and converts it to CP1252 in d->text. */
int render__expand_text(struct doc *d, const char *tpl)
{
	int rc = render__expand(d, tpl);
	if (rc < 0)
		return rc;
	buf_reset(&d->text);
	return textenc_cp1252(d->utf8.data, &d->text, d->err);
}
