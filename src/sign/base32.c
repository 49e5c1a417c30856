#include "sign/base32.h"

#include "core/err.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int base32_encode(struct buf *out, const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t nchars = (n * 8 + 4) / 5;
	int rc = buf_grow(out, nchars);
	if (rc)
		return rc;
	unsigned acc = 0;
	int bits = 0;
	char *w = out->data + out->len;
	for (size_t i = 0; i < n; i++) {
		acc = (acc << 8) | p[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			*w++ = alphabet[(acc >> bits) & 31];
		}
	}
	if (bits)
		*w++ = alphabet[(acc << (5 - bits)) & 31];
	out->len += nchars;
	out->data[out->len] = '\0';
	return 0;
}

static int value_of(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a';
	if (c >= '2' && c <= '7')
		return c - '2' + 26;
	return -1;
}

int base32_decode(struct buf *out, const char *s, size_t len)
{
	/* Lengths mod 8 of 1, 3 and 6 are never produced by an encoder. */
	switch (len % 8) {
	case 1: case 3: case 6:
		return TB_EINVAL;
	}
	size_t nbytes = len * 5 / 8;
	size_t start = out->len;
	int rc = buf_grow(out, nbytes);
	if (rc)
		return rc;
	unsigned acc = 0;
	int bits = 0;
	unsigned char *w = (unsigned char *)out->data + start;
	for (size_t i = 0; i < len; i++) {
		int v = value_of(s[i]);
		if (v < 0)
			goto bad;
		acc = (acc << 5) | (unsigned)v;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			*w++ = (unsigned char)(acc >> bits);
		}
	}
	if (acc & ((1u << bits) - 1))
		goto bad;
	out->len = start + nbytes;
	out->data[out->len] = '\0';
	return (int)nbytes;
bad:
	/* Bytes past len were scribbled on: restore the terminator. */
	out->data[start] = '\0';
	return TB_EINVAL;
}
