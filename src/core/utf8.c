#include "core/utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"

size_t utf8_seq_len(const unsigned char *s, size_t n, unsigned *cp_out)
{
	size_t need;
	uint32_t cp;
	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		need = 1;
		cp = s[0];
		goto done;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		need = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		need = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		need = 4, cp = s[0] & 0x07;
	else
		return 0; /* continuation byte, 0xc0/0xc1 (overlong), 0xf5.. */
	if (n < need)
		return 0;
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((need == 3 && cp < 0x800) || (need == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
done:
	if (cp_out)
		*cp_out = cp;
	return need;
}

static int is_control(unsigned cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/* The names people know from editors and terminals, for the message;
 * "U+0085" style for the rest. */
static void control_name(unsigned cp, char *dst, size_t n)
{
	static const struct {
		unsigned cp;
		const char *name;
	} names[] = {
		{ 0x08, "BS" }, { 0x09, "TAB" }, { 0x0a, "LF" }, { 0x0b, "VT" },
		{ 0x0c, "FF" }, { 0x0d, "CR" }, { 0x1b, "ESC" }, { 0x7f, "DEL" },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].cp == cp) {
			snprintf(dst, n, "%s", names[i].name);
			return;
		}
	snprintf(dst, n, "U+%04X", cp);
}

int utf8_text_check(const char *s, size_t n, unsigned flags,
		    const char *what, struct buf *why)
{
	const unsigned char *u = (const unsigned char *)s;
	const char *sep = what && *what ? " " : "";
	what = what ? what : "";
	for (size_t i = 0; i < n;) {
		unsigned cp;
		size_t k = utf8_seq_len(u + i, n - i, &cp);
		if (k == 0)
			return tb_err(why, TB_EINVAL,
				      "%s%sbukan UTF-8 yang sah (bita ke-%zu)",
				      what, sep, i + 1);
		if (cp == 0)
			return tb_err(why, TB_EINVAL, "%s%sberisi byte NUL",
				      what, sep);
		if (is_control(cp) &&
		    !((flags & UTF8_MULTILINE) &&
		      (cp == '\t' || cp == '\n' || cp == '\r'))) {
			char name[16];
			control_name(cp, name, sizeof name);
			return tb_err(why, TB_EINVAL,
				      "%s%sberisi karakter kontrol (%s)", what,
				      sep, name);
		}
		i += k;
	}
	return 0;
}

int utf8_str_check(const char *s, unsigned flags, const char *what,
		   struct buf *why)
{
	return s ? utf8_text_check(s, strlen(s), flags, what, why) : 0;
}

int utf8_escape_controls(struct buf *out, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s);
	int rc = 0;
	for (size_t i = 0; i < n && !rc;) {
		unsigned cp;
		size_t k = utf8_seq_len(u + i, n - i, &cp);
		if (k && (!is_control(cp) || cp == '\t' || cp == '\n')) {
			rc = buf_add(out, s + i, k);
			i += k;
			continue;
		}
		/* An invalid byte goes alone; a C1 control (two bytes) is
		 * written byte by byte too, so what is shown is what is
		 * stored. */
		size_t m = k ? k : 1;
		for (size_t j = 0; j < m && !rc; j++) {
			char e[4] = { '\\', 'x', hex[u[i + j] >> 4],
				      hex[u[i + j] & 15] };
			rc = buf_add(out, e, 4);
		}
		i += m;
	}
	return rc ? TB_ENOMEM : 0;
}
