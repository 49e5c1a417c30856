/*
 * The dashboard's pieces made by code: the inline SVG charts escape
 * every label by construction (a region or reason holding markup comes
 * out as text), and waiting times read the way docs/ui says.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/fmt.h"
#include "web/svg.h"

static const char evil[] = "<script>alert(\"x\")</script> & 'Genteng'";

static void no_raw_markup(const char *svg)
{
	assert_null(strstr(svg, "<script"));
	assert_null(strstr(svg, "\"x\""));
	assert_null(strstr(svg, "'Genteng'"));
	assert_non_null(strstr(svg, "&lt;script&gt;alert(&quot;x&quot;)"
				    "&lt;/script&gt; &amp; &#39;Genteng&#39;"));
}

static void test_bars_escape(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	const char *cat[2] = { evil, "Kalibaru" };
	const struct svg_series ser[2] = { { evil, 0 }, { "Diajukan", 1 } };
	const int val[4] = { 3, 1, 0, 2 };
	assert_int_equal(svg_bars(&b, "g\"1", evil, cat, 2, ser, 2, val), 0);
	no_raw_markup(b.data);
	/* the id too, in its attribute */
	assert_non_null(strstr(b.data, "aria-labelledby=\"g&quot;1-t\""));
	assert_non_null(strstr(b.data, "role=\"img\""));
	assert_non_null(strstr(b.data, "<title id="));
	/* totals at the bars' ends */
	assert_non_null(strstr(b.data, ">4</text>"));
	buf_release(&b);
}

static void test_lines_escape(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	const char *lab[3] = { evil, "2 Jan", evil };
	const struct svg_series ser[2] = { { evil, 9 }, { "Kartu", 10 } };
	const int val[6] = { 0, 5, 1, 2, 0, 3 };
	assert_int_equal(svg_lines(&b, "t", evil, lab, 3, ser, 2, val), 0);
	no_raw_markup(b.data);
	/* the second series differs by its dash, not by colour alone */
	assert_non_null(strstr(b.data, "ln k10 d1"));
	buf_release(&b);
}

/* The coordinates: tenths rounded to the nearest, no ".0", negative
 * lengths with their sign. One bar of 1 + 2 over the 266 units of the
 * bar area that starts at x 158: segments of 88.67 and 177.33. */
static void test_bars_coordinates(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	const char *cat[1] = { "Genteng" };
	const struct svg_series ser[2] = { { "Diajukan", 0 },
					   { "Disetujui", 1 } };
	const int val[2] = { 1, 2 };
	assert_int_equal(svg_bars(&b, "g", "t", cat, 1, ser, 2, val), 0);
	assert_non_null(strstr(b.data, "<text x=\"428\" y=\"41\">3</text>"));
	assert_non_null(strstr(b.data, "d=\"M158 28h88.7v16h-88.7z\""));
	assert_non_null(strstr(b.data, "d=\"M246.7 28h177.3v16h-177.3z\""));
	buf_release(&b);
}

static void dur(int64_t s, const char *want)
{
	struct buf b = BUF_INIT;
	assert_int_equal(fmt_duration_id(&b, s), 0);
	assert_string_equal(b.data, want);
	buf_release(&b);
}

static void test_durations(void **state)
{
	(void)state;
	dur(-5, "kurang dari 1 menit");
	dur(59, "kurang dari 1 menit");
	dur(60, "1 menit");
	dur(3 * 3600, "3 jam");
	dur(5 * 3600 + 59 * 60 + 59, "5 jam 59 menit"); /* never "6 jam" */
	dur(30 * 3600 + 1800, "30 jam");
	dur(2 * 86400, "2 hari");
	dur(2 * 86400 + 3 * 3600, "2 hari 3 jam");
	dur(12 * 86400 + 3 * 3600, "12 hari");
	assert_int_equal(fmt_axis_max(0), 1);
	assert_int_equal(fmt_axis_max(7), 10);
	assert_int_equal(fmt_axis_max(11), 20);
	assert_int_equal(fmt_axis_max(301), 500);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bars_escape),
		cmocka_unit_test(test_lines_escape),
		cmocka_unit_test(test_bars_coordinates),
		cmocka_unit_test(test_durations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
