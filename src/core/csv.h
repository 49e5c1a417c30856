#ifndef TERBIT_CSV_H
#define TERBIT_CSV_H
/*
 * CSV reader over bytes in memory (RFC 4180 plus what spreadsheets emit):
 * UTF-8 with an optional BOM (skipped), comma separator, fields optionally
 * in double quotes with "" for a quote, quoted fields may hold commas and
 * newlines, LF or CRLF line ends, a missing final newline is fine, blank
 * lines are skipped.
 *
 * Usage:
 *   struct csv c; csv_init(&c, data, len);
 *   while ((rc = csv_next(&c, &err)) > 0) { c.nfields, c.fields[i], c.line }
 *   rc == 0 at the end, < 0 (TB_EINVAL) on a malformed row, with err
 *   naming the line; csv_release(&c) always.
 * fields[] point into the reader's own storage and stay valid until the
 * next csv_next or csv_release. The input is not modified.
 */
#include <stddef.h>

#include "core/buf.h"

#define CSV_MAX_FIELDS 64
#define CSV_MAX_FIELD 4096 /* bytes in one field */

struct csv {
	const char *p, *end;
	unsigned line;      /* physical line where the current row starts (1-based) */
	unsigned next_line; /* where the next row starts */
	size_t nfields;
	const char *fields[CSV_MAX_FIELDS];
	struct buf store; /* field bytes of the current row, NUL-separated */
};

void csv_init(struct csv *c, const char *data, size_t len);
/* 1: a row is in c->fields; 0: end of input; < 0: error (message in err). */
int csv_next(struct csv *c, struct buf *err);
void csv_release(struct csv *c);

/*
 * Maps the header row to the expected column names: on success
 * cols[i] is the index in the row of expected[i]. Unknown extra columns
 * and missing ones are errors (Indonesian message naming the column).
 */
int csv_header(const struct csv *c, const char *const *expected, size_t n,
	       size_t *cols, struct buf *err);

/* ---- writer -------------------------------------------------------- */

/*
 * Appends one row of n fields to out, ended by CRLF (RFC 4180). NULL
 * counts as "". A field holding a comma, a double quote, CR or LF is
 * quoted ("" for a quote). A field a spreadsheet would take for a formula
 * (first byte '=', '+', '-', '@', TAB or CR) is defused: written quoted
 * with a leading apostrophe, which spreadsheets show as text and never
 * run. So a negative number loses its sign as a number: write only
 * non-negative numbers through here (terbit's figures are). 0 or
 * TB_ENOMEM.
 */
int csv_row(struct buf *out, const char *const *fields, size_t n);

#endif
