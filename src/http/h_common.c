/*
 * The steps every API handler shares: the app state, the caller as a
 * cases actor, the issue context, a JSON object body, the case id.
 */
#include "core/err.h"
#include "http/handlers.h"

int h_app(struct http_request *req, const struct http_app **out,
	  struct buf *err)
{
	*out = http_app(req);
	return *out ? 0 : tb_err(err, TB_EINTERNAL, "server started without its state");
}

int h_actor(struct http_request *req, struct cases_actor *out,
	    struct buf *err)
{
	if (!req->actor)
		return tb_err(err, TB_EAUTH, "no authenticated caller");
	*out = *req->actor;
	return 0;
}

int h_issue_ctx(struct http_request *req, struct issue_ctx *ctx,
		struct buf *err)
{
	const struct http_app *app;
	struct store *s;
	int rc = h_app(req, &app, err);
	if (rc < 0 || (rc = http_store(req, &s, err)) < 0)
		return rc;
	*ctx = (struct issue_ctx){ .store = s, .policy = app->policy,
				   .render = app->render, .keys = app->keys,
				   .verifier_host = app->verifier_host };
	return 0;
}

int h_json_object(struct http_request *req, struct jsonread *d,
		  const struct jr_val **obj, struct buf *err)
{
	int rc = jsonread_parse(d, req->body.data, req->body.len, err);
	if (rc < 0)
		return rc;
	*obj = jsonread_root(d);
	if ((*obj)->type != JR_OBJ)
		return tb_err(err, TB_EINVAL, "the body must be a JSON object");
	return 0;
}

int h_case_id(struct http_request *req, int64_t *id, struct buf *err)
{
	return cases_parse_id(http_param(req, "id"), id, err);
}

int h_json_done(struct http_response *res, int rc, struct buf *err)
{
	if (rc == 0)
		rc = buf_addc(&res->body, '\n');
	return rc < 0 && err->len == 0 ? tb_err(err, rc, "memori habis") : rc;
}
