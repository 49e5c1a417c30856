/* Images (the letterhead's logo): prepared once at start, so that a
 * document writes the stream it needs as it is; libharu would decode the
 * PNG and deflate it again for every document. */
#include "core/err.h"
#include "render/render_int.h"

/* 0 either way (an image that cannot be prepared is loaded by each
 * document itself), TB_ENOMEM. */
int render__prepare_image(struct render_ctx *ctx, const struct layout_el *e)
{
	if (ctx->nprep == PREPARED_MAX)
		return 0;
	struct prepared *p = &ctx->prep[ctx->nprep];
	int rc = haru_image_prepare(e->image.data, e->image.len, &p->keys,
				    &p->data);
	if (rc == 1) {
		p->el = e;
		ctx->nprep++;
		return 0;
	}
	buf_release(&p->keys);
	buf_release(&p->data);
	return rc;
}

int render__el_image(struct doc *d, const struct layout_el *e)
{
	const struct prepared *p = NULL;
	for (size_t i = 0; i < d->ctx->nprep && !p; i++)
		if (d->ctx->prep[i].el == e)
			p = &d->ctx->prep[i];
	HPDF_Image img = p ? haru_image_prepared(d->pdf, &p->keys, &p->data) :
		HPDF_LoadPngImageFromMem(d->pdf,
			(const HPDF_BYTE *)e->image.data, (HPDF_UINT)e->image.len);
	if (!img) {
		int rc = render__hpdf_check(d, "memuat gambar");
		return rc < 0 ? rc : tb_err(d->err, TB_ENOMEM, "memori habis");
	}
	double w = PT(e->num[LN_W]), h = PT(e->num[LN_H]);
	HPDF_Page_DrawImage(d->page, img, (HPDF_REAL)PT(e->num[LN_X]),
			    (HPDF_REAL)(PT(d->page_h - render__el_y(d, e)) - h),
			    (HPDF_REAL)w, (HPDF_REAL)h);
	return 0;
}
