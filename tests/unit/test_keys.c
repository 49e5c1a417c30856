#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sys/stat.h>

#include "core/err.h"
#include "sign/keys.h"
#include "sign/token.h"
#include "sign_fixture.h"

static mode_t mode_of(const char *dir, const char *name)
{
	char path[512];
	struct stat st;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (stat(path, &st) != 0)
		return (mode_t)-1;
	return st.st_mode & 07777;
}

/* Every private key is 0600 and the directory 0700, whatever the umask. */
static void test_init_modes(void **state)
{
	struct fixture *f = *state;
	char keys[128];
	char qr[9], pdf[9], name[32];
	snprintf(keys, sizeof keys, "%s/keys", f->dir);
	assert_int_equal(mode_of(f->dir, "keys"), 0700);
	keyring_qr_current(f->kr, qr);
	keyring_pdf_current(f->kr, pdf);
	assert_int_equal(mode_of(keys, "ca.key"), 0600);
	snprintf(name, sizeof name, "qr-%s.key", qr);
	assert_int_equal(mode_of(keys, name), 0600);
	snprintf(name, sizeof name, "pdf-%s.key", pdf);
	assert_int_equal(mode_of(keys, name), 0600);
	snprintf(name, sizeof name, "pdf-%s.pem", pdf);
	assert_int_equal(mode_of(keys, name), 0644);
	assert_int_equal(mode_of(keys, "ca.pem"), 0644);
	/* A key made by rotation too. */
	char kid[9];
	assert_int_equal(keys_rotate(f->dir, kid, NULL), 0);
	snprintf(name, sizeof name, "qr-%s.key", kid);
	assert_int_equal(mode_of(keys, name), 0600);
}

static void test_init_twice_touches_nothing(void **state)
{
	struct fixture *f = *state;
	struct buf err = BUF_INIT;
	char before[9], after[9];
	keyring_qr_current(f->kr, before);
	assert_int_equal(keys_init(f->dir, &err), 1);
	struct keyring *kr;
	assert_int_equal(keyring_load(f->dir, &kr, &err), 0);
	keyring_qr_current(kr, after);
	assert_string_equal(before, after);
	keyring_free(kr);
	buf_release(&err);
}

static void test_load_missing(void **state)
{
	(void)state;
	struct buf err = BUF_INIT;
	struct keyring *kr = (struct keyring *)&err;
	assert_int_equal(keyring_load("/nonexistent/terbit", &kr, &err),
			 TB_ENOTFOUND);
	assert_null(kr);
	assert_non_null(strstr(err.data, "keys init"));
	assert_int_equal(keys_rotate("/nonexistent/terbit", NULL, NULL),
			 TB_ENOTFOUND);
	buf_release(&err);
}

static void test_public_json(void **state)
{
	struct fixture *f = *state;
	struct buf json = BUF_INIT, err = BUF_INIT;
	char kid[9], old[9], pat[64];
	keyring_qr_current(f->kr, old);
	assert_int_equal(keys_rotate(f->dir, kid, &err), 0);
	keyring_free(f->kr);
	assert_int_equal(keyring_load(f->dir, &f->kr, &err), 0);
	assert_int_equal(keyring_public_json(f->kr, &json), 0);
	assert_non_null(strstr(json.data, "\"format\":\"terbit-keys-1\""));
	snprintf(pat, sizeof pat, "\"kid\":\"%s\"", kid);
	char *now = strstr(json.data, pat);
	assert_non_null(now);
	assert_non_null(strstr(now, "\"current\":true"));
	snprintf(pat, sizeof pat, "\"kid\":\"%s\"", old);
	char *was = strstr(json.data, pat);
	assert_non_null(was);
	assert_non_null(strstr(was, "\"current\":false"));
	assert_non_null(strstr(json.data, "BEGIN CERTIFICATE"));
	/* Nothing private leaves. */
	assert_null(strstr(json.data, "PRIVATE"));

	char dir[128], name[64];
	snprintf(dir, sizeof dir, "%s/public", f->dir);
	assert_int_equal(keyring_export_public(f->kr, dir, &err), 0);
	assert_int_equal(mode_of(dir, "keys.json"), 0644);
	assert_int_equal(mode_of(dir, "ca.pem"), 0644);
	snprintf(name, sizeof name, "qr-%s.pub.pem", kid);
	assert_int_equal(mode_of(dir, name), 0644);
	snprintf(name, sizeof name, "qr-%s.pub.pem", old);
	assert_int_equal(mode_of(dir, name), 0644);

	struct buf list = BUF_INIT;
	assert_int_equal(keyring_describe(f->kr, &list), 0);
	assert_non_null(strstr(list.data, "Dinas Sosial Kabupaten Banyuwangi"));
	assert_non_null(strstr(list.data, "(aktif)"));
	buf_release(&list);
	buf_release(&json);
	buf_release(&err);
}

/* What a read-only verifier on another machine holds: it checks the
 * office's tokens with the public halves, knows the current key and
 * has the seal key, and cannot sign; the writer's own directory still
 * loads whole; a qr-current naming no key there is refused. */
static void test_verifier_keys(void **state)
{
	struct fixture *f = *state;
	struct buf err = BUF_INIT, tok = BUF_INIT, a = BUF_INIT, b = BUF_INIT;
	char copy[160], keys[176], w[9], v[9];
	struct keyring *kr, *whole;
	struct token t;
	static const unsigned char serial[TOKEN_SERIAL_LEN] = { 9, 8, 7, 6, 5, 4, 3, 2 };
	static const struct token_field tf[] = { { "name", "X" } };
	snprintf(copy, sizeof copy, "%s/copy", f->dir);
	snprintf(keys, sizeof keys, "%s/keys", copy);
	assert_int_equal(mkdir(copy, 0700), 0);
	assert_int_equal(keyring_export_verifier(f->kr, f->dir, keys, &err), 0);
	assert_int_equal(mode_of(copy, "keys"), 0700);
	assert_int_equal(mode_of(keys, "seal.key"), 0600);
	assert_int_equal(keyring_load_verifier(copy, &kr, &err), 0);
	keyring_qr_current(f->kr, w);
	keyring_qr_current(kr, v);
	assert_string_equal(v, w);
	assert_int_equal(keyring_has_seal(kr), 1);
	assert_int_equal(keyring_public_json(f->kr, &a), 0);
	assert_int_equal(keyring_public_json(kr, &b), 0);
	assert_string_equal(a.data, b.data);
	assert_int_equal(token_make(f->kr, TOKEN_LETTER, 3510, serial, 20000,
				    20400, tf, 1, NULL, &tok, &err), 0);
	assert_int_equal(token_parse(tok.data, tok.len, &t, &err), 0);
	assert_int_equal(token_verify(&t, kr), TOKEN_OK);
	buf_reset(&tok);
	assert_int_not_equal(token_make(kr, TOKEN_LETTER, 3510, serial, 20000,
					20400, tf, 1, NULL, &tok, &err), 0);
	keyring_free(kr);
	assert_int_equal(keyring_load_verifier(f->dir, &whole, &err), 0);
	buf_reset(&tok);
	assert_int_equal(token_make(whole, TOKEN_LETTER, 3510, serial, 20000,
				    20400, tf, 1, NULL, &tok, &err), 0);
	keyring_free(whole);
	char path[200];
	snprintf(path, sizeof path, "%s/qr-current", keys);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("00000000\n", fp);
	fclose(fp);
	buf_reset(&err);
	assert_int_equal(keyring_load_verifier(copy, &kr, &err), TB_ECRYPTO);
	assert_non_null(strstr(err.data, "kunci QR aktif"));
	buf_release(&err);
	buf_release(&tok);
	buf_release(&a);
	buf_release(&b);
}

static void test_kid_parse(void **state)
{
	(void)state;
	unsigned char kid[KEYS_KID_LEN];
	assert_int_equal(keys_kid_parse("0a1B2c3D", kid), 0);
	assert_int_equal(kid[0], 0x0a);
	assert_int_equal(kid[3], 0x3d);
	assert_int_equal(keys_kid_parse("0a1b2c3", kid), TB_EINVAL);
	assert_int_equal(keys_kid_parse("0a1b2c3g", kid), TB_EINVAL);
	assert_int_equal(keys_kid_parse("0a1b2c3d0", kid), TB_EINVAL);
}

static void test_import_rejects_garbage(void **state)
{
	struct fixture *f = *state;
	struct buf err = BUF_INIT;
	char path[128];
	snprintf(path, sizeof path, "%s/bad.p12", f->dir);
	FILE *fp = fopen(path, "w");
	fputs("not a pkcs12 file", fp);
	fclose(fp);
	assert_int_equal(keys_import_p12(f->dir, path, NULL, NULL, &err),
			 TB_EINVAL);
	assert_int_equal(keys_import_p12(f->dir, "/nonexistent.p12", NULL,
					 NULL, &err), TB_ENOTFOUND);
	buf_release(&err);
}

int main(void)
{
	umask(0);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_init_modes, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_init_twice_touches_nothing,
						fixture_setup, fixture_teardown),
		cmocka_unit_test(test_load_missing),
		cmocka_unit_test_setup_teardown(test_public_json, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_verifier_keys, fixture_setup,
						fixture_teardown),
		cmocka_unit_test(test_kid_parse),
		cmocka_unit_test_setup_teardown(test_import_rejects_garbage,
						fixture_setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
