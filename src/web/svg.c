/* Inline SVG charts for the pages: stacked bars and lines (svg.h). */
#include "web/svg.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/html.h"

/* The drawing's own units (the viewBox): the page scales it to its
 * column, so these are proportions, chosen to stay legible at 360 px. */
#define W 480
#define FONT 13
#define LABEL_W 150   /* the bars' category labels */
#define BAR_H 16
#define BAR_GAP 6
#define LEGEND_ROW 22

/* Writing stops at the first failure; the rc carries it to the end. */
struct svgw {
	struct buf *out;
	int rc;
};

static void put(struct svgw *w, const char *s)
{
	if (!w->rc)
		w->rc = buf_adds(w->out, s);
}

static void putf(struct svgw *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void putf(struct svgw *w, const char *fmt, ...)
{
	va_list ap;
	if (w->rc)
		return;
	va_start(ap, fmt);
	w->rc = buf_vaddf(w->out, fmt, ap);
	va_end(ap);
}

/* A coordinate with one decimal at most ("12.3", "-4"), rounded to
 * the nearest tenth: the charts' hundreds of numbers were most of a
 * cached dashboard's CPU when printf formatted them as %.1f. */
static void coord(struct svgw *w, double x)
{
	char tmp[32], *p = tmp + sizeof tmp;
	int64_t t = (int64_t)(x * 10.0 + (x < 0 ? -0.5 : 0.5));
	int neg = t < 0;
	uint64_t u = neg ? (uint64_t)-t : (uint64_t)t;
	if (u % 10) {
		*--p = (char)('0' + u % 10);
		*--p = '.';
	}
	u /= 10;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (neg)
		*--p = '-';
	if (!w->rc)
		w->rc = buf_add(w->out, p, (size_t)(tmp + sizeof tmp - p));
}

/* Text from outside (names, titles): always through the escaper. */
static void text(struct svgw *w, const char *s)
{
	if (!w->rc)
		w->rc = html_escape(w->out, s ? s : "");
}

static void number(struct svgw *w, int64_t v)
{
	if (!w->rc)
		w->rc = fmt_int_id(w->out, v);
}

/* A rough width of UTF-8 text at FONT in viewBox units (system fonts
 * average a little over half an em), for laying out the legend. */
static int text_w(const char *s)
{
	int n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		n += (*p & 0xC0) != 0x80;
	return n * FONT * 58 / 100;
}

static void open_svg(struct svgw *w, const char *id, const char *title,
		     int h)
{
	putf(w, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" "
	     "aria-labelledby=\"", W, h);
	text(w, id);
	put(w, "-t\"><title id=\"");
	text(w, id);
	put(w, "-t\">");
	text(w, title);
	put(w, "</title>");
}

/* How many rows the legend takes: the same wrapping as legend(). */
static int legend_rows(const struct svg_series *ser, size_t nser)
{
	int rows = 1, x = 0;
	for (size_t j = 0; j < nser; j++) {
		int need = 22 + text_w(ser[j].label) + 14;
		if (x && x + need > W) {
			x = 0;
			rows++;
		}
		x += need;
	}
	return rows;
}

/*
 * The legend: a swatch (or a dash sample) and the series' word, rows
 * wrapping at the width; returns the height used from y.
 */
static int legend(struct svgw *w, const struct svg_series *ser, size_t nser,
		  int y, int lines)
{
	int x = 0, row = 0;
	for (size_t j = 0; j < nser; j++) {
		int need = 22 + text_w(ser[j].label) + 14;
		if (x && x + need > W) {
			x = 0;
			row++;
		}
		int ty = y + row * LEGEND_ROW;
		if (lines)
			putf(w, "<path class=\"ln k%d d%zu\" d=\"M%d %dh16\"/>",
			     ser[j].klass % SVG_CLASSES, j % 3, x,
			     ty + 9);
		else
			putf(w, "<rect class=\"k%d\" x=\"%d\" y=\"%d\" "
			     "width=\"14\" height=\"14\"/>",
			     ser[j].klass % SVG_CLASSES, x, ty + 2);
		putf(w, "<text x=\"%d\" y=\"%d\">", x + 20, ty + 14);
		text(w, ser[j].label);
		put(w, "</text>");
		x += need;
	}
	return (row + 1) * LEGEND_ROW + 6;
}

int svg_bars(struct buf *out, const char *id, const char *title,
	     const char *const *cat, size_t ncat,
	     const struct svg_series *ser, size_t nser, const int *val)
{
	struct svgw w = { out, 0 };
	int64_t max = 1;
	for (size_t i = 0; i < ncat; i++) {
		int64_t t = 0;
		for (size_t j = 0; j < nser; j++)
			t += val[i * nser + j] > 0 ? val[i * nser + j] : 0;
		if (t > max)
			max = t;
	}
	/* Room at the bar's end for its total. */
	double span = W - LABEL_W - 8 - 56;
	int top = legend_rows(ser, nser) * LEGEND_ROW + 6;
	int h = top + (int)ncat * (BAR_H + BAR_GAP) + 4;
	open_svg(&w, id, title, h);
	legend(&w, ser, nser, 0, 0);
	/* Category labels and totals. */
	for (size_t i = 0; i < ncat; i++) {
		int y = top + (int)i * (BAR_H + BAR_GAP);
		int64_t t = 0;
		for (size_t j = 0; j < nser; j++)
			t += val[i * nser + j] > 0 ? val[i * nser + j] : 0;
		putf(&w, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">",
		     LABEL_W, y + 13);
		text(&w, cat[i]);
		put(&w, "</text><text x=\"");
		coord(&w, LABEL_W + 8 + span * (double)t / (double)max + 4);
		putf(&w, "\" y=\"%d\">", y + 13);
		number(&w, t);
		put(&w, "</text>");
	}
	/* One path per series holds all its segments: a page of 25 areas
	 * and 9 states stays a few kilobytes. */
	for (size_t j = 0; j < nser; j++) {
		int any = 0;
		for (size_t i = 0; i < ncat; i++) {
			int v = val[i * nser + j];
			if (v <= 0)
				continue;
			int64_t before = 0;
			for (size_t k = 0; k < j; k++)
				before += val[i * nser + k] > 0
						  ? val[i * nser + k] : 0;
			double x0 = LABEL_W + 8 + span * (double)before /
							   (double)max;
			double len = span * v / (double)max;
			if (!any)
				putf(&w, "<path class=\"k%d\" d=\"",
				     ser[j].klass % SVG_CLASSES);
			any = 1;
			put(&w, "M");
			coord(&w, x0);
			putf(&w, " %dh", top + (int)i * (BAR_H + BAR_GAP));
			coord(&w, len);
			putf(&w, "v%dh", BAR_H);
			coord(&w, -len);
			put(&w, "z");
		}
		if (any)
			put(&w, "\"/>");
	}
	put(&w, "</svg>");
	return w.rc;
}

int svg_lines(struct buf *out, const char *id, const char *title,
	      const char *const *xlab, size_t npts,
	      const struct svg_series *ser, size_t nser, const int *val)
{
	struct svgw w = { out, 0 };
	int64_t max = 0;
	for (size_t k = 0; k < npts * nser; k++)
		if (val[k] > max)
			max = val[k];
	max = fmt_axis_max(max);
	const int left = 48, plot_w = W - left - 8, plot_h = 150;
	int top = legend_rows(ser, nser) * LEGEND_ROW + 6 + 8;
	int h = top + plot_h + 26;
	double dx = npts > 1 ? (double)plot_w / (double)(npts - 1) : 0;
	open_svg(&w, id, title, h);
	legend(&w, ser, nser, 0, 1);
	/* Grid at 0, half and the top, with their numbers. */
	for (int g = 0; g <= 2; g++) {
		int y = top + plot_h - plot_h * g / 2;
		putf(&w, "<path class=\"grid\" d=\"M%d %dh%d\"/>"
		     "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", left, y,
		     plot_w, left - 6, y + 4);
		number(&w, max * g / 2);
		put(&w, "</text>");
	}
	/* A few dates under the axis: the first, every 30th from the last
	 * backwards, so the last day (today) is always named. */
	for (size_t i = 0; i < npts; i++) {
		size_t from_end = npts - 1 - i;
		if (i != 0 && (from_end % 30 != 0 || i < 12))
			continue; /* not a named day, or too near the first */
		double x = left + dx * (double)i;
		put(&w, "<text x=\"");
		coord(&w, x);
		putf(&w, "\" y=\"%d\" text-anchor=\"%s\">",
		     top + plot_h + 20, i == 0 ? "start" :
					from_end == 0 ? "end" : "middle");
		text(&w, xlab[i]);
		put(&w, "</text>");
	}
	for (size_t j = 0; j < nser; j++) {
		putf(&w, "<path class=\"ln k%d d%zu\" d=\"",
		     ser[j].klass % SVG_CLASSES, j % 3);
		for (size_t i = 0; i < npts; i++) {
			int v = val[j * npts + i] > 0 ? val[j * npts + i] : 0;
			put(&w, i ? "L" : "M");
			coord(&w, left + dx * (double)i);
			put(&w, " ");
			coord(&w, top + plot_h - (double)plot_h * v /
						 (double)max);
		}
		put(&w, "\"/>");
	}
	put(&w, "</svg>");
	return w.rc;
}
