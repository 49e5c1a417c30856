/*
 * The offices' home (/ for dinkes, kecamatan and dinsos): how many cases
 * wait for them and the one that has waited longest, with the way to the
 * queue; for the social office also the approved cases, the documents
 * and what waits to be printed.
 */
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "issue/issue.h"
#include "web/web.h"

/* A queue's count and its oldest case under key. */
static int put_queue(struct web_req *w, const char *key, const char *state,
		     const char *link)
{
	struct cases_queue_item *items = NULL;
	size_t n = 0, total = 0;
	int rc = cases_queue_oldest(w->store, w->actor, state, &items, &n,
				    &total, w->err);
	struct tmpl_view *q;
	if (rc < 0)
		goto out;
	rc = TB_ENOMEM;
	if (!(q = tmpl_put_view(w->view, key)))
		goto out;
	tmpl_put_int(q, "count", (int64_t)total);
	tmpl_put_str(q, "link", link);
	tmpl_put_str(q, "state", state_label((enum case_state)state_parse(state)));
	if (n) {
		struct tmpl_view *o = tmpl_put_view(q, "oldest");
		tmpl_put_int(o, "id", items[0].c.id);
		tmpl_put_str(o, "name", items[0].c.name);
		ui_put_wait(o, "wait", items[0].waiting_s);
		tmpl_put_str(o, "since_iso", items[0].state_since);
	}
	rc = 0;
out:
	free(items);
	return rc;
}

static int print_count(struct web_req *w, enum issue_kind kind, size_t *total)
{
	struct store_document *docs = NULL;
	size_t n = 0;
	int rc = issue_print_queue(w->store, w->actor, kind, 0, 0, &docs, &n,
				   total, w->err);
	free(docs);
	return rc;
}

int ui_home_office(struct web_req *w)
{
	int rc;
	switch (w->actor->role) {
	case ROLE_DINKES:
		rc = put_queue(w, "queue", "submitted", "/antrean");
		break;
	case ROLE_KECAMATAN:
		rc = put_queue(w, "queue", "surveyed", "/antrean");
		break;
	case ROLE_DINSOS: {
		size_t cards = 0, letters = 0;
		rc = put_queue(w, "queue", "verified", "/antrean");
		if (rc == 0)
			rc = put_queue(w, "approved", "approved",
				       "/antrean?status=approved");
		if (rc == 0 && (rc = print_count(w, ISSUE_CARD, &cards)) == 0 &&
		    (rc = print_count(w, ISSUE_LETTER, &letters)) == 0) {
			struct tmpl_view *p = tmpl_put_view(w->view, "print");
			tmpl_put_int(p, "cards", (int64_t)cards);
			tmpl_put_int(p, "letters", (int64_t)letters);
		}
		break;
	}
	default:
		return tb_err(w->err, TB_EPERM, "Beranda ini untuk dinas "
			      "kesehatan, kecamatan dan dinas sosial.");
	}
	if (rc < 0)
		return rc;
	if (http_query(w->http, "sandi"))
		tmpl_put_str(w->view, "notice", "Kata sandi Anda sudah diganti.");
	return web_render(w, "home_office", "Beranda");
}
