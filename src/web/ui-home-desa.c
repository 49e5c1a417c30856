/*
 * The village operator's home: where each of the village's cases stands
 * (counts by state) and what needs the operator today: drafts to submit,
 * returned cases with the reviewer's note, cases waiting for the survey
 * answers or for the verification upload, and documents ready to
 * download. Everything from cases_home / cases_queue, in the operator's
 * scope; the oldest first, with how long each has waited.
 */
#include <stdio.h>
#include <stdlib.h>

#include "core/err.h"
#include "core/fmt.h"
#include "web/web_int.h"

static void put_items(struct web_req *w, const char *key,
		      const struct cases_queue_item *it, size_t n, size_t total)
{
	struct tmpl_view *v = tmpl_put_view(w->view, key);
	struct buf b = BUF_INIT;
	tmpl_put_int(v, "total", (int64_t)total);
	tmpl_put_bool(v, "more", total > n);
	for (size_t i = 0; i < n; i++) {
		struct tmpl_view *row = tmpl_add_row(v, "items");
		tmpl_put_int(row, "id", it[i].c.id);
		tmpl_put_str(row, "name", it[i].c.name);
		web_put_nik(row, "nik", it[i].c.nik);
		web_put_state(row, it[i].c.state);
		tmpl_put_str(row, "by", it[i].moved_by);
		tmpl_put_str(row, "note", it[i].note);
		buf_reset(&b);
		fmt_wait_id(&b, it[i].waiting_s);
		tmpl_put_str(row, "waiting", b.data);
		tmpl_put_str(row, "since", it[i].state_since);
	}
	buf_release(&b);
}

int ui_home_desa(struct web_req *w)
{
	struct cases_home h = { 0 };
	struct cases_queue_item *drafts = NULL;
	size_t ndrafts = 0, total_drafts = 0;
	int rc;
	if ((rc = cases_home(w->store, w->actor, &h, w->err)) < 0 ||
	    (rc = cases_queue(w->store, w->actor, "draft", CASES_WAIT_LONGEST, 0,
			      &drafts, &ndrafts, &total_drafts, w->err)) < 0)
		goto out;
	tmpl_put_int(w->view, "total", h.total);
	for (int s = 0; s < ST__COUNT; s++) {
		if (!h.counts[s])
			continue;
		struct tmpl_view *row = tmpl_add_row(w->view, "counts");
		web_put_state(row, state_name((enum case_state)s));
		tmpl_put_int(row, "n", h.counts[s]);
		tmpl_put_bool(w->view, "has_counts", 1);
	}
	put_items(w, "returned", h.returned, h.nreturned, h.total_returned);
	put_items(w, "drafts", drafts, ndrafts, total_drafts);
	put_items(w, "survey", h.survey, h.nsurvey, h.total_survey);
	put_items(w, "verification", h.verification, h.nverification,
		  h.total_verification);
	struct tmpl_view *ready = tmpl_put_view(w->view, "ready");
	tmpl_put_int(ready, "total", (int64_t)h.total_ready);
	tmpl_put_bool(ready, "more", h.total_ready > h.nready);
	for (size_t i = 0; i < h.nready; i++) {
		struct tmpl_view *row = tmpl_add_row(ready, "items");
		const struct store_document *d = &h.ready[i];
		tmpl_put_str(row, "serial", d->serial);
		tmpl_put_str(row, "kind", web_kind_label(d->kind));
		tmpl_put_str(row, "name", d->name);
		tmpl_put_int(row, "case", d->case_id);
		web_put_when(row, "issued", d->issued_at);
	}
	tmpl_put_bool(w->view, "nothing", !h.total_returned && !total_drafts &&
					       !h.total_survey &&
					       !h.total_verification &&
					       !h.total_ready);
	rc = web_render(w, "home_desa", "Beranda");
out:
	free(drafts);
	cases_home_release(&h);
	return rc;
}
