#ifndef TERBIT_TEXTENC_H
#define TERBIT_TEXTENC_H
/*
 * textenc: UTF-8 to Windows-1252, the single-byte encoding the documents
 * use with their TrueType fonts (libharu's UTF-8 path costs several times
 * more per document). A character outside Windows-1252 is an error naming
 * it, never dropped or replaced.
 */
#include <stddef.h>

#include "core/buf.h"

/* Appends the CP1252 bytes of the UTF-8 text s to out. TB_EINVAL for
 * malformed UTF-8, a control character, or a character CP1252 lacks
 * ("karakter U+0141 'Ł' tidak tersedia di huruf dokumen"). */
int textenc_cp1252(const char *s, struct buf *out, struct buf *err);

#endif
