/*
 * The print queue (/cetak): the jobs sent to the office's printers with
 * their state as CUPS reports it when the page loads (issue_print_follow
 * first; no script, so a "Muat ulang" link), then the cards and letters
 * in force never printed nor in a job under way. The ticked ones go to
 * the printer set up for their kind (issue_print_submit): letters each
 * as its signed PDF, cards one a page or on A4 sheets of ten. They count
 * as printed when their job completes, not when they are sent. The
 * cards' sheet can still be downloaded as a file (issue_card_sheet), for
 * a printer terbit does not reach; a file is not a print.
 *
 * A form cannot list many values under one name here (the form reader
 * gives the first), so each checkbox is named after its serial ("s" +
 * serial) and the POST looks up the serials of the page it came from:
 * only documents still in the queue can be chosen, never a typed serial.
 *
 * "Cetak ulang" is per document, on the document's page (ui-docs.c),
 * where it asks for the reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/ids.h"
#include "core/str.h"
#include "http/pool.h"
#include "issue/issue.h"
#include "print/print.h"
#include "web/web.h"

/* Jobs shown: the latest; older ones are in each document's history. */
#define PRINT_JOBS_SHOWN 20

static const struct {
	const char *key, *text;
} notices[] = {
	{ "dikirim", "Dokumen dikirim ke printer. Dokumen tercatat dicetak "
		     "setelah printer menyelesaikan pekerjaannya; muat ulang "
		     "halaman ini untuk melihat statusnya." },
};

/* The pill of a job state: green done, red failed, amber needs a hand. */
static const struct {
	int state;
	const char *cls;
} state_pills[] = {
	{ PRINT_COMPLETED, "ok" },   { PRINT_CANCELED, "bad" },
	{ PRINT_ABORTED, "bad" },    { PRINT_STOPPED, "warn" },
	{ PRINT_HELD, "warn" },      { PRINT_PROCESSING, "st" },
	{ PRINT_PENDING, "" },
};

static const char *pill_of(int state)
{
	for (size_t i = 0; i < ARRAY_SIZE(state_pills); i++)
		if (state_pills[i].state == state)
			return state_pills[i].cls;
	return "";
}

/* One page of a queue into the view under key (serial, name, number,
 * dates, the checkbox's name), or only its count when key is NULL. */
static int put_queue(struct web_req *w, enum issue_kind kind, const char *key,
		     size_t offset, size_t *total)
{
	struct store_document *docs = NULL;
	struct buf num = BUF_INIT;
	size_t n = 0;
	int rc = issue_print_queue(w->store, w->actor, kind, 0, offset, &docs, &n,
				   total, w->err);
	if (rc < 0)
		goto out;
	for (size_t i = 0; key && i < n; i++) {
		struct tmpl_view *row = tmpl_add_row(w->view, key);
		tmpl_put_str(row, "serial", docs[i].serial);
		tmpl_put_fmt(row, "field", "s%s", docs[i].serial);
		tmpl_put_str(row, "name", docs[i].name);
		if (kind == ISSUE_CARD)
			fmt_card_number(&num, docs[i].number);
		tmpl_put_str(row, "number", kind == ISSUE_CARD && num.len
						    ? num.data : docs[i].number);
		buf_reset(&num);
		ui_put_village(row, "village", docs[i].village_code);
		ui_put_days(row, "issued", docs[i].issued_day);
	}
	rc = 0;
out:
	free(docs);
	buf_release(&num);
	return rc;
}

/* The jobs, their state as of now. A scheduler that does not answer
 * leaves the states as last seen, and the page says so. */
static int put_jobs(struct web_req *w)
{
	struct store_print_job *jobs = NULL;
	struct buf ferr = BUF_INIT;
	size_t n = 0;
	int open = 0;
	if (issue_print_follow(w->store, 0, &ferr) < 0)
		tmpl_put_fmt(w->view, "cups_error", "Status printer tidak dapat "
			     "dibaca sekarang (%s); status di bawah adalah yang "
			     "terakhir diketahui.", ferr.data);
	buf_release(&ferr);
	int rc = issue_print_jobs(w->store, w->actor, PRINT_JOBS_SHOWN, &jobs,
				  &n, w->err);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		const struct store_print_job *j = &jobs[i];
		int st = print_state_parse(j->state);
		struct tmpl_view *row = tmpl_add_row(w->view, "jobs");
		tmpl_put_int(row, "id", j->id);
		tmpl_put_int(row, "cups_id", j->cups_id);
		tmpl_put_str(row, "printer", j->printer);
		/* A sheet is a way to print cards, not a document kind. */
		tmpl_put_str(row, "what", strcmp(j->kind, "sheet") == 0
						  ? "Kartu KIS, lembar A4"
						  : web_kind_label(j->kind));
		tmpl_put_int(row, "copies", j->copies);
		tmpl_put_str(row, "state", print_state_word(st));
		tmpl_put_str(row, "pill", pill_of(st));
		tmpl_put_str(row, "reasons", j->reasons);
		tmpl_put_str(row, "by", j->by);
		ui_put_when(row, "at", j->submitted_at);
		tmpl_put_str(row, "at_iso", j->submitted_at);
		tmpl_put_bool(row, "reprint", j->reprint);
		tmpl_put_str(row, "reason", j->reason);
		/* each serial links to its page, where "Cetak ulang" is */
		char serials[sizeof j->serials];
		snprintf(serials, sizeof serials, "%s", j->serials);
		for (char *save = NULL, *sn = strtok_r(serials, " ", &save); sn;
		     sn = strtok_r(NULL, " ", &save))
			tmpl_put_str(tmpl_add_row(row, "docs"), "serial", sn);
		open |= !j->ended_at[0];
	}
	tmpl_put_bool(w->view, "has_jobs", n > 0);
	tmpl_put_bool(w->view, "jobs_open", open);
	free(jobs);
	return 0;
}

/* The printer the kind goes to, or why there is none or it cannot take
 * the job now: the send buttons are shown only when the submit would
 * be taken. */
static void put_printer(struct web_req *w, enum issue_kind kind,
			const char *key)
{
	struct store_print_setup p = { 0 };
	struct buf err = BUF_INIT;
	int rc = issue_print_printer(w->store, kind, &p, &err);
	if (rc == 0) {
		struct tmpl_view *v = tmpl_put_view(w->view, key);
		tmpl_put_str(v, "name", p.printer);
		tmpl_put_bool(v, "sheets", strcmp(p.mode, "sheet") == 0);
	} else if (rc == TB_EREFUSED || rc == TB_EIO ||
		   (rc == TB_ENOTFOUND && p.printer[0])) {
		tmpl_put_fmt(w->view, kind == ISSUE_CARD ? "card_unready"
							 : "letter_unready",
			     "Printer %s tidak dapat dipakai sekarang: %s",
			     p.printer, err.data);
	}
	buf_release(&err);
}

/* One kind a page (cards, or letters with ?jenis=surat), so a page of
 * 50 stays light; both counts are on the tabs. */
static int print_page(struct web_req *w, int letters)
{
	size_t ncards = 0, nletters = 0;
	const char *ok = http_query(w->http, "ok");
	int rc;
	for (size_t i = 0; ok && i < ARRAY_SIZE(notices); i++)
		if (strcmp(ok, notices[i].key) == 0)
			tmpl_put_str(w->view, "notice", notices[i].text);
	if ((rc = put_jobs(w)) < 0)
		return rc;
	/* The first 50, oldest first: what is sent leaves the list, so
	 * the next ones move up; no paging needed. */
	if ((rc = put_queue(w, ISSUE_CARD, letters ? NULL : "cards", 0,
			    &ncards)) < 0 ||
	    (rc = put_queue(w, ISSUE_LETTER, letters ? "letters" : NULL, 0,
			    &nletters)) < 0)
		return rc;
	put_printer(w, ISSUE_CARD, "card_printer");
	put_printer(w, ISSUE_LETTER, "letter_printer");
	tmpl_put_bool(w->view, "tab_letters", letters);
	tmpl_put_int(w->view, "ncards", (int64_t)ncards);
	tmpl_put_int(w->view, "nletters", (int64_t)nletters);
	tmpl_put_bool(w->view, "has_cards", ncards > 0);
	tmpl_put_bool(w->view, "has_letters", nletters > 0);
	tmpl_put_bool(w->view, "more_cards", ncards > CASES_PAGE);
	tmpl_put_bool(w->view, "more_letters", nletters > CASES_PAGE);
	tmpl_put_int(w->view, "page_max", CASES_PAGE);
	return web_render(w, "print", "Antrean cetak");
}

int ui_print(struct web_req *w)
{
	const char *kind = http_query(w->http, "jenis");
	return print_page(w, kind && strcmp(kind, "surat") == 0);
}

/* The serials of the queue's first page that the form ticked, in queue
 * order, or its first `oldest` ones when that is not 0; *out in the
 * pool. */
static int ticked(struct web_req *w, enum issue_kind kind, size_t oldest,
		  const char ***out, size_t *n)
{
	struct store_document *docs = NULL;
	size_t nd = 0;
	const char **sel = NULL;
	int rc = issue_print_queue(w->store, w->actor, kind, 0, 0, &docs, &nd,
				   NULL, w->err);
	*n = 0;
	if (rc < 0)
		goto out;
	rc = TB_ENOMEM;
	if (nd && !(sel = pool_alloc(w->http->pool, nd * sizeof *sel))) {
		tb_err(w->err, rc, "kehabisan memori");
		goto out;
	}
	for (size_t i = 0; i < nd; i++) {
		char field[SERIAL_LEN + 2];
		snprintf(field, sizeof field, "s%s", docs[i].serial);
		if (oldest ? i >= oldest : strcmp(web_form(w, field), "1") != 0)
			continue;
		if (!(sel[*n] = pool_strdup(w->http->pool, docs[i].serial))) {
			tb_err(w->err, rc, "kehabisan memori");
			goto out;
		}
		(*n)++;
	}
	*out = sel;
	rc = 0;
out:
	free(docs);
	return rc;
}

static int form_error(struct web_req *w, int letters, const char *msg)
{
	w->res->status = 422;
	tmpl_put_str(w->view, letters ? "letters_error" : "cards_error", msg);
	return print_page(w, letters);
}

/* The ticked documents to their printer; a refusal the officer can act
 * on (no printer, printer unsuitable or stopped accepting, CUPS
 * unreachable) is shown beside the form. */
static int send_jobs(struct web_req *w, enum issue_kind kind, const char **sel,
		size_t n)
{
	struct issue_ctx ctx;
	struct store_print_job *jobs = NULL;
	size_t nj = 0;
	struct issue_print_req req = { .serials = sel, .n = n };
	int letters = kind == ISSUE_LETTER;
	int rc = web_issue_ctx(w, &ctx);
	if (rc < 0)
		return rc;
	rc = issue_print_submit(&ctx, w->actor, &req, &jobs, &nj, w->err);
	free(jobs);
	if (rc == TB_ENOTFOUND || rc == TB_EREFUSED || rc == TB_EIO ||
	    rc == TB_ECONFLICT) {
		char *msg = pool_strdup(w->http->pool, w->err->data);
		buf_reset(w->err);
		return msg ? form_error(w, letters, msg)
			   : tb_err(w->err, TB_ENOMEM, "kehabisan memori");
	}
	if (rc < 0)
		return rc;
	return web_redirect(w, letters ? "/cetak?jenis=surat&ok=dikirim"
				       : "/cetak?ok=dikirim");
}

int ui_print_cards(struct web_req *w)
{
	struct issue_ctx ctx;
	const char **sel = NULL;
	size_t n = 0;
	char *cd;
	/* "Cetak 10 kartu terlama": one full sheet without ticking ten
	 * boxes (the page has no script to tick them all). */
	size_t oldest = strcmp(web_form(w, "terlama"), "10") == 0 ? 10 : 0;
	int rc = web_issue_ctx(w, &ctx);
	if (rc < 0 || (rc = ticked(w, ISSUE_CARD, oldest, &sel, &n)) < 0)
		return rc;
	if (n == 0)
		return form_error(w, 0, "Pilih dulu kartu yang akan dicetak.");
	if (strcmp(web_form(w, "aksi"), "unduh") != 0)
		return send_jobs(w, ISSUE_CARD, sel, n);
	buf_reset(&w->res->body);
	if ((rc = issue_card_sheet(&ctx, w->actor, sel, n, &w->res->body,
				   w->err)) < 0)
		return rc;
	/* The sheet itself is the answer, as a download; the cards stay in
	 * the queue: a file is not a print. */
	w->res->content_type = "application/pdf";
	if (!(cd = pool_alloc(w->http->pool, 64)))
		return tb_err(w->err, TB_ENOMEM, "kehabisan memori");
	snprintf(cd, 64, "attachment; filename=\"lembar-kartu-%zu.pdf\"", n);
	return http_res_header(w->res, "Content-Disposition", cd) < 0
		       ? tb_err(w->err, TB_EINTERNAL, "terlalu banyak header")
		       : 0;
}

int ui_print_letters(struct web_req *w)
{
	const char **sel = NULL;
	size_t n = 0;
	int rc = ticked(w, ISSUE_LETTER, 0, &sel, &n);
	if (rc < 0)
		return rc;
	if (n == 0)
		return form_error(w, 1, "Pilih dulu surat yang akan dicetak.");
	return send_jobs(w, ISSUE_LETTER, sel, n);
}
