/*
 * The household survey form: every indicator of the policy that still
 * counts, each a group of radio buttons with the answers' labels (the
 * numbers are the policy's business, not the operator's), the stored
 * answers already checked. Partial answers can be saved: only the
 * answered indicators are sent to cases_answers, which checks each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/str.h"
#include "eligibility/eligibility.h"
#include "web/web_int.h"

/* The form field of an indicator: "a_<code>" (codes are the policy's
 * identifiers, letters, digits and '_'). */
static void field_of(const struct policy_indicator *ind, char *out, size_t n)
{
	snprintf(out, n, "a_%s", ind->code);
}

/* The stored answer to code, 0 when none. */
static int stored(const struct cases_facts *f, const char *code)
{
	for (size_t i = 0; i < f->nanswers; i++)
		if (strcmp(f->answers[i].code, code) == 0)
			return f->answers[i].value;
	return 0;
}

static int survey_page(struct web_req *w, int64_t id, const char *flash)
{
	const struct policy *p = w->app->policy;
	struct cases_facts f = { 0 };
	struct store_case c;
	size_t answered = 0, asked = 0;
	char key[48], title[48];
	int rc;
	if ((rc = cases_get(w->store, w->actor, id, &c, w->err)) < 0 ||
	    (rc = cases_facts_load(w->store, id, &f, w->err)) < 0)
		goto out;
	tmpl_put_int(w->view, "id", id);
	tmpl_put_str(w->view, "name", c.name);
	if (flash)
		tmpl_put_str(w->view, "flash", flash);
	for (size_t i = 0; i < policy_indicator_count(p); i++) {
		const struct policy_indicator *ind = policy_indicator(p, i);
		/* A retired indicator no longer counts: it is not asked. */
		if (ind->retired)
			continue;
		struct tmpl_view *q = tmpl_add_row(w->view, "questions");
		int have = stored(&f, ind->code);
		field_of(ind, key, sizeof key);
		tmpl_put_str(q, "field", key);
		tmpl_put_str(q, "label", ind->label);
		tmpl_put_int(q, "n", (int64_t)++asked);
		answered += have != 0;
		for (size_t k = 0; k < ind->nanswers; k++) {
			struct tmpl_view *o = tmpl_add_row(q, "options");
			tmpl_put_fmt(o, "oid", "%s-%d", key, ind->answers[k].value);
			tmpl_put_int(o, "value", ind->answers[k].value);
			tmpl_put_str(o, "text", ind->answers[k].label);
			tmpl_put_bool(o, "checked", have == ind->answers[k].value);
		}
	}
	tmpl_put_int(w->view, "answered", (int64_t)answered);
	tmpl_put_int(w->view, "asked", (int64_t)asked);
	tmpl_put_bool(w->view, "complete", answered == asked);
	snprintf(title, sizeof title, "Survei kasus %lld", (long long)id);
	rc = web_render(w, "survey", title);
out:
	cases_facts_release(&f);
	return rc;
}

int ui_survey(struct web_req *w)
{
	int64_t id;
	int rc = web_case_id(w, "id", &id);
	if (rc < 0)
		return rc;
	const char *ok = http_query(w->http, "ok");
	return survey_page(w, id, ok ? "Jawaban survei sudah disimpan." : NULL);
}

int ui_survey_post(struct web_req *w)
{
	const struct policy *p = w->app->policy;
	size_t n = policy_indicator_count(p), k = 0;
	struct elig_answer *ans = calloc(n ? n : 1, sizeof *ans);
	char key[48], path[64];
	int64_t id;
	int rc = web_case_id(w, "id", &id);
	if (!ans)
		rc = tb_err(w->err, TB_ENOMEM, "kehabisan memori");
	if (rc < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const struct policy_indicator *ind = policy_indicator(p, i);
		field_of(ind, key, sizeof key);
		const char *v = web_form(w, key);
		if (ind->retired || !*v)
			continue;
		/* Anything but one of the radio values is refused by
		 * cases_answers (policy_answer_check); 0 is never one. */
		ans[k].code = ind->code;
		ans[k++].value = str_all_digits(v) && strlen(v) < 4 ? atoi(v) : 0;
	}
	if (k == 0) {
		w->res->status = 422;
		tmpl_put_str(w->view, "problem", "Belum ada jawaban yang dipilih.");
		rc = survey_page(w, id, NULL);
		if (rc == 0)
			w->res->status = 422;
		goto out;
	}
	rc = cases_answers(w->store, p, w->actor, id, ans, k, w->err);
	if (rc == TB_EINVAL || rc == TB_ECONFLICT) {
		tmpl_put_str(w->view, "problem", w->err->data);
		buf_reset(w->err);
		rc = survey_page(w, id, NULL);
		if (rc == 0)
			w->res->status = 422;
		goto out;
	}
	if (rc < 0)
		goto out;
	/* Complete: back to the case, where the next move is. Partial:
	 * the form again, to go on later. */
	size_t active = policy_active_count(p);
	struct cases_facts f = { 0 };
	size_t have = 0;
	if (cases_facts_load(w->store, id, &f, w->err) == 0)
		for (size_t i = 0; i < f.nanswers; i++) {
			const struct policy_indicator *ind =
				policy_find(p, f.answers[i].code);
			have += ind && !ind->retired;
		}
	cases_facts_release(&f);
	buf_reset(w->err);
	snprintf(path, sizeof path, have >= active ? "/kasus/%lld?ok=survei"
						   : "/kasus/%lld/survei?ok=1",
		 (long long)id);
	rc = web_redirect(w, path);
out:
	free(ans);
	return rc;
}
