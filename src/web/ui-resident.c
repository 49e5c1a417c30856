/*
 * Residents, for the village operator: find one by NIK or name (with
 * their open case, or a button to open one), register one the import did
 * not bring, and correct one's data with a reason. The checks (the same
 * as the import's), which field may change at which stage, the
 * corrections' history and the audit rows are cases_resident_*'s; these
 * pages keep what was typed and show each message beside its field.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/ids.h"
#include "core/str.h"
#include "http/pool.h"
#include "web/web_int.h"

/* The residents.csv columns, in cases_resident_in's order, as the form
 * asks for them. */
static const struct rfield {
	const char *name, *label, *hint, *autocomplete;
	int numeric;
} rfields[] = {
	{ "nik", "NIK", "16 angka, seperti pada KTP atau KK.", "off", 1 },
	{ "kk", "Nomor KK", "16 angka nomor Kartu Keluarga.", "off", 1 },
	{ "name", "Nama lengkap", NULL, "name", 0 },
	{ "birth_place", "Tempat lahir", NULL, "off", 0 },
	{ "birth_date", "Tanggal lahir", "Tahun-bulan-tanggal, contoh 1990-01-15.",
	  "bday", 0 },
	{ "sex", "Jenis kelamin", NULL, "sex", 0 },
	{ "address", "Alamat", "Dusun atau jalan dan nomor rumah.", "street-address", 0 },
	{ "rt", "RT", "1 sampai 3 angka.", "off", 1 },
	{ "rw", "RW", "1 sampai 3 angka.", "off", 1 },
	{ "village_code", "Kode desa", "10 angka, titik boleh, contoh 35.10.05.2001.",
	  "off", 1 },
};
#define NFIELDS (sizeof rfields / sizeof rfields[0])

static const char **in_slot(struct cases_resident_in *in, size_t i)
{
	const char **slots[NFIELDS] = { &in->nik, &in->kk, &in->name,
					&in->birth_place, &in->birth_date, &in->sex,
					&in->address, &in->rt, &in->rw,
					&in->village_code };
	return slots[i];
}

/* The stored resident as the form's values. */
static void values_of(struct web_req *w, const struct store_resident *r,
		      const char *vals[NFIELDS])
{
	char sex[2] = { r->sex, '\0' };
	const char *v[NFIELDS] = { r->nik, r->kk, r->name, r->birth_place,
				   r->birth_date, sex, r->address, r->rt,
				   r->rw, r->village_code };
	for (size_t i = 0; i < NFIELDS; i++)
		vals[i] = pool_strdup(w->http->pool, v[i]);
}

/* The form's rows: each field with its value, its error and, when it
 * may not change now, why (then it is shown, not offered). */
static void put_fields(struct web_req *w, const char *const vals[NFIELDS],
		       const struct cases_field_errors *fe,
		       const struct cases_field_errors *locked)
{
	for (size_t i = 0; i < NFIELDS; i++) {
		const struct rfield *f = &rfields[i];
		struct tmpl_view *row = tmpl_add_row(w->view, "fields");
		const char *err = fe ? cases_field_error_msg(fe, f->name) : NULL;
		const char *why = locked ? cases_field_error_msg(locked, f->name)
					 : NULL;
		const char *v = vals[i] ? vals[i] : "";
		tmpl_put_str(row, "field", f->name);
		tmpl_put_str(row, "label", f->label);
		tmpl_put_str(row, "hint", f->hint);
		tmpl_put_str(row, "auto", f->autocomplete);
		tmpl_put_bool(row, "numeric", f->numeric);
		tmpl_put_str(row, "value", v);
		tmpl_put_str(row, "error", err);
		tmpl_put_str(row, "locked", why);
		if (why && f->numeric && strlen(v) == NIK_LEN) {
			/* Read-only: shown the way people read a NIK or KK. */
			struct buf g = BUF_INIT;
			fmt_nik_grouped(&g, v);
			tmpl_put_str(row, "value", g.data);
			buf_release(&g);
		}
		if (strcmp(f->name, "sex") == 0) {
			struct tmpl_view *s = tmpl_put_view(row, "sex");
			tmpl_put_bool(s, "l", strcmp(v, "L") == 0);
			tmpl_put_bool(s, "p", strcmp(v, "P") == 0);
			tmpl_put_str(row, "value", strcmp(v, "L") == 0 ? "Laki-laki"
						   : strcmp(v, "P") == 0 ? "Perempuan" : v);
		}
	}
}

/* ---- find ----------------------------------------------------------------- */

int ui_residents(struct web_req *w)
{
	const char *q = http_query(w->http, "q"), *hal = http_query(w->http, "hal");
	struct store_resident_hit *hits = NULL;
	size_t n = 0, total = 0, page = 1;
	int rc = 0;
	if (hal && str_all_digits(hal) && strlen(hal) < 6 && atoi(hal) > 0)
		page = (size_t)atoi(hal);
	tmpl_put_str(w->view, "q", q ? q : "");
	if (!q || !*q)
		goto render;
	rc = cases_resident_find(w->store, w->actor, q, (page - 1) * CASES_PAGE,
				 &hits, &n, &total, w->err);
	if (rc == TB_EINVAL) {
		tmpl_put_str(w->view, "q_error", w->err->data);
		buf_reset(w->err);
		rc = 0;
		goto render;
	}
	if (rc < 0)
		goto out;
	tmpl_put_bool(w->view, "searched", 1);
	tmpl_put_int(w->view, "total", (int64_t)total);
	tmpl_put_bool(w->view, "has_hits", n > 0);
	for (size_t i = 0; i < n; i++) {
		struct tmpl_view *row = tmpl_add_row(w->view, "hits");
		tmpl_put_str(row, "name", hits[i].r.name);
		web_put_nik(row, "nik", hits[i].r.nik);
		tmpl_put_str(row, "address", hits[i].r.address);
		tmpl_put_str(row, "rt", hits[i].r.rt);
		tmpl_put_str(row, "rw", hits[i].r.rw);
		if (hits[i].open_case) {
			tmpl_put_int(row, "case", hits[i].open_case);
			web_put_state(row, hits[i].open_state);
		}
	}
	if (page > 1)
		tmpl_put_int(w->view, "prev", (int64_t)page - 1);
	if (page * CASES_PAGE < total)
		tmpl_put_int(w->view, "next", (int64_t)page + 1);
render:
	rc = web_render(w, "residents", "Cari penduduk");
out:
	free(hits);
	return rc;
}

/* ---- register ---------------------------------------------------------- */

static int new_page(struct web_req *w, const char *const vals[NFIELDS],
		    const struct cases_field_errors *fe)
{
	put_fields(w, vals, fe, NULL);
	tmpl_put_str(w->view, "action", "/penduduk/baru");
	tmpl_put_str(w->view, "submit", "Daftarkan");
	return web_render(w, "resident_new", "Daftarkan penduduk");
}

int ui_resident_new(struct web_req *w)
{
	const char *vals[NFIELDS] = { 0 };
	struct buf v = BUF_INIT;
	/* The operator's own village, the usual answer. */
	if (w->actor->region[0] && region_dotted(&v, w->actor->region) == 0)
		vals[NFIELDS - 1] = pool_strdup(w->http->pool, v.data);
	buf_release(&v);
	return new_page(w, vals, NULL);
}

int ui_resident_new_post(struct web_req *w)
{
	struct cases_resident_in in = { 0 };
	struct cases_field_errors fe = { 0 };
	struct store_resident r;
	const char *vals[NFIELDS];
	char path[64];
	for (size_t i = 0; i < NFIELDS; i++)
		*in_slot(&in, i) = vals[i] = web_form(w, rfields[i].name);
	int rc = cases_resident_register(w->store, w->actor, &in, &r, &fe, w->err);
	if ((rc == TB_EINVAL || rc == TB_ECONFLICT) && fe.n) {
		buf_reset(w->err);
		tmpl_put_str(w->view, "problem", "Periksa isian yang ditandai.");
		rc = new_page(w, vals, &fe);
		if (rc == 0)
			w->res->status = 422;
		return rc;
	}
	if (rc < 0)
		return rc;
	snprintf(path, sizeof path, "/penduduk/%s?ok=daftar", r.nik);
	return web_redirect(w, path);
}

/* ---- one resident, corrections ----------------------------------------- */

static const char *field_label(const char *name)
{
	for (size_t i = 0; i < NFIELDS; i++)
		if (strcmp(rfields[i].name, name) == 0)
			return rfields[i].label;
	return name;
}

static int resident_page(struct web_req *w, const char *nik,
			 const char *const typed[NFIELDS],
			 const struct cases_field_errors *fe)
{
	struct store_resident r;
	struct store_correction *cs = NULL;
	struct store_resident_hit *hits = NULL;
	struct cases_field_errors locked;
	size_t n = 0, nh = 0;
	const char *vals[NFIELDS];
	const char *ok = http_query(w->http, "ok");
	int rc;
	if ((rc = cases_resident_get(w->store, w->actor, nik, &r, &cs, &n,
				     w->err)) < 0 ||
	    (rc = cases_resident_locked(w->store, r.nik, &locked, w->err)) < 0 ||
	    (rc = cases_resident_find(w->store, w->actor, r.nik, 0, &hits, &nh,
				      NULL, w->err)) < 0)
		goto out;
	if (ok && strcmp(ok, "daftar") == 0)
		tmpl_put_str(w->view, "flash", "Penduduk sudah didaftarkan. "
			     "Buka kasus bila akan mengajukan SPM.");
	else if (ok && strcmp(ok, "koreksi") == 0)
		tmpl_put_str(w->view, "flash", "Koreksi sudah disimpan.");
	tmpl_put_str(w->view, "name", r.name);
	web_put_nik(w->view, "nik", r.nik);
	if (nh && hits[0].open_case) {
		tmpl_put_int(w->view, "case", hits[0].open_case);
		web_put_state(w->view, hits[0].open_state);
	}
	values_of(w, &r, vals);
	for (size_t i = 0; typed && i < NFIELDS; i++)
		if (typed[i])
			vals[i] = typed[i];
	put_fields(w, vals, fe, &locked);
	tmpl_put_bool(w->view, "all_locked", locked.n >= NFIELDS);
	tmpl_put_str(w->view, "reason", typed ? web_form(w, "reason") : "");
	if (fe)
		tmpl_put_str(w->view, "reason_error",
			     cases_field_error_msg(fe, "reason"));
	tmpl_put_bool(w->view, "has_corrections", n > 0);
	for (size_t i = 0; i < n; i++) {
		struct tmpl_view *row = tmpl_add_row(w->view, "corrections");
		tmpl_put_str(row, "field", field_label(cs[i].field));
		tmpl_put_str(row, "old", cs[i].old_value);
		tmpl_put_str(row, "new", cs[i].new_value);
		tmpl_put_str(row, "why", cs[i].reason);
		tmpl_put_str(row, "by", cs[i].by);
		web_put_when(row, "at", cs[i].at);
	}
	rc = web_render(w, "resident", "Data penduduk");
out:
	free(cs);
	free(hits);
	return rc;
}

int ui_resident(struct web_req *w)
{
	return resident_page(w, http_param(w->http, "nik"), NULL, NULL);
}

int ui_resident_correct(struct web_req *w)
{
	const char *nik = http_param(w->http, "nik");
	struct cases_resident_in in = { 0 };
	struct cases_field_errors fe = { 0 };
	const char *typed[NFIELDS] = { 0 };
	char path[64];
	int rc;
	/* Only what the form offered is sent; a field shown read-only is
	 * not in the form and keeps its value (NULL). The NIK never. */
	for (size_t i = 1; i < NFIELDS; i++) {
		const char *v = http_form_get(w->http->form, rfields[i].name);
		*in_slot(&in, i) = typed[i] = v;
	}
	rc = cases_resident_correct(w->store, w->actor, nik, &in,
				    web_form(w, "reason"), &fe, NULL, w->err);
	if (rc == TB_EINVAL || rc == TB_ECONFLICT) {
		if (!fe.n)
			tmpl_put_str(w->view, "problem", w->err->data);
		else
			tmpl_put_str(w->view, "problem", "Periksa isian yang ditandai.");
		buf_reset(w->err);
		rc = resident_page(w, nik, typed, &fe);
		if (rc == 0)
			w->res->status = 422;
		return rc;
	}
	if (rc < 0)
		return rc;
	snprintf(path, sizeof path, "/penduduk/%s?ok=koreksi", nik);
	return web_redirect(w, path);
}
