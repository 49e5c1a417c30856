#include "sign/base32.h"

#include <stdint.h>

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

/* Each byte's 5-bit value plus one; 0: not in the alphabet (either
 * case of a letter is taken). A table, not comparisons: the verifier
 * decodes 152 characters an answer. */
#define L(c, v) [c] = (v) + 1, [(c) + 32] = (v) + 1
static const unsigned char values[256] = {
	L('A', 0), L('B', 1), L('C', 2), L('D', 3), L('E', 4), L('F', 5),
	L('G', 6), L('H', 7), L('I', 8), L('J', 9), L('K', 10), L('L', 11),
	L('M', 12), L('N', 13), L('O', 14), L('P', 15), L('Q', 16), L('R', 17),
	L('S', 18), L('T', 19), L('U', 20), L('V', 21), L('W', 22), L('X', 23),
	L('Y', 24), L('Z', 25),
	['2'] = 27, ['3'] = 28, ['4'] = 29, ['5'] = 30, ['6'] = 31, ['7'] = 32,
};
#undef L

/* 8 characters are 5 bytes: a block of them is decoded with no test
 * but one for a character outside the alphabet (its value - 1 is
 * above 31). */
static int decode_block(unsigned char *w, const char *s)
{
	uint64_t acc = 0;
	unsigned bad = 0;
	for (int j = 0; j < 8; j++) {
		unsigned v = values[(unsigned char)s[j]] - 1u;
		bad |= v;
		acc = acc << 5 | (v & 31);
	}
	for (int j = 0; j < 5; j++)
		w[j] = (unsigned char)(acc >> (32 - 8 * j));
	return bad > 31 ? TB_EINVAL : 0;
}

int base32_decode_to(unsigned char *out, const char *s, size_t len)
{
	/* Lengths mod 8 of 1, 3 and 6 are never produced by an encoder. */
	switch (len % 8) {
	case 1: case 3: case 6:
		return TB_EINVAL;
	}
	size_t nbytes = len * 5 / 8, i = 0;
	unsigned char *w = out;
	for (; i + 8 <= len; i += 8, w += 5)
		if (decode_block(w, s + i) < 0)
			return TB_EINVAL;
	unsigned acc = 0;
	int bits = 0;
	for (; i < len; i++) {
		int v = (int)values[(unsigned char)s[i]] - 1;
		if (v < 0)
			return TB_EINVAL;
		acc = (acc << 5) | (unsigned)v;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			*w++ = (unsigned char)(acc >> bits);
		}
	}
	if (acc & ((1u << bits) - 1))
		return TB_EINVAL;
	return (int)nbytes;
}

int base32_decode(struct buf *out, const char *s, size_t len)
{
	int rc = buf_grow(out, len * 5 / 8);
	if (rc)
		return rc;
	rc = base32_decode_to((unsigned char *)out->data + out->len, s, len);
	if (rc < 0) {
		/* Bytes past len were scribbled on: restore the terminator. */
		out->data[out->len] = '\0';
		return rc;
	}
	out->len += (size_t)rc;
	out->data[out->len] = '\0';
	return rc;
}
