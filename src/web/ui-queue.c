/*
 * The offices' queues (/antrean): the cases waiting for the signed-in
 * office, oldest in their state first, 50 a page. Which state an office
 * works on is the workflow's (dinkes confirms submitted cases, kecamatan
 * recommends surveyed ones, dinsos approves verified ones and issues
 * approved ones); which cases it sees is cases_queue's scope, so a
 * kecamatan officer's list holds only their kecamatan.
 *
 * Also the small pieces the other office pages share (paging, waiting
 * time, state pills, Indonesian date and time), declared in web.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/str.h"
#include "issue/issue.h"
#include "web/web.h"

/* ---- shared pieces of the office pages ------------------------------ */

size_t ui_page_offset(const struct web_req *w, int *page)
{
	const char *hal = http_query(w->http, "hal");
	long n = 1;
	/* A page number past what any list holds is just an empty page;
	 * the cap keeps the offset arithmetic far from overflow. */
	if (hal && str_all_digits(hal) && strlen(hal) <= 6)
		n = strtol(hal, NULL, 10);
	if (n < 1)
		n = 1;
	*page = (int)n;
	return (size_t)(n - 1) * CASES_PAGE;
}

int ui_pager(struct web_req *w, const char *base, int page, size_t total)
{
	size_t pages = (total + CASES_PAGE - 1) / CASES_PAGE;
	struct tmpl_view *v;
	if (pages <= 1)
		return 0;
	if (!(v = tmpl_put_view(w->view, "pager")))
		return TB_ENOMEM;
	/* base already carries its own query ("/antrean?urut=baru"), so
	 * hal joins with & after a ?, else with ?. */
	const char *join = strchr(base, '?') ? "&" : "?";
	tmpl_put_int(v, "page", page);
	tmpl_put_int(v, "pages", (int64_t)pages);
	if (page > 1)
		tmpl_put_fmt(v, "prev", "%s%shal=%d", base, join, page - 1);
	if ((size_t)page < pages)
		tmpl_put_fmt(v, "next", "%s%shal=%d", base, join, page + 1);
	return 0;
}

/* Until core/fmt.h has the shared waiting-time formatter (the village
 * pages add it), a plain one: minutes under an hour, hours under a day,
 * then days; under a minute "baru saja". */
int ui_put_wait(struct tmpl_view *v, const char *key, int64_t s)
{
	if (s < 0)
		s = 0;
	if (s < 60)
		return tmpl_put_str(v, key, "baru saja");
	if (s < 3600)
		return tmpl_put_fmt(v, key, "%lld menit", (long long)(s / 60));
	if (s < 86400)
		return tmpl_put_fmt(v, key, "%lld jam", (long long)(s / 3600));
	return tmpl_put_fmt(v, key, "%lld hari", (long long)(s / 86400));
}

/* "2026-11-30T03:30:00.000Z" -> "30 November 2026 pukul 10.30 WIB":
 * the offices are in Western Indonesia, UTC+7, all year. Anything that
 * does not parse is shown as it is rather than hidden. */
int ui_put_when(struct tmpl_view *v, const char *key, const char *iso)
{
	int y, mo, d, h, mi;
	if (!iso || sscanf(iso, "%4d-%2d-%2dT%2d:%2d", &y, &mo, &d, &h, &mi) != 5 ||
	    mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59)
		return tmpl_put_str(v, key, iso ? iso : "");
	int64_t days = date_to_days(y, mo, d);
	h += 7;
	if (h >= 24) {
		h -= 24;
		days++;
	}
	days_to_date(days, &y, &mo, &d);
	return tmpl_put_fmt(v, key, "%d %s %d pukul %02d.%02d WIB", d,
			    fmt_month_id(mo), y, h, mi);
}

int ui_put_days(struct tmpl_view *v, const char *key, int64_t days)
{
	struct buf b = BUF_INIT;
	int rc = fmt_days_id(&b, days);
	if (rc == 0)
		rc = tmpl_put_str(v, key, b.data);
	buf_release(&b);
	return rc;
}

const char *ui_state_pill(const char *state)
{
	/* The colour follows what the state means for the person waiting:
	 * green done, amber back to the village, red refused; the word is
	 * always beside it. */
	switch (state_parse(state)) {
	case ST_APPROVED: return "ok";
	case ST_RETURNED: return "warn";
	case ST_REJECTED: return "bad";
	default: return "step";
	}
}

int ui_put_state(struct tmpl_view *v, const char *state)
{
	int st = state_parse(state);
	tmpl_put_str(v, "state_class", ui_state_pill(state));
	return tmpl_put_str(v, "state", st >= 0 ? state_label((enum case_state)st)
						: state);
}

int ui_put_village(struct tmpl_view *v, const char *key, const char *code)
{
	struct buf b = BUF_INIT;
	int rc = region_dotted(&b, code);
	rc = tmpl_put_str(v, key, rc == 0 ? b.data : code);
	buf_release(&b);
	return rc;
}

/* ---- the queue -------------------------------------------------------- */

struct doc_seen {
	int letter, card;
};

static int seen_doc(const struct store_document *d, void *arg)
{
	struct doc_seen *s = arg;
	if (issue_doc_in_force(d, date_today())) {
		if (strcmp(d->kind, "letter") == 0)
			s->letter = 1;
		else
			s->card = 1;
	}
	return 0;
}

/* What an approved case already has: the gate returns a document in
 * force again instead of making a second, so the list says which ones
 * still need "Terbitkan". */
static int put_docs(struct web_req *w, struct tmpl_view *row, int64_t id)
{
	struct store_doc_filter f = { .case_id = id };
	struct doc_seen s = { 0, 0 };
	int rc = issue_list(w->store, w->actor, &f, seen_doc, &s, w->err);
	if (rc < 0)
		return rc;
	tmpl_put_bool(row, "docs_none", !s.letter && !s.card);
	return tmpl_put_str(row, "docs",
			    s.letter && s.card ? "Surat dan kartu sudah terbit"
			    : s.letter         ? "Surat sudah terbit, kartu belum"
			    : s.card           ? "Kartu sudah terbit, surat belum"
					       : "Belum terbit");
}

/* The state an office decides on, by role; dinsos also works the
 * approved cases that wait for their documents (?status=approved). */
static const char *queue_state(const struct web_req *w, int *approved)
{
	const char *st = http_query(w->http, "status");
	*approved = 0;
	switch (w->actor->role) {
	case ROLE_DINKES: return "submitted";
	case ROLE_KECAMATAN: return "surveyed";
	case ROLE_DINSOS:
		if (st && strcmp(st, "approved") == 0) {
			*approved = 1;
			return "approved";
		}
		return "verified";
	default: return NULL;
	}
}

int ui_queue(struct web_req *w)
{
	struct cases_queue_item *items = NULL;
	size_t n = 0, total = 0;
	int page, approved, rc = TB_EPERM;
	const char *urut = http_query(w->http, "urut");
	int newest = urut && strcmp(urut, "baru") == 0;
	size_t offset = ui_page_offset(w, &page);
	const char *state = queue_state(w, &approved);
	char base[64];
	if (!state) {
		tb_err(w->err, rc, "Antrean hanya untuk dinas kesehatan, "
		       "kecamatan dan dinas sosial.");
		goto out;
	}
	rc = cases_queue(w->store, w->actor, state,
			 newest ? CASES_WAIT_SHORTEST : CASES_WAIT_LONGEST,
			 offset, &items, &n, &total, w->err);
	if (rc < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const struct cases_queue_item *q = &items[i];
		struct tmpl_view *row = tmpl_add_row(w->view, "cases");
		tmpl_put_int(row, "id", q->c.id);
		tmpl_put_str(row, "name", q->c.name);
		ui_put_village(row, "village", q->c.village_code);
		ui_put_wait(row, "wait", q->waiting_s);
		tmpl_put_str(row, "since_iso", q->state_since);
		ui_put_state(row, q->c.state);
		tmpl_put_str(row, "note", q->note);
		tmpl_put_str(row, "moved_by", q->moved_by);
		if (approved && (rc = put_docs(w, row, q->c.id)) < 0)
			goto out;
	}
	tmpl_put_str(w->view, "state_word",
		     state_label((enum case_state)state_parse(state)));
	tmpl_put_bool(w->view, "dinsos", w->actor->role == ROLE_DINSOS);
	tmpl_put_bool(w->view, "tab_approved", approved);
	tmpl_put_bool(w->view, "newest", newest);
	{
		struct buf t = BUF_INIT;
		if (fmt_int_id(&t, (int64_t)total) == 0)
			tmpl_put_str(w->view, "total", t.data);
		buf_release(&t);
	}
	tmpl_put_bool(w->view, "has_cases", n > 0);
	tmpl_put_fmt(w->view, "sort_old", "/antrean?%surut=lama",
		     approved ? "status=approved&" : "");
	tmpl_put_fmt(w->view, "sort_new", "/antrean?%surut=baru",
		     approved ? "status=approved&" : "");
	tmpl_put_int(w->view, "from", n ? (int64_t)offset + 1 : 0);
	tmpl_put_int(w->view, "to", (int64_t)(offset + n));
	snprintf(base, sizeof base, "/antrean?%s%s", approved ? "status=approved&" : "",
		 newest ? "urut=baru" : "urut=lama");
	if ((rc = ui_pager(w, base, page, total)) < 0)
		goto out;
	rc = web_render(w, "queue", approved ? "Kasus disetujui menunggu dokumen"
					     : "Antrean kasus");
out:
	free(items);
	return rc;
}
