#include "render/flate.h"

#include <stdint.h>
#include <string.h>

#include "core/err.h"

#define HASH_BITS 13
#define WINDOW 32768
#define MIN_MATCH 3
#define MAX_MATCH 258

/* Length codes 257..285: the first length of each and its extra bits. */
static const uint16_t len_base[29] = {
	3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
	35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
};
static const uint8_t len_extra[29] = {
	0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
	3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
};
/* Distance codes 0..29. */
static const uint16_t dist_base[30] = {
	1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
	257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193,
	12289, 16385, 24577,
};
static const uint8_t dist_extra[30] = {
	0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
	7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
};

struct bits {
	unsigned char *p;  /* next byte to write; room was made beforehand */
	uint64_t acc;
	unsigned n;        /* bits in acc */
	uint16_t code[288]; /* the fixed literal/length code, bits reversed */
	uint8_t code_len[288];
};

/* Bits go out least significant first (RFC 1951, 3.1.1), four bytes at
 * a time (n <= 16 a call, so the 64-bit store never overflows). */
static void put(struct bits *b, uint32_t v, unsigned n)
{
	b->acc |= (uint64_t)v << b->n;
	b->n += n;
	if (b->n >= 32) {
		b->p[0] = (unsigned char)b->acc;
		b->p[1] = (unsigned char)(b->acc >> 8);
		b->p[2] = (unsigned char)(b->acc >> 16);
		b->p[3] = (unsigned char)(b->acc >> 24);
		b->p += 4;
		b->acc >>= 32;
		b->n -= 32;
	}
}

/* The last bits, padded to a whole byte. */
static void flush(struct bits *b)
{
	while (b->n > 0) {
		*b->p++ = (unsigned char)b->acc;
		b->acc >>= 8;
		b->n = b->n > 8 ? b->n - 8 : 0;
	}
}

/* Huffman codes are sent most significant bit first: reversed here
 * (n <= 16). */
static uint32_t rev(uint32_t v, unsigned n)
{
	v = ((v >> 1) & 0x5555) | ((v & 0x5555) << 1);
	v = ((v >> 2) & 0x3333) | ((v & 0x3333) << 2);
	v = ((v >> 4) & 0x0F0F) | ((v & 0x0F0F) << 4);
	v = ((v >> 8) & 0x00FF) | ((v & 0x00FF) << 8);
	return v >> (16 - n);
}

static unsigned log2u(uint32_t v)
{
	return 31u - (unsigned)__builtin_clz(v);
}

/* The fixed literal/length code (RFC 1951, 3.2.6). */
static void fixed_code(struct bits *b)
{
	for (unsigned sym = 0; sym < 288; sym++) {
		unsigned c, n;
		if (sym < 144)
			c = 0x30 + sym, n = 8;
		else if (sym < 256)
			c = 0x190 + sym - 144, n = 9;
		else if (sym < 280)
			c = sym - 256, n = 7;
		else
			c = 0xC0 + sym - 280, n = 8;
		b->code[sym] = (uint16_t)rev(c, n);
		b->code_len[sym] = (uint8_t)n;
	}
}

static void put_sym(struct bits *b, unsigned sym)
{
	put(b, b->code[sym], b->code_len[sym]);
}

/* The length and distance codes follow from the tables' doubling steps
 * (four codes per extra bit for lengths, two for distances), so they are
 * computed, not searched for. */
static void put_match(struct bits *b, unsigned len, unsigned dist)
{
	unsigned m = len - 3, l, d;
	if (len == 258)
		l = 28;
	else if (m < 8)
		l = m;
	else {
		unsigned e = log2u(m) - 2;
		l = 4 * (e + 1) + (m >> e) - 4;
	}
	put_sym(b, 257 + l);
	put(b, len - len_base[l], len_extra[l]);
	m = dist - 1;
	if (m < 4)
		d = m;
	else {
		unsigned e = log2u(m) - 1;
		d = 2 * (e + 1) + (m >> e) - 2;
	}
	put(b, rev(d, 5), 5);
	put(b, dist - dist_base[d], dist_extra[d]);
}

static uint32_t hash3(const unsigned char *p, unsigned bits)
{
	uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
	return (v * 2654435761u) >> (32 - bits);
}

static uint32_t adler32(const unsigned char *p, size_t n)
{
	uint32_t a = 1, b = 0;
	while (n) {
		size_t k = n < 5552 ? n : 5552; /* no overflow before the mod */
		n -= k;
		while (k--) {
			a += *p++;
			b += a;
		}
		a %= 65521;
		b %= 65521;
	}
	return b << 16 | a;
}

int flate_compress(const void *data, size_t n, struct buf *out)
{
	const unsigned char *in = data;
	/* worst case: every byte a 9-bit literal, plus header and trailer */
	if (buf_grow(out, n + n / 8 + 16) < 0)
		return TB_ENOMEM;
	uint32_t head[1 << HASH_BITS]; /* position + 1 of the last of a hash */
	unsigned bits = 8; /* a table about the input's size: cleared per call */
	while (bits < HASH_BITS && (size_t)1 << bits < n)
		bits++;
	memset(head, 0, sizeof(head[0]) << bits);
	struct bits b = { .p = (unsigned char *)out->data + out->len };
	fixed_code(&b);
	*b.p++ = 0x78; /* deflate, 32 KB window */
	*b.p++ = 0x01; /* fastest; (0x78 << 8 | 0x01) % 31 == 0 */
	put(&b, 1, 1); /* the last block */
	put(&b, 1, 2); /* fixed Huffman codes */
	for (size_t i = 0; i < n;) {
		size_t len = 0, cand = 0;
		if (i + MIN_MATCH <= n) {
			uint32_t h = hash3(in + i, bits);
			cand = head[h];
			head[h] = (uint32_t)i + 1;
			if (cand && i - (cand - 1) <= WINDOW) {
				const unsigned char *a = in + cand - 1, *c = in + i;
				size_t max = n - i < MAX_MATCH ? n - i : MAX_MATCH;
				while (len < max && a[len] == c[len])
					len++;
			}
		}
		if (len < MIN_MATCH) {
			put_sym(&b, in[i++]);
			continue;
		}
		put_match(&b, (unsigned)len, (unsigned)(i - (cand - 1)));
		/* of a long match only the last positions go in the table:
		 * all of them would save a few bytes a page for more time */
		size_t k = len > 8 ? i + len - 4 : i + 1;
		for (; k < i + len && k + MIN_MATCH <= n; k++)
			head[hash3(in + k, bits)] = (uint32_t)k + 1;
		i += len;
	}
	put_sym(&b, 256); /* end of block */
	flush(&b);
	uint32_t sum = adler32(in, n);
	for (int k = 3; k >= 0; k--)
		*b.p++ = (unsigned char)(sum >> (8 * k));
	out->len = (size_t)(b.p - (unsigned char *)out->data);
	out->data[out->len] = 0;
	return 0;
}
