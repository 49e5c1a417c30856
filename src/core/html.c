#include "core/html.h"
#include "core/str.h"

#include <string.h>
#include <strings.h>

/* Runs of plain bytes are copied at once: the verifier page is written
 * for every verification, and a byte at a time was a tenth of its cost. */
static int escape(struct buf *out, const char *s, const char *stop, int bidi)
{
	int rc = 0;
	while (*s && rc == 0) {
		size_t n = strcspn(s, stop);
		if (n) {
			rc = buf_add(out, s, n);
			s += n;
			continue;
		}
		const unsigned char *u = (const unsigned char *)s;
		switch (*s) {
		case '&': rc = buf_adds(out, "&amp;"); break;
		case '<': rc = buf_adds(out, "&lt;"); break;
		case '>': rc = buf_adds(out, "&gt;"); break;
		case '"': rc = buf_adds(out, "&quot;"); break;
		case '\'': rc = buf_adds(out, "&#39;"); break;
		default:
			/* 0xE2: only stopped at with bidi set. U+202A..202E
			 * are E2 80 AA..AE, U+2066..2069 are E2 81 A6..A9. */
			if (bidi && ((u[1] == 0x80 && u[2] >= 0xAA && u[2] <= 0xAE) ||
				     (u[1] == 0x81 && u[2] >= 0xA6 && u[2] <= 0xA9))) {
				unsigned cp = 0x2000u + ((u[1] & 0x3fu) << 6) +
					      (u[2] & 0x3fu);
				rc = buf_addf(out, "&#x%X;", cp);
				s += 3;
				continue;
			}
			rc = buf_addc(out, *s);
			break;
		}
		s++;
	}
	return rc;
}

int html_escape(struct buf *out, const char *s)
{
	return escape(out, s, "&<>\"'", 0);
}

int html_escape_text(struct buf *out, const char *s)
{
	return escape(out, s, "&<>\"'\xe2", 1);
}

int html_has_bidi(const char *s)
{
	for (const char *p = strchr(s, 0xe2); p; p = strchr(p + 1, 0xe2)) {
		const unsigned char *u = (const unsigned char *)p;
		if ((u[1] == 0x80 && u[2] >= 0xAA && u[2] <= 0xAE) ||
		    (u[1] == 0x81 && u[2] >= 0xA6 && u[2] <= 0xA9))
			return 1;
	}
	return 0;
}

/* keep[c]: 1 when byte c may stand raw in a URL of ours. */
static int url_byte(const unsigned char c, int part)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || strchr("-._~", c))
		return c != 0;
	/* Reserved characters keep their meaning in a whole URL; ' is
	 * encoded too, so a value never needs an entity but &. */
	return !part && c && strchr(":/?#[]@!$&()*+,;=%", c);
}

static int url_encode(struct buf *out, const char *s, int part)
{
	int rc = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && rc == 0; p++) {
		if (*p == '&' && !part)
			rc = buf_adds(out, "&amp;");
		else if (url_byte(*p, part))
			rc = buf_addc(out, (char)*p);
		else {
			char e[4] = "%";
			str_hex_upper(e + 1, p, 1);
			rc = buf_add(out, e, 3);
		}
	}
	return rc;
}

int html_url(struct buf *out, const char *s)
{
	int ok = (s[0] == '/' && s[1] != '/' && s[1] != '\\') ||
		 strncasecmp(s, "http://", 7) == 0 ||
		 strncasecmp(s, "https://", 8) == 0;
	return ok ? url_encode(out, s, 0) : buf_addc(out, '#');
}

int html_url_part(struct buf *out, const char *s)
{
	return url_encode(out, s, 1);
}
