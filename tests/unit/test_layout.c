/* Layout parser: every element kind, the shipped layouts, and broken
 * files that must fail with the right line number. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"
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
	int rc = layout_parse(&lay, "t.layout", every_kind, &err);
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
	assert_int_equal(layout_parse(&lay, "c", "page paper=ID1\n", NULL), 0);
	assert_true(fabs(lay.page_w - 85.60) < 1e-9);
	assert_true(fabs(lay.page_h - 53.98) < 1e-9);
	layout_release(&lay);
	assert_int_equal(layout_parse(&lay, "c", "page w=100 h=50\n", NULL), 0);
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
};

static void test_broken(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		struct layout lay;
		struct buf err = BUF_INIT;
		int rc = layout_parse(&lay, "b.layout", broken[i].text, &err);
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
	assert_int_equal(layout_parse(&lay, "x", "page paper=A4\n", NULL), 0);
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
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_missing_image),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
