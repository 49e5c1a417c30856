/*
 * Printing through CUPS: the rules around src/print/. Which documents
 * may go to which printer, what each job carries, and when a document
 * counts as printed: only when CUPS says its job completed
 * (issue_print_follow), never when it was sent. docs/printing.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/ids.h"
#include "core/str.h"
#include "issue/issue.h"
#include "issue/print_int.h"
#include "print/print.h"

/* How a kind goes out: the media it needs and whether two-sided. */
enum mode { MODE_A4, MODE_CARD, MODE_SHEET };
static const struct {
	const char *name;     /* print_setup.mode, print_jobs.kind */
	const char *job_kind;
	int duplex;
	const char *what;     /* for the refusal */
} modes[] = {
	[MODE_A4] = { "a4", "letter", 0, "surat (kertas A4)" },
	[MODE_CARD] = { "card", "card", 1, "kartu satu per halaman (kartu "
					    "CR80, bolak-balik)" },
	[MODE_SHEET] = { "sheet", "sheet", 1, "lembar kartu A4 (A4, "
					      "bolak-balik)" },
};

static int need_dinsos(const struct cases_actor *a, struct buf *err)
{
	if (!a || a->role != ROLE_DINSOS)
		return tb_err(err, TB_EPERM, "hanya petugas Dinas Sosial yang "
			      "mencetak dokumen (--by PENGGUNA)");
	return 0;
}

/* The printer's media for mode, or a refusal saying what it lacks. */
static int suitable(const struct print_dest *d, enum mode m,
		    const char **media, struct buf *err)
{
	*media = m == MODE_CARD ? d->media_cr80 : d->media_a4;
	if (!**media)
		return tb_err(err, TB_EREFUSED, "printer \"%s\" tidak cocok "
			      "untuk %s: tidak ada media %s", d->name,
			      modes[m].what, m == MODE_CARD ? "CR80 (kartu "
			      "ID-1, 54 x 85,6 mm)" : "A4");
	if (modes[m].duplex && !d->duplex)
		return tb_err(err, TB_EREFUSED, "printer \"%s\" tidak cocok "
			      "untuk %s: tidak bisa mencetak bolak-balik "
			      "(duplex)", d->name, modes[m].what);
	if (!d->accepting)
		return tb_err(err, TB_EREFUSED, "printer \"%s\" menolak "
			      "pekerjaan cetak saat ini (cupsreject)", d->name);
	return 0;
}

/* The mode a card job takes on printer d when none is set up for it:
 * a card printer prints one a page, an A4 printer sheets. */
static enum mode card_mode_of(const struct print_dest *d)
{
	return d->media_cr80[0] ? MODE_CARD : MODE_SHEET;
}

static int mode_parse(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(modes); i++)
		if (strcmp(modes[i].name, name) == 0)
			return (int)i;
	return MODE_A4;
}

int issue_print_setup(struct store *s, const struct cases_actor *a,
		      enum issue_kind kind, const char *printer, int sheets,
		      struct buf *err)
{
	struct print_dest d;
	struct store_print_setup p = { 0 };
	const char *media;
	enum mode m = kind == ISSUE_LETTER ? MODE_A4
		      : sheets ? MODE_SHEET : MODE_CARD;
	char note[256];
	int rc;
	if (a && (rc = need_dinsos(a, err)) < 0)
		return rc;
	if (!printer || !*printer || strlen(printer) >= sizeof p.printer)
		return tb_err(err, TB_EINVAL, "nama printer wajib (1..%zu "
			      "byte)", sizeof p.printer - 1);
	if ((rc = print_dest_get(printer, &d, err)) < 0 ||
	    (rc = suitable(&d, m, &media, err)) < 0)
		return rc;
	snprintf(p.role, sizeof p.role, "%s", issue_kind_name(kind));
	snprintf(p.printer, sizeof p.printer, "%s", printer);
	snprintf(p.mode, sizeof p.mode, "%s", modes[m].name);
	snprintf(p.set_by, sizeof p.set_by, "%s", a ? a->name : "console");
	snprintf(note, sizeof note, "%s: %s (%s)", p.role, p.printer, p.mode);
	if ((rc = store_begin(s, err)) < 0)
		return rc;
	if ((rc = store_print_setup_set(s, &p, err)) < 0 ||
	    (rc = store_audit_add(s, p.set_by, a ? role_name(a->role)
						  : "admin",
				  "print.setup", "print:setup", note, err)) < 0) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, err);
}

/* The printer and mode of a request: the one set up for the kind and
 * its mode, or --printer; cards on a printer named there go one a page
 * when it has CR80, else on sheets, unless it is the set-up one. */
static int choose(struct store *s, const struct issue_print_req *req,
		  enum issue_kind kind, struct print_dest *d, enum mode *m,
		  const char **media, struct buf *err)
{
	struct store_print_setup p = { 0 };
	int rc = store_print_setup_get(s, issue_kind_name(kind), &p, err);
	if (rc < 0 && rc != TB_ENOTFOUND)
		return rc;
	int set_up = rc == 0;
	if (!set_up && !req->printer)
		return tb_err(err, TB_ENOTFOUND, "belum ada printer untuk %s: "
			      "atur dengan `terbit printer use %s NAMA`, atau "
			      "sebutkan --printer NAMA",
			      kind == ISSUE_LETTER ? "surat" : "kartu",
			      issue_kind_name(kind));
	const char *name = req->printer ? req->printer : p.printer;
	if ((rc = print_dest_get(name, d, err)) < 0)
		return rc;
	if (kind == ISSUE_LETTER)
		*m = MODE_A4;
	else if (set_up && strcmp(name, p.printer) == 0)
		*m = (enum mode)mode_parse(p.mode);
	else
		*m = card_mode_of(d);
	return suitable(d, *m, media, err);
}

/* Printed before, or in a job under way: then only a reprint. */
static int check_reprint(struct store *s, const struct issue_print_req *req,
			 const char *serial, struct buf *err)
{
	struct store_print_job *jobs = NULL;
	size_t n = 0;
	int done = 0, open = 0;
	int rc = store_print_jobs(s, 0, serial, STORE_PRINT_DOCS_MAX, &jobs,
				  &n, err);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		done |= strcmp(jobs[i].state, "completed") == 0;
		open |= !jobs[i].ended_at[0];
	}
	free(jobs);
	/* cards printed on sheets before CUPS printing have a count but
	 * no job */
	struct store_doc_ref *refs = NULL;
	size_t nr = 0;
	if ((rc = store_doc_search(s, &(struct store_doc_query){
						.prefix = "", .serial = serial, .limit = 1 },
				   &refs, &nr, NULL, err)) < 0)
		return rc;
	done |= nr == 1 && refs[0].print_count > 0;
	free(refs);
	if (open && !req->reprint)
		return tb_err(err, TB_ECONFLICT, "dokumen %s sedang dalam "
			      "pekerjaan cetak yang belum selesai; tunggu, "
			      "atau cetak ulang dengan --reprint --reason",
			      serial);
	if (done && !req->reprint)
		return tb_err(err, TB_ECONFLICT, "dokumen %s sudah pernah "
			      "dicetak; cetak ulang perlu --reprint --reason "
			      "ALASAN", serial);
	if (!done && !open && req->reprint)
		return tb_err(err, TB_EINVAL, "dokumen %s belum pernah "
			      "dicetak; ini bukan cetak ulang", serial);
	return 0;
}

/* One document as a job may carry it: in force, sealed, of the kind. */
static int loadable(struct issue_ctx *ctx, const struct cases_actor *a,
		    const char *serial, enum issue_kind *kind,
		    struct store_document *d, struct buf *pdf,
		    struct buf *err)
{
	int64_t today = date_today();
	int rc = issue_get(ctx->store, a, serial, d, pdf, err);
	if (rc == TB_ENOTFOUND)
		return tb_err(err, rc, "dokumen %s tidak ditemukan", serial);
	if (rc < 0)
		return rc;
	if (!issue_doc_seal_ok(ctx->keys, d))
		return tb_err(err, TB_ECONFLICT, "dokumen %s: catatan registri "
			      "diubah di luar terbit atau belum disegel; tidak "
			      "dicetak", d->serial);
	if (!issue_doc_in_force(d, today))
		return tb_err(err, TB_ECONFLICT, "dokumen %s sudah %s; tidak "
			      "dicetak", d->serial,
			      issue_doc_state_word(issue_doc_state(d, today)));
	enum issue_kind k = strcmp(d->kind, "card") == 0 ? ISSUE_CARD
							  : ISSUE_LETTER;
	if (*kind && *kind != k)
		return tb_err(err, TB_EINVAL, "surat dan kartu dicetak dalam "
			      "permintaan terpisah (%s adalah %s)", d->serial,
			      k == ISSUE_CARD ? "kartu" : "surat");
	*kind = k;
	return 0;
}

/* The jobs one request makes: each one PDF and its serials. */
struct plan {
	struct buf pdf;
	const char *const *serials;
	size_t n;
};

static void plans_release(struct plan *p, size_t n)
{
	for (size_t i = 0; p && i < n; i++)
		buf_release(&p[i].pdf);
	free(p);
}

/* The job-name: the serials, and only they. IPP caps a name at 255
 * bytes: a sheet of more cards names the first ones and how many more
 * ("S1 S2 ... +86"); the registry keeps them all. */
#define JOB_NAME_MAX 255
static void title_of(const struct plan *p, char *out, size_t cap)
{
	size_t at = 0, i;
	if (cap > JOB_NAME_MAX + 1)
		cap = JOB_NAME_MAX + 1;
	out[0] = '\0';
	for (i = 0; i < p->n; i++) {
		/* room for this serial and, when others follow, " +NNN" */
		size_t need = (i ? 1 : 0) + strlen(p->serials[i]) +
			      (i + 1 < p->n ? 5 : 0);
		if (at + need >= cap)
			break;
		at += (size_t)snprintf(out + at, cap - at, "%s%s", i ? " " : "",
				       p->serials[i]);
	}
	if (i < p->n)
		snprintf(out + at, cap - at, " +%zu", p->n - i);
}

/* The serials of a job, all of them, for its row. */
static void serials_of(const struct plan *p, char *out, size_t cap)
{
	size_t at = 0;
	out[0] = '\0';
	for (size_t i = 0; i < p->n && at < cap; i++)
		at += (size_t)snprintf(out + at, cap - at, "%s%s", i ? " " : "",
				       p->serials[i]);
}

static int submit_one(struct issue_ctx *ctx, const struct cases_actor *a,
		      const struct issue_print_req *req,
		      const struct print_dest *d, enum mode m,
		      const char *media, const struct plan *p,
		      struct store_print_job *job, struct buf *err)
{
	char title[JOB_NAME_MAX + 1];
	struct print_opts o = { .media = media, .duplex = modes[m].duplex,
				.copies = req->copies ? req->copies : 1,
				.title = title };
	struct buf note = BUF_INIT;
	char object[32];
	int rc;
	title_of(p, title, sizeof title);
	memset(job, 0, sizeof *job);
	if ((rc = print_submit(d, &o, p->pdf.data, p->pdf.len, &job->cups_id,
			       err)) < 0)
		return rc;
	snprintf(job->printer, sizeof job->printer, "%s", d->name);
	snprintf(job->kind, sizeof job->kind, "%s", modes[m].job_kind);
	snprintf(job->media, sizeof job->media, "%s", media);
	snprintf(job->sides, sizeof job->sides, "%s", o.duplex
		 ? "two-sided-long-edge" : "one-sided");
	job->copies = o.copies;
	job->reprint = req->reprint;
	snprintf(job->reason, sizeof job->reason, "%s",
		 req->reprint ? req->reason : "");
	snprintf(job->state, sizeof job->state, "%s",
		 print_state_name(PRINT_PENDING));
	snprintf(job->by, sizeof job->by, "%s", a->name);
	serials_of(p, job->serials, sizeof job->serials);
	if ((rc = store_print_job_add(ctx->store, job, p->serials, p->n,
				      err)) < 0)
		goto out;
	snprintf(object, sizeof object, "print:%lld", (long long)job->id);
	if (buf_addf(&note, "CUPS %d printer %s %s x%d: %s%s%s", job->cups_id,
		     job->printer, job->kind, job->copies, job->serials,
		     req->reprint ? "; cetak ulang: " : "",
		     req->reprint ? req->reason : "") < 0) {
		rc = tb_err(err, TB_ENOMEM, "memori habis");
		goto out;
	}
	rc = store_audit_add(ctx->store, a->name, role_name(a->role),
			     "print.submit", object, note.data, err);
out:
	buf_release(&note);
	return rc;
}

int issue_print_submit(struct issue_ctx *ctx, const struct cases_actor *a,
		       const struct issue_print_req *req,
		       struct store_print_job **jobs, size_t *njobs,
		       struct buf *err)
{
	struct store_document d;
	struct print_dest dest;
	struct plan *plans = NULL;
	struct render_fields *cards = NULL;
	enum issue_kind kind = 0;
	enum mode m = MODE_A4;
	const char *media = "";
	size_t nplans = 0, sent = 0;
	int rc = need_dinsos(a, err), begun = 0;
	*jobs = NULL;
	*njobs = 0;
	if (rc < 0)
		return rc;
	if (req->n == 0 || req->n > STORE_PRINT_DOCS_MAX)
		return tb_err(err, TB_EINVAL, "sebutkan 1..%d dokumen untuk "
			      "dicetak", STORE_PRINT_DOCS_MAX);
	if (req->copies < 0 || req->copies > PRINT_COPIES_MAX)
		return tb_err(err, TB_EINVAL, "jumlah salinan harus 1..%d",
			      PRINT_COPIES_MAX);
	if (req->reprint && (!req->reason || !*req->reason))
		return tb_err(err, TB_EINVAL, "cetak ulang perlu alasan "
			      "(--reason TEKS): kartu kedua yang beredar "
			      "adalah risiko penipuan");
	if (req->reason && strlen(req->reason) >= STORE_TEXT_MAX)
		return tb_err(err, TB_ETOOBIG, "alasan terlalu panjang "
			      "(paling banyak %d byte)", STORE_TEXT_MAX - 1);
	if (!(plans = calloc(req->n, sizeof *plans)))
		return tb_err(err, TB_ENOMEM, "memori habis");
	/* a dry run only reads: no write lock for a page's question */
	if (!req->dry_run && (rc = store_begin(ctx->store, err)) < 0)
		goto out;
	begun = !req->dry_run;
	/* every document first, so a bad one refuses before anything is
	 * sent; letters and one-card PDFs are loaded here as they are */
	for (size_t i = 0; i < req->n; i++) {
		buf_init(&plans[i].pdf, 0);
		for (size_t j = 0; j < i; j++)
			if (strcmp(req->serials[i], req->serials[j]) == 0) {
				rc = tb_err(err, TB_EINVAL, "dokumen %s disebut "
					    "dua kali", req->serials[i]);
				goto out;
			}
		if ((rc = loadable(ctx, a, req->serials[i], &kind, &d,
				   req->dry_run ? NULL : &plans[i].pdf,
				   err)) < 0 ||
		    (rc = check_reprint(ctx->store, req, d.serial, err)) < 0)
			goto out;
		plans[i].serials = &req->serials[i];
		plans[i].n = 1;
	}
	nplans = req->n;
	if ((rc = choose(ctx->store, req, kind, &dest, &m, &media, err)) < 0)
		goto out;
	if (req->dry_run)
		goto out;
	if (m == MODE_SHEET) {
		/* one job: the sheets of all the cards */
		buf_reset(&plans[0].pdf);
		if ((rc = issue__sheet_render(ctx, a, req->serials, req->n,
					      &cards, &plans[0].pdf, err)) < 0)
			goto out;
		plans[0].serials = req->serials;
		plans[0].n = req->n;
		nplans = 1;
	}
	if (!(*jobs = calloc(nplans, sizeof **jobs))) {
		rc = tb_err(err, TB_ENOMEM, "memori habis");
		goto out;
	}
	for (sent = 0; sent < nplans; sent++)
		if ((rc = submit_one(ctx, a, req, &dest, m, media,
				     &plans[sent], &(*jobs)[sent], err)) < 0)
			goto out;
	begun = 0;
	rc = store_commit(ctx->store, err);
out:
	if (rc < 0 && begun)
		store_rollback(ctx->store);
	if (rc < 0 && *jobs) {
		/* CUPS has jobs the registry does not: take them back, the
		 * failing one too when it got an id */
		for (size_t i = 0; i <= sent && i < nplans; i++)
			if ((*jobs)[i].cups_id > 0)
				print_job_cancel((*jobs)[i].cups_id, NULL);
		free(*jobs);
		*jobs = NULL;
	}
	if (rc == 0 && !req->dry_run)
		*njobs = nplans;
	issue__sheet_release(cards, req->n);
	plans_release(plans, req->n);
	return rc;
}

/* ---- following jobs ----------------------------------------------- */

/* A completed job: each document printed, one audit row each. */
static int record_printed(struct store *s, const struct store_print_job *j,
			  const char *ended_at, struct buf *err)
{
	struct buf note = BUF_INIT;
	char serials[sizeof j->serials], object[32];
	int rc = 0;
	snprintf(serials, sizeof serials, "%s", j->serials);
	for (char *save = NULL, *sn = strtok_r(serials, " ", &save);
	     sn && rc == 0; sn = strtok_r(NULL, " ", &save)) {
		snprintf(object, sizeof object, "document:%s", sn);
		buf_reset(&note);
		if (buf_addf(&note, "pekerjaan %lld (CUPS %d) printer %s x%d "
				    "selesai %s%s%s",
			     (long long)j->id, j->cups_id, j->printer,
			     j->copies, ended_at,
			     j->reprint ? "; alasan: " : "",
			     j->reprint ? j->reason : "") < 0)
			rc = tb_err(err, TB_ENOMEM, "memori habis");
		else if ((rc = store_audit_add(s, j->by, "dinsos",
					       j->reprint ? "document.reprint"
							  : "document.print",
					       object, note.data, err)) == 0)
			rc = store_doc_printed(s, sn, j->by, err);
	}
	buf_release(&note);
	return rc;
}

static int follow_one(struct store *s, const struct store_print_job *j,
		      struct buf *err)
{
	struct print_job pj;
	char reasons[2 * PRINT_TEXT_MAX + 2], ended_at[32], object[32];
	struct buf lerr = BUF_INIT;
	int rc = print_job_get(j->cups_id, &pj, &lerr);
	if (rc == TB_ENOTFOUND) {
		/* CUPS purged it, or another server: it will not finish */
		pj.state = PRINT_ABORTED;
		snprintf(pj.reasons, sizeof pj.reasons, "%s", lerr.data);
		pj.message[0] = '\0';
		rc = 0;
	}
	if (rc < 0) {
		tb_err(err, rc, "%s", lerr.data);
		buf_release(&lerr);
		return rc;
	}
	buf_release(&lerr);
	/* the printer's own words first ("Printer out of paper" says more
	 * than a keyword), then CUPS's reasons in Indonesian; a job waiting
	 * on a stopped printer says so, though CUPS gives it no reason */
	struct buf text = BUF_INIT, why = BUF_INIT;
	struct print_dest d;
	print_reasons_text(pj.reasons, pj.state, &why);
	if (!why.len && !print_state_final(pj.state) &&
	    print_dest_get(j->printer, &d, NULL) == 0 && d.stopped)
		print_reasons_text("printer-stopped", pj.state, &why);
	buf_addf(&text, "%s%s%s", pj.message,
		 pj.message[0] && why.len ? "; " : "", why.data);
	buf_release(&why);
	snprintf(reasons, sizeof reasons, "%s", text.data);
	buf_release(&text);
	const char *state = print_state_name(pj.state);
	int ended = print_state_final(pj.state);
	if (!ended && strcmp(state, j->state) == 0 &&
	    strcmp(reasons, j->reasons) == 0)
		return 0;
	if ((rc = store_begin(s, err)) < 0)
		return rc;
	rc = store_print_job_state(s, j->id, state, reasons, ended, ended_at,
				   err);
	if (rc == 1 && pj.state == PRINT_COMPLETED) {
		rc = record_printed(s, j, ended_at, err);
	} else if (rc == 1 && ended) {
		snprintf(object, sizeof object, "print:%lld", (long long)j->id);
		struct buf note = BUF_INIT;
		rc = buf_addf(&note, "CUPS %d printer %s %s: %s; tidak dicetak: "
				     "%s", j->cups_id, j->printer, state,
			      reasons[0] ? reasons : "tanpa alasan",
			      j->serials) < 0
			     ? tb_err(err, TB_ENOMEM, "memori habis")
			     : store_audit_add(s, j->by, "dinsos",
					       "print.failed", object,
					       note.data, err);
		buf_release(&note);
	}
	if (rc < 0) {
		store_rollback(s);
		return rc;
	}
	if ((rc = store_commit(s, err)) < 0)
		return rc;
	return ended;
}

int issue_print_follow(struct store *s, int64_t job_id, struct buf *err)
{
	struct store_print_job *jobs = NULL, one;
	size_t n = 0;
	int rc = 0, nended = 0;
	if (job_id) {
		if ((rc = store_print_job_get(s, job_id, &one, err)) < 0)
			return rc;
		if (one.ended_at[0])
			return 0;
		rc = follow_one(s, &one, err);
		return rc;
	}
	if ((rc = store_print_jobs(s, 1, NULL, 1000, &jobs, &n, err)) < 0)
		return rc;
	for (size_t i = 0; i < n && rc >= 0; i++)
		if ((rc = follow_one(s, &jobs[i], err)) > 0)
			nended++;
	free(jobs);
	return rc < 0 ? rc : nended;
}

int issue_print_history(struct store *s, const struct cases_actor *a,
			const char *serial, size_t limit,
			struct store_print_job **jobs, size_t *njobs,
			int *count, char last_at[32], struct buf *err)
{
	struct store_document d;
	struct store_doc_ref *refs = NULL;
	size_t nr = 0;
	*jobs = NULL;
	*njobs = 0;
	*count = 0;
	last_at[0] = '\0';
	int rc = issue_get(s, a, serial, &d, NULL, err);
	if (rc < 0 ||
	    (rc = store_doc_search(s, &(struct store_doc_query){
					   .prefix = "", .serial = d.serial, .limit = 1 },
				   &refs, &nr, NULL, err)) < 0)
		return rc;
	if (nr == 1) {
		*count = refs[0].print_count;
		snprintf(last_at, 32, "%s", refs[0].printed_at);
	}
	free(refs);
	return store_print_jobs(s, 0, d.serial, limit, jobs, njobs, err);
}

int issue_print_jobs(struct store *s, const struct cases_actor *a,
		     size_t limit, struct store_print_job **out, size_t *n,
		     struct buf *err)
{
	int rc = need_dinsos(a, err);
	*out = NULL;
	*n = 0;
	return rc < 0 ? rc : store_print_jobs(s, 0, NULL, limit, out, n, err);
}

int issue_print_printer(struct store *s, enum issue_kind kind,
			struct store_print_setup *out, struct buf *err)
{
	struct issue_print_req req = { 0 };
	struct print_dest d;
	enum mode m;
	const char *media;
	int rc = store_print_setup_get(s, issue_kind_name(kind), out, err);
	return rc < 0 ? rc : choose(s, &req, kind, &d, &m, &media, err);
}
