/*
 * Documents on the command line: `terbit qr` (a QR code as PNG) and
 * `terbit render letter|card` (an unsigned specimen PDF, from a case in
 * the database, or from a fields file for tests and layout work).
 */
#include <stdio.h>
#include <stdlib.h>

#include "cases/cases.h"
#include "cli/cli.h"
#include "core/err.h"
#include "issue/issue.h"
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

/* The specimen's fields from case id_text (issue_specimen). */
static int case_fields(struct cli *c, const char *id_text,
		       struct render_fields *fields)
{
	struct store *s = NULL;
	struct policy *p = NULL;
	int64_t id;
	int rc = cases_parse_id(id_text, &id, &c->err);
	if (rc >= 0 && (rc = cli_load_policy(c, &p)) >= 0 &&
	    (rc = cli_open_store(c, &s)) >= 0)
		rc = issue_specimen(s, p, id, fields, &c->err);
	store_close(s);
	policy_free(p);
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
	int k = issue_kind_parse(what, &c->err);
	if (k < 0) {
		rc = k;
		goto out;
	}
	enum render_kind kind = k == ISSUE_CARD ? RENDER_CARD : RENDER_LETTER;
	if (!out) {
		rc = tb_err(&c->err, TB_EINVAL, "--out FILE.pdf diperlukan");
		goto out;
	}
	if (ffile) {
		if ((rc = buf_read_file(&text, ffile, 1 << 20, &c->err)) >= 0)
			rc = render_fields_parse(&fields, text.data, &c->err);
	} else {
		rc = case_fields(c, cli_pos(c, 1), &fields);
	}
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
