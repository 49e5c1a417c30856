/*
 * CLI handlers for issuance and verification: issue, revoke, reissue,
 * document show/get/list/check/sheet, verify. Thin: every rule is in
 * src/issue/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include <cups/cups.h>

#include "cases/cases.h"
#include "cli/cli.h"
#include "core/err.h"
#include "core/fmt.h"
#include "core/ids.h"
#include "core/str.h"
#include "issue/issue.h"
#include "issue/verify.h"
#include "print/print.h"
#include "render/render.h"
#include "sign/keys.h"
#include "store/store.h"

/* What the issuing commands load once. */
struct env {
	struct store *s;
	struct policy *p;
	struct render_ctx *r;
	struct keyring *kr;
	struct cases_actor actor;
	struct issue_ctx ctx;
};

static void env_close(struct env *e)
{
	store_close(e->s);
	policy_free(e->p);
	render_ctx_free(e->r);
	keyring_free(e->kr);
}

/* Opens the store and the keyring; with full, also the policy, the
 * layouts and the --by actor (required). */
static int env_open(struct cli *c, struct env *e, int full)
{
	struct buf root = BUF_INIT;
	memset(e, 0, sizeof *e);
	int rc = cli_open_store(c, &e->s);
	if (rc < 0 || (rc = keyring_load(c->data_dir, &e->kr, &c->err)) < 0 ||
	    !full)
		return rc;
	const char *by = cli_opt(c, "--by");
	if (!by)
		return tb_err(&c->err, TB_EPERM,
			      "--by PENGGUNA wajib: dokumen diterbitkan atas "
			      "nama petugas Dinas Sosial");
	if ((rc = cases_actor_load(e->s, by, &e->actor, &c->err)) < 0 ||
	    (rc = cli_load_policy(c, &e->p)) < 0 ||
	    (rc = cli_find_root(c, &root)) < 0 ||
	    (rc = render_ctx_new(&e->r, root.data, &c->err)) < 0)
		goto out;
	e->ctx = (struct issue_ctx){ .store = e->s, .policy = e->p,
				     .render = e->r, .keys = e->kr,
				     .verifier_host = getenv("TERBIT_VERIFIER_HOST") };
out:
	buf_release(&root);
	return rc;
}

/* The --by actor for reading commands; NULL (console) without --by. */
static int reader(struct cli *c, struct store *s, struct cases_actor *a,
		  const struct cases_actor **out)
{
	const char *by = cli_opt(c, "--by");
	*out = NULL;
	if (!by)
		return 0;
	int rc = cases_actor_load(s, by, a, &c->err);
	if (rc == 0)
		*out = a;
	return rc;
}

/*
 * --out: documents hold personal data, so they are written 0600 whatever
 * the umask (docs/issuance.md, "Files written"). A run killed while
 * writing leaves a complete PDF as a temp file; the next write into the
 * same directory removes those of processes that are gone.
 */
static int write_out(struct cli *c, const struct buf *pdf)
{
	const char *path = cli_opt(c, "--out");
	if (!path)
		return 0;
	int swept = buf_sweep_stale(path);
	if (swept < 0)
		return tb_err(&c->err, swept, "memori habis");
	if (swept > 0)
		cli_printf(stderr, "terbit: %d berkas sementara yang tertinggal "
			   "dihapus (dari proses yang sudah berhenti)\n", swept);
	return buf_write_file(path, pdf->data, pdf->len, 0600, &c->err);
}

int cli_issue(struct cli *c)
{
	static const char *const opts[] = { "--by", "--out", "--policy",
					    "--root", NULL };
	struct env e;
	struct issue_result res;
	struct buf pdf = BUF_INIT;
	int64_t id;
	int rc = cli_expect(c, 2, opts);
	if (rc < 0 || (rc = cases_parse_id(cli_pos(c, 0), &id, &c->err)) < 0)
		return rc;
	int kind = issue_kind_parse(cli_pos(c, 1), &c->err);
	if (kind < 0)
		return kind;
	if ((rc = env_open(c, &e, 1)) == 0 &&
	    (rc = issue_document(&e.ctx, &e.actor, id, kind, &res,
				 cli_opt(c, "--out") ? &pdf : NULL,
				 &c->err)) == 0 &&
	    (rc = write_out(c, &pdf)) == 0) {
		if (res.existing)
			fprintf(stderr, "dokumen sudah terbit untuk kasus %lld "
					"(nomor %s)\n",
				(long long)id, res.doc.number);
		cli_printf(stdout, "%s\n", res.doc.serial);
	}
	env_close(&e);
	buf_release(&pdf);
	return rc;
}

struct ids {
	int64_t *id;
	size_t n;
};

static int collect(const struct store_case *sc, void *arg)
{
	struct ids *l = arg;
	int64_t *grown = realloc(l->id, (l->n + 1) * sizeof *grown);
	if (!grown)
		return TB_ENOMEM;
	l->id = grown;
	l->id[l->n++] = sc->id;
	return 0;
}

/* One transaction for up to n cases; prints the new serials. Returns
 * the number issued or a TB_E code. */
static int many_batch(struct cli *c, struct env *e, enum issue_kind kind,
		      const int64_t *ids, size_t n)
{
	struct issue_batch_item *items = calloc(n, sizeof *items);
	if (!items)
		return tb_err(&c->err, TB_ENOMEM, "memori habis");
	for (size_t i = 0; i < n; i++)
		items[i].case_id = ids[i];
	int rc = issue_batch(&e->ctx, &e->actor, kind, items, n, &c->err);
	for (size_t i = 0; rc > 0 && i < n; i++)
		if (items[i].rc == 0 && !items[i].res.existing)
			cli_printf(stdout, "%s\n", items[i].res.doc.serial);
	fflush(stdout);
	free(items);
	return rc;
}

/*
 * Issues a document for every approved case without one in force, in
 * case order, printing each serial; refusals are skipped. --batch N puts
 * N cases in each transaction (issue_batch). For the crash test and
 * printing runs: many issuances in one process.
 */
int cli_issue_many(struct cli *c)
{
	static const char *const opts[] = { "--by", "--count", "--batch",
					    "--policy", "--root", NULL };
	struct env e;
	struct ids l = { NULL, 0 };
	struct issue_result res;
	int rc = cli_expect(c, 1, opts);
	if (rc < 0)
		return rc;
	int kind = issue_kind_parse(cli_pos(c, 0), &c->err);
	if (kind < 0)
		return kind;
	long max = cli_opt(c, "--count") ? atol(cli_opt(c, "--count")) : -1;
	long batch = cli_opt(c, "--batch") ? atol(cli_opt(c, "--batch")) : 1;
	if (batch < 1 || batch > 1000)
		return tb_err(&c->err, TB_EINVAL, "--batch harus 1..1000");
	struct store_case_filter f = { .state = "approved" };
	if ((rc = env_open(c, &e, 1)) < 0 ||
	    (rc = store_case_each(e.s, &f, collect, &l, &c->err)) < 0)
		goto out;
	for (size_t i = 0; i < l.n && max != 0;) {
		size_t n = l.n - i < (size_t)batch ? l.n - i : (size_t)batch;
		if (max > 0 && (size_t)max < n)
			n = (size_t)max;
		if (batch > 1) {
			if ((rc = many_batch(c, &e, kind, l.id + i, n)) < 0)
				goto out;
			max -= max > 0 ? rc : 0;
			i += n;
			continue;
		}
		struct buf err = BUF_INIT;
		rc = issue_document(&e.ctx, &e.actor, l.id[i], kind, &res, NULL,
				    &err);
		if (rc == 0 && !res.existing) {
			cli_printf(stdout, "%s\n", res.doc.serial);
			fflush(stdout);
			max--;
		} else if (rc < 0 && rc != TB_EREFUSED && rc != TB_ECONFLICT) {
			tb_err(&c->err, rc, "kasus %lld: %s", (long long)l.id[i],
			       err.data);
			buf_release(&err);
			goto out;
		}
		buf_release(&err);
		i++;
	}
	rc = 0;
out:
	free(l.id);
	env_close(&e);
	return rc;
}

static int state_change(struct cli *c, int reissue)
{
	static const char *const opts[] = { "--by", "--reason", "--out",
					    "--policy", "--root", NULL };
	struct env e;
	struct issue_result res;
	struct buf pdf = BUF_INIT;
	int rc = cli_expect(c, 1, opts);
	if (rc < 0)
		return rc;
	if ((rc = env_open(c, &e, 1)) < 0)
		goto out;
	if (!reissue) {
		rc = issue_revoke(&e.ctx, &e.actor, cli_pos(c, 0),
				  cli_opt(c, "--reason"), &c->err);
		if (rc == 0)
			cli_printf(stdout, "dokumen dicabut\n");
		goto out;
	}
	rc = issue_reissue(&e.ctx, &e.actor, cli_pos(c, 0),
			   cli_opt(c, "--reason"), &res,
			   cli_opt(c, "--out") ? &pdf : NULL, &c->err);
	if (rc == 0 && (rc = write_out(c, &pdf)) == 0)
		cli_printf(stdout, "%s\n", res.doc.serial);
out:
	env_close(&e);
	buf_release(&pdf);
	return rc;
}

int cli_revoke(struct cli *c)
{
	return state_change(c, 0);
}

int cli_reissue(struct cli *c)
{
	return state_change(c, 1);
}

/* ---- documents ---------------------------------------------------- */

static void doc_text(const struct store_document *d)
{
	cli_printf(stdout, "Seri        : %s\n"
	       "Jenis       : %s\n"
	       "Kasus       : %lld\n"
	       "Nomor       : %s\n"
	       "Nama        : %s\n"
	       "Status      : %s\n"
	       "Berlaku     : hari %lld s.d. %lld\n"
	       "Diterbitkan : %s oleh %s\n"
	       "Kebijakan   : %s (skor %.3f)\n"
	       "SHA-256     : %s (%lld byte)\n",
	       d->serial, d->kind, (long long)d->case_id, d->number, d->name,
	       store_doc_state_name(d->state), (long long)d->issued_day,
	       (long long)d->expires_day,
	       d->issued_at, d->issued_by, d->policy_version, d->score,
	       d->sha256, (long long)d->size);
	if (d->revoked_at[0])
		cli_printf(stdout, "Dicabut     : %s oleh %s: %s\n", d->revoked_at,
		       d->revoked_by, d->reason);
	if (d->superseded_by[0])
		cli_printf(stdout, "Diganti oleh: %s\n", d->superseded_by);
	if (d->replaces[0])
		cli_printf(stdout, "Mengganti   : %s\n", d->replaces);
}

static void job_line(const struct store_print_job *j);

/* How many times the document was printed, when, and its jobs: a second
 * card in circulation is a fraud risk, so every print shows. */
static int doc_prints(struct cli *c, struct store *s,
		      const struct cases_actor *a, const char *serial)
{
	struct store_print_job *jobs = NULL;
	size_t n = 0;
	int count;
	char last[32];
	int rc = issue_print_history(s, a, serial, 50, &jobs, &n, &count,
				     last, &c->err);
	if (rc < 0)
		return rc;
	if (count)
		cli_printf(stdout, "Dicetak     : %d kali, terakhir %s\n", count,
			   last);
	else
		cli_printf(stdout, "Dicetak     : belum pernah\n");
	for (size_t i = 0; i < n; i++) {
		cli_printf(stdout, "  %s  ", jobs[i].submitted_at);
		job_line(&jobs[i]);
	}
	free(jobs);
	return 0;
}

static int doc_read(struct cli *c, int get)
{
	static const char *const opts[] = { "--by", "--json", "--out", NULL };
	struct store *s = NULL;
	struct cases_actor actor;
	const struct cases_actor *a;
	struct store_document d;
	struct buf pdf = BUF_INIT, out = BUF_INIT;
	int rc = cli_expect(c, 1, opts);
	if (rc < 0)
		return rc;
	if (get && !cli_opt(c, "--out"))
		return tb_err(&c->err, TB_EINVAL, "--out BERKAS.pdf wajib");
	if ((rc = cli_open_store(c, &s)) < 0 ||
	    (rc = reader(c, s, &actor, &a)) < 0 ||
	    (rc = issue_get(s, a, cli_pos(c, 0), &d, get ? &pdf : NULL,
			    &c->err)) < 0)
		goto out;
	if (get) {
		rc = write_out(c, &pdf);
	} else if (cli_flag(c, "--json")) {
		if ((rc = issue_doc_json(&d, &out)) == 0)
			cli_printf(stdout, "%s\n", out.data);
	} else {
		doc_text(&d);
		rc = doc_prints(c, s, a, d.serial);
	}
out:
	store_close(s);
	buf_release(&pdf);
	buf_release(&out);
	return rc;
}

int cli_document_show(struct cli *c)
{
	return doc_read(c, 0);
}

int cli_document_get(struct cli *c)
{
	return doc_read(c, 1);
}

static int list_line(const struct store_document *d, void *arg)
{
	(void)arg;
	cli_printf(stdout, "%s  %-6s  kasus %-6lld  %-28s  %s\n", d->serial, d->kind,
	       (long long)d->case_id, d->number,
	       store_doc_state_name(d->state));
	return 0;
}

int cli_document_list(struct cli *c)
{
	static const char *const opts[] = { "--by", "--json", "--case", NULL };
	struct store *s = NULL;
	struct cases_actor actor;
	const struct cases_actor *a;
	struct store_doc_filter f = { 0 };
	struct buf out = BUF_INIT;
	int rc = cli_expect(c, 0, opts);
	if (rc < 0)
		return rc;
	if (cli_opt(c, "--case") &&
	    (rc = cases_parse_id(cli_opt(c, "--case"), &f.case_id, &c->err)) < 0)
		return rc;
	if ((rc = cli_open_store(c, &s)) < 0 ||
	    (rc = reader(c, s, &actor, &a)) < 0)
		goto out;
	if (cli_flag(c, "--json")) {
		if ((rc = issue_list_json(s, a, &f, &out, &c->err)) == 0)
			cli_printf(stdout, "%s\n", out.data);
	} else {
		rc = issue_list(s, a, &f, list_line, NULL, &c->err);
	}
out:
	store_close(s);
	buf_release(&out);
	return rc;
}

int cli_document_check(struct cli *c)
{
	struct env e;
	struct buf report = BUF_INIT;
	size_t nbad = 0;
	int rc = cli_expect(c, 0, NULL);
	if (rc < 0)
		return rc;
	if ((rc = env_open(c, &e, 0)) == 0)
		rc = issue_check(e.s, e.kr, &report, &nbad, &c->err);
	if (rc >= 0) {
		fputs(report.data, stdout);
		cli_printf(stdout, "%d dokumen diperiksa, %zu masalah\n", rc, nbad);
		rc = nbad ? tb_err(&c->err, TB_EREFUSED,
				   "registri tidak utuh: %zu masalah", nbad)
			  : 0;
	}
	env_close(&e);
	buf_release(&report);
	return rc;
}

/*
 * terbit document seal: once after upgrading a data directory to schema 6.
 * Makes keys/seal.key when it is missing and seals the rows written before
 * seals existed (issue_seal_unsealed: never a row whose seal is wrong).
 */
int cli_document_seal(struct cli *c)
{
	struct env e;
	memset(&e, 0, sizeof e);
	int rc = cli_expect(c, 0, NULL);
	if (rc < 0)
		return rc;
	if ((rc = keys_seal_init(c->data_dir, &c->err)) < 0)
		return rc;
	if (rc == 0)
		cli_printf(stdout, "kunci segel dibuat: %s/keys/seal.key (cadangkan "
		       "bersama kunci lain)\n",
		       c->data_dir);
	if ((rc = env_open(c, &e, 0)) == 0 &&
	    (rc = issue_seal_unsealed(e.s, e.kr, &c->err)) >= 0) {
		cli_printf(stdout, "%d dokumen disegel\n", rc);
		rc = 0;
	}
	env_close(&e);
	return rc;
}

/* ---- the audit log's hash chain ----------------------------------- */

struct head_arg {
	int64_t id;
	char hash[65];
	int found;
};

static int find_head(const struct store_audit *a, void *arg)
{
	struct head_arg *h = arg;
	if (a->id != h->id)
		return 0;
	h->found = 1 + !strcmp(a->hash, h->hash);
	return 1;
}

/* --head ID:HASH (from `audit head`, written down earlier): the row must
 * still be there with that hash, or the log was rolled back or cut. */
static int check_recorded_head(struct cli *c, struct store *s,
			       const char *spec)
{
	struct head_arg h = { 0 };
	char *end = NULL;
	long long id = strtoll(spec, &end, 10);
	if (id <= 0 || !end || *end != ':' || strlen(end + 1) != 64)
		return tb_err(&c->err, TB_EINVAL,
			      "--head harus ID:HASH seperti keluaran "
			      "`terbit audit head`");
	h.id = id;
	memcpy(h.hash, end + 1, sizeof h.hash);
	int rc = store_audit_each(s, NULL, find_head, &h, &c->err);
	if (rc < 0)
		return rc;
	if (h.found != 2)
		return tb_err(&c->err, TB_EREFUSED,
			      "log audit tidak lagi memuat kepala yang "
			      "tercatat (entri %lld %s): basis data "
			      "dikembalikan ke versi lama atau log dipotong",
			      id, h.found ? "berubah" : "hilang");
	cli_printf(stdout, "kepala tercatat %lld masih ada dan sama\n", id);
	return 0;
}

/*
 * terbit audit verify [--head ID:HASH]: walks the chain; the first broken
 * link is named by its id, and the exit is non-zero.
 */
int cli_audit_verify(struct cli *c)
{
	static const char *const opts[] = { "--head", NULL };
	struct store *s = NULL;
	struct store_audit_check ac;
	int rc = cli_expect(c, 0, opts);
	if (rc < 0)
		return rc;
	if ((rc = cli_open_store(c, &s)) < 0 ||
	    (rc = store_audit_verify(s, &ac, &c->err)) < 0)
		goto out;
	if (ac.bad_id) {
		rc = tb_err(&c->err, TB_EREFUSED,
			    "log audit rusak mulai entri %lld: %s",
			    (long long)ac.bad_id, ac.why);
		goto out;
	}
	cli_printf(stdout, "log audit utuh: %lld entri, kepala %lld %s\n",
	       (long long)ac.rows, (long long)ac.head_id, ac.head_hash);
	if (cli_opt(c, "--head"))
		rc = check_recorded_head(c, s, cli_opt(c, "--head"));
out:
	store_close(s);
	return rc;
}

/* terbit audit head: "ID:HASH" of the newest entry, for the monthly
 * report (docs/issuance.md): kept outside the database, it shows a
 * rollback of the whole file, which no check inside the file can. */
int cli_audit_head(struct cli *c)
{
	struct store *s = NULL;
	int64_t id;
	char hash[65];
	int rc = cli_expect(c, 0, NULL);
	if (rc < 0)
		return rc;
	if ((rc = cli_open_store(c, &s)) == 0 &&
	    (rc = store_audit_head(s, &id, hash, &c->err)) == 0)
		cli_printf(stdout, "%lld:%s\n", (long long)id, hash);
	store_close(s);
	return rc;
}

/* ---- batch printing ----------------------------------------------- */

struct serials {
	char (*sn)[SERIAL_LEN + 1];
	size_t n;
	int64_t today;
};

/* Cards in force, for --all-valid and --case. */
static int collect_card(const struct store_document *d, void *arg)
{
	struct serials *l = arg;
	if (!issue_doc_in_force(d, l->today))
		return 0;
	char (*grown)[SERIAL_LEN + 1] = realloc(l->sn, (l->n + 1) * sizeof *grown);
	if (!grown)
		return TB_ENOMEM;
	l->sn = grown;
	memcpy(l->sn[l->n++], d->serial, 17);
	return 0;
}

/*
 * terbit document sheet SERIAL... --out FILE.pdf --by USER: cards on A4
 * sheets of ten for an ordinary printer, as a file (issue_card_sheet);
 * they count as printed only through `terbit print`. --all-valid
 * or --case KASUS take the cards in force instead of serials.
 */
int cli_document_sheet(struct cli *c)
{
	static const char *const opts[] = { "--by", "--out", "--all-valid",
					    "--case", "--policy", "--root",
					    NULL };
	struct env e;
	struct serials l = { NULL, 0, date_today() };
	struct store_doc_filter f = { .kind = "card" };
	struct buf pdf = BUF_INIT;
	const char **names = NULL;
	size_t n = (size_t)cli_npos(c);
	int all = cli_flag(c, "--all-valid"), rc;
	if ((rc = cli_expect(c, (int)n, opts)) < 0)
		return rc;
	if (!cli_opt(c, "--out"))
		return tb_err(&c->err, TB_EINVAL, "--out BERKAS.pdf wajib");
	if ((n > 0) + all + !!cli_opt(c, "--case") != 1)
		return tb_err(&c->err, TB_EINVAL, "sebutkan nomor seri kartu, "
			      "atau --all-valid, atau --case KASUS (salah satu)");
	if (cli_opt(c, "--case") &&
	    (rc = cases_parse_id(cli_opt(c, "--case"), &f.case_id,
				 &c->err)) < 0)
		return rc;
	if ((rc = env_open(c, &e, 1)) < 0)
		goto out;
	if (n == 0) {
		if ((rc = issue_list(e.s, &e.actor, &f, collect_card, &l,
				     &c->err)) < 0)
			goto out;
		if (l.n == 0) {
			rc = tb_err(&c->err, TB_ENOTFOUND,
				    "tidak ada kartu berlaku untuk dicetak");
			goto out;
		}
		n = l.n;
	}
	if (!(names = calloc(n, sizeof *names))) {
		rc = tb_err(&c->err, TB_ENOMEM, "memori habis");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		names[i] = l.n ? l.sn[i] : cli_pos(c, (int)i);
	rc = issue_card_sheet(&e.ctx, &e.actor, names, n, &pdf, &c->err);
	/* a file is not a print: the cards stay in the print queue until
	 * `terbit print` sends them and the job completes */
	if (rc > 0 && (rc = write_out(c, &pdf)) == 0)
		fprintf(stderr, "%zu kartu ditata pada %zu lembar A4 (%zu "
				"halaman: depan, lalu belakang; cetak bolak-balik, "
				"balik pada sisi panjang): %s\n",
			n, (n + RENDER_SHEET_CARDS - 1) / RENDER_SHEET_CARDS,
			2 * ((n + RENDER_SHEET_CARDS - 1) / RENDER_SHEET_CARDS),
			cli_opt(c, "--out"));
out:
	env_close(&e);
	free(names);
	free(l.sn);
	buf_release(&pdf);
	return rc;
}

/* ---- verification ------------------------------------------------- */

static int is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Exit code: 0 only for VALID; otherwise 10 + state, so scripts can
 * tell the states apart without parsing. */
/*
 * The host the office's QR codes point at: TERBIT_VERIFIER_HOST (as the
 * issuing commands take it), else the policy's verifier_host, copied
 * into host ("" when neither can be had: then nothing is compared, and
 * the policy's error is not the verification's).
 */
static void office_host(struct cli *c, char *host, size_t n)
{
	struct policy *p = NULL;
	const char *env = getenv("TERBIT_VERIFIER_HOST");
	host[0] = 0;
	if (env && *env) {
		snprintf(host, n, "%s", env);
		return;
	}
	if (cli_load_policy(c, &p) == 0) {
		const char *h = policy_setting(p, "verifier_host");
		snprintf(host, n, "%s", h ? h : "");
	}
	buf_reset(&c->err);
	policy_free(p);
}

int cli_verify(struct cli *c)
{
	static const char *const opts[] = { "--json", "--policy", NULL };
	struct env e;
	struct verify_result r;
	struct buf pdf = BUF_INIT, out = BUF_INIT;
	const char *arg = cli_pos(c, 0);
	/* Without the registry: cli_trust.c. */
	if (cli_flag(c, "--offline"))
		return cli_verify_offline(c);
	int rc = cli_expect(c, 1, opts);
	if (rc < 0)
		return rc;
	if ((rc = env_open(c, &e, 0)) < 0)
		goto out;
	if (is_file(arg)) {
		if ((rc = buf_read_file(&pdf, arg, VERIFY_PDF_MAX, &c->err)) < 0)
			goto out;
		rc = verify_pdf(e.s, e.kr, pdf.data, pdf.len, &r, &c->err);
	} else if (strlen(arg) > 4 &&
		   !strcasecmp(arg + strlen(arg) - 4, ".pdf")) {
		/* A mistyped file name is not a forged document. */
		rc = tb_err(&c->err, TB_ENOTFOUND, "berkas %s tidak ditemukan",
			    arg);
	} else {
		rc = verify_token(e.s, e.kr, arg, 0, &r, &c->err);
		if (rc == 0) {
			char host[80];
			office_host(c, host, sizeof host);
			verify_host_check(&r, arg, host);
			/* The verdict stays the token's: the warning is for the
			 * person holding a code that sends people elsewhere. */
			if (r.host_mismatch)
				cli_printf(stderr, "PERINGATAN: kode ini menunjuk ke "
					   "host %s, bukan %s\n", r.host, host);
		}
	}
	if (rc < 0)
		goto out;
	rc = cli_flag(c, "--json") ? verify_result_json(&r, &out)
				   : verify_result_text(&r, &out);
	if (rc < 0)
		goto out;
	cli_fputs(out.data, stdout);
	if (cli_flag(c, "--json"))
		putchar('\n');
	rc = r.state == VERIFY_VALID ? 0 : 10 + (int)r.state;
out:
	env_close(&e);
	buf_release(&pdf);
	buf_release(&out);
	return rc;
}

/* ---- printing through CUPS (docs/printing.md) --------------------- */

/* "ya"/"tidak" for a capability column. */
static const char *yn(int v)
{
	return v ? "ya" : "tidak";
}

/*
 * terbit printers: every CUPS destination with what it can do, then the
 * printers set up for letters and cards.
 */
int cli_printers(struct cli *c)
{
	struct print_dest *d = NULL;
	struct store *s = NULL;
	struct store_print_setup p;
	size_t n = 0;
	int rc = cli_expect(c, 0, NULL);
	if (rc < 0 || (rc = print_dests(&d, &n, &c->err)) < 0)
		return rc;
	if (n == 0)
		cli_printf(stdout, "server CUPS %s tidak punya printer\n",
			   cupsServer());
	for (size_t i = 0; i < n; i++)
		cli_printf(stdout, "%s%s  A4: %s  CR80: %s  bolak-balik: %s  "
			   "warna: %s  %s%s\n", d[i].name,
			   d[i].is_default ? " (bawaan)" : "",
			   d[i].media_a4[0] ? d[i].media_a4 : "tidak",
			   d[i].media_cr80[0] ? d[i].media_cr80 : "tidak",
			   yn(d[i].duplex), yn(d[i].color),
			   d[i].stopped ? "berhenti" : "siap",
			   d[i].accepting ? "" : ", menolak pekerjaan");
	free(d);
	if ((rc = cli_open_store(c, &s)) < 0)
		return rc;
	static const char *const roles[] = { "letter", "card" };
	for (size_t i = 0; i < ARRAY_SIZE(roles) && rc == 0; i++) {
		rc = store_print_setup_get(s, roles[i], &p, &c->err);
		if (rc == 0)
			cli_printf(stdout, "printer %s: %s (%s), diatur oleh %s "
				   "%s\n", i ? "kartu" : "surat", p.printer,
				   strcmp(p.mode, "sheet") == 0
					   ? "lembar A4 isi 10"
				   : strcmp(p.mode, "card") == 0
					   ? "satu kartu per halaman" : "A4",
				   p.set_by, p.set_at);
		else if (rc == TB_ENOTFOUND)
			rc = 0, cli_printf(stdout, "printer %s: belum diatur\n",
					   i ? "kartu" : "surat");
	}
	store_close(s);
	return rc;
}

/* terbit printer use letter|card NAME [--sheets] [--by USER] */
int cli_printer_use(struct cli *c)
{
	static const char *const opts[] = { "--by", "--sheets", NULL };
	struct store *s = NULL;
	struct cases_actor actor;
	const struct cases_actor *a;
	int rc = cli_expect(c, 2, opts);
	if (rc < 0)
		return rc;
	int kind = issue_kind_parse(cli_pos(c, 0), &c->err);
	if (kind < 0)
		return kind;
	if (kind == ISSUE_LETTER && cli_flag(c, "--sheets"))
		return tb_err(&c->err, TB_EINVAL, "--sheets hanya untuk kartu");
	if ((rc = cli_open_store(c, &s)) == 0 &&
	    (rc = reader(c, s, &actor, &a)) == 0 &&
	    (rc = issue_print_setup(s, a, kind, cli_pos(c, 1),
				    cli_flag(c, "--sheets"), &c->err)) == 0)
		cli_printf(stdout, "printer %s: %s\n",
			   kind == ISSUE_LETTER ? "surat" : "kartu",
			   cli_pos(c, 1));
	store_close(s);
	return rc;
}

static void job_line(const struct store_print_job *j)
{
	cli_printf(stdout, "pekerjaan %lld  CUPS %d  %s  %s  %s x%d  %s%s%s%s%s"
		   "  %s\n", (long long)j->id, j->cups_id, j->printer,
		   print_state_word(print_state_parse(j->state)), j->kind,
		   j->copies, j->sides, j->reprint ? "  cetak ulang: " : "",
		   j->reprint ? j->reason : "", j->reasons[0] ? "  sebab: " : "",
		   j->reasons, j->serials);
}

/*
 * Polls the jobs until each has ended or timeout seconds have passed.
 * 0 when all completed; TB_EREFUSED naming a job that ended otherwise;
 * TB_EIO when time ran out.
 */
static int wait_jobs(struct cli *c, struct store *s, const int64_t *ids,
		     size_t n, double timeout)
{
	struct store_print_job j;
	struct timespec nap = { 0, 100 * 1000 * 1000 };
	double waited = 0;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		for (;;) {
			if ((rc = issue_print_follow(s, ids[i], &c->err)) < 0 ||
			    (rc = store_print_job_get(s, ids[i], &j,
						      &c->err)) < 0)
				return rc;
			if (j.ended_at[0] || waited >= timeout)
				break;
			nanosleep(&nap, NULL);
			waited += 0.1;
		}
		job_line(&j);
		if (!j.ended_at[0])
			rc = tb_err(&c->err, TB_EIO, "pekerjaan %lld belum "
				    "selesai setelah %.0f detik (%s): dokumennya "
				    "belum tercatat dicetak", (long long)j.id,
				    timeout, print_state_word(
					    print_state_parse(j.state)));
		else if (strcmp(j.state, "completed") != 0)
			rc = tb_err(&c->err, TB_EREFUSED, "pekerjaan %lld %s%s%s: "
				    "dokumen tidak tercatat dicetak",
				    (long long)j.id, print_state_word(
					    print_state_parse(j.state)),
				    j.reasons[0] ? ": " : "", j.reasons);
	}
	return rc;
}

static int parse_timeout(struct cli *c, double *out)
{
	const char *t = cli_opt(c, "--wait");
	if (!t)
		t = cli_opt(c, "--timeout");
	*out = 0;
	if (!t)
		return 0;
	char *end;
	*out = strtod(t, &end);
	if (*end || *out < 0 || *out > 3600)
		return tb_err(&c->err, TB_EINVAL, "batas waktu harus 0..3600 "
			      "detik");
	return 1;
}

/*
 * terbit print SERIAL... [--printer NAME] [--copies N] [--reprint --reason
 * TEXT] --by USER [--wait S]: sends the documents to CUPS
 * (issue_print_submit); prints one line per job. With --wait, follows
 * them until they end.
 */
int cli_print(struct cli *c)
{
	static const char *const opts[] = { "--by", "--printer", "--copies",
					    "--reprint", "--reason", "--wait",
					    "--policy", "--root", NULL };
	struct env e;
	struct store_print_job *jobs = NULL;
	size_t njobs = 0, n = (size_t)cli_npos(c);
	const char **names = NULL;
	int64_t *ids = NULL;
	double timeout;
	int rc = cli_expect(c, (int)n, opts), wait;
	if (rc < 0 || (rc = wait = parse_timeout(c, &timeout)) < 0)
		return rc;
	if (n == 0)
		return tb_err(&c->err, TB_EINVAL, "sebutkan nomor seri dokumen "
			      "yang dicetak");
	struct issue_print_req req = {
		.n = n, .printer = cli_opt(c, "--printer"),
		.reprint = cli_flag(c, "--reprint"),
		.reason = cli_opt(c, "--reason"),
	};
	if (cli_opt(c, "--copies")) {
		const char *v = cli_opt(c, "--copies");
		if (!str_all_digits(v) || strlen(v) > 2 || !(req.copies = atoi(v)))
			return tb_err(&c->err, TB_EINVAL, "--copies harus 1..%d",
				      PRINT_COPIES_MAX);
	}
	if (req.reason && !req.reprint)
		return tb_err(&c->err, TB_EINVAL, "--reason hanya bersama "
			      "--reprint");
	if (!(names = calloc(n, sizeof *names)))
		return tb_err(&c->err, TB_ENOMEM, "memori habis");
	for (size_t i = 0; i < n; i++)
		names[i] = cli_pos(c, (int)i);
	req.serials = names;
	if ((rc = env_open(c, &e, 1)) == 0 &&
	    (rc = issue_print_submit(&e.ctx, &e.actor, &req, &jobs, &njobs,
				     &c->err)) == 0) {
		if (!wait)
			for (size_t i = 0; i < njobs; i++)
				job_line(&jobs[i]);
		if (wait && !(ids = calloc(njobs, sizeof *ids)))
			rc = tb_err(&c->err, TB_ENOMEM, "memori habis");
		for (size_t i = 0; ids && i < njobs; i++)
			ids[i] = jobs[i].id;
		if (wait && rc == 0)
			rc = wait_jobs(c, e.s, ids, njobs, timeout);
	}
	env_close(&e);
	free(names);
	free(jobs);
	free(ids);
	return rc;
}

static int parse_job_ids(struct cli *c, int64_t **ids, size_t *n)
{
	*n = (size_t)cli_npos(c);
	*ids = NULL;
	if (*n && !(*ids = calloc(*n, sizeof **ids)))
		return tb_err(&c->err, TB_ENOMEM, "memori habis");
	for (size_t i = 0; i < *n; i++) {
		const char *v = cli_pos(c, (int)i);
		if (!str_all_digits(v) || strlen(v) > 15 ||
		    ((*ids)[i] = atoll(v)) <= 0)
			return tb_err(&c->err, TB_EINVAL, "nomor pekerjaan cetak "
				      "tidak sah: %s", v);
	}
	return 0;
}

/* terbit print status [JOB...]: follows the jobs under way once, then
 * lists the named jobs, or the latest 20. */
int cli_print_status(struct cli *c)
{
	struct store *s = NULL;
	struct store_print_job *jobs = NULL, j;
	int64_t *ids = NULL;
	size_t n = 0, nj = 0;
	int rc = cli_expect(c, cli_npos(c), NULL);
	if (rc < 0 || (rc = parse_job_ids(c, &ids, &n)) < 0 ||
	    (rc = cli_open_store(c, &s)) < 0 ||
	    (rc = issue_print_follow(s, 0, &c->err)) < 0)
		goto out;
	rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++)
		if ((rc = store_print_job_get(s, ids[i], &j, &c->err)) == 0)
			job_line(&j);
	if (n == 0 && (rc = store_print_jobs(s, 0, NULL, 20, &jobs, &nj,
					     &c->err)) == 0)
		for (size_t i = 0; i < nj; i++)
			job_line(&jobs[i]);
out:
	free(ids);
	free(jobs);
	store_close(s);
	return rc;
}

/* terbit print wait JOB... [--timeout S]: until each has ended. */
int cli_print_wait(struct cli *c)
{
	static const char *const opts[] = { "--timeout", NULL };
	struct store *s = NULL;
	int64_t *ids = NULL;
	size_t n = 0;
	double timeout;
	int rc = cli_expect(c, cli_npos(c), opts), given;
	if (rc < 0 || (rc = given = parse_timeout(c, &timeout)) < 0 ||
	    (rc = parse_job_ids(c, &ids, &n)) < 0)
		goto out;
	if (!given)
		timeout = 60;
	if (n == 0) {
		rc = tb_err(&c->err, TB_EINVAL, "sebutkan nomor pekerjaan cetak");
		goto out;
	}
	if ((rc = cli_open_store(c, &s)) == 0)
		rc = wait_jobs(c, s, ids, n, timeout);
out:
	free(ids);
	store_close(s);
	return rc;
}
