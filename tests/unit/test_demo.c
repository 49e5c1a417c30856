/*
 * demo: the synthetic data is deterministic, fills a fresh database only,
 * and reaches every workflow state through the real operations.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"
#include "demo/demo.h"

static int count_case(const struct store_case *c, void *arg)
{
	(void)c;
	++*(int *)arg;
	return 0;
}

static void csv_is_deterministic(void **state)
{
	struct buf r1 = BUF_INIT, r2 = BUF_INIT, p1 = BUF_INIT, p2 = BUF_INIT,
		   err = BUF_INIT;
	(void)state;
	assert_int_equal(demo_csv(300, 7, &r1, &p1, &err), 0);
	assert_int_equal(demo_csv(300, 7, &r2, &p2, &err), 0);
	assert_string_equal(r1.data, r2.data);
	assert_string_equal(p1.data, p2.data);
	buf_reset(&r2);
	buf_reset(&p2);
	assert_int_equal(demo_csv(300, 8, &r2, &p2, &err), 0);
	assert_string_not_equal(r1.data, r2.data);
	assert_int_equal(demo_csv(DEMO_MAX + 1, 7, &r2, &p2, &err), TB_EINVAL);
	buf_release(&r1);
	buf_release(&r2);
	buf_release(&p1);
	buf_release(&p2);
	buf_release(&err);
}

static void populate_reaches_every_stage(void **state)
{
	char dir[64], cmd[96];
	struct store *s = NULL;
	struct policy *p = NULL;
	struct buf err = BUF_INIT, regions = BUF_INIT, tokens = BUF_INIT;
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/terbit-demo.XXXXXX");
	assert_non_null(mkdtemp(dir));
	if (store_open(dir, &s, &err) ||
	    policy_load("policy/banyuwangi.policy", &p, &err) ||
	    buf_read_file(&regions, "regions/3510.csv", 0, &err))
		fail_msg("%s", err.data);
	/* Without regions there is nowhere to put anyone. */
	assert_int_equal(demo_populate(s, p, 600, 1, &tokens, &err), TB_EINVAL);
	assert_int_equal(cases_regions_import(s, regions.data, regions.len,
					      "3510.csv", &err), 108);
	assert_int_equal(demo_populate(s, p, 600, 1, &tokens, &err), 0);
	for (int st = 0; st < ST__COUNT; st++) {
		int n = 0;
		struct store_case_filter flt = { .state = state_name(st) };
		assert_int_equal(cases_list(s, NULL, &flt, count_case, &n, &err),
				 0);
		if (n == 0)
			fail_msg("no demo case in state %s", state_name(st));
	}
	assert_non_null(strstr(tokens.data, "dinsos\tdinsos\t"));
	/* Only on a fresh database. */
	assert_int_equal(demo_populate(s, p, 600, 1, &tokens, &err),
			 TB_ECONFLICT);
	store_close(s);
	policy_free(p);
	buf_release(&err);
	buf_release(&regions);
	buf_release(&tokens);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(csv_is_deterministic),
		cmocka_unit_test(populate_reaches_every_stage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
