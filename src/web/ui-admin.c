/*
 * The administrator's pages: users (list, add, disable, reset a password,
 * a new API token) and the keys in use. The rules (who may, what is
 * checked, what is audited) are the cases module's; these pages ask and
 * show.
 *
 * A secret (a new user's API token, a one-time password, a new token) is
 * shown once, in the answer to the POST that made it, with status 200
 * and no-store, instead of POST -> 303 -> GET: a redirect would have to
 * carry it in the URL (kept in history and logs) or keep it on the
 * server for the GET. docs/web.md, "Shown once", says what a reload does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/str.h"
#include "http/pool.h"
#include "sign/keys.h"
#include "web/web_int.h"
#include "workflow/workflow.h"

/* ---- users, collected from cases_user_each ---------------------------- */

struct users {
	struct store_user *u;
	size_t n, cap;
};

static int collect_user(const struct store_user *u, void *arg)
{
	struct users *l = arg;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		struct store_user *p = realloc(l->u, cap * sizeof *p);
		if (!p)
			return TB_ENOMEM;
		l->u = p;
		l->cap = cap;
	}
	l->u[l->n++] = *u;
	return 0;
}

static int users_load(struct web_req *w, struct users *l)
{
	int rc = cases_user_each(w->store, w->actor, collect_user, l, w->err);
	if (rc == TB_ENOMEM && !w->err->len)
		rc = tb_err(w->err, rc, "kehabisan memori");
	return rc;
}

/* The user of that name, or TB_ENOTFOUND. */
static int find_user(struct web_req *w, const char *name,
		     struct store_user *out)
{
	struct users l = { 0 };
	int rc = users_load(w, &l);
	if (rc < 0)
		goto out;
	rc = tb_err(w->err, TB_ENOTFOUND, "Pengguna itu tidak ada.");
	for (size_t i = 0; name && i < l.n; i++)
		if (strcmp(l.u[i].name, name) == 0) {
			*out = l.u[i];
			buf_reset(w->err);
			rc = 0;
			break;
		}
out:
	free(l.u);
	return rc;
}

/* The user named by the {name} capture. */
static int user_of_path(struct web_req *w, struct store_user *out)
{
	return find_user(w, http_param(w->http, "name"), out);
}

/* A secret leaves the process's memory once it is in the answer. */
static void secret_release(struct buf *b)
{
	if (b->data)
		explicit_bzero(b->data, b->len);
	buf_release(b);
}

static const char *role_word(const char *name)
{
	int r = role_parse(name);
	return r < 0 ? name : role_label((enum role)r);
}

/* A user's keys for a row or a page: name, role, region, state. */
static void user_view(struct tmpl_view *v, const struct store_user *u)
{
	struct buf b = BUF_INIT;
	tmpl_put_str(v, "name", u->name);
	tmpl_put_str(v, "role", role_word(u->role));
	if (u->region[0] && region_dotted(&b, u->region) == 0)
		tmpl_put_str(v, "region", b.data);
	tmpl_put_bool(v, "disabled", u->disabled);
	tmpl_put_bool(v, "must_change", u->must_change_password);
	buf_reset(&b);
	if (strlen(u->created_at) >= 10) {
		char day[11];
		memcpy(day, u->created_at, 10);
		day[10] = 0;
		if (fmt_date_id(&b, day) == 0)
			tmpl_put_str(v, "created", b.data);
		tmpl_put_str(v, "created_iso", u->created_at);
	}
	buf_release(&b);
}

/* ?hal=N, 1-based; anything else is the first page. */
static size_t page_of_query(struct web_req *w)
{
	const char *h = http_query(w->http, "hal");
	if (!h || !str_all_digits(h) || strlen(h) > 6)
		return 1;
	size_t n = (size_t)strtoul(h, NULL, 10);
	return n ? n : 1;
}

/* What a finished action says on the next page: a fixed table, so no
 * typed text ever travels in a URL. */
static const struct {
	const char *key, *text;
} notices[] = {
	{ "nonaktif", "Pengguna sudah dinonaktifkan. Sesi dan token API-nya "
		      "berhenti saat ini juga; ia tidak dapat masuk lagi." },
};

static void put_notice(struct web_req *w)
{
	const char *ok = http_query(w->http, "ok");
	for (size_t i = 0; ok && i < ARRAY_SIZE(notices); i++)
		if (strcmp(ok, notices[i].key) == 0)
			tmpl_put_str(w->view, "notice", notices[i].text);
}

/* ---- GET /admin/pengguna ---------------------------------------------- */

int ui_admin_users(struct web_req *w)
{
	struct users l = { 0 };
	size_t page = page_of_query(w), pages, first;
	int rc = users_load(w, &l);
	if (rc < 0)
		goto out;
	pages = l.n ? (l.n + CASES_PAGE - 1) / CASES_PAGE : 1;
	if (page > pages)
		page = pages;
	first = (page - 1) * CASES_PAGE;
	put_notice(w);
	tmpl_put_int(w->view, "total", (int64_t)l.n);
	tmpl_put_list(w->view, "users");
	for (size_t i = first; i < l.n && i < first + CASES_PAGE; i++)
		user_view(tmpl_add_row(w->view, "users"), &l.u[i]);
	if (pages > 1) {
		tmpl_put_int(w->view, "page", (int64_t)page);
		tmpl_put_int(w->view, "pages", (int64_t)pages);
		if (page > 1)
			tmpl_put_int(w->view, "prev", (int64_t)page - 1);
		if (page < pages)
			tmpl_put_int(w->view, "next", (int64_t)page + 1);
	}
	rc = web_render(w, "admin_users", "Pengguna");
out:
	free(l.u);
	return rc;
}

/* ---- adding a user ------------------------------------------------------ */

/* The role choices, the one chosen marked; the labels are the roles'. */
static void role_options(struct web_req *w, const char *chosen)
{
	static const enum role order[] = { ROLE_DESA, ROLE_KECAMATAN,
					   ROLE_DINKES, ROLE_DINSOS,
					   ROLE_FASKES, ROLE_ADMIN };
	tmpl_put_list(w->view, "roles");
	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		struct tmpl_view *o = tmpl_add_row(w->view, "roles");
		tmpl_put_str(o, "value", role_name(order[i]));
		tmpl_put_str(o, "label", role_label(order[i]));
		tmpl_put_bool(o, "selected", strcmp(chosen, role_name(order[i])) == 0);
	}
}

static int user_form(struct web_req *w, const char *name, const char *role,
		     const char *region)
{
	tmpl_put_str(w->view, "name", name);
	tmpl_put_str(w->view, "region", region);
	role_options(w, role);
	return web_render(w, "admin_user_new", "Tambah pengguna");
}

int ui_admin_user_new(struct web_req *w)
{
	return user_form(w, "", "", "");
}

/*
 * The page that shows a secret once: the answer to the POST itself
 * (200, no-store like every page). what: "token" or "password".
 */
static int show_secret(struct web_req *w, const struct store_user *u,
		       const char *title, const char *what, const char *secret)
{
	user_view(tmpl_put_view(w->view, "user"), u);
	tmpl_put_str(w->view, "secret", secret);
	tmpl_put_bool(w->view, what, 1);
	w->res->status = 200;
	return web_render(w, "admin_secret", title);
}

int ui_admin_user_new_post(struct web_req *w)
{
	const char *name = web_form(w, "name"), *role = web_form(w, "role");
	const char *region = web_form(w, "region");
	struct cases_field_errors fe;
	struct store_user u = { 0 };
	struct buf token = BUF_INIT, title = BUF_INIT;
	int rc = cases_user_add_form(w->store, w->actor, name, role, region,
				     &token, &fe, w->err);
	if (rc == TB_EINVAL && fe.n) {
		static const char *const fields[] = { "name", "role", "region" };
		char key[32];
		for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
			const char *m = cases_field_error_msg(&fe, fields[i]);
			snprintf(key, sizeof key, "%s_error", fields[i]);
			if (m)
				tmpl_put_str(w->view, key, m);
		}
		buf_reset(w->err);
		w->res->status = 422;
		rc = user_form(w, name, role, region);
		goto out;
	}
	if (rc < 0)
		goto out;
	/* Shown as stored: what cases_user_add kept (region as digits). */
	if ((rc = find_user(w, name, &u)) < 0)
		goto out;
	rc = TB_ENOMEM;
	if (buf_addf(&title, "Pengguna %s ditambahkan", u.name) < 0) {
		tb_err(w->err, rc, "kehabisan memori");
		goto out;
	}
	tmpl_put_bool(w->view, "added", 1);
	rc = show_secret(w, &u, title.data, "token", token.data);
out:
	secret_release(&token);
	buf_release(&title);
	return rc;
}

/* ---- one user: GET /admin/pengguna/{name} and its actions -------------- */

int ui_admin_user(struct web_req *w)
{
	struct store_user u;
	struct buf title = BUF_INIT;
	int rc = user_of_path(w, &u);
	if (rc < 0)
		goto out;
	put_notice(w);
	user_view(tmpl_put_view(w->view, "user"), &u);
	/* An admin cannot disable themself (cases refuses it too): the
	 * button is not offered. */
	tmpl_put_bool(w->view, "self", strcmp(u.name, w->actor->name) == 0);
	if ((rc = buf_addf(&title, "Pengguna %s", u.name)) < 0) {
		rc = tb_err(w->err, TB_ENOMEM, "kehabisan memori");
		goto out;
	}
	rc = web_render(w, "admin_user", title.data);
out:
	buf_release(&title);
	return rc;
}

int ui_admin_user_disable(struct web_req *w)
{
	struct store_user u;
	struct buf loc = BUF_INIT;
	int rc = user_of_path(w, &u);
	if (rc < 0)
		return rc;
	if ((rc = cases_user_disable(w->store, w->actor, u.name, w->err)) < 0)
		return rc;
	/* The name is [A-Za-z0-9._-] (cases_user_add): safe in a path. */
	if (buf_addf(&loc, "/admin/pengguna/%s?ok=nonaktif", u.name) < 0)
		rc = tb_err(w->err, TB_ENOMEM, "kehabisan memori");
	else
		rc = web_redirect(w, loc.data);
	buf_release(&loc);
	return rc;
}

/* The two actions that make a secret: a one-time password or a new API
 * token, shown once in this answer. */
static int user_secret(struct web_req *w, int password)
{
	struct store_user u;
	struct buf secret = BUF_INIT, title = BUF_INIT;
	int rc = user_of_path(w, &u);
	if (rc < 0)
		goto out;
	rc = password ? cases_password_reset(w->store, w->actor, u.name,
					     &secret, w->err)
		      /* No expiry from the page: `terbit user token --expires`
		       * sets one. */
		      : cases_token_new(w->store, w->actor, u.name, 0, &secret,
					w->err);
	if (rc < 0)
		goto out;
	/* Re-read: a reset sets the must-change flag the page shows. */
	if ((rc = find_user(w, u.name, &u)) < 0)
		goto out;
	if (buf_addf(&title, password ? "Kata sandi sekali pakai untuk %s"
				      : "Token API baru untuk %s", u.name) < 0) {
		rc = tb_err(w->err, TB_ENOMEM, "kehabisan memori");
		goto out;
	}
	rc = show_secret(w, &u, title.data, password ? "password" : "token",
			 secret.data);
out:
	secret_release(&secret);
	buf_release(&title);
	return rc;
}

int ui_admin_user_password(struct web_req *w)
{
	return user_secret(w, 1);
}

int ui_admin_user_token(struct web_req *w)
{
	return user_secret(w, 0);
}

/* ---- GET /admin/kunci: the keys in use ---------------------------------- */

static const char *key_kind_word(enum keyring_kind k)
{
	return k == KEYRING_QR    ? "Kunci kode QR"
	       : k == KEYRING_PDF ? "Penanda tangan PDF"
				  : "Otoritas sertifikat (CA)";
}

/* "2031-11-30" -> "30 November 2031" under key, and how near it is. */
static void put_expiry(struct tmpl_view *v, const char *iso)
{
	struct buf b = BUF_INIT;
	int y, m, d;
	if (!*iso || date_parse(iso, &y, &m, &d) < 0)
		return;
	if (fmt_date_id(&b, iso) == 0)
		tmpl_put_str(v, "until", b.data);
	tmpl_put_str(v, "until_iso", iso);
	int64_t left = date_to_days(y, m, d) - date_today();
	/* A signer past its date makes letters no reader trusts; 90 days
	 * is time to get and import a new certificate. */
	if (left < 0)
		tmpl_put_bool(v, "expired", 1);
	else if (left <= 90)
		tmpl_put_bool(v, "expiring", 1);
	buf_release(&b);
}

static int key_row(const struct keyring_entry *e, void *arg)
{
	struct web_req *w = arg;
	struct tmpl_view *r = tmpl_add_row(w->view, "keys");
	struct buf b = BUF_INIT;
	if (!r)
		return TB_ENOMEM;
	tmpl_put_str(r, "kind", key_kind_word(e->kind));
	tmpl_put_str(r, "kid", e->kid);
	tmpl_put_str(r, "subject", e->subject);
	tmpl_put_bool(r, "current", e->current);
	tmpl_put_bool(r, "revoked", e->revoked);
	if (*e->not_before && fmt_date_id(&b, e->not_before) == 0)
		tmpl_put_str(r, "from", b.data);
	put_expiry(r, e->not_after);
	buf_release(&b);
	return 0;
}

int ui_admin_keys(struct web_req *w)
{
	int rc = 0;
	tmpl_put_list(w->view, "keys");
	if (w->app->keys &&
	    (rc = keyring_each(w->app->keys, key_row, w)) < 0)
		return tb_err(w->err, rc, "kehabisan memori");
	return web_render(w, "admin_keys", "Kunci penandatanganan");
}
