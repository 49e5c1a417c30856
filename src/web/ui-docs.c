/*
 * The social office's documents: search (/dokumen?q=), one document's
 * registry row (/dokumen/{serial}), its PDF (/dokumen/{serial}.pdf,
 * audited by issue_fetch), and the two changes a document can go
 * through: Cabut and Terbitkan ulang, each with a required reason. Every
 * rule (who may, which state) is the issue module's; this file asks and
 * shows.
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
#include "issue/verify.h"
#include "web/web.h"

/* Reasons are stored whole but read back in STORE_TEXT_MAX bytes: a
 * longer one would come back cut, maybe inside a character. */
#define REASON_MAX (STORE_TEXT_MAX - 1)

/* The verifier's word and colour for what the document is today. */
int ui_put_doc_state(struct tmpl_view *v, const struct store_document *d)
{
	static const struct {
		enum doc_state st;
		enum verify_state vs;
		const char *cls;
	} looks[] = {
		{ DOC_VALID, VERIFY_VALID, "sah" },
		{ DOC_REVOKED, VERIFY_REVOKED, "dicabut" },
		{ DOC_SUPERSEDED, VERIFY_SUPERSEDED, "diganti" },
		{ DOC_EXPIRED, VERIFY_EXPIRED, "diganti" },
	};
	enum doc_state st = issue_doc_state(d, date_today());
	for (size_t i = 0; i < ARRAY_SIZE(looks); i++)
		if (looks[i].st == st) {
			tmpl_put_str(v, "doc_class", looks[i].cls);
			return tmpl_put_str(v, "doc_state",
					    verify_state_label(looks[i].vs));
		}
	tmpl_put_str(v, "doc_class", "tidak-sah");
	return tmpl_put_str(v, "doc_state", "TIDAK SAH");
}

static int put_doc_row(struct tmpl_view *row, const struct store_document *d)
{
	tmpl_put_str(row, "serial", d->serial);
	tmpl_put_str(row, "kind", web_kind_label(d->kind));
	tmpl_put_str(row, "name", d->name);
	tmpl_put_str(row, "nik", d->nik);
	tmpl_put_str(row, "number", d->number);
	tmpl_put_int(row, "case_id", d->case_id);
	ui_put_days(row, "issued", d->issued_day);
	ui_put_days(row, "expires", d->expires_day);
	return ui_put_doc_state(row, d);
}

/* ---- search ------------------------------------------------------------ */

int ui_docs(struct web_req *w)
{
	struct store_document *docs = NULL;
	size_t n = 0, total = 0;
	int page, rc = TB_EINTERNAL;
	const char *q = http_query(w->http, "q");
	size_t offset = ui_page_offset(w, &page);
	tmpl_put_str(w->view, "q", q ? q : "");
	rc = 0;
	if (q && *q) {
		rc = issue_doc_search(w->store, w->actor, q, offset, &docs, &n,
				      &total, w->err);
		if (rc == TB_EINVAL) {
			/* Beside the field, in the page's own words: what
			 * a search takes. */
			w->res->status = 422;
			tmpl_put_str(w->view, "q_error", "Ketik nomor seri, NIK "
				     "atau sebagian nama (paling sedikit 2 huruf).");
			buf_reset(w->err);
			rc = 0;
		} else if (rc < 0) {
			goto out;
		} else {
			struct buf base = BUF_INIT;
			tmpl_put_bool(w->view, "searched", 1);
			tmpl_put_int(w->view, "total", (int64_t)total);
			tmpl_put_bool(w->view, "has_docs", n > 0);
			for (size_t i = 0; i < n; i++)
				put_doc_row(tmpl_add_row(w->view, "docs"), &docs[i]);
			/* The query goes into the paging links through the
			 * attribute's URL escaping (the template's href). */
			rc = buf_adds(&base, "/dokumen?q=");
			for (const char *p = q; rc == 0 && *p; p++)
				rc = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
						     (*p >= '0' && *p <= '9')
					     ? buf_addc(&base, *p)
					     : buf_addf(&base, "%%%02X", (unsigned char)*p);
			if (rc == 0)
				rc = ui_pager(w, base.data, page, total);
			buf_release(&base);
			if (rc < 0)
				goto out;
		}
	}
	rc = web_render(w, "docs", "Dokumen terbit");
out:
	free(docs);
	return rc;
}

/* ---- one document --------------------------------------------------- */

/* What the page says after a change (?ok=...): a fixed table, never
 * text from the URL. */
static const struct {
	const char *key, *text;
} notices[] = {
	{ "dicabut", "Dokumen sudah dicabut. Pemeriksa kini menjawab DICABUT "
		     "untuk kode QR-nya; pemegang perlu diberi tahu." },
	{ "terbit-ulang", "Dokumen baru sudah diterbitkan dan dokumen lama "
			  "diganti. Unduh dan cetak dokumen baru ini untuk "
			  "pemegangnya." },
	{ "cetak-ulang", "Cetak ulang dikirim ke printer. Dokumen tercatat "
			 "dicetak lagi setelah printer menyelesaikan "
			 "pekerjaannya." },
};

/* How many times the document was printed, when, and by which jobs (a
 * second card in circulation is a fraud risk, so every print shows);
 * for the social office, "Cetak ulang" when the module would take it
 * (a dry run of the same request). */
static int put_prints(struct web_req *w, struct issue_ctx *ctx,
		      const struct store_document *d)
{
	struct store_print_job *jobs = NULL;
	size_t n = 0;
	int count;
	char last[32];
	int rc = issue_print_history(w->store, w->actor, d->serial, 20, &jobs,
				     &n, &count, last, w->err);
	if (rc < 0)
		return rc;
	tmpl_put_int(w->view, "print_count", count);
	if (count)
		ui_put_when(w->view, "printed_at", last);
	for (size_t i = 0; i < n; i++) {
		struct tmpl_view *row = tmpl_add_row(w->view, "prints");
		int st = print_state_parse(jobs[i].state);
		tmpl_put_int(row, "id", jobs[i].id);
		tmpl_put_str(row, "printer", jobs[i].printer);
		tmpl_put_str(row, "state", print_state_word(st));
		tmpl_put_bool(row, "done", st == PRINT_COMPLETED);
		tmpl_put_bool(row, "failed", st == PRINT_CANCELED ||
						     st == PRINT_ABORTED);
		tmpl_put_str(row, "reasons", jobs[i].reasons);
		tmpl_put_str(row, "by", jobs[i].by);
		ui_put_when(row, "at", jobs[i].submitted_at);
		tmpl_put_bool(row, "reprint", jobs[i].reprint);
		tmpl_put_str(row, "reason", jobs[i].reason);
	}
	tmpl_put_bool(w->view, "has_prints", n > 0);
	free(jobs);
	if (w->actor->role == ROLE_DINSOS && ctx) {
		const char *one[] = { d->serial };
		struct store_print_job *none = NULL;
		size_t nn = 0;
		struct buf derr = BUF_INIT;
		struct issue_print_req req = { .serials = one, .n = 1,
					       .reprint = 1, .reason = "?",
					       .dry_run = 1 };
		tmpl_put_bool(w->view, "can_reprint",
			      issue_print_submit(ctx, w->actor, &req, &none,
						 &nn, &derr) == 0);
		buf_release(&derr);
	}
	return 0;
}

static int doc_page(struct web_req *w, const char *serial)
{
	struct store_document d;
	struct issue_ctx ctx;
	int rc = issue_get(w->store, w->actor, serial, &d, NULL, w->err);
	const char *ok = http_query(w->http, "ok");
	if (rc < 0 || (rc = web_issue_ctx(w, &ctx)) < 0 ||
	    (rc = put_prints(w, &ctx, &d)) < 0)
		return rc;
	for (size_t i = 0; ok && i < ARRAY_SIZE(notices); i++)
		if (strcmp(ok, notices[i].key) == 0)
			tmpl_put_str(w->view, "notice", notices[i].text);
	put_doc_row(w->view, &d);
	tmpl_put_bool(w->view, "card", strcmp(d.kind, "card") == 0);
	if (strcmp(d.kind, "card") == 0) {
		struct buf b = BUF_INIT;
		if (fmt_card_number(&b, d.number) == 0)
			tmpl_put_str(w->view, "number", b.data);
		buf_release(&b);
	}
	ui_put_village(w->view, "village", d.village_code);
	tmpl_put_str(w->view, "issued_by", d.issued_by);
	ui_put_when(w->view, "issued_at", d.issued_at);
	tmpl_put_str(w->view, "issued_iso", d.issued_at);
	tmpl_put_str(w->view, "office", d.office);
	tmpl_put_str(w->view, "faskes", d.faskes);
	tmpl_put_str(w->view, "policy_version", d.policy_version);
	{
		struct buf b = BUF_INIT;
		if (fmt_decimal_id(&b, d.score, 3) == 0)
			tmpl_put_str(w->view, "score", b.data);
		buf_release(&b);
	}
	if (d.revoked_at[0]) {
		struct tmpl_view *r = tmpl_put_view(w->view, "revoked");
		tmpl_put_bool(r, "superseded", d.state == DOC_SUPERSEDED);
		tmpl_put_str(r, "by", d.revoked_by);
		ui_put_when(r, "at", d.revoked_at);
		tmpl_put_str(r, "at_iso", d.revoked_at);
		tmpl_put_str(r, "reason", d.reason);
	}
	tmpl_put_str(w->view, "superseded_by", d.superseded_by);
	tmpl_put_str(w->view, "replaces", d.replaces);
	/* The forms only where the module would take them: the social
	 * office, a document whose stored state is still valid (an expired
	 * one may be renewed, not revoked). */
	if (w->actor->role == ROLE_DINSOS && d.state == DOC_VALID) {
		tmpl_put_bool(w->view, "can_reissue", 1);
		tmpl_put_bool(w->view, "can_revoke",
			      issue_doc_state(&d, date_today()) == DOC_VALID);
	}
	return web_render(w, "doc", web_kind_label(d.kind));
}

/* The PDF: its bytes through issue_fetch, which writes the download's
 * audit row in the same transaction. */
static int doc_pdf(struct web_req *w, const char *serial)
{
	struct store_document d;
	char *cd;
	int rc;
	buf_reset(&w->res->body);
	if ((rc = issue_fetch(w->store, w->actor, serial, &d, &w->res->body,
			      w->err)) < 0)
		return rc;
	w->res->content_type = "application/pdf";
	if (!(cd = pool_alloc(w->http->pool, 64)))
		return tb_err(w->err, TB_ENOMEM, "kehabisan memori");
	snprintf(cd, 64, "attachment; filename=\"%s-%s.pdf\"",
		 strcmp(d.kind, "card") == 0 ? "kartu" : "surat", d.serial);
	return http_res_header(w->res, "Content-Disposition", cd) < 0
		       ? tb_err(w->err, TB_EINTERNAL, "terlalu banyak header")
		       : 0;
}

int ui_doc(struct web_req *w)
{
	const char *serial = http_param(w->http, "serial");
	size_t n = strlen(serial);
	/* A capture is a whole segment: "{serial}.pdf" lands here too. */
	if (n > 4 && strcmp(serial + n - 4, ".pdf") == 0) {
		char *sn = pool_strndup(w->http->pool, serial, n - 4);
		return sn ? doc_pdf(w, sn)
			  : tb_err(w->err, TB_ENOMEM, "kehabisan memori");
	}
	return doc_page(w, serial);
}

/* ---- Cabut and Terbitkan ulang ------------------------------------- */

/* The reason as typed, or the page again with the message beside the
 * form's field (422), what was typed kept. */
static int reason_of(struct web_req *w, const char *field, const char **out)
{
	const char *r = web_form(w, "reason");
	*out = NULL;
	if (!*r)
		tmpl_put_str(w->view, field, "Tuliskan alasannya. Alasan dicatat "
			     "dan ditampilkan pada halaman dokumen.");
	else if (strlen(r) > REASON_MAX)
		tmpl_put_fmt(w->view, field, "Alasan paling panjang %d huruf.",
			     REASON_MAX);
	else
		*out = r;
	return *out ? 0 : 1;
}

static int refused(struct web_req *w, const char *serial,
		   const char *form_key, const char *typed)
{
	w->res->status = 422;
	tmpl_put_str(w->view, form_key, typed);
	return doc_page(w, serial);
}

/* Cabut (reissue 0) or Terbitkan ulang (1): the reason, the module's
 * change, then 303 to the page that shows the result (the new document
 * for a reissue). A refusal the person can act on (no reason, revoked or
 * replaced meanwhile, the gate's reasons) shows the page again with the
 * message beside the form and what was typed. */
static int doc_change(struct web_req *w, int reissue)
{
	const char *serial = http_param(w->http, "serial"), *reason;
	const char *err_key = reissue ? "reissue_error" : "revoke_error";
	const char *typed_key = reissue ? "reissue_reason" : "revoke_reason";
	struct issue_ctx ctx;
	struct issue_result res;
	char sn[SERIAL_LEN + 1], path[64];
	int rc = web_issue_ctx(w, &ctx);
	if (rc < 0)
		return rc;
	if (reason_of(w, err_key, &reason))
		return refused(w, serial, typed_key, web_form(w, "reason"));
	rc = reissue ? issue_reissue(&ctx, w->actor, serial, reason, &res, NULL,
				     w->err)
		     : issue_revoke(&ctx, w->actor, serial, reason, w->err);
	if (rc == TB_ECONFLICT || rc == TB_EREFUSED || rc == TB_EINVAL) {
		tmpl_put_str(w->view, err_key, w->err->data);
		buf_reset(w->err);
		return refused(w, serial, typed_key, reason);
	}
	if (rc < 0)
		return rc;
	if (reissue)
		snprintf(path, sizeof path, "/dokumen/%s?ok=terbit-ulang",
			 res.doc.serial);
	else if ((rc = issue_serial_parse(serial, sn, w->err)) < 0)
		return rc;
	else
		snprintf(path, sizeof path, "/dokumen/%s?ok=dicabut", sn);
	return web_redirect(w, path);
}

/* Cetak ulang: the reason, then the document to its printer again
 * (issue_print_submit, reprint); 303 back to the page, which lists the
 * new job. */
int ui_doc_reprint(struct web_req *w)
{
	const char *serial = http_param(w->http, "serial"), *reason;
	struct issue_ctx ctx;
	struct store_print_job *jobs = NULL;
	size_t nj = 0;
	char sn[SERIAL_LEN + 1], path[64];
	int rc = web_issue_ctx(w, &ctx);
	if (rc < 0)
		return rc;
	if (reason_of(w, "reprint_error", &reason))
		return refused(w, serial, "reprint_reason", web_form(w, "reason"));
	if ((rc = issue_serial_parse(serial, sn, w->err)) < 0)
		return rc;
	const char *one[] = { sn };
	struct issue_print_req req = { .serials = one, .n = 1, .reprint = 1,
				       .reason = reason };
	rc = issue_print_submit(&ctx, w->actor, &req, &jobs, &nj, w->err);
	free(jobs);
	if (rc == TB_ECONFLICT || rc == TB_EREFUSED || rc == TB_EINVAL ||
	    rc == TB_ENOTFOUND || rc == TB_EIO) {
		tmpl_put_str(w->view, "reprint_error", w->err->data);
		buf_reset(w->err);
		return refused(w, serial, "reprint_reason", reason);
	}
	if (rc < 0)
		return rc;
	snprintf(path, sizeof path, "/dokumen/%s?ok=cetak-ulang", sn);
	return web_redirect(w, path);
}

int ui_doc_revoke(struct web_req *w)
{
	return doc_change(w, 0);
}

int ui_doc_reissue(struct web_req *w)
{
	return doc_change(w, 1);
}
