/*
 * The figures of docs/reports.md. Stub: the contract in stats.h is fixed
 * first so the dashboard and the PDF report can be built on it; the
 * computation follows.
 */
#include "stats/stats.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"

const enum case_state stats_stages[STATS_NSTAGES] = {
	ST_DRAFT,    ST_SUBMITTED, ST_HEALTH_CHECKED, ST_SURVEYED,
	ST_RECOMMENDED, ST_VERIFIED, ST_RETURNED,
};

int stats_stage_index(enum case_state state)
{
	for (int i = 0; i < STATS_NSTAGES; i++)
		if (stats_stages[i] == state)
			return i;
	return -1;
}

int stats_limits(const struct policy *p, int64_t limits_s[STATS_NSTAGES],
		 struct buf *err)
{
	(void)p;
	(void)err;
	for (int i = 0; i < STATS_NSTAGES; i++)
		limits_s[i] = STATS_LIMIT_DEFAULT_S;
	return 0;
}

int stats_compute(struct store *s, const struct stats_query *q,
		  struct stats *out, struct buf *err)
{
	(void)s;
	(void)q;
	memset(out, 0, sizeof *out);
	return tb_err(err, TB_EINTERNAL, "statistik belum tersedia");
}

void stats_release(struct stats *st)
{
	if (!st)
		return;
	free(st->areas);
	free(st->overdue);
	free(st->revocations.r);
	free(st->reissues.r);
	free(st->refusals.r);
	memset(st, 0, sizeof *st);
}

int stats_to_json(const struct stats *st, struct buf *out)
{
	(void)st;
	return buf_adds(out, "{}");
}

int stats_to_csv(const struct stats *st, struct buf *out)
{
	(void)st;
	(void)out;
	return 0;
}

int stats_month_parse(const char *s, int *year, int *month, struct buf *err)
{
	(void)s;
	*year = *month = 0;
	return tb_err(err, TB_EINVAL, "bulan harus YYYY-MM");
}
