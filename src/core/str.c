#include "core/str.h"

/* The hex tables of the tree (buf_addhex, json_escape and serials use
 * them through the functions below). */
static const char hex_lower[] = "0123456789abcdef";
static const char hex_upper[] = "0123456789ABCDEF";

static char *hex_put(char *out, const unsigned char *p, size_t n,
		     const char *digits)
{
	for (size_t i = 0; i < n; i++) {
		*out++ = digits[p[i] >> 4];
		*out++ = digits[p[i] & 15];
	}
	return out;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int str_is_digits(const char *s, size_t n)
{
	if (!s)
		return 0;
	/* Stops at the NUL of a shorter string (not a digit), so it never
	 * reads past the end. */
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return 0;
	return s[n] == '\0';
}

int str_all_digits(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if (!is_digit(*s))
			return 0;
	return 1;
}

char *str_hex_put(char *out, const void *in, size_t n)
{
	return hex_put(out, in, n, hex_lower);
}

char *str_hex(char *out, const void *in, size_t n)
{
	*str_hex_put(out, in, n) = '\0';
	return out;
}

char *str_hex_upper(char *out, const void *in, size_t n)
{
	*hex_put(out, in, n, hex_upper) = '\0';
	return out;
}

int str_hexval(int c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

int str_unhex_upper(unsigned char *out, const char *in, size_t n)
{
	for (size_t i = 0; i < 2 * n; i++) {
		char c = in[i];
		int d = c >= '0' && c <= '9' ? c - '0'
			: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		out[i / 2] = (unsigned char)(i % 2 ? out[i / 2] << 4 | d : d);
	}
	return 0;
}
