#ifndef TERBIT_PAGE_H
#define TERBIT_PAGE_H
/*
 * The verifier's HTML page: what a nurse at a counter sees after scanning
 * a QR code with a phone. Indonesian, one large status word, the
 * document's public (masked) values, inline CSS only: no script, no
 * image, no font or stylesheet from elsewhere, so the strict
 * Content-Security-Policy below holds and the page stays a few KB on a
 * slow connection. Every value is HTML-escaped (core/html.h).
 */
#include "core/buf.h"
#include "issue/verify.h"

/* The Content-Security-Policy the page is written for. */
#define PAGE_CSP "default-src 'none'; style-src 'unsafe-inline'; " \
		 "img-src data:; base-uri 'none'; form-action 'none'; " \
		 "frame-ancestors 'none'"

/* The big word for people: SAH, DICABUT, DIGANTI, KEDALUWARSA, or
 * TIDAK SAH for a code we did not issue or that does not verify. */
const char *page_status_word(enum verify_state s);

/* Appends the whole page for r to out. 0 or TB_ENOMEM. */
int page_verify(struct buf *out, const struct verify_result *r);

#endif
