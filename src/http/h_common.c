/*
 * The steps every API handler shares: the app state, the caller as a
 * cases actor, the issue context, a JSON object body, the case id.
 */
#include <string.h>

#include "core/err.h"
#include "core/utf8.h"
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

/*
 * jsonread already refuses invalid UTF-8, NUL (\u0000) and lone
 * surrogates; a JSON escape can still carry any other control character
 * (\u001b), which no name, note or reason should hold. Tab and line
 * ends pass here (a note may have lines); the cases and issue modules
 * refuse them where a field is one line. English, as the API speaks.
 */
static int json_strings_ok(const struct jsonread *d, struct buf *err)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct jr_val *v = &d->v[i];
		const char *texts[2] = { v->key, v->type == JR_STR ? v->str : NULL };
		for (size_t t = 0; t < 2; t++) {
			const unsigned char *u = (const unsigned char *)texts[t];
			size_t n = u ? strlen(texts[t]) : 0;
			for (size_t k = 0; k < n;) {
				unsigned cp = 0;
				size_t len = utf8_seq_len(u + k, n - k, &cp);
				if (len == 0)
					return tb_err(err, TB_EINVAL,
						      "invalid UTF-8 in a string");
				if ((cp < 0x20 && cp != '\t' && cp != '\n' &&
				     cp != '\r') || (cp >= 0x7f && cp <= 0x9f))
					return tb_err(err, TB_EINVAL,
						      "the string %s%s%s holds a control "
						      "character (U+%04X)",
						      v->key ? "in member \"" : "",
						      v->key ? v->key : "",
						      v->key ? "\"" : "", cp);
				k += len;
			}
		}
	}
	return 0;
}

int h_json_object(struct http_request *req, struct jsonread *d,
		  const struct jr_val **obj, struct buf *err)
{
	int rc = jsonread_parse(d, req->body.data, req->body.len, err);
	if (rc < 0 || (rc = json_strings_ok(d, err)) < 0)
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
