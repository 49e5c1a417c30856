/*
 * The issue gate, revocation and reissue. The gate's steps run inside one
 * store transaction so that a crash, a refusal or a failure anywhere
 * leaves a whole document or none (docs/issuance.md).
 */
#include "issue/issue.h"
#include "issue/status.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/digest.h"
#include "core/err.h"
#include "core/fmt.h"
#include "core/ids.h"
#include "core/json.h"
#include "core/str.h"
#include "core/utf8.h"
#include "issue/fields.h"
#include "issue/seal.h"
#include "sign/pades.h"
#include "sign/token.h"

const char *issue_kind_name(enum issue_kind k)
{
	return k == ISSUE_CARD ? "card" : "letter";
}

int issue_kind_parse(const char *s, struct buf *err)
{
	if (s && (!strcmp(s, "letter") || !strcmp(s, "surat")))
		return ISSUE_LETTER;
	if (s && (!strcmp(s, "card") || !strcmp(s, "kartu")))
		return ISSUE_CARD;
	return tb_err(err, TB_EINVAL,
		      "jenis dokumen harus letter (surat) atau card (kartu)");
}

int issue_serial_parse(const char *in, char out[SERIAL_LEN + 1], struct buf *err)
{
	size_t n = 0;
	for (const char *p = in ? in : ""; *p; p++) {
		if (*p == ' ' || *p == '-')
			continue;
		if (!isxdigit((unsigned char)*p) || n == 16)
			return tb_err(err, TB_EINVAL,
				      "nomor seri harus 16 digit heksadesimal");
		out[n++] = (char)toupper((unsigned char)*p);
	}
	out[n] = 0;
	if (n != 16)
		return tb_err(err, TB_EINVAL,
			      "nomor seri harus 16 digit heksadesimal");
	return 0;
}

/* Issuing, revoking and reissuing belong to the social office. */
static int need_dinsos(const struct cases_actor *a, const char *village,
		       struct buf *err)
{
	if (!a)
		return tb_err(err, TB_EPERM,
			      "penerbitan dokumen harus atas nama petugas "
			      "Dinas Sosial (--by PENGGUNA)");
	if (a->role != ROLE_DINSOS)
		return tb_err(err, TB_EPERM,
			      "hanya petugas Dinas Sosial yang boleh menerbitkan, "
			      "mencabut atau mengganti dokumen (%s: %s)",
			      a->name, role_name(a->role));
	if (village && !wf_can_see(a->role, a->region, village))
		return tb_err(err, TB_EPERM, "kasus di luar wilayah %s",
			      a->name);
	return 0;
}

static void days_iso(int64_t days, char out[DATE_LEN + 1])
{
	int y, m, d;
	days_to_date(days, &y, &m, &d);
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

/* One line per failed rule, so the operator sees every reason; the
 * failed rules' codes go to codes (the refusal's audit row). */
static int refuse_ineligible(const struct elig_decision *d, int64_t id,
			     char *codes, size_t ncodes, struct buf *err)
{
	size_t k = 0;
	codes[0] = 0;
	for (size_t i = 0; i < d->nrules; i++)
		if (!d->rules[i].passed && k < ncodes)
			k += (size_t)snprintf(codes + k, ncodes - k, "%s%s",
					      k ? "," : "", d->rules[i].code);
	struct buf msg = BUF_INIT;
	buf_addf(&msg, "kasus %lld tidak layak menurut kebijakan %s:",
		 (long long)id, d->policy_version);
	for (size_t i = 0; i < d->nrules; i++)
		if (!d->rules[i].passed)
			buf_addf(&msg, "\n  - %s", d->rules[i].message);
	int rc = tb_err(err, TB_EREFUSED, "%s", msg.data);
	buf_release(&msg);
	return rc;
}

/* Everything one issuance makes before it is stored. */
struct draft {
	int wrote;                  /* the counter moved: no clean refusal */
	/* The gate's checks said no (docs/reports.md, "refusals by the
	 * gate"): what to write in the issue.refused audit row. */
	char refused[160];          /* reason codes, "" when not a refusal */
	int64_t refused_case;
	enum issue_kind refused_kind;
	struct store_document doc;
	unsigned char serial[TOKEN_SERIAL_LEN];
	struct render_fields fields;
	struct buf number, token, url, raw, pdf, json;
};

static void draft_init(struct draft *d)
{
	d->wrote = 0;
	d->refused[0] = 0;
	d->refused_case = 0;
	d->refused_kind = ISSUE_LETTER;
	memset(&d->doc, 0, sizeof d->doc);
	render_fields_init(&d->fields);
	buf_init(&d->number, 0);
	buf_init(&d->token, 0);
	buf_init(&d->url, 0);
	buf_init(&d->raw, 0);
	buf_init(&d->pdf, 0);
	buf_init(&d->json, 0);
}

static void draft_release(struct draft *d)
{
	render_fields_release(&d->fields);
	buf_release(&d->number);
	buf_release(&d->token);
	buf_release(&d->url);
	buf_release(&d->raw);
	buf_release(&d->pdf);
	buf_release(&d->json);
}

/* Serial, counter and number (letter number or card number). */
static int allocate(struct issue_ctx *ctx, enum issue_kind kind,
		    int64_t today, struct draft *d, struct buf *err)
{
	int y, m, dd;
	int rc = token_serial_new(d->serial, err);
	if (rc < 0)
		return rc;
	str_hex_upper(d->doc.serial, d->serial, TOKEN_SERIAL_LEN);
	days_to_date(today, &y, &m, &dd);
	d->doc.year = y;
	d->wrote = 1;
	rc = store_doc_counter_next(ctx->store, issue_kind_name(kind), y,
				    &d->doc.seq, err);
	if (rc < 0)
		return rc;
	if (kind == ISSUE_LETTER) {
		rc = policy_letter_number(ctx->policy, d->doc.seq, y, m,
					  &d->number);
		return rc < 0 ? tb_err(err, rc, "nomor surat tidak dapat dibuat")
			      : 0;
	}
	char card[ISSUE_CARD_NUMBER_LEN + 1];
	if ((rc = issue_card_number(policy_regency(ctx->policy), y,
				    d->doc.seq, card, err)) < 0)
		return rc;
	return buf_adds(&d->number, card) < 0
		       ? tb_err(err, TB_ENOMEM, "memori habis")
		       : 0;
}

static const char *number_field(enum issue_kind kind)
{
	return kind == ISSUE_LETTER ? "letter_number" : "card_number";
}

/* The token: binds name, nik, birth_date and the number as printed. */
static int make_token(struct issue_ctx *ctx, enum issue_kind kind,
		      int64_t today, struct draft *d, struct buf *err)
{
	static const char *const bound[] = { "name", "nik", "birth_date" };
	struct token_field tf[4];
	for (size_t i = 0; i < 3; i++)
		tf[i] = (struct token_field){ bound[i],
					      render_fields_get(&d->fields,
								bound[i]) };
	tf[3] = (struct token_field){ number_field(kind),
				      render_fields_get(&d->fields,
							number_field(kind)) };
	for (size_t i = 0; i < 4; i++)
		if (!tf[i].value)
			return tb_err(err, TB_EINTERNAL, "field %s kosong",
				      tf[i].name);
	const char *until = render_fields_get(
		&d->fields, kind == ISSUE_LETTER ? "valid_until"
						 : "card_valid_until");
	int y, m, dd;
	if (!until || date_parse(until, &y, &m, &dd) < 0)
		return tb_err(err, TB_EINTERNAL, "masa berlaku tidak terbaca");
	d->doc.issued_day = today;
	d->doc.expires_day = date_to_days(y, m, dd);
	/* Format 2: the token names the office that issued it, so a
	 * verifier trusting several regencies knows whose key to expect. */
	uint32_t issuer = issue_status_issuer(policy_regency(ctx->policy));
	if (!issuer)
		return tb_err(err, TB_EINVAL, "kode kabupaten kebijakan tidak "
			      "sah: %s", policy_regency(ctx->policy));
	int rc = token_make(ctx->keys, (enum token_kind)kind, issuer, d->serial,
			    today, d->doc.expires_day, tf, 4, NULL, &d->token,
			    err);
	if (rc < 0)
		return rc;
	const char *host = ctx->verifier_host
				   ? ctx->verifier_host
				   : policy_setting(ctx->policy, "verifier_host");
	if (!host)
		return tb_err(err, TB_EINVAL, "verifier_host belum diatur");
	if ((rc = token_url(&d->url, host, d->token.data, err)) < 0)
		return rc;
	if ((rc = render_fields_set(&d->fields, "qr", d->url.data)) < 0)
		return tb_err(err, rc, "memori habis");
	return 0;
}

static int fields_json(const struct render_fields *f, struct buf *out)
{
	struct json j;
	json_init(&j, out);
	json_obj_open(&j, NULL);
	for (size_t i = 0; i < f->n; i++)
		json_str(&j, f->item[i].key, f->item[i].value);
	json_obj_close(&j);
	return json_finish(&j);
}

static void copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

/* Render, sign, hash: fills the rest of d->doc. */
static int produce(struct issue_ctx *ctx, enum issue_kind kind,
		   struct draft *d, struct buf *err)
{
	int rc = render_doc(ctx->render,
			    kind == ISSUE_LETTER ? RENDER_LETTER : RENDER_CARD,
			    &d->fields, 0, &d->raw, err);
	if (rc < 0)
		return rc;
	rc = pades_sign(ctx->keys, d->raw.data, d->raw.len, ctx->signing_time,
			&d->pdf, err);
	if (rc < 0)
		return rc;
	struct buf hex = BUF_INIT;
	if (digest_sha256_hex(&hex, d->pdf.data, d->pdf.len) < 0 ||
	    fields_json(&d->fields, &d->json) < 0) {
		buf_release(&hex);
		return tb_err(err, TB_ENOMEM, "memori habis");
	}
	copy(d->doc.sha256, sizeof d->doc.sha256, hex.data);
	buf_release(&hex);
	copy(d->doc.token, sizeof d->doc.token, d->token.data);
	copy(d->doc.number, sizeof d->doc.number, d->number.data);
	copy(d->doc.name, sizeof d->doc.name,
	     render_fields_get(&d->fields, "name"));
	copy(d->doc.nik, sizeof d->doc.nik, render_fields_get(&d->fields, "nik"));
	copy(d->doc.office, sizeof d->doc.office,
	     render_fields_get(&d->fields, "office_name"));
	copy(d->doc.faskes, sizeof d->doc.faskes,
	     render_fields_get(&d->fields, "faskes"));
	d->doc.size = (int64_t)d->pdf.len;
	return 0;
}

/* The checks: approved, eligible now, no other document in force. A
 * refusal names its reasons in codes. */
static int check_case(struct issue_ctx *ctx, const struct cases_facts *f,
		      enum issue_kind kind, int64_t today, const char *replaces,
		      struct issue_result *res, char *codes, size_t ncodes,
		      struct buf *err)
{
	if (strcmp(f->c.state, state_name(ST_APPROVED)) != 0) {
		snprintf(codes, ncodes, "not_approved");
		return tb_err(err, TB_ECONFLICT,
			      "kasus %lld belum disetujui (status: %s); "
			      "dokumen hanya terbit untuk kasus yang disetujui",
			      (long long)f->c.id, f->c.state);
	}
	elig_decide(ctx->policy, &f->facts, &res->decision);
	res->decided = 1;
	if (!res->decision.eligible)
		return refuse_ineligible(&res->decision, f->c.id, codes,
					 ncodes, err);
	struct store_document other;
	struct buf why = BUF_INIT;
	int rc = store_doc_in_force(ctx->store, 0, f->r.nik,
				    issue_kind_name(kind), today, replaces,
				    &other, &why);
	if (rc < 0 && rc != TB_ENOTFOUND)
		tb_err(err, rc, "%s", why.data);
	buf_release(&why);
	if (rc == 0) {
		snprintf(codes, ncodes, "in_force");
		return tb_err(err, TB_ECONFLICT,
			      "penduduk ini masih memegang %s yang berlaku "
			      "(seri %s, nomor %s, kasus %lld); cabut atau "
			      "terbitkan ulang dokumen itu",
			      kind == ISSUE_LETTER ? "surat" : "kartu",
			      other.serial, other.number,
			      (long long)other.case_id);
	}
	return rc == TB_ENOTFOUND ? 0 : rc;
}

/*
 * The gate's body, inside the caller's transaction. replaces: the serial
 * a reissue supersedes (NULL for a first issue). On success the signed
 * bytes are in d->pdf and the stored row in res->doc.
 */
static int gate(struct issue_ctx *ctx, const struct cases_actor *a,
		int64_t case_id, enum issue_kind kind, const char *replaces,
		struct issue_result *res, struct draft *d, struct buf *err)
{
	struct cases_facts f;
	int64_t today = date_today();
	char iso[DATE_LEN + 1];
	d->refused_case = case_id;
	d->refused_kind = kind;
	int rc = cases_facts_load(ctx->store, case_id, &f, err);
	if (rc < 0)
		return rc;
	if ((rc = need_dinsos(a, f.c.village_code, err)) < 0 ||
	    (rc = check_case(ctx, &f, kind, today, replaces, res, d->refused,
			     sizeof d->refused, err)) < 0 ||
	    (rc = allocate(ctx, kind, today, d, err)) < 0)
		goto out;
	days_iso(today, iso);
	struct issue_doc_info info = {
		.serial = d->doc.serial,
		.issue_date = iso,
		.letter_number = kind == ISSUE_LETTER ? d->number.data : NULL,
		.card_number = kind == ISSUE_CARD ? d->number.data : NULL,
	};
	if ((rc = issue_fields_build(ctx->store, ctx->policy, &f,
				     &res->decision, &info, &d->fields,
				     err)) < 0 ||
	    (rc = make_token(ctx, kind, today, d, err)) < 0 ||
	    (rc = produce(ctx, kind, d, err)) < 0)
		goto out;
	copy(d->doc.kind, sizeof d->doc.kind, issue_kind_name(kind));
	d->doc.case_id = case_id;
	d->doc.score = res->decision.score;
	copy(d->doc.policy_version, sizeof d->doc.policy_version,
	     res->decision.policy_version);
	copy(d->doc.issued_by, sizeof d->doc.issued_by, a->name);
	copy(d->doc.replaces, sizeof d->doc.replaces, replaces);
	if ((rc = store_doc_add(ctx->store, &d->doc, d->pdf.data, d->pdf.len,
				d->json.data, err)) < 0)
		goto out;
	char object[32], note[160];
	snprintf(object, sizeof object, "document:%s", d->doc.serial);
	snprintf(note, sizeof note, "case:%lld %s %s%s%s", (long long)case_id,
		 d->doc.kind, d->doc.number, replaces ? " replaces " : "",
		 replaces ? replaces : "");
	if ((rc = store_audit_add(ctx->store, a->name, role_name(a->role),
				  replaces ? "document.reissue"
					   : "document.issue",
				  object, note, err)) < 0)
		goto out;
	rc = issue__reseal(ctx->store, ctx->keys, d->doc.serial, &res->doc,
			   err);
out:
	cases_facts_release(&f);
	return rc;
}

/*
 * The issue.refused audit row of a refusal by the gate's checks (object
 * the case, note "KIND [code,code] message" on one line), inside the
 * caller's transaction. Not for faults or for who may (the server
 * audits access.denied): only what the checks decided.
 */
static int audit_refusal(struct issue_ctx *ctx, const struct cases_actor *a,
			 const struct draft *d, const char *msg,
			 struct buf *err)
{
	char object[32];
	struct buf note = BUF_INIT;
	snprintf(object, sizeof object, "case:%lld", (long long)d->refused_case);
	int rc = buf_addf(&note, "%s [%s] ", issue_kind_name(d->refused_kind),
			  d->refused);
	for (const char *p = msg; !rc && *p; p++)
		rc = buf_addc(&note, *p == '\n' ? ' ' : *p);
	if (rc < 0)
		rc = tb_err(err, TB_ENOMEM, "memori habis");
	else
		rc = store_audit_add(ctx->store, a->name, role_name(a->role),
				     "issue.refused", object, note.data, err);
	buf_release(&note);
	return rc;
}

/* After the refused attempt rolled back: its audit row in a small
 * transaction of its own (like access.denied). A failure to write it
 * does not hide the refusal, which is what the caller must see. */
static void audit_refusal_alone(struct issue_ctx *ctx,
				const struct cases_actor *a,
				const struct draft *d, const char *msg)
{
	struct buf why = BUF_INIT;
	int rc = store_begin(ctx->store, &why);
	if (rc == 0)
		store_end(ctx->store, audit_refusal(ctx, a, d, msg, &why),
			  &why);
	buf_release(&why);
}

/* Commits, and only then hands out the bytes. */
static int finish(struct issue_ctx *ctx, const struct cases_actor *a,
		  int rc, struct draft *d, struct buf *pdf, struct buf *err)
{
	if (rc < 0) {
		store_rollback(ctx->store);
		if (d->refused[0] && !d->wrote)
			audit_refusal_alone(ctx, a, d, err->data ? err->data : "");
		return rc;
	}
	if ((rc = store_commit(ctx->store, err)) < 0)
		return rc;
	if (pdf && buf_add(pdf, d->pdf.data, d->pdf.len) < 0)
		return tb_err(err, TB_ENOMEM, "memori habis");
	return 0;
}

static void result_init(struct issue_result *res)
{
	memset(res, 0, sizeof *res);
}

/* The existing document in force, or the gate; inside a transaction. */
static int issue_one(struct issue_ctx *ctx, const struct cases_actor *a,
		     int64_t case_id, enum issue_kind kind,
		     struct issue_result *res, struct draft *d, int want_pdf,
		     struct buf *err)
{
	struct buf why = BUF_INIT;
	int rc = store_doc_in_force(ctx->store, case_id, NULL,
				    issue_kind_name(kind), date_today(), NULL,
				    &res->doc, &why);
	if (rc < 0 && rc != TB_ENOTFOUND)
		tb_err(err, rc, "%s", why.data);
	buf_release(&why);
	if (rc == TB_ENOTFOUND)
		return gate(ctx, a, case_id, kind, NULL, res, d, err);
	if (rc < 0)
		return rc;
	/* Same case, same kind, still in force: the same document
	 * again, so a retried request never makes a second number. */
	res->existing = 1;
	return want_pdf ? store_doc_blob(ctx->store, res->doc.serial, &d->pdf,
					 NULL, err)
			: 0;
}

int issue_document(struct issue_ctx *ctx, const struct cases_actor *a,
		   int64_t case_id, enum issue_kind kind,
		   struct issue_result *res, struct buf *pdf, struct buf *err)
{
	struct draft d;
	result_init(res);
	int rc = need_dinsos(a, NULL, err);
	if (rc < 0)
		return rc;
	if ((rc = store_begin(ctx->store, err)) < 0)
		return rc;
	draft_init(&d);
	rc = issue_one(ctx, a, case_id, kind, res, &d, pdf != NULL, err);
	rc = finish(ctx, a, rc, &d, pdf, err);
	draft_release(&d);
	return rc;
}

int issue_batch(struct issue_ctx *ctx, const struct cases_actor *a,
		enum issue_kind kind, struct issue_batch_item *items, size_t n,
		struct buf *err)
{
	int rc = need_dinsos(a, NULL, err), issued = 0;
	if (rc < 0)
		return rc;
	if ((rc = store_begin(ctx->store, err)) < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		struct draft d;
		struct buf why = BUF_INIT;
		result_init(&items[i].res);
		draft_init(&d);
		rc = issue_one(ctx, a, items[i].case_id, kind, &items[i].res,
			       &d, 0, &why);
		int wrote = d.wrote;
		/* The batch goes on and commits: the refusal's row rides
		 * in its transaction. */
		if (rc < 0 && !wrote && d.refused[0]) {
			int arc = audit_refusal(ctx, a, &d, why.data, err);
			if (arc < 0) {
				draft_release(&d);
				buf_release(&why);
				store_rollback(ctx->store);
				return arc;
			}
		}
		draft_release(&d);
		items[i].rc = rc < 0 ? rc : 0;
		snprintf(items[i].err, sizeof items[i].err, "%s",
			 rc < 0 ? why.data : "");
		buf_release(&why);
		if (rc < 0 && wrote) {
			/* Failed after taking a number: not a refusal but
			 * a fault, and the whole batch goes back. */
			store_rollback(ctx->store);
			return tb_err(err, rc, "kasus %lld: %s",
				      (long long)items[i].case_id, items[i].err);
		}
		issued += rc == 0 && !items[i].res.existing;
	}
	rc = store_commit(ctx->store, err);
	return rc < 0 ? rc : issued;
}

/* What revoke and reissue check first, then their transaction. */
static int change_begin(struct issue_ctx *ctx, const struct cases_actor *a,
			const char *serial, const char *reason, char sn[SERIAL_LEN + 1],
			struct buf *err)
{
	int rc = need_dinsos(a, NULL, err);
	if (rc < 0 || (rc = issue_serial_parse(serial, sn, err)) < 0)
		return rc;
	if (!reason || !*reason)
		return tb_err(err, TB_EINVAL, "alasan (--reason) wajib diisi");
	/* The reason is printed by the verifier and kept in the audit
	 * log: the same text check as every other input. */
	if ((rc = utf8_str_check(reason, UTF8_MULTILINE, "alasan", err)) < 0)
		return rc;
	return store_begin(ctx->store, err);
}

int issue_reissue(struct issue_ctx *ctx, const struct cases_actor *a,
		  const char *serial, const char *reason,
		  struct issue_result *res, struct buf *pdf, struct buf *err)
{
	struct store_document old;
	struct draft d;
	char sn[SERIAL_LEN + 1], object[32], note[STORE_TEXT_MAX + 40];
	result_init(res);
	int rc = change_begin(ctx, a, serial, reason, sn, err);
	if (rc < 0)
		return rc;
	draft_init(&d);
	if ((rc = store_doc_get(ctx->store, sn, &old, err)) < 0)
		goto out;
	/* The stored state, not issue_doc_state: an expired document may
	 * be reissued (a renewal). */
	if (old.state != DOC_VALID) {
		rc = tb_err(err, TB_ECONFLICT,
			    "dokumen %s sudah %s; tidak dapat diterbitkan ulang",
			    sn, issue_doc_state_word(old.state));
		goto out;
	}
	enum issue_kind kind =
		strcmp(old.kind, "card") ? ISSUE_LETTER : ISSUE_CARD;
	if ((rc = gate(ctx, a, old.case_id, kind, sn, res, &d, err)) < 0 ||
	    (rc = store_doc_supersede(ctx->store, sn, res->doc.serial, a->name,
				      reason, err)) < 0 ||
	    (rc = issue__reseal(ctx->store, ctx->keys, sn, NULL, err)) < 0)
		goto out;
	/* The old row's change of state is an entry of its own (the
	 * reissue entry is about the new row), so each document's history
	 * is complete under its own object. */
	snprintf(object, sizeof object, "document:%s", sn);
	snprintf(note, sizeof note, "diganti oleh %s: %s", res->doc.serial,
		 reason);
	rc = store_audit_add(ctx->store, a->name, role_name(a->role),
			     "document.supersede", object, note, err);
out:
	rc = finish(ctx, a, rc, &d, pdf, err);
	draft_release(&d);
	return rc;
}

int issue_revoke(struct issue_ctx *ctx, const struct cases_actor *a,
		 const char *serial, const char *reason, struct buf *err)
{
	struct store_document doc;
	char sn[SERIAL_LEN + 1], object[32];
	int rc = change_begin(ctx, a, serial, reason, sn, err);
	if (rc < 0)
		return rc;
	snprintf(object, sizeof object, "document:%s", sn);
	if ((rc = store_doc_get(ctx->store, sn, &doc, err)) < 0 ||
	    (rc = need_dinsos(a, doc.village_code, err)) < 0 ||
	    (rc = store_doc_revoke(ctx->store, sn, a->name, reason, err)) < 0 ||
	    (rc = issue__reseal(ctx->store, ctx->keys, sn, NULL, err)) < 0 ||
	    (rc = store_audit_add(ctx->store, a->name, role_name(a->role),
				  "document.revoke", object, reason, err)) < 0) {
		store_rollback(ctx->store);
		return rc;
	}
	return store_commit(ctx->store, err);
}

/* ---- reading ------------------------------------------------------ */

static int may_see(const struct cases_actor *a, const struct store_document *d)
{
	return !a || wf_can_see(a->role, a->region, d->village_code);
}

int issue_get(struct store *s, const struct cases_actor *a,
	      const char *serial, struct store_document *out, struct buf *pdf,
	      struct buf *err)
{
	char sn[SERIAL_LEN + 1];
	int rc = issue_serial_parse(serial, sn, err);
	if (rc < 0)
		return rc;
	rc = store_doc_get(s, sn, out, err);
	if (rc < 0 && (rc != TB_ENOTFOUND || cases_sees_all(a)))
		return rc;
	/* The same answer for a serial we never issued and one outside the
	 * scope (cases_sees_all): serials cannot be probed. */
	if (rc == TB_ENOTFOUND || !may_see(a, out))
		return tb_err(err, TB_EPERM,
			      "dokumen %s tidak ditemukan di wilayah Anda", sn);
	return pdf ? store_doc_blob(s, sn, pdf, NULL, err) : 0;
}

struct list_arg {
	const struct cases_actor *a;
	int (*fn)(const struct store_document *d, void *arg);
	void *arg;
};

static int list_one(const struct store_document *d, void *arg)
{
	struct list_arg *l = arg;
	return may_see(l->a, d) ? l->fn(d, l->arg) : 0;
}

int issue_list(struct store *s, const struct cases_actor *a,
	       const struct store_doc_filter *f,
	       int (*fn)(const struct store_document *d, void *arg), void *arg,
	       struct buf *err)
{
	if (a && (a->role == ROLE_FASKES || a->role == ROLE_ADMIN))
		return tb_err(err, TB_EPERM,
			      "peran %s tidak melihat data dokumen",
			      role_name(a->role));
	struct list_arg l = { a, fn, arg };
	return store_doc_each(s, f, list_one, &l, err);
}

static void doc_json(struct json *j, const char *key,
		     const struct store_document *d)
{
	char issued[DATE_LEN + 1], expires[DATE_LEN + 1];
	days_iso(d->issued_day, issued);
	days_iso(d->expires_day, expires);
	json_obj_open(j, key);
	json_str(j, "serial", d->serial);
	json_str(j, "kind", d->kind);
	json_int(j, "case_id", d->case_id);
	json_str(j, "nik", d->nik);
	json_str(j, "name", d->name);
	json_str(j, "number", d->number);
	json_str(j, "state", store_doc_state_name(d->state));
	json_str(j, "issued", issued);
	json_str(j, "expires", expires);
	json_str(j, "sha256", d->sha256);
	json_int(j, "size", d->size);
	json_str(j, "policy_version", d->policy_version);
	json_num(j, "score", d->score);
	json_str(j, "office", d->office);
	json_str(j, "faskes", d->faskes);
	json_str(j, "issued_by", d->issued_by);
	json_str(j, "issued_at", d->issued_at);
	json_str(j, "revoked_at", d->revoked_at[0] ? d->revoked_at : NULL);
	json_str(j, "revoked_by", d->revoked_by[0] ? d->revoked_by : NULL);
	json_str(j, "reason", d->reason[0] ? d->reason : NULL);
	json_str(j, "superseded_by",
		 d->superseded_by[0] ? d->superseded_by : NULL);
	json_str(j, "replaces", d->replaces[0] ? d->replaces : NULL);
	json_str(j, "token", d->token);
	json_obj_close(j);
}

int issue_doc_json(const struct store_document *d, struct buf *out)
{
	struct json j;
	json_init(&j, out);
	doc_json(&j, NULL, d);
	return json_finish(&j);
}

static int list_json_one(const struct store_document *d, void *arg)
{
	doc_json(arg, NULL, d);
	return 0;
}

int issue_list_json(struct store *s, const struct cases_actor *a,
		    const struct store_doc_filter *f, struct buf *out,
		    struct buf *err)
{
	struct json j;
	json_init(&j, out);
	json_arr_open(&j, NULL);
	int rc = issue_list(s, a, f, list_json_one, &j, err);
	json_arr_close(&j);
	int jrc = json_finish(&j);
	if (rc == 0 && jrc < 0)
		rc = tb_err(err, jrc, "memori habis");
	return rc;
}
