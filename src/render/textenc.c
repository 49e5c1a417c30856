#include "render/textenc.h"

#include <stdint.h>

#include "core/err.h"

/* Windows-1252 bytes 0x80..0x9F: the Unicode characters they stand for
 * (0 where the code page has a hole). */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

uint32_t textenc_utf8_next(const unsigned char *s, size_t avail, int *n)
{
	uint32_t c = s[0];
	int len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 :
		  (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
	static const uint32_t min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	*n = 0;
	if (!len || (size_t)len > avail)
		return 0;
	if (len > 1)
		c &= 0x3F >> (len - 1);
	for (int i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	/* overlong forms, surrogates and values past U+10FFFF are malformed */
	if (c < min[len] || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
		return 0;
	*n = len;
	return c;
}

static int to_cp1252(uint32_t c)
{
	if (c == '\n' || (c >= 0x20 && c < 0x7F) || (c >= 0xA0 && c <= 0xFF))
		return (int)c;
	for (int i = 0; i < 32; i++)
		if (cp1252_high[i] && cp1252_high[i] == c)
			return 0x80 + i;
	return -1;
}

int textenc_cp1252(const char *s, struct buf *out, struct buf *err)
{
	size_t start = out->len;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		int n;
		/* 4: the sequence stops at the NUL, which is no continuation
		 * byte, before it could run past the string */
		uint32_t c = textenc_utf8_next(p, 4, &n);
		if (!n) {
			buf_truncate(out, start);
			return tb_err(err, TB_EINVAL,
				      "teks bukan UTF-8 yang sah (byte 0x%02X)",
				      *p);
		}
		int b = to_cp1252(c);
		if (b < 0) {
			buf_truncate(out, start);
			return tb_err(err, TB_EINVAL,
				      "karakter U+%04X '%.*s' tidak tersedia "
				      "di huruf dokumen", (unsigned)c, n,
				      (const char *)p);
		}
		if (buf_addc(out, (char)b) < 0) {
			buf_truncate(out, start);
			return tb_err(err, TB_ENOMEM, "memori habis");
		}
		p += n;
	}
	return 0;
}
