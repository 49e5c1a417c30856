/*
 * The operations on cases and users. Each writing operation follows one
 * shape: check the input, begin, load and check role/region/state, write,
 * audit, commit; any failure rolls back, so the database either has the
 * change and its audit row or neither.
 */
#include "cases/cases.h"
#include "cases/cases_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/digest.h"
#include "core/err.h"
#include "core/fmt.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/random.h"
#include "core/str.h"
#include "core/utf8.h"

#define CONSOLE_NAME CASES_CONSOLE_NAME

/*
 * Who may record what on a case they can see. The workflow table says
 * who moves a case; this one says who fills it in between moves: the
 * village collects the referral and the verification results, the village
 * and the kecamatan's poverty team carry out the survey.
 */
static const struct {
	const char *what;
	unsigned roles;
} editors[] = {
	{ "rujukan", 1u << ROLE_DESA },
	{ "survei", (1u << ROLE_DESA) | (1u << ROLE_KECAMATAN) },
	{ "verifikasi", 1u << ROLE_DESA },
	{ "answers", (1u << ROLE_DESA) | (1u << ROLE_KECAMATAN) },
};

int cases_parse_id(const char *s, int64_t *out, struct buf *err)
{
	char *end;
	if (!str_all_digits(s) || strlen(s) > 15)
		return tb_err(err, TB_EINVAL, "nomor kasus tidak sah: %s",
			      s ? s : "(kosong)");
	long long v = strtoll(s, &end, 10);
	if (v <= 0)
		return tb_err(err, TB_EINVAL, "nomor kasus tidak sah: %s", s);
	*out = v;
	return 0;
}

static const char *actor_name(const struct cases_actor *a)
{
	return a ? a->name : CONSOLE_NAME;
}

static const char *actor_role(const struct cases_actor *a)
{
	return a ? role_name(a->role) : role_name(ROLE_ADMIN);
}

static int audit(struct store *s, const struct cases_actor *a,
		 const char *action, const char *object, const char *note,
		 struct buf *err)
{
	return store_audit_add(s, actor_name(a), actor_role(a), action, object,
			       note, err);
}

int cases__audit(struct store *s, const struct cases_actor *a,
		 const char *action, const char *object, const char *note,
		 struct buf *err)
{
	return audit(s, a, action, object, note, err);
}

/* ---- users -------------------------------------------------------- */

static int actor_from_user(const struct store_user *u,
			   struct cases_actor *out, struct buf *err)
{
	int role = role_parse(u->role);
	if (role < 0)
		return tb_err(err, TB_EDB, "peran pengguna %s rusak: %s",
			      u->name, u->role);
	snprintf(out->name, sizeof out->name, "%s", u->name);
	out->role = (enum role)role;
	snprintf(out->region, sizeof out->region, "%s", u->region);
	out->must_change_password = u->must_change_password;
	out->session_sha256[0] = 0;
	/* Last, so a disabled user is refused on every path in: token,
	 * session and the CLI's --by. */
	if (u->disabled)
		return tb_err(err, TB_EAUTH, "pengguna %s dinonaktifkan",
			      u->name);
	return 0;
}

int cases__actor_from_user(const struct store_user *u,
			   struct cases_actor *out, struct buf *err)
{
	return actor_from_user(u, out, err);
}

int cases_actor_load(struct store *s, const char *name,
		     struct cases_actor *out, struct buf *err)
{
	struct store_user u;
	if (!name || !*name)
		return tb_err(err, TB_EINVAL, "pengguna (--by) wajib diisi");
	int rc = store_user_get(s, name, &u, err);
	return rc < 0 ? rc : actor_from_user(&u, out, err);
}

int cases_authenticate(struct store *s, enum cases_cred kind,
		       const char *secret, struct cases_actor *out,
		       struct buf *err)
{
	struct store_user u;
	struct buf hex = BUF_INIT;
	int rc = TB_EAUTH;
	/* strnlen: an over-long secret is refused without reading it all. */
	size_t n = secret ? strnlen(secret, CASES_SECRET_MAX + 1) : 0;
	if (n == 0 || n > CASES_SECRET_MAX) {
		rc = tb_err(err, TB_EAUTH, "kredensial kosong atau terlalu panjang");
		goto out;
	}
	if (digest_sha256_hex(&hex, secret, n) < 0) {
		rc = tb_err(err, TB_ENOMEM, "memori habis");
		goto out;
	}
	/* Each kind finds its user row by the hash; what follows the switch
	 * (the actor, with its disabled-user check) is shared by both
	 * kinds. */
	switch (kind) {
	case CASES_CRED_BEARER:
		rc = store_user_by_token(s, hex.data, &u, err);
		break;
	case CASES_CRED_SESSION:
		/* Expiry and the last-seen touch live with the sessions
		 * (account.c); TB_EAUTH when unknown or expired. */
		rc = cases__session_user(s, hex.data, &u, err);
		break;
	default:
		rc = tb_err(err, TB_EINTERNAL, "jenis kredensial tidak dikenal: %d",
			    (int)kind);
		goto out;
	}
	if (rc == TB_ENOTFOUND)
		rc = tb_err(err, TB_EAUTH, "token tidak dikenal");
	/* An expired token is refused like an unknown one: the caller
	 * learns nothing about which tokens once existed. */
	if (rc == 0 && kind == CASES_CRED_BEARER && u.token_expires_at &&
	    cases__now() >= u.token_expires_at)
		rc = tb_err(err, TB_EAUTH, "token tidak dikenal");
	if (rc == 0)
		rc = actor_from_user(&u, out, err);
	if (rc == 0 && kind == CASES_CRED_SESSION)
		snprintf(out->session_sha256, sizeof out->session_sha256, "%s",
			 hex.data);
out:
	buf_release(&hex);
	return rc;
}

static int audit_denied(struct store *s, const struct cases_actor *a,
			const char *action, const char *what,
			const char *object, struct buf *err)
{
	int rc = store_begin(s, err);
	if (rc < 0)
		return rc;
	if ((rc = audit(s, a, action, object, what, err)) < 0) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, err);
}

int cases_audit_denied(struct store *s, const struct cases_actor *a,
		       const char *what, const char *object, struct buf *err)
{
	return audit_denied(s, a, "access.denied", what, object, err);
}

/* 32 random bytes as unpadded base64url: 43 characters. */
static int new_token(struct buf *out, struct buf *err)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				  "0123456789-_";
	unsigned char raw[33] = { 0 };
	if (rand_bytes(raw, 32) < 0)
		return tb_err(err, TB_ECRYPTO, "gagal membuat token acak");
	for (int i = 0; i < 33; i += 3) {
		unsigned v = (unsigned)raw[i] << 16 | (unsigned)raw[i + 1] << 8 |
			     raw[i + 2];
		int nchars = i + 3 <= 32 ? 4 : 3; /* last group: 2 bytes */
		for (int k = 0; k < nchars; k++)
			if (buf_addc(out, b64[(v >> (18 - 6 * k)) & 63]) < 0)
				return tb_err(err, TB_ENOMEM, "memori habis");
	}
	return 0;
}

int cases__new_token(struct buf *out, struct buf *err)
{
	return new_token(out, err);
}

static int user_name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	return n > 0 && n < 64 &&
	       strspn(name, "abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n &&
	       strcmp(name, CONSOLE_NAME) != 0;
}

/* The region a role needs: a village for desa, a kecamatan for
 * kecamatan, none for the rest. Fills digits ("" when none). */
static int user_region(struct store *s, enum role role, const char *region,
		       char digits[REGION_CODE_MAX + 1], struct buf *err)
{
	const char *kind = role == ROLE_DESA ? "desa/kelurahan"
			   : role == ROLE_KECAMATAN ? "kecamatan"
						    : NULL;
	digits[0] = 0;
	if (!kind) {
		if (region && *region)
			return tb_err(err, TB_EINVAL,
				      "peran %s tidak memakai wilayah (--region)",
				      role_name(role));
		return 0;
	}
	if (!region || !*region)
		return tb_err(err, TB_EINVAL,
			      "peran %s memerlukan --region (kode %s)",
			      role_name(role), kind);
	int want = role == ROLE_DESA ? 10 : 6;
	if (region_normalize(region, digits) != want)
		return tb_err(err, TB_EINVAL,
			      "wilayah %s bukan kode %s (%d digit)", region, kind,
			      want);
	struct store_region r;
	int rc = store_region_get(s, digits, &r, err);
	if (rc == TB_ENOTFOUND)
		return tb_err(err, TB_EINVAL, "wilayah %s tidak dikenal", region);
	return rc;
}

int cases_user_add(struct store *s, const struct cases_actor *by,
		   const char *name, const char *role, const char *region,
		   struct buf *token, struct buf *err)
{
	struct store_user u = { 0 };
	struct buf tok = BUF_INIT, hex = BUF_INIT, note = BUF_INIT;
	int r, rc;
	if (by && by->role != ROLE_ADMIN)
		return tb_err(err, TB_EPERM, "hanya admin yang boleh menambah "
					     "pengguna");
	if (!user_name_ok(name))
		return tb_err(err, TB_EINVAL,
			      "nama pengguna tidak sah (huruf, angka, titik, "
			      "garis bawah, tanda hubung; paling banyak 63)");
	if ((r = role_parse(role)) < 0)
		return tb_err(err, TB_EINVAL,
			      "peran tidak dikenal: %s (desa, dinkes, kecamatan, "
			      "dinsos, faskes, admin)", role ? role : "");
	if ((rc = store_begin(s, err)) < 0)
		return rc;
	if ((rc = user_region(s, (enum role)r, region, u.region, err)) < 0)
		goto out;
	snprintf(u.name, sizeof u.name, "%s", name);
	snprintf(u.role, sizeof u.role, "%s", role_name((enum role)r));
	if ((rc = new_token(&tok, err)) < 0)
		goto out;
	rc = TB_ENOMEM;
	if (digest_sha256_hex(&hex, tok.data, tok.len) < 0 ||
	    buf_addf(&note, "peran %s%s%s", u.role, *u.region ? ", wilayah " : "",
		     u.region) < 0) {
		tb_err(err, rc, "memori habis");
		goto out;
	}
	if ((rc = store_user_add(s, &u, hex.data, err)) < 0)
		goto out;
	struct buf object = BUF_INIT;
	buf_addf(&object, "user:%s", u.name);
	rc = audit(s, by, "user.add", object.data, note.data, err);
	buf_release(&object);
out:
	if ((rc = store_end(s, rc, err)) == 0)
		rc = buf_add(token, tok.data, tok.len);
	buf_release(&tok);
	buf_release(&hex);
	buf_release(&note);
	return rc;
}

/* ---- access ------------------------------------------------------- */

static int can_see(const struct cases_actor *a, const struct store_case *c)
{
	return !a || wf_can_see(a->role, a->region, c->village_code);
}

int cases_sees_all(const struct cases_actor *a)
{
	return !a || a->role == ROLE_DINKES || a->role == ROLE_DINSOS;
}

/*
 * Loads the case when the actor may see it. For an actor with a scope,
 * a case that does not exist and one outside the scope get the same
 * TB_EPERM and the same words, so case ids cannot be probed by the
 * difference (the HTTP server audits every 403 with the id asked for).
 */
static int load_visible(struct store *s, const struct cases_actor *a,
			int64_t id, struct store_case *c, struct buf *err)
{
	int rc = store_case_get(s, id, c, err);
	if (rc < 0 && (rc != TB_ENOTFOUND || cases_sees_all(a)))
		return rc;
	if (rc == TB_ENOTFOUND || !can_see(a, c))
		return tb_err(err, TB_EPERM,
			      "kasus %lld tidak ditemukan di wilayah Anda",
			      (long long)id);
	return 0;
}

int cases__deny_nik(struct store *s, const struct cases_actor *a,
		    const char *what, const char *nik, struct buf *err)
{
	char object[64];
	struct buf aerr = BUF_INIT;
	/* The NIK asked for goes in the audit log (only there: the message
	 * is the same for every NIK), in its own transaction, the refused
	 * one having rolled back. An audit failure must not turn the
	 * refusal into something else. */
	/* Only a well-formed NIK is copied: the text is the caller's. */
	snprintf(object, sizeof object, "resident:%s",
		 str_is_digits(nik, NIK_LEN) ? nik : "-");
	if (audit_denied(s, a, "access.denied.nik", what, object, &aerr) < 0)
		log_error("audit of a refused NIK failed: %s", aerr.data);
	buf_release(&aerr);
	return tb_err(err, TB_EPERM, "NIK tidak ditemukan di wilayah Anda");
}

/* The actor may fill in `what` (editors table) on a case it can see
 * that is not final. */
static int may_edit(const struct cases_actor *a, const struct store_case *c,
		    const char *what, struct buf *err)
{
	unsigned roles = 0;
	for (size_t i = 0; i < ARRAY_SIZE(editors); i++)
		if (!strcmp(editors[i].what, what))
			roles = editors[i].roles;
	if (!a || !(roles & (1u << a->role)))
		return tb_err(err, TB_EPERM, "peran %s tidak boleh mengisi %s",
			      actor_role(a), what);
	int st = state_parse(c->state);
	if (st < 0 || wf_is_final((enum case_state)st))
		return tb_err(err, TB_ECONFLICT,
			      "kasus %lld sudah %s; tidak dapat diubah",
			      (long long)c->id,
			      st < 0 ? c->state : state_label((enum case_state)st));
	return 0;
}

int cases_get(struct store *s, const struct cases_actor *a, int64_t id,
	      struct store_case *out, struct buf *err)
{
	return load_visible(s, a, id, out, err);
}

int cases_attachment_get(struct store *s, const struct cases_actor *a,
			 int64_t id, int64_t att_id,
			 struct store_attachment *meta, struct buf *data,
			 struct buf *err)
{
	struct store_case c;
	char object[32], note[48];
	size_t before = data->len;
	int rc = store_begin(s, err);
	if (rc < 0)
		return rc;
	if ((rc = load_visible(s, a, id, &c, err)) < 0 ||
	    (rc = store_attach_get(s, att_id, meta, data, err)) < 0)
		goto out;
	if (meta->case_id != id) {
		rc = tb_err(err, TB_ENOTFOUND, "lampiran %lld tidak ada pada kasus %lld",
			    (long long)att_id, (long long)id);
		goto out;
	}
	snprintf(object, sizeof object, "case:%lld", (long long)id);
	snprintf(note, sizeof note, "attachment:%lld", (long long)att_id);
	rc = audit(s, a, "case.attachment.get", object, note, err);
out:
	if (rc < 0) {
		store_rollback(s);
		buf_truncate(data, before);
		return rc;
	}
	return store_commit(s, err);
}

struct list_ctx {
	const struct cases_actor *a;
	int (*fn)(const struct store_case *c, void *arg);
	void *arg;
};

static int list_one(const struct store_case *c, void *arg)
{
	struct list_ctx *l = arg;
	return can_see(l->a, c) ? l->fn(c, l->arg) : 0;
}

int cases_list(struct store *s, const struct cases_actor *a,
	       const struct store_case_filter *f,
	       int (*fn)(const struct store_case *c, void *arg), void *arg,
	       struct buf *err)
{
	struct list_ctx l = { a, fn, arg };
	return store_case_each(s, f, list_one, &l, err);
}

/* ---- writing operations ------------------------------------------- */

static void case_object(char *dst, size_t n, int64_t id)
{
	snprintf(dst, n, "case:%lld", (long long)id);
}

/* Kecamatan's puskesmas for a village, "" when unknown. */
static void default_faskes(struct store *s, const char *village, char *dst,
			   size_t n)
{
	struct store_region r;
	char kec[7];
	snprintf(kec, sizeof kec, "%.6s", village);
	dst[0] = 0;
	if (store_region_get(s, kec, &r, NULL) == 0)
		snprintf(dst, n, "%s", r.faskes);
}

/* Roles that may move a case out of draft are the ones that open it. */
static int may_create(enum role role)
{
	for (size_t i = 0; i < wf_table_len; i++)
		if (wf_table[i].from == ST_DRAFT &&
		    (wf_table[i].roles & (1u << role)))
			return 1;
	return 0;
}

int cases_create(struct store *s, const struct cases_actor *a,
		 const char *nik, int64_t *id_out, struct buf *err)
{
	struct store_resident r;
	struct store_case c = { 0 };
	struct store_resident_case *open = NULL;
	size_t nopen = 0;
	char object[32];
	int64_t id = 0;
	int rc;
	if (!a || !may_create(a->role))
		return tb_err(err, TB_EPERM, "peran %s tidak boleh membuat kasus",
			      actor_role(a));
	if (!str_is_digits(nik, NIK_LEN))
		return tb_err(err, TB_EINVAL, "NIK harus 16 digit");
	if ((rc = store_begin(s, err)) < 0)
		return rc;
	rc = store_resident_get(s, nik, &r, err);
	if (rc == TB_ENOTFOUND && !cases_sees_all(a)) {
		store_rollback(s);
		return cases__deny_nik(s, a, "case.new", nik, err);
	}
	if (rc < 0)
		goto out;
	if (!wf_can_see(a->role, a->region, r.village_code)) {
		store_rollback(s);
		return cases__deny_nik(s, a, "case.new", nik, err);
	}
	/* One open case per resident: a second draft splits the survey,
	 * the attachments and the reviewers' work over two cases, and both
	 * could reach approved. Checked under the write lock, so two
	 * operators opening at once cannot both get one. */
	if ((rc = store_resident_cases(s, nik, date_today(), &open, &nopen,
				       err)) < 0)
		goto out;
	for (size_t i = 0; i < nopen; i++) {
		int st = state_parse(open[i].state);
		if (st >= 0 && !wf_is_final((enum case_state)st)) {
			rc = tb_err(err, TB_ECONFLICT,
				    "sudah ada kasus terbuka #%lld untuk "
				    "penduduk ini", (long long)open[i].id);
			goto out;
		}
	}
	snprintf(c.nik, sizeof c.nik, "%s", nik);
	snprintf(c.village_code, sizeof c.village_code, "%s", r.village_code);
	snprintf(c.state, sizeof c.state, "%s", state_name(ST_DRAFT));
	snprintf(c.created_by, sizeof c.created_by, "%s", a->name);
	default_faskes(s, r.village_code, c.faskes, sizeof c.faskes);
	if ((rc = store_case_add(s, &c, &id, err)) < 0)
		goto out;
	case_object(object, sizeof object, id);
	if ((rc = audit(s, a, "case.new", object, NULL, err)) < 0)
		goto out;
	if ((rc = store_commit(s, err)) < 0)
		return rc;
	free(open);
	if (id_out)
		*id_out = id;
	return 0;
out:
	free(open);
	store_rollback(s);
	return rc;
}

int cases_answers(struct store *s, const struct policy *p,
		  const struct cases_actor *a, int64_t id,
		  const struct elig_answer *answers, size_t n, struct buf *err)
{
	struct store_case c;
	char object[32];
	int rc;
	if (n == 0)
		return tb_err(err, TB_EINVAL, "tidak ada jawaban survei");
	for (size_t i = 0; i < n; i++) {
		if ((rc = policy_answer_check(p, answers[i].code, answers[i].value,
					      err)) < 0)
			return rc;
		/* Two answers to one indicator in one request: which one
		 * counts would depend on the order they were written in.
		 * n is at most a few dozen, so the pairwise check is cheap. */
		for (size_t k = 0; k < i; k++)
			if (!strcmp(answers[k].code, answers[i].code))
				return tb_err(err, TB_EINVAL,
					      "indikator %s dijawab dua kali "
					      "(jawaban ke-%zu dan ke-%zu)",
					      answers[i].code, k + 1, i + 1);
	}
	if ((rc = store_begin(s, err)) < 0)
		return rc;
	if ((rc = load_visible(s, a, id, &c, err)) < 0 ||
	    (rc = may_edit(a, &c, "answers", err)) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct store_answer sa = { .value = answers[i].value };
		snprintf(sa.code, sizeof sa.code, "%s", answers[i].code);
		if ((rc = store_answer_put(s, id, &sa, a->name, err)) < 0)
			goto out;
	}
	struct buf note = BUF_INIT;
	buf_addf(&note, "%zu jawaban", n);
	case_object(object, sizeof object, id);
	rc = store_case_touch(s, id, a->name, err);
	if (rc == 0)
		rc = audit(s, a, "case.answers", object, note.data, err);
	buf_release(&note);
	if (rc < 0)
		goto out;
	return store_commit(s, err);
out:
	store_rollback(s);
	return rc;
}

int cases_attach(struct store *s, const struct cases_actor *a, int64_t id,
		 const char *kind, const char *filename, const void *data,
		 size_t n, int64_t *att_id, struct buf *err)
{
	struct store_case c;
	struct store_attachment at = { .case_id = id };
	struct buf note = BUF_INIT;
	char object[32];
	int rc;
	if (!kind || !*kind)
		return tb_err(err, TB_EINVAL, "jenis lampiran (--kind) wajib diisi");
	/* The file name is shown in lists and sent back in a header. */
	if ((rc = utf8_str_check(filename, 0, "nama berkas", err)) < 0)
		return rc;
	if ((rc = store_begin(s, err)) < 0)
		return rc;
	if ((rc = load_visible(s, a, id, &c, err)) < 0)
		goto out;
	snprintf(at.kind, sizeof at.kind, "%s", kind);
	snprintf(at.filename, sizeof at.filename, "%s",
		 filename && *filename ? filename : "lampiran");
	/* The store checks kind, size and magic bytes before the role, so an
	 * unusable file is reported as such whoever sends it. */
	if (strcmp(kind, "rujukan") && strcmp(kind, "survei") &&
	    strcmp(kind, "verifikasi")) {
		rc = tb_err(err, TB_EINVAL,
			    "jenis lampiran harus rujukan, survei atau verifikasi");
		goto out;
	}
	if ((rc = may_edit(a, &c, kind, err)) < 0)
		goto out;
	snprintf(at.created_by, sizeof at.created_by, "%s", a->name);
	if ((rc = store_attach_add(s, &at, data, n, err)) < 0)
		goto out;
	case_object(object, sizeof object, id);
	buf_addf(&note, "lampiran %lld %s %s %lld bita sha256 %s",
		 (long long)at.id, at.kind, at.mime, (long long)at.size,
		 at.sha256);
	if ((rc = store_case_touch(s, id, a->name, err)) < 0 ||
	    (rc = audit(s, a, "case.attach", object, note.data, err)) < 0)
		goto out;
	rc = 0;
out:
	if ((rc = store_end(s, rc, err)) == 0 && att_id)
		*att_id = at.id;
	buf_release(&note);
	return rc;
}

/* ---- facts and decision ------------------------------------------- */

int cases_facts_load(struct store *s, int64_t id, struct cases_facts *out,
		     struct buf *err)
{
	struct store_pbi *pbi = NULL;
	size_t npbi = 0;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = store_case_get(s, id, &out->c, err)) < 0 ||
	    (rc = store_resident_get(s, out->c.nik, &out->r, err)) < 0 ||
	    (rc = store_pbi_list(s, out->c.nik, &pbi, &npbi, err)) < 0)
		goto out;
	for (size_t i = 0; i < npbi; i++) {
		if (!pbi[i].active)
			continue;
		if (!strcmp(pbi[i].program, "PBI-JKN"))
			out->pbi_jkn_active = 1;
		else if (!strcmp(pbi[i].program, "PBI-APBD"))
			out->pbi_apbd_active = 1;
	}
	if ((rc = store_answer_list(s, id, &out->stored, &out->nanswers,
				    err)) < 0)
		goto out;
	if (out->nanswers) {
		out->answers = calloc(out->nanswers, sizeof *out->answers);
		if (!out->answers) {
			rc = tb_err(err, TB_ENOMEM, "memori habis");
			goto out;
		}
	}
	for (size_t i = 0; i < out->nanswers; i++) {
		out->answers[i].code = out->stored[i].code;
		out->answers[i].value = out->stored[i].value;
	}
	if ((rc = store_attach_count(s, id, "rujukan", err)) < 0)
		goto out;
	out->has_rujukan = rc > 0;
	if ((rc = store_attach_count(s, id, "verifikasi", err)) < 0)
		goto out;
	out->has_verifikasi = rc > 0;
	out->facts = (struct elig_facts){
		.nik = out->r.nik,
		.birth_date = out->r.birth_date,
		.sex = out->r.sex,
		.village_code = out->r.village_code,
		.pbi_jkn_active = out->pbi_jkn_active,
		.pbi_apbd_active = out->pbi_apbd_active,
		.nanswers = out->nanswers,
		.answers = out->answers,
	};
	rc = 0;
out:
	free(pbi);
	if (rc < 0)
		cases_facts_release(out);
	return rc;
}

void cases_facts_release(struct cases_facts *f)
{
	free(f->stored);
	free(f->answers);
	f->stored = NULL;
	f->answers = NULL;
	f->nanswers = 0;
}

int cases_decide(struct store *s, const struct policy *p,
		 const struct cases_actor *a, int64_t id,
		 struct elig_decision *out, struct buf *err)
{
	struct cases_facts f;
	struct store_case c;
	int rc = load_visible(s, a, id, &c, err);
	if (rc < 0)
		return rc;
	if ((rc = cases_facts_load(s, id, &f, err)) < 0)
		return rc;
	rc = elig_decide(p, &f.facts, out);
	cases_facts_release(&f);
	return rc < 0 ? tb_err(err, rc, "keputusan kelayakan gagal") : 0;
}

/* ---- moves -------------------------------------------------------- */

static int survey_complete(const struct elig_decision *d)
{
	const struct elig_rule *r = elig_rule_find(d, "survey_complete");
	return r ? r->passed : d->answered >= d->required;
}

int cases_move(struct store *s, const struct policy *p,
	       const struct cases_actor *a, int64_t id, const char *to,
	       const char *note, struct buf *err)
{
	struct cases_facts f;
	struct elig_decision d;
	struct buf msg = BUF_INIT;
	char object[32];
	int to_st = state_parse(to), from_st, rc;
	if (!a)
		return tb_err(err, TB_EPERM,
			      "memindahkan kasus memerlukan pengguna (--by)");
	if (to_st < 0)
		return tb_err(err, TB_EINVAL, "status tidak dikenal: %s",
			      to ? to : "");
	if ((rc = utf8_str_check(note, UTF8_MULTILINE, "catatan", err)) < 0)
		return rc;
	if ((rc = store_begin(s, err)) < 0)
		return rc;
	/* load_visible first: its answer for an unknown id is the one for
	 * an id outside the scope. */
	if ((rc = load_visible(s, a, id, &f.c, err)) < 0 ||
	    (rc = cases_facts_load(s, id, &f, err)) < 0) {
		store_rollback(s);
		return rc;
	}
	if ((from_st = state_parse(f.c.state)) < 0) {
		rc = tb_err(err, TB_EDB, "status kasus rusak: %s", f.c.state);
		goto out;
	}
	if ((rc = elig_decide(p, &f.facts, &d)) < 0) {
		rc = tb_err(err, rc, "keputusan kelayakan gagal");
		goto out;
	}
	struct wf_ctx ctx = {
		.role = a->role,
		.actor_region = a->region,
		.case_village = f.c.village_code,
		.has_rujukan = f.has_rujukan,
		.has_verifikasi = f.has_verifikasi,
		.survey_complete = survey_complete(&d),
		.eligible = d.eligible,
		.note = note,
	};
	if ((rc = wf_check((enum case_state)from_st, (enum case_state)to_st,
			   &ctx, err)) < 0)
		goto out;
	if ((rc = store_case_set_state(s, id, state_name((enum case_state)to_st),
				       a->name, err)) < 0)
		goto out;
	case_object(object, sizeof object, id);
	buf_addf(&msg, "%s -> %s", f.c.state, state_name((enum case_state)to_st));
	if (note && *note)
		buf_addf(&msg, ": %s", note);
	rc = audit(s, a, "case.move", object, msg.data, err);
out:
	rc = store_end(s, rc, err);
	cases_facts_release(&f);
	buf_release(&msg);
	return rc;
}

/* ---- web pages: adding a user from a form (admin) ------------------ */

/* One message per field, in the form's words (the CLI's say --region). */
static void user_field(struct cases_field_errors *fe, const char *field,
		       const char *msg)
{
	if (cases_field_error_msg(fe, field) || fe->n >= ARRAY_SIZE(fe->e))
		return;
	fe->e[fe->n].field = field;
	snprintf(fe->e[fe->n].msg, sizeof fe->e[fe->n].msg, "%s", msg);
	fe->n++;
}

int cases_user_add_form(struct store *s, const struct cases_actor *by,
			const char *name, const char *role, const char *region,
			struct buf *token, struct cases_field_errors *fe,
			struct buf *err)
{
	char digits[REGION_CODE_MAX + 1];
	struct store_region reg;
	int r, rc;
	fe->n = 0;
	if (by && by->role != ROLE_ADMIN)
		return tb_err(err, TB_EPERM, "hanya admin yang boleh menambah "
					     "pengguna");
	if (!user_name_ok(name))
		user_field(fe, "name", "Nama pengguna 1 sampai 63 karakter: huruf "
				       "tanpa spasi, angka, titik, garis bawah atau "
				       "tanda hubung.");
	r = role_parse(role);
	if (r < 0)
		user_field(fe, "role", "Pilih salah satu peran.");
	/* The region is judged only against a known role: which kind of
	 * code is wanted depends on it. */
	if (r == ROLE_DESA || r == ROLE_KECAMATAN) {
		int want = r == ROLE_DESA ? 10 : 6;
		if (!region || !*region)
			user_field(fe, "region", r == ROLE_DESA
				   ? "Isi kode desa/kelurahan (10 angka, mis. 35.10.05.2001)."
				   : "Isi kode kecamatan (6 angka, mis. 35.10.05).");
		else if (region_normalize(region, digits) != want)
			user_field(fe, "region", r == ROLE_DESA
				   ? "Kode desa/kelurahan terdiri dari 10 angka, mis. 35.10.05.2001."
				   : "Kode kecamatan terdiri dari 6 angka, mis. 35.10.05.");
		else if ((rc = store_region_get(s, digits, &reg, err)) ==
			 TB_ENOTFOUND)
			user_field(fe, "region", "Kode wilayah ini tidak ada dalam "
						 "data wilayah kabupaten.");
		else if (rc < 0)
			return rc;
	} else if (r >= 0 && region && *region) {
		user_field(fe, "region", "Peran ini tidak memakai wilayah; "
					 "kosongkan isian ini.");
	}
	if (fe->n)
		return tb_err(err, TB_EINVAL, "%s", fe->e[0].msg);
	if (err)
		buf_reset(err);
	rc = cases_user_add(s, by, name, role, region, token, err);
	if (rc == TB_ECONFLICT) {
		user_field(fe, "name", "Nama pengguna ini sudah dipakai. Pilih "
				       "nama lain.");
		rc = tb_err(err, TB_EINVAL, "%s", fe->e[0].msg);
	}
	return rc;
}

/* ---- web pages: the case page's attachments ------------------------ */

int cases_attachment_list(struct store *s, const struct cases_actor *a,
			  int64_t id, struct store_attachment **out, size_t *n,
			  struct buf *err)
{
	struct store_case c;
	*out = NULL;
	*n = 0;
	/* Metadata only, no bytes handed out: nothing to audit (a download
	 * is, in cases_attachment_get). */
	int rc = load_visible(s, a, id, &c, err);
	return rc < 0 ? rc : store_attach_list(s, id, out, n, err);
}
