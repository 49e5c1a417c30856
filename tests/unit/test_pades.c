#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <hpdf.h>
#include <pthread.h>

#include "core/err.h"
#include "core/str.h"
#include "sign/pades.h"
#include "sign/token.h"
#include "sign_fixture.h"

static void hpdf_fail(HPDF_STATUS e, HPDF_STATUS detail, void *user)
{
	(void)user;
	fprintf(stderr, "libharu error %04lx/%lu\n", (unsigned long)e,
		(unsigned long)detail);
	abort();
}

/* A small letter-like PDF as libharu writes it (pages > 1 optional). */
static void make_pdf(struct buf *out, int pages)
{
	HPDF_Doc doc = HPDF_New(hpdf_fail, NULL);
	assert_non_null(doc);
	HPDF_Font font = HPDF_GetFont(doc, "Helvetica", NULL);
	for (int i = 0; i < pages; i++) {
		HPDF_Page page = HPDF_AddPage(doc);
		HPDF_Page_BeginText(page);
		HPDF_Page_SetFontAndSize(page, font, 12);
		HPDF_Page_TextOut(page, 72, 760, "SURAT PERNYATAAN MISKIN");
		HPDF_Page_TextOut(page, 72, 740, "Nomor: 460/0001/429.107/2026");
		HPDF_Page_EndText(page);
	}
	assert_int_equal(HPDF_SaveToStream(doc), HPDF_OK);
	HPDF_UINT32 size = HPDF_GetStreamSize(doc);
	assert_int_equal(buf_grow(out, size), 0);
	assert_int_equal(HPDF_ReadFromStream(doc, (HPDF_BYTE *)out->data, &size),
			 HPDF_OK);
	out->len = size;
	out->data[size] = '\0';
	HPDF_Free(doc);
}

static void sign(struct fixture *f, struct buf *signed_pdf, int pages)
{
	struct buf pdf = BUF_INIT, err = BUF_INIT;
	make_pdf(&pdf, pages);
	int rc = pades_sign(f->kr, pdf.data, pdf.len, 1795444800, signed_pdf,
			    &err);
	if (rc)
		fprintf(stderr, "%s\n", err.data);
	assert_int_equal(rc, 0);
	assert_memory_equal(signed_pdf->data, pdf.data, 64);
	buf_release(&pdf);
	buf_release(&err);
}

static enum pades_status verify(struct keyring *kr, const struct buf *pdf)
{
	struct pades_info info;
	assert_int_equal(pades_verify(kr, pdf->data, pdf->len, &info, NULL), 0);
	return info.status;
}

static void test_sign_and_verify(void **state)
{
	struct fixture *f = *state;
	struct buf out = BUF_INIT, err = BUF_INIT;
	struct pades_info info;
	unsigned char md[SHA256_LEN];
	sign(f, &out, 2);
	assert_int_equal(pades_verify(f->kr, out.data, out.len, &info, &err), 0);
	assert_string_equal(pades_status_name(info.status), "VALID");
	assert_non_null(strstr(info.signer, "CN=Dinas Sosial Kabupaten Banyuwangi"));
	assert_true(info.signing_time > 1700000000);
	digest_sha256(out.data, out.len, md);
	assert_memory_equal(md, info.sha256, sizeof md);
	assert_non_null(strstr(out.data, "/SubFilter /ETSI.CAdES.detached"));
	assert_non_null(strstr(out.data, "/M (D:20261123"));
	buf_release(&out);
	buf_release(&err);
}

static void test_tamper(void **state)
{
	struct fixture *f = *state;
	struct buf out = BUF_INIT;
	sign(f, &out, 1);
	const char *contents = strstr(out.data, "/Contents <") + 11;
	size_t in_contents = (size_t)(contents - out.data) + 40;
	/* A byte of the text, a byte of the new trailer, a byte of the CMS. */
	size_t spots[] = { (size_t)(strstr(out.data, "MISKIN") - out.data),
			   out.len - 30, in_contents, 0, 9 };
	for (size_t i = 0; i < ARRAY_SIZE(spots); i++) {
		char was = out.data[spots[i]];
		out.data[spots[i]] = was == '1' ? '2' : '1';
		enum pades_status st = verify(f->kr, &out);
		assert_true(st == PADES_BAD_SIGNATURE || st == PADES_BAD_RANGE);
		out.data[spots[i]] = was;
	}
	assert_int_equal(verify(f->kr, &out), PADES_VALID);
	/* Bytes added after signing: the ranges no longer cover the file. */
	buf_adds(&out, "% appended\n");
	assert_int_equal(verify(f->kr, &out), PADES_BAD_RANGE);
	buf_release(&out);
}

static void test_untrusted_and_unsigned(void **state)
{
	struct fixture *f = *state, other;
	struct buf out = BUF_INIT, plain = BUF_INIT;
	sign(f, &out, 1);
	assert_int_equal(fixture_open(&other), 0);
	assert_int_equal(verify(other.kr, &out), PADES_UNTRUSTED);
	fixture_close(&other);
	make_pdf(&plain, 1);
	assert_int_equal(verify(f->kr, &plain), PADES_NO_SIGNATURE);
	buf_release(&out);
	buf_release(&plain);
}

/* Signing twice is refused (the catalog already has a form). */
static void test_sign_signed_refused(void **state)
{
	struct fixture *f = *state;
	struct buf out = BUF_INIT, again = BUF_INIT, err = BUF_INIT;
	sign(f, &out, 1);
	assert_int_equal(pades_sign(f->kr, out.data, out.len, 0, &again, &err),
			 TB_EINVAL);
	assert_int_equal(again.len, 0);
	buf_release(&out);
	buf_release(&again);
	buf_release(&err);
}

/*
 * Garbage in, a clean error out: every prefix of a PDF, and the PDF with
 * each of many single bytes changed, goes through the parser (ASan run).
 */
static void test_garbage(void **state)
{
	struct fixture *f = *state;
	struct buf pdf = BUF_INIT, out = BUF_INIT, signed_pdf = BUF_INIT;
	struct pades_info info;
	make_pdf(&pdf, 1);
	sign(f, &signed_pdf, 1);
	for (size_t n = 0; n < pdf.len; n += 3) {
		buf_reset(&out);
		int rc = pades_sign(f->kr, pdf.data, n, 0, &out, NULL);
		assert_true(rc == TB_EINVAL || rc == 0);
		assert_int_equal(pades_verify(f->kr, signed_pdf.data,
					      n * signed_pdf.len / pdf.len,
					      &info, NULL), 0);
		assert_int_not_equal(info.status, PADES_VALID);
	}
	static const char junk[] = "0<>[]()/% \n\\R";
	for (size_t i = 0; i < pdf.len; i += 2) {
		char was = pdf.data[i];
		pdf.data[i] = junk[i % (sizeof junk - 1)];
		buf_reset(&out);
		int rc = pades_sign(f->kr, pdf.data, pdf.len, 0, &out, NULL);
		assert_true(rc == TB_EINVAL || rc == 0);
		pdf.data[i] = was;
	}
	buf_release(&pdf);
	buf_release(&out);
	buf_release(&signed_pdf);
}

/* The /Contents hole is exactly as large as the reserve. */
static void test_contents_reserve(void **state)
{
	struct fixture *f = *state;
	struct buf out = BUF_INIT, big = BUF_INIT;
	sign(f, &out, 1);
	const char *c = strstr(out.data, "/Contents <") + 11;
	const char *e = strchr(c, '>');
	assert_true(e - c > 1000 && e - c < 8000);
	assert_int_equal((e - c) % 2, 0);
	/* Trailing zero padding stays after the DER. */
	assert_int_equal(e[-1], '0');
	/* out must start empty: offsets are offsets in out. */
	buf_adds(&big, "x");
	assert_int_equal(pades_sign(f->kr, out.data, out.len, 0, &big, NULL),
			 TB_EINTERNAL);
	buf_release(&out);
	buf_release(&big);
}

/* One keyring, many threads signing and verifying at once: what the
 * service does. Each worker checks its own results. */
struct worker {
	struct keyring *kr;
	const struct buf *pdf;
	int failures;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	static const struct token_field f[] = { { "nik", "3510014107850001" } };
	unsigned char serial[TOKEN_SERIAL_LEN];
	for (int i = 0; i < 20; i++) {
		struct buf tok = BUF_INIT, out = BUF_INIT;
		struct token t;
		struct pades_info info;
		if (token_serial_new(serial, NULL) ||
		    token_make(w->kr, TOKEN_CARD, 3510, serial, 20780, 21145, f, 1, &t,
			       &tok, NULL) ||
		    token_verify(&t, w->kr) != TOKEN_OK)
			w->failures++;
		if (i % 4 == 0 &&
		    (pades_sign(w->kr, w->pdf->data, w->pdf->len, 0, &out, NULL) ||
		     pades_verify(w->kr, out.data, out.len, &info, NULL) ||
		     info.status != PADES_VALID))
			w->failures++;
		buf_release(&tok);
		buf_release(&out);
	}
	return NULL;
}

static void test_threads_share_keyring(void **state)
{
	struct fixture *f = *state;
	struct buf pdf = BUF_INIT;
	pthread_t th[4];
	struct worker w[4];
	make_pdf(&pdf, 1);
	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){ f->kr, &pdf, 0 };
		assert_int_equal(pthread_create(&th[i], NULL, work, &w[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(w[i].failures, 0);
	}
	buf_release(&pdf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sign_and_verify,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_tamper, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_untrusted_and_unsigned,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_sign_signed_refused,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_garbage, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_contents_reserve,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_threads_share_keyring,
						fixture_setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
