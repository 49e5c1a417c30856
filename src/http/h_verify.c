/*
 * The public verifier: what a QR code opens (HTML for people), the same
 * answer as JSON for apps, a PDF upload, the NIK check and the public
 * keys. No login; every route is rate limited per address by the server
 * (the NIK check doubly). Verification takes the fast path (VERIFY_FAST)
 * with the keyring loaded once; the token routes read registry rows from
 * the server's shared index in memory (issue/vindex.h) when it has one,
 * else from this thread's store handle, and keep their answers in this
 * thread's cache (vcache.h), good until anything is committed or the
 * day changes.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/ids.h"
#include "core/json.h"
#include "core/log.h"
#include "http/form.h"
#include "http/etag.h"
#include "http/handlers.h"
#include "http/metrics.h"
#include "http/page.h"
#include "http/vcache.h"
#include "issue/vindex.h"
#include "sign/keys.h"

/* Metric labels: fixed words, never request data. */
static const char *const result_labels[] = {
	[VERIFY_VALID] = "valid",       [VERIFY_REVOKED] = "revoked",
	[VERIFY_SUPERSEDED] = "superseded", [VERIFY_EXPIRED] = "expired",
	[VERIFY_UNKNOWN] = "unknown",   [VERIFY_FORGED] = "forged",
	[VERIFY_STALE] = "stale",
};

static void count_state(int state)
{
	metrics_inc(METRIC_VERIFICATIONS,
		    (unsigned)state <= VERIFY_STALE ? result_labels[state]
						     : "forged");
}

static void count(const struct verify_result *r)
{
	count_state((int)r->state);
}

/* A verifying thread's own: its answer cache, and the stamp its
 * snapshot had when it last brought the shared index up to date. */
struct verifier {
	struct vcache *vc;
	struct store_stamp synced;
	int has_synced;
};

static void verifier_release(void *p)
{
	struct verifier *v = p;
	vcache_free(v->vc);
	free(v);
}

/* This thread's state; NULL (no caching, no index) when memory runs
 * out. */
static struct verifier *thread_verifier(struct http_request *req)
{
	struct http_thread_slot *slot = http_thread_slot(req);
	if (!slot)
		return NULL;
	if (!slot->p) {
		struct verifier *v = calloc(1, sizeof *v);
		if (!v || !(v->vc = vcache_new())) {
			free(v);
			return NULL;
		}
		slot->p = v;
		slot->free_fn = verifier_release;
	}
	return slot->p;
}

/* The index, brought up to this thread's snapshot when the stamp moved
 * since this thread last did; NULL (the database path) without one, or
 * when the sync failed, which is logged: a stale index is never read. */
static struct vindex *synced_index(const struct http_app *app,
				   struct store *s, struct verifier *v,
				   const struct store_stamp *st)
{
	if (!app->vindex)
		return NULL;
	if (v->has_synced && v->synced.others == st->others &&
	    v->synced.own == st->own)
		return app->vindex;
	struct buf err = BUF_INIT;
	int rc = vindex_sync(app->vindex, s, &err);
	if (rc < 0)
		log_error("verifikasi: indeks memori: %s", err.data);
	buf_release(&err);
	if (rc < 0)
		return NULL;
	v->synced = *st;
	v->has_synced = 1;
	return app->vindex;
}

/* The page is made and kept with its time mark (page.h); the time of
 * this request goes in as it is sent, so a kept page never shows the
 * time it was first made. */
static int emit(enum vcache_kind k, struct buf *out, const char *body,
		size_t len)
{
	/* Room for the time of the check too, in one allocation. */
	int rc = buf_grow(out, len + 64);
	if (rc == 0)
		rc = k == VCACHE_PAGE ? page_stamp(out, body, len, clock_now())
				      : buf_add(out, body, len);
	return rc;
}

static int render(enum vcache_kind k, const struct verify_result *r,
		  struct buf *out)
{
	static const struct page_check unstamped = { .now = -1 };
	return k == VCACHE_PAGE ? page_verify(out, r, &unstamped)
				: verify_result_json(r, out);
}

/*
 * The answer for the token capture, from this thread's cache when the
 * database and the day are where they were when it was made, else through
 * verify_token (every malformed token is a verdict, FORGED, never an
 * error). The stamp is taken before the lookup, so an entry is never
 * newer than its stamp says.
 */
static int answer(struct http_request *req, enum vcache_kind k,
		  struct buf *out, int *state_out, struct buf *err)
{
	const struct http_app *app;
	struct store *s;
	struct verify_result r;
	struct store_stamp st;
	int rc = h_app(req, &app, err);
	/* The snapshot held since the last answer stays (store_read_hold
	 * below decides whether it may). */
	if (rc < 0 || (rc = http_store_keep(req, &s, err)) < 0)
		return rc;
	const char *token = http_param(req, "token");
	if (!token)
		token = "";
	int64_t today = date_today();
	struct verifier *v = thread_verifier(req);
	struct vcache *vc = v ? v->vc : NULL;
	struct vindex *ix = NULL;
	/* Every answer not from the cache is read on a snapshot begun
	 * after the stamp (store.h), so a commit that moved the stamp is
	 * in it. Without a cache there is no stamp: nothing is held. */
	if (!vc)
		store_read_release(s);
	if (vc && (store_stamp(s, &st, err) < 0 ||
		   store_read_hold(s, &st, err) < 0)) {
		/* The lookup below will say what is wrong. */
		buf_reset(err);
		store_read_release(s);
		vc = NULL;
	}
	if (vc)
		ix = synced_index(app, s, v, &st);
	const char *body;
	size_t len;
	int state;
	if (vc && vcache_get(vc, token, &st, today, k, &body, &len, &state) == 0) {
		count_state(state);
		*state_out = state;
		return emit(k, out, body, len);
	}
	if ((rc = verify_token_indexed(s, ix, app->keys, app->others, token,
				       VERIFY_FAST, &r, err)) < 0)
		return rc;
	count(&r);
	*state_out = (int)r.state;
	struct buf made = BUF_INIT;
	/* The page is about 3 KB: grown from 64 bytes by doubling it was
	 * six reallocations an answer. */
	if ((rc = buf_grow(&made, k == VCACHE_PAGE ? 4096 : 512)) == 0 &&
	    (rc = render(k, &r, &made)) == 0) {
		/* A full cache entry only costs speed, never the answer. */
		if (vc && r.found)
			vcache_put(vc, token, &st, today, k, (int)r.state,
				   made.data, made.len);
		rc = emit(k, out, made.data, made.len);
	}
	buf_release(&made);
	return rc;
}

/*
 * How long others may keep an answer (docs/server.md). A VALID one for a
 * minute, by any cache, so a cache in front absorbs a code scanned again
 * and again; a revocation then shows everywhere within that minute.
 * REVOKED, SUPERSEDED and EXPIRED are final but asked again each time
 * (no-cache: the ETag makes that a 304). UNKNOWN and FORGED are not kept
 * at all: a document issued a moment ago is UNKNOWN on a verifier whose
 * copy of the registry has not caught up yet, and junk should not fill
 * caches.
 */
static const char *cache_control(int state)
{
	switch (state) {
	case VERIFY_VALID:
		return "public, max-age=60";
	case VERIFY_REVOKED:
	case VERIFY_SUPERSEDED:
	case VERIFY_EXPIRED:
		return "no-cache";
	default:
		return "no-store";
	}
}

/* The answer of kind k as the response, with its ETag (a 304 when the
 * client has it already). */
static int respond(struct http_request *req, struct http_response *res,
		   enum vcache_kind k, struct buf *err)
{
	int state = VERIFY_FORGED;
	int rc = answer(req, k, &res->body, &state, err);
	if (rc == 0 && k == VCACHE_JSON)
		rc = h_json_done(res, 0, err);
	if (rc == 0)
		rc = http_res_etag(req, res, cache_control(state));
	if (rc < 0)
		return err->len ? rc : tb_err(err, rc, "memori habis");
	return 0;
}

int h_verify_page(struct http_request *req, struct http_response *res,
		  struct buf *err)
{
	int rc = respond(req, res, VCACHE_PAGE, err);
	if (rc < 0)
		return rc;
	res->content_type = "text/html; charset=utf-8";
	http_res_header(res, "Content-Security-Policy", PAGE_CSP);
	http_res_header(res, "Referrer-Policy", "no-referrer");
	return 0;
}

int h_verify_json(struct http_request *req, struct http_response *res,
		  struct buf *err)
{
	return respond(req, res, VCACHE_JSON, err);
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

/* The typed NIK without the spaces a clerk may copy from a grouped
 * print ("3510 05 ..."); anything else is left for verify_nik_match to
 * refuse. Never logged, never written into the answer. */
static void nik_typed(const char *in, char out[NIK_LEN + 2])
{
	size_t n = 0;
	for (; in && *in && n <= NIK_LEN; in++)
		if (*in != ' ')
			out[n++] = *in;
	out[n] = 0;
}

int h_verify_page_nik(struct http_request *req, struct http_response *res,
		      struct buf *err)
{
	const struct http_app *app;
	struct store *s;
	struct verify_result r;
	struct page_check c = { .now = clock_now(), .nik = PAGE_NIK_NONE };
	char nik[NIK_LEN + 2];
	const char *token = http_param(req, "token");
	int rc = h_app(req, &app, err);
	if (rc == 0)
		rc = http_store(req, &s, err);
	if (rc == 0)
		rc = verify_token(s, app->keys, token, VERIFY_FAST, &r, err);
	if (rc < 0)
		return rc;
	count(&r);
	if (r.found) {
		/* The API's own check: the same function and, through the
		 * route's ROUTE_STRICT_RATE, the same per-address bucket. */
		int match = 0;
		nik_typed(req->form ? http_form_get(req->form, "nik") : NULL,
			  nik);
		rc = verify_nik_match(s, app->keys, token, nik, &match, err);
		if (rc == TB_EINVAL) {
			buf_reset(err);
			c.nik = PAGE_NIK_BAD;
			res->status = 400;
		} else if (rc < 0) {
			return rc;
		} else {
			c.nik = match ? PAGE_NIK_MATCH : PAGE_NIK_MISMATCH;
		}
	}
	res->content_type = "text/html; charset=utf-8";
	http_res_header(res, "Content-Security-Policy", PAGE_CSP);
	http_res_header(res, "Referrer-Policy", "no-referrer");
	/* An answer about one person's NIK: kept by no cache. */
	http_res_header(res, "Cache-Control", "no-store");
	if (page_verify(&res->body, &r, &c) < 0)
		return tb_err(err, TB_ENOMEM, "memori habis");
	return 0;
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

/*
 * The worker's files by handler, with the policy each answer carries: the
 * worker may fetch from our own origin only; the shell is the page's
 * policy without script. 404 from a server started without them.
 */
enum sw_which { SW_WORKER, SW_REG, SW_SHELL };
static const struct {
	size_t member;          /* offsetof(struct sw_files, ...) */
	const char *csp;        /* NULL: none */
} sw_rows[] = {
	[SW_WORKER] = { offsetof(struct sw_files, worker),
			     "default-src 'none'; connect-src 'self'" },
	[SW_REG] = { offsetof(struct sw_files, reg), NULL },
	[SW_SHELL] = { offsetof(struct sw_files, shell),
			    PAGE_SHELL_CSP },
};

static int sw_file(struct http_request *req, struct http_response *res,
			enum sw_which which, struct buf *err)
{
	const struct http_app *app;
	int rc = h_app(req, &app, err);
	if (rc < 0)
		return rc;
	if (!app->sw)
		return tb_err(err, TB_ENOTFOUND, "tidak ada");
	const struct sw_file *f =
		(const void *)((const char *)app->sw +
			       sw_rows[which].member);
	if (sw_rows[which].csp)
		rc = http_res_header(res, "Content-Security-Policy",
				     sw_rows[which].csp);
	if (rc == 0)
		rc = sw_file_serve(f, req, res);
	return rc < 0 ? tb_err(err, rc, "memori habis") : 0;
}

int h_sw_worker(struct http_request *req, struct http_response *res,
		     struct buf *err)
{
	return sw_file(req, res, SW_WORKER, err);
}

int h_sw_register(struct http_request *req, struct http_response *res,
		       struct buf *err)
{
	return sw_file(req, res, SW_REG, err);
}

int h_sw_shell(struct http_request *req, struct http_response *res,
		    struct buf *err)
{
	return sw_file(req, res, SW_SHELL, err);
}
