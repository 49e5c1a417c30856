/*
 * The administrator's home (users by role, where to go next) and the
 * health facility's short home: faskes works on the public verifier,
 * which needs no sign-in.
 */
#include <string.h>

#include "core/err.h"
#include "core/str.h"
#include "web/web_int.h"
#include "workflow/workflow.h"

struct role_counts {
	int active[ROLE__COUNT], disabled, must_change;
};

static int count_user(const struct store_user *u, void *arg)
{
	struct role_counts *c = arg;
	int r = role_parse(u->role);
	if (u->disabled)
		c->disabled++;
	else if (r >= 0)
		c->active[r]++;
	if (!u->disabled && u->must_change_password)
		c->must_change++;
	return 0;
}

int ui_home_admin(struct web_req *w)
{
	static const enum role order[] = { ROLE_DESA, ROLE_KECAMATAN,
					   ROLE_DINKES, ROLE_DINSOS,
					   ROLE_FASKES, ROLE_ADMIN };
	struct role_counts c = { { 0 }, 0, 0 };
	int rc = cases_user_each(w->store, w->actor, count_user, &c, w->err);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		struct tmpl_view *r = tmpl_add_row(w->view, "roles");
		tmpl_put_str(r, "label", role_label(order[i]));
		tmpl_put_int(r, "count", c.active[order[i]]);
	}
	tmpl_put_int(w->view, "disabled", c.disabled);
	tmpl_put_int(w->view, "must_change", c.must_change);
	if (http_query(w->http, "sandi"))
		tmpl_put_str(w->view, "notice", "Kata sandi Anda sudah diganti.");
	return web_render(w, "home_admin", "Beranda");
}

int ui_home_faskes(struct web_req *w)
{
	if (http_query(w->http, "sandi"))
		tmpl_put_str(w->view, "notice", "Kata sandi Anda sudah diganti.");
	return web_render(w, "home_faskes", "Beranda");
}
