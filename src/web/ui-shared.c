/*
 * What every page shares: the security headers, the layout's keys (office,
 * who is signed in, the CSRF token) and the error pages.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/html.h"
#include "core/str.h"
#include "eligibility/eligibility.h"
#include "http/pool.h"
#include "web/web_int.h"
#include "workflow/workflow.h"

const char *web_kind_label(const char *kind)
{
	return strcmp(kind, "card") == 0 ? "Kartu KIS" : "Surat SPM";
}

int web_headers(struct http_response *res, unsigned flags)
{
	/* Once per answer: an error page may follow a handler that set them. */
	for (int i = 0; i < res->nheaders; i++)
		if (strcmp(res->headers[i].name, "Content-Security-Policy") == 0)
			return 0;
	/* An attachment (PDF or image) is a document, not a page: nothing
	 * runs in it, and only our own case page may frame it. */
	int rc = http_res_header(res, "Content-Security-Policy",
				 flags & WEB_FRAMED ? WEB_CSP_FRAMED
				 : flags & WEB_PDF_FRAME ? WEB_CSP_FRAME : WEB_CSP);
	if (rc == 0)
		rc = http_res_header(res, "Referrer-Policy", "no-referrer");
	/* For browsers older than frame-ancestors. */
	if (rc == 0)
		rc = http_res_header(res, "X-Frame-Options",
				     flags & WEB_FRAMED ? "SAMEORIGIN" : "DENY");
	/* Pages hold personal data: never kept by a browser or a proxy. */
	if (rc == 0 && !(flags & WEB_CACHE))
		rc = http_res_header(res, "Cache-Control", "no-store");
	return rc;
}

/* 1 when the page table lets role GET path: a link is shown only where
 * following it would not be refused. */
static int page_allows(const char *path, enum role role)
{
	for (size_t i = 0; i < web_pages_len; i++)
		if (!strcmp(web_pages[i].method, "GET") &&
		    !strcmp(web_pages[i].pattern, path))
			return (web_pages[i].roles & ROUTE_ROLE(role)) != 0;
	return 0;
}

int web_layout_view(struct web_req *w)
{
	struct tmpl_view *v = w->view;
	const struct http_app *app = w->app;
	const struct cases_actor *actor = w->actor;
	const char *sid = w->session;
	/* The ETag without its quotes names this version of the sheet. */
	tmpl_put_fmt(v, "css", "/static/terbit.css?v=%.16s", w->web->css_etag + 1);
	const char *office = app && app->policy
				     ? policy_setting(app->policy, "office_name")
				     : NULL;
	int rc = tmpl_put_str(v, "office", office ? office : "terbit");
	if (actor) {
		struct tmpl_view *me = tmpl_put_view(v, "me");
		struct buf region = BUF_INIT;
		if (actor->region[0])
			region_dotted(&region, actor->region);
		tmpl_put_str(me, "name", actor->name);
		tmpl_put_str(me, "role", role_label(actor->role));
		tmpl_put_str(me, "region", region.data);
		tmpl_put_bool(me, "dashboard",
			      page_allows("/dasbor", actor->role));
		buf_release(&region);
	}
	if (sid) {
		char tok[WEB_CSRF_LEN + 1];
		web_csrf_token(sid, tok);
		rc = tmpl_put_str(v, "csrf", tok);
	}
	return rc;
}

/* What each refusal says: a title for the <h1> and what to do next. */
static const struct {
	int status;
	const char *title, *message;
} errors[] = {
	{ 400, "Permintaan tidak sah",
	  "Permintaan Anda tidak dapat diproses. Periksa isian Anda lalu coba lagi." },
	{ 403, "Akses ditolak",
	  "Anda tidak berwenang membuka halaman ini atau melakukan tindakan ini." },
	{ 404, "Halaman tidak ditemukan",
	  "Alamat yang Anda buka tidak ada. Periksa alamatnya atau kembali ke beranda." },
	{ 405, "Cara membuka tidak didukung",
	  "Halaman ini tidak dapat dibuka dengan cara tersebut. Kembali ke beranda." },
	{ 409, "Tidak dapat diproses",
	  "Tindakan ini tidak sesuai dengan keadaan data saat ini. Muat ulang halaman." },
	{ 413, "Isian terlalu besar",
	  "Berkas atau isian Anda melebihi batas. Lampiran paling besar 10 MB." },
	{ 415, "Jenis isian tidak didukung",
	  "Kirim formulir dari halaman ini, bukan dari aplikasi lain." },
	{ 422, "Syarat belum terpenuhi",
	  "Tindakan ini belum dapat dilakukan karena ada syarat yang belum terpenuhi." },
	{ 429, "Terlalu banyak permintaan",
	  "Anda mengirim terlalu banyak permintaan. Tunggu sebentar lalu coba lagi." },
	{ 503, "Layanan sedang berhenti",
	  "Layanan sedang dihentikan sementara. Coba lagi beberapa saat lagi." },
	{ 500, "Terjadi kesalahan",
	  "Terjadi kesalahan pada server. Coba lagi beberapa saat lagi; bila tetap "
	  "terjadi, hubungi administrator." },
};

/* Not signed in (or the session ended): to the sign-in page, and back
 * here after it when this was a page to look at. */
static int to_sign_in(struct http_request *req, struct http_response *res)
{
	struct buf loc = BUF_INIT;
	int rc = buf_adds(&loc, "/masuk");
	if (rc == 0 && (strcmp(req->method, "GET") == 0 ||
			strcmp(req->method, "HEAD") == 0) &&
	    strcmp(req->path, "/") != 0) {
		rc = buf_adds(&loc, "?next=");
		if (rc == 0)
			rc = html_url_part(&loc, req->path);
	}
	const char *v = rc == 0 ? pool_strdup(req->pool, loc.data) : NULL;
	buf_release(&loc);
	res->status = 303;
	res->content_type = "text/plain; charset=utf-8";
	buf_reset(&res->body);
	if (!v || http_res_header(res, "Location", v) < 0)
		return TB_ENOMEM;
	return web_headers(res, 0);
}

int web_error_page(struct http_request *req, struct http_response *res,
		   int status, int code, const char *detail)
{
	if (code == TB_EAUTH)
		return to_sign_in(req, res);
	size_t i = 0;
	while (i + 1 < ARRAY_SIZE(errors) && errors[i].status != status)
		i++;
	struct buf err = BUF_INIT;
	struct web_req w = { .http = req, .res = res, .actor = req->actor,
			     .session = req->session, .web = web_of(req),
			     .err = &err };
	w.app = http_app(req);
	int rc = web_headers(res, 0);
	if (rc == 0 && !(w.view = tmpl_view_new(req->pool)))
		rc = TB_ENOMEM;
	if (rc == 0)
		rc = web_layout_view(&w);
	if (rc == 0)
		rc = tmpl_put_str(w.view, "message", errors[i].message);
	/* The module's own Indonesian words say more; a fault's never. */
	if (rc == 0 && status < 500 && detail && *detail)
		rc = tmpl_put_str(w.view, "detail", detail);
	if (rc == 0)
		rc = web_render(&w, "error", errors[i].title);
	res->status = status;
	buf_release(&err);
	return rc;
}
