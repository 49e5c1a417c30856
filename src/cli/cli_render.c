/*
 * Documents on the command line: `terbit qr` (a QR code as PNG) and
 * `terbit render letter|card` (an unsigned specimen PDF, from a case in
 * the database, or from a fields file for tests and layout work).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "cli/cli.h"
#include "core/err.h"
#include "issue/fields.h"
#include "render/qr.h"
#include "render/render.h"

int cli_qr(struct cli *c)
{
	static const char *const allowed[] = { "--out", "--mm", "--dpi",
					       "--data", NULL };
	struct buf png = BUF_INIT;
	struct qr q = { 0 };
	int rc = cli_expect(c, 1, allowed);
	const char *out = cli_opt(c, "--out");
	const char *mm = cli_opt(c, "--mm"), *dpi = cli_opt(c, "--dpi");
	if (rc < 0)
		goto out;
	if (!out) {
		rc = tb_err(&c->err, TB_EINVAL, "--out FILE.png diperlukan");
		goto out;
	}
	char *end1 = "", *end2 = "";
	double vmm = mm ? strtod(mm, &end1) : 20;
	long vdpi = dpi ? strtol(dpi, &end2, 10) : 300;
	if (*end1 || *end2) {
		rc = tb_err(&c->err, TB_EINVAL, "--mm dan --dpi harus angka");
		goto out;
	}
	if ((rc = qr_encode(&q, cli_pos(c, 0), &c->err)) < 0 ||
	    (rc = qr_png(&q, vmm, (int)vdpi, &png, &c->err)) < 0 ||
	    (rc = buf_write_file(out, png.data, png.len, 0644, &c->err)) < 0)
		goto out;
	printf("%s: QR versi %d, %d modul, %zu byte\n", out, q.version,
	       q.width, png.len);
out:
	qr_release(&q);
	buf_release(&png);
	return rc;
}

/* A stand-in QR payload of the real token URL's length (160), so the
 * specimen's code has the size of the issued one. */
static int specimen_qr(const struct policy *p, struct buf *out)
{
	const char *host = policy_setting(p, "verifier_host");
	int rc = buf_addf(out, "HTTPS://%s/V/", host ? host : "VERIFIKASI");
	while (rc == 0 && out->len < 160)
		rc = buf_addc(out, "CONTOH"[out->len % 6]);
	return rc;
}

static int case_fields(struct cli *c, const char *id_text,
		       struct render_fields *fields)
{
	struct store *s = NULL;
	struct policy *p = NULL;
	struct cases_facts facts;
	struct elig_decision d;
	struct buf qr = BUF_INIT;
	int64_t id;
	int loaded = 0;
	int rc = cases_parse_id(id_text, &id, &c->err);
	if (rc < 0 || (rc = cli_load_policy(c, &p)) < 0 ||
	    (rc = cli_open_store(c, &s)) < 0 ||
	    (rc = cases_facts_load(s, id, &facts, &c->err)) < 0)
		goto out;
	loaded = 1;
	if (strcmp(facts.c.state, state_name(ST_APPROVED)) != 0) {
		rc = tb_err(&c->err, TB_EREFUSED, "kasus %lld belum disetujui "
			    "(status: %s)", (long long)id, facts.c.state);
		goto out;
	}
	elig_decide(p, &facts.facts, &d);
	if ((rc = specimen_qr(p, &qr)) < 0)
		goto out;
	/* a specimen: numbers that cannot be mistaken for issued ones */
	struct issue_doc_info doc = { .letter_number = "CONTOH",
				      .serial = "CONTOH",
				      .card_number = "0000000000000",
				      .qr = qr.data };
	rc = issue_fields_build(s, p, &facts, &d, &doc, fields, &c->err);
out:
	if (loaded)
		cases_facts_release(&facts);
	store_close(s);
	policy_free(p);
	buf_release(&qr);
	return rc;
}

int cli_render(struct cli *c)
{
	static const char *const allowed[] = { "--out", "--fields", "--root",
					       "--data", "--policy", NULL };
	struct render_fields fields;
	struct render_ctx *ctx = NULL;
	struct buf root = BUF_INIT, text = BUF_INIT, pdf = BUF_INIT;
	const char *what = cli_pos(c, 0), *out = cli_opt(c, "--out");
	const char *ffile = cli_opt(c, "--fields");
	render_fields_init(&fields);
	int rc = cli_expect(c, ffile ? 1 : 2, allowed);
	if (rc < 0)
		goto out;
	enum render_kind kind = RENDER_LETTER;
	if (strcmp(what, "card") == 0)
		kind = RENDER_CARD;
	else if (strcmp(what, "letter") != 0) {
		rc = tb_err(&c->err, TB_EINVAL,
			    "dokumen harus letter atau card, bukan %s", what);
		goto out;
	}
	if (!out) {
		rc = tb_err(&c->err, TB_EINVAL, "--out FILE.pdf diperlukan");
		goto out;
	}
	if (ffile)
		rc = buf_read_file(&text, ffile, 1 << 20, &c->err) < 0 ? TB_EIO :
		     render_fields_parse(&fields, text.data, &c->err);
	else
		rc = case_fields(c, cli_pos(c, 1), &fields);
	if (rc < 0 || (rc = cli_find_root(c, &root)) < 0 ||
	    (rc = render_ctx_new(&ctx, root.data, &c->err)) < 0 ||
	    (rc = render_doc(ctx, kind, &fields, RENDER_SPECIMEN, &pdf,
			     &c->err)) < 0 ||
	    (rc = buf_write_file(out, pdf.data, pdf.len, 0644, &c->err)) < 0)
		goto out;
	printf("%s: %s, %zu byte (CONTOH, belum ditandatangani)\n", out,
	       kind == RENDER_CARD ? "kartu" : "surat", pdf.len);
out:
	render_ctx_free(ctx);
	render_fields_release(&fields);
	buf_release(&root);
	buf_release(&text);
	buf_release(&pdf);
	return rc;
}
