/*
 * GET /.well-known/terbit/status: the registry's signed status list
 * (issue/status.h), from the server's one shared copy. Public, and made
 * for caches: a strong ETag (the list's bytes change only when a
 * document leaves force or the list is remade) and a max-age as long as
 * the server keeps one list, so a static host or an HTTP cache can carry
 * it and a phone asks again with If-None-Match for a 304.
 */
#include <string.h>

#include "core/err.h"
#include "http/handlers.h"
#include "http/pool.h"
#include "issue/status.h"

/* 1 when the If-None-Match value names etag ("*", or one of a list; a
 * weak W/ prefix compares too, as RFC 9110 says for this header). */
static int etag_matches(const char *inm, const char *etag)
{
	size_t n = strlen(etag);
	while (inm && *inm) {
		inm += strspn(inm, " \t,");
		if (*inm == '*')
			return 1;
		if (strncmp(inm, "W/", 2) == 0)
			inm += 2;
		if (strncmp(inm, etag, n) == 0 &&
		    (inm[n] == 0 || inm[n] == ',' || inm[n] == ' ' || inm[n] == '\t'))
			return 1;
		inm += strcspn(inm, ",");
	}
	return 0;
}

int h_status(struct http_request *req, struct http_response *res,
	     struct buf *err)
{
	const struct http_app *app;
	struct store *s;
	char etag[ISSUE_STATUS_ETAG_LEN];
	int rc = h_app(req, &app, err);
	if (rc == 0 && !app->status)
		rc = tb_err(err, TB_ENOTFOUND, "daftar status tidak diterbitkan "
			    "oleh layanan ini");
	if (rc == 0)
		rc = http_store(req, &s, err);
	if (rc == 0)
		rc = issue_status_cache_get(app->status, s, &res->body, etag, err);
	if (rc < 0)
		return rc;
	/* The header values must outlive the handler: the request's pool. */
	char *tag = pool_strdup(req->pool, etag);
	res->content_type = "text/plain; charset=utf-8";
	if (!tag || http_res_header(res, "ETag", tag) < 0 ||
	    http_res_header(res, "Cache-Control", "public, max-age=300") < 0)
		return tb_err(err, TB_ENOMEM, "memori habis");
	if (etag_matches(http_header(req, "If-None-Match"), etag)) {
		buf_reset(&res->body);
		res->status = 304;
	}
	return 0;
}
