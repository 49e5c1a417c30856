#ifndef TERBIT_UTF8_H
#define TERBIT_UTF8_H
/*
 * The one check for text that comes in from outside (CSV rows, JSON
 * bodies, form fields, CLI arguments) before it is stored: valid UTF-8
 * (no overlong forms, no surrogates, nothing past U+10FFFF, no truncated
 * sequence), no NUL, no C0 or C1 control characters and no DEL. Stored
 * text ends up in JSON, HTML, PDFs and terminals; one byte that any of
 * them cannot carry made a case that could be approved but never issued,
 * so bad bytes are refused where they enter, not where they break.
 *
 * And the other direction: utf8_escape_controls for printing text that
 * may have been stored before this check existed.
 */
#include <stddef.h>

#include "core/buf.h"

enum {
	/* Tab, LF and CR are allowed (multi-line notes and reasons). */
	UTF8_MULTILINE = 1,
};

/*
 * Length of the UTF-8 sequence at s[0..n): 1..4, or 0 when it is not a
 * valid one (bad lead byte, overlong, surrogate, past U+10FFFF, cut
 * short). *cp (may be NULL) gets the code point.
 */
size_t utf8_seq_len(const unsigned char *s, size_t n, unsigned *cp);

/*
 * Checks the n bytes at s. 0 when good; TB_EINVAL with the Indonesian
 * reason in why (may be NULL), prefixed by what (e.g. "nama": "nama
 * berisi karakter kontrol (ESC)", "nama bukan UTF-8 yang sah", "nama
 * berisi byte NUL").
 */
int utf8_text_check(const char *s, size_t n, unsigned flags,
		    const char *what, struct buf *why);
/* The same on a C string (NULL is good: absent is not bad bytes). */
int utf8_str_check(const char *s, unsigned flags, const char *what,
		   struct buf *why);

/*
 * Appends s to out with every control character (C0 except tab and LF,
 * DEL, C1) and every byte that is not part of valid UTF-8 written as
 * \xHH, so printing stored text never hands a terminal an escape
 * sequence. 0 or TB_ENOMEM.
 */
int utf8_escape_controls(struct buf *out, const char *s);

#endif
