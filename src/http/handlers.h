#ifndef TERBIT_HANDLERS_H
#define TERBIT_HANDLERS_H
/*
 * Route handlers, private to the http module: routes.c names them in the
 * table. Each one is thin (see route_handler in route.h).
 */
#include "cases/cases.h"
#include "core/jsonread.h"
#include "http/sw.h"
#include "http/server.h"
#include "issue/issue.h"

/* -- operations (h_ops.c) -- */
/* GET /healthz: 200 {"status":"ok"} when the database answers; 503 when
 * it does not or the server is draining. */
int h_healthz(struct http_request *req, struct http_response *res,
	      struct buf *err);
/* GET /metrics: Prometheus text format. */
int h_metrics(struct http_request *req, struct http_response *res,
	      struct buf *err);

/*
 * What the serve command loads once and every handler reads (the
 * backend's app pointer): shared read-only by all threads.
 */
struct http_app {
	const struct policy *policy;
	const struct render_ctx *render;
	const struct keyring *keys;
	const char *verifier_host;  /* NULL: the policy's */
	const struct sw_files *sw;   /* the phone's offline verifier */
	/* The signed status list's shared copy (issue/status.h); NULL when
	 * the server publishes none. */
	struct issue_status_cache *status;
	/* Other issuers' keys and status lists (`trust`); NULL: none. */
	const struct verify_others *others;
	/* The registry's rows in memory (issue/vindex.h), shared by the
	 * threads; NULL: every verification reads the database. */
	struct vindex *vindex;
};

/* -- shared handler steps (h_common.c) -- */
/* The app state; TB_EINTERNAL when the server was started without it. */
int h_app(struct http_request *req, const struct http_app **out,
	  struct buf *err);
/* The authenticated caller as a cases actor. */
int h_actor(struct http_request *req, struct cases_actor *out,
	    struct buf *err);
/* An issue context over this thread's store and the app's state. */
int h_issue_ctx(struct http_request *req, struct issue_ctx *ctx,
		struct buf *err);
/* The body as a JSON object (TB_EINVAL otherwise); d is the caller's to
 * release, also after a failure. */
int h_json_object(struct http_request *req, struct jsonread *d,
		  const struct jr_val **obj, struct buf *err);
/* The {id} capture as a case id (TB_EINVAL). */
int h_case_id(struct http_request *req, int64_t *id, struct buf *err);
/* Ends a JSON body with a newline; maps a buffer failure to TB_ENOMEM. */
int h_json_done(struct http_response *res, int rc, struct buf *err);

/* -- verification, public (h_verify.c) -- */
/* GET /V/{token}, /v/{token}: the Indonesian HTML page. */
int h_verify_page(struct http_request *req, struct http_response *res,
		  struct buf *err);
/* GET /api/v1/verify/{token}: verify_result_json. */
int h_verify_json(struct http_request *req, struct http_response *res,
		  struct buf *err);
/* POST /api/v1/verify (application/pdf): verify_pdf. */
int h_verify_pdf(struct http_request *req, struct http_response *res,
		 struct buf *err);
/* POST /api/v1/verify/{token}/nik: {"match": true|false}. */
int h_verify_nik(struct http_request *req, struct http_response *res,
		 struct buf *err);
/* POST /V/{token}, /v/{token} (a form, field nik): the page with the
 * answer of verify_nik_match, "cocok" or "tidak cocok". */
int h_verify_page_nik(struct http_request *req, struct http_response *res,
		      struct buf *err);
/* GET /.well-known/terbit/keys: keyring_public_json. */
int h_keys(struct http_request *req, struct http_response *res,
	   struct buf *err);
/* The offline verifier's files (http/sw.h): GET /V/sw.js and
 * /v/sw.js, /V/sw-register.js, /V/offline.html. */
int h_sw_worker(struct http_request *req, struct http_response *res,
		     struct buf *err);
int h_sw_register(struct http_request *req, struct http_response *res,
		       struct buf *err);
int h_sw_shell(struct http_request *req, struct http_response *res,
		    struct buf *err);

/* GET /.well-known/terbit/status: the signed status list (h_status.c). */
int h_status(struct http_request *req, struct http_response *res,
	     struct buf *err);

/* -- statistics (h_stats.c) -- */
/* GET /api/v1/stats?days=30 or ?month=YYYY-MM: stats_to_json. */
int h_stats(struct http_request *req, struct http_response *res,
	    struct buf *err);

/* -- cases, staff and village API (h_cases.c) -- */
int h_cases_list(struct http_request *req, struct http_response *res,
		 struct buf *err);
int h_case_create(struct http_request *req, struct http_response *res,
		  struct buf *err);
int h_case_show(struct http_request *req, struct http_response *res,
		struct buf *err);
int h_case_answers(struct http_request *req, struct http_response *res,
		   struct buf *err);
int h_case_attach(struct http_request *req, struct http_response *res,
		  struct buf *err);
int h_case_attachment(struct http_request *req, struct http_response *res,
		      struct buf *err);
int h_case_move(struct http_request *req, struct http_response *res,
		struct buf *err);
int h_case_eligibility(struct http_request *req, struct http_response *res,
		       struct buf *err);

/* -- documents (h_docs.c) -- */
/* POST /api/v1/cases/{id}/documents {"kind"}: the issue gate. */
int h_doc_issue(struct http_request *req, struct http_response *res,
		struct buf *err);
/* GET /api/v1/documents/{serial}: metadata; {serial}.pdf: the bytes. */
int h_doc_get(struct http_request *req, struct http_response *res,
	      struct buf *err);
int h_doc_revoke(struct http_request *req, struct http_response *res,
		 struct buf *err);
int h_doc_reissue(struct http_request *req, struct http_response *res,
		  struct buf *err);

#endif
