/*
 * GET /api/v1/stats: the dashboard's figures as JSON for the province's
 * systems (docs/api.md, docs/reports.md). The stats module scopes them
 * to the caller (cases_scope) and computes them; this parses the query.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/str.h"
#include "http/handlers.h"
#include "stats/stats.h"

int h_stats(struct http_request *req, struct http_response *res,
	    struct buf *err)
{
	const struct http_app *app;
	struct cases_actor a;
	struct store *s;
	struct stats st;
	struct stats_query q = { .now = clock_now() };
	const char *days = http_query(req, "days");
	const char *month = http_query(req, "month");
	int rc;
	memset(&st, 0, sizeof st);
	if ((rc = h_app(req, &app, err)) < 0 || (rc = h_actor(req, &a, err)) < 0)
		goto out;
	if (days) {
		if (strlen(days) > 3 || !str_all_digits(days)) {
			rc = tb_err(err, TB_EINVAL,
				    "days must be a whole number 1 to %d",
				    STATS_DAYS_MAX);
			goto out;
		}
		q.days = atoi(days);
	}
	if (month && (rc = stats_month_parse(month, &q.year, &q.month,
					     err)) < 0)
		goto out;
	q.actor = &a;
	q.policy = app->policy;
	if ((rc = http_store(req, &s, err)) < 0 ||
	    (rc = stats_compute(s, &q, &st, err)) < 0)
		goto out;
	rc = stats_to_json(&st, &res->body);
out:
	stats_release(&st);
	return h_json_done(res, rc, err);
}
