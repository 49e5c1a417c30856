/*
 * The staff and village API over cases: list, show, open, answers,
 * attachments, moves, the eligibility decision. Each handler parses the
 * request, calls one cases function (which checks role and region and
 * audits), and writes its JSON; a refusal comes back as the module's code
 * and the server turns it into the status (a 403 is also audited there).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/ids.h"
#include "core/json.h"
#include "core/str.h"
#include "http/handlers.h"
#include "http/pool.h"

#define PAGE_DEFAULT 100
#define PAGE_MAX 1000

/* A non-negative integer query argument, or def when absent. */
static int query_count(struct http_request *req, const char *name, size_t def,
		       size_t max, size_t *out, struct buf *err)
{
	const char *v = http_query(req, name);
	*out = def;
	if (!v)
		return 0;
	if (strlen(v) > 9 || !str_all_digits(v))
		return tb_err(err, TB_EINVAL, "%s harus bilangan bulat", name);
	*out = (size_t)strtoul(v, NULL, 10);
	if (*out > max)
		return tb_err(err, TB_EINVAL, "%s paling besar %zu", name, max);
	return 0;
}

/* ?state=&region=&limit=&offset= into a filter and a page. */
static int list_filter(struct http_request *req, struct store_case_filter *f,
		       size_t *offset, size_t *limit, struct buf *err)
{
	memset(f, 0, sizeof *f);
	f->state = http_query(req, "state");
	if (f->state && state_parse(f->state) < 0)
		return tb_err(err, TB_EINVAL, "status tidak dikenal: %s", f->state);
	const char *region = http_query(req, "region");
	if (region) {
		char *digits = pool_alloc(req->pool, strlen(region) + 1);
		size_t n = 0;
		if (!digits)
			return tb_err(err, TB_ENOMEM, "memori habis");
		for (const char *p = region; *p; p++)
			if (*p != '.')
				digits[n++] = *p;
		if (n > REGION_CODE_MAX || !str_all_digits(digits))
			return tb_err(err, TB_EINVAL, "kode wilayah tidak sah: %s",
				      region);
		f->region = digits;
	}
	int rc = query_count(req, "limit", PAGE_DEFAULT, PAGE_MAX, limit, err);
	return rc < 0 ? rc : query_count(req, "offset", 0, (size_t)1 << 30,
					 offset, err);
}

/* What every handler on /api/v1/cases/{id} needs first: the loaded
 * policy and keys, the caller, the case id from the path, the thread's
 * store handle. */
static int case_request(struct http_request *req, const struct http_app **app,
			struct cases_actor *a, int64_t *id, struct store **s,
			struct buf *err)
{
	int rc;
	if ((rc = h_app(req, app, err)) < 0 || (rc = h_actor(req, a, err)) < 0 ||
	    (rc = h_case_id(req, id, err)) < 0)
		return rc;
	return http_store(req, s, err);
}

int h_cases_list(struct http_request *req, struct http_response *res,
		 struct buf *err)
{
	struct cases_actor a;
	struct store *s;
	struct store_case_filter f;
	size_t offset, limit, total = 0;
	int rc;
	if ((rc = h_actor(req, &a, err)) < 0 ||
	    (rc = list_filter(req, &f, &offset, &limit, err)) < 0 ||
	    (rc = http_store(req, &s, err)) < 0 ||
	    (rc = buf_adds(&res->body, "{\"cases\":")) < 0 ||
	    (rc = cases_list_page_json(s, &a, &f, offset, limit, &res->body,
				       &total, err)) < 0)
		goto out;
	rc = buf_addf(&res->body, ",\"total\":%zu,\"offset\":%zu,\"limit\":%zu}",
		      total, offset, limit);
out:
	return h_json_done(res, rc, err);
}

int h_case_create(struct http_request *req, struct http_response *res,
		  struct buf *err)
{
	struct cases_actor a;
	struct store *s;
	struct jsonread d = { 0 };
	const struct jr_val *obj;
	int64_t id = 0;
	int rc;
	if ((rc = h_actor(req, &a, err)) < 0 ||
	    (rc = http_store(req, &s, err)) < 0 ||
	    (rc = h_json_object(req, &d, &obj, err)) < 0)
		goto out;
	const char *nik = jsonread_str(&d, obj, "nik");
	if (!nik) {
		rc = tb_err(err, TB_EINVAL, "\"nik\" wajib diisi");
		goto out;
	}
	if ((rc = cases_create(s, &a, nik, &id, err)) < 0)
		goto out;
	res->status = 201;
	rc = buf_addf(&res->body, "{\"id\":%lld}", (long long)id);
out:
	jsonread_release(&d);
	return h_json_done(res, rc, err);
}

int h_case_show(struct http_request *req, struct http_response *res,
		struct buf *err)
{
	const struct http_app *app;
	struct cases_actor a;
	struct store *s;
	int64_t id;
	int rc = case_request(req, &app, &a, &id, &s, err);
	if (rc < 0)
		goto out;
	rc = cases_show_json(s, app->policy, &a, id, &res->body, err);
out:
	return h_json_done(res, rc, err);
}

/* {"answers":[{"indicator":"lantai","value":2}, ...]} into an array in
 * the request's pool (codes point into d). */
static int parse_answers(struct http_request *req, struct jsonread *d,
			 struct elig_answer **out, size_t *n, struct buf *err)
{
	const struct jr_val *obj;
	int rc = h_json_object(req, d, &obj, err);
	if (rc < 0)
		return rc;
	const struct jr_val *arr = jsonread_get(d, obj, "answers");
	if (!arr || arr->type != JR_ARR || arr->len == 0)
		return tb_err(err, TB_EINVAL,
			      "\"answers\" harus daftar jawaban yang tidak kosong");
	*out = pool_alloc(req->pool, arr->len * sizeof **out);
	if (!*out)
		return tb_err(err, TB_ENOMEM, "memori habis");
	*n = 0;
	for (const struct jr_val *e = jsonread_first(d, arr); e;
	     e = jsonread_next(d, e)) {
		const char *code = jsonread_str(d, e, "indicator");
		const struct jr_val *v = jsonread_get(d, e, "value");
		if (!code || !v || v->type != JR_NUM || v->num != (int)v->num)
			return tb_err(err, TB_EINVAL,
				      "jawaban ke-%zu: perlu \"indicator\" (teks) "
				      "dan \"value\" (bilangan bulat)", *n + 1);
		(*out)[*n].code = code;
		(*out)[(*n)++].value = (int)v->num;
	}
	return 0;
}

int h_case_answers(struct http_request *req, struct http_response *res,
		   struct buf *err)
{
	const struct http_app *app;
	struct cases_actor a;
	struct store *s;
	struct jsonread d = { 0 };
	struct elig_answer *answers = NULL;
	size_t n = 0;
	int64_t id;
	int rc;
	if ((rc = case_request(req, &app, &a, &id, &s, err)) < 0 ||
	    (rc = parse_answers(req, &d, &answers, &n, err)) < 0 ||
	    (rc = cases_answers(s, app->policy, &a, id, answers, n, err)) < 0)
		goto out;
	rc = buf_addf(&res->body, "{\"id\":%lld,\"answers\":%zu}",
		      (long long)id, n);
out:
	jsonread_release(&d);
	return h_json_done(res, rc, err);
}

int h_case_attach(struct http_request *req, struct http_response *res,
		  struct buf *err)
{
	struct cases_actor a;
	struct store *s;
	int64_t id, att = 0;
	const char *kind = http_query(req, "kind");
	const char *filename = http_query(req, "filename");
	int rc;
	if ((rc = h_actor(req, &a, err)) < 0 || (rc = h_case_id(req, &id, err)) < 0)
		goto out;
	if (!kind) {
		rc = tb_err(err, TB_EINVAL, "?kind=rujukan|survei|verifikasi wajib");
		goto out;
	}
	if ((rc = http_store(req, &s, err)) < 0 ||
	    (rc = cases_attach(s, &a, id, kind, filename ? filename : "",
			       req->body.data, req->body.len, &att, err)) < 0)
		goto out;
	res->status = 201;
	rc = buf_addf(&res->body, "{\"id\":%lld,\"case\":%lld}",
		      (long long)att, (long long)id);
out:
	return h_json_done(res, rc, err);
}

/* Content-Disposition with a filename safe to put in a header. */
static const char *disposition(struct http_request *req, const char *name)
{
	char *v = pool_alloc(req->pool, strlen(name) + 32);
	if (!v)
		return "attachment";
	size_t n = (size_t)sprintf(v, "attachment; filename=\"");
	for (; *name && n < 120; name++)
		v[n++] = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				"0123456789._-", *name) ? *name : '_';
	strcpy(v + n, "\"");
	return v;
}

int h_case_attachment(struct http_request *req, struct http_response *res,
		      struct buf *err)
{
	struct cases_actor a;
	struct store *s;
	struct store_attachment meta;
	int64_t id, att;
	int rc;
	if ((rc = h_actor(req, &a, err)) < 0 || (rc = h_case_id(req, &id, err)) < 0 ||
	    (rc = cases_parse_id(http_param(req, "att"), &att, err)) < 0 ||
	    (rc = http_store(req, &s, err)) < 0 ||
	    (rc = cases_attachment_get(s, &a, id, att, &meta, &res->body, err)) < 0)
		return rc;
	res->content_type = pool_strdup(req->pool, meta.mime);
	if (!res->content_type)
		return tb_err(err, TB_ENOMEM, "memori habis");
	http_res_header(res, "Content-Disposition",
			disposition(req, meta.filename[0] ? meta.filename
							   : "lampiran"));
	return 0;
}

int h_case_move(struct http_request *req, struct http_response *res,
		struct buf *err)
{
	const struct http_app *app;
	struct cases_actor a;
	struct store *s;
	struct jsonread d = { 0 };
	const struct jr_val *obj;
	const char *to = NULL;
	int64_t id;
	int rc;
	if ((rc = case_request(req, &app, &a, &id, &s, err)) < 0 ||
	    (rc = h_json_object(req, &d, &obj, err)) < 0)
		goto out;
	if (!(to = jsonread_str(&d, obj, "to"))) {
		rc = tb_err(err, TB_EINVAL, "\"to\" (status tujuan) wajib diisi");
		goto out;
	}
	if ((rc = cases_move(s, app->policy, &a, id, to,
			     jsonread_str(&d, obj, "note"), err)) < 0)
		goto out;
	struct json j;
	json_init(&j, &res->body);
	json_obj_open(&j, NULL);
	json_int(&j, "id", id);
	json_str(&j, "state", to);
	json_obj_close(&j);
	rc = json_finish(&j);
out:
	jsonread_release(&d);
	return h_json_done(res, rc, err);
}

int h_case_eligibility(struct http_request *req, struct http_response *res,
		       struct buf *err)
{
	const struct http_app *app;
	struct cases_actor a;
	struct store *s;
	struct elig_decision dec;
	int64_t id;
	int rc;
	if ((rc = case_request(req, &app, &a, &id, &s, err)) < 0 ||
	    (rc = cases_decide(s, app->policy, &a, id, &dec, err)) < 0)
		goto out;
	rc = elig_to_json(&dec, &res->body);
out:
	return h_json_done(res, rc, err);
}
