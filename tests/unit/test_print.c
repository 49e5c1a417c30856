/*
 * The print module without a scheduler: the state names the registry
 * stores and their Indonesian words, which states end a job, CUPS's
 * reasons for people, and a scheduler that does not answer (an error
 * naming it, no job id). tests/print_cups.sh drives a real cupsd.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"
#include "print/print.h"

static void states(void **state)
{
	(void)state;
	static const int all[] = { PRINT_PENDING, PRINT_HELD,
				   PRINT_PROCESSING, PRINT_STOPPED,
				   PRINT_CANCELED, PRINT_ABORTED,
				   PRINT_COMPLETED };
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
		assert_int_equal(print_state_parse(print_state_name(all[i])),
				 all[i]);
		assert_string_not_equal(print_state_word(all[i]),
					"tidak diketahui");
		assert_int_equal(print_state_final(all[i]),
				 all[i] >= PRINT_CANCELED);
	}
	assert_string_equal(print_state_name(PRINT_CANCELED), "cancelled");
	assert_string_equal(print_state_word(PRINT_COMPLETED), "selesai");
	assert_string_equal(print_state_name(42), "unknown");
	assert_int_equal(print_state_parse("canceled"), 0);
	assert_int_equal(print_state_parse(NULL), 0);
}

static void reasons(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	assert_int_equal(print_reasons_text("none", PRINT_PENDING, &b), 0);
	assert_string_equal(b.data, "");
	assert_int_equal(print_reasons_text("job-printing,job-completed-"
					    "successfully,processing-to-stop-"
					    "point", PRINT_COMPLETED, &b), 0);
	assert_string_equal(b.data, "");
	assert_int_equal(print_reasons_text("processing-to-stop-point,"
					    "job-canceled-by-user",
					    PRINT_CANCELED, &b), 0);
	assert_string_equal(b.data, "dihentikan sebelum selesai "
				    "(processing-to-stop-point); dibatalkan "
				    "oleh pengguna (job-canceled-by-user)");
	buf_reset(&b);
	/* an unknown keyword comes through as CUPS said it */
	assert_int_equal(print_reasons_text("media-jam,none", PRINT_STOPPED,
					    &b), 0);
	assert_string_equal(b.data, "media-jam");
	buf_release(&b);
}

static void no_scheduler(void **state)
{
	(void)state;
	struct buf err = BUF_INIT;
	struct print_dest *d = NULL, one;
	struct print_job j;
	size_t n = 7;
	setenv("CUPS_SERVER", "/nonexistent/terbit/cups.sock", 1);
	assert_int_equal(print_dests(&d, &n, &err), TB_EIO);
	assert_null(d);
	assert_int_equal(n, 0);
	assert_non_null(strstr(err.data, "/nonexistent/terbit/cups.sock"));
	assert_int_equal(print_dest_get("kantor", &one, &err), TB_EIO);
	assert_int_equal(print_job_get(1, &j, &err), TB_EIO);
	struct print_opts o = { .media = "iso_a4_210x297mm", .copies = 1,
				.title = "0123456789ABCDEF" };
	int id = 5;
	assert_int_equal(print_submit(&one, &o, "%PDF", 4, &id, &err), TB_EIO);
	assert_int_equal(id, 0);
	o.copies = PRINT_COPIES_MAX + 1;
	assert_int_equal(print_submit(&one, &o, "%PDF", 4, &id, &err),
			 TB_EINVAL);
	buf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(states),
		cmocka_unit_test(reasons),
		cmocka_unit_test(no_scheduler),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
