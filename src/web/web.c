/*
 * The web module's glue: the page table, the one dispatcher every page
 * goes through (origin and CSRF checks, forced password change, headers,
 * the view with the layout's keys), rendering into the layout, the
 * session cookie, and loading templates and the stylesheet at start.
 */
#include "web/web_int.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/digest.h"
#include "core/err.h"
#include "core/str.h"
#include "http/pool.h"
#include "workflow/workflow.h"

/* Every signed-in user: a page decides more through the modules. */
#define ANY ROUTE_ANY_USER
/* The administrator's pages. */
#define ADMIN ROUTE_ROLE(ROLE_ADMIN)
/* The roles that work on cases: the village and the three offices. */
#define DESA ROUTE_ROLE(ROLE_DESA)
#define DINSOS ROUTE_ROLE(ROLE_DINSOS)
#define STAFF (DESA | ROUTE_ROLE(ROLE_DINKES) | ROUTE_ROLE(ROLE_KECAMATAN) | DINSOS)
/* The dashboard: everyone with case figures in their scope (faskes has
 * none: stats_compute refuses it too). */
#define DASHBOARD (ROUTE_ROLE(ROLE_DINSOS) | ROUTE_ROLE(ROLE_DINKES) |      \
		   ROUTE_ROLE(ROLE_ADMIN) | ROUTE_ROLE(ROLE_KECAMATAN) |     \
		   ROUTE_ROLE(ROLE_DESA))

const struct web_page web_pages[] = {
	/* -- signing in and out, own password -- */
	{ "GET", "/masuk", ui_login, ROUTE_PUBLIC, 0, 0 },
	{ "POST", "/masuk", ui_login_post, ROUTE_PUBLIC, WEB_FORM_MAX, 0 },
	{ "POST", "/keluar", ui_logout, ANY, WEB_FORM_MAX, WEB_NO_PWCHANGE },
	{ "GET", "/sandi", ui_password, ANY, 0, WEB_NO_PWCHANGE },
	{ "POST", "/sandi", ui_password_post, ANY, WEB_FORM_MAX, WEB_NO_PWCHANGE },
	/* -- home per role -- */
	{ "GET", "/", ui_home, ANY, 0, 0 },
	/* -- administration -- */
	{ "GET", "/admin/pengguna", ui_admin_users, ADMIN, 0, 0 },
	{ "GET", "/admin/pengguna/baru", ui_admin_user_new, ADMIN, 0, 0 },
	{ "POST", "/admin/pengguna/baru", ui_admin_user_new_post, ADMIN, WEB_FORM_MAX, 0 },
	{ "GET", "/admin/pengguna/{name}", ui_admin_user, ADMIN, 0, 0 },
	{ "POST", "/admin/pengguna/{name}/nonaktifkan", ui_admin_user_disable, ADMIN, WEB_FORM_MAX, 0 },
	{ "POST", "/admin/pengguna/{name}/sandi", ui_admin_user_password, ADMIN, WEB_FORM_MAX, 0 },
	{ "POST", "/admin/pengguna/{name}/token", ui_admin_user_token, ADMIN, WEB_FORM_MAX, 0 },
	{ "GET", "/admin/kunci", ui_admin_keys, ADMIN, 0, 0 },
	/* -- office queues, documents, printing -- */
	{ "GET", "/antrean", ui_queue, ROUTE_ROLE(ROLE_DINKES) |
		ROUTE_ROLE(ROLE_KECAMATAN) | ROUTE_ROLE(ROLE_DINSOS), 0, 0 },
	{ "GET", "/dokumen", ui_docs, ROUTE_ROLE(ROLE_DINSOS), 0, 0 },
	/* Who may see a document is the case's scope (issue_get), as the
	 * API's GET /api/v1/documents/{serial}: the village downloads its
	 * own here too ("/dokumen/{serial}.pdf"). */
	{ "GET", "/dokumen/{serial}", ui_doc, ROUTE_ROLE(ROLE_DESA) |
		ROUTE_ROLE(ROLE_DINKES) | ROUTE_ROLE(ROLE_KECAMATAN) |
		ROUTE_ROLE(ROLE_DINSOS), 0, 0 },
	{ "POST", "/dokumen/{serial}/cabut", ui_doc_revoke,
	  ROUTE_ROLE(ROLE_DINSOS), WEB_FORM_MAX, 0 },
	{ "POST", "/dokumen/{serial}/terbitkan-ulang", ui_doc_reissue,
	  ROUTE_ROLE(ROLE_DINSOS), WEB_FORM_MAX, 0 },
	{ "POST", "/dokumen/{serial}/cetak-ulang", ui_doc_reprint,
	  ROUTE_ROLE(ROLE_DINSOS), WEB_FORM_MAX, 0 },
	{ "GET", "/cetak", ui_print, ROUTE_ROLE(ROLE_DINSOS), 0, 0 },
	{ "POST", "/cetak/kartu", ui_print_cards, ROUTE_ROLE(ROLE_DINSOS),
	  WEB_FORM_MAX, 0 },
	{ "POST", "/cetak/surat", ui_print_letters, ROUTE_ROLE(ROLE_DINSOS),
	  WEB_FORM_MAX, 0 },
	/* -- village and case pages -- */
	{ "GET", "/penduduk", ui_residents, DESA, 0, 0 },
	{ "GET", "/penduduk/baru", ui_resident_new, DESA, 0, 0 },
	{ "POST", "/penduduk/baru", ui_resident_new_post, DESA, WEB_FORM_MAX, 0 },
	{ "GET", "/penduduk/{nik}", ui_resident, DESA, 0, 0 },
	{ "POST", "/penduduk/{nik}", ui_resident_correct, DESA, WEB_FORM_MAX, 0 },
	{ "POST", "/kasus", ui_case_open, DESA, WEB_FORM_MAX, 0 },
	{ "GET", "/kasus/{id}", ui_case, STAFF, 0, WEB_PDF_FRAME },
	{ "POST", "/kasus/{id}/pindah", ui_case_move, STAFF, WEB_FORM_MAX, WEB_PDF_FRAME },
	{ "POST", "/kasus/{id}/terbitkan", ui_case_issue, DINSOS, WEB_FORM_MAX, WEB_PDF_FRAME },
	{ "GET", "/kasus/{id}/survei", ui_survey, DESA, 0, 0 },
	{ "POST", "/kasus/{id}/survei", ui_survey_post, DESA, WEB_FORM_MAX, 0 },
	{ "POST", "/kasus/{id}/lampiran", ui_attach_post, DESA, WEB_UPLOAD_MAX, WEB_PDF_FRAME },
	{ "GET", "/kasus/{id}/lampiran/{att}", ui_attach_get, STAFF, 0, WEB_FRAMED },
	{ "GET", "/unduh/{serial}", ui_download, STAFF, 0, 0 },
	/* -- dashboard and reports -- */
	{ "GET", "/dasbor", ui_dashboard, DASHBOARD, 0, 0 },
	{ "GET", "/dasbor/laporan.pdf", ui_dashboard_pdf, DASHBOARD, 0, 0 },
	{ "GET", "/dasbor/laporan.csv", ui_dashboard_csv, DASHBOARD, 0, 0 },
	/* -- the one stylesheet, cached -- */
	{ "GET", "/static/terbit.css", ui_static_css, ROUTE_PUBLIC, 0, WEB_CACHE },
};

const size_t web_pages_len = ARRAY_SIZE(web_pages);

const struct web *web_of(const struct http_request *req)
{
	const struct http_web *h = http_web_of(req);
	/* hooks is struct web's first member. */
	return h ? (const struct web *)(const void *)h : NULL;
}

/* ---- CSRF ------------------------------------------------------------ */

void web_csrf_token(const char *sid, char out[WEB_CSRF_LEN + 1])
{
	static const char prefix[] = "terbit-csrf:";
	unsigned char md[SHA256_LEN];
	size_t n = strlen(sid);
	char *msg = malloc(sizeof prefix + n);
	if (!msg) {
		/* A token nobody can match: the form is refused, not
		 * accepted. */
		memset(out, 'x', WEB_CSRF_LEN);
		out[WEB_CSRF_LEN] = '\0';
		return;
	}
	memcpy(msg, prefix, sizeof prefix - 1);
	memcpy(msg + sizeof prefix - 1, sid, n);
	digest_sha256(msg, sizeof prefix - 1 + n, md);
	free(msg);
	str_hex(out, md, WEB_CSRF_LEN / 2);
}

int web_csrf_ok(const char *sid, const char *token)
{
	char want[WEB_CSRF_LEN + 1];
	if (!sid || !token || strlen(token) != WEB_CSRF_LEN)
		return 0;
	web_csrf_token(sid, want);
	return digest_equal(want, token, WEB_CSRF_LEN);
}

/*
 * A POST made by another site's page. Sec-Fetch-Site, where the browser
 * sends it, decides. Otherwise Origin, when it names a site, must name
 * the host this request came to (scheme not compared: behind a TLS proxy
 * we see http while the browser says https). Origin "null" is what our
 * own forms send under Referrer-Policy: no-referrer, so it proves
 * nothing either way; neither header (curl, old browsers) neither: the
 * CSRF token decides then.
 */
static int cross_site(const struct http_request *req)
{
	const char *site = http_header(req, "Sec-Fetch-Site");
	if (site)
		return strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0;
	const char *origin = http_header(req, "Origin");
	if (!origin || strcmp(origin, "null") == 0)
		return 0;
	const char *host = http_header(req, "Host");
	const char *p = strstr(origin, "://");
	return !host || !p || strcmp(p + 3, host) != 0;
}

/* ---- the dispatcher ---------------------------------------------------- */

static const struct web_page *page_of(const struct route *r)
{
	/* web_routes copied the pointers: the same literal is the same row. */
	for (size_t i = 0; i < web_pages_len; i++)
		if (web_pages[i].pattern == r->pattern &&
		    web_pages[i].method == r->method)
			return &web_pages[i];
	return NULL;
}

/* A refused form: the 403 page, written here and not through the
 * server's deny, so that nothing (not even an audit row) is written for
 * a request another site made the browser send. */
static int forbid_form(struct web_req *w, const char *why)
{
	w->res->status = 403;
	return web_error_page(w->http, w->res, 403, TB_EPERM, why);
}

static int dispatch(struct http_request *req, struct http_response *res,
		    struct buf *err)
{
	const struct web_page *pg = page_of(req->route);
	struct web_req w = { .http = req, .res = res, .page = pg,
			     .actor = req->actor, .session = req->session,
			     .web = web_of(req), .err = err };
	int rc = pg && w.web ? h_app(req, &w.app, err)
			     : tb_err(err, TB_EINTERNAL, "halaman tidak terdaftar");
	if (rc < 0)
		return rc;
	if ((rc = web_headers(res, pg->flags)) < 0)
		return tb_err(err, rc, "terlalu banyak header");
	if (strcmp(req->method, "POST") == 0) {
		if (cross_site(req))
			return forbid_form(&w, "Formulir ini dikirim dari situs lain, "
					   "jadi tidak diproses.");
		if (w.session && !web_csrf_ok(w.session, web_form(&w, "csrf")))
			return forbid_form(&w, "Formulir ini sudah kedaluwarsa atau "
					   "tidak lengkap. Muat ulang halaman lalu "
					   "kirim lagi.");
	}
	if (w.actor && w.actor->must_change_password &&
	    !(pg->flags & WEB_NO_PWCHANGE))
		return web_redirect(&w, "/sandi");
	if (!(pg->flags & WEB_CACHE) && (rc = http_store(req, &w.store, err)) < 0)
		return rc;
	if (!(w.view = tmpl_view_new(req->pool)) ||
	    web_layout_view(&w) < 0)
		return tb_err(err, TB_ENOMEM, "kehabisan memori");
	return pg->handler(&w);
}

int web_routes(const struct route *api, size_t n_api, struct route **out,
	       size_t *n_out, struct buf *err)
{
	struct route *t = calloc(n_api + web_pages_len, sizeof *t);
	if (!t)
		return tb_err(err, TB_ENOMEM, "kehabisan memori");
	memcpy(t, api, n_api * sizeof *t);
	for (size_t i = 0; i < web_pages_len; i++) {
		const struct web_page *p = &web_pages[i];
		t[n_api + i] = (struct route){
			p->method, p->pattern, dispatch, p->roles, p->body_max,
			p->body_max ? (p->body_max > WEB_FORM_MAX
				       ? "multipart/form-data"
				       : "application/x-www-form-urlencoded,"
					 "multipart/form-data")
				    : NULL,
			ROUTE_WEB };
	}
	*out = t;
	*n_out = n_api + web_pages_len;
	return 0;
}

/* ---- what handlers call -------------------------------------------------- */

int web_render(struct web_req *w, const char *name, const char *title)
{
	struct buf body = BUF_INIT;
	int rc = tmpl_put_str(w->view, "title", title);
	body.max = WEB_PAGE_MAX;
	if (rc == 0)
		rc = tmpl_render(w->web->tmpl, name, w->view, &body, w->err);
	if (rc == 0)
		rc = web_render_body(w, body.data, title);
	buf_release(&body);
	return rc;
}

int web_render_body(struct web_req *w, const char *html, const char *title)
{
	int rc = tmpl_put_str(w->view, "title", title);
	if (rc == 0)
		rc = tmpl_put_html(w->view, "body", html);
	buf_reset(&w->res->body);
	w->res->body.max = WEB_PAGE_MAX;
	if (rc == 0)
		rc = tmpl_render(w->web->tmpl, "layout", w->view,
				 &w->res->body, w->err);
	w->res->content_type = "text/html; charset=utf-8";
	return rc;
}

int web_redirect(struct web_req *w, const char *path)
{
	/* Same-site paths only, so a ?next= cannot send anyone elsewhere. */
	if (!path || path[0] != '/' || path[1] == '/' || path[1] == '\\' ||
	    strpbrk(path, "\r\n"))
		path = "/";
	const char *loc = pool_strdup(w->http->pool, path);
	w->res->status = 303;
	w->res->content_type = "text/plain; charset=utf-8";
	buf_reset(&w->res->body);
	if (!loc || http_res_header(w->res, "Location", loc) < 0)
		return tb_err(w->err, TB_ENOMEM, "kehabisan memori");
	return 0;
}

const char *web_form(const struct web_req *w, const char *name)
{
	const char *v = http_form_get(w->http->form, name);
	return v ? v : "";
}

const struct http_file *web_file(const struct web_req *w, const char *name)
{
	return http_form_get_file(w->http->form, name);
}

int web_set_session(struct web_req *w, const char *sid)
{
	const struct web *web = w->web;
	char *v = pool_alloc(w->http->pool, 256);
	if (!v)
		return tb_err(w->err, TB_ENOMEM, "kehabisan memori");
	/* A browser-session cookie: the server ends it after 30 minutes
	 * idle or 12 hours in any case; the browser forgets it on close. */
	snprintf(v, 256, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s",
		 web->cookie, sid ? sid : "", web->secure ? "; Secure" : "",
		 sid ? "" : "; Max-Age=0");
	return http_res_header(w->res, "Set-Cookie", v) < 0
		       ? tb_err(w->err, TB_EINVAL, "cookie tidak sah")
		       : 0;
}

/* ---- start and stop ------------------------------------------------------- */

/* Loopback: the browser is on this machine, plain http is the only way
 * in, and a Secure cookie would never come back. */
static int loopback(const char *listen)
{
	return strncmp(listen, "127.", 4) == 0 || strncmp(listen, "[::1]", 5) == 0 ||
	       strncmp(listen, "localhost:", 10) == 0;
}

int web_new(const char *root, const struct config *cfg, struct web **out,
	    struct buf *err)
{
	struct buf path = BUF_INIT;
	unsigned char md[SHA256_LEN];
	struct web *w = calloc(1, sizeof *w);
	int rc = TB_ENOMEM;
	*out = NULL;
	if (!w)
		return tb_err(err, rc, "kehabisan memori");
	buf_init(&w->css, 0);
	if (strcmp(cfg->secure_cookies, "on") == 0)
		w->secure = 1;
	else if (strcmp(cfg->secure_cookies, "auto") == 0)
		w->secure = !loopback(cfg->listen);
	else if (strcmp(cfg->secure_cookies, "off") != 0) {
		rc = tb_err(err, TB_EINVAL, "secure_cookies harus on, off atau "
			    "auto, bukan '%s'", cfg->secure_cookies);
		goto out;
	}
	/* __Host-: the browser takes it only with Secure, Path=/ and no
	 * Domain, so a sibling host cannot plant one. */
	snprintf(w->cookie, sizeof w->cookie, "%sterbit_sid",
		 w->secure ? "__Host-" : "");
	w->hooks.cookie = w->cookie;
	w->hooks.error_page = web_error_page;
	if ((rc = buf_addf(&path, "%s/templates", root)) < 0 ||
	    (rc = tmpl_set_load(path.data, &w->tmpl, err)) < 0)
		goto out;
	static const char *const needed[] = { "layout", "error" };
	for (size_t i = 0; i < ARRAY_SIZE(needed); i++)
		if (!tmpl_has(w->tmpl, needed[i])) {
			rc = tb_err(err, TB_EINVAL, "%s/%s.html tidak ada",
				    path.data, needed[i]);
			goto out;
		}
	buf_reset(&path);
	if ((rc = buf_addf(&path, "%s/static/terbit.css", root)) < 0 ||
	    (rc = buf_read_file(&w->css, path.data, 1u << 20, err)) < 0)
		goto out;
	if (!(w->stats = stats_cache_new())) {
		rc = TB_ENOMEM;
		goto out;
	}
	digest_sha256(w->css.data, w->css.len, md);
	snprintf(w->css_etag, sizeof w->css_etag,
		 "\"%02x%02x%02x%02x%02x%02x%02x%02x\"", md[0], md[1], md[2],
		 md[3], md[4], md[5], md[6], md[7]);
	*out = w;
	w = NULL;
	rc = 0;
out:
	if (rc == TB_ENOMEM && err && !err->len)
		tb_err(err, rc, "kehabisan memori");
	web_free(w);
	buf_release(&path);
	return rc;
}

void web_free(struct web *w)
{
	if (!w)
		return;
	tmpl_set_free(w->tmpl);
	stats_cache_free(w->stats);
	buf_release(&w->css);
	free(w);
}

const struct http_web *web_hooks(const struct web *w)
{
	return &w->hooks;
}
