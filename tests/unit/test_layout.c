/* Layout parser: every element kind, the shipped layouts, and broken
 * files that must fail with the right line number. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"
#include "core/str.h"
#include "render/layout.h"

static const char every_kind[] =
	"# a comment\n"
	"page paper=A4\n"
	"\n"
	"text x=20 y=10 w=170 size=12 bold underline align=center \\\n"
	"  text=\"Judul \\\"kutip\\\" {name}\"\n"
	"table x=25 y=+4 w=160 label_w=45 gap=2 colon size=11\n"
	"row label=\"Nama\" text=\"{name}\" bold\n"
	"row label=\"NIK\" text=\"{nik}\"\n"
	"rule x=20 y=40 w=170 double thick=1 gap=1.5 color=#102030\n"
	"rect x=0 y=0 w=85.6 h=53.98 radius=3.18 fill=#FFFFFF stroke=#999999\n"
	"image x=10 y=10 w=20 h=24 src=\"logo.png\"\n"
	"qr x=20 y=230 size=32 quiet=4 data=\"{qr}\" note=\"Pindai\"\n"
	"signature x=110 y=+8 w=80 size=11 space=20 place=\"{office_city}\" \\\n"
	"  title=\"Kepala\\nDinas\" name=\"{head_name}\" nip=\"NIP. {head_nip}\" \\\n"
	"  note=\"elektronik\"\n";

static void test_every_kind(void **state)
{
	(void)state;
	struct layout lay;
	struct buf err = BUF_INIT;
	int rc = layout_parse(&lay, "t.layout", every_kind,
			      strlen(every_kind), &err);
	assert_int_equal(rc, 0);
	assert_int_equal(lay.n, 10);
	static const enum layout_kind want[] = {
		LAYOUT_PAGE, LAYOUT_TEXT, LAYOUT_TABLE, LAYOUT_ROW, LAYOUT_ROW,
		LAYOUT_RULE, LAYOUT_RECT, LAYOUT_IMAGE, LAYOUT_QR,
		LAYOUT_SIGNATURE,
	};
	for (size_t i = 0; i < lay.n; i++)
		assert_int_equal(lay.el[i].kind, want[i]);
	assert_true(fabs(lay.page_w - 210) < 1e-9);
	assert_true(fabs(lay.page_h - 297) < 1e-9);
	const struct layout_el *t = &lay.el[1];
	assert_int_equal(t->line, 4);
	assert_string_equal(t->str[LS_TEXT], "Judul \"kutip\" {name}");
	assert_int_equal(t->align, LAYOUT_CENTER);
	assert_true(t->flags & LF_BOLD);
	assert_true(t->flags & LF_UNDERLINE);
	assert_true(lay.el[2].y_rel);
	assert_true(fabs(lay.el[2].num[LN_Y] - 4) < 1e-9);
	assert_true(lay.el[5].flags & LF_DOUBLE);
	assert_int_equal(lay.el[5].color, 0x102030);
	assert_int_equal(lay.el[6].fill, 0xFFFFFF);
	assert_true(lay.el[6].has_stroke);
	assert_string_equal(lay.el[9].str[LS_TITLE], "Kepala\nDinas");
	assert_int_equal(lay.el[9].line, 13);
	assert_true(isnan(lay.el[8].num[LN_W]));
	layout_release(&lay);
	buf_release(&err);
}

static void test_card_page(void **state)
{
	(void)state;
	struct layout lay;
	assert_int_equal(layout_parse(&lay, "c", "page paper=ID1\n", 15, NULL), 0);
	assert_true(fabs(lay.page_w - 85.60) < 1e-9);
	assert_true(fabs(lay.page_h - 53.98) < 1e-9);
	layout_release(&lay);
	assert_int_equal(layout_parse(&lay, "c", "page w=100 h=50\n", 16,
				      NULL), 0);
	assert_true(fabs(lay.page_w - 100) < 1e-9);
	layout_release(&lay);
}

/* Each broken file and the "name:line:" its error must start with, plus
 * a word the message must hold. */
static const struct {
	const char *text, *where, *word;
} broken[] = {
	{ "page paper=A4\n\nbox x=1 y=1\n", "b.layout:3:", "box" },
	{ "page paper=A4\ntext x=1 text=\"a\"\n", "b.layout:2:", "y=" },
	{ "page paper=A4\ntext x=1 y=abc text=\"a\"\n", "b.layout:2:", "abc" },
	{ "page paper=A4\ntext x=1 y=2 text=\"open\n", "b.layout:2:", "kutip" },
	{ "page paper=A4\ntext x=1 y=2 colour=#000000 text=\"a\"\n",
	  "b.layout:2:", "colour" },
	{ "page paper=A4\nrow label=\"a\" text=\"b\"\n", "b.layout:2:", "table" },
	{ "text x=1 y=2 text=\"a\"\n", "b.layout:1:", "page" },
	{ "page paper=B7\n", "b.layout:1:", "B7" },
	{ "page paper=A4\nrule x=1 y=2 w=3 color=red\n", "b.layout:2:",
	  "#RRGGBB" },
	{ "page paper=A4\ntext x=1 y=2 w=9 align=middle text=\"a\"\n",
	  "b.layout:2:", "middle" },
	{ "page paper=A4\n# two lines\nqr x=1 \\\n y=2 size=-3 data=\"x\"\n",
	  "b.layout:3:", "-3" },
	{ "page paper=A4\ntext x=1 y=2 wrap text=\"a\"\n", "b.layout:2:", "w=" },
	{ "page paper=A4\nrect x=1 y=2 w=0 h=3\n", "b.layout:2:", "0" },
	{ "page paper=A4\npage paper=A4\n", "b.layout:2:", "pertama" },
	{ "", "b.layout:1:", "page" },
	{ "page paper=A4\ntext x=1 y=2 x=3 text=\"a\"\n", "b.layout:2:",
	  "dua kali" },
	{ "page paper=A4\nrule x=1 y=2 w=3 double double\n", "b.layout:2:",
	  "double" },
	{ "page paper=A4\ntext x=1 y=2 w=9 size=8 shrink=9 text=\"a\"\n",
	  "b.layout:2:", "shrink=9" },
	{ "page paper=A4\ntext x=1 y=2 w=9 shrink=0 text=\"a\"\n",
	  "b.layout:2:", "shrink=0" },
	{ "page paper=A4\ntext x=1 y=2 w=9 lines=0 text=\"a\"\n",
	  "b.layout:2:", "lines" },
	{ "page paper=A4\ntext x=1 y=2 w=9 lines=2.5 text=\"a\"\n",
	  "b.layout:2:", "lines" },
	{ "page paper=A4\ntext x=1 y=2 lines=2 text=\"a\"\n", "b.layout:2:",
	  "w=" },
	{ "page paper=A4\ntable x=1 y=2 w=50 label_w=9 size=6\n"
	  "row label=\"a\" text=\"b\" shrink=7\n", "b.layout:3:", "6 pt" },
	{ "page paper=A4\ntable x=1 y=2 w=50 label_w=9 lines=2\n",
	  "b.layout:2:", "lines" },
	{ "page paper=A4\nrule x=1 y=2 w=3 shrink\n", "b.layout:2:", "shrink" },
};

/* shrink alone, shrink=MIN_PT, lines=N: where the renderer finds them */
static void test_fit_attrs(void **state)
{
	(void)state;
	static const char text[] =
		"page paper=ID1\n"
		"text x=1 y=2 w=30 size=9 shrink=6.5 lines=2 text=\"{name}\"\n"
		"table x=1 y=9 w=50 h=20 label_w=9 size=6.3 shrink\n"
		"row label=\"Nama\" text=\"{name}\" bold lines=3\n"
		"row label=\"Alamat\" text=\"{address}\" shrink=4.2\n";
	struct layout lay;
	struct buf err = BUF_INIT;
	int rc = layout_parse(&lay, "f.layout", text, strlen(text), &err);
	if (rc)
		fail_msg("%s", err.data);
	const struct layout_el *e = lay.el;
	assert_true(e[1].flags & LF_SHRINK);
	assert_true(fabs(e[1].num[LN_SHRINK] - 6.5) < 1e-9);
	assert_true(fabs(e[1].num[LN_LINES] - 2) < 1e-9);
	assert_true(e[2].flags & LF_SHRINK);
	assert_true(isnan(e[2].num[LN_SHRINK]));
	assert_false(e[3].flags & LF_SHRINK);
	assert_true(fabs(e[3].num[LN_LINES] - 3) < 1e-9);
	assert_true(e[4].flags & LF_SHRINK);
	assert_true(fabs(e[4].num[LN_SHRINK] - 4.2) < 1e-9);
	layout_release(&lay);
	buf_release(&err);
}

/*
 * Bytes a layout must not hold, each refused with its line, whatever
 * follows. A NUL once ended the file without a word: a signed letter
 * came out with no table, QR code or signature.
 */
static const char tail[] =
	"table x=25 y=80 w=160 label_w=45\n"
	"row label=\"Nama\" text=\"{name}\"\n"
	"qr x=20 y=230 size=32 data=\"{qr}\"\n";

#define L(s) s, sizeof(s) - 1 /* a literal with its NULs */

static void test_bad_bytes(void **state)
{
	(void)state;
	static const struct {
		const char *line; /* the bad third line, with its '\n' */
		size_t len;
		const char *word;
	} bad[] = {
		{ L("text x=1 y=2 text=\"a\0b\"\n"), "NUL" },
		{ L("\0\n"), "NUL" },
		{ L("text x=1 y=2 text=\"\xff\xfe\"\n"), "0xFF" },
		{ L("text x=1 y=2 text=\"\xc3\"\n"), "UTF-8" },
		{ L("text x=1 y=2 text=\"\xed\xa0\x80\"\n"), "UTF-8" },
		{ L("text x=1 y=2 text=\"\x1b[31m\"\n"), "U+001B" },
		{ L("text x=1 y=2 text=\"\xc2\x85\"\n"), "U+0085" },
		{ L("text x=1 y=2 text=\"\x7f\"\n"), "U+007F" },
		{ L("text x=1 y=2\rtext=\"a\"\n"), "CR" },
		{ L("qr x=1 y=2 size=3 data=\"{qr}\" \\\n"), "table" },
		{ L("ttext x=1 y=2 text=\"a\"\n"), "ttext" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct buf file = BUF_INIT, err = BUF_INIT;
		struct layout lay;
		assert_int_equal(buf_adds(&file, "page paper=A4\n# ok\n"), 0);
		assert_int_equal(buf_add(&file, bad[i].line, bad[i].len), 0);
		assert_int_equal(buf_adds(&file, tail), 0);
		int rc = layout_parse(&lay, "b.layout", file.data, file.len,
				      &err);
		if (rc != TB_EINVAL || strncmp(err.data, "b.layout:3:", 11) ||
		    !strstr(err.data, bad[i].word))
			fail_msg("case %zu: rc %d, message '%s'", i, rc,
				 err.data);
		layout_release(&lay);
		buf_release(&file);
		buf_release(&err);
	}
}

/* CRLF line ends, tabs and UTF-8 text are understood. */
static void test_crlf_utf8(void **state)
{
	(void)state;
	static const char text[] =
		"page paper=ID1\r\n"
		"text\tx=1 y=2 w=30 text=\"Jaminan \xc2\xb7 Kesehatan\" \\\r\n"
		"  size=5\r\n"
		"rule x=1 y=9 w=3\r\n";
	struct layout lay;
	struct buf err = BUF_INIT;
	int rc = layout_parse(&lay, "c.layout", text, strlen(text), &err);
	if (rc)
		fail_msg("%s", err.data);
	assert_int_equal(lay.n, 3);
	assert_string_equal(lay.el[1].str[LS_TEXT],
			    "Jaminan \xc2\xb7 Kesehatan");
	assert_true(fabs(lay.el[1].num[LN_SIZE] - 5) < 1e-9);
	assert_int_equal(lay.el[2].line, 4);
	layout_release(&lay);
	buf_release(&err);
}

static void test_broken(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(broken); i++) {
		struct layout lay;
		struct buf err = BUF_INIT;
		int rc = layout_parse(&lay, "b.layout", broken[i].text,
				      strlen(broken[i].text), &err);
		if (rc != TB_EINVAL || strncmp(err.data, broken[i].where,
					       strlen(broken[i].where)) != 0 ||
		    !strstr(err.data, broken[i].word))
			fail_msg("case %zu: rc %d, message '%s'", i, rc,
				 err.data);
		layout_release(&lay);
		buf_release(&err);
	}
}

static void test_shipped(void **state)
{
	(void)state;
	static const char *const files[] = {
		"layouts/spm_letter.layout", "layouts/kis_card_front.layout",
		"layouts/kis_card_back.layout",
	};
	for (size_t i = 0; i < 3; i++) {
		struct layout lay;
		struct buf err = BUF_INIT;
		int rc = layout_load(&lay, files[i], &err);
		if (rc)
			fail_msg("%s: %s", files[i], err.data);
		assert_true(lay.n > 5);
		layout_release(&lay);
		buf_release(&err);
	}
	/* the letter's image was read */
	struct layout lay;
	assert_int_equal(layout_load(&lay, files[0], NULL), 0);
	int images = 0;
	for (size_t i = 0; i < lay.n; i++)
		if (lay.el[i].kind == LAYOUT_IMAGE) {
			images++;
			assert_true(lay.el[i].image.len > 100);
		}
	assert_int_equal(images, 1);
	layout_release(&lay);
}

static void test_missing_image(void **state)
{
	(void)state;
	/* an image that is not there fails at load, not at render */
	struct layout lay;
	struct buf err = BUF_INIT;
	assert_int_equal(layout_parse(&lay, "x", "page paper=A4\n", 14, NULL), 0);
	layout_release(&lay);
	int rc = layout_load(&lay, "layouts/no-such.layout", &err);
	assert_true(rc < 0);
	layout_release(&lay);
	buf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_kind),
		cmocka_unit_test(test_card_page),
		cmocka_unit_test(test_broken),
		cmocka_unit_test(test_bad_bytes),
		cmocka_unit_test(test_fit_attrs),
		cmocka_unit_test(test_crlf_utf8),
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_missing_image),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
