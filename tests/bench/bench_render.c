/*
 * make bench: documents rendered per second in one process, with one
 * render context (layouts and fonts loaded once), and bytes per document.
 * Rows on stdout: name<TAB>value<TAB>unit<TAB>note
 * Usage: bench_render FIELDS_FILE [COUNT]   (from the repository root)
 * With BENCH_TMP set, also writes the last letter, card and sheet (all
 * without the specimen mark) to $BENCH_TMP/bench_letter.pdf,
 * bench_card.pdf and bench_sheet.pdf: the letter for the TCPDF
 * comparison's size column, all three for tests/render_golden.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/buf.h"
#include "render/render.h"

static double clock_s(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double now(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

/* CPU time of this process: on a shared machine (2 cores, other jobs)
 * wall time also counts waiting for a core. */
static double cpu(void)
{
	return clock_s(CLOCK_PROCESS_CPUTIME_ID);
}

static int run(struct render_ctx *ctx, enum render_kind kind,
	       const struct render_fields *f, int count, const char *name,
	       const char *save)
{
	struct buf pdf = BUF_INIT, err = BUF_INIT;
	size_t bytes = 0;
	double t0 = now(), c0 = cpu();
	for (int i = 0; i < count; i++) {
		buf_reset(&pdf);
		if (render_doc(ctx, kind, f, 0, &pdf, &err) < 0) {
			fprintf(stderr, "bench_render: %s\n", err.data);
			return 1;
		}
		bytes = pdf.len;
	}
	double dt = now() - t0, dc = cpu() - c0;
	printf("render: %ss per second (1 thread)\t%.0f\t%s/s\t%d in %.2f s "
	       "wall\n", name, count / dt, name, count, dt);
	printf("render: CPU ms per %s\t%.3f\tms\ttarget %s (wall %.3f)\n",
	       name, dc * 1000 / count, kind == RENDER_LETTER ? "<= 2" : "<= 1",
	       dt * 1000 / count);
	printf("render: bytes per %s\t%zu\tB\ttarget <= 30720%s\n", name, bytes,
	       kind == RENDER_CARD ? " (front+back)" : "");
	if (save)
		buf_write_file(save, pdf.data, pdf.len, 0644, &err);
	buf_release(&pdf);
	buf_release(&err);
	return 0;
}

/* A sheet of RENDER_SHEET_CARDS cards (render_card_sheet), per card:
 * it should cost about what a one-card PDF does. */
static int run_sheet(struct render_ctx *ctx, const struct render_fields *f,
		     int count, const char *save)
{
	struct render_fields cards[RENDER_SHEET_CARDS];
	struct buf pdf = BUF_INIT, err = BUF_INIT;
	int rc = 0, sheets = count / RENDER_SHEET_CARDS > 0 ?
				     count / RENDER_SHEET_CARDS : 1;
	for (int i = 0; i < RENDER_SHEET_CARDS; i++)
		cards[i] = *f; /* borrowed: released once, as f */
	double c0 = cpu();
	for (int i = 0; i < sheets && rc == 0; i++) {
		buf_reset(&pdf);
		rc = render_card_sheet(ctx, cards, RENDER_SHEET_CARDS,
				       "2026-11-23", 0, &pdf, &err);
	}
	double dc = cpu() - c0;
	if (rc < 0)
		fprintf(stderr, "bench_render: %s\n", err.data);
	else
		printf("render: CPU ms per card on a sheet of %d\t%.3f\tms\t"
		       "target <= CPU ms per card (%zu B a sheet)\n",
		       RENDER_SHEET_CARDS,
		       dc * 1000 / sheets / RENDER_SHEET_CARDS, pdf.len);
	if (rc == 0 && save)
		buf_write_file(save, pdf.data, pdf.len, 0644, &err);
	buf_release(&pdf);
	buf_release(&err);
	return rc < 0;
}

int main(int argc, char **argv)
{
	struct render_ctx *ctx = NULL;
	struct render_fields f;
	struct buf err = BUF_INIT, text = BUF_INIT;
	struct buf save[3] = { BUF_INIT, BUF_INIT, BUF_INIT };
	int count = argc > 2 ? atoi(argv[2]) : 1000, rc = 1;
	render_fields_init(&f);
	if (argc < 2) {
		fprintf(stderr, "usage: bench_render FIELDS_FILE [COUNT]\n");
		goto out;
	}
	double t0 = now();
	if (buf_read_file(&text, argv[1], 0, &err) < 0 ||
	    render_fields_parse(&f, text.data, &err) < 0 ||
	    render_ctx_new(&ctx, ".", &err) < 0) {
		fprintf(stderr, "bench_render: %s\n", err.data);
		goto out;
	}
	printf("render: context load (layouts, fonts)\t%.2f\tms\tonce at start\n",
	       (now() - t0) * 1000);
	const char *tmp = getenv("BENCH_TMP");
	static const char *const names[3] = { "letter", "card", "sheet" };
	for (int i = 0; tmp && i < 3; i++)
		buf_addf(&save[i], "%s/bench_%s.pdf", tmp, names[i]);
	rc = run(ctx, RENDER_LETTER, &f, count, "letter",
		 tmp ? save[0].data : NULL) ||
	     run(ctx, RENDER_CARD, &f, count, "card",
		 tmp ? save[1].data : NULL) ||
	     run_sheet(ctx, &f, count, tmp ? save[2].data : NULL);
out:
	render_ctx_free(ctx);
	render_fields_release(&f);
	buf_release(&err);
	buf_release(&text);
	for (int i = 0; i < 3; i++)
		buf_release(&save[i]);
	return rc;
}
