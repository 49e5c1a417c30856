/*
 * Set-up for the web pages' benchmark (scripts/bench.d/45-web.sh): opens
 * a case for every "NIK<TAB>village" line of stdin, by that village's
 * operator desa-<village> (terbit demo-data made one per village), and
 * submits the first N_SUBMITTED of them with a referral attached, so the
 * health office's queue holds that many. The rest stay drafts. Real case
 * operations only, batched in transactions of 200 cases so the set-up
 * does not wait on fsync; a resident the operations refuse stops it.
 *
 *   bench_web_cases DATA_DIR N_SUBMITTED < nik-village.tsv
 *
 * Prints "<cases> <submitted>" on stdout. The policy is found under
 * $TERBIT_ROOT or ".".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "core/buf.h"
#include "core/err.h"
#include "store/store.h"

#define BATCH 200

static int open_case(struct store *s, const struct policy *p,
		     const struct cases_actor *a, const char *nik, int submit,
		     struct buf *err)
{
	static const char pdf[] = "%PDF-1.4\nrujukan\n%%EOF\n";
	int64_t id;
	int rc = cases_create(s, a, nik, &id, err);
	if (rc < 0 || !submit)
		return rc;
	if ((rc = cases_attach(s, a, id, "rujukan", "rujukan.pdf", pdf,
			       sizeof pdf - 1, NULL, err)) < 0)
		return rc;
	return cases_move(s, p, a, id, "submitted", NULL, err);
}

int main(int argc, char **argv)
{
	struct store *s = NULL;
	struct policy *p = NULL;
	struct cases_actor a = { 0 };
	struct buf err = BUF_INIT, path = BUF_INIT;
	char line[128], user[64] = "";
	const char *root = getenv("TERBIT_ROOT");
	long want = argc > 2 ? atol(argv[2]) : -1;
	long n = 0, submitted = 0;
	int rc = TB_EINVAL, open = 0;
	if (argc != 3 || want < 0) {
		fprintf(stderr, "usage: bench_web_cases DATA_DIR N_SUBMITTED "
				"< nik-village.tsv\n");
		return 2;
	}
	if ((rc = buf_addf(&path, "%s/policy/banyuwangi.policy",
			   root && *root ? root : ".")) < 0 ||
	    (rc = policy_load(path.data, &p, &err)) < 0 ||
	    (rc = store_open(argv[1], &s, &err)) < 0)
		goto out;
	while (fgets(line, sizeof line, stdin)) {
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = 0;
		tab[strcspn(tab + 1, "\r\n") + 1] = 0;
		char who[64];
		snprintf(who, sizeof who, "desa-%s", tab + 1);
		if (strcmp(who, user) != 0) {
			if ((rc = cases_actor_load(s, who, &a, &err)) < 0)
				goto out;
			snprintf(user, sizeof user, "%s", who);
		}
		if (!open && (rc = store_begin(s, &err)) < 0)
			goto out;
		open = 1;
		int submit = submitted < want;
		if ((rc = open_case(s, p, &a, line, submit, &err)) < 0) {
			fprintf(stderr, "bench_web_cases: NIK %s\n", line);
			goto out;
		}
		n++;
		submitted += submit;
		if (n % BATCH == 0) {
			open = 0;
			if ((rc = store_commit(s, &err)) < 0)
				goto out;
		}
	}
	if (open) {
		open = 0;
		if ((rc = store_commit(s, &err)) < 0)
			goto out;
	}
	printf("%ld %ld\n", n, submitted);
	rc = 0;
out:
	if (open)
		store_rollback(s);
	if (rc < 0)
		fprintf(stderr, "bench_web_cases: %s\n", err.data ? err.data : "?");
	store_close(s);
	policy_free(p);
	buf_release(&err);
	buf_release(&path);
	return rc < 0 ? 1 : 0;
}
