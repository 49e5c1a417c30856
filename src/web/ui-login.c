/*
 * Signing in and out, changing one's own password, the stylesheet. The
 * rules (hashing, throttling, sessions, audit) are the accounts' in
 * cases; these pages only ask and show.
 */
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "http/pool.h"
#include "web/web_int.h"

/* ?next= / the form's next: where to go after signing in. Only a path
 * of ours (web_redirect refuses the rest), never /masuk itself. */
static const char *next_of(const char *given)
{
	if (!given || given[0] != '/' || given[1] == '/' || given[1] == '\\' ||
	    strncmp(given, "/masuk", 6) == 0)
		return "/";
	return given;
}

static int login_page(struct web_req *w, const char *name, const char *next)
{
	tmpl_put_str(w->view, "name", name);
	tmpl_put_str(w->view, "next", next);
	return web_render(w, "login", "Masuk");
}

int ui_login(struct web_req *w)
{
	return login_page(w, "", next_of(http_query(w->http, "next")));
}

int ui_login_post(struct web_req *w)
{
	const char *name = web_form(w, "name"), *pw = web_form(w, "password");
	const char *next = next_of(web_form(w, "next"));
	const char *old = http_cookie(w->http, w->web->cookie);
	struct buf sid = BUF_INIT;
	struct cases_actor a;
	unsigned retry = 0;
	int rc;
	if (!*name || !*pw) {
		w->res->status = 422;
		tmpl_put_str(w->view, !*name ? "name_error" : "password_error",
			     !*name ? "Isi nama pengguna Anda."
				    : "Isi kata sandi Anda.");
		return login_page(w, name, next);
	}
	rc = cases_login(w->store, name, pw, w->http->client, &sid, &a, &retry,
			 w->err);
	if (rc == TB_EAUTH) {
		/* One message for an unknown name and a wrong password: the
		 * page must not tell which names exist. */
		w->res->status = 422;
		tmpl_put_str(w->view, "password_error",
			     "Nama pengguna atau kata sandi salah.");
		rc = login_page(w, name, next);
		goto out;
	}
	if (rc == TB_ERATE) {
		char *ra = pool_alloc(w->http->pool, 16);
		w->res->status = 429;
		if (ra && snprintf(ra, 16, "%u", retry) > 0)
			http_res_header(w->res, "Retry-After", ra);
		if (retry >= 120)
			tmpl_put_fmt(w->view, "password_error", "Terlalu banyak "
				     "percobaan gagal. Coba lagi dalam %u menit.",
				     (retry + 59) / 60);
		else
			tmpl_put_fmt(w->view, "password_error", "Terlalu banyak "
				     "percobaan gagal. Coba lagi dalam %u detik.",
				     retry ? retry : 1);
		rc = login_page(w, name, next);
		goto out;
	}
	if (rc < 0)
		goto out;
	/* A session this browser held before is ended: the new id is the
	 * only one that signs this browser in. */
	if (old && *old)
		cases_logout(w->store, old, NULL);
	rc = web_set_session(w, sid.data);
	if (rc == 0)
		rc = web_redirect(w, next);
out:
	buf_release(&sid);
	return rc;
}

int ui_logout(struct web_req *w)
{
	int rc = cases_logout(w->store, w->session, w->err);
	if (rc < 0 && rc != TB_EAUTH && rc != TB_ENOTFOUND)
		return rc;
	rc = web_set_session(w, NULL);
	return rc < 0 ? rc : web_redirect(w, "/masuk");
}

int ui_password(struct web_req *w)
{
	return web_render(w, "password", "Ganti kata sandi");
}

int ui_password_post(struct web_req *w)
{
	const char *old = web_form(w, "old"), *pw = web_form(w, "new");
	const char *again = web_form(w, "again");
	int rc = 0;
	if (strcmp(pw, again) != 0) {
		tmpl_put_str(w->view, "again_error",
			     "Kata sandi baru dan ulangannya tidak sama.");
	} else if ((rc = cases_password_change(w->store, w->actor, old, pw,
					       w->err)) == TB_EAUTH) {
		tmpl_put_str(w->view, "old_error", "Kata sandi lama salah.");
	} else if (rc == TB_EINVAL) {
		tmpl_put_str(w->view, "new_error", w->err->data);
	} else if (rc < 0) {
		return rc;
	} else {
		return web_redirect(w, "/?sandi=1");
	}
	/* What was typed stays out of the page: these are passwords. */
	w->res->status = 422;
	return web_render(w, "password", "Ganti kata sandi");
}

int ui_home(struct web_req *w)
{
	/* After a password change every home says so (each home template
	 * shows the notice). */
	if (http_query(w->http, "sandi"))
		tmpl_put_str(w->view, "notice", "Kata sandi Anda sudah diganti.");
	switch (w->actor->role) {
	case ROLE_DESA:
		return ui_home_desa(w);
	case ROLE_DINKES:
	case ROLE_KECAMATAN:
	case ROLE_DINSOS:
		return ui_home_office(w);
	case ROLE_ADMIN:
		return ui_home_admin(w);
	case ROLE_FASKES:
		/* No case data: the page points to the public verifier. */
		return ui_home_faskes(w);
	default:
		return web_render(w, "home", "Beranda");
	}
}

int ui_static_css(struct web_req *w)
{
	const struct web *web = w->web;
	const char *inm = http_header(w->http, "If-None-Match");
	/* The layout links it as ?v=<ETag>: a new stylesheet is a new URL,
	 * so a browser may keep this one for a year. */
	if (http_res_header(w->res, "Cache-Control",
			    "public, max-age=31536000, immutable") < 0 ||
	    http_res_header(w->res, "ETag", web->css_etag) < 0)
		return tb_err(w->err, TB_EINTERNAL, "terlalu banyak header");
	w->res->content_type = "text/css; charset=utf-8";
	buf_reset(&w->res->body);
	if (inm && strcmp(inm, web->css_etag) == 0) {
		w->res->status = 304;
		return 0;
	}
	return buf_add(&w->res->body, web->css.data, web->css.len) < 0
		       ? tb_err(w->err, TB_ENOMEM, "kehabisan memori")
		       : 0;
}
