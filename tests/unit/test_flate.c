/* flate: every stream inflates back to its input with Python's zlib (the
 * reference inflater), over the cases the encoder treats differently. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/str.h"
#include "render/flate.h"

/* Inflates z with python3's zlib into out; -1 when zlib refuses it. */
static int inflate_ref(const struct buf *z, struct buf *out)
{
	char path[] = "/tmp/test_flate_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(buf_write_all(fd, z->data, z->len), 0);
	close(fd);
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "python3 -c 'import sys, zlib; "
		 "sys.stdout.buffer.write(zlib.decompress(open(sys.argv[1], "
		 "\"rb\").read()))' %s", path);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		assert_int_equal(buf_add(out, chunk, n), 0);
	int status = pclose(p);
	unlink(path);
	return status == 0 ? 0 : -1;
}

static void round_trip(const void *data, size_t n)
{
	struct buf z = BUF_INIT, back = BUF_INIT;
	assert_int_equal(buf_add(&z, "keep", 4), 0); /* appends, keeps this */
	assert_int_equal(flate_compress(data, n, &z), 0);
	assert_memory_equal(z.data, "keep", 4);
	struct buf only = BUF_INIT;
	assert_int_equal(buf_add(&only, z.data + 4, z.len - 4), 0);
	assert_int_equal(inflate_ref(&only, &back), 0);
	assert_int_equal(back.len, n);
	if (n)
		assert_memory_equal(back.data, data, n);
	/* never much bigger than the input: 9 bits a byte at worst */
	assert_true(only.len <= n + n / 8 + 16);
	buf_release(&z);
	buf_release(&only);
	buf_release(&back);
}

static uint32_t rnd(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

static void test_small(void **state)
{
	(void)state;
	round_trip("", 0);
	round_trip("a", 1);
	round_trip("ab", 2);
	round_trip("abc", 3);
	round_trip("abcabcabcabc", 12);
}

/* A page's kind of text compresses well. */
static void test_page_text(void **state)
{
	(void)state;
	struct buf page = BUF_INIT, z = BUF_INIT;
	for (int i = 0; i < 600; i++)
		assert_int_equal(buf_addf(&page, "%d %d %d 1 re\n", i % 41,
					  i / 13, 1 + i % 7), 0);
	round_trip(page.data, page.len);
	assert_int_equal(flate_compress(page.data, page.len, &z), 0);
	assert_true(z.len < page.len / 2);
	buf_release(&page);
	buf_release(&z);
}

/* Noise (literals of both code lengths), long runs (length 258, distance
 * 1), and every match length at distances across the whole window. */
static void test_lengths_and_distances(void **state)
{
	(void)state;
	uint32_t s = 7;
	struct buf in = BUF_INIT;
	for (int i = 0; i < 70000; i++)
		assert_int_equal(buf_addc(&in, (char)rnd(&s)), 0);
	round_trip(in.data, in.len);
	buf_reset(&in);
	for (int i = 0; i < 100000; i++)
		assert_int_equal(buf_addc(&in, 'x'), 0);
	round_trip(in.data, in.len);
	buf_reset(&in);
	for (int i = 0; i < 40000; i++)
		assert_int_equal(buf_addc(&in, (char)rnd(&s)), 0);
	static const size_t dist[] = { 1, 2, 3, 4, 5, 7, 9, 13, 25, 33, 65,
				       129, 257, 513, 1025, 2049, 4097, 8193,
				       16385, 24577, 32768, 40000 };
	for (size_t len = 3; len <= 258; len++) {
		size_t d = dist[len % (ARRAY_SIZE(dist))];
		for (size_t k = 0; k < len; k++)
			assert_int_equal(buf_addc(&in, in.data[in.len - d]), 0);
		for (int k = 0; k < 5; k++)
			assert_int_equal(buf_addc(&in, (char)rnd(&s)), 0);
	}
	round_trip(in.data, in.len);
	buf_release(&in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small),
		cmocka_unit_test(test_page_text),
		cmocka_unit_test(test_lengths_and_distances),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
