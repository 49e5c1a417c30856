/* QR codes: the version libqrencode really chose, run merging, PNG. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"
#include "render/qr.h"

/* The next issue's token URL: 160 upper-case characters. */
static void token_url(char out[161], int lower)
{
	const char *head = lower ? "https://spm.banyuwangikab.go.id/v/"
				 : "HTTPS://SPM.BANYUWANGIKAB.GO.ID/V/";
	const char *b32 = lower ? "abcdefghijklmnopqrstuvwxyz234567"
				: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	size_t n = strlen(head);
	memcpy(out, head, n);
	for (size_t i = n; i < 160; i++)
		out[i] = b32[(i * 7) % 32];
	out[160] = 0;
}

static void test_alnum_fits(void **state)
{
	(void)state;
	char url[161];
	struct qr q;
	token_url(url, 0);
	assert_int_equal(qr_encode(&q, url, NULL), 0);
	/* 160 characters in byte mode need version 9 at level M; version
	 * 8 or less means libqrencode chose alphanumeric mode */
	assert_true(q.version <= QR_MAX_VERSION);
	assert_int_equal(q.width, 17 + 4 * q.version);
	qr_release(&q);
}

static void test_too_long(void **state)
{
	(void)state;
	char url[161];
	struct qr q;
	struct buf err = BUF_INIT;
	token_url(url, 1); /* lower case: byte mode, too big */
	assert_int_equal(qr_encode(&q, url, &err), TB_EINVAL);
	assert_non_null(strstr(err.data, "versi"));
	assert_int_equal(qr_encode(&q, "", &err), TB_EINVAL);
	qr_release(&q);
	buf_release(&err);
}

struct count {
	int runs, modules;
	const struct qr *q;
};

static int count_run(int x, int y, int len, void *arg)
{
	struct count *c = arg;
	c->runs++;
	c->modules += len;
	/* every run is dark, bounded by light modules or the edge */
	for (int i = 0; i < len; i++)
		assert_true(c->q->dark[y * c->q->width + x + i]);
	if (x > 0)
		assert_false(c->q->dark[y * c->q->width + x - 1]);
	if (x + len < c->q->width)
		assert_false(c->q->dark[y * c->q->width + x + len]);
	return 0;
}

static void test_runs(void **state)
{
	(void)state;
	char url[161];
	struct qr q;
	token_url(url, 0);
	assert_int_equal(qr_encode(&q, url, NULL), 0);
	struct count c = { 0, 0, &q };
	int n = qr_runs(&q, count_run, &c);
	int dark = 0;
	for (int i = 0; i < q.width * q.width; i++)
		dark += q.dark[i];
	assert_int_equal(n, c.runs);
	assert_int_equal(c.modules, dark);
	assert_true(c.runs < dark * 2 / 3); /* merging saves rectangles */
	qr_release(&q);
}

struct cover {
	int rects;
	unsigned char *hits; /* times each module was drawn */
	const struct qr *q;
};

static int cover_rect(int x, int y, int w, int h, void *arg)
{
	struct cover *c = arg;
	c->rects++;
	assert_true(w > 0 && h > 0);
	assert_true(x + w <= c->q->width && y + h <= c->q->width);
	for (int j = y; j < y + h; j++)
		for (int i = x; i < x + w; i++)
			c->hits[j * c->q->width + i]++;
	return 0;
}

static int count_only(int x, int y, int len, void *arg)
{
	(void)x, (void)y, (void)len;
	++*(int *)arg;
	return 0;
}

static int stop_at_first(int x, int y, int w, int h, void *arg)
{
	(void)x, (void)y, (void)w, (void)h, (void)arg;
	return -7;
}

/* Merged rectangles draw every dark module once and no light one, with
 * fewer rectangles than runs; fn's error stops the walk. */
static void test_rects(void **state)
{
	(void)state;
	char url[161];
	struct qr q;
	token_url(url, 0);
	assert_int_equal(qr_encode(&q, url, NULL), 0);
	struct cover c = { 0, calloc((size_t)q.width * q.width, 1), &q };
	assert_non_null(c.hits);
	int runs = 0;
	int n = qr_rects(&q, cover_rect, &c);
	assert_int_equal(n, c.rects);
	for (int i = 0; i < q.width * q.width; i++)
		assert_int_equal(c.hits[i], q.dark[i] ? 1 : 0);
	qr_runs(&q, count_only, &runs);
	assert_true(c.rects < runs);
	assert_int_equal(qr_rects(&q, stop_at_first, NULL), -7);
	free(c.hits);
	qr_release(&q);
}

static uint32_t be32(const char *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return ntohl(v);
}

static void test_png(void **state)
{
	(void)state;
	struct qr q;
	struct buf png = BUF_INIT;
	assert_int_equal(qr_encode(&q, "HTTPS://X.ID/V/ABC", NULL), 0);
	assert_int_equal(qr_png(&q, 20, 300, &png, NULL), 0);
	assert_memory_equal(png.data, "\x89PNG\r\n\x1a\n", 8);
	/* IHDR: width = height, bit depth 1, greyscale */
	const char *ihdr = png.data + 8;
	assert_memory_equal(ihdr + 4, "IHDR", 4);
	uint32_t w = be32(ihdr + 8), h = be32(ihdr + 12);
	assert_int_equal(w, h);
	assert_int_equal(w % (uint32_t)(q.width + 2 * QR_QUIET), 0);
	assert_int_equal((unsigned char)ihdr[16], 1);
	assert_int_equal((unsigned char)ihdr[17], 0);
	/* about 20 mm at 300 dpi: 236 px, whole modules */
	assert_true(w > 200 && w < 270);
	/* pHYs: 300 dpi = 11811 pixels per metre, unit metre */
	const char *phys = memmem(png.data, png.len, "pHYs", 4);
	assert_non_null(phys);
	assert_int_equal(be32(phys + 4), 11811);
	assert_int_equal(be32(phys + 8), 11811);
	assert_int_equal(phys[12], 1);
	assert_int_equal(qr_png(&q, 20, 10, &png, NULL), TB_EINVAL);
	qr_release(&q);
	buf_release(&png);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alnum_fits),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_runs),
		cmocka_unit_test(test_rects),
		cmocka_unit_test(test_png),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
