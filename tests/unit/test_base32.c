#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"
#include "core/str.h"
#include "sign/base32.h"

/* RFC 4648 section 10, padding removed. */
static const struct {
	const char *plain, *enc;
} vectors[] = {
	{ "", "" },
	{ "f", "MY" },
	{ "fo", "MZXQ" },
	{ "foo", "MZXW6" },
	{ "foob", "MZXW6YQ" },
	{ "fooba", "MZXW6YTB" },
	{ "foobar", "MZXW6YTBOI" },
};

static void test_rfc4648_vectors(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(vectors); i++) {
		struct buf e = BUF_INIT, d = BUF_INIT;
		size_t n = strlen(vectors[i].plain);
		assert_int_equal(base32_encode(&e, vectors[i].plain, n), 0);
		assert_string_equal(e.data, vectors[i].enc);
		assert_int_equal(base32_decode(&d, e.data, e.len), (int)n);
		assert_memory_equal(d.data, vectors[i].plain, n);
		buf_release(&e);
		buf_release(&d);
	}
}

static void test_lower_case_accepted(void **state)
{
	(void)state;
	struct buf d = BUF_INIT;
	assert_int_equal(base32_decode(&d, "mzXw6ytboi", 10), 6);
	assert_string_equal(d.data, "foobar");
	buf_release(&d);
}

/* Every byte value: in the alphabet (either case of a letter) or
 * refused. "AAAAAAA" + c is 8 characters, 5 bytes whose last 5 bits are
 * c's value. */
static void test_every_byte(void **state)
{
	(void)state;
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	for (int c = 0; c < 256; c++) {
		char in[9] = "AAAAAAA";
		in[7] = (char)c;
		struct buf d = BUF_INIT;
		const char *at = c ? strchr(alphabet, c >= 'a' && c <= 'z' ? c - 32 : c)
				   : NULL;
		int rc = base32_decode(&d, in, 8);
		if (at) {
			assert_int_equal(rc, 5);
			assert_int_equal((unsigned char)d.data[4], at - alphabet);
		} else {
			assert_int_equal(rc, TB_EINVAL);
		}
		buf_release(&d);
	}
}

static void test_rejects(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"MY======", /* padding */
		"M",        /* impossible length */
		"MZX",      /* impossible length */
		"MZXW6Y",   /* impossible length */
		"MZ",       /* non-zero trailing bits ("MY" is the one spelling) */
		"MZXW 6",   /* space */
		"MZXW1",    /* 1 is not in the alphabet */
		"MZXW8",
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct buf d = BUF_INIT;
		assert_int_equal(base32_decode(&d, bad[i], strlen(bad[i])),
				 TB_EINVAL);
		assert_int_equal(d.len, 0);
		assert_int_equal(d.data[0], '\0');
		buf_release(&d);
	}
}

/* A character outside the alphabet is refused wherever it stands: in
 * each place of an 8-character block, and in the tail after blocks. */
static void test_reject_every_place(void **state)
{
	(void)state;
	static const char good[] = "MZXW6YTBOI2DGMZA"; /* 16: two blocks */
	static const char tail[] = "MZXW6YTBOI";       /* a block and 2 */
	static const char bad[] = "18=@[` \xff";
	const char *const texts[] = { good, tail };
	unsigned char out[16];
	for (size_t t = 0; t < ARRAY_SIZE(texts); t++) {
		size_t n = strlen(texts[t]);
		assert_int_equal(base32_decode_to(out, texts[t], n),
				 (int)(n * 5 / 8));
		for (size_t i = 0; i < n; i++)
			for (size_t b = 0; bad[b]; b++) {
				char s[sizeof good];
				memcpy(s, texts[t], n + 1);
				s[i] = bad[b];
				assert_int_equal(base32_decode_to(out, s, n),
						 TB_EINVAL);
			}
	}
}

static void test_all_bytes_round_trip(void **state)
{
	(void)state;
	unsigned char all[256];
	for (int i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	for (size_t n = 0; n <= sizeof all; n += 17) {
		struct buf e = BUF_INIT, d = BUF_INIT;
		assert_int_equal(base32_encode(&e, all, n), 0);
		assert_int_equal(e.len, (n * 8 + 4) / 5);
		assert_int_equal(base32_decode(&d, e.data, e.len), (int)n);
		assert_memory_equal(d.data, all, n);
		buf_release(&e);
		buf_release(&d);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc4648_vectors),
		cmocka_unit_test(test_lower_case_accepted),
		cmocka_unit_test(test_every_byte),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_reject_every_place),
		cmocka_unit_test(test_all_bytes_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
