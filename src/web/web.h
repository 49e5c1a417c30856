#ifndef TERBIT_WEB_H
#define TERBIT_WEB_H
/*
 * The web application: server-rendered Indonesian pages for people in a
 * browser, on the same server, modules and authentication as the API
 * (docs/web.md). This header is the module's whole contract: the page
 * table page engineers add rows to, the request a page handler gets, and
 * the calls it makes. No SQL and no libharu here: pages call cases_* and
 * issue_* only.
 *
 * A page, start to end:
 *
 *   // ui-thing.c
 *   int ui_thing(struct web_req *w)
 *   {
 *       tmpl_put_str(w->view, "name", ...);          // view in w->http->pool
 *       struct tmpl_view *row = tmpl_add_row(w->view, "rows");
 *       ...
 *       return web_render(w, "thing", "Judul halaman");  // templates/thing.html
 *   }
 *   // web.c, web_pages[]:
 *   { "GET", "/thing/{id}", ui_thing, STAFF, 0, 0 },
 *
 * What every row gets before its handler runs (web.c, one place):
 *   - sign-in by the session cookie (cases_authenticate, CASES_CRED_SESSION)
 *     on rows with roles; a browser that is not signed in is sent to
 *     /masuk?next=<path> (303); a role the row does not take: 403 page and
 *     the API's access.denied audit row;
 *   - a user who must change their password is sent to /sandi first;
 *   - POST: the Origin / Sec-Fetch-Site of another site and, on rows with
 *     roles, a missing or wrong CSRF token are refused with a 403 page
 *     before the handler runs (nothing is written, not even an audit row:
 *     the request is another site's, not the user's);
 *   - the security headers (WEB_CSP, nosniff, no-referrer, no-store).
 * A handler returning a negative TB_E code gets the matching Indonesian
 * error page (TB_EPERM: the 403 page and the audit row, like the API).
 * Forms keep what was typed and show errors beside the fields: the
 * handler renders its template again with the values and messages, and
 * sets w->res->status (422) itself.
 */
#include <stddef.h>

#include "cases/cases.h"
#include "http/config.h"
#include "http/form.h"
#include "http/handlers.h"
#include "http/route.h"
#include "http/server.h"
#include "web/tmpl.h"

/* Every page's Content-Security-Policy: no script at all, our one
 * stylesheet, images from us or data: URLs, forms only to us, never in a
 * frame. */
#define WEB_CSP "default-src 'none'; style-src 'self'; img-src 'self' data:; " \
		"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
/* Rows flagged WEB_PDF_FRAME (a page showing an attachment inline) also
 * allow our own PDFs and images in a frame or object. */
#define WEB_CSP_FRAME WEB_CSP "; frame-src 'self'; object-src 'self'"

/* Body limits for rows: a form of text fields, and one with an upload
 * (an attachment is up to 10 MB, store.h's STORE_ATTACH_MAX, plus the
 * multipart framing and the form's other fields). */
#define WEB_FORM_MAX (64u * 1024)
#define WEB_UPLOAD_MAX (STORE_ATTACH_MAX + 64u * 1024)

/* Row flags. */
#define WEB_PDF_FRAME 1u  /* WEB_CSP_FRAME instead of WEB_CSP */
#define WEB_CACHE 2u      /* the handler sets its own Cache-Control */
#define WEB_NO_PWCHANGE 4u /* reachable while a password change is due */

struct web;
struct web_req;

/* A page handler: fills w->res (usually through web_render or
 * web_redirect) and returns 0, or a negative TB_E code with an
 * Indonesian message in w->err for the error page. */
typedef int (*web_handler)(struct web_req *w);

struct web_page {
	const char *method;     /* "GET" or "POST" (HEAD is served by GET) */
	const char *pattern;    /* as http routes: "/kasus/{id}" */
	web_handler handler;
	unsigned roles;         /* ROUTE_ROLE bits; ROUTE_PUBLIC: signed out too */
	size_t body_max;        /* 0 for GET; WEB_FORM_MAX; WEB_UPLOAD_MAX */
	unsigned flags;         /* WEB_* row flags */
};

/* The table (web.c), in match order. */
extern const struct web_page web_pages[];
extern const size_t web_pages_len;

/* What a handler gets. */
struct web_req {
	struct http_request *http;        /* path, http_param, http_query, pool */
	struct http_response *res;        /* status 200 unless set */
	const struct web_page *page;
	/* The signed-in user (NULL on public rows) and the raw session id. */
	const struct cases_actor *actor;
	const char *session;
	struct store *store;              /* this thread's handle */
	const struct http_app *app;       /* policy, render context, keys */
	const struct web *web;
	/* The page's view, in the request's pool, with the layout's keys
	 * already in: office, me {name, role, region}, csrf. */
	struct tmpl_view *view;
	struct buf *err;
};

/*
 * Renders templates/<name>.html with w->view inside templates/layout.html
 * (whose {{title}} is the page's one <h1> and <title>) into w->res as
 * text/html. 0, or TB_ENOMEM / TB_ETOOBIG (a page past 256 KB).
 */
int web_render(struct web_req *w, const char *name, const char *title);
/* 303 See Other to path (a same-site path: anything else goes to "/"):
 * after every successful POST, so a reload never does it twice. */
int web_redirect(struct web_req *w, const char *path);
/* A form field's value ("" when absent) / an uploaded file (NULL). */
const char *web_form(const struct web_req *w, const char *name);
const struct http_file *web_file(const struct web_req *w, const char *name);

/* ---- sessions and CSRF --------------------------------------------- */

/* The CSRF token of a session: hex(SHA-256("terbit-csrf:" || sid)), its
 * first WEB_CSRF_LEN characters. Derived, never stored: the cookie is
 * HttpOnly, so another site's page can read neither. */
#define WEB_CSRF_LEN 32
void web_csrf_token(const char *sid, char out[WEB_CSRF_LEN + 1]);
/* 1 when token is sid's, compared in constant time. */
int web_csrf_ok(const char *sid, const char *token);
/* The session cookie: sets it (sid) or ends it (sid NULL) on w->res. */
int web_set_session(struct web_req *w, const char *sid);

/* ---- the server's side ---------------------------------------------- */

/*
 * Loads root/templates (every template parsed now: an error names file
 * and line and the server does not start) and root/static/terbit.css,
 * and decides the cookie from cfg (secure_cookies: "on", "off", or
 * "auto": on unless listening on loopback). *out is the caller's to free
 * with web_free, after the server has stopped.
 */
int web_new(const char *root, const struct config *cfg, struct web **out,
	    struct buf *err);
void web_free(struct web *w);
/* For struct http_backend's web member. */
const struct http_web *web_hooks(const struct web *w);
/*
 * api[0..n_api) followed by a row per web page (ROUTE_WEB) in one new
 * table for http_server_start; *out is the caller's to free() after the
 * server has stopped.
 */
int web_routes(const struct route *api, size_t n_api, struct route **out,
	       size_t *n_out, struct buf *err);

/* ---- shared page pieces (ui-shared.c) -------------------------------- */

/* The error page for a refusal: the server's error_page hook (status,
 * code, the module's message or NULL). */
int web_error_page(struct http_request *req, struct http_response *res,
		   int status, int code, const char *detail);
/* Fills the layout's keys of w->view: office, me {name, role, region},
 * csrf, css (the stylesheet's URL with its version). */
int web_layout_view(struct web_req *w);
/* Adds the security headers every web answer carries. */
int web_headers(struct http_response *res, unsigned flags);

/* ---- pages (ui-*.c) ------------------------------------------------- */

int ui_login(struct web_req *w);        /* GET /masuk */
int ui_login_post(struct web_req *w);   /* POST /masuk */
int ui_logout(struct web_req *w);       /* POST /keluar */
int ui_password(struct web_req *w);     /* GET /sandi */
int ui_password_post(struct web_req *w);/* POST /sandi */
int ui_home(struct web_req *w);         /* GET / */
int ui_static_css(struct web_req *w);   /* GET /static/terbit.css */

/* -- dashboard and reports (ui-dashboard.c) -- */
int ui_dashboard(struct web_req *w);     /* GET /dasbor */
int ui_dashboard_pdf(struct web_req *w); /* GET /dasbor/laporan.pdf */
int ui_dashboard_csv(struct web_req *w); /* GET /dasbor/laporan.csv */

#endif
