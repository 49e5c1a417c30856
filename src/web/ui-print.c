/*
 * The print queue (/cetak): cards and letters issued, in force and not
 * yet printed. Cards: the ticked ones become one PDF of A4 sheets of ten
 * (issue_print_cards: the existing imposition, each card drawn from its
 * stored fields, the print and its audit row recorded in one
 * transaction). Letters: each opened as its own signed PDF and then
 * marked printed (issue_letters_printed); the render module has no
 * multi-document render, so there is no merged print-out.
 *
 * A form cannot list many values under one name here (the form reader
 * gives the first), so each checkbox is named after its serial ("s" +
 * serial) and the POST looks up the serials of the page it came from:
 * only documents still in the queue can be chosen, never a typed serial.
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
#include "web/web.h"

static const struct {
	const char *key, *text;
} notices[] = {
	{ "surat", "Surat yang Anda pilih sudah ditandai tercetak dan keluar "
		   "dari antrean cetak." },
};

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
	/* The first 50, oldest first: what is printed leaves the list, so
	 * the next ones move up; no paging needed. */
	if ((rc = put_queue(w, ISSUE_CARD, letters ? NULL : "cards", 0,
			    &ncards)) < 0 ||
	    (rc = put_queue(w, ISSUE_LETTER, letters ? "letters" : NULL, 0,
			    &nletters)) < 0)
		return rc;
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

static int nothing_ticked(struct web_req *w, int letters)
{
	w->res->status = 422;
	tmpl_put_str(w->view, letters ? "letters_error" : "cards_error",
		     "Pilih dulu dokumen yang akan dicetak.");
	return print_page(w, letters);
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
		return nothing_ticked(w, 0);
	buf_reset(&w->res->body);
	if ((rc = issue_print_cards(&ctx, w->actor, sel, n, &w->res->body,
				    w->err)) < 0)
		return rc;
	/* The sheet itself is the answer, as a download: the cards are
	 * already marked printed, so the queue page shows them gone when
	 * the browser comes back to it. */
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
		return nothing_ticked(w, 1);
	if ((rc = issue_letters_printed(w->store, w->actor, sel, n, w->err)) < 0)
		return rc;
	return web_redirect(w, "/cetak?jenis=surat&ok=surat");
}
