/*
 * Full issuance through the gate (load, decide, number, token, render,
 * sign, store, audit, commit), letters and cards per second, in one
 * process with everything loaded once, as the service runs it.
 *
 *   bench_issue setup DATA_DIR N   make DATA_DIR with N approved, eligible
 *                                  cases (used by tests/issue_*.sh too)
 *   bench_issue run DATA_DIR N     setup with 2N cases, then N letters and
 *                                  N cards; rows on stdout:
 *                                  name<TAB>value<TAB>unit<TAB>note
 *
 * The cases are made with the real case operations (imports, users,
 * attachments, answers, every workflow move by its role), batched in
 * transactions of 200 cases so the set-up does not wait on fsync.
 * Files (regions, policy, layouts) are found under $TERBIT_ROOT or ".".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cases/cases.h"
#include "core/buf.h"
#include "core/err.h"
#include "issue/issue.h"
#include "render/render.h"
#include "sign/keys.h"
#include "store/store.h"

#include "../issue_fixture.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * n documents of kind for cases first..first+n-1, batch per transaction
 * (1: issue_document, one commit each); documents per second.
 */
static int timed(struct issue_ctx *ctx, const struct cases_actor *a,
		 enum issue_kind kind, int64_t first, unsigned n,
		 unsigned batch, double *rate, struct buf *err)
{
	struct issue_batch_item *items = calloc(batch, sizeof *items);
	struct issue_result res;
	int rc = 0;
	if (!items)
		return tb_err(err, TB_ENOMEM, "no memory");
	double t0 = now();
	for (unsigned i = 0; rc >= 0 && i < n; i += batch) {
		unsigned k = n - i < batch ? n - i : batch;
		if (batch == 1) {
			rc = issue_document(ctx, a, first + i, kind, &res, NULL,
					    err);
			if (rc == 0 && res.existing)
				rc = tb_err(err, TB_EINTERNAL, "case %lld had one",
					    (long long)(first + i));
			continue;
		}
		for (unsigned j = 0; j < k; j++)
			items[j].case_id = first + i + j;
		rc = issue_batch(ctx, a, kind, items, k, err);
		if (rc >= 0 && rc != (int)k)
			rc = tb_err(err, TB_EINTERNAL, "batch at case %lld: %s",
				    (long long)(first + i), items[0].err);
	}
	*rate = n / (now() - t0);
	free(items);
	return rc < 0 ? rc : 0;
}

static int run(const char *dir, unsigned n, struct buf *err)
{
	struct store *s = NULL;
	struct policy *p = NULL;
	struct render_ctx *r = NULL;
	struct keyring *kr = NULL;
	struct cases_actor a;
	double letters = 0, cards = 0, bletters = 0, bcards = 0;
	double t0 = now();
	int rc = fixture_setup(dir, 2 * n, err);
	double t1 = now();
	/* The set-up's writes still being flushed would be charged to the
	 * first timed phase: flush them first. */
	sync();
	if (rc < 0 || (rc = store_open(dir, &s, err)) < 0 ||
	    (rc = fixture_policy(&p, err)) < 0 ||
	    (rc = render_ctx_new(&r, fixture_root(), err)) < 0 ||
	    (rc = keyring_load(dir, &kr, err)) < 0 ||
	    (rc = cases_actor_load(s, "ds", &a, err)) < 0)
		goto out;
	struct issue_ctx ctx = { .store = s, .policy = p, .render = r,
				 .keys = kr };
	/* One commit per document first, then batches of 50 on the other
	 * kind of the same cases (one valid document per kind and NIK). */
	if ((rc = timed(&ctx, &a, ISSUE_LETTER, 1, n, 1, &letters, err)) < 0 ||
	    (rc = timed(&ctx, &a, ISSUE_CARD, n + 1, n, 1, &cards, err)) < 0 ||
	    (rc = timed(&ctx, &a, ISSUE_LETTER, n + 1, n, 50, &bletters,
			err)) < 0 ||
	    (rc = timed(&ctx, &a, ISSUE_CARD, 1, n, 50, &bcards, err)) < 0)
		goto out;
	fprintf(stderr, "bench_issue: set-up of %u approved cases %.1f s\n",
		2 * n, t1 - t0);
	printf("issue: letters, one commit each\t%.0f\tdocs/s\t%u letters: "
	       "gate+render+sign+store, synchronous=FULL\n", letters, n);
	printf("issue: cards, one commit each\t%.0f\tdocs/s\t%u cards, "
	       "front and back\n", cards, n);
	printf("issue: letters, batches of 50\t%.0f\tdocs/s\tissue_batch, "
	       "one commit per 50\n", bletters);
	printf("issue: cards, batches of 50\t%.0f\tdocs/s\tissue_batch\n",
	       bcards);
out:
	keyring_free(kr);
	render_ctx_free(r);
	policy_free(p);
	store_close(s);
	return rc;
}

int main(int argc, char **argv)
{
	struct buf err = BUF_INIT;
	unsigned n = argc > 3 ? (unsigned)atoi(argv[3]) : 0;
	int rc;
	if (argc < 4 || n == 0 || n > 100000) {
		fprintf(stderr, "usage: bench_issue setup|run DATA_DIR N\n");
		return 2;
	}
	if (!strcmp(argv[1], "setup"))
		rc = fixture_setup(argv[2], n, &err);
	else if (!strcmp(argv[1], "run"))
		rc = run(argv[2], n, &err);
	else
		rc = tb_err(&err, TB_EINVAL, "unknown mode %s", argv[1]);
	if (rc < 0)
		fprintf(stderr, "bench_issue: %s\n", err.data);
	buf_release(&err);
	return rc < 0 ? 1 : 0;
}
