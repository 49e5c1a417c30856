/* Finishing a document: each font's subset embedded, each page's content
 * stream deflated, the PDF saved and appended to the caller's buffer. */
#include <string.h>

#include "core/err.h"
#include "render/flate.h"
#include "render/render_int.h"

/*
 * Font i's file cut down to the glyphs of the characters this document
 * showed (libharu's record of them, the same set its /Widths list), with
 * the descriptor libharu would make. Not libharu's own embedding, which
 * re-reads the whole font a byte at a time at every save.
 */
static int embed_font(struct doc *d, int i)
{
	const struct render_font *rf = &d->ctx->font[i];
	unsigned char shown[256];
	buf_reset(&d->line);
	if (buf_grow(&d->line, rf->sub.nglyphs) < 0)
		return tb_err(d->err, TB_ENOMEM, "memori habis");
	unsigned char *used = (unsigned char *)d->line.data;
	memset(used, 0, rf->sub.nglyphs);
	haru_font_used(d->font[i], shown);
	for (int c = 0; c < 256; c++)
		if (shown[c] && rf->gid[c] < rf->sub.nglyphs)
			used[rf->gid[c]] = 1;
	if (ttfsub_write(&rf->sub, used, &d->fontfile[i]) < 0)
		return tb_err(d->err, TB_ENOMEM, "memori habis");
	int rc = haru_font_embed(d->pdf, d->font[i], &d->out_reader[i],
				 &d->fontfile[i]);
	if (rc == TB_ENOMEM)
		return tb_err(d->err, rc, "memori habis");
	int failed = rc < 0;
	if ((rc = render__hpdf_check(d, "menyematkan huruf")) == 0 && failed)
		rc = tb_err(d->err, TB_EINTERNAL, "libharu gagal menyematkan "
			    "huruf %s", rf->path);
	return rc;
}

/*
 * Page k's content stream deflated by flate_compress (cheaper than
 * libharu's zlib at its default level, for slightly larger pages) and
 * put back in its place, written as it is.
 */
static int deflate_page(struct doc *d, int k)
{
	struct doc_page *pg = &d->pg[k];
	buf_reset(&d->text);
	if (haru_page_contents(pg->page, &d->text) < 0 ||
	    flate_compress(d->text.data, d->text.len, &pg->z) < 0 ||
	    haru_page_set_flated(d->pdf, pg->page, &pg->r, &pg->z) < 0)
		return tb_err(d->err, TB_ENOMEM, "memori habis");
	return render__hpdf_check(d, "memadatkan halaman");
}

static int save_pdf(struct doc *d, struct buf *out)
{
	for (int i = 0; i < d->npages; i++) {
		int rc = deflate_page(d, i);
		if (rc < 0)
			return rc;
	}
	HPDF_SaveToStream(d->pdf);
	int rc = render__hpdf_check(d, "menyimpan PDF");
	if (rc < 0)
		return rc;
	size_t at = out->len;
	if ((rc = haru_doc_bytes(d->pdf, out)) < 0) {
		buf_truncate(out, at);
		return tb_err(d->err, rc, "memori habis");
	}
	if (out->len - at != HPDF_GetStreamSize(d->pdf)) {
		buf_truncate(out, at);
		return tb_err(d->err, TB_EINTERNAL, "PDF terpotong");
	}
	return 0;
}

int render__doc_finish(struct doc *d, struct buf *out)
{
	for (int i = 0; i < FONT_N; i++) {
		int rc = embed_font(d, i);
		if (rc < 0)
			return rc;
	}
	return save_pdf(d, out);
}
