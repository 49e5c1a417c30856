#ifndef TERBIT_FLATE_H
#define TERBIT_FLATE_H
/*
 * flate: a small, fast zlib-format compressor for page content streams
 * (PDF /FlateDecode). libharu deflates with zlib at its default level,
 * which spent about 120 instructions a byte on our pages (digits and
 * short operators, long hash chains): a quarter of a document's time.
 * This one looks at one earlier match per position and writes fixed
 * Huffman codes, at about a tenth of the cost, for pages about a fifth
 * larger than zlib's.
 */
#include <stddef.h>

#include "core/buf.h"

/* Appends the zlib stream (RFC 1950/1951) of in[0..n) to out. TB_ENOMEM. */
int flate_compress(const void *in, size_t n, struct buf *out);

#endif
