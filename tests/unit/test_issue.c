/*
 * The issue gate and verification, in process, on a real SQLite file in a
 * temporary directory with real keys, layouts and policy: documents come
 * out whole, refusals write nothing, every verification state, the fast
 * path agrees with the full one, batches skip refusals, the NIK check.
 * Run from the repository root (or set TERBIT_ROOT).
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "core/digest.h"
#include "core/fmt.h"
#include "core/str.h"
#include "issue/issue.h"
#include "issue/seal.h"
#include "issue/verify.h"
#include "issue/vindex.h"
#include "render/qr.h"
#include "render/render.h"
#include "sign/pades.h"
#include "sign/token.h"

#include "../issue_fixture.h"

#define NCASES 16 /* 13..16: the web lists' tests */

struct env {
	char dir[64];
	struct store *s;
	struct policy *p;
	struct render_ctx *r;
	struct keyring *kr;
	struct cases_actor ds, op;
	struct issue_ctx ctx;
	struct buf err;
};

static int env_setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	buf_init(&e->err, 0);
	snprintf(e->dir, sizeof e->dir, "/tmp/terbit-issue-XXXXXX");
	if (!mkdtemp(e->dir))
		return -1;
	if (fixture_setup(e->dir, NCASES, &e->err) < 0 ||
	    store_open(e->dir, &e->s, &e->err) < 0 ||
	    fixture_policy(&e->p, &e->err) < 0 ||
	    render_ctx_new(&e->r, fixture_root(), &e->err) < 0 ||
	    keyring_load(e->dir, &e->kr, &e->err) < 0 ||
	    cases_actor_load(e->s, "ds", &e->ds, &e->err) < 0 ||
	    cases_actor_load(e->s, "op", &e->op, &e->err) < 0) {
		fprintf(stderr, "set-up: %s\n", e->err.data);
		return -1;
	}
	e->ctx = (struct issue_ctx){ .store = e->s, .policy = e->p,
				     .render = e->r, .keys = e->kr };
	*state = e;
	return 0;
}

static int env_teardown(void **state)
{
	struct env *e = *state;
	char cmd[96];
	store_close(e->s);
	policy_free(e->p);
	render_ctx_free(e->r);
	keyring_free(e->kr);
	buf_release(&e->err);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", e->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", e->dir);
	free(e);
	return 0;
}

static int doc_count(struct env *e)
{
	return store_doc_count(e->s, NULL);
}

/* A document comes out whole: signed, hashed, stored, verifiable. */
static void test_issue_letter(void **state)
{
	struct env *e = *state;
	struct issue_result res;
	struct buf pdf = BUF_INIT, hex = BUF_INIT, stored = BUF_INIT;
	struct pades_info info;
	struct verify_result v;
	assert_int_equal(issue_document(&e->ctx, &e->ds, 1, ISSUE_LETTER, &res,
					&pdf, &e->err),
			 0);
	assert_int_equal(res.existing, 0);
	assert_true(res.decided && res.decision.eligible);
	assert_int_equal(res.doc.state, DOC_VALID);
	assert_string_equal(res.doc.kind, "letter");
	assert_int_equal(strlen(res.doc.serial), 16);
	assert_int_equal(strlen(res.doc.token), TOKEN_V2_STR_LEN);
	assert_true(res.doc.expires_day > res.doc.issued_day);
	assert_int_equal(res.doc.seq, 1);
	digest_sha256_hex(&hex, pdf.data, pdf.len);
	assert_string_equal(hex.data, res.doc.sha256);
	assert_int_equal(res.doc.size, (int64_t)pdf.len);
	assert_int_equal(pades_verify(e->kr, pdf.data, pdf.len, &info, NULL), 0);
	assert_int_equal(info.status, PADES_VALID);
	assert_int_equal(store_doc_blob(e->s, res.doc.serial, &stored, NULL,
					&e->err),
			 0);
	assert_memory_equal(stored.data, pdf.data, pdf.len);
	assert_int_equal(verify_pdf(e->s, e->kr, pdf.data, pdf.len, &v, &e->err),
			 0);
	assert_int_equal(v.state, VERIFY_VALID);
	assert_string_equal(v.doc.serial, res.doc.serial);
	buf_release(&pdf);
	buf_release(&hex);
	buf_release(&stored);
}

/* Same case and kind again: the same document, no new number. */
static void test_issue_idempotent(void **state)
{
	struct env *e = *state;
	struct issue_result a, b;
	assert_int_equal(issue_document(&e->ctx, &e->ds, 2, ISSUE_CARD, &a, NULL,
					&e->err),
			 0);
	int n = doc_count(e);
	assert_int_equal(issue_document(&e->ctx, &e->ds, 2, ISSUE_CARD, &b, NULL,
					&e->err),
			 0);
	assert_int_equal(b.existing, 1);
	assert_string_equal(a.doc.serial, b.doc.serial);
	assert_int_equal(doc_count(e), n);
	assert_int_equal(issue_card_number_ok(a.doc.number), 1);
}

/* Who may: dinsos only; nothing written otherwise. */
static void test_issue_roles(void **state)
{
	struct env *e = *state;
	struct issue_result res;
	int n = doc_count(e);
	assert_int_equal(issue_document(&e->ctx, NULL, 3, ISSUE_LETTER, &res,
					NULL, &e->err),
			 TB_EPERM);
	assert_int_equal(issue_document(&e->ctx, &e->op, 3, ISSUE_LETTER, &res,
					NULL, &e->err),
			 TB_EPERM);
	assert_int_equal(issue_document(&e->ctx, &e->ds, 9999, ISSUE_LETTER,
					&res, NULL, &e->err),
			 TB_ENOTFOUND);
	assert_int_equal(doc_count(e), n);
}

/* Ineligible after approval: refused with the engine's reason, and the
 * counter untouched (the next letter takes the next number). */
static void test_issue_ineligible(void **state)
{
	struct env *e = *state;
	struct issue_result res;
	struct store_case c;
	struct store_pbi pbi = { .program = "PBI-JKN", .active = 1,
				 .card_number = "0001234567890" };
	assert_int_equal(store_case_get(e->s, 4, &c, &e->err), 0);
	memcpy(pbi.nik, c.nik, sizeof pbi.nik);
	assert_int_equal(store_pbi_put(e->s, &pbi, &e->err), 0);
	int n = doc_count(e);
	buf_reset(&e->err);
	assert_int_equal(issue_document(&e->ctx, &e->ds, 4, ISSUE_LETTER, &res,
					NULL, &e->err),
			 TB_EREFUSED);
	assert_true(res.decided);
	assert_false(res.decision.eligible);
	const struct elig_rule *r = elig_rule_find(&res.decision, "not_pbi");
	assert_non_null(r);
	assert_false(r->passed);
	assert_non_null(strstr(e->err.data, r->message));
	assert_int_equal(doc_count(e), n);
}

static int last_audit_row(const struct store_audit *a, void *arg)
{
	*(struct store_audit *)arg = *a;
	return 0;
}

/* The refusal's audit row (docs/reports.md, refusals by the gate). */
static void assert_refused_row(struct env *e, const char *object,
			       const char *head)
{
	struct store_audit last;
	memset(&last, 0, sizeof last);
	assert_int_equal(store_audit_each(e->s, object, last_audit_row, &last,
					  &e->err),
			 0);
	assert_string_equal(last.action, "issue.refused");
	assert_string_equal(last.actor, "ds");
	assert_memory_equal(last.note, head, strlen(head));
	assert_null(strchr(last.note, '\n'));
}

/* A refusal by the gate's checks is audited, in its own transaction
 * after the attempt rolled back: an unapproved case names not_approved,
 * an ineligible one the rules that failed; a refusal of who may is not
 * the gate's (the server audits access.denied). */
static void test_issue_refusal_audited(void **state)
{
	struct env *e = *state;
	struct issue_result res;
	struct store_case c;
	char object[32], head[64];
	int64_t id;
	/* A new case (a draft) for case 1's resident: run last, so the
	 * other tests' lists keep their cases. */
	assert_int_equal(store_case_get(e->s, 1, &c, &e->err), 0);
	assert_int_equal(cases_create(e->s, &e->op, c.nik, &id, &e->err), 0);
	assert_int_equal(issue_document(&e->ctx, &e->ds, id, ISSUE_CARD, &res,
					NULL, &e->err),
			 TB_ECONFLICT);
	snprintf(object, sizeof object, "case:%lld", (long long)id);
	snprintf(head, sizeof head, "card [not_approved] kasus %lld ",
		 (long long)id);
	assert_refused_row(e, object, head);
	/* Case 4 was made ineligible by test_issue_ineligible. */
	assert_int_equal(issue_document(&e->ctx, &e->ds, 4, ISSUE_LETTER, &res,
					NULL, &e->err),
			 TB_EREFUSED);
	assert_refused_row(e, "case:4", "letter [not_pbi] ");
	struct store_audit before, after;
	store_audit_each(e->s, NULL, last_audit_row, &before, &e->err);
	assert_int_equal(issue_document(&e->ctx, &e->op, 4, ISSUE_LETTER, &res,
					NULL, &e->err),
			 TB_EPERM);
	store_audit_each(e->s, NULL, last_audit_row, &after, &e->err);
	assert_int_equal(after.id, before.id);
}

static int64_t letters_seq_max(struct env *e);

static int seq_max(const struct store_document *d, void *arg)
{
	int64_t *m = arg;
	if (!strcmp(d->kind, "letter") && d->seq > *m)
		*m = d->seq;
	return 0;
}

static int64_t letters_seq_max(struct env *e)
{
	int64_t m = 0;
	store_doc_each(e->s, NULL, seq_max, &m, NULL);
	return m;
}

/* Revoke, reissue, expiry, unknown, forged: every state. */
static void test_verify_states(void **state)
{
	struct env *e = *state;
	struct issue_result a, b, r;
	struct verify_result v, f;
	int64_t before = letters_seq_max(e);
	assert_int_equal(issue_document(&e->ctx, &e->ds, 5, ISSUE_LETTER, &a,
					NULL, &e->err),
			 0);
	assert_int_equal(a.doc.seq, before + 1);
	assert_int_equal(verify_token(e->s, e->kr, a.doc.token, 0, &v, &e->err),
			 0);
	assert_int_equal(v.state, VERIFY_VALID);

	/* reissue: old superseded with a link, new valid, next number */
	assert_int_equal(issue_reissue(&e->ctx, &e->ds, a.doc.serial, "hilang",
				       &b, NULL, &e->err),
			 0);
	assert_int_equal(b.doc.seq, a.doc.seq + 1);
	assert_string_equal(b.doc.replaces, a.doc.serial);
	verify_token(e->s, e->kr, a.doc.token, 0, &v, &e->err);
	assert_int_equal(v.state, VERIFY_SUPERSEDED);
	assert_string_equal(v.doc.superseded_by, b.doc.serial);
	/* the new letter's number, for the person at the counter */
	assert_string_equal(v.superseded_number, b.doc.number);
	assert_non_null(strstr(v.detail, b.doc.number));
	struct buf pdf = BUF_INIT;
	assert_int_equal(store_doc_blob(e->s, a.doc.serial, &pdf, NULL,
					&e->err), 0);
	assert_int_equal(verify_pdf(e->s, e->kr, pdf.data, pdf.len, &f,
				    &e->err), 0);
	assert_int_equal(f.state, VERIFY_SUPERSEDED);
	assert_string_equal(f.superseded_number, b.doc.number);
	buf_release(&pdf);
	verify_token(e->s, e->kr, b.doc.token, 0, &v, &e->err);
	assert_int_equal(v.superseded_number[0], 0);
	assert_int_equal(v.state, VERIFY_VALID);
	assert_int_equal(issue_reissue(&e->ctx, &e->ds, a.doc.serial, "lagi",
				       &r, NULL, &e->err),
			 TB_ECONFLICT);

	/* revoke */
	assert_int_equal(issue_revoke(&e->ctx, &e->op, b.doc.serial, "x",
				      &e->err),
			 TB_EPERM);
	assert_int_equal(issue_revoke(&e->ctx, &e->ds, b.doc.serial, "",
				      &e->err),
			 TB_EINVAL);
	assert_int_equal(issue_revoke(&e->ctx, &e->ds, b.doc.serial,
				      "data salah", &e->err),
			 0);
	verify_token(e->s, e->kr, b.doc.token, VERIFY_FAST, &v, &e->err);
	assert_int_equal(v.state, VERIFY_REVOKED);
	assert_string_equal(v.doc.reason, "data salah");
	assert_int_equal(issue_revoke(&e->ctx, &e->ds, b.doc.serial, "again",
				      &e->err),
			 TB_ECONFLICT);
	/* after revocation the case may be issued again */
	assert_int_equal(issue_document(&e->ctx, &e->ds, 5, ISSUE_LETTER, &r,
					NULL, &e->err),
			 0);
	assert_int_equal(r.existing, 0);

	/* expiry */
	setenv("TERBIT_TODAY", "2099-01-01", 1);
	verify_token(e->s, e->kr, r.doc.token, 0, &v, &e->err);
	assert_int_equal(v.state, VERIFY_EXPIRED);
	unsetenv("TERBIT_TODAY");

	/* a good signature over a serial we never stored: UNKNOWN */
	unsigned char serial[TOKEN_SERIAL_LEN] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct token_field tf[] = { { "name", "X" } };
	struct buf tok = BUF_INIT;
	assert_int_equal(token_make(e->kr, TOKEN_LETTER, 3510, serial, 20000, 20400,
				    tf, 1, NULL, &tok, &e->err),
			 0);
	verify_token(e->s, e->kr, tok.data, 0, &v, &e->err);
	assert_int_equal(v.state, VERIFY_UNKNOWN);
	assert_int_equal(v.found, 0);

	/* a flipped character: FORGED on both paths */
	buf_reset(&tok);
	buf_adds(&tok, r.doc.token);
	tok.data[100] = tok.data[100] == 'A' ? 'B' : 'A';
	verify_token(e->s, e->kr, tok.data, 0, &v, &e->err);
	verify_token(e->s, e->kr, tok.data, VERIFY_FAST, &f, &e->err);
	assert_int_equal(v.state, VERIFY_FORGED);
	assert_int_equal(f.state, VERIFY_FORGED);
	assert_int_equal(v.found, 0);
	verify_token(e->s, e->kr, "garbage", 0, &v, &e->err);
	assert_int_equal(v.state, VERIFY_FORGED);
	verify_token(e->s, e->kr, NULL, 0, &v, &e->err);
	assert_int_equal(v.state, VERIFY_FORGED);
	buf_release(&tok);
}

/* The fast path answers like the full path, for URL and bare token. */
static void test_verify_fast_same(void **state)
{
	struct env *e = *state;
	struct issue_result a;
	struct verify_result v, f;
	struct buf url = BUF_INIT;
	assert_int_equal(issue_document(&e->ctx, &e->ds, 6, ISSUE_CARD, &a, NULL,
					&e->err),
			 0);
	token_url(&url, "spm.example.id", a.doc.token, &e->err);
	for (char *p = url.data; *p; p++) /* phones lower-case URLs */
		*p = (char)tolower((unsigned char)*p);
	verify_token(e->s, e->kr, url.data, 0, &v, &e->err);
	verify_token(e->s, e->kr, url.data, VERIFY_FAST, &f, &e->err);
	assert_int_equal(v.state, VERIFY_VALID);
	assert_int_equal(f.state, VERIFY_VALID);
	assert_string_equal(v.doc.serial, f.doc.serial);
	/* The bare token as issued, and lower-cased: the first is answered
	 * from its row without a parse, the second takes the whole way. */
	struct buf low = BUF_INIT;
	buf_adds(&low, a.doc.token);
	for (char *p = low.data; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	verify_token(e->s, e->kr, a.doc.token, VERIFY_FAST, &v, &e->err);
	verify_token(e->s, e->kr, low.data, VERIFY_FAST, &f, &e->err);
	assert_int_equal(v.state, VERIFY_VALID);
	assert_int_equal(f.state, VERIFY_VALID);
	assert_memory_equal(&v.doc, &f.doc, sizeof v.doc);
	/* Its serial's characters with another tail: the row is found but
	 * is not this string, and the signature says FORGED. */
	buf_reset(&low);
	buf_adds(&low, a.doc.token);
	low.data[low.len - 3] = low.data[low.len - 3] == 'A' ? 'B' : 'A';
	verify_token(e->s, e->kr, low.data, VERIFY_FAST, &f, &e->err);
	assert_int_equal(f.state, VERIFY_FORGED);
	assert_int_equal(f.found, 0);
	buf_release(&low);
	buf_release(&url);
}

static void test_verify_json_masked(void **state)
{
	struct env *e = *state;
	struct issue_result a;
	struct verify_result v;
	struct buf j = BUF_INIT, t = BUF_INIT;
	assert_int_equal(issue_document(&e->ctx, &e->ds, 7, ISSUE_LETTER, &a,
					NULL, &e->err),
			 0);
	verify_token(e->s, e->kr, a.doc.token, 0, &v, &e->err);
	assert_int_equal(verify_result_json(&v, &j), 0);
	assert_int_equal(verify_result_text(&v, &t), 0);
	assert_non_null(strstr(j.data, "\"state\":\"VALID\""));
	assert_null(strstr(j.data, a.doc.nik));
	assert_null(strstr(t.data, a.doc.nik));
	assert_null(strstr(j.data, a.doc.name));
	char masked[NIK_LEN + 1];
	snprintf(masked, sizeof masked, "%.6s******%.4s", a.doc.nik,
		 a.doc.nik + 12);
	assert_non_null(strstr(j.data, masked));
	assert_int_equal(strncmp(t.data, "VALID\n", 6), 0);
	buf_reset(&j);
	v.state = VERIFY_FORGED;
	v.found = 0;
	assert_int_equal(verify_result_json(&v, &j), 0);
	assert_non_null(strstr(j.data, "\"document\":null"));
	buf_release(&j);
	buf_release(&t);
}

static void test_verify_nik(void **state)
{
	struct env *e = *state;
	struct issue_result a;
	int match = -1;
	char other[17];
	assert_int_equal(issue_document(&e->ctx, &e->ds, 8, ISSUE_LETTER, &a,
					NULL, &e->err),
			 0);
	assert_int_equal(verify_nik_match(e->s, e->kr, a.doc.token, a.doc.nik,
					  &match, &e->err),
			 0);
	assert_int_equal(match, 1);
	memcpy(other, a.doc.nik, 17);
	other[15] = other[15] == '9' ? '8' : '9';
	assert_int_equal(verify_nik_match(e->s, e->kr, a.doc.token, other,
					  &match, &e->err),
			 0);
	assert_int_equal(match, 0);
	assert_int_equal(verify_nik_match(e->s, e->kr, a.doc.token, "123",
					  &match, &e->err),
			 TB_EINVAL);
	assert_int_equal(verify_nik_match(e->s, e->kr, "garbage", a.doc.nik,
					  &match, &e->err),
			 TB_ENOTFOUND);
}

struct actions {
	int revoke, supersede;
};

static int count_actions(const struct store_audit *a, void *arg)
{
	struct actions *n = arg;
	n->revoke += !strcmp(a->action, "document.revoke");
	n->supersede += !strcmp(a->action, "document.supersede");
	return 0;
}

static void raw_sql(struct env *e, const char *sql)
{
	char path[96];
	sqlite3 *db;
	snprintf(path, sizeof path, "%s/terbit.db", e->dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* The answer through the index is the database path's, to the byte of
 * its JSON, and is the state wanted. */
static void assert_same_answer(struct env *e, struct vindex *ix,
			       const char *token, enum verify_state want)
{
	struct verify_result a, b;
	struct buf ja = BUF_INIT, jb = BUF_INIT;
	assert_int_equal(verify_token(e->s, e->kr, token, VERIFY_FAST, &a,
				      &e->err), 0);
	assert_int_equal(verify_token_indexed(e->s, ix, e->kr, NULL, token,
					      VERIFY_FAST, &b, &e->err), 0);
	assert_int_equal(a.state, want);
	assert_int_equal(b.state, want);
	assert_int_equal(verify_result_json(&a, &ja), 0);
	assert_int_equal(verify_result_json(&b, &jb), 0);
	assert_string_equal(ja.data, jb.data);
	buf_release(&ja);
	buf_release(&jb);
}

static void sync_ok(struct env *e, struct vindex *ix)
{
	assert_int_equal(vindex_sync(ix, e->s, &e->err), 0);
}

/* The verifier's rows in memory: loaded whole, then kept up to date by
 * the change log (a reissue, a revocation), never holding a row whose
 * seal fails (edited behind terbit's back, at load or after), and
 * letting go of a deleted one; every answer the database path's. */
static void test_vindex(void **state)
{
	struct env *e = *state;
	struct issue_result a, b;
	struct store_document d, want;
	struct vindex *ix, *again;
	char sql[512];
	assert_int_equal(issue_document(&e->ctx, &e->ds, 7, ISSUE_LETTER, &a,
					NULL, &e->err), 0);
	assert_int_equal(vindex_load(e->s, e->kr, &ix, &e->err), 0);
	size_t rows, bytes;
	vindex_stats(ix, &rows, &bytes);
	assert_int_equal(rows, (size_t)doc_count(e));
	assert_true(bytes > rows * 300);
	/* every member store_doc_lookup fills, as it fills them */
	memset(&d, 0x55, sizeof d);
	assert_int_equal(vindex_get(ix, a.doc.serial, &d), 1);
	assert_int_equal(store_doc_lookup(e->s, a.doc.serial, &want, &e->err), 0);
	struct buf cd = BUF_INIT, cw = BUF_INIT;
	assert_int_equal(store_doc_canon(&d, &cd), 0);
	assert_int_equal(store_doc_canon(&want, &cw), 0);
	assert_int_equal(cd.len, cw.len);
	assert_memory_equal(cd.data, cw.data, cw.len);
	assert_string_equal(d.seal, want.seal);
	assert_string_equal(d.village_code, "");
	buf_release(&cd);
	buf_release(&cw);
	assert_int_equal(vindex_get(ix, "0000000000000000", &d), 0);
	assert_int_equal(vindex_get(ix, "not a serial", &d), 0);
	assert_int_equal(vindex_get(ix, "", &d), 0);
	assert_same_answer(e, ix, a.doc.token, VERIFY_VALID);

	/* a reissue: the new row is not kept until a sync reads the log
	 * (the server syncs before any answer once the stamp moved), yet
	 * the answer is right either way */
	assert_int_equal(issue_reissue(&e->ctx, &e->ds, a.doc.serial, "hilang",
				       &b, NULL, &e->err), 0);
	assert_int_equal(vindex_get(ix, b.doc.serial, &d), 0);
	assert_same_answer(e, ix, b.doc.token, VERIFY_VALID);
	sync_ok(e, ix);
	assert_int_equal(vindex_get(ix, b.doc.serial, &d), 1);
	assert_same_answer(e, ix, a.doc.token, VERIFY_SUPERSEDED);
	assert_same_answer(e, ix, b.doc.token, VERIFY_VALID);
	sync_ok(e, ix); /* nothing new: nothing changes */
	assert_int_equal(issue_revoke(&e->ctx, &e->ds, b.doc.serial,
				      "data salah", &e->err), 0);
	sync_ok(e, ix);
	assert_int_equal(vindex_get(ix, b.doc.serial, &d), 1);
	assert_int_equal(d.state, DOC_REVOKED);
	assert_same_answer(e, ix, b.doc.token, VERIFY_REVOKED);

	/* edited behind terbit's back: out of the index, FORGED; put back
	 * as it was: in again */
	snprintf(sql, sizeof sql, "UPDATE documents SET reason = 'diubah'"
		 " WHERE serial = '%s'", b.doc.serial);
	raw_sql(e, sql);
	assert_int_equal(vindex_load(e->s, e->kr, &again, &e->err), 0);
	assert_int_equal(vindex_get(again, b.doc.serial, &d), 0);
	vindex_free(again);
	sync_ok(e, ix);
	assert_int_equal(vindex_get(ix, b.doc.serial, &d), 0);
	assert_same_answer(e, ix, b.doc.token, VERIFY_FORGED);
	snprintf(sql, sizeof sql, "UPDATE documents SET reason = 'data salah'"
		 " WHERE serial = '%s'", b.doc.serial);
	raw_sql(e, sql);
	sync_ok(e, ix);
	assert_int_equal(vindex_get(ix, b.doc.serial, &d), 1);
	assert_same_answer(e, ix, b.doc.token, VERIFY_REVOKED);

	/* deleted (its guards dropped): gone from the index, UNKNOWN */
	snprintf(sql, sizeof sql,
		 "DROP TRIGGER documents_no_delete;"
		 " DROP TRIGGER document_pdfs_no_delete;"
		 " UPDATE documents SET superseded_by = NULL WHERE serial = '%s';"
		 " DELETE FROM document_pdfs WHERE serial = '%s';"
		 " DELETE FROM documents WHERE serial = '%s'",
		 a.doc.serial, b.doc.serial, b.doc.serial);
	raw_sql(e, sql);
	sync_ok(e, ix);
	assert_int_equal(vindex_get(ix, b.doc.serial, &d), 0);
	assert_int_equal(vindex_get(ix, a.doc.serial, &d), 0);
	assert_same_answer(e, ix, b.doc.token, VERIFY_UNKNOWN);
	vindex_free(ix);
}

struct serial_count {
	const char *serial;
	int n;
};

/* Entries of the change log naming one serial. */
static int count_serial(int64_t seq, const char *serial, void *arg)
{
	struct serial_count *c = arg;
	(void)seq;
	c->n += !strcmp(serial, c->serial);
	return 0;
}

/* The change log keeps its last 65,536 entries (migration 14); an index
 * whose position the log no longer reaches, pruned past or emptied,
 * reads the registry again whole, and misses no change. */
static void test_vindex_log_bound(void **state)
{
	struct env *e = *state;
	struct issue_result a, b;
	struct store_document d;
	struct vindex *ix;
	assert_int_equal(issue_document(&e->ctx, &e->ds, 9, ISSUE_LETTER, &a,
					NULL, &e->err), 0);
	assert_int_equal(issue_document(&e->ctx, &e->ds, 10, ISSUE_LETTER, &b,
					NULL, &e->err), 0);
	assert_int_equal(vindex_load(e->s, e->kr, &ix, &e->err), 0);
	/* A revocation, then 70,000 other changes: the revocation's entries
	 * are pruned before this index looks. */
	assert_int_equal(issue_revoke(&e->ctx, &e->ds, a.doc.serial, "pindah",
				      &e->err), 0);
	raw_sql(e, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1"
		   " FROM n WHERE i < 70000) INSERT INTO doc_changes (serial)"
		   " SELECT '0000000000000000' FROM n");
	int64_t first, last;
	assert_int_equal(store_doc_changes_span(e->s, &first, &last, &e->err), 0);
	assert_true(last - first + 1 >= 65536 && last - first + 1 <= 65536 + 1024);
	struct serial_count c = { a.doc.serial, 0 };
	assert_int_equal(store_doc_changes(e->s, 0, count_serial, &c, &e->err), 0);
	assert_int_equal(c.n, 0); /* none of the revocation's entries is left */
	assert_int_equal(vindex_get(ix, a.doc.serial, &d), 1);
	assert_int_equal(d.state, DOC_VALID); /* not looked yet */
	sync_ok(e, ix);
	assert_int_equal(vindex_get(ix, a.doc.serial, &d), 1);
	assert_int_equal(d.state, DOC_REVOKED);
	assert_same_answer(e, ix, a.doc.token, VERIFY_REVOKED);
	assert_same_answer(e, ix, b.doc.token, VERIFY_VALID);
	size_t rows, bytes;
	vindex_stats(ix, &rows, &bytes);
	assert_int_equal(rows, (size_t)doc_count(e));
	/* Emptied behind terbit's back: seq starts again below the index's
	 * position, and the next change is still seen. */
	raw_sql(e, "DELETE FROM doc_changes");
	assert_int_equal(issue_revoke(&e->ctx, &e->ds, b.doc.serial, "pindah",
				      &e->err), 0);
	sync_ok(e, ix);
	assert_int_equal(vindex_get(ix, b.doc.serial, &d), 1);
	assert_int_equal(d.state, DOC_REVOKED);
	assert_same_answer(e, ix, b.doc.token, VERIFY_REVOKED);
	/* And from there the log is followed as before. */
	raw_sql(e, "INSERT INTO doc_changes (serial) VALUES ('0000000000000000')");
	sync_ok(e, ix);
	assert_same_answer(e, ix, a.doc.token, VERIFY_REVOKED);
	vindex_free(ix);
}

/* Every row the gate writes is sealed, a state change seals it again
 * and is audited, and a row edited behind the gate's back is FORGED to
 * the verifier and no NIK matches it. */
static void test_seals(void **state)
{
	struct env *e = *state;
	struct issue_result a, b;
	struct store_document d, m;
	struct verify_result v;
	struct actions n = { 0, 0 };
	char sql[160];
	int match = -1;
	assert_true(keyring_has_seal(e->kr));
	assert_int_equal(issue_document(&e->ctx, &e->ds, 8, ISSUE_CARD, &a,
					NULL, &e->err),
			 0);
	assert_int_equal(strlen(a.doc.seal), 64);
	assert_true(issue_doc_seal_ok(e->kr, &a.doc));
	assert_int_equal(strlen(a.doc.fields_sha256), 64);
	m = a.doc;
	m.nik[15] = m.nik[15] == '9' ? '8' : '9';
	assert_false(issue_doc_seal_ok(e->kr, &m));
	m = a.doc;
	m.state = DOC_REVOKED;
	assert_false(issue_doc_seal_ok(e->kr, &m));
	m = a.doc;
	m.seal[0] = '\0';
	assert_false(issue_doc_seal_ok(e->kr, &m));

	/* reissue: both rows sealed, the old one as superseded */
	assert_int_equal(issue_reissue(&e->ctx, &e->ds, a.doc.serial, "rusak",
				       &b, NULL, &e->err),
			 0);
	assert_int_equal(store_doc_get(e->s, a.doc.serial, &d, &e->err), 0);
	assert_int_equal(d.state, DOC_SUPERSEDED);
	assert_true(issue_doc_seal_ok(e->kr, &d));
	assert_true(issue_doc_seal_ok(e->kr, &b.doc));
	/* revoke: sealed again as revoked */
	assert_int_equal(issue_revoke(&e->ctx, &e->ds, b.doc.serial, "salah",
				      &e->err),
			 0);
	assert_int_equal(store_doc_get(e->s, b.doc.serial, &d, &e->err), 0);
	assert_int_equal(d.state, DOC_REVOKED);
	assert_true(issue_doc_seal_ok(e->kr, &d));
	char object[32];
	snprintf(object, sizeof object, "document:%s", a.doc.serial);
	assert_int_equal(store_audit_each(e->s, object, count_actions, &n,
					  &e->err),
			 0);
	assert_int_equal(n.supersede, 1);
	snprintf(object, sizeof object, "document:%s", b.doc.serial);
	assert_int_equal(store_audit_each(e->s, object, count_actions, &n,
					  &e->err),
			 0);
	assert_int_equal(n.revoke, 1);

	/* behind the gate's back: revoked set valid again */
	assert_int_equal(verify_token(e->s, e->kr, b.doc.token, VERIFY_FAST,
				      &v, &e->err),
			 0);
	assert_int_equal(v.state, VERIFY_REVOKED);
	snprintf(sql, sizeof sql,
		 "DROP TRIGGER documents_state; UPDATE documents SET"
		 " state = 'valid' WHERE serial = '%s'", b.doc.serial);
	raw_sql(e, sql);
	for (int flags = 0; flags <= VERIFY_FAST; flags += VERIFY_FAST) {
		assert_int_equal(verify_token(e->s, e->kr, b.doc.token, flags,
					      &v, &e->err),
				 0);
		assert_int_equal(v.state, VERIFY_FORGED);
		assert_int_equal(v.found, 0);
	}
	assert_int_equal(verify_nik_match(e->s, e->kr, b.doc.token, b.doc.nik,
					  &match, &e->err),
			 TB_ENOTFOUND);
	assert_int_equal(match, 0);
	/* and back: the seal is over exactly the sealed values */
	snprintf(sql, sizeof sql,
		 "UPDATE documents SET state = 'revoked' WHERE serial = '%s'",
		 b.doc.serial);
	raw_sql(e, sql);
	assert_int_equal(verify_token(e->s, e->kr, b.doc.token, VERIFY_FAST,
				      &v, &e->err),
			 0);
	assert_int_equal(v.state, VERIFY_REVOKED);
}

/* A batch skips the refused case, issues the rest in one commit. */
static void test_issue_batch(void **state)
{
	struct env *e = *state;
	struct issue_batch_item items[3] = { { .case_id = 9 },
					     { .case_id = 4 }, /* ineligible */
					     { .case_id = 10 } };
	int rc = issue_batch(&e->ctx, &e->ds, ISSUE_LETTER, items, 3, &e->err);
	assert_int_equal(rc, 2);
	assert_int_equal(items[0].rc, 0);
	assert_string_equal(items[0].err, "");
	assert_int_equal(items[1].rc, TB_EREFUSED);
	assert_true(strlen(items[1].err) > 0);
	assert_refused_row(e, "case:4", "letter [not_pbi] ");
	assert_int_equal(items[2].rc, 0);
	assert_int_equal(items[2].res.doc.seq, items[0].res.doc.seq + 1);
}

/* The in-force lookup the duplicate check uses: by NIK, leaving out the
 * document a reissue replaces. (The refusal itself, with a second case of
 * the same NIK, is in tests/issue_gate.sh.) */
static void test_in_force_by_nik(void **state)
{
	struct env *e = *state;
	struct store_case c;
	struct issue_result res;
	struct store_document d;
	assert_int_equal(store_case_get(e->s, 11, &c, &e->err), 0);
	assert_int_equal(store_doc_in_force(e->s, 0, "0000000000000000",
					    "letter", date_today(), NULL, &d,
					    NULL),
			 TB_ENOTFOUND);
	assert_int_equal(issue_document(&e->ctx, &e->ds, 11, ISSUE_LETTER, &res,
					NULL, &e->err),
			 0);
	assert_int_equal(store_doc_in_force(e->s, 0, c.nik, "letter",
					    date_today(), NULL, &d, NULL),
			 0);
	assert_string_equal(d.serial, res.doc.serial);
	assert_int_equal(store_doc_in_force(e->s, 0, c.nik, "letter",
					    date_today(), res.doc.serial, &d,
					    NULL),
			 TB_ENOTFOUND);
}

/* A fault after the number was taken (the renderer refuses a character
 * the fonts lack) rolls everything back, counter included: the next
 * letter takes the number the failed one would have had. In a batch the
 * same fault takes the whole batch back. */
static void test_fault_rolls_back(void **state)
{
	struct env *e = *state;
	struct store_case c;
	struct store_resident r;
	struct issue_result res;
	struct issue_batch_item items[2] = { { .case_id = 3 },
					     { .case_id = 12 } };
	char good[STORE_NAME_MAX];
	assert_int_equal(store_case_get(e->s, 12, &c, &e->err), 0);
	assert_int_equal(store_resident_get(e->s, c.nik, &r, &e->err), 0);
	snprintf(good, sizeof good, "%s", r.name);
	/* U+5C71: no Latin spelling either (Ā would print as A) */
	snprintf(r.name, sizeof r.name, "Warga \xe5\xb1\xb1 Uji");
	assert_int_equal(store_resident_put(e->s, &r, &e->err), 0);
	int n = doc_count(e);
	int64_t last = letters_seq_max(e);
	assert_int_equal(issue_document(&e->ctx, &e->ds, 12, ISSUE_LETTER, &res,
					NULL, &e->err),
			 TB_EINVAL);
	assert_int_equal(doc_count(e), n);
	assert_true(issue_batch(&e->ctx, &e->ds, ISSUE_LETTER, items, 2,
				&e->err) < 0);
	assert_int_equal(doc_count(e), n);
	snprintf(r.name, sizeof r.name, "%s", good);
	assert_int_equal(store_resident_put(e->s, &r, &e->err), 0);
	assert_int_equal(issue_document(&e->ctx, &e->ds, 12, ISSUE_LETTER, &res,
					NULL, &e->err),
			 0);
	assert_int_equal(res.doc.seq, last + 1);
}

/* The rule on records: the last day counts, revoked and superseded
 * outrank expiry, and each state has its word. */
static void test_doc_state_rule(void **state)
{
	(void)state;
	struct store_document d = { .state = DOC_VALID, .issued_day = 100,
				    .expires_day = 200 };
	assert_true(issue_doc_in_force(&d, 100));
	assert_true(issue_doc_in_force(&d, 200));
	assert_false(issue_doc_in_force(&d, 201));
	assert_int_equal(issue_doc_state(&d, 200), DOC_VALID);
	assert_int_equal(issue_doc_state(&d, 201), DOC_EXPIRED);
	d.state = DOC_REVOKED;
	assert_false(issue_doc_in_force(&d, 150));
	assert_int_equal(issue_doc_state(&d, 201), DOC_REVOKED);
	d.state = DOC_SUPERSEDED;
	assert_false(issue_doc_in_force(&d, 150));
	assert_int_equal(issue_doc_state(&d, 201), DOC_SUPERSEDED);
	/* a zeroed record is in no state, so never in force */
	struct store_document z = { .expires_day = INT64_MAX };
	assert_false(issue_doc_in_force(&z, 0));
	assert_string_equal(issue_doc_state_word(DOC_VALID), "berlaku");
	assert_string_equal(issue_doc_state_word(DOC_REVOKED), "dicabut");
	assert_string_equal(issue_doc_state_word(DOC_SUPERSEDED), "diganti");
	assert_string_equal(issue_doc_state_word(DOC_EXPIRED), "kedaluwarsa");
	assert_string_equal(issue_doc_state_word(0), "");
	assert_string_equal(store_doc_state_name(DOC_SUPERSEDED), "superseded");
	assert_string_equal(store_doc_state_name(DOC_EXPIRED), "expired");
	assert_string_equal(store_doc_state_name(0), "");
}

struct docs {
	struct store_document *d;
	size_t n;
};

static int docs_add(const struct store_document *d, void *arg)
{
	struct docs *l = arg;
	struct store_document *grown = realloc(l->d, (l->n + 1) * sizeof *grown);
	if (!grown)
		return TB_ENOMEM;
	l->d = grown;
	l->d[l->n++] = *d;
	return 0;
}

/* Documents of d's case (by_nik 0) or NIK (1) and kind in force on
 * today by issue_doc_in_force, leaving out except. */
static size_t in_force_c(const struct docs *l, const struct store_document *d,
			 int by_nik, int64_t today, const char *except)
{
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++) {
		const struct store_document *x = &l->d[i];
		int same = by_nik ? !strcmp(x->nik, d->nik)
				  : x->case_id == d->case_id;
		if (same && !strcmp(x->kind, d->kind) &&
		    (!except || strcmp(x->serial, except)) &&
		    issue_doc_in_force(x, today))
			n++;
	}
	return n;
}

/* store_doc_in_force's SQL and issue_doc_in_force say the same of every
 * row of the registry (valid, revoked and superseded ones, by case and
 * by NIK, with and without an exception), on the day before issue, the
 * last day and the day after. */
static void test_in_force_sql_agrees(void **state)
{
	struct env *e = *state;
	struct docs l = { 0 };
	int seen[DOC_EXPIRED + 1] = { 0 };
	assert_int_equal(store_doc_each(e->s, NULL, docs_add, &l, &e->err), 0);
	for (size_t i = 0; i < l.n; i++)
		seen[l.d[i].state]++;
	/* the earlier tests left every stored state behind */
	assert_true(seen[DOC_VALID] && seen[DOC_REVOKED] &&
		    seen[DOC_SUPERSEDED]);
	for (size_t i = 0; i < l.n; i++) {
		const struct store_document *d = &l.d[i];
		int64_t days[] = { d->issued_day - 1, d->issued_day,
				   d->expires_day, d->expires_day + 1 };
		for (size_t k = 0; k < ARRAY_SIZE(days); k++)
			for (int by_nik = 0; by_nik < 2; by_nik++) {
				struct store_document got;
				const char *except = NULL;
				for (int pass = 0; pass < 2; pass++) {
					size_t want = in_force_c(&l, d, by_nik,
								 days[k],
								 except);
					int rc = store_doc_in_force(
						e->s, by_nik ? 0 : d->case_id,
						d->nik, d->kind, days[k], except,
						&got, NULL);
					assert_int_equal(rc, want ? 0
								  : TB_ENOTFOUND);
					if (rc < 0)
						break;
					assert_true(issue_doc_in_force(&got,
								       days[k]));
					assert_string_equal(got.kind, d->kind);
					/* again without the one found */
					except = got.serial;
				}
			}
	}
	free(l.d);
}

static void test_card_number(void **state)
{
	(void)state;
	char n[ISSUE_CARD_NUMBER_LEN + 1];
	assert_int_equal(issue_card_check_digit("000123456789"), 7);
	/* the textbook Luhn example: 7992739871 + 3 (padded to 12) */
	assert_int_equal(issue_card_check_digit("007992739871"), 3);
	assert_int_equal(issue_card_check_digit("00012345678"), TB_EINVAL);
	assert_int_equal(issue_card_check_digit("00012345678x"), TB_EINVAL);
	assert_int_equal(issue_card_check_digit(NULL), TB_EINVAL);
	assert_true(issue_card_number_ok("0001234567897"));
	assert_false(issue_card_number_ok("0001234567898"));
	assert_false(issue_card_number_ok("000123456789"));
	assert_false(issue_card_number_ok(NULL));
	/* every single-digit typo is caught */
	char t[14] = "0001234567897";
	for (int i = 0; i < 13; i++) {
		char keep = t[i];
		t[i] = (char)('0' + (keep - '0' + 1) % 10);
		assert_false(issue_card_number_ok(t));
		t[i] = keep;
	}
	/* regency, two-digit year, six-digit sequence, check digit */
	assert_int_equal(issue_card_number("3510", 2026, 1, n, NULL), 0);
	assert_string_equal(n, "3510260000018");
	assert_true(issue_card_number_ok(n));
	assert_int_equal(issue_card_number("3510", 2026, 999999, n, NULL), 0);
	assert_true(issue_card_number_ok(n));
	assert_int_equal(issue_card_number("3510", 2026, 1000000, n, NULL),
			 TB_ECONFLICT);
	assert_int_equal(issue_card_number("35", 2026, 1, n, NULL),
			 TB_EINTERNAL);
}

/* A specimen: the case's data, numbers no issued document has, a QR
 * code of an issued one's version, nothing written; only approved cases. */
static void test_specimen(void **state)
{
	struct env *e = *state;
	struct render_fields f;
	struct store_case c;
	struct store_document issued;
	struct buf url = BUF_INIT;
	struct qr spec = { 0 }, real = { 0 };
	int n = doc_count(e);
	render_fields_init(&f);
	assert_int_equal(issue_specimen(e->s, e->p, 4, &f, &e->err), 0);
	assert_int_equal(doc_count(e), n);
	assert_int_equal(store_case_get(e->s, 4, &c, &e->err), 0);
	assert_string_equal(render_fields_get(&f, "nik"), c.nik);
	assert_string_equal(render_fields_get(&f, "letter_number"), "CONTOH");
	assert_string_equal(render_fields_get(&f, "serial"), "CONTOH");
	assert_string_equal(render_fields_get(&f, "card_number"),
			    "0000000000000");
	const char *qr = render_fields_get(&f, "qr");
	assert_non_null(qr);
	assert_int_equal(strlen(qr), ISSUE_SPECIMEN_QR_LEN);
	assert_memory_equal(qr, "HTTPS://", 8);
	/* the reason for ISSUE_SPECIMEN_QR_LEN: an issued code's version
	 * (case 2's card, from test_issue_idempotent) */
	assert_int_equal(store_doc_in_force(e->s, 2, NULL, "card", date_today(),
					    NULL, &issued, &e->err),
			 0);
	assert_int_equal(token_url(&url, policy_setting(e->p, "verifier_host"),
				   issued.token, &e->err),
			 0);
	assert_int_equal(qr_encode(&spec, qr, &e->err), 0);
	assert_int_equal(qr_encode(&real, url.data, &e->err), 0);
	assert_int_equal(spec.version, real.version);
	qr_release(&spec);
	qr_release(&real);
	buf_release(&url);
	render_fields_release(&f);

	/* a case that is not approved, and no case at all */
	int64_t draft;
	snprintf(c.state, sizeof c.state, "draft");
	assert_int_equal(store_case_add(e->s, &c, &draft, &e->err), 0);
	render_fields_init(&f);
	assert_int_equal(issue_specimen(e->s, e->p, draft, &f, &e->err),
			 TB_EREFUSED);
	assert_non_null(strstr(e->err.data, "belum disetujui"));
	assert_int_equal(issue_specimen(e->s, e->p, 999999, &f, &e->err),
			 TB_ENOTFOUND);
	render_fields_release(&f);
}

static void test_registry_guards(void **state)
{
	struct env *e = *state;
	struct buf report = BUF_INIT;
	size_t nbad = 99;
	int rows = issue_check(e->s, e->kr, &report, &nbad, &e->err);
	assert_true(rows > 0);
	assert_int_equal(nbad, 0);
	assert_string_equal(report.data, "");
	buf_release(&report);
}

static void test_parse(void **state)
{
	(void)state;
	char sn[17];
	assert_int_equal(issue_serial_parse("ab12-cd34 ef56 7890", sn, NULL), 0);
	assert_string_equal(sn, "AB12CD34EF567890");
	assert_int_equal(issue_serial_parse("AB12", sn, NULL), TB_EINVAL);
	assert_int_equal(issue_serial_parse("AB12CD34EF567890FF", sn, NULL),
			 TB_EINVAL);
	assert_int_equal(issue_serial_parse("XX12CD34EF567890", sn, NULL),
			 TB_EINVAL);
	assert_int_equal(issue_serial_parse(NULL, sn, NULL), TB_EINVAL);
	assert_int_equal(issue_kind_parse("letter", NULL), ISSUE_LETTER);
	assert_int_equal(issue_kind_parse("kartu", NULL), ISSUE_CARD);
	assert_int_equal(issue_kind_parse("poster", NULL), TB_EINVAL);
	assert_string_equal(verify_state_name(VERIFY_SUPERSEDED), "SUPERSEDED");
	assert_string_equal(verify_state_label(VERIFY_FORGED), "PALSU");
}

/* ---- web pages: print queue, letters printed, search, corrections -- */

static size_t print_queue(struct env *e, enum issue_kind kind,
			  int newest_first, struct store_document **out)
{
	size_t n = 0, total = 0;
	if (issue_print_queue(e->s, &e->ds, kind, newest_first, 0, out, &n,
			      &total, &e->err) != 0)
		fail_msg("print queue: %s", e->err.data);
	assert_int_equal(n, total); /* fewer than a page here */
	return n;
}

static int in_list(const struct store_document *d, size_t n,
		   const char *serial)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(d[i].serial, serial))
			return (int)i;
	return -1;
}

/* Cards in force leave the queue when a job carrying them is under way
 * or has completed, not when a sheet file is made; a desa operator may
 * not print, a reprint needs a reason, letters and cards go apart. */
static void test_print_queue(void **state)
{
	struct env *e = *state;
	struct issue_result a, b, l;
	struct store_document *q = NULL;
	struct buf pdf = BUF_INIT;
	size_t n, total;
	assert_int_equal(issue_document(&e->ctx, &e->ds, 13, ISSUE_CARD, &a, NULL,
					&e->err), 0);
	assert_int_equal(issue_document(&e->ctx, &e->ds, 14, ISSUE_CARD, &b, NULL,
					&e->err), 0);
	assert_int_equal(issue_document(&e->ctx, &e->ds, 13, ISSUE_LETTER, &l,
					NULL, &e->err), 0);
	size_t cards = print_queue(e, ISSUE_CARD, 0, &q);
	int ia = in_list(q, cards, a.doc.serial), ib = in_list(q, cards, b.doc.serial);
	assert_true(ia >= 0 && ib == ia + 1); /* oldest issue first */
	free(q);
	assert_int_equal(print_queue(e, ISSUE_CARD, 1, &q), cards);
	assert_int_equal(in_list(q, cards, b.doc.serial) + 1,
			 in_list(q, cards, a.doc.serial));
	free(q);
	assert_int_equal(issue_print_queue(e->s, &e->op, ISSUE_CARD, 0, 0, &q, &n,
					   &total, &e->err), TB_EPERM);
	/* a sheet file is not a print: the card stays in the queue */
	const char *sheet[] = { a.doc.serial };
	assert_int_equal(issue_card_sheet(&e->ctx, &e->ds, sheet, 1, &pdf,
					  &e->err), 1);
	assert_int_equal(print_queue(e, ISSUE_CARD, 0, &q), cards);
	free(q);
	/* in a job under way it is no longer waiting (print_cups.sh sends
	 * real ones); once its job completes it is printed */
	struct store_print_job j = { .cups_id = 7, .printer = "kartu",
				     .kind = "card", .media = "cr80",
				     .sides = "two-sided-long-edge",
				     .copies = 1, .state = "pending",
				     .by = "ds" };
	char ended[32];
	assert_int_equal(store_print_job_add(e->s, &j, sheet, 1, &e->err), 0);
	assert_int_equal(print_queue(e, ISSUE_CARD, 0, &q), cards - 1);
	assert_int_equal(in_list(q, cards - 1, a.doc.serial), -1);
	assert_true(in_list(q, cards - 1, b.doc.serial) >= 0);
	free(q);
	assert_int_equal(store_print_job_state(e->s, j.id, "cancelled", "x", 1,
					       ended, &e->err), 1);
	assert_int_equal(print_queue(e, ISSUE_CARD, 0, &q), cards);
	free(q);
	/* an ended job is frozen */
	assert_int_equal(store_print_job_state(e->s, j.id, "completed", "", 1,
					       ended, &e->err), 0);
	assert_int_equal(store_doc_printed(e->s, a.doc.serial, "ds", &e->err), 0);
	assert_int_equal(print_queue(e, ISSUE_CARD, 0, &q), cards - 1);
	free(q);
	/* the rules that refuse before any printer is asked */
	struct store_print_job *jobs = NULL;
	size_t nj = 0;
	const char *mixed[] = { b.doc.serial, l.doc.serial };
	struct issue_print_req req = { .serials = sheet, .n = 1 };
	assert_int_equal(issue_print_submit(&e->ctx, &e->op, &req, &jobs, &nj,
					    &e->err), TB_EPERM);
	req.reprint = 1;
	assert_int_equal(issue_print_submit(&e->ctx, &e->ds, &req, &jobs, &nj,
					    &e->err), TB_EINVAL);
	assert_non_null(strstr(e->err.data, "perlu alasan"));
	req = (struct issue_print_req){ .serials = mixed, .n = 2 };
	assert_int_equal(issue_print_submit(&e->ctx, &e->ds, &req, &jobs, &nj,
					    &e->err), TB_EINVAL);
	req = (struct issue_print_req){ .serials = sheet, .n = 1, .copies = 11 };
	assert_int_equal(issue_print_submit(&e->ctx, &e->ds, &req, &jobs, &nj,
					    &e->err), TB_EINVAL);
	assert_null(jobs);
	assert_int_equal(nj, 0);
	/* a revoked card is not waiting for the printer any more */
	assert_int_equal(issue_revoke(&e->ctx, &e->ds, b.doc.serial, "salah cetak",
				      &e->err), 0);
	assert_int_equal(print_queue(e, ISSUE_CARD, 0, &q), cards - 2);
	free(q);
	size_t letters = print_queue(e, ISSUE_LETTER, 0, &q);
	assert_true(in_list(q, letters, l.doc.serial) >= 0);
	free(q);
	buf_release(&pdf);
}

static size_t search(struct env *e, const struct cases_actor *a,
		     const char *query, const char *serial)
{
	struct store_document *d = NULL;
	size_t n = 0, total = 0;
	if (issue_doc_search(e->s, a, query, 0, &d, &n, &total, &e->err) != 0)
		fail_msg("search %s: %s", query, e->err.data);
	if (serial)
		assert_true(in_list(d, n, serial) >= 0);
	free(d);
	return total;
}

/* By serial as typed, NIK prefix or part of the name, in any state. */
static void test_doc_search(void **state)
{
	struct env *e = *state;
	struct issue_result r;
	char typed[24], lower[STORE_NAME_MAX];
	assert_int_equal(issue_document(&e->ctx, &e->ds, 15, ISSUE_LETTER, &r,
					NULL, &e->err), 0);
	snprintf(typed, sizeof typed, "%.4s-%.4s %.8s", r.doc.serial,
		 r.doc.serial + 4, r.doc.serial + 8);
	for (size_t i = 0; i < sizeof typed && typed[i]; i++)
		typed[i] = (char)tolower((unsigned char)typed[i]);
	assert_int_equal(search(e, &e->ds, typed, r.doc.serial), 1);
	assert_int_equal(search(e, &e->ds, r.doc.nik, r.doc.serial), 1);
	assert_true(search(e, &e->ds, "3510", r.doc.serial) > 1);
	snprintf(lower, sizeof lower, "%.6s", r.doc.name + 1);
	for (char *p = lower; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	assert_true(search(e, &e->ds, lower, r.doc.serial) >= 1);
	assert_int_equal(search(e, &e->ds, "tidak ada nama ini", NULL), 0);
	assert_int_equal(search(e, &e->op, r.doc.nik, r.doc.serial), 1);
	assert_int_equal(issue_revoke(&e->ctx, &e->ds, r.doc.serial, "uji",
				      &e->err), 0);
	assert_int_equal(search(e, &e->ds, r.doc.serial, r.doc.serial), 1);
	struct store_document *d = NULL;
	size_t n, total;
	assert_int_equal(issue_doc_search(e->s, &e->ds, "x", 0, &d, &n, &total,
					  &e->err), TB_EINVAL);
}

/* An issued document freezes the resident's data; revoked, it can be
 * corrected, and issuing again prints the corrected data. */
static void test_correct_after_issue(void **state)
{
	struct env *e = *state;
	struct issue_result r, again;
	struct cases_field_errors fe;
	struct cases_resident_in name = { .name = "Nama Dibetulkan" };
	assert_int_equal(issue_document(&e->ctx, &e->ds, 16, ISSUE_LETTER, &r,
					NULL, &e->err), 0);
	assert_int_equal(cases_resident_correct(e->s, &e->op, r.doc.nik, &name,
						"salah eja", &fe, NULL, &e->err),
			 TB_ECONFLICT);
	assert_non_null(cases_field_error_msg(&fe, "name"));
	assert_int_equal(issue_revoke(&e->ctx, &e->ds, r.doc.serial,
				      "nama salah eja", &e->err), 0);
	assert_int_equal(cases_resident_correct(e->s, &e->op, r.doc.nik, &name,
						"salah eja", &fe, NULL, &e->err),
			 0);
	assert_int_equal(issue_document(&e->ctx, &e->ds, 16, ISSUE_LETTER, &again,
					NULL, &e->err), 0);
	assert_int_equal(again.existing, 0);
	assert_string_equal(again.doc.name, "Nama Dibetulkan");
}

/*
 * A registry row from before token format 2 carries a 144-character
 * format 1 token: it still answers VALID, on the full path and the fast
 * one, and still becomes REVOKED. The row is written as the gate of
 * that time wrote it (a copy of case 7's letter with a new serial, a
 * format 1 token and its own number), sealed like any row.
 */
static void test_v1_row_still_verifies(void **state)
{
	struct env *e = *state;
	struct store_document d, back;
	struct verify_result v;
	struct buf tok = BUF_INIT, hex = BUF_INIT;
	unsigned char serial[TOKEN_SERIAL_LEN], sha[SHA256_LEN];
	struct token_field tf[] = { { "name", "X" } };
	assert_int_equal(store_doc_in_force(e->s, 7, NULL, "letter", date_today(),
					    NULL, &d, &e->err),
			 0);
	assert_int_equal(token_serial_new(serial, &e->err), 0);
	assert_int_equal(token_make(e->kr, TOKEN_LETTER, 0, serial, d.issued_day,
				    d.expires_day, tf, 1, NULL, &tok, &e->err),
			 0);
	assert_int_equal(tok.len, TOKEN_V1_STR_LEN);
	str_hex_upper(d.serial, serial, TOKEN_SERIAL_LEN);
	snprintf(d.token, sizeof d.token, "%s", tok.data);
	d.seq += 1000;
	snprintf(d.number, sizeof d.number, "V1/%lld", (long long)d.seq);
	digest_sha256(d.serial, strlen(d.serial), sha);
	buf_addhex(&hex, sha, sizeof sha);
	snprintf(d.sha256, sizeof d.sha256, "%s", hex.data);
	d.state = DOC_VALID;
	d.replaces[0] = d.superseded_by[0] = 0;
	assert_int_equal(store_begin(e->s, &e->err), 0);
	assert_int_equal(store_doc_add(e->s, &d, "%PDF-", 5, "{}", &e->err), 0);
	assert_int_equal(issue__reseal(e->s, e->kr, d.serial, &back, &e->err), 0);
	assert_int_equal(store_commit(e->s, &e->err), 0);
	assert_string_equal(back.token, tok.data);
	for (int fast = 0; fast < 2; fast++) {
		assert_int_equal(verify_token(e->s, e->kr, tok.data,
					      fast ? VERIFY_FAST : 0, &v, &e->err),
				 0);
		assert_int_equal(v.state, VERIFY_VALID);
		assert_string_equal(v.doc.serial, d.serial);
	}
	assert_int_equal(issue_revoke(&e->ctx, &e->ds, d.serial, "uji format 1",
				      &e->err),
			 0);
	assert_int_equal(verify_token(e->s, e->kr, tok.data, 0, &v, &e->err), 0);
	assert_int_equal(v.state, VERIFY_REVOKED);
	buf_release(&tok);
	buf_release(&hex);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_issue_letter),
		cmocka_unit_test(test_issue_idempotent),
		cmocka_unit_test(test_issue_roles),
		cmocka_unit_test(test_issue_ineligible),
		cmocka_unit_test(test_verify_states),
		cmocka_unit_test(test_verify_fast_same),
		/* its own registry: it deletes a row behind the guards */
		cmocka_unit_test_setup_teardown(test_vindex_log_bound, env_setup,
						env_teardown),
		cmocka_unit_test_setup_teardown(test_vindex, env_setup,
						env_teardown),
		cmocka_unit_test(test_verify_json_masked),
		cmocka_unit_test(test_verify_nik),
		cmocka_unit_test(test_seals),
		cmocka_unit_test(test_issue_batch),
		cmocka_unit_test(test_in_force_by_nik),
		cmocka_unit_test(test_fault_rolls_back),
		cmocka_unit_test(test_doc_state_rule),
		cmocka_unit_test(test_card_number),
		cmocka_unit_test(test_specimen),
		cmocka_unit_test(test_in_force_sql_agrees),
		cmocka_unit_test(test_registry_guards),
		cmocka_unit_test(test_print_queue),
		cmocka_unit_test(test_doc_search),
		cmocka_unit_test(test_correct_after_issue),
		cmocka_unit_test(test_issue_refusal_audited),
		cmocka_unit_test(test_v1_row_still_verifies),
	};
	return cmocka_run_group_tests(tests, env_setup, env_teardown);
}
