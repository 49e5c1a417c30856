/*
 * The case page, for every role that may see the case, and the moves made
 * from it: opening a case, moving it on (or back) with a note, and the
 * social office's issuing of the letter and card through the gate.
 *
 * The page reads top to bottom in the order of the workflow: resident,
 * attachments, survey, decision rule by rule, timeline, documents, and
 * last the one thing the viewer can do now. Every fact comes from the
 * cases / issue functions with the viewer as actor, so the page shows
 * nothing the API would refuse; the buttons come from the workflow table
 * (wf_next), and whether a move is allowed now is decided by cases_move
 * when it is pressed, whose Indonesian refusal is shown on the page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/str.h"
#include "http/pool.h"
#include "issue/issue.h"
#include "web/ui_case.h"
#include "web/web_int.h"

/* ---- helpers shared with the other pages ------------------------------ */

int web_put_when(struct tmpl_view *v, const char *key, const char *iso)
{
	struct buf b = BUF_INIT;
	char k[64];
	/* Never an ISO time on the page; if a stored value is not one we
	 * know, it is still shown as stored rather than hidden. */
	if (fmt_datetime_id(&b, iso) < 0) {
		buf_reset(&b);
		buf_adds(&b, iso ? iso : "");
	}
	int rc = tmpl_put_str(v, key, b.data);
	snprintf(k, sizeof k, "%s_iso", key);
	if (rc == 0)
		rc = tmpl_put_str(v, k, iso ? iso : "");
	buf_release(&b);
	return rc;
}

int web_put_state(struct tmpl_view *v, const char *state_name)
{
	int st = state_parse(state_name);
	/* The colour repeats the word, never replaces it: green for the
	 * good end, red for the bad one, amber for "back to you". */
	const char *cls = st == ST_APPROVED ? "ok"
			  : st == ST_REJECTED ? "bad"
			  : st == ST_RETURNED ? "warn" : "st";
	int rc = tmpl_put_str(v, "state", st >= 0 ? state_label((enum case_state)st)
						  : state_name);
	return rc < 0 ? rc : tmpl_put_str(v, "state_class", cls);
}

int web_put_nik(struct tmpl_view *v, const char *key, const char *nik)
{
	struct buf b = BUF_INIT;
	char k[64];
	int rc = fmt_nik_grouped(&b, nik);
	if (rc == 0)
		rc = tmpl_put_str(v, key, b.data);
	snprintf(k, sizeof k, "%s_raw", key);
	if (rc == 0)
		rc = tmpl_put_str(v, k, nik);
	buf_release(&b);
	return rc;
}

int web_case_id(const struct web_req *w, const char *name, int64_t *id)
{
	const char *s = http_param(w->http, name);
	struct buf ignored = BUF_INIT;
	int rc = cases_parse_id(s, id, &ignored);
	buf_release(&ignored);
	/* /kasus/abc is a page that does not exist, like /kasus/999999. */
	if (rc < 0)
		return tb_err(w->err, TB_ENOTFOUND, "nomor kasus tidak dikenal");
	return 0;
}

/* ---- the page's words ---------------------------------------------------- */

/* The button for moving a case to a state: the workflow's verbs. */
static const char *verb_of(enum case_state from, enum case_state to)
{
	switch (to) {
	case ST_SUBMITTED:
		return from == ST_RETURNED ? "Ajukan ulang" : "Ajukan";
	case ST_HEALTH_CHECKED:
		return "Konfirmasi";
	case ST_SURVEYED:
		return "Ajukan hasil survei";
	case ST_RECOMMENDED:
		return "Rekomendasikan";
	case ST_VERIFIED:
		return "Ajukan hasil verifikasi";
	case ST_APPROVED:
		return "Setujui";
	case ST_RETURNED:
		return "Kembalikan";
	case ST_REJECTED:
		return "Tolak";
	default:
		return state_label(to);
	}
}

/* What comes next once a case is in a state: the confirmation after a
 * move, and the line under the page's heading. */
static const char *const next_step[ST__COUNT] = {
	[ST_DRAFT] = "Unggah surat rujukan, lalu ajukan kasus ke Dinas Kesehatan.",
	[ST_SUBMITTED] = "Dinas Kesehatan memeriksa rujukan dan mengonfirmasi "
			 "atau mengembalikan kasus.",
	[ST_HEALTH_CHECKED] = "Desa mengisi survei rumah tangga, lalu mengajukan "
			      "hasil survei ke Kecamatan.",
	[ST_SURVEYED] = "Kecamatan memeriksa hasil survei dan merekomendasikan "
			"atau mengembalikan kasus.",
	[ST_RECOMMENDED] = "Desa mengunggah hasil verifikasi, lalu mengajukannya "
			   "ke Dinas Sosial.",
	[ST_VERIFIED] = "Dinas Sosial memeriksa kasus dan menyetujui, "
			"mengembalikan, atau menolaknya.",
	[ST_APPROVED] = "Dinas Sosial menerbitkan surat dan kartu; setelah itu "
			"desa dapat mengunduhnya.",
	[ST_RETURNED] = "Desa memperbaiki data sesuai catatan, lalu mengajukan "
			"ulang kasus.",
	[ST_REJECTED] = "Kasus ditolak dan selesai.",
};

/* ?ok= flags: a fixed table, never the URL's text on the page. */
static const struct {
	const char *flag, *text;
} flashes[] = {
	{ "dibuka", "Kasus dibuka." },
	{ "pindah", "Kasus sudah dipindah." },
	{ "lampiran", "Lampiran sudah diunggah." },
	{ "survei", "Jawaban survei sudah disimpan." },
	{ "terbit", "Surat dan kartu sudah diterbitkan dan ditandatangani." },
};

static const char *kind_label(const char *kind)
{
	if (strcmp(kind, "rujukan") == 0)
		return "Surat rujukan";
	if (strcmp(kind, "verifikasi") == 0)
		return "Hasil verifikasi";
	if (strcmp(kind, "survei") == 0)
		return "Dokumen survei";
	return kind;
}

/* The verifier's words and colours for a document's state. */
static void put_doc_state(struct tmpl_view *row, const struct store_document *d)
{
	enum doc_state st = issue_doc_state(d, date_today());
	tmpl_put_str(row, "doc_state", st == DOC_VALID ? "SAH"
				       : st == DOC_REVOKED ? "DICABUT"
				       : st == DOC_SUPERSEDED ? "DIGANTI"
				       : "KEDALUWARSA");
	tmpl_put_str(row, "doc_class", st == DOC_VALID ? "sah"
				       : st == DOC_SUPERSEDED ? "diganti"
				       : "dicabut");
}

/* ---- the page ------------------------------------------------------------- */

static int put_resident(struct web_req *w, const struct cases_facts *f)
{
	struct tmpl_view *r = tmpl_put_view(w->view, "resident");
	struct buf b = BUF_INIT;
	if (!r)
		return TB_ENOMEM;
	tmpl_put_str(r, "name", f->r.name);
	web_put_nik(r, "nik", f->r.nik);
	web_put_nik(r, "kk", f->r.kk);
	tmpl_put_str(r, "birth_place", f->r.birth_place);
	if (fmt_date_id(&b, f->r.birth_date) < 0)
		buf_adds(&b, f->r.birth_date);
	tmpl_put_str(r, "birth_date", b.data);
	buf_reset(&b);
	fmt_sex_id(&b, f->r.sex);
	tmpl_put_str(r, "sex", b.data);
	buf_reset(&b);
	tmpl_put_str(r, "address", f->r.address);
	tmpl_put_str(r, "rt", f->r.rt);
	tmpl_put_str(r, "rw", f->r.rw);
	region_dotted(&b, f->r.village_code);
	tmpl_put_str(r, "village", b.data);
	tmpl_put_str(r, "faskes", f->c.faskes);
	tmpl_put_bool(r, "pbi", f->pbi_jkn_active || f->pbi_apbd_active);
	buf_release(&b);
	return 0;
}

static int put_attachments(struct web_req *w, int64_t id, int can_upload,
			   enum case_state st)
{
	struct store_attachment *at = NULL;
	size_t n = 0;
	struct buf b = BUF_INIT;
	int rc = cases_attachment_list(w->store, w->actor, id, &at, &n, w->err);
	if (rc < 0)
		goto out;
	tmpl_put_list(w->view, "attachments");
	for (size_t i = 0; i < n; i++) {
		struct tmpl_view *row = tmpl_add_row(w->view, "attachments");
		if (!row) {
			rc = TB_ENOMEM;
			goto out;
		}
		tmpl_put_int(row, "att", at[i].id);
		tmpl_put_str(row, "kind", kind_label(at[i].kind));
		tmpl_put_str(row, "filename", at[i].filename);
		buf_reset(&b);
		if (at[i].size >= 1024 * 1024)
			fmt_decimal_id(&b, (double)at[i].size / (1024.0 * 1024.0), 1),
				buf_adds(&b, " MB");
		else
			fmt_int_id(&b, (at[i].size + 1023) / 1024), buf_adds(&b, " KB");
		tmpl_put_str(row, "size", b.data);
		web_put_when(row, "when", at[i].created_at);
		tmpl_put_str(row, "by", at[i].created_by);
		/* Shown inline only as what the magic bytes said it is. */
		tmpl_put_bool(row, "pdf", strcmp(at[i].mime, "application/pdf") == 0);
		tmpl_put_bool(row, "image", strncmp(at[i].mime, "image/", 6) == 0);
	}
	if (can_upload) {
		/* The kind the case needs now comes first. */
		const char *want = st == ST_RECOMMENDED ? "verifikasi"
				   : st == ST_HEALTH_CHECKED ? "survei" : "rujukan";
		static const char *const kinds[] = { "rujukan", "survei",
						     "verifikasi" };
		struct tmpl_view *up = tmpl_put_view(w->view, "upload");
		for (size_t i = 0; up && i < ARRAY_SIZE(kinds); i++) {
			struct tmpl_view *k = tmpl_add_row(up, "kinds");
			tmpl_put_str(k, "value", kinds[i]);
			tmpl_put_str(k, "label", kind_label(kinds[i]));
			tmpl_put_bool(k, "selected", strcmp(kinds[i], want) == 0);
		}
	}
out:
	free(at);
	buf_release(&b);
	return rc;
}

static int put_survey(struct web_req *w, const struct cases_facts *f,
		      const struct elig_decision *d)
{
	const struct policy *p = w->app->policy;
	struct tmpl_view *s = tmpl_put_view(w->view, "survey");
	struct buf b = BUF_INIT;
	if (!s)
		return TB_ENOMEM;
	tmpl_put_list(s, "answers");
	for (size_t i = 0; i < f->nanswers; i++) {
		const struct policy_indicator *ind = policy_find(p, f->answers[i].code);
		if (!ind || ind->retired)
			continue;
		const struct policy_answer *pa = policy_answer(ind, f->answers[i].value);
		struct tmpl_view *row = tmpl_add_row(s, "answers");
		tmpl_put_str(row, "question", ind->label);
		tmpl_put_str(row, "answer", pa ? pa->label : "");
		tmpl_put_bool(s, "has_answers", 1);
	}
	tmpl_put_int(s, "answered", d->answered);
	tmpl_put_int(s, "required", d->required);
	fmt_decimal_id(&b, d->score, 3);
	tmpl_put_str(s, "score", b.data);
	buf_reset(&b);
	fmt_decimal_id(&b, policy_threshold(p), 3);
	tmpl_put_str(s, "threshold", b.data);
	tmpl_put_str(s, "cmp", d->score < policy_threshold(p) ? "<" : "\xe2\x89\xa5");
	tmpl_put_bool(s, "below", d->score < policy_threshold(p));
	/* A score of a partial survey would mislead: the engine does not
	 * compare it either. */
	tmpl_put_bool(s, "complete", d->answered >= d->required);
	buf_release(&b);
	return 0;
}

static int put_decision(struct web_req *w, const struct elig_decision *d)
{
	struct tmpl_view *v = tmpl_put_view(w->view, "decision");
	if (!v)
		return TB_ENOMEM;
	tmpl_put_bool(v, "eligible", d->eligible);
	tmpl_put_str(v, "policy", d->policy_version);
	for (size_t i = 0; i < d->nrules; i++) {
		struct tmpl_view *row = tmpl_add_row(v, "rules");
		/* The mark is decoration; the word says it for a screen
		 * reader and in black and white. */
		tmpl_put_str(row, "mark", d->rules[i].passed ? "\xe2\x9c\x93" : "\xe2\x9c\x97");
		tmpl_put_str(row, "result", d->rules[i].passed ? "Terpenuhi"
							       : "Tidak terpenuhi");
		tmpl_put_str(row, "class", d->rules[i].passed ? "pass" : "fail");
		tmpl_put_str(row, "message", d->rules[i].message);
	}
	return 0;
}

/* The timeline, and the last return's note for the top of the page. */
static int put_timeline(struct web_req *w, int64_t id, enum case_state st)
{
	struct cases_step *steps = NULL;
	size_t n = 0;
	int rc = cases_timeline(w->store, w->actor, id, &steps, &n, w->err);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		struct tmpl_view *row = tmpl_add_row(w->view, "steps");
		int from = state_parse(steps[i].from), to = state_parse(steps[i].to);
		int role = role_parse(steps[i].role);
		tmpl_put_str(row, "to", to >= 0 ? state_label((enum case_state)to)
						: steps[i].to);
		if (from >= 0)
			tmpl_put_str(row, "from", state_label((enum case_state)from));
		tmpl_put_str(row, "actor", steps[i].actor);
		tmpl_put_str(row, "role", role >= 0 ? role_label((enum role)role)
						    : steps[i].role);
		web_put_when(row, "at", steps[i].at);
		tmpl_put_str(row, "note", steps[i].note);
	}
	/* A returned case says why on top, where the village looks first. */
	for (size_t i = n; st == ST_RETURNED && i-- > 0;) {
		if (strcmp(steps[i].to, "returned") != 0)
			continue;
		struct tmpl_view *r = tmpl_put_view(w->view, "returned");
		int role = role_parse(steps[i].role);
		tmpl_put_str(r, "by", steps[i].actor);
		tmpl_put_str(r, "role", role >= 0 ? role_label((enum role)role) : "");
		web_put_when(r, "at", steps[i].at);
		tmpl_put_str(r, "note", steps[i].note);
		break;
	}
	free(steps);
	return 0;
}

struct docs_arg {
	struct tmpl_view *v;
	int in_force;
};

static int doc_row(const struct store_document *d, void *arg)
{
	struct docs_arg *a = arg;
	struct tmpl_view *row = tmpl_add_row(a->v, "documents");
	if (!row)
		return TB_ENOMEM;
	tmpl_put_str(row, "serial", d->serial);
	tmpl_put_str(row, "kind", web_kind_label(d->kind));
	tmpl_put_str(row, "number", d->number);
	put_doc_state(row, d);
	web_put_when(row, "issued", d->issued_at);
	a->in_force += issue_doc_in_force(d, date_today());
	tmpl_put_bool(a->v, "has_documents", 1);
	return 0;
}

/* The buttons: every move the table gives the viewer's role from here
 * (wf_next); forward first, then return and reject, which need the
 * note. */
static int put_actions(struct web_req *w, enum case_state st)
{
	enum case_state next[ST__COUNT];
	size_t n = wf_next(st, w->actor->role, next, ARRAY_SIZE(next));
	struct tmpl_view *a;
	int review = 0;
	if (n == 0)
		return 0;
	if (!(a = tmpl_put_view(w->view, "act")))
		return TB_ENOMEM;
	for (size_t i = 0; i < n && i < ARRAY_SIZE(next); i++) {
		int back = next[i] == ST_RETURNED || next[i] == ST_REJECTED;
		struct tmpl_view *row = tmpl_add_row(a, back ? "back" : "forward");
		tmpl_put_str(row, "to", state_name(next[i]));
		tmpl_put_str(row, "verb", verb_of(st, next[i]));
		tmpl_put_str(row, "class", next[i] == ST_REJECTED ? "btn danger"
					   : back ? "btn second" : "btn");
		review |= back;
	}
	tmpl_put_bool(a, "review", review);
	return 0;
}

int ui_case_page(struct web_req *w, int64_t id)
{
	struct cases_facts f = { 0 };
	struct elig_decision d;
	struct store_case c;
	struct docs_arg docs = { w->view, 0 };
	struct store_doc_filter df = { .case_id = id };
	const char *ok = http_query(w->http, "ok");
	char title[48];
	int rc, st;
	/* The scope check first: a case outside it is the 403 page and the
	 * audit row, before anything about it is loaded. */
	if ((rc = cases_get(w->store, w->actor, id, &c, w->err)) < 0)
		goto out;
	if ((rc = cases_facts_load(w->store, id, &f, w->err)) < 0 ||
	    (rc = cases_decide(w->store, w->app->policy, w->actor, id, &d,
			       w->err)) < 0)
		goto out;
	st = state_parse(c.state);
	if (st < 0) {
		rc = tb_err(w->err, TB_EDB, "status kasus tidak dikenal");
		goto out;
	}
	tmpl_put_int(w->view, "id", id);
	web_put_state(w->view, c.state);
	tmpl_put_str(w->view, "next_step", next_step[st]);
	web_put_when(w->view, "opened", c.created_at);
	for (size_t i = 0; ok && i < ARRAY_SIZE(flashes); i++)
		if (strcmp(ok, flashes[i].flag) == 0)
			tmpl_put_str(w->view, "flash", flashes[i].text);
	int village = w->actor->role == ROLE_DESA;
	int open = !wf_is_final((enum case_state)st);
	tmpl_put_bool(w->view, "village", village);
	/* Offered while the case is in the village's hands (the modules
	 * would take an answer or a file in other states too, but then a
	 * reviewer is looking at it). */
	int hands = st == ST_DRAFT || st == ST_RETURNED ||
		    st == ST_HEALTH_CHECKED || st == ST_SURVEYED ||
		    st == ST_RECOMMENDED;
	tmpl_put_bool(w->view, "can_survey", village && open &&
					     (st == ST_HEALTH_CHECKED ||
					      st == ST_SURVEYED || st == ST_RETURNED));
	if ((rc = put_resident(w, &f)) < 0 ||
	    (rc = put_attachments(w, id, village && hands, (enum case_state)st)) < 0 ||
	    (rc = put_survey(w, &f, &d)) < 0 || (rc = put_decision(w, &d)) < 0 ||
	    (rc = put_timeline(w, id, (enum case_state)st)) < 0)
		goto out;
	tmpl_put_list(w->view, "documents");
	if ((rc = issue_list(w->store, w->actor, &df, doc_row, &docs, w->err)) < 0 ||
	    (rc = put_actions(w, (enum case_state)st)) < 0)
		goto out;
	/* The gate decides; the button is offered where it can say yes. */
	tmpl_put_bool(w->view, "can_issue", w->actor->role == ROLE_DINSOS &&
					    st == ST_APPROVED && docs.in_force < 2);
	snprintf(title, sizeof title, "Kasus %lld", (long long)id);
	rc = web_render(w, "case", title);
out:
	cases_facts_release(&f);
	return rc;
}

int ui_case(struct web_req *w)
{
	int64_t id;
	int rc = web_case_id(w, "id", &id);
	return rc < 0 ? rc : ui_case_page(w, id);
}

/* A refused action: the case page again, the reason on top, what was
 * typed kept, 422 (or 409 when the case moved meanwhile). */
int ui_case_refused(struct web_req *w, int64_t id, int code,
		    const char *field, const char *message)
{
	struct buf msg = BUF_INIT;
	int rc = buf_adds(&msg, message);
	buf_reset(w->err);
	if (rc == 0 && field)
		tmpl_put_str(w->view, field, msg.data);
	else if (rc == 0)
		tmpl_put_str(w->view, "problem", msg.data);
	buf_release(&msg);
	if (rc < 0)
		return tb_err(w->err, TB_ENOMEM, "kehabisan memori");
	rc = ui_case_page(w, id);
	if (rc == 0)
		w->res->status = code == TB_ECONFLICT ? 409 : 422;
	return rc;
}

/* ---- actions ---------------------------------------------------------------- */

int ui_case_open(struct web_req *w)
{
	const char *nik = web_form(w, "nik");
	int64_t id;
	char path[48];
	/* A refusal (unknown NIK, another village's resident) is the
	 * matching error page with the module's reason. */
	int rc = cases_create(w->store, w->actor, nik, &id, w->err);
	if (rc < 0)
		return rc;
	snprintf(path, sizeof path, "/kasus/%lld?ok=dibuka", (long long)id);
	return web_redirect(w, path);
}

int ui_case_move(struct web_req *w)
{
	const char *to = web_form(w, "to"), *note = web_form(w, "note");
	int64_t id;
	char path[48];
	int rc = web_case_id(w, "id", &id);
	if (rc < 0)
		return rc;
	rc = cases_move(w->store, w->app->policy, w->actor, id, to,
			*note ? note : NULL, w->err);
	if (rc == TB_EREFUSED || rc == TB_ECONFLICT || rc == TB_EINVAL) {
		/* A missing note belongs beside the note; anything else
		 * (a requirement, a case moved meanwhile) on top. */
		int st = state_parse(to);
		const struct wf_transition *t = NULL;
		int cur;
		struct store_case c;
		struct buf ignored = BUF_INIT;
		if (st >= 0 && cases_get(w->store, w->actor, id, &c, &ignored) == 0 &&
		    (cur = state_parse(c.state)) >= 0)
			t = wf_find((enum case_state)cur, (enum case_state)st);
		buf_release(&ignored);
		tmpl_put_str(w->view, "note", note);
		/* The module refused for the missing note; its words name
		 * the CLI's flag, so the page says it in its own. */
		if (t && (t->requires & WF_NEED_NOTE) && !*note)
			return ui_case_refused(w, id, rc, "note_error",
					       st == ST_REJECTED
					       ? "Tulis alasan penolakan."
					       : "Tulis catatan untuk desa: apa "
						 "yang harus diperbaiki.");
		return ui_case_refused(w, id, rc, NULL, w->err->data);
	}
	if (rc < 0)
		return rc;
	snprintf(path, sizeof path, "/kasus/%lld?ok=pindah", (long long)id);
	return web_redirect(w, path);
}

int ui_case_issue(struct web_req *w)
{
	static const enum issue_kind kinds[] = { ISSUE_LETTER, ISSUE_CARD };
	struct issue_ctx ctx;
	struct issue_result r;
	struct buf why = BUF_INIT;
	int64_t id;
	char path[48];
	int rc = web_case_id(w, "id", &id);
	if (rc == 0)
		rc = h_issue_ctx(w->http, &ctx, w->err);
	/* Letter, then card: each through the gate, which returns one
	 * already in force instead of making a second. */
	for (size_t i = 0; rc == 0 && i < ARRAY_SIZE(kinds); i++)
		rc = issue_document(&ctx, w->actor, id, kinds[i], &r, NULL, w->err);
	if (rc == TB_EREFUSED || rc == TB_ECONFLICT) {
		/* The gate's reasons on the case page, never a 500. */
		buf_addf(&why, "Surat dan kartu belum dapat diterbitkan: %s",
			 w->err->data);
		rc = ui_case_refused(w, id, rc, NULL, why.data);
		goto out;
	}
	if (rc < 0)
		goto out;
	snprintf(path, sizeof path, "/kasus/%lld?ok=terbit", (long long)id);
	rc = web_redirect(w, path);
out:
	buf_release(&why);
	return rc;
}
