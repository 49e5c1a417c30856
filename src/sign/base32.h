#ifndef TERBIT_BASE32_H
#define TERBIT_BASE32_H
/* Base32, RFC 4648 alphabet (A-Z, 2-7), without padding. */
#include <stddef.h>

#include "core/buf.h"

/* Appends the upper-case encoding of n bytes to out. */
int base32_encode(struct buf *out, const void *data, size_t n);

/*
 * Decodes len characters (upper or lower case; no padding, no spaces)
 * into out (appending). Refuses a length no encoding produces and unused
 * trailing bits that are not zero, so every byte string has exactly one
 * accepted spelling per case. Returns the number of bytes or TB_EINVAL.
 */
int base32_decode(struct buf *out, const char *s, size_t len);
/* The same into out, which holds len * 5 / 8 bytes (written even when
 * the answer is TB_EINVAL). */
int base32_decode_to(unsigned char *out, const char *s, size_t len);

#endif
