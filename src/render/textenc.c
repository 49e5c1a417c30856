#include "render/textenc.h"

#include <stdint.h>
#include <string.h>

#include "core/err.h"
#include "core/str.h"

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

/*
 * Characters outside Windows-1252 with an obvious Latin spelling: a
 * letter with a mark the code page lacks is the letter without it (Ł L,
 * ş s, ā a, ő o), the Romanian comma-below letters, pinyin's caron
 * vowels, Vietnamese ơ ư; dashes and hyphens -, the modifier apostrophes
 * phones type in names (ʼ) and primes ', the odd spaces a space,
 * invisible joiners and the BOM nothing (they print nothing anyway).
 * Sorted by code point for the binary search. Letters with no one
 * obvious spelling (ŋ, ə, CJK) are not here: refused, named.
 */
static const struct translit {
	uint16_t c;
	char to[3];
} translit[] = {
	{ 0x0100, "A" }, { 0x0101, "a" }, { 0x0102, "A" }, { 0x0103, "a" },
	{ 0x0104, "A" }, { 0x0105, "a" }, { 0x0106, "C" }, { 0x0107, "c" },
	{ 0x0108, "C" }, { 0x0109, "c" }, { 0x010A, "C" }, { 0x010B, "c" },
	{ 0x010C, "C" }, { 0x010D, "c" }, { 0x010E, "D" }, { 0x010F, "d" },
	{ 0x0110, "D" }, { 0x0111, "d" }, { 0x0112, "E" }, { 0x0113, "e" },
	{ 0x0114, "E" }, { 0x0115, "e" }, { 0x0116, "E" }, { 0x0117, "e" },
	{ 0x0118, "E" }, { 0x0119, "e" }, { 0x011A, "E" }, { 0x011B, "e" },
	{ 0x011C, "G" }, { 0x011D, "g" }, { 0x011E, "G" }, { 0x011F, "g" },
	{ 0x0120, "G" }, { 0x0121, "g" }, { 0x0122, "G" }, { 0x0123, "g" },
	{ 0x0124, "H" }, { 0x0125, "h" }, { 0x0126, "H" }, { 0x0127, "h" },
	{ 0x0128, "I" }, { 0x0129, "i" }, { 0x012A, "I" }, { 0x012B, "i" },
	{ 0x012C, "I" }, { 0x012D, "i" }, { 0x012E, "I" }, { 0x012F, "i" },
	{ 0x0130, "I" }, { 0x0131, "i" }, { 0x0132, "IJ" }, { 0x0133, "ij" },
	{ 0x0134, "J" }, { 0x0135, "j" }, { 0x0136, "K" }, { 0x0137, "k" },
	{ 0x0139, "L" }, { 0x013A, "l" }, { 0x013B, "L" }, { 0x013C, "l" },
	{ 0x013D, "L" }, { 0x013E, "l" }, { 0x013F, "L" }, { 0x0140, "l" },
	{ 0x0141, "L" }, { 0x0142, "l" }, { 0x0143, "N" }, { 0x0144, "n" },
	{ 0x0145, "N" }, { 0x0146, "n" }, { 0x0147, "N" }, { 0x0148, "n" },
	{ 0x014C, "O" }, { 0x014D, "o" }, { 0x014E, "O" }, { 0x014F, "o" },
	{ 0x0150, "O" }, { 0x0151, "o" }, { 0x0154, "R" }, { 0x0155, "r" },
	{ 0x0156, "R" }, { 0x0157, "r" }, { 0x0158, "R" }, { 0x0159, "r" },
	{ 0x015A, "S" }, { 0x015B, "s" }, { 0x015C, "S" }, { 0x015D, "s" },
	{ 0x015E, "S" }, { 0x015F, "s" }, { 0x0162, "T" }, { 0x0163, "t" },
	{ 0x0164, "T" }, { 0x0165, "t" }, { 0x0166, "T" }, { 0x0167, "t" },
	{ 0x0168, "U" }, { 0x0169, "u" }, { 0x016A, "U" }, { 0x016B, "u" },
	{ 0x016C, "U" }, { 0x016D, "u" }, { 0x016E, "U" }, { 0x016F, "u" },
	{ 0x0170, "U" }, { 0x0171, "u" }, { 0x0172, "U" }, { 0x0173, "u" },
	{ 0x0174, "W" }, { 0x0175, "w" }, { 0x0176, "Y" }, { 0x0177, "y" },
	{ 0x0179, "Z" }, { 0x017A, "z" }, { 0x017B, "Z" }, { 0x017C, "z" },
	{ 0x017F, "s" }, { 0x01A0, "O" }, { 0x01A1, "o" }, { 0x01AF, "U" },
	{ 0x01B0, "u" }, { 0x01CD, "A" }, { 0x01CE, "a" }, { 0x01CF, "I" },
	{ 0x01D0, "i" }, { 0x01D1, "O" }, { 0x01D2, "o" }, { 0x01D3, "U" },
	{ 0x01D4, "u" }, { 0x0218, "S" }, { 0x0219, "s" }, { 0x021A, "T" },
	{ 0x021B, "t" }, { 0x02B9, "'" }, { 0x02BB, "'" }, { 0x02BC, "'" },
	{ 0x2002, " " }, { 0x2003, " " }, { 0x2004, " " }, { 0x2005, " " },
	{ 0x2006, " " }, { 0x2007, " " }, { 0x2008, " " }, { 0x2009, " " },
	{ 0x200A, " " }, { 0x200B, "" }, { 0x200C, "" }, { 0x200D, "" },
	{ 0x2010, "-" }, { 0x2011, "-" }, { 0x2012, "-" }, { 0x2015, "-" },
	{ 0x201B, "'" }, { 0x201F, "\"" }, { 0x202F, " " }, { 0x2032, "'" },
	{ 0x2033, "\"" }, { 0x2043, "-" }, { 0x205F, " " }, { 0x2060, "" },
	{ 0x2116, "No" }, { 0x2212, "-" }, { 0xFEFF, "" },
};

static const char *translit_find(uint32_t c)
{
	size_t lo = 0, hi = ARRAY_SIZE(translit);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (translit[mid].c == c)
			return translit[mid].to;
		if (translit[mid].c < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * A combining mark (U+0300..U+036F) after a letter: the precomposed
 * Windows-1252 letter when there is one ("e" + U+0301 is é, as a phone
 * may type it), else the mark goes and the letter stays bare. For each
 * mark, the letters it composes with and, byte for byte, what they make.
 */
static const struct {
	uint16_t mark;
	const char *base, *made;
} compose[] = {
	{ 0x0300, "AEIOUaeiou", "\xC0\xC8\xCC\xD2\xD9\xE0\xE8\xEC\xF2\xF9" },
	{ 0x0301, "AEIOUYaeiouy",
	  "\xC1\xC9\xCD\xD3\xDA\xDD\xE1\xE9\xED\xF3\xFA\xFD" },
	{ 0x0302, "AEIOUaeiou", "\xC2\xCA\xCE\xD4\xDB\xE2\xEA\xEE\xF4\xFB" },
	{ 0x0303, "ANOano", "\xC3\xD1\xD5\xE3\xF1\xF5" },
	{ 0x0308, "AEIOUYaeiouy",
	  "\xC4\xCB\xCF\xD6\xDC\x9F\xE4\xEB\xEF\xF6\xFC\xFF" },
	{ 0x030A, "Aa", "\xC5\xE5" },
	{ 0x030C, "SZsz", "\x8A\x8E\x9A\x9E" },
	{ 0x0327, "Cc", "\xC7\xE7" },
};

static void compose_last(struct buf *out, size_t start, uint32_t mark)
{
	if (out->len <= start)
		return;
	char *last = &out->data[out->len - 1];
	for (size_t i = 0; i < ARRAY_SIZE(compose); i++) {
		if (compose[i].mark != mark)
			continue;
		const char *at = *last ? strchr(compose[i].base, *last) : NULL;
		if (at)
			*last = compose[i].made[at - compose[i].base];
		return;
	}
}

int textenc_cp1252(const char *s, struct buf *out, struct buf *err)
{
	size_t start = out->len;
	const unsigned char *p = (const unsigned char *)s;
	int rc = TB_ENOMEM;
	while (*p) {
		int n;
		if ((*p >= 0x20 && *p < 0x7F) || *p == '\n') {
			/* most text is plain ASCII: no decoding, no look-up */
			if (buf_addc(out, (char)*p++) < 0)
				goto out;
			continue;
		}
		/* 4: the sequence stops at the NUL, which is no continuation
		 * byte, before it could run past the string */
		uint32_t c = textenc_utf8_next(p, 4, &n);
		if (!n) {
			rc = tb_err(err, TB_EINVAL, "teks bukan UTF-8 yang sah "
				    "(byte 0x%02X)", *p);
			goto out;
		}
		int b = to_cp1252(c);
		const char *alt = NULL;
		if (b < 0 && c >= 0x0300 && c <= 0x036F) {
			compose_last(out, start, c);
			p += n;
			continue;
		}
		if (b < 0 && !(alt = translit_find(c))) {
			rc = tb_err(err, TB_EINVAL, "karakter U+%04X '%.*s' tidak "
				    "tersedia di huruf dokumen dan tidak punya "
				    "padanan Latin", (unsigned)c, n,
				    (const char *)p);
			goto out;
		}
		if ((alt ? buf_adds(out, alt) : buf_addc(out, (char)b)) < 0)
			goto out;
		p += n;
	}
	rc = 0;
out:
	if (rc == TB_ENOMEM)
		tb_err(err, rc, "memori habis");
	if (rc < 0)
		buf_truncate(out, start);
	return rc;
}
