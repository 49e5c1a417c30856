/*
 * The documents API: issuing through the gate, metadata, the PDF bytes,
 * revocation and reissue. Every rule (dinsos only, approved and eligible,
 * region) is in src/issue/; issuing and downloading are audited there.
 */
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "http/handlers.h"
#include "http/metrics.h"
#include "http/pool.h"

/* A string member the body must have. */
static int need_str(struct jsonread *d, const struct jr_val *obj,
		    const char *key, const char **out, struct buf *err)
{
	*out = jsonread_str(d, obj, key);
	return *out ? 0 : tb_err(err, TB_EINVAL, "\"%s\" wajib diisi", key);
}

/* The document just made or found, as the staff view, 201 when new. */
static int issued(struct http_response *res, const struct issue_result *r,
		  struct buf *err)
{
	if (!r->existing) {
		res->status = 201;
		metrics_inc(METRIC_DOCUMENTS_ISSUED, r->doc.kind);
	}
	return h_json_done(res, issue_doc_json(&r->doc, &res->body), err);
}

int h_doc_issue(struct http_request *req, struct http_response *res,
		struct buf *err)
{
	struct issue_ctx ctx;
	struct cases_actor a;
	struct issue_result r;
	struct jsonread d = { 0 };
	const struct jr_val *obj;
	const char *kind;
	int64_t id;
	int k, rc;
	if ((rc = h_issue_ctx(req, &ctx, err)) < 0 ||
	    (rc = h_actor(req, &a, err)) < 0 || (rc = h_case_id(req, &id, err)) < 0 ||
	    (rc = h_json_object(req, &d, &obj, err)) < 0 ||
	    (rc = need_str(&d, obj, "kind", &kind, err)) < 0)
		goto out;
	if ((rc = k = issue_kind_parse(kind, err)) < 0)
		goto out;
	rc = issue_document(&ctx, &a, id, (enum issue_kind)k, &r, NULL, err);
out:
	jsonread_release(&d);
	return rc < 0 ? rc : issued(res, &r, err);
}

int h_doc_get(struct http_request *req, struct http_response *res,
	      struct buf *err)
{
	struct cases_actor a;
	struct store *s;
	struct store_document doc;
	const char *serial = http_param(req, "serial");
	size_t n = serial ? strlen(serial) : 0;
	/* Route captures are whole segments, so "{serial}.pdf" arrives
	 * here too: the suffix asks for the bytes. */
	int pdf = n > 4 && strcmp(serial + n - 4, ".pdf") == 0;
	if (pdf && !(serial = pool_strndup(req->pool, serial, n - 4)))
		return tb_err(err, TB_ENOMEM, "memori habis");
	int rc;
	if ((rc = h_actor(req, &a, err)) < 0 || (rc = http_store(req, &s, err)) < 0)
		return rc;
	if (!pdf) {
		rc = issue_get(s, &a, serial, &doc, NULL, err);
		return rc < 0 ? rc
			      : h_json_done(res, issue_doc_json(&doc, &res->body),
					    err);
	}
	if ((rc = issue_fetch(s, &a, serial, &doc, &res->body, err)) < 0)
		return rc;
	res->content_type = "application/pdf";
	char *cd = pool_alloc(req->pool, 64);
	if (cd) {
		snprintf(cd, 64, "attachment; filename=\"%s-%s.pdf\"", doc.kind,
			 doc.serial);
		http_res_header(res, "Content-Disposition", cd);
	}
	return 0;
}

/* {"reason": "..."} of revoke and reissue. */
static int reason_body(struct http_request *req, struct jsonread *d,
		       const char **reason, struct buf *err)
{
	const struct jr_val *obj;
	int rc = h_json_object(req, d, &obj, err);
	return rc < 0 ? rc : need_str(d, obj, "reason", reason, err);
}

int h_doc_revoke(struct http_request *req, struct http_response *res,
		 struct buf *err)
{
	struct issue_ctx ctx;
	struct cases_actor a;
	struct store_document doc;
	struct jsonread d = { 0 };
	const char *reason;
	const char *serial = http_param(req, "serial");
	int rc;
	if ((rc = h_issue_ctx(req, &ctx, err)) < 0 ||
	    (rc = h_actor(req, &a, err)) < 0 ||
	    (rc = reason_body(req, &d, &reason, err)) < 0 ||
	    (rc = issue_revoke(&ctx, &a, serial, reason, err)) < 0 ||
	    /* The row as it is now, so the caller sees the revocation. */
	    (rc = issue_get(ctx.store, &a, serial, &doc, NULL, err)) < 0)
		goto out;
	rc = issue_doc_json(&doc, &res->body);
out:
	jsonread_release(&d);
	return h_json_done(res, rc, err);
}

int h_doc_reissue(struct http_request *req, struct http_response *res,
		  struct buf *err)
{
	struct issue_ctx ctx;
	struct cases_actor a;
	struct issue_result r;
	struct jsonread d = { 0 };
	const char *reason;
	int rc;
	if ((rc = h_issue_ctx(req, &ctx, err)) < 0 ||
	    (rc = h_actor(req, &a, err)) < 0 ||
	    (rc = reason_body(req, &d, &reason, err)) < 0)
		goto out;
	rc = issue_reissue(&ctx, &a, http_param(req, "serial"), reason, &r, NULL,
			   err);
out:
	jsonread_release(&d);
	return rc < 0 ? rc : issued(res, &r, err);
}
