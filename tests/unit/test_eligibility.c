/*
 * Eligibility: NIK rules, the policy parser (the shipped file and a set
 * of broken ones, each with the line it must blame), scoring computed by
 * hand, and every rule passing and failing. Run from the repository root
 * (tests/run-all does), so policy/banyuwangi.policy is found.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/err.h"
#include "core/str.h"
#include "eligibility/eligibility.h"

#define SHIPPED "policy/banyuwangi.policy"

static void assert_has(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("'%s' not in '%s'", needle, hay);
}

/* ---- NIK ---------------------------------------------------------- */

static void nik_good_male(void **state)
{
	(void)state;
	struct nik_info n;
	struct buf err = BUF_INIT;
	assert_int_equal(nik_parse("3510051205840003", "1984-05-12", &n, &err), 0);
	assert_string_equal(n.region, "351005");
	assert_int_equal(n.year, 1984);
	assert_int_equal(n.month, 5);
	assert_int_equal(n.day, 12);
	assert_int_equal(n.sex, 'L');
	assert_string_equal(n.serial, "0003");
	buf_release(&err);
}

static void nik_good_female(void **state)
{
	(void)state;
	struct nik_info n;
	assert_int_equal(nik_parse("3510055205840003", "1984-05-12", &n, NULL), 0);
	assert_int_equal(n.day, 12);
	assert_int_equal(n.sex, 'P');
	/* 31 + 40 = 71: the last day a woman's NIK can carry. */
	assert_int_equal(nik_parse("3510057112990001", "1999-12-31", &n, NULL), 0);
	assert_int_equal(n.day, 31);
	assert_int_equal(n.sex, 'P');
	/* out may be NULL: validation only. */
	assert_int_equal(nik_parse("3510057112990001", NULL, NULL, NULL), 0);
}

static void nik_bad_shape(void **state)
{
	(void)state;
	struct buf err = BUF_INIT;
	struct nik_info n;
	assert_int_equal(nik_parse("351005120584000", NULL, &n, &err), TB_EINVAL);
	assert_has(err.data, "16 digit");
	assert_has(err.data, "15 karakter");
	assert_int_equal(nik_parse("35100512058400031", NULL, &n, &err), TB_EINVAL);
	assert_has(err.data, "17 karakter");
	assert_int_equal(nik_parse("", NULL, &n, &err), TB_EINVAL);
	assert_int_equal(nik_parse(NULL, NULL, &n, &err), TB_EINVAL);
	assert_int_equal(nik_parse("35100512058400a3", NULL, &n, &err), TB_EINVAL);
	assert_has(err.data, "hanya boleh berisi angka");
	assert_has(err.data, "ke-15");
	assert_int_equal(nik_parse("3510 51205840003", NULL, &n, &err), TB_EINVAL);
	/* Full-width or other non-ASCII digits are not digits. */
	assert_int_equal(nik_parse("351005120584000\xd9\xa3", NULL, &n, &err), TB_EINVAL);
	buf_release(&err);
}

static void nik_impossible_dates(void **state)
{
	(void)state;
	struct buf err = BUF_INIT;
	static const char *const bad[] = {
		"3510053102840001", /* 31 February */
		"3510057102840001", /* 31 February, woman */
		"3510057201840001", /* day 72 = 32 */
		"3510050001840001", /* day 0 */
		"3510054001840001", /* day 40 = woman's 0 */
		"3510051213840001", /* month 13 */
		"3510051200840001", /* month 0 */
		"3510053104840001", /* 31 April */
		"3510053599840001", /* day 35, neither man nor woman */
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(nik_parse(bad[i], NULL, NULL, &err), TB_EINVAL);
		assert_has(err.data, "bukan tanggal yang sah");
		/* A birth date given does not change what the NIK is. */
		assert_int_equal(nik_parse(bad[i], "1984-02-28", NULL, &err), TB_EINVAL);
		assert_has(err.data, "bukan tanggal yang sah");
	}
	buf_release(&err);
}

static void nik_leap_years(void **state)
{
	(void)state;
	struct nik_info n;
	setenv("TERBIT_TODAY", "2026-11-23", 1);
	assert_int_equal(nik_parse("3510052902840001", "1984-02-29", &n, NULL), 0);
	assert_int_equal(nik_parse("3510052902840001", NULL, &n, NULL), 0);
	assert_int_equal(n.year, 1984);
	/* 1985 and 2085 are no leap years. */
	assert_int_equal(nik_parse("3510052902850001", NULL, &n, NULL), TB_EINVAL);
	/* 00: 2000 was a leap year (divisible by 400). */
	assert_int_equal(nik_parse("3510056902000001", NULL, &n, NULL), 0);
	assert_int_equal(n.year, 2000);
	assert_int_equal(n.sex, 'P');
	/* 24: 2024 is past and leap. */
	assert_int_equal(nik_parse("3510052902240001", NULL, &n, NULL), 0);
	assert_int_equal(n.year, 2024);
	/* 28: 2028 is still to come, so 1928, also leap. */
	assert_int_equal(nik_parse("3510052902280001", NULL, &n, NULL), 0);
	assert_int_equal(n.year, 1928);
	/* 27: 2027 is to come and 1927 is no leap year. */
	assert_int_equal(nik_parse("3510052902270001", NULL, &n, NULL), TB_EINVAL);
	unsetenv("TERBIT_TODAY");
}

static void nik_birth_mismatch(void **state)
{
	(void)state;
	struct buf err = BUF_INIT;
	assert_int_equal(nik_parse("3510051205840003", "1984-05-13", NULL, &err), TB_EINVAL);
	assert_has(err.data, "tidak sama dengan tanggal lahir");
	assert_has(err.data, "12-05-84");
	assert_int_equal(nik_parse("3510051205840003", "1984-06-12", NULL, &err), TB_EINVAL);
	assert_int_equal(nik_parse("3510051205840003", "1985-05-12", NULL, &err), TB_EINVAL);
	/* Same two digits, other century: still the resident's own year. */
	struct nik_info n;
	assert_int_equal(nik_parse("3510051205840003", "1884-05-12", &n, &err), 0);
	assert_int_equal(n.year, 1884);
	/* A malformed or impossible birth date is refused as such. */
	assert_int_equal(nik_parse("3510051205840003", "12-05-1984", NULL, &err), TB_EINVAL);
	assert_has(err.data, "YYYY-MM-DD");
	assert_int_equal(nik_parse("3510053102840003", "1984-02-31", NULL, &err), TB_EINVAL);
	buf_release(&err);
}

static void nik_century(void **state)
{
	(void)state;
	struct nik_info n;
	setenv("TERBIT_TODAY", "2026-11-23", 1);
	assert_int_equal(nik_parse("3510051205840003", NULL, &n, NULL), 0);
	assert_int_equal(n.year, 1984);
	assert_int_equal(nik_parse("3510051205200003", NULL, &n, NULL), 0);
	assert_int_equal(n.year, 2020);
	/* Born today: this century. Tomorrow's date: last century. */
	assert_int_equal(nik_parse("3510052311260003", NULL, &n, NULL), 0);
	assert_int_equal(n.year, 2026);
	assert_int_equal(nik_parse("3510052411260003", NULL, &n, NULL), 0);
	assert_int_equal(n.year, 1926);
	/* With the birth date the year is the birth date's. */
	assert_int_equal(nik_parse("3510052411260003", "2026-11-24", &n, NULL), 0);
	assert_int_equal(n.year, 2026);
	assert_int_equal(nik_parse("3510050101000003", "2000-01-01", &n, NULL), 0);
	assert_int_equal(n.year, 2000);
	setenv("TERBIT_TODAY", "1999-12-31", 1);
	assert_int_equal(nik_parse("3510050101000003", NULL, &n, NULL), 0);
	assert_int_equal(n.year, 1900);
	unsetenv("TERBIT_TODAY");
}

/* ---- policy: the shipped file ---------------------------------------- */

static struct policy *shipped(void)
{
	struct policy *p = NULL;
	struct buf err = BUF_INIT;
	int rc = policy_load(SHIPPED, &p, &err);
	if (rc)
		fail_msg("%s", err.data);
	buf_release(&err);
	return p;
}

static void policy_shipped_loads(void **state)
{
	(void)state;
	struct policy *p = shipped();
	assert_string_equal(policy_version(p), "banyuwangi-2026.2");
	assert_string_equal(policy_regency(p), "3510");
	assert_string_equal(policy_regency_name(p), "Banyuwangi");
	assert_true(policy_threshold(p) == 2.107);
	assert_int_equal(policy_validity_days(p), 365);
	assert_int_equal(policy_card_validity_days(p), 365);
	assert_int_equal(policy_indicator_count(p), 18);
	assert_int_equal(policy_active_count(p), 17);

	size_t retired = 0;
	for (size_t i = 0; i < policy_indicator_count(p); i++) {
		const struct policy_indicator *ind = policy_indicator(p, i);
		assert_non_null(ind->label);
		assert_true(ind->weight > 0);
		assert_true(ind->nanswers >= 2);
		for (size_t a = 0; a < ind->nanswers; a++) {
			assert_in_range(ind->answers[a].value, 1, 4);
			assert_non_null(ind->answers[a].label);
		}
		retired += ind->retired;
	}
	assert_int_equal(retired, 1);
	assert_null(policy_indicator(p, 18));

	const struct policy_indicator *hp = policy_find(p, "punya_hp");
	assert_non_null(hp);
	assert_true(hp->retired);
	const struct policy_indicator *kerja = policy_find(p, "pekerjaan_kk");
	assert_non_null(kerja);
	assert_true(kerja->weight == 2.0);
	assert_string_equal(policy_answer(kerja, 1)->label,
			    "Tidak bekerja atau tidak berpenghasilan");
	assert_null(policy_answer(kerja, 5));
	assert_null(policy_find(p, "lantai_tanah"));

	assert_string_equal(policy_setting(p, "office_name"),
			    "Dinas Sosial Kabupaten Banyuwangi");
	assert_string_equal(policy_setting(p, "government_level"),
			    "PEMERINTAH KABUPATEN BANYUWANGI");
	assert_string_equal(policy_setting(p, "head_nip"), "19700101 199503 1 001");
	assert_string_equal(policy_setting(p, "verifier_host"), "SPM.BANYUWANGIKAB.GO.ID");
	assert_non_null(policy_setting(p, "office_address"));
	assert_non_null(policy_setting(p, "head_title"));
	assert_non_null(policy_setting(p, "head_name"));
	assert_null(policy_setting(p, "no_such_setting"));
	policy_free(p);
}

static void policy_letter_numbers(void **state)
{
	(void)state;
	struct policy *p = shipped();
	struct buf b = BUF_INIT;
	assert_int_equal(policy_letter_number(p, 1, 2026, 11, &b), 0);
	assert_string_equal(b.data, "400.9/0001/429.108/2026");
	buf_reset(&b);
	assert_int_equal(policy_letter_number(p, 12345, 2027, 1, &b), 0);
	assert_string_equal(b.data, "400.9/12345/429.108/2027");
	buf_reset(&b);
	assert_int_equal(policy_letter_number(p, 0, 2026, 1, &b), TB_EINVAL);
	assert_int_equal(policy_letter_number(p, 1, 2026, 13, &b), TB_EINVAL);
	assert_string_equal(b.data, "");
	buf_release(&b);
	policy_free(p);
}

static void policy_answer_checks(void **state)
{
	(void)state;
	struct policy *p = shipped();
	struct buf err = BUF_INIT;
	assert_int_equal(policy_answer_check(p, "jenis_lantai", 1, &err), 0);
	assert_int_equal(policy_answer_check(p, "punya_hp", 3, &err), 0);
	assert_int_equal(policy_answer_check(p, "jenis_lantai", 5, &err), TB_EINVAL);
	assert_has(err.data, "Jawaban 5 tidak sah");
	assert_int_equal(policy_answer_check(p, "kolam_renang", 1, &err), TB_EINVAL);
	assert_has(err.data, "kolam_renang");
	buf_release(&err);
	policy_free(p);
}

/* ---- policy: broken files ------------------------------------------- */

/* A small valid policy, one line per entry (line n is base[n - 1]). */
static const char *const base[] = {
	"version = t-1",                          /* 1 */
	"regency = 3510",                         /* 2 */
	"regency_name = \"Banyuwangi\"",          /* 3 */
	"threshold = 2.107",                      /* 4 */
	"validity_days = 180",                    /* 5 */
	"[settings]",                             /* 6 */
	"letter_number_format = \"{seq:04}/{month_roman}/{year}\"", /* 7 */
	"office_name = \"Dinas Sosial\"",         /* 8 */
	"office_address = \"Jalan Contoh 1\"",    /* 9 */
	"government_level = \"PEMERINTAH\"",      /* 10 */
	"office_city = Banyuwangi",               /* 11 */
	"head_title = \"Kepala Dinas\"",          /* 12 */
	"head_name = \"Nama Contoh\"",            /* 13 */
	"head_nip = \"19700101 199503 1 001\"",   /* 14 */
	"verifier_host = spm.example.id",         /* 15 */
	"card_validity_days = 365",               /* 16 */
	"[indicator a]",                          /* 17 */
	"label = \"Indikator A\"",                /* 18 */
	"weight = 1",                             /* 19 */
	"answer 1 = \"satu\"",                    /* 20 */
	"answer 4 = \"empat\"",                   /* 21 */
	"[indicator b]",                          /* 22 */
	"label = \"Indikator B\"",                /* 23 */
	"weight = 2.5",                           /* 24 */
	"retired = no",                           /* 25 */
	"answer 1 = \"satu\"   # trailing comment", /* 26 */
	"answer 2 = \"dua\"",                     /* 27 */
	"answer 3 = \"tiga\"",                    /* 28 */
	NULL,
};

enum { REPLACE, INSERT, DELETE };

struct edit {
	int line; /* 1-based; INSERT puts the text before this line */
	int how;
	const char *text;
};

/* Base policy with one edit applied, joined with newlines. */
static char *edited(struct edit e)
{
	struct buf b = BUF_INIT;
	for (int i = 0; base[i] || i + 1 == e.line; i++) {
		if (i + 1 == e.line && e.how != DELETE)
			buf_addf(&b, "%s\n", e.text);
		if (!base[i])
			break;
		if (!(i + 1 == e.line && e.how != INSERT))
			buf_addf(&b, "%s\n", base[i]);
	}
	return buf_detach(&b, NULL);
}

static void policy_base_is_valid(void **state)
{
	(void)state;
	char *text = edited((struct edit){ 0, INSERT, "" });
	struct policy *p = NULL;
	struct buf err = BUF_INIT;
	int rc = policy_parse(text, strlen(text), "t.policy", &p, &err);
	if (rc)
		fail_msg("%s", err.data);
	assert_int_equal(policy_indicator_count(p), 2);
	assert_int_equal(policy_active_count(p), 2);
	assert_int_equal(policy_validity_days(p), 180);
	assert_string_equal(policy_setting(p, "office_city"), "Banyuwangi");
	assert_true(policy_find(p, "b")->weight == 2.5);
	assert_string_equal(policy_answer(policy_find(p, "b"), 1)->label, "satu");
	struct buf num = BUF_INIT;
	assert_int_equal(policy_letter_number(p, 7, 2026, 11, &num), 0);
	assert_string_equal(num.data, "0007/XI/2026");
	buf_release(&num);
	policy_free(p);
	buf_release(&err);
	free(text);
}

struct broken {
	const char *what;
	struct edit e;
	const char *want; /* prefix "t.policy:N:" and a fragment */
	const char *fragment;
};

static const struct broken broken[] = {
	{ "unknown key", { 4, REPLACE, "treshold = 2.107" },
	  "t.policy:4:", "kunci tidak dikenal 'treshold'" },
	{ "decimal comma", { 4, REPLACE, "threshold = 2,107" },
	  "t.policy:4:", "threshold harus angka" },
	{ "four decimals", { 4, REPLACE, "threshold = 2.1075" },
	  "t.policy:4:", "paling banyak 3 desimal" },
	{ "threshold over 4", { 4, REPLACE, "threshold = 4.5" },
	  "t.policy:4:", "threshold" },
	{ "negative weight", { 19, REPLACE, "weight = -1" },
	  "t.policy:19:", "weight harus angka positif" },
	{ "zero weight", { 24, REPLACE, "weight = 0" },
	  "t.policy:24:", "weight harus angka positif" },
	{ "weight not a number", { 19, REPLACE, "weight = berat" },
	  "t.policy:19:", "weight harus angka positif" },
	{ "duplicate indicator", { 22, REPLACE, "[indicator a]" },
	  "t.policy:22:", "indikator 'a' sudah ditulis di baris 17" },
	{ "answer value 5", { 21, REPLACE, "answer 5 = \"lima\"" },
	  "t.policy:21:", "nilai jawaban harus 1 sampai 4" },
	{ "answer value 0", { 20, REPLACE, "answer 0 = \"nol\"" },
	  "t.policy:20:", "nilai jawaban harus 1 sampai 4" },
	{ "answer without value", { 20, REPLACE, "answer = \"nol\"" },
	  "t.policy:20:", "nilai jawaban harus 1 sampai 4" },
	{ "duplicate answer value", { 28, REPLACE, "answer 2 = \"dua lagi\"" },
	  "t.policy:28:", "jawaban bernilai 2 sudah ditulis di baris 27" },
	{ "missing threshold", { 4, DELETE, NULL },
	  "t.policy: ", "kunci 'threshold' belum ditulis" },
	{ "missing version", { 1, DELETE, NULL },
	  "t.policy: ", "kunci 'version' belum ditulis" },
	{ "duplicate version", { 3, INSERT, "version = t-2" },
	  "t.policy:3:", "kunci 'version' sudah ditulis di baris 1" },
	{ "unterminated string", { 18, REPLACE, "label = \"Indikator A" },
	  "t.policy:18:", "string tidak ditutup" },
	{ "bad escape", { 18, REPLACE, "label = \"A \\n B\"" },
	  "t.policy:18:", "escape tidak dikenal" },
	{ "text after string", { 18, REPLACE, "label = \"A\" lagi" },
	  "t.policy:18:", "ada teks setelah string" },
	{ "unquoted spaces", { 3, REPLACE, "regency_name = Banyu wangi" },
	  "t.policy:3:", "harus diapit tanda kutip" },
	{ "no equals sign", { 1, REPLACE, "version t-1" },
	  "t.policy:1:", "tanda '=' diharapkan" },
	{ "empty value", { 1, REPLACE, "version = \"\"" },
	  "t.policy:1:", "nilai kosong" },
	{ "unknown section", { 22, REPLACE, "[indikator b]" },
	  "t.policy:22:", "bagian tidak dikenal '[indikator]'" },
	{ "unclosed section", { 22, REPLACE, "[indicator b" },
	  "t.policy:22:", "judul bagian" },
	{ "bad indicator code", { 22, REPLACE, "[indicator Lantai-1]" },
	  "t.policy:22:", "kode indikator" },
	{ "unknown indicator key", { 19, REPLACE, "bobot = 1" },
	  "t.policy:19:", "kunci tidak dikenal 'bobot' di [indicator]" },
	{ "retired not yes/no", { 25, REPLACE, "retired = maybe" },
	  "t.policy:25:", "retired harus yes atau no" },
	{ "duplicate weight", { 20, INSERT, "weight = 2" },
	  "t.policy:20:", "kunci 'weight' sudah ditulis di baris 19" },
	{ "one answer only", { 21, DELETE, NULL },
	  "t.policy:17:", "paling sedikit 2 jawaban" },
	{ "indicator without label", { 18, DELETE, NULL },
	  "t.policy:17:", "tidak punya label" },
	{ "indicator without weight", { 24, DELETE, NULL },
	  "t.policy:22:", "tidak punya weight" },
	{ "regency not 4 digits", { 2, REPLACE, "regency = 351" },
	  "t.policy:2:", "regency harus kode kabupaten 4 digit" },
	{ "validity zero", { 5, REPLACE, "validity_days = 0" },
	  "t.policy:5:", "validity_days harus bilangan bulat" },
	{ "version with spaces", { 1, REPLACE, "version = \"t 1\"" },
	  "t.policy:1:", "version harus" },
	{ "missing setting", { 14, DELETE, NULL },
	  "t.policy: ", "setelan 'head_nip' belum ditulis" },
	{ "duplicate setting", { 9, REPLACE, "office_name = \"Dua\"" },
	  "t.policy:9:", "kunci 'office_name' sudah ditulis di baris 8" },
	{ "number format without seq", { 7, REPLACE, "letter_number_format = \"400/{year}\"" },
	  "t.policy:7:", "{seq} wajib ada" },
	{ "number format unknown placeholder", { 7, REPLACE, "letter_number_format = \"{seq}/{yr}\"" },
	  "t.policy:7:", "tempat isian tidak dikenal" },
	{ "number format open brace", { 7, REPLACE, "letter_number_format = \"{seq}/{year\"" },
	  "t.policy:7:", "'{' tanpa '}'" },
	{ "NIP too short", { 14, REPLACE, "head_nip = \"19700101 199503 1 01\"" },
	  "t.policy:14:", "head_nip harus 18 digit" },
	{ "verifier host with scheme", { 15, REPLACE, "verifier_host = \"https://spm.example.id/v\"" },
	  "t.policy:15:", "verifier_host harus nama host saja" },
	{ "card validity not a number", { 16, REPLACE, "card_validity_days = setahun" },
	  "t.policy:16:", "card_validity_days harus bilangan bulat" },
	{ "second settings section", { 17, INSERT, "[settings]" },
	  "t.policy:17:", "bagian [settings] sudah ditulis di baris 6" },
	{ "setting before settings", { 6, INSERT, "office_name = \"X\"" },
	  "t.policy:6:", "kunci tidak dikenal 'office_name'" },
	{ "bad UTF-8", { 18, REPLACE, "label = \"A \xc3\x28\"" },
	  "t.policy:18:", "UTF-8" },
	{ "control character", { 18, REPLACE, "label = \"A \x01\"" },
	  "t.policy:18:", "karakter kendali" },
	{ "everything retired", { 19, INSERT, "retired = yes" },
	  "t.policy: ", "tidak ada indikator aktif" },
};

static void policy_broken_files(void **state)
{
	(void)state;
	struct buf err = BUF_INIT;
	for (size_t i = 0; i < ARRAY_SIZE(broken); i++) {
		const struct broken *b = &broken[i];
		char *text = edited(b->e);
		/* "everything retired" also needs b retired. */
		if (!strcmp(b->what, "everything retired")) {
			struct buf t = BUF_INIT;
			char *no = strstr(text, "retired = no");
			buf_add(&t, text, (size_t)(no - text));
			buf_addf(&t, "retired = yes%s", no + strlen("retired = no"));
			free(text);
			text = buf_detach(&t, NULL);
		}
		struct policy *p = (struct policy *)&err; /* must be reset to NULL */
		int rc = policy_parse(text, strlen(text), "t.policy", &p, &err);
		if (rc != TB_EINVAL || strncmp(err.data, b->want, strlen(b->want)) ||
		    !strstr(err.data, b->fragment))
			fail_msg("%s: rc %d, message '%s' (want '%s' ... '%s')", b->what,
				 rc, err.data, b->want, b->fragment);
		assert_null(p);
		free(text);
	}
	buf_release(&err);
}

static void policy_odd_but_valid(void **state)
{
	(void)state;
	static const char text[] =
		"# comment\r\n"
		"version = t-1   # trailing\r\n"
		"regency = \"3510\"\r\n"
		"regency_name = \"Banyu \\\"wangi\\\" \\\\\"\r\n"
		"threshold=3\r\n"
		"\t validity_days =   30\r\n"
		"[settings]\r\n"
		"letter_number_format = \"{seq}-{month:02}-{month}\"\r\n"
		"office_name = \"# not a comment\"\r\n"
		"office_address = a\r\n"
		"government_level = b\r\n"
		"office_city = c\r\n"
		"head_title = d\r\n"
		"head_name = e\r\n"
		"head_nip = 197001011995031001\r\n"
		"verifier_host = x.y\r\n"
		"card_validity_days = 1\r\n"
		"extra_line = \"kept for later\"\r\n"
		"  [ indicator  only ]  \r\n"
		"label = \"Satu\"\r\n"
		"weight = 0.001\r\n"
		"answer 2 = \"dua\"\r\n"
		"answer 1= \"satu\"\r\n";
	struct policy *p = NULL;
	struct buf err = BUF_INIT;
	int rc = policy_parse(text, sizeof text - 1, "odd.policy", &p, &err);
	if (rc)
		fail_msg("%s", err.data);
	assert_string_equal(policy_regency_name(p), "Banyu \"wangi\" \\");
	assert_string_equal(policy_setting(p, "office_name"), "# not a comment");
	assert_string_equal(policy_setting(p, "extra_line"), "kept for later");
	assert_true(policy_threshold(p) == 3.0);
	assert_int_equal(policy_validity_days(p), 30);
	assert_non_null(policy_find(p, "only"));
	struct buf num = BUF_INIT;
	assert_int_equal(policy_letter_number(p, 5, 2026, 3, &num), 0);
	assert_string_equal(num.data, "5-03-3");
	buf_release(&num);
	policy_free(p);

	/* A NUL byte inside the text. */
	static const char nul[] = "version = t-1\nregency = 35\00010\n";
	assert_int_equal(policy_parse(nul, sizeof nul - 1, "nul.policy", &p, &err),
			 TB_EINVAL);
	assert_has(err.data, "nul.policy:2:");
	assert_null(p);
	/* A file that is not there. */
	assert_true(policy_load("policy/no-such.policy", &p, &err) < 0);
	assert_null(p);
	buf_release(&err);
}

static void policy_load_names_the_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/terbit-policy-XXXXXX", path[64];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/rusak.policy", dir);
	char *text = edited((struct edit){ 19, REPLACE, "weight = -1" });
	struct buf err = BUF_INIT;
	assert_int_equal(buf_write_file(path, text, strlen(text), 0600, &err), 0);
	struct policy *p = NULL;
	assert_int_equal(policy_load(path, &p, &err), TB_EINVAL);
	assert_has(err.data, "rusak.policy:19: weight harus angka positif");
	assert_null(strstr(err.data, dir));
	assert_null(p);
	unlink(path);
	rmdir(dir);
	free(text);
	buf_release(&err);
}

/* ---- decision ------------------------------------------------------ */

/* The settings every policy must have, with placeholder values. */
#define MINI_SETTINGS \
	"[settings]\nletter_number_format = \"{seq}\"\noffice_name = a\n" \
	"office_address = a\ngovernment_level = a\noffice_city = a\n" \
	"head_title = a\nhead_name = a\nhead_nip = 197001011995031001\n" \
	"verifier_host = a.b\ncard_validity_days = 1\n"

/* Three active indicators with weights 1, 2 and 0.5, one retired, and a
 * threshold given per test. */
static struct policy *scoring_policy(const char *threshold)
{
	char text[2048];
	snprintf(text, sizeof text,
		 "version = score-1\nregency = 3510\nregency_name = Banyuwangi\n"
		 "threshold = %s\nvalidity_days = 180\n" MINI_SETTINGS
		 "[indicator x]\nlabel = X\nweight = 1\n"
		 "answer 1 = a\nanswer 2 = b\nanswer 3 = c\nanswer 4 = d\n"
		 "[indicator y]\nlabel = Y\nweight = 2\n"
		 "answer 1 = a\nanswer 2 = b\nanswer 3 = c\nanswer 4 = d\n"
		 "[indicator z]\nlabel = Z\nweight = 0.5\n"
		 "answer 1 = a\nanswer 2 = b\nanswer 4 = d\n"
		 "[indicator old]\nlabel = Old\nweight = 9\nretired = yes\n"
		 "answer 1 = a\nanswer 4 = d\n",
		 threshold);
	struct policy *p = NULL;
	struct buf err = BUF_INIT;
	if (policy_parse(text, strlen(text), "score.policy", &p, &err))
		fail_msg("%s", err.data);
	buf_release(&err);
	return p;
}

static struct elig_facts good_facts(const struct elig_answer *a, size_t n)
{
	return (struct elig_facts){
		.nik = "3510055205840003",
		.birth_date = "1984-05-12",
		.sex = 'P',
		.village_code = "3510052001",
		.nanswers = n,
		.answers = a,
	};
}

static const struct elig_rule *rule_of(const struct elig_decision *d,
				       const char *code)
{
	const struct elig_rule *r = elig_rule_find(d, code);
	if (!r)
		fail_msg("no rule %s", code);
	return r;
}

static void decide_scores_by_hand(void **state)
{
	(void)state;
	struct policy *p = scoring_policy("2.107");
	struct elig_decision d;
	/* (1*1 + 2*2 + 0.5*4) / (1 + 2 + 0.5) = 7 / 3.5 = 2.000;
	 * the retired answer (weight 9) does not count. */
	struct elig_answer a1[] = { { "x", 1 }, { "y", 2 }, { "z", 4 }, { "old", 1 } };
	struct elig_facts f = good_facts(a1, 4);
	assert_int_equal(elig_decide(p, &f, &d), 0);
	assert_true(d.score == 2.0);
	assert_int_equal(d.answered, 3);
	assert_int_equal(d.required, 3);
	assert_true(d.eligible);
	assert_string_equal(rule_of(&d, "score_below")->message,
			    "Skor 2,000 di bawah ambang 2,107");
	assert_string_equal(d.policy_version, "score-1");

	/* (4 + 2*1 + 0.5*1) / 3.5 = 6.5 / 3.5 = 1.857142... -> 1.857 */
	struct elig_answer a2[] = { { "z", 1 }, { "y", 1 }, { "x", 4 } };
	f = good_facts(a2, 3);
	elig_decide(p, &f, &d);
	assert_true(d.score == 1.857);
	assert_string_equal(rule_of(&d, "score_below")->message,
			    "Skor 1,857 di bawah ambang 2,107");

	/* (3 + 2*3 + 0.5*4) / 3.5 = 11 / 3.5 = 3.142857... -> 3.143 */
	struct elig_answer a3[] = { { "x", 3 }, { "y", 3 }, { "z", 4 } };
	f = good_facts(a3, 3);
	elig_decide(p, &f, &d);
	assert_true(d.score == 3.143);
	assert_false(d.eligible);
	assert_false(rule_of(&d, "score_below")->passed);
	assert_string_equal(rule_of(&d, "score_below")->message,
			    "Skor 3,143 tidak di bawah ambang 2,107");
	policy_free(p);
}

static void decide_rounding_and_boundary(void **state)
{
	(void)state;
	/* Weights 1 and 15 make sixteenths: (3*1 + 2*15) / 16 = 2.0625,
	 * which rounds half up to 2.063. */
	static const char text[] =
		"version = r-1\nregency = 3510\nregency_name = B\n"
		"threshold = 2.063\nvalidity_days = 1\n" MINI_SETTINGS
		"[indicator u]\nlabel = U\nweight = 1\nanswer 2 = b\nanswer 3 = c\n"
		"[indicator v]\nlabel = V\nweight = 15\nanswer 2 = b\nanswer 3 = c\n";
	struct policy *p = NULL;
	assert_int_equal(policy_parse(text, sizeof text - 1, "r", &p, NULL), 0);
	struct elig_answer a[] = { { "u", 3 }, { "v", 2 } };
	struct elig_facts f = good_facts(a, 2);
	struct elig_decision d;
	elig_decide(p, &f, &d);
	assert_true(d.score == 2.063);
	/* Equal to the threshold is not below it. */
	assert_false(d.eligible);
	assert_string_equal(rule_of(&d, "score_below")->message,
			    "Skor 2,063 tidak di bawah ambang 2,063");
	policy_free(p);
}

static void decide_shipped_policy(void **state)
{
	(void)state;
	struct policy *p = shipped();
	struct elig_answer a[18];
	/* Every indicator 2, the head of household without work (1, weight 2),
	 * the phone 4 (retired). Weights: thirteen of 1, three of 1.5 and
	 * one of 2 = 19.5; sum = 2*19.5 - 2 = 37; 37 / 19.5 = 1.897435... */
	for (size_t i = 0; i < 18; i++) {
		const struct policy_indicator *ind = policy_indicator(p, i);
		a[i].code = ind->code;
		a[i].value = !strcmp(ind->code, "pekerjaan_kk") ? 1 :
			     !strcmp(ind->code, "punya_hp") ? 4 : 2;
	}
	struct elig_facts f = good_facts(a, 18);
	struct elig_decision d;
	elig_decide(p, &f, &d);
	assert_true(d.eligible);
	assert_true(d.score == 1.897);
	assert_int_equal(d.answered, 17);
	assert_int_equal(d.required, 17);
	assert_int_equal(d.nrules, 5);
	assert_string_equal(d.policy_version, "banyuwangi-2026.2");
	static const char *const order[] = { "nik_valid", "resident", "not_pbi",
					     "survey_complete", "score_below" };
	for (size_t i = 0; i < 5; i++) {
		assert_string_equal(d.rules[i].code, order[i]);
		assert_true(d.rules[i].passed);
	}
	/* Without the phone the survey is still complete. */
	f.nanswers = 17;
	for (size_t i = 0; i < 18; i++)
		if (!strcmp(a[i].code, "punya_hp")) {
			a[i] = a[17];
			break;
		}
	elig_decide(p, &f, &d);
	assert_true(d.eligible);
	assert_true(d.score == 1.897);
	policy_free(p);
}

static void decide_nik_rule(void **state)
{
	(void)state;
	struct policy *p = scoring_policy("2.107");
	struct elig_answer a[] = { { "x", 1 }, { "y", 1 }, { "z", 1 } };
	struct elig_facts f = good_facts(a, 3);
	struct elig_decision d;

	elig_decide(p, &f, &d);
	assert_true(rule_of(&d, "nik_valid")->passed);
	assert_true(d.eligible);

	f.nik = "35100552058400";
	elig_decide(p, &f, &d);
	assert_false(rule_of(&d, "nik_valid")->passed);
	assert_has(rule_of(&d, "nik_valid")->message, "16 digit");
	assert_false(d.eligible);
	/* Every other rule is still evaluated. */
	assert_int_equal(d.nrules, 5);
	assert_true(rule_of(&d, "score_below")->passed);

	f = good_facts(a, 3);
	f.birth_date = "1984-05-13";
	elig_decide(p, &f, &d);
	assert_false(rule_of(&d, "nik_valid")->passed);
	assert_has(rule_of(&d, "nik_valid")->message, "tidak sama dengan tanggal lahir");

	f = good_facts(a, 3);
	f.sex = 'L';
	elig_decide(p, &f, &d);
	assert_false(rule_of(&d, "nik_valid")->passed);
	assert_string_equal(rule_of(&d, "nik_valid")->message,
			    "Jenis kelamin pada NIK (perempuan) tidak sama dengan data penduduk (laki-laki)");
	assert_false(d.eligible);

	f = good_facts(a, 3);
	f.sex = '?';
	elig_decide(p, &f, &d);
	assert_false(rule_of(&d, "nik_valid")->passed);

	f = good_facts(a, 3);
	f.birth_date = NULL;
	elig_decide(p, &f, &d);
	assert_false(rule_of(&d, "nik_valid")->passed);
	assert_has(rule_of(&d, "nik_valid")->message, "belum tercatat");

	f = good_facts(a, 3);
	f.nik = NULL;
	elig_decide(p, &f, &d);
	assert_false(rule_of(&d, "nik_valid")->passed);
	policy_free(p);
}

static void decide_resident_rule(void **state)
{
	(void)state;
	struct policy *p = scoring_policy("2.107");
	struct elig_answer a[] = { { "x", 1 }, { "y", 1 }, { "z", 1 } };
	struct elig_facts f = good_facts(a, 3);
	struct elig_decision d;

	/* A NIK first registered in Surabaya (3578), living in Banyuwangi:
	 * the KK address decides, not the NIK prefix. */
	f.nik = "3578015205840003";
	elig_decide(p, &f, &d);
	assert_true(rule_of(&d, "resident")->passed);
	assert_string_equal(rule_of(&d, "resident")->message,
			    "Alamat KK di desa 35.10.05.2001, Kabupaten Banyuwangi");
	assert_true(d.eligible);

	/* And the other way round. */
	f = good_facts(a, 3);
	f.village_code = "3515032004";
	elig_decide(p, &f, &d);
	assert_false(rule_of(&d, "resident")->passed);
	assert_string_equal(rule_of(&d, "resident")->message,
			    "Alamat KK (desa 35.15.03.2004) di luar Kabupaten Banyuwangi (35.10)");
	assert_false(d.eligible);

	static const char *const bad[] = { "351005200", "35100520011", "35.10.05.2001",
					   "", NULL };
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		f.village_code = bad[i];
		elig_decide(p, &f, &d);
		assert_false(rule_of(&d, "resident")->passed);
		assert_has(rule_of(&d, "resident")->message, "tidak sah");
	}
	policy_free(p);
}

static void decide_pbi_rule(void **state)
{
	(void)state;
	struct policy *p = scoring_policy("2.107");
	struct elig_answer a[] = { { "x", 1 }, { "y", 1 }, { "z", 1 } };
	struct elig_facts f = good_facts(a, 3);
	struct elig_decision d;
	elig_decide(p, &f, &d);
	assert_true(rule_of(&d, "not_pbi")->passed);

	f.pbi_jkn_active = 1;
	elig_decide(p, &f, &d);
	assert_false(rule_of(&d, "not_pbi")->passed);
	assert_has(rule_of(&d, "not_pbi")->message, "PBI-JKN");
	assert_false(d.eligible);

	f.pbi_jkn_active = 0;
	f.pbi_apbd_active = 1;
	elig_decide(p, &f, &d);
	assert_false(rule_of(&d, "not_pbi")->passed);
	assert_has(rule_of(&d, "not_pbi")->message, "PBI-APBD");

	f.pbi_jkn_active = 1;
	elig_decide(p, &f, &d);
	assert_string_equal(rule_of(&d, "not_pbi")->message,
			    "Masih peserta aktif PBI-JKN dan PBI-APBD");
	assert_false(d.eligible);
	policy_free(p);
}

static void decide_survey_rule(void **state)
{
	(void)state;
	struct policy *p = scoring_policy("2.107");
	struct elig_decision d;

	/* Missing y: both the survey and the score fail. */
	struct elig_answer a1[] = { { "x", 1 }, { "z", 1 } };
	struct elig_facts f = good_facts(a1, 2);
	elig_decide(p, &f, &d);
	assert_false(rule_of(&d, "survey_complete")->passed);
	assert_string_equal(rule_of(&d, "survey_complete")->message,
			    "Survei belum lengkap: 2 dari 3 indikator aktif terjawab; belum dijawab: y");
	assert_false(rule_of(&d, "score_below")->passed);
	assert_string_equal(rule_of(&d, "score_below")->message,
			    "Skor tidak dapat dihitung sebelum survei lengkap (2 dari 3 indikator)");
	assert_int_equal(d.answered, 2);
	assert_false(d.eligible);

	/* z has no answer 3; x=7 is out of range. */
	struct elig_answer a2[] = { { "x", 7 }, { "y", 1 }, { "z", 3 } };
	f = good_facts(a2, 3);
	elig_decide(p, &f, &d);
	assert_false(rule_of(&d, "survey_complete")->passed);
	assert_has(rule_of(&d, "survey_complete")->message, "jawaban tidak sah: x=7, z=3");
	assert_false(d.eligible);

	/* A bad answer to the retired indicator, an unknown code and a
	 * second answer for x are all ignored: the first answer counts. */
	struct elig_answer a3[] = { { "old", 9 }, { "x", 1 }, { "kolam", 2 },
				    { "y", 1 }, { "z", 1 }, { "x", 4 } };
	f = good_facts(a3, 6);
	elig_decide(p, &f, &d);
	assert_true(rule_of(&d, "survey_complete")->passed);
	assert_string_equal(rule_of(&d, "survey_complete")->message,
			    "Survei lengkap: 3 dari 3 indikator aktif terjawab");
	assert_true(d.score == 1.0);
	assert_true(d.eligible);

	/* No answers at all. */
	f = good_facts(NULL, 0);
	elig_decide(p, &f, &d);
	assert_false(rule_of(&d, "survey_complete")->passed);
	assert_true(d.score == 0.0);
	assert_false(d.eligible);
	policy_free(p);
}

static void decide_json(void **state)
{
	(void)state;
	struct policy *p = scoring_policy("2.107");
	struct elig_answer a[] = { { "x", 1 }, { "y", 2 }, { "z", 4 } };
	struct elig_facts f = good_facts(a, 3);
	f.pbi_apbd_active = 1;
	struct elig_decision d;
	elig_decide(p, &f, &d);
	struct buf out = BUF_INIT;
	assert_int_equal(elig_to_json(&d, &out), 0);
	assert_has(out.data, "{\"eligible\":false,\"score\":2,\"policy\":\"score-1\","
			     "\"answered\":3,\"required\":3,\"rules\":[{\"code\":\"nik_valid\","
			     "\"passed\":true,\"message\":");
	assert_has(out.data, "{\"code\":\"not_pbi\",\"passed\":false,"
			     "\"message\":\"Masih peserta aktif PBI-APBD (iuran dibayar daerah)\"}");
	assert_has(out.data, "\"Skor 2,000 di bawah ambang 2,107\"}]}");
	buf_release(&out);

	assert_int_equal(elig_decide(NULL, &f, &d), TB_EINVAL);
	assert_int_equal(elig_decide(p, NULL, &d), TB_EINVAL);
	assert_int_equal(elig_decide(p, &f, NULL), TB_EINVAL);
	assert_null(elig_rule_find(&d, "no_such_rule"));
	policy_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nik_good_male),
		cmocka_unit_test(nik_good_female),
		cmocka_unit_test(nik_bad_shape),
		cmocka_unit_test(nik_impossible_dates),
		cmocka_unit_test(nik_leap_years),
		cmocka_unit_test(nik_birth_mismatch),
		cmocka_unit_test(nik_century),
		cmocka_unit_test(policy_shipped_loads),
		cmocka_unit_test(policy_letter_numbers),
		cmocka_unit_test(policy_answer_checks),
		cmocka_unit_test(policy_base_is_valid),
		cmocka_unit_test(policy_broken_files),
		cmocka_unit_test(policy_odd_but_valid),
		cmocka_unit_test(policy_load_names_the_file),
		cmocka_unit_test(decide_scores_by_hand),
		cmocka_unit_test(decide_rounding_and_boundary),
		cmocka_unit_test(decide_shipped_policy),
		cmocka_unit_test(decide_nik_rule),
		cmocka_unit_test(decide_resident_rule),
		cmocka_unit_test(decide_pbi_rule),
		cmocka_unit_test(decide_survey_rule),
		cmocka_unit_test(decide_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
