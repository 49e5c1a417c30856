/*
 * The public verifier: what a QR code opens (HTML for people), the same
 * answer as JSON for apps, a PDF upload, the NIK check and the public
 * keys. No login; every route is rate limited per address by the server
 * (the NIK check doubly). Verification takes the fast path (VERIFY_FAST)
 * on this thread's store handle with the keyring loaded once.
 */
#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "core/json.h"
#include "http/handlers.h"
#include "http/metrics.h"
#include "http/page.h"
#include "sign/keys.h"

/* Metric labels: fixed words, never request data. */
static const char *const result_labels[] = {
	[VERIFY_VALID] = "valid",       [VERIFY_REVOKED] = "revoked",
	[VERIFY_SUPERSEDED] = "superseded", [VERIFY_EXPIRED] = "expired",
	[VERIFY_UNKNOWN] = "unknown",   [VERIFY_FORGED] = "forged",
};

static void count(const struct verify_result *r)
{
	metrics_inc(METRIC_VERIFICATIONS,
		    (unsigned)r->state <= VERIFY_FORGED ? result_labels[r->state]
							: "forged");
}

/* The token capture through verify_token; every malformed token is a
 * verdict (FORGED), never an error. */
static int check(struct http_request *req, struct verify_result *r,
		 struct buf *err)
{
	const struct http_app *app;
	struct store *s;
	int rc = h_app(req, &app, err);
	if (rc < 0 || (rc = http_store(req, &s, err)) < 0)
		return rc;
	const char *token = http_param(req, "token");
	rc = verify_token(s, app->keys, token ? token : "", VERIFY_FAST, r, err);
	if (rc == 0)
		count(r);
	return rc;
}

int h_verify_page(struct http_request *req, struct http_response *res,
		  struct buf *err)
{
	struct verify_result r;
	int rc = check(req, &r, err);
	if (rc < 0)
		return rc;
	res->content_type = "text/html; charset=utf-8";
	http_res_header(res, "Content-Security-Policy", PAGE_CSP);
	http_res_header(res, "Referrer-Policy", "no-referrer");
	rc = page_verify(&res->body, &r);
	return rc < 0 ? tb_err(err, rc, "memori habis") : 0;
}

int h_verify_json(struct http_request *req, struct http_response *res,
		  struct buf *err)
{
	struct verify_result r;
	int rc = check(req, &r, err);
	if (rc < 0)
		return rc;
	return h_json_done(res, verify_result_json(&r, &res->body), err);
}

int h_verify_pdf(struct http_request *req, struct http_response *res,
		 struct buf *err)
{
	const struct http_app *app;
	struct store *s;
	struct verify_result r;
	int rc = h_app(req, &app, err);
	if (rc < 0 || (rc = http_store(req, &s, err)) < 0 ||
	    (rc = verify_pdf(s, app->keys, req->body.data, req->body.len, &r,
			     err)) < 0)
		return rc;
	count(&r);
	return h_json_done(res, verify_result_json(&r, &res->body), err);
}

/* The NIK from {"nik":"..."} or a text/plain body of the digits (a
 * trailing newline allowed, as `curl --data-binary @file` sends). */
static int body_nik(struct http_request *req, struct jsonread *d,
		    const char **nik, struct buf *err)
{
	const char *type = http_header(req, "Content-Type");
	if (type && strncasecmp(type, "text/plain", 10) == 0) {
		struct buf *b = &req->body;
		while (b->len && (b->data[b->len - 1] == '\n' ||
				  b->data[b->len - 1] == '\r'))
			buf_truncate(b, b->len - 1);
		*nik = b->data;
		return 0;
	}
	const struct jr_val *obj;
	int rc = h_json_object(req, d, &obj, err);
	if (rc < 0)
		return rc;
	*nik = jsonread_str(d, obj, "nik");
	return *nik ? 0 : tb_err(err, TB_EINVAL, "NIK wajib diisi (\"nik\")");
}

int h_verify_nik(struct http_request *req, struct http_response *res,
		 struct buf *err)
{
	const struct http_app *app;
	struct store *s;
	struct jsonread d = { 0 };
	const char *nik;
	int match = 0;
	int rc = h_app(req, &app, err);
	if (rc == 0)
		rc = http_store(req, &s, err);
	if (rc == 0)
		rc = body_nik(req, &d, &nik, err);
	if (rc == 0)
		rc = verify_nik_match(s, app->keys, http_param(req, "token"), nik,
				      &match, err);
	if (rc == 0) {
		struct json j;
		json_init(&j, &res->body);
		json_obj_open(&j, NULL);
		json_bool(&j, "match", match);
		json_obj_close(&j);
		rc = h_json_done(res, json_finish(&j), err);
	}
	jsonread_release(&d);
	return rc;
}

int h_keys(struct http_request *req, struct http_response *res,
	   struct buf *err)
{
	const struct http_app *app;
	int rc = h_app(req, &app, err);
	if (rc < 0)
		return rc;
	/* Public and slow to change: caches may keep it for an hour. */
	http_res_header(res, "Cache-Control", "public, max-age=3600");
	return h_json_done(res, keyring_public_json(app->keys, &res->body), err);
}
