/*
 * Residents for the web pages: the residents.csv row checks (shared
 * with the import, so a form and a file are held to the same rules),
 * search in the actor's scope, registration of a resident the import
 * did not bring, and corrections with a reason, allowed field by field
 * according to where the resident's cases stand.
 */
#include "cases/cases.h"
#include "cases/cases_int.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/ids.h"
#include "core/str.h"
#include "core/utf8.h"

/* ---- field errors ------------------------------------------------- */

const char *cases_field_error_msg(const struct cases_field_errors *fe,
				  const char *field)
{
	for (size_t i = 0; fe && i < fe->n; i++)
		if (!strcmp(fe->e[i].field, field))
			return fe->e[i].msg;
	return NULL;
}

/* Records a message for field; the first one per field is kept (the
 * one the import would report). Always TB_EINVAL. */
static int field_err(struct cases_field_errors *fe, const char *field,
		     const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int field_err(struct cases_field_errors *fe, const char *field,
		     const char *fmt, ...)
{
	if (cases_field_error_msg(fe, field) ||
	    fe->n >= sizeof fe->e / sizeof fe->e[0])
		return TB_EINVAL;
	va_list ap;
	struct cases_field_error *e = &fe->e[fe->n++];
	e->field = field;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return TB_EINVAL;
}

/* ---- the row checks ----------------------------------------------- */

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

static void text_field(struct cases_field_errors *fe, const char *field,
		       const char *what, char *dst, size_t n, const char *src)
{
	struct buf why = BUF_INIT;
	if (!*src)
		field_err(fe, field, "%s kosong", what);
	else if (utf8_str_check(src, 0, what, &why) < 0)
		field_err(fe, field, "%s", why.data);
	else if (strlen(src) >= n)
		field_err(fe, field, "%s terlalu panjang (paling banyak %zu bita)",
			  what, n - 1);
	else
		snprintf(dst, n, "%s", src);
	buf_release(&why);
}

static void rtrw_field(struct cases_field_errors *fe, const char *field,
		       const char *what, char dst[4], const char *src)
{
	size_t n = strlen(src);
	if (n < 1 || n > 3 || !str_all_digits(src))
		field_err(fe, field, "%s harus 1 sampai 3 digit", what);
	else
		snprintf(dst, 4, "%03d", atoi(src));
}

/* The order is the import's: its report names the first problem. */
int cases_resident_check(const struct cases_resident_in *in,
			 struct store_resident *r,
			 struct cases_field_errors *fe)
{
	const char *nik = or_empty(in->nik), *bdate = or_empty(in->birth_date),
		   *sex = or_empty(in->sex), *kk = or_empty(in->kk),
		   *village = or_empty(in->village_code);
	int y, m, d, nik_ok = str_is_digits(nik, NIK_LEN), date_ok, sex_ok;
	struct nik_info ni;
	memset(r, 0, sizeof *r);
	fe->n = 0;
	if (!nik_ok)
		field_err(fe, "nik", "NIK harus 16 digit");
	date_ok = date_parse(bdate, &y, &m, &d) == 0;
	if (!date_ok)
		field_err(fe, "birth_date",
			  "tanggal lahir '%.20s' bukan tanggal YYYY-MM-DD yang sah",
			  bdate);
	sex_ok = !strcmp(sex, "L") || !strcmp(sex, "P");
	if (!sex_ok)
		field_err(fe, "sex", "jenis kelamin harus L atau P");
	if (nik_ok && date_ok && sex_ok) {
		struct buf why = BUF_INIT;
		if (nik_parse(nik, bdate, &ni, &why) < 0)
			field_err(fe, "nik", "%s", why.data ? why.data : "NIK tidak sah");
		else if (ni.sex != sex[0])
			field_err(fe, "sex",
				  "NIK menunjukkan jenis kelamin %c, data berisi %s",
				  ni.sex, sex);
		buf_release(&why);
	}
	if (!str_is_digits(kk, KK_LEN))
		field_err(fe, "kk", "No. KK harus 16 digit");
	if (region_normalize(village, r->village_code) != 10) {
		r->village_code[0] = 0;
		field_err(fe, "village_code",
			  "kode desa/kelurahan '%.20s' harus 10 digit", village);
	}
	text_field(fe, "name", "nama", r->name, sizeof r->name,
		   or_empty(in->name));
	text_field(fe, "birth_place", "tempat lahir", r->birth_place,
		   sizeof r->birth_place, or_empty(in->birth_place));
	text_field(fe, "address", "alamat", r->address, sizeof r->address,
		   or_empty(in->address));
	rtrw_field(fe, "rt", "RT", r->rt, or_empty(in->rt));
	rtrw_field(fe, "rw", "RW", r->rw, or_empty(in->rw));
	if (fe->n)
		return TB_EINVAL;
	snprintf(r->nik, sizeof r->nik, "%s", nik);
	snprintf(r->kk, sizeof r->kk, "%s", kk);
	snprintf(r->birth_date, sizeof r->birth_date, "%s", bdate);
	r->sex = sex[0];
	return 0;
}

/* ---- who ---------------------------------------------------------- */

static const char *who(const struct cases_actor *a)
{
	return a ? a->name : "console";
}

/* Registering and correcting residents is the village's work: the
 * roles that open cases (those moving a case out of draft). */
static int may_edit_residents(const struct cases_actor *a, struct buf *err)
{
	if (!a || wf_next(ST_DRAFT, a->role, NULL, 0) == 0)
		return tb_err(err, TB_EPERM,
			      "peran %s tidak boleh mendaftarkan atau mengoreksi "
			      "data penduduk",
			      a ? role_name(a->role) : "console");
	return 0;
}

int cases_scope(const struct cases_actor *a, char prefix[REGION_CODE_MAX + 1],
		 struct buf *err)
{
	if (!a) {
		prefix[0] = 0;
		return 0;
	}
	if (!wf_scope(a->role, a->region, prefix))
		return tb_err(err, TB_EPERM, "peran %s tidak melihat data kasus "
			      "dan penduduk", role_name(a->role));
	return 0;
}

/* A village for a registered or corrected resident: one of our regions,
 * inside the actor's scope. */
static int village_ok(struct store *s, const struct cases_actor *a,
		      const char *village, struct cases_field_errors *fe,
		      struct buf *err)
{
	struct store_region reg;
	struct buf why = BUF_INIT;
	int rc = store_region_get(s, village, &reg, &why);
	buf_release(&why);
	if (rc == 0 && strcmp(reg.kind, "desa") && strcmp(reg.kind, "kelurahan"))
		rc = TB_ENOTFOUND;
	if (rc == TB_ENOTFOUND)
		rc = field_err(fe, "village_code",
			       "kode desa/kelurahan %s tidak dikenal", village);
	else if (rc == 0 && !wf_can_see(a->role, a->region, village))
		rc = field_err(fe, "village_code",
			       "desa/kelurahan %s di luar wilayah kerja Anda (%s)",
			       village, a->region);
	else if (rc < 0)
		return tb_err(err, rc, "wilayah tidak dapat dibaca");
	if (rc < 0)
		tb_err(err, rc, "%s", fe->e[fe->n - 1].msg);
	return rc;
}

static void resident_object(char *dst, size_t n, const char *nik)
{
	snprintf(dst, n, "resident:%s", nik);
}

/* ---- find --------------------------------------------------------- */

/* The states after which a case no longer counts as open, as the JSON
 * array store_resident_search takes. */
static void closed_states(char *dst, size_t n)
{
	size_t at = (size_t)snprintf(dst, n, "[");
	for (int st = 0; st < ST__COUNT && at < n; st++)
		if (wf_is_final((enum case_state)st))
			at += (size_t)snprintf(dst + at, n - at, "%s\"%s\"",
					       at > 1 ? "," : "",
					       state_name((enum case_state)st));
	if (at < n)
		snprintf(dst + at, n - at, "]");
}

int cases_resident_find(struct store *s, const struct cases_actor *a,
			const char *query, size_t offset,
			struct store_resident_hit **out, size_t *n,
			size_t *total, struct buf *err)
{
	char prefix[REGION_CODE_MAX + 1], closed[160], q[STORE_NAME_MAX];
	size_t len;
	int rc;
	*out = NULL;
	*n = 0;
	if ((rc = cases_scope(a, prefix, err)) < 0)
		return rc;
	query = or_empty(query);
	query += strspn(query, " \t");
	len = strlen(query);
	while (len && strchr(" \t\r\n", query[len - 1]))
		len--;
	if (len < 2 || len >= sizeof q)
		return tb_err(err, TB_EINVAL,
			      "ketik NIK (angka) atau nama, paling sedikit 2 "
			      "huruf dan paling banyak %zu", sizeof q - 1);
	snprintf(q, sizeof q, "%.*s", (int)len, query);
	closed_states(closed, sizeof closed);
	int by_nik = str_all_digits(q);
	if (by_nik && len > NIK_LEN)
		return tb_err(err, TB_EINVAL, "NIK paling banyak 16 digit");
	struct store_resident_query sq = {
		.prefix = prefix,
		.nik = by_nik ? q : NULL,
		.name = by_nik ? NULL : q,
		.closed_json = closed,
		.offset = offset,
		.limit = CASES_PAGE,
	};
	return store_resident_search(s, &sq, out, n, total, err);
}

/* ---- register ----------------------------------------------------- */

int cases_resident_register(struct store *s, const struct cases_actor *a,
			    const struct cases_resident_in *in,
			    struct store_resident *out,
			    struct cases_field_errors *fe, struct buf *err)
{
	struct store_resident r;
	char object[32];
	int rc;
	fe->n = 0;
	if ((rc = may_edit_residents(a, err)) < 0)
		return rc;
	if ((rc = cases_resident_check(in, &r, fe)) < 0)
		return tb_err(err, rc, "data penduduk tidak sah: %s",
			      fe->e[0].msg);
	if ((rc = store_begin(s, err)) < 0)
		return rc;
	if ((rc = village_ok(s, a, r.village_code, fe, err)) < 0)
		goto out;
	if ((rc = store_resident_add(s, &r, err)) < 0) {
		if (rc == TB_ECONFLICT)
			field_err(fe, "nik", "NIK sudah terdaftar sebagai "
				  "penduduk; cari dan koreksi datanya");
		goto out;
	}
	resident_object(object, sizeof object, r.nik);
	if ((rc = store_audit_add(s, who(a), role_name(a->role), "resident.add",
				  object, r.village_code, err)) < 0)
		goto out;
	if ((rc = store_commit(s, err)) < 0)
		return rc;
	if (out)
		*out = r;
	return 0;
out:
	store_rollback(s);
	return rc;
}

/* ---- correct ------------------------------------------------------ */

/*
 * Where a resident's cases stand, for corrections; the most advanced of
 * their cases decides.
 */
enum fix_stage {
	FIX_FREE,       /* no case, or each rejected, or approved with no
			 * document in force any more (revoked, expired) */
	FIX_VILLAGE,    /* a case in draft or returned: the village's hands */
	FIX_REVIEW,     /* a case submitted ... verified: a reviewer's */
	FIX_APPROVED,   /* an approved case awaiting its documents or with
			 * one in force */
	FIX__N
};

#define FX(st) (1u << (st))

/*
 * Which field may be corrected at which stage. The NIK never: a wrong
 * NIK is a new resident. The village never once a case exists: a case's
 * scope is its village at opening. Under review nothing: the reviewer
 * returns the case and the village fixes it. Approved: the decision and
 * the documents were made on these data; the social office revokes the
 * documents first, then the data can be corrected and the case issued
 * again (issue_document on the approved case prints the new data).
 */
static const struct {
	const char *field;
	unsigned stages;
} correctable[] = {
	{ "nik", 0 },
	{ "kk", FX(FIX_FREE) | FX(FIX_VILLAGE) },
	{ "name", FX(FIX_FREE) | FX(FIX_VILLAGE) },
	{ "birth_place", FX(FIX_FREE) | FX(FIX_VILLAGE) },
	{ "birth_date", FX(FIX_FREE) | FX(FIX_VILLAGE) },
	{ "sex", FX(FIX_FREE) | FX(FIX_VILLAGE) },
	{ "address", FX(FIX_FREE) | FX(FIX_VILLAGE) },
	{ "rt", FX(FIX_FREE) | FX(FIX_VILLAGE) },
	{ "rw", FX(FIX_FREE) | FX(FIX_VILLAGE) },
	{ "village_code", FX(FIX_FREE) },
};

static const char *const stage_why[FIX__N] = {
	[FIX_FREE] = "",
	[FIX_VILLAGE] = "kasus %lld masih di desa; kode desa menentukan "
			"wilayah kasus dan tidak dapat dikoreksi",
	[FIX_REVIEW] = "kasus %lld sedang diperiksa; minta peninjau "
		       "mengembalikan kasus lebih dahulu",
	[FIX_APPROVED] = "kasus %lld sudah disetujui; Dinas Sosial mencabut "
			 "dokumennya lebih dahulu, lalu data dapat dikoreksi "
			 "dan dokumen diterbitkan lagi",
};

static enum fix_stage case_stage(const struct store_resident_case *c)
{
	switch (state_parse(c->state)) {
	case ST_REJECTED:
		return FIX_FREE;
	case ST_APPROVED:
		return c->docs > 0 && c->docs_in_force == 0 ? FIX_FREE
							    : FIX_APPROVED;
	case ST_DRAFT:
	case ST_RETURNED:
		return FIX_VILLAGE;
	default:
		return FIX_REVIEW;
	}
}

static int resident_stage(struct store *s, const char *nik,
			  enum fix_stage *stage, int64_t *case_id,
			  struct buf *err)
{
	struct store_resident_case *cs = NULL;
	size_t n = 0;
	int rc = store_resident_cases(s, nik, date_today(), &cs, &n, err);
	*stage = FIX_FREE;
	*case_id = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		enum fix_stage st = case_stage(&cs[i]);
		if (st >= *stage && st != FIX_FREE) {
			*stage = st;
			*case_id = cs[i].id;
		}
	}
	free(cs);
	return rc;
}

/* The stored text of each field, as compared and kept in corrections. */
struct fields {
	char v[10][STORE_TEXT_MAX];
};

static void fields_of(const struct store_resident *r, struct fields *f)
{
	const char *src[10] = { r->nik, r->kk, r->name, r->birth_place,
				r->birth_date, NULL, r->address, r->rt, r->rw,
				r->village_code };
	for (int i = 0; i < 10; i++)
		snprintf(f->v[i], sizeof f->v[i], "%s", src[i] ? src[i] : "");
	snprintf(f->v[5], sizeof f->v[5], "%c", r->sex);
}

/* cases_resident_in's members in residents.csv order (struct fields'). */
static const size_t in_member[10] = {
	offsetof(struct cases_resident_in, nik),
	offsetof(struct cases_resident_in, kk),
	offsetof(struct cases_resident_in, name),
	offsetof(struct cases_resident_in, birth_place),
	offsetof(struct cases_resident_in, birth_date),
	offsetof(struct cases_resident_in, sex),
	offsetof(struct cases_resident_in, address),
	offsetof(struct cases_resident_in, rt),
	offsetof(struct cases_resident_in, rw),
	offsetof(struct cases_resident_in, village_code),
};

/* The new record as typed: each NULL field keeps the current value. */
static void merge(const struct cases_resident_in *in, const struct fields *cur,
		  struct cases_resident_in *m)
{
	for (int i = 0; i < 10; i++) {
		const char *v;
		memcpy(&v, (const char *)in + in_member[i], sizeof v);
		if (!v)
			v = cur->v[i];
		memcpy((char *)m + in_member[i], &v, sizeof v);
	}
}

static int blank(const char *s)
{
	return !s || s[strspn(s, " \t\r\n")] == '\0';
}

/* Counts the changed fields and checks each against the table. */
static int fields_allowed(const struct fields *old, const struct fields *new,
			  enum fix_stage stage, int64_t case_id,
			  struct cases_field_errors *fe, size_t *nchanged)
{
	*nchanged = 0;
	for (size_t i = 0; i < 10; i++) {
		if (!strcmp(old->v[i], new->v[i]))
			continue;
		(*nchanged)++;
		if (correctable[i].stages & FX(stage))
			continue;
		field_err(fe, correctable[i].field, stage_why[stage],
			  (long long)case_id);
	}
	return fe->n ? TB_ECONFLICT : 0;
}

static int write_corrections(struct store *s, const struct cases_actor *a,
			     const struct fields *old, const struct fields *new,
			     const char *reason, struct buf *note,
			     struct buf *err)
{
	int rc = 0;
	for (size_t i = 1; i < 10 && rc == 0; i++) {
		if (!strcmp(old->v[i], new->v[i]))
			continue;
		struct store_correction c = { 0 };
		snprintf(c.nik, sizeof c.nik, "%.16s", old->v[0]);
		snprintf(c.field, sizeof c.field, "%s", correctable[i].field);
		snprintf(c.old_value, sizeof c.old_value, "%s", old->v[i]);
		snprintf(c.new_value, sizeof c.new_value, "%s", new->v[i]);
		snprintf(c.reason, sizeof c.reason, "%s", reason);
		snprintf(c.by, sizeof c.by, "%s", a->name);
		rc = store_correction_add(s, &c, err);
		if (rc == 0 && buf_addf(note, "%s%s", note->len ? ", " : "",
					c.field) < 0)
			rc = tb_err(err, TB_ENOMEM, "memori habis");
	}
	return rc;
}

int cases_resident_correct(struct store *s, const struct cases_actor *a,
			   const char *nik, const struct cases_resident_in *in,
			   const char *reason, struct cases_field_errors *fe,
			   size_t *nchanged, struct buf *err)
{
	struct store_resident cur, next;
	struct fields old, new;
	struct cases_resident_in m;
	struct buf note = BUF_INIT;
	enum fix_stage stage;
	int64_t case_id;
	size_t changed = 0;
	char object[32];
	int rc;
	fe->n = 0;
	if (nchanged)
		*nchanged = 0;
	if ((rc = may_edit_residents(a, err)) < 0)
		return rc;
	struct buf why = BUF_INIT;
	if (!blank(reason) &&
	    utf8_str_check(reason, UTF8_MULTILINE, "alasan koreksi", &why) < 0) {
		field_err(fe, "reason", "%s", why.data);
		buf_release(&why);
		return tb_err(err, TB_EINVAL, "%s", fe->e[0].msg);
	}
	if (blank(reason) || strlen(reason) >= STORE_TEXT_MAX) {
		field_err(fe, "reason", blank(reason)
			  ? "alasan koreksi wajib diisi"
			  : "alasan koreksi terlalu panjang (paling banyak %d bita)",
			  STORE_TEXT_MAX - 1);
		return tb_err(err, TB_EINVAL, "%s", fe->e[0].msg);
	}
	if (in->nik && strcmp(in->nik, or_empty(nik)) != 0) {
		field_err(fe, "nik", "NIK tidak dapat dikoreksi; NIK yang salah "
			  "berarti penduduk baru");
		return tb_err(err, TB_ECONFLICT, "%s", fe->e[0].msg);
	}
	if ((rc = store_begin(s, err)) < 0)
		return rc;
	rc = store_resident_get(s, or_empty(nik), &cur, err);
	if ((rc == TB_ENOTFOUND && !cases_sees_all(a)) ||
	    (rc == 0 && !wf_can_see(a->role, a->region, cur.village_code))) {
		store_rollback(s);
		return cases__deny_nik(s, a, "resident.correct", nik, err);
	}
	if (rc < 0)
		goto out;
	fields_of(&cur, &old);
	merge(in, &old, &m);
	if ((rc = cases_resident_check(&m, &next, fe)) < 0) {
		tb_err(err, rc, "data penduduk tidak sah: %s", fe->e[0].msg);
		goto out;
	}
	fields_of(&next, &new);
	if ((rc = resident_stage(s, nik, &stage, &case_id, err)) < 0)
		goto out;
	if ((rc = fields_allowed(&old, &new, stage, case_id, fe, &changed)) < 0) {
		tb_err(err, rc, "%s", fe->e[0].msg);
		goto out;
	}
	if (changed == 0) {
		rc = tb_err(err, TB_EINVAL, "tidak ada data yang berubah");
		goto out;
	}
	if (strcmp(old.v[9], new.v[9]) &&
	    (rc = village_ok(s, a, next.village_code, fe, err)) < 0)
		goto out;
	resident_object(object, sizeof object, nik);
	if ((rc = store_resident_update(s, &next, err)) < 0 ||
	    (rc = write_corrections(s, a, &old, &new, reason, &note, err)) < 0 ||
	    (rc = buf_addf(&note, ": %s", reason) < 0
			  ? tb_err(err, TB_ENOMEM, "memori habis") : 0) < 0 ||
	    (rc = store_audit_add(s, a->name, role_name(a->role),
				  "resident.correct", object, note.data, err)) < 0)
		goto out;
	rc = 0;
out:
	if ((rc = store_end(s, rc, err)) == 0 && nchanged)
		*nchanged = changed;
	buf_release(&note);
	return rc;
}

int cases_resident_get(struct store *s, const struct cases_actor *a,
		       const char *nik, struct store_resident *r,
		       struct store_correction **out, size_t *n,
		       struct buf *err)
{
	char prefix[REGION_CODE_MAX + 1];
	int rc;
	*out = NULL;
	*n = 0;
	if ((rc = cases_scope(a, prefix, err)) < 0)
		return rc;
	rc = store_resident_get(s, or_empty(nik), r, err);
	if ((rc == TB_ENOTFOUND && !cases_sees_all(a)) ||
	    (rc == 0 && a && !wf_can_see(a->role, a->region, r->village_code)))
		return cases__deny_nik(s, a, "resident.get", nik, err);
	if (rc < 0)
		return rc;
	return store_correction_list(s, r->nik, out, n, err);
}

/* ---- web pages: what the correction form may offer ----------------- */

int cases_resident_locked(struct store *s, const char *nik,
			  struct cases_field_errors *locked, struct buf *err)
{
	enum fix_stage stage;
	int64_t case_id;
	int rc = resident_stage(s, or_empty(nik), &stage, &case_id, err);
	memset(locked, 0, sizeof *locked);
	if (rc < 0)
		return rc;
	/* The same table and the same words as cases_resident_correct's
	 * refusal, so the form never offers what the correction refuses. */
	for (size_t i = 0; i < ARRAY_SIZE(correctable); i++) {
		if (correctable[i].stages & FX(stage))
			continue;
		if (!correctable[i].stages)
			field_err(locked, correctable[i].field, "NIK yang "
				  "salah berarti penduduk baru; daftarkan "
				  "sebagai penduduk baru");
		else
			field_err(locked, correctable[i].field, stage_why[stage],
				  (long long)case_id);
	}
	return 0;
}
