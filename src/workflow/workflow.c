/*
 * The case state machine. One table says every legal move; wf_check
 * reads it in a fixed order (is there such a move, may this role make it,
 * does the actor's region cover the case, is what the row needs present)
 * so that the same attempt always fails for the same reason.
 */
#include <string.h>

#include "core/err.h"
#include "core/ids.h"
#include "core/str.h"
#include "workflow/workflow.h"

#define R(role) (1u << (role))
#define REVIEW WF_NEED_NOTE

/*
 * The regency's online SPM process. Reviewers (dinkes at submitted,
 * kecamatan at surveyed, dinsos at verified) may send a case back
 * (returned) or end it (rejected), both with a note. The village works on
 * the stages in between and resubmits a returned case, which then goes
 * through the health office again. Nobody rejects a draft: it was never
 * submitted, there is nothing to decide on.
 */
const struct wf_transition wf_table[] = {
	{ ST_DRAFT, ST_SUBMITTED, R(ROLE_DESA), WF_NEED_RUJUKAN },
	{ ST_SUBMITTED, ST_HEALTH_CHECKED, R(ROLE_DINKES), 0 },
	{ ST_SUBMITTED, ST_RETURNED, R(ROLE_DINKES), REVIEW },
	{ ST_SUBMITTED, ST_REJECTED, R(ROLE_DINKES), REVIEW },
	{ ST_HEALTH_CHECKED, ST_SURVEYED, R(ROLE_DESA), WF_NEED_SURVEY },
	/* The kecamatan recommends a complete survey: answers can still be
	 * edited after "surveyed", so the requirement is checked again. */
	{ ST_SURVEYED, ST_RECOMMENDED, R(ROLE_KECAMATAN), WF_NEED_SURVEY },
	{ ST_SURVEYED, ST_RETURNED, R(ROLE_KECAMATAN), REVIEW },
	{ ST_SURVEYED, ST_REJECTED, R(ROLE_KECAMATAN), REVIEW },
	{ ST_RECOMMENDED, ST_VERIFIED, R(ROLE_DESA), WF_NEED_VERIFIKASI },
	{ ST_VERIFIED, ST_APPROVED, R(ROLE_DINSOS), WF_NEED_ELIGIBLE },
	{ ST_VERIFIED, ST_RETURNED, R(ROLE_DINSOS), REVIEW },
	{ ST_VERIFIED, ST_REJECTED, R(ROLE_DINSOS), REVIEW },
	{ ST_RETURNED, ST_SUBMITTED, R(ROLE_DESA), WF_NEED_RUJUKAN },
};
const size_t wf_table_len = ARRAY_SIZE(wf_table);

struct named {
	const char *name, *label;
};

static const struct named roles[ROLE__COUNT] = {
	[ROLE_DESA] = { "desa", "Operator Desa" },
	[ROLE_DINKES] = { "dinkes", "Dinas Kesehatan" },
	[ROLE_KECAMATAN] = { "kecamatan", "Kecamatan" },
	[ROLE_DINSOS] = { "dinsos", "Dinas Sosial" },
	[ROLE_FASKES] = { "faskes", "Fasilitas Kesehatan" },
	[ROLE_ADMIN] = { "admin", "Administrator" },
};

static const struct named states[ST__COUNT] = {
	[ST_DRAFT] = { "draft", "Draf" },
	[ST_SUBMITTED] = { "submitted", "Diajukan" },
	[ST_HEALTH_CHECKED] = { "health_checked", "Diperiksa Dinas Kesehatan" },
	[ST_SURVEYED] = { "surveyed", "Disurvei" },
	[ST_RECOMMENDED] = { "recommended", "Direkomendasikan Kecamatan" },
	[ST_VERIFIED] = { "verified", "Hasil Verifikasi Diunggah" },
	[ST_APPROVED] = { "approved", "Disetujui" },
	[ST_RETURNED] = { "returned", "Dikembalikan" },
	[ST_REJECTED] = { "rejected", "Ditolak" },
};

static const struct named *named_at(const struct named *t, int n, int i)
{
	static const struct named unknown = { "?", "?" };
	return i >= 0 && i < n ? &t[i] : &unknown;
}

static int named_find(const struct named *t, int n, const char *s)
{
	for (int i = 0; s && i < n; i++)
		if (!strcmp(t[i].name, s))
			return i;
	return TB_EINVAL;
}

const char *role_name(enum role r) { return named_at(roles, ROLE__COUNT, r)->name; }
const char *role_label(enum role r) { return named_at(roles, ROLE__COUNT, r)->label; }
int role_parse(const char *s) { return named_find(roles, ROLE__COUNT, s); }
const char *state_name(enum case_state s) { return named_at(states, ST__COUNT, s)->name; }
const char *state_label(enum case_state s) { return named_at(states, ST__COUNT, s)->label; }
int state_parse(const char *s) { return named_find(states, ST__COUNT, s); }

const struct wf_transition *wf_find(enum case_state from, enum case_state to)
{
	for (size_t i = 0; i < wf_table_len; i++)
		if (wf_table[i].from == from && wf_table[i].to == to)
			return &wf_table[i];
	return NULL;
}

int wf_is_final(enum case_state s)
{
	return s == ST_APPROVED || s == ST_REJECTED;
}

int wf_scope(enum role role, const char *region,
	     char prefix[REGION_CODE_MAX + 1])
{
	prefix[0] = 0;
	if (!region)
		return 0;
	switch (role) {
	case ROLE_DESA:
		if (!str_is_digits(region, 10))
			return 0;
		break;
	case ROLE_KECAMATAN:
		if (!str_is_digits(region, 6))
			return 0;
		break;
	case ROLE_DINKES:
	case ROLE_DINSOS:
		if (*region && !str_is_digits(region, 4))
			return 0;
		break;
	default:
		return 0; /* faskes verifies documents, admin runs the system */
	}
	strcpy(prefix, region);
	return 1;
}

/* Defined through wf_scope so that a list filtered in SQL by the prefix
 * and a single case checked here can never disagree. */
int wf_can_see(enum role role, const char *region, const char *village)
{
	char prefix[REGION_CODE_MAX + 1];
	return str_is_digits(village, 10) && wf_scope(role, region, prefix) &&
	       !strncmp(prefix, village, strlen(prefix));
}

size_t wf_next(enum case_state from, enum role role, enum case_state *out,
	       size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < wf_table_len; i++) {
		if (wf_table[i].from != from || !(wf_table[i].roles & R(role)))
			continue;
		if (n < max)
			out[n] = wf_table[i].to;
		n++;
	}
	return n;
}

static int blank(const char *s)
{
	return !s || s[strspn(s, " \t\r\n")] == '\0';
}

/* Names the roles of a row for the "only ... may" message. */
static const char *row_roles(unsigned mask)
{
	for (int r = 0; r < ROLE__COUNT; r++)
		if (mask & R(r))
			return roles[r].label;
	return "?";
}

static int missing(const struct wf_transition *t, const struct wf_ctx *c,
		   struct buf *err)
{
	unsigned need = t->requires;
	if ((need & WF_NEED_RUJUKAN) && !c->has_rujukan)
		return tb_err(err, TB_EREFUSED,
			      "Kasus hanya dapat diajukan bila surat rujukan sudah dilampirkan");
	if ((need & WF_NEED_SURVEY) && !c->survey_complete)
		return tb_err(err, TB_EREFUSED,
			      "Survei belum lengkap: setiap indikator aktif harus dijawab sebelum kasus %s",
			      t->to == ST_SURVEYED ? "dinyatakan disurvei" : "direkomendasikan");
	if ((need & WF_NEED_VERIFIKASI) && !c->has_verifikasi)
		return tb_err(err, TB_EREFUSED,
			      "Hasil verifikasi harus dilampirkan sebelum kasus dinyatakan terverifikasi");
	if ((need & WF_NEED_ELIGIBLE) && !c->eligible)
		return tb_err(err, TB_EREFUSED,
			      "Kasus tidak dapat disetujui: menurut mesin kelayakan penduduk ini tidak memenuhi syarat");
	if ((need & WF_NEED_NOTE) && blank(c->note))
		return tb_err(err, TB_EREFUSED,
			      t->to == ST_REJECTED ?
				      "Alasan penolakan wajib diisi (--note)" :
				      "Catatan pengembalian wajib diisi (--note): apa yang harus diperbaiki desa");
	return 0;
}

int wf_check(enum case_state from, enum case_state to,
	     const struct wf_ctx *ctx, struct buf *err)
{
	if ((unsigned)from >= ST__COUNT || (unsigned)to >= ST__COUNT || !ctx)
		return tb_err(err, TB_EINVAL, "Status atau konteks tidak sah");
	const struct wf_transition *t = wf_find(from, to);
	if (!t) {
		if (wf_is_final(from))
			return tb_err(err, TB_ECONFLICT,
				      "Kasus sudah berstatus akhir (%s) dan tidak dapat dipindah lagi",
				      state_label(from));
		return tb_err(err, TB_ECONFLICT,
			      "Kasus berstatus %s tidak dapat dipindah ke %s",
			      state_label(from), state_label(to));
	}
	if ((unsigned)ctx->role >= ROLE__COUNT || !(t->roles & R(ctx->role)))
		return tb_err(err, TB_EPERM,
			      "Hanya %s yang dapat memindah kasus dari %s ke %s",
			      row_roles(t->roles), state_label(from), state_label(to));
	if (!wf_can_see(ctx->role, ctx->actor_region, ctx->case_village))
		return tb_err(err, TB_EPERM,
			      "Kasus ini di luar wilayah kerja Anda (%s)",
			      ctx->actor_region && *ctx->actor_region ?
				      ctx->actor_region : "tanpa wilayah");
	return missing(t, ctx, err);
}
