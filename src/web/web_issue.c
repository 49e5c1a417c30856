/*
 * The issue context a page hands to issue_*: the app's policy, render
 * context, keys and verifier host, over this thread's store. One place,
 * so every page that issues, revokes, reissues or prints signs with the
 * same keys and prints the same verifier URL as the API (h_issue_ctx).
 */
#include "core/err.h"
#include "web/web.h"

int web_issue_ctx(const struct web_req *w, struct issue_ctx *ctx)
{
	if (!w->app || !w->store)
		return tb_err(w->err, TB_EINTERNAL,
			      "server dijalankan tanpa kunci atau basis data");
	*ctx = (struct issue_ctx){ .store = w->store, .policy = w->app->policy,
				   .render = w->app->render, .keys = w->app->keys,
				   .verifier_host = w->app->verifier_host };
	return 0;
}
