/*
 * Password hashes: the encoded string is real scrypt with the parameters
 * it names (checked against OpenSSL's separate EVP_PBE_scrypt), a wrong
 * password and any tampering fail, older parameters still verify and ask
 * for a rehash, and malformed strings are refused before any hashing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "core/err.h"
#include "core/str.h"
#include "sign/passwd.h"

static void test_round_trip(void **state)
{
	(void)state;
	struct buf h = BUF_INIT, h2 = BUF_INIT, err = BUF_INIT;
	assert_int_equal(passwd_hash("kopi-tubruk-pagi", &h, &err), 0);
	assert_true(strncmp(h.data, "$scrypt$ln=15,r=8,p=1$", 22) == 0);
	assert_int_equal(h.len, 22 + 32 + 1 + 64);
	assert_int_equal(passwd_verify("kopi-tubruk-pagi", h.data, &err), 0);
	assert_int_equal(passwd_needs_rehash(h.data), 0);
	/* A fresh salt each time: same password, different strings. */
	assert_int_equal(passwd_hash("kopi-tubruk-pagi", &h2, &err), 0);
	assert_string_not_equal(h.data, h2.data);
	assert_int_equal(passwd_verify("kopi-tubruk-pagi", h2.data, &err), 0);
	/* The empty password is still a password to the hash. */
	buf_reset(&h2);
	assert_int_equal(passwd_hash("", &h2, &err), 0);
	assert_int_equal(passwd_verify("", h2.data, &err), 0);
	assert_int_equal(passwd_verify(" ", h2.data, &err), TB_EAUTH);
	buf_release(&h);
	buf_release(&h2);
	buf_release(&err);
}

static void test_wrong_password(void **state)
{
	(void)state;
	struct buf h = BUF_INIT, err = BUF_INIT;
	assert_int_equal(passwd_hash("kopi-tubruk-pagi", &h, &err), 0);
	assert_int_equal(passwd_verify("kopi-tubruk-pag", h.data, &err),
			 TB_EAUTH);
	assert_int_equal(passwd_verify("Kopi-tubruk-pagi", h.data, &err),
			 TB_EAUTH);
	assert_int_equal(passwd_verify("kopi-tubruk-pagi ", h.data, &err),
			 TB_EAUTH);
	buf_release(&h);
	buf_release(&err);
}

/* Flipping any one hex digit of salt or hash makes the right password
 * fail; breaking the syntax gives TB_EINVAL. */
static void test_tampered(void **state)
{
	(void)state;
	struct buf h = BUF_INIT, err = BUF_INIT;
	char t[256];
	assert_int_equal(passwd_hash("kopi-tubruk-pagi", &h, &err), 0);
	size_t salt_at = 22, hash_at = 22 + 33;
	size_t spots[] = { salt_at, salt_at + 31, hash_at, h.len - 1 };
	for (size_t i = 0; i < 4; i++) {
		snprintf(t, sizeof t, "%s", h.data);
		t[spots[i]] = t[spots[i]] == '0' ? '1' : '0';
		assert_int_equal(passwd_verify("kopi-tubruk-pagi", t, &err),
				 TB_EAUTH);
	}
	const char *bad[] = {
		"",
		"$scrypt$",
		"$argon2id$ln=15,r=8,p=1$",
		"$scrypt$ln=15,r=8$",
		"$scrypt$ln=40,r=8,p=1$", /* 1 TiB: refused, never tried */
		"$scrypt$ln=5,r=8,p=1$",
		"$scrypt$ln=15,r=0,p=1$",
		"$scrypt$ln=015,r=8,p=1$",
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		/* Keep the salt and hash so only the head is wrong. */
		snprintf(t, sizeof t, "%s%s", bad[i], h.data + 22);
		assert_int_equal(passwd_verify("kopi-tubruk-pagi", t, &err),
				 TB_EINVAL);
	}
	snprintf(t, sizeof t, "%s", h.data);
	t[hash_at + 5] = 'A'; /* upper-case hex is not what we write */
	assert_int_equal(passwd_verify("kopi-tubruk-pagi", t, &err), TB_EINVAL);
	snprintf(t, sizeof t, "%sff", h.data);
	assert_int_equal(passwd_verify("kopi-tubruk-pagi", t, &err), TB_EINVAL);
	t[h.len - 3] = 0;
	assert_int_equal(passwd_verify("kopi-tubruk-pagi", t, &err), TB_EINVAL);
	buf_release(&h);
	buf_release(&err);
}

static void hex(const unsigned char *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

/* The parameters in the string are the ones used: an ln=14 string made
 * with OpenSSL's other scrypt entry point verifies, parses to 14/8/1 and
 * asks for a rehash; the current string matches EVP_PBE_scrypt too. */
static void test_params_parsed(void **state)
{
	(void)state;
	struct buf h = BUF_INIT, err = BUF_INIT;
	struct passwd_params pp;
	unsigned char salt[PASSWD_SALT_LEN], hash[PASSWD_HASH_LEN],
		ref[PASSWD_HASH_LEN];
	char sx[2 * PASSWD_SALT_LEN + 1], hx[2 * PASSWD_HASH_LEN + 1], t[256];
	const char *pw = "sawah-hijau-2026";

	assert_int_equal(passwd_hash(pw, &h, &err), 0);
	assert_int_equal(passwd_parse(h.data, &pp, salt, hash, &err), 0);
	assert_int_equal(pp.ln, 15);
	assert_int_equal(pp.r, 8);
	assert_int_equal(pp.p, 1);
	assert_int_equal(EVP_PBE_scrypt(pw, strlen(pw), salt, sizeof salt,
					1u << 15, 8, 1, 64u << 20, ref,
					sizeof ref), 1);
	assert_memory_equal(ref, hash, sizeof ref);

	assert_int_equal(EVP_PBE_scrypt(pw, strlen(pw), salt, sizeof salt,
					1u << 14, 8, 1, 64u << 20, ref,
					sizeof ref), 1);
	hex(salt, sizeof salt, sx);
	hex(ref, sizeof ref, hx);
	snprintf(t, sizeof t, "$scrypt$ln=14,r=8,p=1$%s$%s", sx, hx);
	assert_int_equal(passwd_parse(t, &pp, NULL, NULL, &err), 0);
	assert_int_equal(pp.ln, 14);
	assert_int_equal(passwd_verify(pw, t, &err), 0);
	assert_int_equal(passwd_verify("sawah-hijau-2025", t, &err), TB_EAUTH);
	assert_int_equal(passwd_needs_rehash(t), 1);
	buf_release(&h);
	buf_release(&err);
}

static void test_too_long(void **state)
{
	(void)state;
	static char pw[PASSWD_MAX + 2];
	struct buf h = BUF_INIT, err = BUF_INIT;
	memset(pw, 'a', sizeof pw - 1);
	assert_int_equal(passwd_hash(pw, &h, &err), TB_EINVAL);
	assert_int_equal(h.len, 0);
	pw[PASSWD_MAX] = 0;
	assert_int_equal(passwd_hash(pw, &h, &err), 0);
	assert_int_equal(passwd_verify(pw, h.data, &err), 0);
	buf_release(&h);
	buf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_wrong_password),
		cmocka_unit_test(test_tampered),
		cmocka_unit_test(test_params_parsed),
		cmocka_unit_test(test_too_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
