/*
 * The web pages' list functions on a filled database: median and p99 of
 * each call over many runs, one row each on stdout:
 *   name<TAB>median_us<TAB>p99_us<TAB>rows/total
 * Usage: bench_web_lists DATA_DIR [RUNS]
 * The database needs the demo users (terbit demo-data); the more cases
 * the better: bulk-added cases with spread state_since values show the
 * index at work.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "issue/issue.h"

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

enum what { QUEUE, HOME, FIND, PRINTQ, DOCS };

struct job {
	const char *name, *user, *arg;
	enum what what;
};

static int run(struct store *s, const struct job *j,
	       const struct cases_actor *a, size_t *rows, size_t *total,
	       struct buf *err)
{
	int rc = 0;
	*rows = *total = 0;
	if (j->what == QUEUE) {
		struct cases_queue_item *q = NULL;
		rc = cases_queue(s, a, j->arg, CASES_WAIT_LONGEST, 0, &q, rows,
				 total, err);
		free(q);
	} else if (j->what == HOME) {
		struct cases_home h;
		rc = cases_home(s, a, &h, err);
		*rows = h.nreturned + h.nsurvey + h.nverification + h.nready;
		*total = (size_t)h.total;
		cases_home_release(&h);
	} else if (j->what == FIND) {
		struct store_resident_hit *h = NULL;
		rc = cases_resident_find(s, a, j->arg, 0, &h, rows, total, err);
		free(h);
	} else {
		struct store_document *d = NULL;
		rc = j->what == PRINTQ
			     ? issue_print_queue(s, a, ISSUE_CARD, 0, 0, &d, rows,
						 total, err)
			     : issue_doc_search(s, a, j->arg, 0, &d, rows, total,
						err);
		free(d);
	}
	return rc;
}

int main(int argc, char **argv)
{
	static const struct job jobs[] = {
		{ "queue_dinkes_submitted", "dinkes", "submitted", QUEUE },
		{ "queue_dinsos_verified", "dinsos", "verified", QUEUE },
		{ "queue_kecamatan_surveyed", "kecamatan-351005", "surveyed", QUEUE },
		{ "queue_desa_returned", "desa-3510052001", "returned", QUEUE },
		{ "home_desa", "desa-3510052001", NULL, HOME },
		{ "find_desa_nik", "desa-3510052001", "3510052", FIND },
		{ "find_dinsos_name", "dinsos", "siti", FIND },
		{ "print_queue_cards", "dinsos", NULL, PRINTQ },
		{ "doc_search_name", "dinsos", "siti", DOCS },
	};
	struct store *s = NULL;
	struct buf err = BUF_INIT;
	int runs = argc > 2 ? atoi(argv[2]) : 200, rc = 1;
	double *t = NULL;
	if (argc < 2 || runs < 1) {
		fprintf(stderr, "usage: bench_web_lists DATA_DIR [RUNS]\n");
		return 2;
	}
	if (!(t = calloc((size_t)runs, sizeof *t)) ||
	    store_open(argv[1], &s, &err) < 0)
		goto out;
	for (size_t i = 0; i < sizeof jobs / sizeof jobs[0]; i++) {
		struct cases_actor a;
		size_t rows = 0, total = 0;
		if (cases_actor_load(s, jobs[i].user, &a, &err) < 0)
			goto out;
		for (int r = 0; r < runs; r++) {
			double t0 = now_us();
			if (run(s, &jobs[i], &a, &rows, &total, &err) < 0)
				goto out;
			t[r] = now_us() - t0;
		}
		qsort(t, (size_t)runs, sizeof *t, cmp);
		printf("%s\t%.0f\t%.0f\t%zu/%zu\n", jobs[i].name, t[runs / 2],
		       t[(runs * 99) / 100 < runs ? (runs * 99) / 100 : runs - 1],
		       rows, total);
	}
	rc = 0;
out:
	if (rc)
		fprintf(stderr, "bench_web_lists: %s\n", err.data ? err.data : "?");
	free(t);
	store_close(s);
	buf_release(&err);
	return rc;
}
