#ifndef TERBIT_QR_H
#define TERBIT_QR_H
/*
 * qr: QR codes with libqrencode, error correction M. The payload is the
 * verification URL in upper case, so libqrencode picks alphanumeric mode;
 * the version it chose is checked (the version asked for is only a
 * minimum) and anything above QR_MAX_VERSION is refused, because the
 * printed sizes (18 mm on the card) are planned for a version-8 symbol.
 */
#include <stddef.h>

#include "core/buf.h"

#define QR_MAX_VERSION 8
#define QR_QUIET 4 /* quiet zone, modules, on every side */

struct qr {
	int version;
	int width;            /* modules per side, without the quiet zone */
	unsigned char *dark;  /* width*width, 1 = dark, row-major; owned */
};

/* Encodes text; on success q is the caller's, released with qr_release.
 * TB_EINVAL for empty text or a symbol above QR_MAX_VERSION. */
int qr_encode(struct qr *q, const char *text, struct buf *err);
void qr_release(struct qr *q);

/*
 * Calls fn once per horizontal run of dark modules (row y, columns x to
 * x+len-1), so a renderer draws one rectangle per run, not per module.
 * Returns the number of runs, or fn's first non-zero return.
 */
int qr_runs(const struct qr *q, int (*fn)(int x, int y, int len, void *arg),
	    void *arg);

/*
 * Like qr_runs, but a run with the same run right below it (same columns,
 * dark ends on both sides) is one rectangle h rows tall: fn gets its top
 * row y, columns x to x+w-1, rows y to y+h-1. The rectangles cover every
 * dark module exactly once; fewer of them make a shorter page. Returns
 * the number of rectangles, or fn's first non-zero return; TB_ENOMEM.
 */
int qr_rects(const struct qr *q,
	     int (*fn)(int x, int y, int w, int h, void *arg), void *arg);

/*
 * Writes a 1-bit greyscale PNG of the symbol with its quiet zone, mm
 * millimetres wide at dpi dots per inch (whole pixels per module, at
 * least 1; the image is as close to mm as whole modules allow), with the
 * resolution in a pHYs chunk. Appends the bytes to out.
 */
int qr_png(const struct qr *q, double mm, int dpi, struct buf *out,
	   struct buf *err);

#endif
