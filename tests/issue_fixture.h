#ifndef TERBIT_ISSUE_FIXTURE_H
#define TERBIT_ISSUE_FIXTURE_H
/*
 * Test and bench fixture (header-only, static): a data directory with N
 * approved, eligible cases made through the real case operations:
 * regions, residents of one Muncar village (all poor, distinct birth
 * dates), users op (desa 3510052001), dk, camat, ds and ds2 (dinsos),
 * admin, faskes, then every case walked from draft to approved by the
 * role each move needs. Batched in transactions of 200 cases so it does
 * not wait on fsync. Files come from $TERBIT_ROOT or ".".
 * Used by tests/bench/bench_issue.c and tests/unit/test_issue.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "core/buf.h"
#include "core/err.h"
#include "sign/keys.h"
#include "store/store.h"

#define VILLAGE "3510052001"
#define BATCH 200

static const char *fixture_root(void)
{
	const char *r = getenv("TERBIT_ROOT");
	return r && *r ? r : ".";
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
	int rc = buf_addf(&path, "%s/regions/3510.csv", fixture_root());
	if (rc == 0)
		rc = buf_read_file(&data, path.data, 0, err);
	if (rc == 0)
		rc = cases_regions_import(s, data.data, data.len, path.data, err);
	buf_release(&path);
	buf_release(&data);
	return rc < 0 ? rc : 0;
}

static int fixture_policy(struct policy **p, struct buf *err)
{
	struct buf path = BUF_INIT;
	int rc = buf_addf(&path, "%s/policy/banyuwangi.policy", fixture_root());
	if (rc == 0)
		rc = policy_load(path.data, p, err);
	buf_release(&path);
	return rc;
}

static int fixture_setup(const char *dir, unsigned n, struct buf *err)
{
	struct store *s = NULL;
	struct policy *p = NULL;
	struct elig_answer *ans = NULL;
	struct actors a;
	struct buf csv = BUF_INIT, report = BUF_INIT;
	size_t nans = 0;
	int rc;
	if ((rc = store_open(dir, &s, err)) < 0 ||
	    (rc = keys_init(dir, err)) < 0 || (rc = fixture_policy(&p, err)) < 0 ||
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

#endif
