/* Rendering in process: sizes, determinism, errors that must name their
 * cause, threads sharing one context, the card check digit. The checks
 * with outside tools (qpdf, pdffonts, pdftotext, zbarimg) are in
 * tests/render_*.sh. Runs from the repository root (layouts/, fonts/). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/err.h"
#include "core/str.h"
#include "render/haru_internal.h"
#include "render/render.h"
#include "render/textenc.h"

static const char *const base[][2] = {
	{ "name", "Nur'aini" }, { "nik", "3510054107850003" },
	{ "kk", "3510050101080007" }, { "birth_place", "Banyuwangi" },
	{ "birth_date", "1985-07-01" }, { "sex", "P" },
	{ "address", "Jl. Kenanga No. 12" }, { "rt", "003" }, { "rw", "001" },
	{ "village", "Genteng Kulon" }, { "kecamatan", "Genteng" },
	{ "regency", "Banyuwangi" }, { "score", "1.8421" },
	{ "letter_number", "400.9/0001/429.108/2026" },
	{ "issue_date", "2026-11-22" }, { "valid_until", "2027-05-21" },
	{ "card_valid_until", "2027-11-22" }, { "serial", "SPM-2026-000001" },
	{ "card_number", "0001234567897" }, { "faskes", "Puskesmas Genteng" },
	{ "kelas", "III" },
	{ "government_level", "Pemerintah Kabupaten Banyuwangi" },
	{ "office_name", "Dinas Sosial Kabupaten Banyuwangi" },
	{ "office_address", "Jl. Jenderal Ahmad Yani No. 78, Banyuwangi" },
	{ "office_city", "Banyuwangi" },
	{ "head_title", "Kepala Dinas Sosial Kabupaten Banyuwangi" },
	{ "head_name", "Dra. Sri Wahyuni, M.Si." },
	{ "head_nip", "19700101 199503 2 001" },
	{ "qr", "HTTPS://SPM.BANYUWANGIKAB.GO.ID/V/ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		"234567ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRSTUV"
		"WXYZ234567ABCDEFGHIJKLMNOPQRST" },
};

struct fx {
	struct render_ctx *ctx;
	struct render_fields f;
};

static int setup(void **state)
{
	static struct fx fx;
	struct buf err = BUF_INIT;
	if (render_ctx_new(&fx.ctx, ".", &err) < 0) {
		print_error("render_ctx_new: %s\n", err.data);
		buf_release(&err);
		return -1;
	}
	render_fields_init(&fx.f);
	for (size_t i = 0; i < ARRAY_SIZE(base); i++)
		if (render_fields_set(&fx.f, base[i][0], base[i][1]) < 0)
			return -1;
	*state = &fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	render_fields_release(&fx->f);
	render_ctx_free(fx->ctx);
	return 0;
}

static int pages(const struct buf *pdf)
{
	int n = 0;
	for (const char *p = pdf->data; (p = memmem(p, pdf->len - (size_t)(p - pdf->data),
						    "/Type /Page", 11)); p += 11)
		n += p[11] != 's';
	return n;
}

static void test_letter_and_card(void **state)
{
	struct fx *fx = *state;
	struct buf pdf = BUF_INIT, err = BUF_INIT;
	int rc = render_doc(fx->ctx, RENDER_LETTER, &fx->f, 0, &pdf, &err);
	if (rc)
		fail_msg("letter: %s", err.data);
	assert_memory_equal(pdf.data, "%PDF-", 5);
	assert_non_null(strstr(pdf.data + pdf.len - 8, "%%EOF"));
	assert_true(pdf.len <= 30 * 1024);
	assert_int_equal(pages(&pdf), 1);
	buf_reset(&pdf);
	rc = render_doc(fx->ctx, RENDER_CARD, &fx->f, RENDER_SPECIMEN, &pdf,
			&err);
	if (rc)
		fail_msg("card: %s", err.data);
	assert_true(pdf.len <= 30 * 1024);
	assert_int_equal(pages(&pdf), 2);
	buf_release(&pdf);
	buf_release(&err);
}

static void test_same_bytes(void **state)
{
	struct fx *fx = *state;
	struct buf a = BUF_INIT, b = BUF_INIT;
	assert_int_equal(render_doc(fx->ctx, RENDER_LETTER, &fx->f, 0, &a,
				    NULL), 0);
	assert_int_equal(render_doc(fx->ctx, RENDER_LETTER, &fx->f, 0, &b,
				    NULL), 0);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	buf_release(&a);
	buf_release(&b);
}

/* Renders with one field changed; returns rc, message in err. */
static int render_with(struct fx *fx, enum render_kind kind, const char *key,
		       const char *value, struct buf *err)
{
	struct render_fields f;
	struct buf pdf = BUF_INIT;
	render_fields_init(&f);
	for (size_t i = 0; i < fx->f.n; i++)
		if (strcmp(fx->f.item[i].key, key) != 0)
			assert_int_equal(render_fields_set(&f, fx->f.item[i].key,
							   fx->f.item[i].value), 0);
	if (value)
		assert_int_equal(render_fields_set(&f, key, value), 0);
	buf_reset(err);
	buf_addc(&pdf, 'x');
	int rc = render_doc(fx->ctx, kind, &f, 0, &pdf, err);
	if (rc < 0) /* a failure leaves the output as it was */
		assert_int_equal(pdf.len, 1);
	render_fields_release(&f);
	buf_release(&pdf);
	return rc;
}

static void test_errors_name_cause(void **state)
{
	struct fx *fx = *state;
	struct buf err = BUF_INIT;
	/* names the fonts can show */
	static const char *const ok[] = {
		"O\xe2\x80\x99Neil", "Andr\xc3\xa9" "as", "Ahmad \"Gus\" Fauzi",
		"Ni Luh Putu Ayu", "Nur'aini \xe2\x80\x93 \xe2\x80\x9cIn\xe2\x80\x9d",
	};
	for (size_t i = 0; i < ARRAY_SIZE(ok); i++)
		if (render_with(fx, RENDER_LETTER, "name", ok[i], &err))
			fail_msg("%s: %s", ok[i], err.data);
	/* outside the fonts: a transliteration (test_transliterate), or
	 * an error naming the character, never dropped */
	if (render_with(fx, RENDER_LETTER, "name", "\xc5\x81ukasz", &err))
		fail_msg("Łukasz: %s", err.data);
	assert_int_equal(render_with(fx, RENDER_LETTER, "name",
				     "\xd0\x96" "anna", &err), TB_EINVAL);
	assert_non_null(strstr(err.data, "U+0416"));
	assert_int_equal(render_with(fx, RENDER_CARD, "name", "\xe5\xb1\xb1",
				     &err), TB_EINVAL);
	assert_non_null(strstr(err.data, "U+5C71"));
	/* malformed UTF-8 */
	assert_int_equal(render_with(fx, RENDER_LETTER, "name", "A\xc3(",
				     &err), TB_EINVAL);
	/* a missing field is named, with the layout line */
	assert_int_equal(render_with(fx, RENDER_LETTER, "kk", NULL, &err),
			 TB_EINVAL);
	assert_non_null(strstr(err.data, "{kk}"));
	assert_non_null(strstr(err.data, "spm_letter.layout:"));
	/* a bad date for the date format */
	assert_int_equal(render_with(fx, RENDER_LETTER, "birth_date",
				     "1985-02-30", &err), TB_EINVAL);
	assert_non_null(strstr(err.data, "birth_date"));
	/* a long name and address: the card's table shrinks to fit */
	if (render_with(fx, RENDER_CARD, "address", "Jalan Raya Jember-"
			"Banyuwangi Km. 12, Gang Melati III No. 117B, Dusun "
			"Krajan Kidul", &err))
		fail_msg("long address: %s", err.data);
	/* text that would run off the card */
	char addr[1200];
	memset(addr, 0, sizeof(addr));
	for (size_t i = 0; i + 6 < sizeof(addr); i += 6)
		memcpy(addr + i, "Jalan ", 6);
	assert_int_equal(render_with(fx, RENDER_CARD, "address", addr, &err),
			 TB_EINVAL);
	assert_non_null(strstr(err.data, "tidak muat"));
	/* a payload too long for a version-8 symbol */
	assert_int_equal(render_with(fx, RENDER_LETTER, "qr",
				     "https://lower.case/makes/it/binary/"
				     "and/much/longer/than/one/hundred/and/"
				     "fifty/two/bytes/so/the/version/goes/"
				     "above/eight/xxxxxxxxxxxxxxxxxxxxxxxx"
				     "xxxxxxxxxxxxxx", &err), TB_EINVAL);
	assert_non_null(strstr(err.data, "versi"));
	buf_release(&err);
}

/* A name or address of n characters: words of 5 to 12 letters, as long
 * Javanese names are (the words matter: lines break between them). */
static char *long_text(size_t n)
{
	static const char *const words[] = {
		"Raden", "Kusumawardhani", "Siti", "Hadiningrat", "Nurhayati",
		"Prameswari", "Abdurrahman", "Wiryoatmodjo", "Binti", "Ayu",
	};
	char *s = malloc(n + 1);
	assert_non_null(s);
	size_t len = 0;
	for (size_t w = 0; len < n; w++) {
		const char *word = words[w % 10];
		if (len)
			s[len++] = ' ';
		for (size_t k = 0; word[k] && len < n; k++)
			s[len++] = word[k];
	}
	if (s[n - 1] == ' ')
		s[n - 1] = 'X'; /* no trailing blank */
	s[n] = 0;
	return s;
}

/*
 * Issue 11, finding 5. Every name and address import can store (names
 * up to 127 bytes, addresses up to 255) gives a letter and a card; the
 * shapes a village has: a 60-character name, a 100-character older one,
 * a 120-character address. Only an absurd text is refused, naming the
 * row and what was tried. (The sizes they print at are checked with qpdf
 * in tests/render_long.sh.)
 */
static void test_long_names(void **state)
{
	struct fx *fx = *state;
	struct buf err = BUF_INIT;
	static const size_t names[] = { 60, 100, 127 };
	static const size_t addrs[] = { 18, 120, 255 };
	for (size_t i = 0; i < 3; i++)
		for (size_t j = 0; j < 3; j++)
			for (int kind = RENDER_LETTER; kind <= RENDER_CARD;
			     kind++) {
				char *name = long_text(names[i]);
				char *addr = long_text(addrs[j]);
				struct render_fields f;
				struct buf pdf = BUF_INIT;
				render_fields_init(&f);
				for (size_t k = 0; k < fx->f.n; k++)
					assert_int_equal(render_fields_set(&f,
						fx->f.item[k].key,
						fx->f.item[k].value), 0);
				assert_int_equal(render_fields_set(&f, "name",
								   name), 0);
				assert_int_equal(render_fields_set(&f,
						"address", addr), 0);
				if (render_doc(fx->ctx, (enum render_kind)kind,
					       &f, 0, &pdf, &err))
					fail_msg("%s, name %zu, address %zu: %s",
						 kind ? "card" : "letter",
						 names[i], addrs[j], err.data);
				render_fields_release(&f);
				buf_release(&pdf);
				free(name);
				free(addr);
			}
	char *absurd = long_text(500);
	assert_int_equal(render_with(fx, RENDER_LETTER, "name", absurd, &err),
			 TB_EINVAL);
	if (!strstr(err.data, "baris \"Nama\"") ||
	    !strstr(err.data, "tidak muat") || !strstr(err.data, "9.0 pt") ||
	    !strstr(err.data, "paling banyak 3 baris"))
		fail_msg("letter: %s", err.data);
	assert_int_equal(render_with(fx, RENDER_CARD, "name", absurd, &err),
			 TB_EINVAL);
	/* The card's name box: 7 pt and 6 lines at the least, never
	 * smaller (the card's type floor, docs/layouts.md). */
	if (!strstr(err.data, "kis_card_front.layout") ||
	    !strstr(err.data, "tidak muat") || !strstr(err.data, "7.0 pt") ||
	    !strstr(err.data, "paling banyak 6 baris"))
		fail_msg("card: %s", err.data);
	free(absurd);
	buf_release(&err);
}

/* A render root with our own letter layout (the card's are the shipped
 * ones, the fonts linked): the text box rules tried on their own. */
static char *fit_root(const char *letter)
{
	char tmpl[] = "/tmp/terbit-fit.XXXXXX", cwd[4096], path[4200];
	assert_non_null(mkdtemp(tmpl));
	assert_non_null(getcwd(cwd, sizeof cwd));
	static const char *const links[] = {
		"fonts", "layouts/kis_card_front.layout",
		"layouts/kis_card_back.layout",
	};
	snprintf(path, sizeof path, "%s/layouts", tmpl);
	assert_int_equal(mkdir(path, 0700), 0);
	for (size_t i = 0; i < 3; i++) {
		char to[4200];
		snprintf(to, sizeof to, "%s/%s", cwd, links[i]);
		snprintf(path, sizeof path, "%s/%s", tmpl, links[i]);
		assert_int_equal(symlink(to, path), 0);
	}
	snprintf(path, sizeof path, "%s/layouts/spm_letter.layout", tmpl);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(letter, fp);
	fclose(fp);
	return strdup(tmpl);
}

static void fit_root_free(char *root)
{
	static const char *const files[] = {
		"fonts", "layouts/kis_card_front.layout",
		"layouts/kis_card_back.layout", "layouts/spm_letter.layout",
		"layouts",
	};
	char path[4200];
	for (size_t i = 0; i < 5; i++) {
		snprintf(path, sizeof path, "%s/%s", root, files[i]);
		assert_int_equal(remove(path), 0);
	}
	assert_int_equal(rmdir(root), 0);
	free(root);
}

/* The one box of a letter layout, with name: rc and the message. */
static int fit_try_name(const char *box, const char *name,
			struct buf *err)
{
	struct buf layout = BUF_INIT, pdf = BUF_INIT;
	struct render_ctx *ctx;
	assert_int_equal(buf_addf(&layout, "page paper=A4\n%s\n", box), 0);
	char *root = fit_root(layout.data);
	buf_reset(err);
	int rc = render_ctx_new(&ctx, root, err);
	if (rc)
		fail_msg("%s: %s", box, err->data);
	struct render_fields f;
	render_fields_init(&f);
	assert_int_equal(render_fields_set(&f, "name", name), 0);
	rc = render_doc(ctx, RENDER_LETTER, &f, 0, &pdf, err);
	render_fields_release(&f);
	render_ctx_free(ctx);
	fit_root_free(root);
	buf_release(&layout);
	buf_release(&pdf);
	return rc;
}

/*
 * Text boxes: shrink to the minimum first, then wrap to the allowed
 * lines, then refuse. 60 mm at 12 pt holds about 24 characters of this
 * name, at 8 pt about 36, in two lines at 8 pt about 70.
 */
static void test_fit_text(void **state)
{
	(void)state;
	struct buf err = BUF_INIT;
	char *n30 = long_text(30), *n60 = long_text(60),
	     *n120 = long_text(120);
	static const char one[] = "text x=20 y=20 w=60 size=12 text=\"{name}\"";
	static const char shrink[] =
		"text x=20 y=20 w=60 size=12 shrink=8 text=\"{name}\"";
	static const char wrap2[] =
		"text x=20 y=20 w=60 size=12 shrink=8 lines=2 text=\"{name}\"";
	static const char low[] = "text x=20 y=20 w=60 h=6 size=12 shrink=8 "
				  "lines=2 text=\"{name}\"";
	/* fits as it is */
	assert_int_equal(fit_try_name(one, "Ahmad Fauzi", &err), 0);
	/* too wide: refused without shrink, smaller with it */
	assert_int_equal(fit_try_name(one, n30, &err), TB_EINVAL);
	assert_non_null(strstr(err.data, "tidak muat"));
	if (fit_try_name(shrink, n30, &err))
		fail_msg("shrink: %s", err.data);
	/* too wide at the minimum: refused, unless it may wrap */
	assert_int_equal(fit_try_name(shrink, n60, &err), TB_EINVAL);
	assert_non_null(strstr(err.data, "8.0 pt"));
	if (fit_try_name(wrap2, n60, &err))
		fail_msg("wrap: %s", err.data);
	/* two lines that the box's height does not allow */
	assert_int_equal(fit_try_name(low, n60, &err), TB_EINVAL);
	/* more than the allowed lines even at the minimum */
	assert_int_equal(fit_try_name(wrap2, n120, &err), TB_EINVAL);
	if (!strstr(err.data, "8.0 pt") ||
	    !strstr(err.data, "paling banyak 2 baris"))
		fail_msg("refusal: %s", err.data);
	free(n30);
	free(n60);
	free(n120);
	buf_release(&err);
}

/* textenc: the fallback for characters outside Windows-1252. */
static void test_transliterate(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		/* in CP1252: kept as they are (curly quotes, dashes) */
		{ "Andr\xc3\xa9" "as O\xe2\x80\x99Neil \xe2\x80\x93 \xe2\x80\x9c" "a\xe2\x80\x9d",
		  "Andr\xe9" "as O\x92Neil \x96 \x93" "a\x94" },
		{ "\xc5\xa0" "ari\xc4\x87", "\x8a" "aric" },       /* Š kept, ć c */
		/* outside it: the letter without its mark */
		{ "\xc5\x81ukasz W\xc4\x85sik", "Lukasz Wasik" },
		{ "Ay\xc5\x9f" "e \xc4\x9e\xc3\xbcl \xc4\xb0nan", "Ayse G\xfcl Inan" },
		{ "\xc8\x98tef\xc4\x83nescu \xc5\x90r\xc5\x91", "Stefanescu Oro" },
		{ "Nguy\xe1\xbb\x85n" /* ễ: no entry */, NULL },
		{ "Tr\xc6\xb0\xc6\xa1ng", "Truong" },
		/* apostrophes, hyphens, primes, spaces, joiners */
		{ "Nur\xca\xbc" "aini", "Nur'aini" },
		{ "Siti\xe2\x80\x91" "Aminah", "Siti-Aminah" },
		{ "a\xe2\x80\xaf" "b\xe2\x80\x8b" "c\xef\xbb\xbf", "a bc" },
		{ "\xe2\x84\x96 12 \xe2\x88\x92 3", "No 12 - 3" },
		/* combining marks: composed when CP1252 has the letter */
		{ "Jose\xcc\x81 Mun\xcc\x83oz", "Jos\xe9 Mu\xf1oz" },
		{ "Ze\xcc\x8c" "Y\xcc\x88", "Ze\x9f" },  /* e+caron: bare e */
		{ "\xcc\x81" "a", "a" },                  /* no letter before */
		/* no obvious Latin spelling: refused */
		{ "\xc5\x8b", NULL }, { "\xc9\x99", NULL }, { "\xe5\xb1\xb1", NULL },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct buf out = BUF_INIT, err = BUF_INIT;
		assert_int_equal(buf_adds(&out, "x"), 0);
		int rc = textenc_cp1252(cases[i][0], &out, &err);
		if (!cases[i][1]) {
			if (rc != TB_EINVAL || !strstr(err.data, "U+") ||
			    !strstr(err.data, "padanan"))
				fail_msg("case %zu: rc %d '%s'", i, rc, err.data);
			assert_string_equal(out.data, "x"); /* left as it was */
		} else {
			if (rc)
				fail_msg("case %zu: %s", i, err.data);
			assert_string_equal(out.data + 1, cases[i][1]);
		}
		buf_release(&out);
		buf_release(&err);
	}
}

struct job {
	struct fx *fx;
	const struct buf *want;
	int bad;
};

static void *render_many(void *arg)
{
	struct job *j = arg;
	struct buf pdf = BUF_INIT;
	for (int i = 0; i < 15; i++) {
		buf_reset(&pdf);
		if (render_doc(j->fx->ctx, RENDER_LETTER, &j->fx->f, 0, &pdf,
			       NULL) < 0 || pdf.len != j->want->len ||
		    memcmp(pdf.data, j->want->data, pdf.len) != 0)
			j->bad++;
	}
	buf_release(&pdf);
	return NULL;
}

static void test_threads(void **state)
{
	struct fx *fx = *state;
	struct buf want = BUF_INIT;
	assert_int_equal(render_doc(fx->ctx, RENDER_LETTER, &fx->f, 0, &want,
				    NULL), 0);
	pthread_t t[4];
	struct job jobs[4];
	for (int i = 0; i < 4; i++) {
		jobs[i] = (struct job){ fx, &want, 0 };
		assert_int_equal(pthread_create(&t[i], NULL, render_many,
						&jobs[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(jobs[i].bad, 0);
	}
	buf_release(&want);
}

static void test_fields_parse(void **state)
{
	(void)state;
	struct render_fields f;
	struct buf err = BUF_INIT;
	render_fields_init(&f);
	assert_int_equal(render_fields_parse(&f, "# c\nname = Ni Luh Putu Ayu \n"
					     "x=1=2\n\n", &err), 0);
	assert_string_equal(render_fields_get(&f, "name"), "Ni Luh Putu Ayu");
	assert_string_equal(render_fields_get(&f, "x"), "1=2");
	assert_null(render_fields_get(&f, "y"));
	assert_int_equal(render_fields_parse(&f, "a = 1\nno equals\n", &err),
			 TB_EINVAL);
	assert_non_null(strstr(err.data, "baris 2"));
	render_fields_release(&f);
	buf_release(&err);
}

static void test_bad_root(void **state)
{
	(void)state;
	struct render_ctx *ctx;
	struct buf err = BUF_INIT;
	assert_true(render_ctx_new(&ctx, "/nonexistent", &err) < 0);
	assert_null(ctx);
	assert_true(err.len > 0);
	buf_release(&err);
}

/* The check render_ctx_new runs first: this libharu's private structs
 * hold what haru_internal.c relies on. (No test with a broken font:
 * libharu 2.3's TrueType loader crashes on one; render_ctx_new checks
 * the font with ttfsub_load before libharu sees it.) */
static void test_haru_selftest(void **state)
{
	(void)state;
	struct buf ttf = BUF_INIT, err = BUF_INIT;
	assert_int_equal(buf_read_file(&ttf, "fonts/terbit-sans.ttf", 8 << 20,
				       &err), 0);
	int rc = haru_selftest((const unsigned char *)ttf.data, ttf.len, &err);
	if (rc)
		fail_msg("haru_selftest: %s", err.data);
	buf_release(&ttf);
	buf_release(&err);
}

/* n copies of the base fields, card i with its own serial; card `bad`
 * (1-based, 0: none) without faskes. */
static struct render_fields *sheet_cards(struct fx *fx, size_t n, size_t bad)
{
	struct render_fields *c = calloc(n, sizeof *c);
	assert_non_null(c);
	for (size_t i = 0; i < n; i++) {
		char serial[32];
		render_fields_init(&c[i]);
		for (size_t k = 0; k < fx->f.n; k++)
			if (i + 1 != bad || strcmp(fx->f.item[k].key, "faskes"))
				assert_int_equal(render_fields_set(&c[i],
					fx->f.item[k].key, fx->f.item[k].value), 0);
		snprintf(serial, sizeof serial, "SERI%04zu", i + 1);
		assert_int_equal(render_fields_set(&c[i], "serial", serial), 0);
	}
	return c;
}

static void free_cards(struct render_fields *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		render_fields_release(&c[i]);
	free(c);
}

static void test_card_sheet(void **state)
{
	struct fx *fx = *state;
	struct buf a = BUF_INIT, b = BUF_INIT, err = BUF_INIT;
	struct render_fields *c = sheet_cards(fx, 21, 0);
	/* 21 cards: three sheets, front and back */
	int rc = render_card_sheet(fx->ctx, c, 21, "2026-11-23", 0, &a, &err);
	if (rc)
		fail_msg("sheet: %s", err.data);
	assert_memory_equal(a.data, "%PDF-", 5);
	assert_int_equal(pages(&a), 6);
	assert_non_null(memmem(a.data, a.len, "/MediaBox [ 0 0 595.27", 22));
	/* ten cards cost less than ten card PDFs: one font set, one file */
	assert_true(a.len < 10 * 22 * 1024);
	/* the same cards give the same bytes */
	assert_int_equal(render_card_sheet(fx->ctx, c, 21, "2026-11-23", 0,
					   &b, &err), 0);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	/* a specimen sheet, and one card alone (one column) */
	buf_reset(&b);
	assert_int_equal(render_card_sheet(fx->ctx, c, 1, NULL,
					   RENDER_SPECIMEN, &b, &err), 0);
	assert_int_equal(pages(&b), 2);
	free_cards(c, 21);
	buf_release(&a);
	buf_release(&b);
	buf_release(&err);
}

static void test_card_sheet_errors(void **state)
{
	struct fx *fx = *state;
	struct buf pdf = BUF_INIT, err = BUF_INIT;
	struct render_fields *c = sheet_cards(fx, 12, 3);
	buf_addc(&pdf, 'x');
	/* the card at fault is named, and nothing is appended */
	assert_int_equal(render_card_sheet(fx->ctx, c, 12, "2026-11-23", 0,
					   &pdf, &err), TB_EINVAL);
	assert_non_null(strstr(err.data, "kartu ke-3 (seri SERI0003)"));
	assert_non_null(strstr(err.data, "{faskes}"));
	assert_int_equal(pdf.len, 1);
	assert_int_equal(render_card_sheet(fx->ctx, c, 0, NULL, 0, &pdf, &err),
			 TB_EINVAL);
	assert_int_equal(render_card_sheet(fx->ctx, c, 2, "23-11-2026", 0, &pdf,
					   &err), TB_EINVAL);
	assert_non_null(strstr(err.data, "tanggal"));
	assert_int_equal(render_card_sheet(fx->ctx, c,
					   RENDER_SHEET_MAX_CARDS + 1, NULL, 0,
					   &pdf, &err), TB_ETOOBIG);
	assert_int_equal(pdf.len, 1);
	free_cards(c, 12);
	buf_release(&pdf);
	buf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_letter_and_card),
		cmocka_unit_test(test_same_bytes),
		cmocka_unit_test(test_errors_name_cause),
		cmocka_unit_test(test_transliterate),
		cmocka_unit_test(test_long_names),
		cmocka_unit_test(test_fit_text),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_fields_parse),
		cmocka_unit_test(test_bad_root),
		cmocka_unit_test(test_haru_selftest),
		cmocka_unit_test(test_card_sheet),
		cmocka_unit_test(test_card_sheet_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
