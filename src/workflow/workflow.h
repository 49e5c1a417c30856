#ifndef TERBIT_WORKFLOW_H
#define TERBIT_WORKFLOW_H
/*
 * workflow: the case state machine as one table (from, to, roles allowed,
 * what must be present) and the scope rule (who may see which case).
 * Pure: no I/O and no clock. The caller gathers the facts (struct wf_ctx)
 * and the table says yes or no with an Indonesian reason; docs/workflow.md
 * draws the table.
 *
 * Names cross the boundary as text ("desa", "health_checked") only through
 * the *_name / *_parse pairs below; everything else uses the enums.
 */
#include <stddef.h>

#include "core/buf.h"

enum role {
	ROLE_DESA,      /* village operator, scope: one village (10 digits) */
	ROLE_DINKES,    /* health office, regency-wide */
	ROLE_KECAMATAN, /* district officer, scope: one kecamatan (6 digits) */
	ROLE_DINSOS,    /* social office, regency-wide */
	ROLE_FASKES,    /* health facility: verification only */
	ROLE_ADMIN,     /* users, keys, policy; no case moves */
	ROLE__COUNT
};

enum case_state {
	ST_DRAFT,
	ST_SUBMITTED,
	ST_HEALTH_CHECKED,
	ST_SURVEYED,
	ST_RECOMMENDED,
	ST_VERIFIED,
	ST_APPROVED,
	ST_RETURNED,
	ST_REJECTED,
	ST__COUNT
};

/* ---- names ------------------------------------------------------- */

/* Names as stored and typed: "desa", "draft", "health_checked", ... */
const char *role_name(enum role r);
int role_parse(const char *s);            /* enum role, or TB_EINVAL */
const char *state_name(enum case_state s);
int state_parse(const char *s);           /* enum case_state, or TB_EINVAL */
/* Indonesian labels for people: "Operator Desa"; "Diajukan", "Disetujui". */
const char *role_label(enum role r);
const char *state_label(enum case_state s);

/* ---- scope -------------------------------------------------------- */

/* 1 when an actor of role with scope region (digits, "" for regency-wide
 * roles) may see a case of village (10 digits).
 * desa: region is its 10-digit village, exact match; kecamatan: its
 * 6-digit kecamatan, prefix match; dinkes, dinsos: every case ("" or a
 * 4-digit regency prefix); faskes, admin: no case data (0). Malformed
 * region or village: 0. */
int wf_can_see(enum role role, const char *region, const char *village);

/* ---- moves ------------------------------------------------------- */

struct wf_ctx {
	enum role role;
	const char *actor_region; /* digits; "" for regency-wide roles */
	const char *case_village; /* 10 digits */
	int has_rujukan;          /* referral attachment present */
	int has_verifikasi;       /* verification results attachment present */
	int survey_complete;      /* every active indicator answered */
	int eligible;             /* engine's decision right now */
	const char *note;         /* --note; NULL or "" when none */
};

/*
 * 0 when the move from -> to is in the table for ctx->role, the actor's
 * scope covers the case, and what the row requires is present.
 * TB_ECONFLICT: no such move from this state; TB_EPERM: role or region not
 * allowed; TB_EREFUSED: a requirement is missing (message says which).
 */
int wf_check(enum case_state from, enum case_state to,
	     const struct wf_ctx *ctx, struct buf *err);

/* The table itself, for docs and tests, and lookups in it. */
struct wf_transition {
	enum case_state from, to;
	unsigned roles;     /* bit (1u << role) per allowed role */
	unsigned requires;  /* WF_NEED_* bits */
};
enum {
	WF_NEED_RUJUKAN = 1,
	WF_NEED_SURVEY = 2,
	WF_NEED_VERIFIKASI = 4,
	WF_NEED_ELIGIBLE = 8,
	WF_NEED_NOTE = 16,
};
extern const struct wf_transition wf_table[];
extern const size_t wf_table_len;

/* The table row for from -> to, NULL when there is no such move. */
const struct wf_transition *wf_find(enum case_state from, enum case_state to);
/* 1 for states no move leaves (approved, rejected). */
int wf_is_final(enum case_state s);
/*
 * The states role may move a case out of `from` to (table order, ignoring
 * region and requirements: for showing the possible actions). Writes at
 * most max states into out and returns how many there are.
 */
size_t wf_next(enum case_state from, enum role role, enum case_state *out,
	       size_t max);

#endif
