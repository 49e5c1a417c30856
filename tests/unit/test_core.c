/* Unit tests for src/core: buffer, CSV reader, JSON writer, formats,
 * string helpers, SHA-256, the random source. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/csv.h"
#include "core/digest.h"
#include "core/err.h"
#include "core/fmt.h"
#include "core/json.h"
#include "core/random.h"
#include "core/str.h"
#include "core/utf8.h"
#include "core/vec.h"

/* ---- buf ---- */

static void test_buf_basics(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	assert_int_equal(buf_adds(&b, "abc"), 0);
	assert_int_equal(buf_addf(&b, "-%d-", 42), 0);
	assert_string_equal(b.data, "abc-42-");
	assert_int_equal(b.len, 7);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(buf_addc(&b, 'x'), 0);
	assert_int_equal(b.len, 1007);
	assert_int_equal(b.data[b.len], '\0');
	buf_truncate(&b, 3);
	assert_string_equal(b.data, "abc");
	buf_reset(&b);
	assert_string_equal(b.data, "");
	assert_int_equal(buf_addhex(&b, "\x01\xab", 2), 0);
	assert_string_equal(b.data, "01ab");
	size_t len;
	char *p = buf_detach(&b, &len);
	assert_string_equal(p, "01ab");
	assert_int_equal(len, 4);
	assert_string_equal(b.data, "");
	free(p);
	p = buf_detach(&b, &len);
	assert_string_equal(p, "");
	assert_int_equal(len, 0);
	free(p);
	buf_release(&b);
}

static void test_buf_cap(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 8);
	assert_int_equal(buf_adds(&b, "12345678"), 0);
	assert_int_equal(buf_addc(&b, '9'), TB_ETOOBIG);
	assert_string_equal(b.data, "12345678");
	buf_reset(&b);
	assert_int_equal(buf_addf(&b, "%s", "123456789"), TB_ETOOBIG);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	buf_release(&b);
}

static void test_buf_setf_and_err(void **state)
{
	(void)state;
	struct buf e = BUF_INIT;
	assert_int_equal(tb_err(&e, TB_ENOTFOUND, "kasus %d tidak ada", 7),
			 TB_ENOTFOUND);
	assert_string_equal(e.data, "kasus 7 tidak ada");
	assert_int_equal(tb_err(NULL, TB_EINVAL, "x"), TB_EINVAL);
	assert_int_equal(err_http_status(TB_ENOTFOUND), 404);
	assert_int_equal(err_http_status(TB_EREFUSED), 422);
	assert_string_equal(err_name(TB_EPERM), "forbidden");
	assert_int_equal(err_exit_code(TB_OK), 0);
	assert_true(err_exit_code(TB_EINVAL) != 0);
	buf_release(&e);
}

/* ---- csv ---- */

static int parse_all(const char *text, size_t n, char out[][8][64],
		     unsigned *lines, size_t *nf, struct buf *err)
{
	struct csv c;
	int rows = 0, rc;
	csv_init(&c, text, n);
	while ((rc = csv_next(&c, err)) > 0) {
		nf[rows] = c.nfields;
		lines[rows] = c.line;
		for (size_t i = 0; i < c.nfields && i < 8; i++)
			snprintf(out[rows][i], 64, "%s", c.fields[i]);
		rows++;
	}
	csv_release(&c);
	return rc < 0 ? rc : rows;
}

static void test_csv_quotes_bom_crlf(void **state)
{
	(void)state;
	static const char text[] =
		"\xEF\xBB\xBFnik,name,note\r\n"
		"1,\"Ahmad \"\"Gus\"\" Fauzi\",\"a, b\"\r\n"
		"\r\n"
		"2,\"two\nlines\",\r\n"
		"3,,last";
	char out[8][8][64];
	unsigned lines[8];
	size_t nf[8];
	struct buf err = BUF_INIT;
	int rows = parse_all(text, sizeof text - 1, out, lines, nf, &err);
	assert_int_equal(rows, 4);
	assert_string_equal(out[0][0], "nik");
	assert_string_equal(out[1][1], "Ahmad \"Gus\" Fauzi");
	assert_string_equal(out[1][2], "a, b");
	assert_int_equal(lines[2], 4);
	assert_string_equal(out[2][1], "two\nlines");
	assert_string_equal(out[2][2], "");
	assert_int_equal(nf[2], 3);
	assert_int_equal(lines[3], 6);
	assert_string_equal(out[3][1], "");
	assert_string_equal(out[3][2], "last");
	buf_release(&err);
}

static void test_csv_errors(void **state)
{
	(void)state;
	char out[8][8][64];
	unsigned lines[8];
	size_t nf[8];
	struct buf err = BUF_INIT;
	static const char unterminated[] = "a,b\n1,\"open\n2,3\n";
	assert_int_equal(parse_all(unterminated, sizeof unterminated - 1, out,
				   lines, nf, &err),
			 TB_EINVAL);
	assert_non_null(strstr(err.data, "baris 2"));
	static const char stray[] = "a,b\n1,x\"y\n";
	assert_int_equal(parse_all(stray, sizeof stray - 1, out, lines, nf,
				   &err),
			 TB_EINVAL);
	assert_non_null(strstr(err.data, "baris 2"));
	static const char after[] = "a\n\"x\"y\n";
	assert_int_equal(parse_all(after, sizeof after - 1, out, lines, nf,
				   &err),
			 TB_EINVAL);
	/* 65 columns: one more than the reader holds. */
	struct buf wide = BUF_INIT;
	for (int i = 0; i < 65; i++)
		buf_adds(&wide, i ? ",x" : "x");
	struct csv c;
	csv_init(&c, wide.data, wide.len);
	assert_int_equal(csv_next(&c, &err), TB_EINVAL);
	assert_non_null(strstr(err.data, "terlalu banyak kolom"));
	csv_release(&c);
	buf_release(&wide);
	buf_release(&err);
}

static void test_csv_header(void **state)
{
	(void)state;
	static const char *const want[] = { "nik", "program", "status" };
	size_t cols[3];
	struct buf err = BUF_INIT;
	struct csv c;
	static const char ok[] = "status,nik,program\n";
	csv_init(&c, ok, sizeof ok - 1);
	assert_int_equal(csv_next(&c, &err), 1);
	assert_int_equal(csv_header(&c, want, 3, cols, &err), 0);
	assert_int_equal(cols[0], 1);
	assert_int_equal(cols[2], 0);
	csv_release(&c);
	static const char extra[] = "nik,program,status,umur\n";
	csv_init(&c, extra, sizeof extra - 1);
	assert_int_equal(csv_next(&c, &err), 1);
	assert_int_equal(csv_header(&c, want, 3, cols, &err), TB_EINVAL);
	assert_non_null(strstr(err.data, "umur"));
	csv_release(&c);
	static const char missing[] = "nik,program\n";
	csv_init(&c, missing, sizeof missing - 1);
	assert_int_equal(csv_next(&c, &err), 1);
	assert_int_equal(csv_header(&c, want, 3, cols, &err), TB_EINVAL);
	assert_non_null(strstr(err.data, "status"));
	csv_release(&c);
	buf_release(&err);
}

/* ---- json ---- */

static void test_json_writer(void **state)
{
	(void)state;
	struct buf out = BUF_INIT;
	struct json j;
	json_init(&j, &out);
	json_obj_open(&j, NULL);
	json_str(&j, "name", "Nur'aini \"X\"\n<b>");
	json_num(&j, "score", 1.842);
	json_int(&j, "n", -3);
	json_bool(&j, "ok", 1);
	json_str(&j, "none", NULL);
	json_arr_open(&j, "list");
	json_int(&j, NULL, 1);
	json_obj_open(&j, NULL);
	json_obj_close(&j);
	json_arr_close(&j);
	json_obj_close(&j);
	assert_int_equal(json_finish(&j), 0);
	assert_string_equal(out.data,
		"{\"name\":\"Nur'aini \\\"X\\\"\\n\\u003cb\\u003e\","
		"\"score\":1.842,\"n\":-3,\"ok\":true,\"none\":null,"
		"\"list\":[1,{}]}");
	buf_release(&out);
}

static void test_json_unbalanced_and_cap(void **state)
{
	(void)state;
	struct buf out;
	buf_init(&out, 10);
	struct json j;
	json_init(&j, &out);
	json_obj_open(&j, NULL);
	json_str(&j, "long", "this does not fit");
	json_obj_close(&j);
	assert_int_equal(json_finish(&j), TB_ETOOBIG);
	buf_release(&out);
	buf_init(&out, 0);
	json_init(&j, &out);
	json_arr_open(&j, NULL);
	assert_int_equal(json_finish(&j), TB_EINTERNAL);
	buf_release(&out);
}

/* ---- formats ---- */

static void test_fmt_dates(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	assert_int_equal(fmt_date_id(&b, "2026-11-22"), 0);
	assert_string_equal(b.data, "22 November 2026");
	buf_reset(&b);
	assert_int_equal(fmt_date_id(&b, "2024-02-30"), TB_EINVAL);
	assert_int_equal(fmt_date_id(&b, "2024-2-03"), TB_EINVAL);
	assert_int_equal(date_to_days(1970, 1, 1), 0);
	assert_int_equal(date_to_days(2000, 3, 1), 11017);
	for (int64_t d = -800000; d < 800000; d += 997) {
		int y, m, dd;
		days_to_date(d, &y, &m, &dd);
		assert_int_equal(date_to_days(y, m, dd), d);
	}
	assert_int_equal(fmt_days_id(&b, date_to_days(2024, 2, 29)), 0);
	assert_string_equal(b.data, "29 Februari 2024");
	/* Years of every width, and before year 1. */
	buf_reset(&b);
	assert_int_equal(fmt_days_id(&b, date_to_days(5, 1, 9)), 0);
	assert_string_equal(b.data, "9 Januari 5");
	buf_reset(&b);
	assert_int_equal(fmt_days_id(&b, date_to_days(-12, 12, 31)), 0);
	assert_string_equal(b.data, "31 Desember -12");
	buf_reset(&b);
	setenv("TERBIT_TODAY", "2026-01-05", 1);
	assert_int_equal(date_today(), date_to_days(2026, 1, 5));
	unsetenv("TERBIT_TODAY");
	buf_release(&b);
}

static void test_fmt_numbers(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	assert_int_equal(fmt_decimal_id(&b, 1.8421, 3), 0);
	assert_string_equal(b.data, "1,842");
	buf_reset(&b);
	fmt_decimal_id(&b, 2.107, 3);
	assert_string_equal(b.data, "2,107");
	buf_reset(&b);
	fmt_int_id(&b, 1234567);
	assert_string_equal(b.data, "1.234.567");
	buf_reset(&b);
	fmt_int_id(&b, -999);
	assert_string_equal(b.data, "-999");
	buf_reset(&b);
	assert_int_equal(fmt_card_number(&b, "0001234567890"), 0);
	assert_string_equal(b.data, "0001 2345 6789 0");
	assert_int_equal(fmt_card_number(&b, "12345"), TB_EINVAL);
	buf_reset(&b);
	fmt_sex_id(&b, 'P');
	assert_string_equal(b.data, "Perempuan");
	assert_int_equal(fmt_sex_id(&b, 'X'), TB_EINVAL);
	buf_release(&b);
}

static void test_fmt_web(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	assert_int_equal(fmt_nik_grouped(&b, "3510055501900001"), 0);
	assert_string_equal(b.data, "3510 05 550190 0001");
	buf_reset(&b);
	/* Not a NIK: shown as stored, never cut. */
	fmt_nik_grouped(&b, "12345");
	assert_string_equal(b.data, "12345");
	buf_reset(&b);
	static const struct {
		int64_t s;
		const char *want;
	} waits[] = {
		{ -5, "kurang dari 1 menit" }, { 59, "kurang dari 1 menit" },
		{ 60, "1 menit" }, { 45 * 60 + 59, "45 menit" },
		{ 3600, "1 jam" }, { 3 * 3600 + 3599, "3 jam" },
		{ 86399, "23 jam" }, { 86400, "1 hari" },
		{ 2 * 86400 + 7 * 3600, "2 hari" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(waits); i++) {
		buf_reset(&b);
		assert_int_equal(fmt_wait_id(&b, waits[i].s), 0);
		assert_string_equal(b.data, waits[i].want);
	}
	buf_reset(&b);
	assert_int_equal(fmt_datetime_id(&b, "2026-11-30T03:30:00.000Z"), 0);
	assert_string_equal(b.data, "30 November 2026 pukul 10.30 WIB");
	buf_reset(&b);
	/* The day, month and year roll over together into WIB. */
	assert_int_equal(fmt_datetime_id(&b, "2026-12-31 17:05:09"), 0);
	assert_string_equal(b.data, "1 Januari 2027 pukul 00.05 WIB");
	buf_reset(&b);
	assert_int_equal(fmt_datetime_id(&b, "2024-02-28T16:59Z"), 0);
	assert_string_equal(b.data, "28 Februari 2024 pukul 23.59 WIB");
	buf_reset(&b);
	assert_int_equal(fmt_datetime_id(&b, "2024-02-28T17:00Z"), 0);
	assert_string_equal(b.data, "29 Februari 2024 pukul 00.00 WIB");
	assert_int_equal(fmt_datetime_id(&b, "2026-11-30"), TB_EINVAL);
	assert_int_equal(fmt_datetime_id(&b, "2026-11-30T24:00:00Z"), TB_EINVAL);
	assert_int_equal(fmt_datetime_id(&b, "2026-13-30T10:00:00Z"), TB_EINVAL);
	assert_int_equal(fmt_datetime_id(&b, NULL), TB_EINVAL);
	/* The verifier page's time of a check, from unix seconds. */
	buf_reset(&b);
	assert_int_equal(fmt_time_id(&b, 1796009400), 0); /* 2026-11-30T03:30Z */
	assert_string_equal(b.data, "30 November 2026 pukul 10.30 WIB");
	buf_reset(&b);
	assert_int_equal(fmt_time_id(&b, -3600), 0); /* before 1970, still a day */
	assert_string_equal(b.data, "1 Januari 1970 pukul 06.00 WIB");
	buf_reset(&b);
	assert_int_equal(fmt_time_id(&b, 1796000700), 0); /* 2026-11-30T01:05Z */
	assert_string_equal(b.data, "30 November 2026 pukul 08.05 WIB");
	buf_reset(&b);
	assert_int_equal(fmt_time_id(&b, 1795972260), 0); /* 2026-11-29T17:11Z */
	assert_string_equal(b.data, "30 November 2026 pukul 00.11 WIB");
	/* TERBIT_NOW sets the clock, and today follows it. */
	setenv("TERBIT_NOW", "2026-11-30T20:00:00Z", 1);
	unsetenv("TERBIT_TODAY");
	assert_int_equal(clock_now(), 1796068800);
	assert_int_equal(date_today(), date_to_days(2026, 11, 30));
	setenv("TERBIT_NOW", "30 November", 1); /* unreadable: the real clock */
	assert_true(clock_now() > 1700000000);
	unsetenv("TERBIT_NOW");
	buf_release(&b);
}

static void test_region_codes(void **state)
{
	(void)state;
	char d[11];
	assert_int_equal(region_normalize("35.10.05.2001", d), 10);
	assert_string_equal(d, "3510052001");
	assert_int_equal(region_normalize("3510052001", d), 10);
	assert_int_equal(region_normalize("35.10.05", d), 6);
	assert_string_equal(d, "351005");
	assert_int_equal(region_normalize("3510", d), 4);
	assert_int_equal(region_normalize("35100520011", d), TB_EINVAL);
	assert_int_equal(region_normalize("351.005", d), TB_EINVAL);
	assert_int_equal(region_normalize("35a0", d), TB_EINVAL);
	assert_int_equal(region_normalize("35105", d), TB_EINVAL);
	struct buf b = BUF_INIT;
	region_dotted(&b, "3510052001");
	assert_string_equal(b.data, "35.10.05.2001");
	buf_release(&b);
}

static void test_masks(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	mask_name(&b, "Siti Nurhaliza");
	assert_string_equal(b.data, "S*** N********");
	buf_reset(&b);
	mask_name(&b, "Andréas");
	assert_string_equal(b.data, "A******");
	buf_reset(&b);
	mask_nik(&b, "3510054507900003");
	assert_string_equal(b.data, "351005******0003");
	buf_release(&b);
}

/* ---- digest ---- */

/* The fast hash: the vectors test_http's ETags and
 * tests/http_verify_etag.sh recompute in Python; the mixer spreads
 * neighbouring keys over a table's low bits. */
static void test_digest_hash64(void **state)
{
	(void)state;
	unsigned char seq[77];
	for (size_t i = 0; i < sizeof seq; i++)
		seq[i] = (unsigned char)i;
	assert_true(digest_hash64("abc", 3) == 0x95f2c38b60a1bcbeULL);
	assert_true(digest_hash64("", 0) == 0x613a749ec8ec5e13ULL);
	assert_true(digest_hash64(seq, sizeof seq) == 0xa886695472f75d41ULL);
	unsigned seen = 0;
	for (uint64_t k = 0; k < 16; k++)
		seen |= 1u << (digest_mix64(k) & 15);
	assert_true(__builtin_popcount(seen) >= 8);
}

static void test_digest_sha256(void **state)
{
	(void)state;
	struct buf hex = BUF_INIT;
	unsigned char md[SHA256_LEN], md2[SHA256_LEN];
	/* FIPS 180-2 test vectors. */
	assert_int_equal(digest_sha256_hex(&hex, "abc", 3), 0);
	assert_string_equal(hex.data, "ba7816bf8f01cfea414140de5dae2223"
				      "b00361a396177a9cb410ff61f20015ad");
	buf_reset(&hex);
	assert_int_equal(digest_sha256_hex(&hex, "", 0), 0);
	assert_string_equal(hex.data, "e3b0c44298fc1c149afbf4c8996fb924"
				      "27ae41e4649b934ca495991b7852b855");
	digest_sha256("abc", 3, md);
	digest_sha256("abc", 3, md2);
	assert_int_equal(md[0], 0xba);
	assert_true(digest_equal(md, md2, SHA256_LEN));
	md2[SHA256_LEN - 1] ^= 1;
	assert_false(digest_equal(md, md2, SHA256_LEN));
	/* Every length across the 8-byte steps and the tail, and a
	 * difference of each single bit at every place. */
	unsigned char x[40], y[40];
	for (size_t i = 0; i < sizeof x; i++)
		x[i] = (unsigned char)(i * 37 + 11);
	for (size_t n = 0; n <= sizeof x; n++) {
		memcpy(y, x, sizeof x);
		assert_true(digest_equal(x, y, n));
		for (size_t i = 0; i < n; i++)
			for (int bit = 0; bit < 8; bit++) {
				y[i] ^= (unsigned char)(1u << bit);
				assert_false(digest_equal(x, y, n));
				y[i] ^= (unsigned char)(1u << bit);
			}
	}
	buf_release(&hex);
}

/* ---- random ---- */

static void test_rand_bytes(void **state)
{
	(void)state;
	/* Over 256 bytes: the size where getrandom may return short. */
	unsigned char a[1000], b[1000];
	memset(a, 0, sizeof a);
	memset(b, 0, sizeof b);
	assert_int_equal(rand_bytes(a, sizeof a), 0);
	assert_int_equal(rand_bytes(b, sizeof b), 0);
	assert_memory_not_equal(a, b, sizeof a);
	/* Every byte written: the tail is not still the zeros from memset
	 * (2^-256 chance of a false failure). */
	static const unsigned char zero[32];
	assert_memory_not_equal(a + sizeof a - 32, zero, 32);
	assert_int_equal(rand_bytes(a, 0), 0);
}

/* ---- str ---- */

static void test_str_digits(void **state)
{
	(void)state;
	assert_true(str_is_digits("3510052001", 10));
	assert_false(str_is_digits("351005200", 10));   /* shorter */
	assert_false(str_is_digits("35100520011", 10)); /* longer */
	assert_false(str_is_digits("35100a2001", 10));
	assert_false(str_is_digits(NULL, 10));
	assert_true(str_is_digits("", 0));
	assert_false(str_is_digits("1", 0));
	assert_true(str_all_digits("0"));
	assert_true(str_all_digits("0123456789"));
	assert_false(str_all_digits(""));
	assert_false(str_all_digits(NULL));
	assert_false(str_all_digits("12 "));
	assert_false(str_all_digits("-1"));
	/* ASCII only: a locale's other digits never count. */
	assert_false(str_all_digits("\xd9\xa1"));
}

static void test_str_hex(void **state)
{
	(void)state;
	char out[9];
	memset(out, 'x', sizeof out);
	assert_ptr_equal(str_hex(out, "\x00\x1f\xab\xff", 4), out);
	assert_string_equal(out, "001fabff");
	/* str_hex_put leaves the byte after the 2n characters alone. */
	memset(out, 'x', sizeof out);
	assert_ptr_equal(str_hex_put(out, "\x9c", 1), out + 2);
	assert_memory_equal(out, "9cx", 3);
	assert_string_equal(str_hex(out, "", 0), "");
	/* Serials are printed in upper case, same digits. */
	assert_string_equal(str_hex_upper(out, "\x00\x1f\xab\xff", 4),
			    "001FABFF");

	int arr[7];
	struct { const char *a; int b; } rows[3];
	(void)arr;
	(void)rows;
	assert_int_equal(ARRAY_SIZE(arr), 7);
	assert_int_equal(ARRAY_SIZE(rows), 3);
	assert_int_equal(ARRAY_SIZE("abc"), 4);
}

/* ---- utf8: the input text check ---- */

static int text_ok(const char *s, size_t n, unsigned flags)
{
	return utf8_text_check(s, n, flags, "nama", NULL);
}

static void test_utf8_check(void **state)
{
	(void)state;
	struct buf why = BUF_INIT;
	/* Good: ASCII, Latin letters with accents, 3- and 4-byte forms. */
	assert_int_equal(text_ok("Siti Rahayu", 11, 0), 0);
	assert_int_equal(text_ok("Jos\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14, 0), 0);
	assert_int_equal(text_ok("", 0, 0), 0);
	/* Invalid UTF-8: stray bytes, overlongs, surrogates, past
	 * U+10FFFF, sequences cut short (at the end and mid-string). */
	static const char *const bad[] = {
		"\xff\xfe", "\x80", "\xc0\xaf", "\xc1\xbf", "\xe0\x80\xaf",
		"\xf0\x80\x80\xaf", "\xed\xa0\x80", "\xed\xbf\xbf",
		"\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "a\xc3", "\xe2\x82",
		"\xf0\x9f\x98", "\xe2\x82x",
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		buf_reset(&why);
		assert_int_equal(utf8_text_check(bad[i], strlen(bad[i]), 0,
						 "nama", &why), TB_EINVAL);
		assert_non_null(strstr(why.data, "nama bukan UTF-8 yang sah"));
	}
	/* NUL inside the counted bytes. */
	buf_reset(&why);
	assert_int_equal(utf8_text_check("NIK\0junk", 8, 0, "nik", &why),
			 TB_EINVAL);
	assert_string_equal(why.data, "nik berisi byte NUL");
	/* Controls: C0, DEL, C1 (U+0085 as UTF-8), named when known. */
	buf_reset(&why);
	assert_int_equal(utf8_str_check("Siti\x1b[2J", 0, "nama", &why),
			 TB_EINVAL);
	assert_string_equal(why.data, "nama berisi karakter kontrol (ESC)");
	assert_int_equal(utf8_str_check("a\x7f", 0, "x", NULL), TB_EINVAL);
	buf_reset(&why);
	assert_int_equal(utf8_str_check("a\xc2\x85", 0, "x", &why), TB_EINVAL);
	assert_string_equal(why.data, "x berisi karakter kontrol (U+0085)");
	/* Tab and line ends only where a field allows several lines. */
	assert_int_equal(utf8_str_check("a\nb", 0, "x", NULL), TB_EINVAL);
	assert_int_equal(utf8_str_check("a\tb\r\nc", UTF8_MULTILINE, "x", NULL), 0);
	assert_int_equal(utf8_str_check("a\x1b", UTF8_MULTILINE, "x", NULL),
			 TB_EINVAL);
	assert_int_equal(utf8_str_check(NULL, 0, "x", NULL), 0);
	buf_release(&why);
}

static void test_utf8_escape(void **state)
{
	(void)state;
	struct buf out = BUF_INIT;
	assert_int_equal(utf8_escape_controls(&out, "Siti\x1b[2J \xff Jos\xc3\xa9\t\xc2\x85\n"), 0);
	assert_string_equal(out.data, "Siti\\x1b[2J \\xff Jos\xc3\xa9\t\\xc2\\x85\n");
	buf_release(&out);
	/* The JSON writer never emits bytes that are not UTF-8. */
	struct buf j = BUF_INIT;
	assert_int_equal(json_escape(&j, "a\xff\xfe" "b\xc3\xa9", 6), 0);
	assert_string_equal(j.data, "a\\ufffd\\ufffdb\xc3\xa9");
	/* Every ASCII byte between two plain ones, against RFC 8259's rule
	 * written out here (json.h: < > & as \u00XX too). */
	for (int c = 1; c < 0x80; c++) {
		char in[3] = { 'x', (char)c, 'y' }, want[16];
		if (c == '"' || c == '\\')
			snprintf(want, sizeof want, "x\\%cy", c);
		else if (c == '\n' || c == '\r' || c == '\t')
			snprintf(want, sizeof want, "x\\%cy",
				 c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
		else if (c < 0x20 || c == '<' || c == '>' || c == '&')
			snprintf(want, sizeof want, "x\\u%04xy", c);
		else
			snprintf(want, sizeof want, "x%cy", c);
		buf_reset(&j);
		assert_int_equal(json_escape(&j, in, 3), 0);
		assert_string_equal(j.data, want);
	}
	buf_release(&j);
}

static void test_csv_nul(void **state)
{
	(void)state;
	static const char data[] = "nik,name\n3510054506900001\0junk,Siti\n";
	struct csv c;
	struct buf err = BUF_INIT;
	csv_init(&c, data, sizeof data - 1);
	assert_int_equal(csv_next(&c, &err), 1);
	assert_int_equal(csv_next(&c, &err), TB_EINVAL);
	assert_string_equal(err.data, "baris 2: kolom ke-1 berisi byte NUL");
	csv_release(&c);
	buf_release(&err);
}

/* Room is made by doubling, from the first capacity; a full request
 * that cannot fit leaves the array as it was. */
static void test_vec_reserve(void **state)
{
	(void)state;
	int *v = NULL;
	size_t n = 0, cap = 0;
	for (int i = 0; i < 100; i++) {
		assert_int_equal(vec_reserve(&v, &cap, n, sizeof *v, 4), 0);
		v[n++] = i;
	}
	assert_int_equal(cap, 128);
	for (int i = 0; i < 100; i++)
		assert_int_equal(v[i], i);
	/* not full: nothing moves */
	int *before = v;
	assert_int_equal(vec_reserve(&v, &cap, 50, sizeof *v, 4), 0);
	assert_ptr_equal(v, before);
	/* an element size no capacity can hold */
	size_t big = 1;
	assert_int_equal(vec_reserve(&v, &big, 1, SIZE_MAX / 2 + 1, 4), TB_ENOMEM);
	assert_ptr_equal(v, before);
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_basics),
		cmocka_unit_test(test_buf_cap),
		cmocka_unit_test(test_buf_setf_and_err),
		cmocka_unit_test(test_csv_quotes_bom_crlf),
		cmocka_unit_test(test_csv_errors),
		cmocka_unit_test(test_csv_header),
		cmocka_unit_test(test_json_writer),
		cmocka_unit_test(test_json_unbalanced_and_cap),
		cmocka_unit_test(test_fmt_dates),
		cmocka_unit_test(test_fmt_numbers),
		cmocka_unit_test(test_fmt_web),
		cmocka_unit_test(test_region_codes),
		cmocka_unit_test(test_masks),
		cmocka_unit_test(test_str_digits),
		cmocka_unit_test(test_str_hex),
		cmocka_unit_test(test_vec_reserve),
		cmocka_unit_test(test_digest_hash64),
		cmocka_unit_test(test_digest_sha256),
		cmocka_unit_test(test_rand_bytes),
		cmocka_unit_test(test_utf8_check),
		cmocka_unit_test(test_utf8_escape),
		cmocka_unit_test(test_csv_nul),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
