/*
 * Workflow: every allowed move made by its role, and a sample of the
 * forbidden ones (wrong role, wrong region, missing requirement, from a
 * final state, skipping a stage), each with the code the header promises.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"
#include "core/str.h"
#include "workflow/workflow.h"

#define VILLAGE "3510052001"
#define KEC "351005"

static void assert_has(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("'%s' not in '%s'", needle, hay);
}

/* An actor of role whose region covers VILLAGE, with every requirement
 * present. Tests take one thing away at a time. */
static struct wf_ctx ctx_for(enum role role)
{
	struct wf_ctx c = {
		.role = role,
		.actor_region = role == ROLE_DESA ? VILLAGE :
				role == ROLE_KECAMATAN ? KEC : "",
		.case_village = VILLAGE,
		.has_rujukan = 1,
		.has_verifikasi = 1,
		.survey_complete = 1,
		.eligible = 1,
		.note = "Lengkapi foto rumah",
	};
	return c;
}

/* The process as the regency runs it, written out once more so that a
 * change to the table has to be made twice, on purpose. */
static const struct {
	enum case_state from, to;
	enum role role;
} allowed[] = {
	{ ST_DRAFT, ST_SUBMITTED, ROLE_DESA },
	{ ST_SUBMITTED, ST_HEALTH_CHECKED, ROLE_DINKES },
	{ ST_SUBMITTED, ST_RETURNED, ROLE_DINKES },
	{ ST_SUBMITTED, ST_REJECTED, ROLE_DINKES },
	{ ST_HEALTH_CHECKED, ST_SURVEYED, ROLE_DESA },
	{ ST_SURVEYED, ST_RECOMMENDED, ROLE_KECAMATAN },
	{ ST_SURVEYED, ST_RETURNED, ROLE_KECAMATAN },
	{ ST_SURVEYED, ST_REJECTED, ROLE_KECAMATAN },
	{ ST_RECOMMENDED, ST_VERIFIED, ROLE_DESA },
	{ ST_VERIFIED, ST_APPROVED, ROLE_DINSOS },
	{ ST_VERIFIED, ST_RETURNED, ROLE_DINSOS },
	{ ST_VERIFIED, ST_REJECTED, ROLE_DINSOS },
	{ ST_RETURNED, ST_SUBMITTED, ROLE_DESA },
};
#define NALLOWED (ARRAY_SIZE(allowed))

static int is_allowed(enum case_state from, enum case_state to, enum role r)
{
	for (size_t i = 0; i < NALLOWED; i++)
		if (allowed[i].from == from && allowed[i].to == to && allowed[i].role == r)
			return 1;
	return 0;
}

static void every_allowed_move(void **state)
{
	(void)state;
	struct buf err = BUF_INIT;
	assert_int_equal(wf_table_len, NALLOWED);
	for (size_t i = 0; i < NALLOWED; i++) {
		struct wf_ctx c = ctx_for(allowed[i].role);
		int rc = wf_check(allowed[i].from, allowed[i].to, &c, &err);
		if (rc)
			fail_msg("%s -> %s by %s: %d %s", state_name(allowed[i].from),
				 state_name(allowed[i].to), role_name(allowed[i].role), rc,
				 err.data);
	}
	buf_release(&err);
}

/* Every (from, to, role) triple not in the list is refused, and with the
 * right code: no such move at all -> TB_ECONFLICT, else TB_EPERM. */
static void everything_else_refused(void **state)
{
	(void)state;
	struct buf err = BUF_INIT;
	for (int from = 0; from < ST__COUNT; from++)
		for (int to = 0; to < ST__COUNT; to++)
			for (int r = 0; r < ROLE__COUNT; r++) {
				if (is_allowed(from, to, r))
					continue;
				int any = 0;
				for (int k = 0; k < ROLE__COUNT; k++)
					any |= is_allowed(from, to, k);
				struct wf_ctx c = ctx_for(r);
				int rc = wf_check(from, to, &c, &err);
				int want = any ? TB_EPERM : TB_ECONFLICT;
				if (rc != want)
					fail_msg("%s -> %s by %s: %d, want %d", state_name(from),
						 state_name(to), role_name(r), rc, want);
			}
	buf_release(&err);
}

static void wrong_role(void **state)
{
	(void)state;
	struct buf err = BUF_INIT;
	struct wf_ctx c = ctx_for(ROLE_DINKES);
	assert_int_equal(wf_check(ST_DRAFT, ST_SUBMITTED, &c, &err), TB_EPERM);
	assert_has(err.data, "Hanya Operator Desa");
	c = ctx_for(ROLE_DESA);
	assert_int_equal(wf_check(ST_VERIFIED, ST_APPROVED, &c, &err), TB_EPERM);
	assert_has(err.data, "Hanya Dinas Sosial");
	/* The village cannot review its own case. */
	assert_int_equal(wf_check(ST_SUBMITTED, ST_RETURNED, &c, &err), TB_EPERM);
	/* A reviewer only at the stage they review. */
	c = ctx_for(ROLE_DINKES);
	assert_int_equal(wf_check(ST_VERIFIED, ST_REJECTED, &c, &err), TB_EPERM);
	c = ctx_for(ROLE_FASKES);
	assert_int_equal(wf_check(ST_SUBMITTED, ST_HEALTH_CHECKED, &c, &err), TB_EPERM);
	c = ctx_for(ROLE_ADMIN);
	assert_int_equal(wf_check(ST_VERIFIED, ST_APPROVED, &c, &err), TB_EPERM);
	buf_release(&err);
}

static void wrong_region(void **state)
{
	(void)state;
	struct buf err = BUF_INIT;
	struct wf_ctx c = ctx_for(ROLE_DESA);
	c.actor_region = "3510052002";
	assert_int_equal(wf_check(ST_DRAFT, ST_SUBMITTED, &c, &err), TB_EPERM);
	assert_has(err.data, "di luar wilayah kerja");
	c.actor_region = KEC; /* a desa operator with a kecamatan scope */
	assert_int_equal(wf_check(ST_DRAFT, ST_SUBMITTED, &c, &err), TB_EPERM);
	c = ctx_for(ROLE_KECAMATAN);
	c.actor_region = "351006";
	assert_int_equal(wf_check(ST_SURVEYED, ST_RECOMMENDED, &c, &err), TB_EPERM);
	c = ctx_for(ROLE_DINSOS);
	c.case_village = "3515032004"; /* not a village of the regency */
	c.actor_region = "3510";
	assert_int_equal(wf_check(ST_VERIFIED, ST_APPROVED, &c, &err), TB_EPERM);
	c.actor_region = ""; /* regency-wide without a prefix: any case */
	assert_int_equal(wf_check(ST_VERIFIED, ST_APPROVED, &c, &err), 0);
	buf_release(&err);
}

static void missing_requirements(void **state)
{
	(void)state;
	struct buf err = BUF_INIT;
	struct wf_ctx c = ctx_for(ROLE_DESA);
	c.has_rujukan = 0;
	assert_int_equal(wf_check(ST_DRAFT, ST_SUBMITTED, &c, &err), TB_EREFUSED);
	assert_string_equal(err.data,
			    "Kasus hanya dapat diajukan bila surat rujukan sudah dilampirkan");
	assert_int_equal(wf_check(ST_RETURNED, ST_SUBMITTED, &c, &err), TB_EREFUSED);

	c = ctx_for(ROLE_DESA);
	c.survey_complete = 0;
	assert_int_equal(wf_check(ST_HEALTH_CHECKED, ST_SURVEYED, &c, &err), TB_EREFUSED);
	assert_has(err.data, "Survei belum lengkap");
	c.role = ROLE_KECAMATAN;
	c.actor_region = KEC;
	assert_int_equal(wf_check(ST_SURVEYED, ST_RECOMMENDED, &c, &err), TB_EREFUSED);
	assert_has(err.data, "Survei belum lengkap");

	c = ctx_for(ROLE_DESA);
	c.has_verifikasi = 0;
	assert_int_equal(wf_check(ST_RECOMMENDED, ST_VERIFIED, &c, &err), TB_EREFUSED);
	assert_has(err.data, "Hasil verifikasi harus dilampirkan");

	c = ctx_for(ROLE_DINSOS);
	c.eligible = 0;
	assert_int_equal(wf_check(ST_VERIFIED, ST_APPROVED, &c, &err), TB_EREFUSED);
	assert_has(err.data, "tidak memenuhi syarat");
	/* Returning or rejecting an ineligible case is exactly what to do. */
	assert_int_equal(wf_check(ST_VERIFIED, ST_REJECTED, &c, &err), 0);

	static const char *const blank[] = { NULL, "", "  \t\n" };
	for (size_t i = 0; i < 3; i++) {
		c = ctx_for(ROLE_DINSOS);
		c.note = blank[i];
		assert_int_equal(wf_check(ST_VERIFIED, ST_RETURNED, &c, &err), TB_EREFUSED);
		assert_has(err.data, "Catatan pengembalian wajib diisi");
		assert_int_equal(wf_check(ST_VERIFIED, ST_REJECTED, &c, &err), TB_EREFUSED);
		assert_has(err.data, "Alasan penolakan wajib diisi");
	}
	/* A note is not needed to move forward. */
	c = ctx_for(ROLE_DINKES);
	c.note = NULL;
	assert_int_equal(wf_check(ST_SUBMITTED, ST_HEALTH_CHECKED, &c, &err), 0);
	buf_release(&err);
}

static void finals_and_skips(void **state)
{
	(void)state;
	struct buf err = BUF_INIT;
	struct wf_ctx c = ctx_for(ROLE_DINSOS);
	assert_int_equal(wf_check(ST_APPROVED, ST_RETURNED, &c, &err), TB_ECONFLICT);
	assert_has(err.data, "status akhir (Disetujui)");
	assert_int_equal(wf_check(ST_REJECTED, ST_VERIFIED, &c, &err), TB_ECONFLICT);
	assert_has(err.data, "status akhir (Ditolak)");
	c = ctx_for(ROLE_DESA);
	assert_int_equal(wf_check(ST_REJECTED, ST_SUBMITTED, &c, &err), TB_ECONFLICT);
	/* Skipping stages. */
	assert_int_equal(wf_check(ST_DRAFT, ST_SURVEYED, &c, &err), TB_ECONFLICT);
	assert_has(err.data, "Kasus berstatus Draf tidak dapat dipindah ke Disurvei");
	assert_int_equal(wf_check(ST_SUBMITTED, ST_SURVEYED, &c, &err), TB_ECONFLICT);
	c = ctx_for(ROLE_DINSOS);
	assert_int_equal(wf_check(ST_RECOMMENDED, ST_APPROVED, &c, &err), TB_ECONFLICT);
	assert_int_equal(wf_check(ST_DRAFT, ST_APPROVED, &c, &err), TB_ECONFLICT);
	/* Nobody rejects a draft; a returned case is not rejected either. */
	assert_int_equal(wf_check(ST_DRAFT, ST_REJECTED, &c, &err), TB_ECONFLICT);
	assert_int_equal(wf_check(ST_RETURNED, ST_REJECTED, &c, &err), TB_ECONFLICT);
	/* Staying put is not a move. */
	assert_int_equal(wf_check(ST_VERIFIED, ST_VERIFIED, &c, &err), TB_ECONFLICT);
	/* Out of range. */
	assert_int_equal(wf_check(ST__COUNT, ST_DRAFT, &c, &err), TB_EINVAL);
	assert_int_equal(wf_check(ST_DRAFT, ST_SUBMITTED, NULL, &err), TB_EINVAL);
	assert_true(wf_is_final(ST_APPROVED));
	assert_true(wf_is_final(ST_REJECTED));
	assert_false(wf_is_final(ST_RETURNED));
	buf_release(&err);
}

static void a_whole_case(void **state)
{
	(void)state;
	/* draft -> submitted -> returned -> submitted -> ... -> approved */
	static const struct {
		enum case_state to;
		enum role by;
	} path[] = {
		{ ST_SUBMITTED, ROLE_DESA },	  { ST_RETURNED, ROLE_DINKES },
		{ ST_SUBMITTED, ROLE_DESA },	  { ST_HEALTH_CHECKED, ROLE_DINKES },
		{ ST_SURVEYED, ROLE_DESA },	  { ST_RECOMMENDED, ROLE_KECAMATAN },
		{ ST_VERIFIED, ROLE_DESA },	  { ST_APPROVED, ROLE_DINSOS },
	};
	enum case_state s = ST_DRAFT;
	for (size_t i = 0; i < ARRAY_SIZE(path); i++) {
		struct wf_ctx c = ctx_for(path[i].by);
		assert_int_equal(wf_check(s, path[i].to, &c, NULL), 0);
		s = path[i].to;
	}
	assert_true(wf_is_final(s));
}

static void visibility(void **state)
{
	(void)state;
	assert_true(wf_can_see(ROLE_DESA, VILLAGE, VILLAGE));
	assert_false(wf_can_see(ROLE_DESA, "3510052002", VILLAGE));
	assert_false(wf_can_see(ROLE_DESA, KEC, VILLAGE));
	assert_false(wf_can_see(ROLE_DESA, "", VILLAGE));
	assert_true(wf_can_see(ROLE_KECAMATAN, KEC, VILLAGE));
	assert_true(wf_can_see(ROLE_KECAMATAN, KEC, "3510051001"));
	assert_false(wf_can_see(ROLE_KECAMATAN, "351006", VILLAGE));
	assert_false(wf_can_see(ROLE_KECAMATAN, "", VILLAGE));
	assert_false(wf_can_see(ROLE_KECAMATAN, VILLAGE, VILLAGE));
	assert_true(wf_can_see(ROLE_DINKES, "", VILLAGE));
	assert_true(wf_can_see(ROLE_DINSOS, "", "3515032004"));
	assert_true(wf_can_see(ROLE_DINSOS, "3510", VILLAGE));
	assert_false(wf_can_see(ROLE_DINSOS, "3510", "3515032004"));
	assert_false(wf_can_see(ROLE_FASKES, "", VILLAGE));
	assert_false(wf_can_see(ROLE_ADMIN, "", VILLAGE));
	/* Malformed input never widens a scope. */
	assert_false(wf_can_see(ROLE_DESA, VILLAGE, "35.10.05.2001"));
	assert_false(wf_can_see(ROLE_DINSOS, "", "351005200"));
	assert_false(wf_can_see(ROLE_DINSOS, NULL, VILLAGE));
	assert_false(wf_can_see(ROLE_DINSOS, "", NULL));
	assert_false(wf_can_see(ROLE_KECAMATAN, "35100x", "35100x2001"));
}

/* wf_scope is the prefix form of wf_can_see: same answer for every
 * role and region against villages inside and outside. */
static void scope_prefix(void **state)
{
	(void)state;
	static const char *const regions[] = {
		VILLAGE, "3510052002", KEC, "351006", "", "3510", "3515",
		"35100x", "35.10.05",
	};
	static const char *const villages[] = {
		VILLAGE, "3510051001", "3510062001", "3515032004",
	};
	char p[11];
	for (int r = 0; r < ROLE__COUNT; r++)
		for (size_t i = 0; i < ARRAY_SIZE(regions); i++) {
			int ok = wf_scope((enum role)r, regions[i], p);
			for (size_t v = 0; v < ARRAY_SIZE(villages); v++)
				assert_int_equal(
					wf_can_see((enum role)r, regions[i], villages[v]),
					ok && !strncmp(p, villages[v], strlen(p)));
		}
	assert_int_equal(wf_scope(ROLE_DESA, VILLAGE, p), 1);
	assert_string_equal(p, VILLAGE);
	assert_int_equal(wf_scope(ROLE_DINSOS, "", p), 1);
	assert_string_equal(p, "");
	assert_int_equal(wf_scope(ROLE_ADMIN, "", p), 0);
	assert_int_equal(wf_scope(ROLE_KECAMATAN, NULL, p), 0);
}

static void names_and_labels(void **state)
{
	(void)state;
	static const char *const snames[ST__COUNT] = {
		"draft", "submitted", "health_checked", "surveyed", "recommended",
		"verified", "approved", "returned", "rejected",
	};
	for (int s = 0; s < ST__COUNT; s++) {
		assert_string_equal(state_name(s), snames[s]);
		assert_int_equal(state_parse(snames[s]), s);
		assert_string_not_equal(state_label(s), "?");
	}
	static const char *const rnames[ROLE__COUNT] = {
		"desa", "dinkes", "kecamatan", "dinsos", "faskes", "admin",
	};
	for (int r = 0; r < ROLE__COUNT; r++) {
		assert_string_equal(role_name(r), rnames[r]);
		assert_int_equal(role_parse(rnames[r]), r);
		assert_string_not_equal(role_label(r), "?");
	}
	assert_string_equal(state_label(ST_SUBMITTED), "Diajukan");
	assert_string_equal(state_label(ST_APPROVED), "Disetujui");
	assert_string_equal(state_label(ST_REJECTED), "Ditolak");
	assert_int_equal(state_parse("Approved"), TB_EINVAL);
	assert_int_equal(state_parse(NULL), TB_EINVAL);
	assert_int_equal(role_parse("superuser"), TB_EINVAL);
	assert_string_equal(state_name(ST__COUNT), "?");
	assert_string_equal(role_name(ROLE__COUNT), "?");
}

static void next_moves(void **state)
{
	(void)state;
	enum case_state out[8];
	assert_int_equal(wf_next(ST_VERIFIED, ROLE_DINSOS, out, 8), 3);
	assert_int_equal(out[0], ST_APPROVED);
	assert_int_equal(out[1], ST_RETURNED);
	assert_int_equal(out[2], ST_REJECTED);
	assert_int_equal(wf_next(ST_VERIFIED, ROLE_DINSOS, out, 1), 3);
	assert_int_equal(wf_next(ST_DRAFT, ROLE_DESA, out, 8), 1);
	assert_int_equal(out[0], ST_SUBMITTED);
	assert_int_equal(wf_next(ST_DRAFT, ROLE_DINKES, out, 8), 0);
	assert_int_equal(wf_next(ST_APPROVED, ROLE_DINSOS, out, 8), 0);
	assert_int_equal(wf_next(ST_SUBMITTED, ROLE_ADMIN, out, 8), 0);

	const struct wf_transition *t = wf_find(ST_VERIFIED, ST_APPROVED);
	assert_non_null(t);
	assert_int_equal(t->roles, 1u << ROLE_DINSOS);
	assert_int_equal(t->requires, WF_NEED_ELIGIBLE);
	assert_int_equal(wf_find(ST_DRAFT, ST_SUBMITTED)->requires, WF_NEED_RUJUKAN);
	assert_null(wf_find(ST_DRAFT, ST_APPROVED));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_allowed_move),
		cmocka_unit_test(everything_else_refused),
		cmocka_unit_test(wrong_role),
		cmocka_unit_test(wrong_region),
		cmocka_unit_test(missing_requirements),
		cmocka_unit_test(finals_and_skips),
		cmocka_unit_test(a_whole_case),
		cmocka_unit_test(visibility),
		cmocka_unit_test(scope_prefix),
		cmocka_unit_test(names_and_labels),
		cmocka_unit_test(next_moves),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
