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

#include "cases/cases.h"
#include "core/buf.h"
#include "core/err.h"
#include "issue/issue.h"
#include "render/render.h"
#include "sign/keys.h"
#include "store/store.h"

#define VILLAGE "3510052001"
#define BATCH 200

static const char *root(void)
{
	const char *r = getenv("TERBIT_ROOT");
	return r && *r ? r : ".";
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Residents of one Muncar village, all born on distinct dates. */
static int residents_csv(unsigned n, struct buf *out)
{
	int rc = buf_adds(out, "nik,kk,name,birth_place,birth_date,sex,"
			       "address,rt,rw,village_code\n");
	for (unsigned i = 0; rc == 0 && i < n; i++) {
		int day = (int)(i % 28) + 1, month = (int)(i / 28 % 12) + 1;
		int year = 1940 + (int)(i / 336 % 60);
		int woman = (int)(i / 20160) % 2;
		rc = buf_addf(out,
			      "351005%02d%02d%02d%04u,35100501012%05u,"
			      "Warga Uji %u,Banyuwangi,%04d-%02d-%02d,%c,"
			      "Dusun Krajan No. %u,001,002," VILLAGE "\n",
			      day + (woman ? 40 : 0), month, year % 100,
			      i / 40320 + 1, i, i, year, month, day,
			      woman ? 'P' : 'L', i % 90 + 1);
	}
	return rc;
}

/* Poorest answer to every indicator: well under the threshold. */
static int answers(const struct policy *p, struct elig_answer **out,
		   size_t *n)
{
	*n = policy_indicator_count(p);
	*out = calloc(*n, sizeof **out);
	if (!*out)
		return TB_ENOMEM;
	for (size_t i = 0; i < *n; i++) {
		const struct policy_indicator *ind = policy_indicator(p, i);
		int min = ind->answers[0].value;
		for (size_t k = 1; k < ind->nanswers; k++)
			if (ind->answers[k].value < min)
				min = ind->answers[k].value;
		(*out)[i] = (struct elig_answer){ ind->code, min };
	}
	return 0;
}

struct actors {
	struct cases_actor desa, dinkes, camat, dinsos;
};

static int users(struct store *s, struct actors *a, struct buf *err)
{
	static const struct {
		const char *name, *role, *region;
	} u[] = {
		{ "op", "desa", VILLAGE }, { "dk", "dinkes", NULL },
		{ "camat", "kecamatan", "351005" }, { "ds", "dinsos", NULL },
		{ "ds2", "dinsos", NULL }, { "admin", "admin", NULL },
		{ "faskes", "faskes", NULL },
	};
	struct cases_actor *slot[] = { &a->desa, &a->dinkes, &a->camat,
				       &a->dinsos };
	struct buf token = BUF_INIT;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < sizeof u / sizeof u[0]; i++) {
		buf_reset(&token);
		rc = cases_user_add(s, NULL, u[i].name, u[i].role, u[i].region,
				    &token, err);
		if (rc == 0 && i < 4)
			rc = cases_actor_load(s, u[i].name, slot[i], err);
	}
	buf_release(&token);
	return rc;
}

/* One case from draft to approved, every step by its role. */
static int walk(struct store *s, const struct policy *p,
		const struct actors *a, const char *nik,
		const struct elig_answer *ans, size_t nans, struct buf *err)
{
	static const char pdf[] = "%PDF-1.4\nuji\n%%EOF\n";
	int64_t id;
	int rc;
	if ((rc = cases_create(s, &a->desa, nik, &id, err)) < 0 ||
	    (rc = cases_attach(s, &a->desa, id, "rujukan", "rujukan.pdf", pdf,
			       sizeof pdf - 1, NULL, err)) < 0 ||
	    (rc = cases_move(s, p, &a->desa, id, "submitted", NULL, err)) < 0 ||
	    (rc = cases_move(s, p, &a->dinkes, id, "health_checked", NULL,
			     err)) < 0 ||
	    (rc = cases_answers(s, p, &a->desa, id, ans, nans, err)) < 0 ||
	    (rc = cases_move(s, p, &a->desa, id, "surveyed", NULL, err)) < 0 ||
	    (rc = cases_move(s, p, &a->camat, id, "recommended", "layak",
			     err)) < 0 ||
	    (rc = cases_attach(s, &a->desa, id, "verifikasi", "hasil.pdf", pdf,
			       sizeof pdf - 1, NULL, err)) < 0 ||
	    (rc = cases_move(s, p, &a->desa, id, "verified", NULL, err)) < 0)
		return rc;
	return cases_move(s, p, &a->dinsos, id, "approved", NULL, err);
}

static int regions(struct store *s, struct buf *err)
{
	struct buf path = BUF_INIT, data = BUF_INIT;
	int rc = buf_addf(&path, "%s/regions/3510.csv", root());
	if (rc == 0)
		rc = buf_read_file(&data, path.data, 0, err);
	if (rc == 0)
		rc = cases_regions_import(s, data.data, data.len, path.data, err);
	buf_release(&path);
	buf_release(&data);
	return rc < 0 ? rc : 0;
}

static int load_policy(struct policy **p, struct buf *err)
{
	struct buf path = BUF_INIT;
	int rc = buf_addf(&path, "%s/policy/banyuwangi.policy", root());
	if (rc == 0)
		rc = policy_load(path.data, p, err);
	buf_release(&path);
	return rc;
}

static int setup(const char *dir, unsigned n, struct buf *err)
{
	struct store *s = NULL;
	struct policy *p = NULL;
	struct elig_answer *ans = NULL;
	struct actors a;
	struct buf csv = BUF_INIT, report = BUF_INIT;
	size_t nans = 0;
	int rc;
	if ((rc = store_open(dir, &s, err)) < 0 ||
	    (rc = keys_init(dir, err)) < 0 || (rc = load_policy(&p, err)) < 0 ||
	    (rc = regions(s, err)) < 0 || (rc = residents_csv(n, &csv)) < 0 ||
	    (rc = cases_import(s, NULL, CASES_IMPORT_RESIDENTS, csv.data,
			       csv.len, 0, &report, NULL, err)) < 0 ||
	    (rc = users(s, &a, err)) < 0 || (rc = answers(p, &ans, &nans)) < 0)
		goto out;
	const char *line = strchr(csv.data, '\n');
	for (unsigned i = 0; i < n; i++) {
		char nik[17];
		memcpy(nik, line + 1, 16);
		nik[16] = 0;
		line = strchr(line + 1, '\n');
		if (i % BATCH == 0 && (rc = store_begin(s, err)) < 0)
			goto out;
		if ((rc = walk(s, p, &a, nik, ans, nans, err)) < 0) {
			store_rollback(s);
			goto out;
		}
		if ((i % BATCH == BATCH - 1 || i == n - 1) &&
		    (rc = store_commit(s, err)) < 0)
			goto out;
	}
	rc = 0;
out:
	if (rc < 0 && !err->len)
		buf_setf(err, "%s", report.data);
	free(ans);
	buf_release(&csv);
	buf_release(&report);
	policy_free(p);
	store_close(s);
	return rc;
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
	int rc = setup(dir, 2 * n, err);
	double t1 = now();
	if (rc < 0 || (rc = store_open(dir, &s, err)) < 0 ||
	    (rc = load_policy(&p, err)) < 0 ||
	    (rc = render_ctx_new(&r, root(), err)) < 0 ||
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
		rc = setup(argv[2], n, &err);
	else if (!strcmp(argv[1], "run"))
		rc = run(argv[2], n, &err);
	else
		rc = tb_err(&err, TB_EINVAL, "unknown mode %s", argv[1]);
	if (rc < 0)
		fprintf(stderr, "bench_issue: %s\n", err.data);
	buf_release(&err);
	return rc < 0 ? 1 : 0;
}
