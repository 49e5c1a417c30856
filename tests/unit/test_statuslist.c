/*
 * The signed status list (sign/statuslist.h): the worked example of
 * docs/token.md byte for byte, round trips, and every way a list is
 * refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/str.h"
#include "sign/keyring_int.h"
#include "sign/statuslist.h"
#include "sign_fixture.h"

/* The example's entries: 2026-11-02 and 2026-11-20. */
static const struct status_entry example[] = {
	{ { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef }, 'R', 20759 },
	{ { 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10 }, 'S', 20777 },
};
/* 2026-11-30T10:30:00Z and a day later. */
#define MADE (20787LL * 86400 + 10 * 3600 + 30 * 60)
#define NEXT (MADE + 86400)

/* docs/token.md, "The status list": if this changes, so must the doc. */
static const char vector[] =
	"terbit-status 1\n"
	"issuer 3510\n"
	"kid 56475aa7\n"
	"made 2026-11-30T10:30:00Z\n"
	"next 2026-12-01T10:30:00Z\n"
	"count 2\n"
	"0123456789ABCDEF R 2026-11-02\n"
	"FEDCBA9876543210 S 2026-11-20\n"
	"sig mOhSRwcftV8c8mbY9TQULfkjqyC_KLbQzAfIhrRVD_LMLJJ2IZs1BMShl2-KZ1gGyyVAptPtZvf4PT5B2-4DAQ\n";

/* The public key of the seed 00..1f (docs/token.md). */
static const unsigned char vector_pub[32] = {
	0x03, 0xa1, 0x07, 0xbf, 0xf3, 0xce, 0x10, 0xbe, 0x1d, 0x70, 0xdd,
	0x18, 0xe7, 0x4b, 0xc0, 0x99, 0x67, 0xe4, 0xd6, 0x30, 0x9b, 0xa5,
	0x0d, 0x5f, 0x1d, 0xdc, 0x86, 0x64, 0x12, 0x55, 0x31, 0xb8,
};

static void make(struct keyring *kr, const struct status_entry *e, size_t n,
		 struct buf *out)
{
	struct buf err = BUF_INIT;
	int rc = status_make(kr, 3510, MADE, NEXT, e, n, out, &err);
	if (rc)
		fprintf(stderr, "%s\n", err.data);
	assert_int_equal(rc, 0);
	buf_release(&err);
}

static void test_vector(void **state)
{
	struct fixture *f = *state;
	struct buf text = BUF_INIT, err = BUF_INIT;
	struct status_list l;
	install_fixed_key(f);
	keyring_free(f->kr);
	assert_int_equal(keyring_load(f->dir, &f->kr, &err), 0);
	assert_int_equal(20759, date_to_days(2026, 11, 2));
	assert_int_equal(20777, date_to_days(2026, 11, 20));
	make(f->kr, example, ARRAY_SIZE(example), &text);
	printf("vector status list:\n%s", text.data);
	/* The signature was checked by Python's cryptography too (the
	 * snippet in docs/token.md). */
	size_t head = strstr(vector, "sig ") - vector;
	assert_true(text.len > head);
	assert_memory_equal(text.data, vector, head);
	assert_string_equal(text.data, vector);
	assert_int_equal(status_parse(text.data, text.len, &l, &err), 0);
	assert_int_equal(l.issuer, 3510);
	assert_int_equal(l.made, MADE);
	assert_int_equal(l.next, NEXT);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.signed_len, head);
	assert_true(status_sig_ok(&l, text.data, vector_pub));
	status_list_release(&l);
	buf_release(&text);
	buf_release(&err);
}

static void test_round_trip_and_find(void **state)
{
	struct fixture *f = *state;
	struct status_entry e[300];
	struct buf text = BUF_INIT;
	struct status_list l;
	for (size_t i = 0; i < ARRAY_SIZE(e); i++) {
		memset(&e[i], 0, sizeof e[i]);
		e[i].serial[0] = (unsigned char)(i >> 8);
		e[i].serial[7] = (unsigned char)i;
		e[i].code = "RSX"[i % 3];
		e[i].day = 20000 + (int64_t)i;
	}
	make(f->kr, e, ARRAY_SIZE(e), &text);
	assert_int_equal(status_parse(text.data, text.len, &l, NULL), 0);
	assert_int_equal(l.n, ARRAY_SIZE(e));
	for (size_t i = 0; i < ARRAY_SIZE(e); i++) {
		const struct status_entry *h = status_find(&l, e[i].serial);
		assert_non_null(h);
		assert_int_equal(h->code, e[i].code);
		assert_int_equal(h->day, e[i].day);
	}
	unsigned char absent[8] = { 0xff, 0, 0, 0, 0, 0, 0, 1 };
	assert_null(status_find(&l, absent));
	status_list_release(&l);

	/* An empty list is a list. */
	buf_reset(&text);
	make(f->kr, NULL, 0, &text);
	assert_int_equal(status_parse(text.data, text.len, &l, NULL), 0);
	assert_int_equal(l.n, 0);
	assert_null(status_find(&l, absent));
	status_list_release(&l);
	buf_release(&text);
}

/* Every byte before the signature is signed: flipping any one of them
 * (where the result still parses) breaks the signature. */
static void test_every_signed_byte_counts(void **state)
{
	struct fixture *f = *state;
	struct buf text = BUF_INIT;
	struct status_list l;
	unsigned char pub[32];
	make(f->kr, example, ARRAY_SIZE(example), &text);
	assert_int_equal(status_parse(text.data, text.len, &l, NULL), 0);
	memcpy(pub, f->kr->qr[f->kr->qr_current].pub, sizeof pub);
	assert_true(status_sig_ok(&l, text.data, pub));
	status_list_release(&l);
	size_t parsed = 0;
	for (size_t i = 0; i < text.len; i++) {
		char *c = &text.data[i];
		char was = *c;
		*c = was == '1' ? '2' : was == 'R' ? 'S' : was == '0' ? '1' : was;
		if (*c != was && status_parse(text.data, text.len, &l, NULL) == 0) {
			parsed++;
			assert_false(status_sig_ok(&l, text.data, pub));
			status_list_release(&l);
		}
		*c = was;
	}
	assert_true(parsed > 10);
	buf_release(&text);
}

static void refused(const char *text, const char *why)
{
	struct status_list l;
	struct buf err = BUF_INIT;
	int rc = status_parse(text, strlen(text), &l, &err);
	if (rc != TB_EINVAL)
		fprintf(stderr, "accepted (%s):\n%s\n", why, text);
	assert_int_equal(rc, TB_EINVAL);
	assert_true(err.len > 0);
	buf_release(&err);
}

static void test_parse_strict(void **state)
{
	struct fixture *f = *state;
	struct buf good = BUF_INIT, bad = BUF_INIT;
	struct status_list l;
	make(f->kr, example, ARRAY_SIZE(example), &good);
	assert_int_equal(status_parse(good.data, good.len, &l, NULL), 0);
	status_list_release(&l);
	static const struct {
		const char *from, *to, *why;
	} edits[] = {
		{ "terbit-status 1", "terbit-status 2", "version" },
		{ "issuer 3510", "issuer 03510", "leading zero" },
		{ "issuer 3510", "issuer 0", "issuer 0" },
		{ "issuer 3510", "issuer 35100", "issuer too long" },
		{ "kid ", "kid  ", "kid spacing" },
		{ "made 2026-11-30T10:30:00Z", "made 2026-11-30T10:30:00", "no Z" },
		{ "made 2026-11-30T10:30:00Z", "made 2026-11-30T10:30:00.0Z", "fraction" },
		{ "made 2026-11-30T10:30:00Z", "made 2026-12-02T10:30:00Z", "made after next" },
		{ "next 2026-12-01T10:30:00Z", "next 2026-02-30T10:30:00Z", "no such day" },
		{ "count 2", "count 3", "count too high" },
		{ "count 2", "count 1", "count too low" },
		{ "count 2", "count 02", "count leading zero" },
		{ "0123456789ABCDEF", "0123456789abcdef", "lower-case serial" },
		{ "FEDCBA9876543210", "0123456789ABCDEF", "duplicate serial" },
		{ "FEDCBA9876543210", "0023456789ABCDEF", "serials out of order" },
		{ " R ", " Q ", "unknown code" },
		{ "2026-11-02", "2026-13-02", "bad day" },
		{ "\nsig ", "\nsig  ", "sig spacing" },
		{ "\n", "\r\n", "CRLF" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(edits); i++) {
		const char *at = strstr(good.data, edits[i].from);
		assert_non_null(at);
		buf_reset(&bad);
		buf_add(&bad, good.data, (size_t)(at - good.data));
		buf_adds(&bad, edits[i].to);
		buf_adds(&bad, at + strlen(edits[i].from));
		refused(bad.data, edits[i].why);
	}
	/* Truncated anywhere, or anything after the signature's line. */
	for (size_t n = 0; n < good.len; n++) {
		buf_reset(&bad);
		buf_add(&bad, good.data, n);
		refused(bad.data, "truncated");
	}
	buf_reset(&bad);
	buf_add(&bad, good.data, good.len);
	buf_adds(&bad, "\n");
	refused(bad.data, "trailing line");
	buf_release(&good);
	buf_release(&bad);
}

static void test_make_refuses(void **state)
{
	struct fixture *f = *state;
	struct buf out = BUF_INIT;
	struct status_entry twice[2] = { example[0], example[0] };
	struct status_entry odd = example[0];
	odd.code = 'Q';
	assert_int_equal(status_make(f->kr, 3510, MADE, NEXT, twice, 2, &out, NULL),
			 TB_EINVAL);
	assert_int_equal(status_make(f->kr, 3510, MADE, NEXT, &odd, 1, &out, NULL),
			 TB_EINVAL);
	assert_int_equal(status_make(f->kr, 0, MADE, NEXT, example, 2, &out, NULL),
			 TB_EINVAL);
	assert_int_equal(status_make(f->kr, 3510, NEXT, MADE, example, 2, &out, NULL),
			 TB_EINVAL);
	assert_int_equal(out.len, 0);
	buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_vector, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_round_trip_and_find,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_every_signed_byte_counts,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_parse_strict, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_make_refuses, fixture_setup,
						fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
