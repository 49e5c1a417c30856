#ifndef TERBIT_TEXTENC_H
#define TERBIT_TEXTENC_H
/*
 * textenc: UTF-8 to Windows-1252, the single-byte encoding the documents
 * use with their TrueType fonts (libharu's UTF-8 path costs several times
 * more per document). A character outside Windows-1252 with an obvious
 * Latin spelling gets it (Ł L, ș s, ʼ ', U+2011 -, a combining accent
 * composed with its letter or dropped; the table in textenc.c, the rule
 * in docs/layouts.md); any other is an error naming it, never dropped.
 */
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/* Appends the CP1252 bytes of the UTF-8 text s to out. TB_EINVAL for
 * malformed UTF-8, a control character, or a character CP1252 lacks and
 * no transliteration covers ("karakter U+5C71 '山' tidak tersedia di
 * huruf dokumen dan tidak punya padanan Latin"). */
int textenc_cp1252(const char *s, struct buf *out, struct buf *err);

/* One code point from s (at most avail bytes read); its length in *n, or
 * *n = 0 for malformed UTF-8 (a bad or truncated sequence, an overlong
 * form, a surrogate, past U+10FFFF). The layout parser checks files with
 * it. */
uint32_t textenc_utf8_next(const unsigned char *s, size_t avail, int *n);

#endif
