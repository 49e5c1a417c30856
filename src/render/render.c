/* The render context, loaded once, and one document's life: open,
 * draw, finish, close. The files of the module: render_int.h. */
#include "render/render.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "core/str.h"
#include "render/render_int.h"

static const char *const font_files[FONT_N] = {
	"fonts/terbit-sans.ttf", "fonts/terbit-sans-bold.ttf",
};

/* The layouts of each document kind, in page order. */
static const struct {
	enum render_kind kind;
	const char *files[2];
} doc_layouts[] = {
	{ RENDER_LETTER, { "layouts/spm_letter.layout", NULL } },
	{ RENDER_CARD, { "layouts/kis_card_front.layout",
			 "layouts/kis_card_back.layout" } },
};
_Static_assert(ARRAY_SIZE(doc_layouts) == NDOCS,
	       "one doc_layouts row per enum render_kind");

/* libharu calls this on every error. Errors are sticky inside a libharu
 * document, so only the first is kept and the document is abandoned at
 * the next check. */
void render__hpdf_error(HPDF_STATUS no, HPDF_STATUS detail, void *user)
{
	struct doc *d = user;
	if (!d->hpdf_error) {
		d->hpdf_error = no;
		d->hpdf_detail = detail;
	}
}

int render__hpdf_check(struct doc *d, const char *what)
{
	if (!d->hpdf_error)
		return 0;
	return tb_err(d->err, d->hpdf_error == HPDF_FAILD_TO_ALLOC_MEM ?
		      TB_ENOMEM : TB_EINTERNAL,
		      "libharu gagal saat %s: galat 0x%04X (detail %u)", what,
		      (unsigned)d->hpdf_error, (unsigned)d->hpdf_detail);
}

/*
 * A libharu document with the fonts loaded, for at most maxpages pages.
 * render__doc_close releases it, also after a failure here.
 */
int render__doc_open(struct doc *d, const struct render_ctx *ctx,
		    int maxpages, struct buf *err)
{
	memset(d, 0, sizeof *d);
	d->ctx = ctx;
	d->err = err;
	buf_init(&d->utf8, 0);
	buf_init(&d->text, 0);
	buf_init(&d->line, 0);
	for (int i = 0; i < FONT_N; i++)
		buf_init(&d->fontfile[i], 0);
	d->pg = maxpages <= 2 ? d->pg_own : calloc((size_t)maxpages,
						   sizeof *d->pg);
	if (!d->pg)
		return tb_err(err, TB_ENOMEM, "memori habis");
	d->maxpages = maxpages;
	for (int i = 0; i < maxpages; i++)
		buf_init(&d->pg[i].z, 0);
	d->pdf = HPDF_New(render__hpdf_error, d);
	if (!d->pdf)
		return tb_err(err, TB_ENOMEM, "libharu: memori habis");
	/* Page contents and images are compressed (finish.c deflates the
	 * page contents itself); the font files are not: each is already cut
	 * down to the glyphs the document shows (finish.c), and deflating
	 * that costs more time than the few kilobytes it saves. */
	HPDF_SetCompressionMode(d->pdf, HPDF_COMP_TEXT | HPDF_COMP_IMAGE);
	HPDF_SetInfoAttr(d->pdf, HPDF_INFO_CREATOR, "terbit");
	int rc = render__hpdf_check(d, "menyiapkan dokumen");
	return rc < 0 ? rc : render__load_fonts(d);
}

void render__doc_close(struct doc *d)
{
	if (d->pdf)
		HPDF_Free(d->pdf);
	buf_release(&d->utf8);
	buf_release(&d->text);
	buf_release(&d->line);
	for (int i = 0; i < FONT_N; i++)
		buf_release(&d->fontfile[i]);
	for (int i = 0; d->pg && i < d->maxpages; i++)
		buf_release(&d->pg[i].z);
	if (d->pg != d->pg_own)
		free(d->pg);
}

int render_doc(const struct render_ctx *ctx, enum render_kind kind,
	       const struct render_fields *fields, int flags, struct buf *out,
	       struct buf *err)
{
	struct doc d;
	if ((size_t)kind >= NDOCS)
		return tb_err(err, TB_EINVAL, "jenis dokumen tidak dikenal");
	int rc = render__doc_open(&d, ctx, 2, err);
	for (int p = 0; rc == 0 && p < 2; p++) {
		const struct layout *lay = &ctx->lay[kind][p];
		if (!lay->n)
			continue;
		if ((rc = render__add_page(&d, lay->page_w, lay->page_h)) == 0)
			rc = render__draw_layout(&d, lay, fields, 0, 0, flags);
	}
	if (rc == 0)
		rc = render__doc_finish(&d, out);
	render__doc_close(&d);
	return rc;
}

/* The font files under root, read once and checked (ttfsub_load). */
static int read_fonts(struct render_ctx *ctx, const char *root,
		      struct buf *err)
{
	struct buf path = BUF_INIT, font = BUF_INIT;
	int rc = 0;
	for (int i = 0; i < FONT_N && rc == 0; i++) {
		buf_reset(&path);
		if (buf_addf(&path, "%s/%s", root, font_files[i]) < 0) {
			rc = TB_ENOMEM;
			break;
		}
		ctx->font[i].path = buf_detach(&path, NULL);
		buf_reset(&font);
		if ((rc = buf_read_file(&font, ctx->font[i].path, 8 << 20,
					err)) == 0)
			rc = ttfsub_load(&ctx->font[i].sub, font.data, font.len,
					 ctx->font[i].path, err);
	}
	buf_release(&path);
	buf_release(&font);
	return rc;
}

/* layouts/report.layout, optional: a root without it renders documents,
 * and render_report says what is missing. */
static int read_report_layout(struct render_ctx *ctx, const char *root,
			      struct buf *path, struct buf *err)
{
	buf_reset(path);
	if (buf_addf(path, "%s/layouts/report.layout", root) < 0)
		return TB_ENOMEM;
	if (access(path->data, F_OK) != 0)
		return 0;
	int rc = layout_load(&ctx->report, path->data, err);
	for (size_t i = 0; rc == 0 && i < ctx->report.n; i++)
		if (ctx->report.el[i].kind == LAYOUT_IMAGE)
			rc = render__prepare_image(ctx, &ctx->report.el[i]);
	return rc;
}

/* Every layout under root, checked, with its images prepared. */
static int read_layouts(struct render_ctx *ctx, const char *root,
			struct buf *err)
{
	struct buf path = BUF_INIT;
	int rc = 0;
	for (size_t k = 0; k < NDOCS && rc == 0; k++)
		for (int p = 0; p < 2 && doc_layouts[k].files[p] && rc == 0;
		     p++) {
			struct layout *lay = &ctx->lay[doc_layouts[k].kind][p];
			buf_reset(&path);
			if ((rc = buf_addf(&path, "%s/%s", root,
					   doc_layouts[k].files[p])) < 0 ||
			    (rc = layout_load(lay, path.data, err)) < 0)
				break;
			for (size_t i = 0; i < lay->n && rc == 0; i++)
				if (lay->el[i].kind == LAYOUT_IMAGE)
					rc = render__prepare_image(ctx,
								   &lay->el[i]);
		}
	if (rc == 0)
		rc = read_report_layout(ctx, root, &path, err);
	buf_release(&path);
	return rc;
}

/*
 * The libharu structs that haru_internal.c reaches into are checked
 * first (haru_selftest), with the regular font: a libharu that lays them
 * out otherwise would make broken documents, so the context refuses to
 * start instead.
 */
int render_ctx_new(struct render_ctx **out, const char *root, struct buf *err)
{
	struct render_ctx *ctx = calloc(1, sizeof(*ctx));
	int rc = TB_ENOMEM;
	*out = NULL;
	if (!ctx)
		goto out;
	if ((rc = read_fonts(ctx, root, err)) < 0 ||
	    (rc = haru_selftest(ctx->font[FONT_REGULAR].sub.data,
				ctx->font[FONT_REGULAR].sub.len, err)) < 0 ||
	    (rc = render__font_tables(ctx, err)) < 0 ||
	    (rc = read_layouts(ctx, root, err)) < 0)
		goto out;
	*out = ctx;
	ctx = NULL;
	rc = 0;
out:
	if (rc == TB_ENOMEM)
		tb_err(err, rc, "memori habis");
	render_ctx_free(ctx);
	return rc;
}


void render_ctx_free(struct render_ctx *ctx)
{
	if (!ctx)
		return;
	for (int i = 0; i < FONT_N; i++) {
		free(ctx->font[i].path);
		ttfsub_release(&ctx->font[i].sub);
	}
	for (size_t k = 0; k < NDOCS; k++)
		for (int p = 0; p < 2; p++)
			layout_release(&ctx->lay[k][p]);
	layout_release(&ctx->report);
	for (size_t i = 0; i < ctx->nprep; i++) {
		buf_release(&ctx->prep[i].keys);
		buf_release(&ctx->prep[i].data);
	}
	free(ctx);
}
