#ifndef TERBIT_FLATE_H
#define TERBIT_FLATE_H
/*
 * flate: a small, fast zlib-format compressor for page content streams
 * (PDF /FlateDecode). zlib at its default level is slow on our pages
 * (digits and short operators make long hash chains); this one looks at
 * one earlier match per position and writes fixed Huffman codes, much
 * cheaper for pages somewhat larger than zlib's (figures in
 * docs/architecture.md, "The render module").
 */
#include <stddef.h>

#include "core/buf.h"

/* Appends the zlib stream (RFC 1950/1951) of in[0..n) to out. TB_ENOMEM. */
int flate_compress(const void *in, size_t n, struct buf *out);

#endif
