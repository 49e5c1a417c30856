/*
 * `terbit report monthly YYYY-MM`: the monthly recap of the figures of
 * docs/reports.md for the head of the office, as CSV (--csv) and as PDF
 * (--out, the dashboard's report_pdf). Both come from one stats_compute,
 * the same figures as the dashboard page and GET /api/v1/stats.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cases/cases.h"
#include "cli/cli.h"
#include "core/err.h"
#include "eligibility/eligibility.h"
#include "render/render.h"
#include "report/report.h"
#include "stats/stats.h"
#include "store/store.h"

/*
 * The one place the PDF report is made: report_pdf (src/report/) with
 * the figures and the policy's letterhead, written to path. Written 0600
 * like every document terbit writes, though it names no resident.
 */
static int write_pdf(struct cli *c, const struct policy *p,
		     const struct stats *st, const char *path)
{
	struct render_ctx *ctx = NULL;
	struct buf root = BUF_INIT, pdf = BUF_INIT;
	int rc;
	if ((rc = cli_find_root(c, &root)) < 0 ||
	    (rc = render_ctx_new(&ctx, root.data, &c->err)) < 0 ||
	    (rc = report_pdf(ctx, p, st, &pdf, &c->err)) < 0 ||
	    (rc = buf_write_file(path, pdf.data, pdf.len, 0600, &c->err)) < 0)
		goto out;
	printf("%s\n", path);
out:
	render_ctx_free(ctx);
	buf_release(&root);
	buf_release(&pdf);
	return rc;
}

int cli_report_monthly(struct cli *c)
{
	static const char *const opts[] = { "--csv", "--out", "--by",
					    "--policy", "--root", NULL };
	const char *csv = cli_opt(c, "--csv"), *pdf = cli_opt(c, "--out");
	const char *by = cli_opt(c, "--by");
	struct store *s = NULL;
	struct policy *p = NULL;
	struct cases_actor actor;
	struct stats st;
	struct buf out = BUF_INIT;
	int rc = cli_expect(c, 1, opts);
	memset(&st, 0, sizeof st);
	if (rc < 0)
		return rc;
	struct stats_query q = { .now = (int64_t)time(NULL) };
	if ((rc = stats_month_parse(cli_pos(c, 0), &q.year, &q.month,
				    &c->err)) < 0)
		goto out;
	if (!csv && !pdf) {
		rc = tb_err(&c->err, TB_EINVAL,
			    "sebutkan --csv BERKAS.csv dan/atau --out BERKAS.pdf");
		goto out;
	}
	if ((rc = cli_load_policy(c, &p)) < 0 ||
	    (rc = cli_open_store(c, &s)) < 0)
		goto out;
	/* Without --by: the console, the whole regency. */
	if (by) {
		if ((rc = cases_actor_load(s, by, &actor, &c->err)) < 0)
			goto out;
		q.actor = &actor;
	}
	q.policy = p;
	if ((rc = stats_compute(s, &q, &st, &c->err)) < 0)
		goto out;
	if (csv) {
		if ((rc = stats_to_csv(&st, &out)) < 0) {
			rc = tb_err(&c->err, rc, "memori habis");
			goto out;
		}
		if ((rc = buf_write_file(csv, out.data, out.len, 0600,
					 &c->err)) < 0)
			goto out;
		printf("%s\n", csv);
	}
	if (pdf)
		rc = write_pdf(c, p, &st, pdf);
out:
	stats_release(&st);
	buf_release(&out);
	store_close(s);
	policy_free(p);
	return rc;
}
