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

#include "core/digest.h"
#include "core/fmt.h"
#include "issue/issue.h"
#include "issue/verify.h"
#include "render/render.h"
#include "sign/pades.h"
#include "sign/token.h"

#include "../issue_fixture.h"

#define NCASES 12

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
	assert_string_equal(res.doc.state, "valid");
	assert_string_equal(res.doc.kind, "letter");
	assert_int_equal(strlen(res.doc.serial), 16);
	assert_int_equal(strlen(res.doc.token), TOKEN_STR_LEN);
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
	assert_int_equal(render_card_number_ok(a.doc.number), 1);
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
	verify_token(e->s, e->kr, b.doc.token, 0, &v, &e->err);
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
	assert_int_equal(token_make(e->kr, TOKEN_LETTER, serial, 20000, 20400,
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
	assert_non_null(strstr(j.data, "3510********"));
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
	snprintf(r.name, sizeof r.name, "Warga \xc4\x80 Uji"); /* U+0100 */
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
		cmocka_unit_test(test_verify_json_masked),
		cmocka_unit_test(test_verify_nik),
		cmocka_unit_test(test_issue_batch),
		cmocka_unit_test(test_in_force_by_nik),
		cmocka_unit_test(test_fault_rolls_back),
		cmocka_unit_test(test_registry_guards),
	};
	return cmocka_run_group_tests(tests, env_setup, env_teardown);
}
