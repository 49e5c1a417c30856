/*
 * What the administrator's web pages need from the modules below them:
 * adding a user from a form (each fault under its field, in the form's
 * words) and the keys in use field by field (keyring_each).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "core/err.h"
#include "sign/keys.h"

struct fx {
	char dir[64];
	struct keyring *kr;
	struct store *s;
	struct cases_actor admin, desa;
	struct buf token, err;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct buf data = BUF_INIT;
	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/terbit-admin.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	buf_init(&f->token, 0);
	buf_init(&f->err, 0);
	if (keys_init(f->dir, &f->err) < 0 ||
	    keyring_load(f->dir, &f->kr, &f->err) < 0 ||
	    store_open(f->dir, &f->s, &f->err) < 0 ||
	    buf_read_file(&data, "regions/3510.csv", 0, &f->err) < 0 ||
	    cases_regions_import(f->s, data.data, data.len, "3510.csv",
				 &f->err) < 0 ||
	    cases_user_add(f->s, NULL, "root", "admin", NULL, &f->token,
			   &f->err) < 0 ||
	    cases_actor_load(f->s, "root", &f->admin, &f->err) < 0 ||
	    cases_user_add(f->s, NULL, "op", "desa", "3510052001", &f->token,
			   &f->err) < 0 ||
	    cases_actor_load(f->s, "op", &f->desa, &f->err) < 0) {
		fprintf(stderr, "setup: %s\n", f->err.data);
		return -1;
	}
	buf_release(&data);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[96];
	store_close(f->s);
	keyring_free(f->kr);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	buf_release(&f->token);
	buf_release(&f->err);
	free(f);
	return 0;
}

static int add(struct fx *f, const struct cases_actor *by, const char *name,
	       const char *role, const char *region,
	       struct cases_field_errors *fe)
{
	buf_reset(&f->token);
	buf_reset(&f->err);
	return cases_user_add_form(f->s, by, name, role, region, &f->token, fe,
				   &f->err);
}

static void test_user_add_form(void **state)
{
	struct fx *f = *state;
	struct cases_field_errors fe;
	/* Every fault at once, each under its field. */
	assert_int_equal(add(f, &f->admin, "<b>x</b>", "raja", "12", &fe),
			 TB_EINVAL);
	assert_non_null(cases_field_error_msg(&fe, "name"));
	assert_non_null(cases_field_error_msg(&fe, "role"));
	/* The region is judged only once the role says what it must be. */
	assert_null(cases_field_error_msg(&fe, "region"));
	assert_string_equal(f->err.data, cases_field_error_msg(&fe, "name"));

	assert_int_equal(add(f, &f->admin, "ani", "desa", "", &fe), TB_EINVAL);
	assert_string_equal(cases_field_error_msg(&fe, "region"),
			    "Isi kode desa/kelurahan (10 angka, mis. 35.10.05.2001).");
	assert_int_equal(add(f, &f->admin, "ani", "desa", "351005", &fe),
			 TB_EINVAL);
	assert_non_null(strstr(cases_field_error_msg(&fe, "region"), "10 angka"));
	assert_int_equal(add(f, &f->admin, "ani", "desa", "3510059999", &fe),
			 TB_EINVAL);
	assert_non_null(strstr(cases_field_error_msg(&fe, "region"),
			       "tidak ada dalam data wilayah"));
	assert_null(cases_field_error_msg(&fe, "name"));
	assert_int_equal(add(f, &f->admin, "ani", "dinkes", "351005", &fe),
			 TB_EINVAL);
	assert_non_null(strstr(cases_field_error_msg(&fe, "region"),
			       "tidak memakai wilayah"));
	assert_int_equal(fe.n, 1);

	/* Good: a token of 43 characters, the user usable at once. */
	assert_int_equal(add(f, &f->admin, "ani", "desa", "35.10.05.2001", &fe), 0);
	assert_int_equal(fe.n, 0);
	assert_int_equal(f->token.len, 43);
	struct cases_actor a;
	assert_int_equal(cases_authenticate(f->s, CASES_CRED_BEARER,
					    f->token.data, &a, &f->err), 0);
	assert_string_equal(a.name, "ani");
	assert_string_equal(a.region, "3510052001");

	/* The same name again: beside the name field, no token. */
	assert_int_equal(add(f, &f->admin, "ani", "dinkes", "", &fe), TB_EINVAL);
	assert_non_null(strstr(cases_field_error_msg(&fe, "name"), "sudah dipakai"));
	assert_int_equal(f->token.len, 0);

	/* Only an admin. */
	assert_int_equal(add(f, &f->desa, "budi", "dinkes", "", &fe), TB_EPERM);
	assert_int_equal(fe.n, 0);
	assert_int_equal(add(f, &f->admin, "budi", "kecamatan", "35.10.05", &fe), 0);
}

struct seen {
	int qr, pdf, ca, current_qr, current_pdf;
	char pdf_subject[256], pdf_after[11];
};

static int collect(const struct keyring_entry *e, void *arg)
{
	struct seen *s = arg;
	assert_int_equal(strlen(e->kid), 8);
	if (e->kind == KEYRING_QR) {
		s->qr++;
		s->current_qr += e->current;
		assert_string_equal(e->subject, "");
	} else if (e->kind == KEYRING_PDF) {
		s->pdf++;
		s->current_pdf += e->current;
		snprintf(s->pdf_subject, sizeof s->pdf_subject, "%s", e->subject);
		snprintf(s->pdf_after, sizeof s->pdf_after, "%s", e->not_after);
		assert_int_equal(strlen(e->not_before), 10);
	} else {
		s->ca++;
		assert_int_equal(strlen(e->not_after), 10);
	}
	return 0;
}

static int stop_at_first(const struct keyring_entry *e, void *arg)
{
	(void)e;
	(*(int *)arg)++;
	return 7;
}

static void test_keyring_each(void **state)
{
	struct fx *f = *state;
	struct seen s = { 0 };
	char kid[9];
	assert_int_equal(keys_rotate(f->dir, kid, NULL), 0);
	keyring_free(f->kr);
	assert_int_equal(keyring_load(f->dir, &f->kr, &f->err), 0);
	assert_int_equal(keyring_each(f->kr, collect, &s), 0);
	assert_int_equal(s.qr, 2);
	assert_int_equal(s.current_qr, 1);
	assert_int_equal(s.pdf, 1);
	assert_int_equal(s.current_pdf, 1);
	assert_int_equal(s.ca, 1);
	assert_non_null(strstr(s.pdf_subject, KEYS_OFFICE_NAME));
	/* Five years from now, as keys_init makes it. */
	assert_int_equal(strlen(s.pdf_after), 10);
	assert_true(strcmp(s.pdf_after, "2030-01-01") > 0);
	int calls = 0;
	assert_int_equal(keyring_each(f->kr, stop_at_first, &calls), 7);
	assert_int_equal(calls, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_user_add_form, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keyring_each, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
