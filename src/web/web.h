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
/* Rows flagged WEB_FRAMED (the attachment itself) may be framed by our
 * own pages only, and run nothing. object-src 'self': Chromium's PDF
 * viewer shows the document through an embed that this policy governs;
 * without it the frame stays an empty grey box (seen in web_case.sh's
 * screenshots). */
#define WEB_CSP_FRAMED "default-src 'none'; img-src 'self'; object-src 'self'; " \
		"frame-ancestors 'self'; base-uri 'none'"

/* Body limits for rows: a form of text fields, and one with an upload
 * (an attachment is up to 10 MB, store.h's STORE_ATTACH_MAX, plus the
 * multipart framing and the form's other fields). */
#define WEB_FORM_MAX (64u * 1024)
#define WEB_UPLOAD_MAX (STORE_ATTACH_MAX + 64u * 1024)

/* Row flags. */
#define WEB_PDF_FRAME 1u  /* WEB_CSP_FRAME instead of WEB_CSP */
#define WEB_CACHE 2u      /* the handler sets its own Cache-Control */
#define WEB_NO_PWCHANGE 4u /* reachable while a password change is due */
#define WEB_FRAMED 8u     /* an attachment shown in a frame of our own pages:
			   * frame-ancestors 'self', not 'none' */

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
/* The same with the page's body already rendered (html, markup made
 * by code from a template: the dashboard keeps its body with the
 * figures it shows). */
int web_render_body(struct web_req *w, const char *html, const char *title);
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
/* A document kind ("letter", "card") as the staff pages name it, one
 * name on every page: the card is the KIS the card itself says it is. */
const char *web_kind_label(const char *kind);

/* ---- shared page helpers ------------------------------------------ */

struct issue_ctx;
/* The issue context over this request's store and the app's policy,
 * render context, keys and verifier host (as the API's h_issue_ctx):
 * for pages that issue, revoke, reissue or print (web_issue.c).
 * TB_EINTERNAL when the server was started without them. */
int web_issue_ctx(const struct web_req *w, struct issue_ctx *ctx);

/* ---- pages (ui-*.c) ------------------------------------------------- */

int ui_login(struct web_req *w);        /* GET /masuk */
int ui_login_post(struct web_req *w);   /* POST /masuk */
int ui_logout(struct web_req *w);       /* POST /keluar */
int ui_password(struct web_req *w);     /* GET /sandi */
int ui_password_post(struct web_req *w);/* POST /sandi */
int ui_home(struct web_req *w);         /* GET / */
int ui_static_css(struct web_req *w);   /* GET /static/terbit.css */

/* -- administration (ui-admin.c, ui-home-admin.c) -- */
int ui_home_admin(struct web_req *w);   /* GET / for admin */
int ui_home_faskes(struct web_req *w);  /* GET / for faskes */
int ui_admin_users(struct web_req *w);  /* GET /admin/pengguna */
int ui_admin_user_new(struct web_req *w);      /* GET /admin/pengguna/baru */
int ui_admin_user_new_post(struct web_req *w); /* POST: token shown once */
int ui_admin_user(struct web_req *w);          /* GET /admin/pengguna/{name} */
int ui_admin_user_disable(struct web_req *w);  /* POST .../nonaktifkan */
int ui_admin_user_password(struct web_req *w); /* POST .../sandi: shown once */
int ui_admin_user_token(struct web_req *w);    /* POST .../token: shown once */
int ui_admin_keys(struct web_req *w);   /* GET /admin/kunci */
/* -- office queues, documents, printing (ui-queue.c, ui-home-office.c,
 *    ui-docs.c, ui-print.c) -- */
int ui_queue(struct web_req *w);        /* GET /antrean */
int ui_home_office(struct web_req *w);  /* home of dinkes, kecamatan, dinsos */
int ui_docs(struct web_req *w);         /* GET /dokumen?q= */
int ui_doc(struct web_req *w);          /* GET /dokumen/{serial}[.pdf] */
int ui_doc_revoke(struct web_req *w);   /* POST /dokumen/{serial}/cabut */
int ui_doc_reissue(struct web_req *w);  /* POST .../terbitkan-ulang */
int ui_doc_reprint(struct web_req *w);  /* POST .../cetak-ulang */
int ui_print(struct web_req *w);        /* GET /cetak */
int ui_print_cards(struct web_req *w);  /* POST /cetak/kartu: to CUPS, or the sheet PDF */
int ui_print_letters(struct web_req *w);/* POST /cetak/surat: to CUPS */
/* Pieces the office pages share (ui-queue.c, ui-docs.c). */
struct store_document;
/* ?hal=N (1 when absent or malformed) as a list offset; *page gets N. */
size_t ui_page_offset(const struct web_req *w, int *page);
/* The view's "pager" {page, pages, prev, next} when total needs more
 * than one page; base is the list's path with its query. */
int ui_pager(struct web_req *w, const char *base, int page, size_t total);
/* "3 jam", "2 hari" (until core/fmt.h has the shared formatter). */
int ui_put_wait(struct tmpl_view *v, const char *key, int64_t seconds);
/* ISO UTC -> "30 November 2026 pukul 10.30 WIB". */
int ui_put_when(struct tmpl_view *v, const char *key, const char *iso);
/* Days since 1970 -> "30 November 2026". */
int ui_put_days(struct tmpl_view *v, const char *key, int64_t days);
/* A case state as "state" (its label) and "state_class" (pill colour). */
int ui_put_state(struct tmpl_view *v, const char *state);
const char *ui_state_pill(const char *state);
/* A village code as "35.10.05.2001". */
int ui_put_village(struct tmpl_view *v, const char *key, const char *code);
/* A document's state today as "doc_state" (the verifier's word) and
 * "doc_class" (its colour). */
int ui_put_doc_state(struct tmpl_view *v, const struct store_document *d);
/* -- village and case pages -- */
int ui_home_desa(struct web_req *w);        /* GET / for desa (ui-home-desa.c) */
int ui_residents(struct web_req *w);        /* GET /penduduk?q= (ui-resident.c) */
int ui_resident_new(struct web_req *w);     /* GET /penduduk/baru */
int ui_resident_new_post(struct web_req *w);/* POST /penduduk/baru */
int ui_resident(struct web_req *w);         /* GET /penduduk/{nik} */
int ui_resident_correct(struct web_req *w); /* POST /penduduk/{nik} */
int ui_case_open(struct web_req *w);        /* POST /kasus (ui-case.c) */
int ui_case(struct web_req *w);             /* GET /kasus/{id} */
int ui_case_move(struct web_req *w);        /* POST /kasus/{id}/pindah */
int ui_case_issue(struct web_req *w);       /* POST /kasus/{id}/terbitkan */
int ui_survey(struct web_req *w);           /* GET /kasus/{id}/survei (ui-survey.c) */
int ui_survey_post(struct web_req *w);      /* POST /kasus/{id}/survei */
int ui_attach_post(struct web_req *w);      /* POST /kasus/{id}/lampiran (ui-attach.c) */
int ui_attach_get(struct web_req *w);       /* GET /kasus/{id}/lampiran/{att} */
int ui_download(struct web_req *w);         /* GET /unduh/{serial}.pdf */
/* Helpers of these pages that any page may use (ui-case.c): */
/* key: a stored UTC timestamp as "30 November 2026 pukul 10.30 WIB";
 * key_iso: the timestamp itself, for a title attribute. */
int web_put_when(struct tmpl_view *v, const char *key, const char *iso);
/* state: the state's label; state_class: its pill's colour class. */
int web_put_state(struct tmpl_view *v, const char *state_name);
/* key: the NIK in its groups; key_raw: as stored (for links). */
int web_put_nik(struct tmpl_view *v, const char *key, const char *nik);
/* The {name} capture as a case id; TB_ENOTFOUND (the 404 page) when it
 * is not one, as for a case that does not exist. */
int web_case_id(const struct web_req *w, const char *name, int64_t *id);
/* -- dashboard and reports (ui-dashboard.c) -- */
int ui_dashboard(struct web_req *w);     /* GET /dasbor */
int ui_dashboard_pdf(struct web_req *w); /* GET /dasbor/laporan.pdf */
int ui_dashboard_csv(struct web_req *w); /* GET /dasbor/laporan.csv */

#endif
