#ifndef TERBIT_SVG_H
#define TERBIT_SVG_H
/*
 * Inline SVG charts for the pages (the dashboard): drawn here in C, no
 * JavaScript and no chart library, and put into a page with
 * tmpl_put_html. Every label and title goes through core/html.h's
 * escaper as it is written, so a region or reason with markup in it
 * comes out as text: the markup is made by code, the words are escaped
 * by construction.
 *
 * A chart is never the only way to read its numbers: it carries a
 * <title> (aria-labelledby, role="img"), a legend with words, a <title>
 * on every bar segment and point group, and the page puts a table of the
 * same numbers beside it. The series differ by more than colour (the
 * legend's words; the line chart's dash patterns).
 *
 * Colours are CSS classes of static/terbit.css (".chart .k0" ... ), so
 * the pages' one stylesheet holds them and the CSP needs no inline style.
 */
#include <stddef.h>

#include "core/buf.h"

struct svg_series {
	const char *label;  /* the legend's word, UTF-8 */
	int klass;          /* colour class kN of terbit.css, 0..11 */
};

#define SVG_CLASSES 12

/*
 * Horizontal stacked bars: one bar per category cat[i] (an area), one
 * segment per series (a state), val[i * nser + j]; the total written at
 * the bar's end. id makes the chart's element ids unique on the page.
 * Appends to out; 0 or TB_ENOMEM / TB_ETOOBIG.
 */
int svg_bars(struct buf *out, const char *id, const char *title,
	     const char *const *cat, size_t ncat,
	     const struct svg_series *ser, size_t nser, const int *val);

/*
 * Lines over npts points (days), one per series, val[j * npts + i];
 * xlab[i] labels point i (every one in the points' <title>, a few under
 * the axis). Appends to out; 0 or TB_ENOMEM / TB_ETOOBIG.
 */
int svg_lines(struct buf *out, const char *id, const char *title,
	      const char *const *xlab, size_t npts,
	      const struct svg_series *ser, size_t nser, const int *val);

#endif
