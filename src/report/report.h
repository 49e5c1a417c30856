#ifndef TERBIT_REPORT_H
#define TERBIT_REPORT_H
/*
 * report: the monthly recap for the head of the office as a PDF, from the
 * figures of one stats_compute (the same struct the dashboard page and
 * the CSV take theirs from, so they cannot disagree). This module turns
 * the figures into Indonesian words and render blocks (render.h's
 * render_report: the letterhead from layouts/report.layout, tables and
 * vector charts); it reads no database and draws nothing itself.
 *
 *   struct buf pdf = BUF_INIT;
 *   report_pdf(render_ctx, policy, &st, &pdf, &err);
 *
 * The labels the page shares with it are here too, so a scope or a
 * period reads the same on the screen and on paper.
 */
#include "core/buf.h"
#include "eligibility/eligibility.h"
#include "render/render.h"
#include "stats/stats.h"

/* "Seluruh kabupaten", "Kecamatan Genteng", "Desa Genteng Kulon". */
int report_scope_label(const struct stats *st, struct buf *out);
/* "Maret 2026" for a month; "30 hari sampai 5 Maret 2026" otherwise. */
int report_period_label(const struct stats *st, struct buf *out);
/* "5 Maret 2026 pukul 10.30 WIB" (unix seconds, the office's zone). */
int report_time_label(int64_t t, struct buf *out);
/* "Kecamatan" or "Desa": what the areas of st are. */
const char *report_area_word(const struct stats *st);

/*
 * The recap of st as a PDF appended to pdf: letterhead fields from the
 * policy's office settings (p may be NULL: the letterhead lines are then
 * left out with their placeholders, so a report without a policy is
 * refused by the layout, naming the field). 0, or render_report's
 * errors, with an Indonesian message in err.
 */
int report_pdf(const struct render_ctx *ctx, const struct policy *p,
	       const struct stats *st, struct buf *pdf, struct buf *err);

#endif
