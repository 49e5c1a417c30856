/*
 * JSON views of cases, shared by `terbit case show --json` and the API so
 * the two faces cannot drift apart.
 */
#include "cases/cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/json.h"

static const char *state_label_of(const char *name)
{
	int st = state_parse(name);
	return st < 0 ? name : state_label((enum case_state)st);
}

static void region_name(struct store *s, const char *code, char *dst,
			size_t n)
{
	struct store_region r;
	dst[0] = 0;
	if (store_region_get(s, code, &r, NULL) == 0)
		snprintf(dst, n, "%s", r.name);
}

static void json_resident(struct json *j, const struct store_resident *r)
{
	char sex[2] = { r->sex, 0 };
	json_obj_open(j, "resident");
	json_str(j, "nik", r->nik);
	json_str(j, "kk", r->kk);
	json_str(j, "name", r->name);
	json_str(j, "birth_place", r->birth_place);
	json_str(j, "birth_date", r->birth_date);
	json_str(j, "sex", sex);
	json_str(j, "address", r->address);
	json_str(j, "rt", r->rt);
	json_str(j, "rw", r->rw);
	json_str(j, "village_code", r->village_code);
	json_obj_close(j);
}

static void json_answers(struct json *j, const struct policy *p,
			 const struct cases_facts *f)
{
	json_arr_open(j, "answers");
	for (size_t i = 0; i < f->nanswers; i++) {
		const struct policy_indicator *ind =
			p ? policy_find(p, f->stored[i].code) : NULL;
		const struct policy_answer *ans =
			ind ? policy_answer(ind, f->stored[i].value) : NULL;
		json_obj_open(j, NULL);
		json_str(j, "code", f->stored[i].code);
		json_int(j, "value", f->stored[i].value);
		if (ind) {
			json_str(j, "label", ind->label);
			json_str(j, "answer", ans ? ans->label : NULL);
			json_bool(j, "retired", ind->retired);
		}
		json_obj_close(j);
	}
	json_arr_close(j);
}

static int json_attachments(struct store *s, struct json *j, int64_t id,
			    struct buf *err)
{
	struct store_attachment *a = NULL;
	size_t n = 0;
	int rc = store_attach_list(s, id, &a, &n, err);
	if (rc < 0)
		return rc;
	json_arr_open(j, "attachments");
	for (size_t i = 0; i < n; i++) {
		json_obj_open(j, NULL);
		json_int(j, "id", a[i].id);
		json_str(j, "kind", a[i].kind);
		json_str(j, "mime", a[i].mime);
		json_int(j, "size", a[i].size);
		json_str(j, "sha256", a[i].sha256);
		json_str(j, "filename", a[i].filename);
		json_str(j, "created_at", a[i].created_at);
		json_str(j, "created_by", a[i].created_by);
		json_obj_close(j);
	}
	json_arr_close(j);
	free(a);
	return 0;
}

static int history_row(const struct store_audit *a, void *arg)
{
	struct json *j = arg;
	json_obj_open(j, NULL);
	json_str(j, "at", a->at);
	json_str(j, "actor", a->actor);
	json_str(j, "role", a->role);
	json_str(j, "action", a->action);
	json_str(j, "note", a->note);
	json_obj_close(j);
	return 0;
}

static void json_case_head(struct store *s, struct json *j,
			   const struct store_case *c)
{
	char vname[STORE_NAME_MAX];
	region_name(s, c->village_code, vname, sizeof vname);
	json_int(j, "id", c->id);
	json_str(j, "nik", c->nik);
	json_str(j, "name", c->name);
	json_str(j, "village", c->village_code);
	json_str(j, "village_name", vname);
	json_str(j, "state", c->state);
	json_str(j, "state_label", state_label_of(c->state));
	json_str(j, "faskes", c->faskes);
}

int cases_show_json(struct store *s, const struct policy *p,
		    const struct cases_actor *a, int64_t id, struct buf *out,
		    struct buf *err)
{
	struct store_case c;
	struct cases_facts f;
	struct elig_decision d;
	struct json j;
	char object[32];
	int rc = cases_get(s, a, id, &c, err);
	if (rc < 0)
		return rc;
	if ((rc = cases_facts_load(s, id, &f, err)) < 0)
		return rc;
	json_init(&j, out);
	json_obj_open(&j, NULL);
	json_case_head(s, &j, &f.c);
	json_str(&j, "created_at", f.c.created_at);
	json_str(&j, "updated_at", f.c.updated_at);
	json_str(&j, "created_by", f.c.created_by);
	json_str(&j, "updated_by", f.c.updated_by);
	json_resident(&j, &f.r);
	json_obj_open(&j, "pbi");
	json_bool(&j, "jkn_active", f.pbi_jkn_active);
	json_bool(&j, "apbd_active", f.pbi_apbd_active);
	json_obj_close(&j);
	json_answers(&j, p, &f);
	if ((rc = json_attachments(s, &j, id, err)) < 0)
		goto out;
	if (p) {
		struct buf dj = BUF_INIT;
		elig_decide(p, &f.facts, &d);
		rc = elig_to_json(&d, &dj);
		json_raw(&j, "eligibility", dj.data);
		buf_release(&dj);
		if (rc < 0) {
			rc = tb_err(err, rc, "memori habis");
			goto out;
		}
	}
	json_arr_open(&j, "history");
	snprintf(object, sizeof object, "case:%lld", (long long)id);
	if ((rc = store_audit_each(s, object, history_row, &j, err)) < 0)
		goto out;
	json_arr_close(&j);
	json_obj_close(&j);
	if ((rc = json_finish(&j)) < 0)
		rc = tb_err(err, rc, "memori habis");
out:
	cases_facts_release(&f);
	return rc;
}

struct list_json {
	struct store *s;
	struct json j;
	size_t seen, offset, limit;
};

static int list_row(const struct store_case *c, void *arg)
{
	struct list_json *l = arg;
	size_t i = l->seen++;
	if (i < l->offset || (l->limit && i >= l->offset + l->limit))
		return 0;
	json_obj_open(&l->j, NULL);
	json_case_head(l->s, &l->j, c);
	json_str(&l->j, "updated_at", c->updated_at);
	json_obj_close(&l->j);
	return 0;
}

int cases_list_json(struct store *s, const struct cases_actor *a,
		    const struct store_case_filter *f, struct buf *out,
		    struct buf *err)
{
	return cases_list_page_json(s, a, f, 0, 0, out, NULL, err);
}

int cases_list_page_json(struct store *s, const struct cases_actor *a,
			 const struct store_case_filter *f, size_t offset,
			 size_t limit, struct buf *out, size_t *total,
			 struct buf *err)
{
	struct list_json l = { .s = s, .offset = offset, .limit = limit };
	json_init(&l.j, out);
	json_arr_open(&l.j, NULL);
	int rc = cases_list(s, a, f, list_row, &l, err);
	if (rc < 0)
		return rc;
	json_arr_close(&l.j);
	if (total)
		*total = l.seen;
	if ((rc = json_finish(&l.j)) < 0)
		return tb_err(err, rc, "memori habis");
	return 0;
}
