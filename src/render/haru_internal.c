#include "render/haru_internal.h"

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_pages.h>
#include <string.h>

#include "core/err.h"
#include "core/str.h"

/*
 * Written against libharu 2.3.0: the fields used here (HPDF_Doc's mmgr,
 * xref and stream; HPDF_PageAttr's stream and contents; HPDF_FontAttr's
 * used, widths, fontdef and encoder; HPDF_FontDef's metrics and
 * descriptor; a dictionary's stream, filter, write_fn and attr) are not
 * part of its API. Another version may move them: check each against its
 * headers before widening this test. haru_selftest checks them at start.
 */
#if HPDF_MAJOR_VERSION != 2 || HPDF_MINOR_VERSION != 3
#error "render/haru_internal.c uses libharu's private structs and was written against libharu 2.3.0; check every field it uses against this version's headers (hpdf_doc.h, hpdf_font.h, hpdf_pages.h) before building with it"
#endif

/* ---- streams reading our bytes ------------------------------------ */

static HPDF_STATUS mr_read(HPDF_Stream st, HPDF_BYTE *ptr, HPDF_UINT *size)
{
	struct haru_reader *r = st->attr;
	size_t n = r->len - r->pos < *size ? r->len - r->pos : *size;
	memcpy(ptr, r->data + r->pos, n);
	r->pos += n;
	if (n == *size)
		return HPDF_OK;
	*size = (HPDF_UINT)n;
	return HPDF_STREAM_EOF;
}

static HPDF_STATUS mr_seek(HPDF_Stream st, HPDF_INT pos, HPDF_WhenceMode mode)
{
	struct haru_reader *r = st->attr;
	long to = pos + (mode == HPDF_SEEK_CUR ? (long)r->pos :
			 mode == HPDF_SEEK_END ? (long)r->len : 0);
	if (to < 0 || (size_t)to > r->len)
		return HPDF_SetError(st->error, HPDF_FILE_IO_ERROR, 0);
	r->pos = (size_t)to;
	return HPDF_OK;
}

static HPDF_INT32 mr_tell(HPDF_Stream st)
{
	return (HPDF_INT32)((struct haru_reader *)st->attr)->pos;
}

static HPDF_UINT32 mr_size(HPDF_Stream st)
{
	return (HPDF_UINT32)((struct haru_reader *)st->attr)->len;
}

/*
 * A libharu stream reading data[0..len) through r. libharu 2.3 has no
 * call to load a font from memory (and reading the file for each
 * document was slow), and it copies its own memory streams a byte at a
 * time when it saves; a callback reader avoids both.
 */
static HPDF_Stream reader_new(HPDF_Doc pdf, struct haru_reader *r,
			      const void *data, size_t len)
{
	*r = (struct haru_reader){ data, len, 0 };
	return HPDF_CallbackReader_New(pdf->mmgr, mr_read, mr_seek, mr_tell,
				       mr_size, r);
}

/* Gives dict (a stream dictionary) a stream reading data in place of
 * its own. */
static int use_bytes(HPDF_Doc pdf, HPDF_Dict dict, struct haru_reader *r,
		     const struct buf *data)
{
	HPDF_Stream st = reader_new(pdf, r, data->data, data->len);
	if (!st)
		return TB_ENOMEM;
	HPDF_Stream_Free(dict->stream);
	dict->stream = st;
	return 0;
}

/* All of a libharu memory stream's bytes, appended to out: straight from
 * its buffers, as HPDF_ReadFromStream copies a byte at a time. */
static int stream_bytes(HPDF_Stream st, struct buf *out)
{
	for (HPDF_UINT i = 0; i < HPDF_MemStream_GetBufCount(st); i++) {
		HPDF_UINT n = 0;
		HPDF_BYTE *p = HPDF_MemStream_GetBufPtr(st, i, &n);
		if (p && buf_add(out, p, n) < 0)
			return TB_ENOMEM;
	}
	return 0;
}

/* ---- fonts -------------------------------------------------------- */

int haru_font_load(HPDF_Doc pdf, struct haru_reader *r,
		   const unsigned char *data, size_t len, const char *tag,
		   HPDF_Font *font)
{
	HPDF_Stream st = reader_new(pdf, r, data, len);
	/* the definition owns the stream, even when it fails */
	HPDF_FontDef def = st ? HPDF_TTFontDef_Load(pdf->mmgr, st, HPDF_FALSE)
			      : NULL;
	*font = NULL;
	if (!def || HPDF_Doc_RegisterFontDef(pdf, def) != HPDF_OK)
		return HARU_FAILED;
	HPDF_TTFontDef_SetTagName(def, (char *)tag);
	*font = HPDF_GetFont(pdf, def->base_font, "CP1252");
	return 0;
}

unsigned haru_font_glyph(HPDF_Font font, unsigned char c)
{
	HPDF_FontAttr fa = (HPDF_FontAttr)font->attr;
	return HPDF_TTFontDef_GetGlyphid(fa->fontdef,
		HPDF_Encoder_GetUnicode(fa->encoder, (HPDF_UINT16)c));
}

void haru_font_use(HPDF_Font font, const char *s, size_t n,
		   const unsigned short width[256])
{
	HPDF_FontAttr fa = (HPDF_FontAttr)font->attr;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!fa->used[c]) {
			fa->used[c] = 1;
			fa->widths[c] = (HPDF_INT16)width[c];
		}
	}
}

void haru_font_used(HPDF_Font font, unsigned char used[256])
{
	memcpy(used, ((HPDF_FontAttr)font->attr)->used, 256);
}

/* libharu adds a descriptor at save time only when the font definition
 * has none: this one names our font file. */
int haru_font_embed(HPDF_Doc pdf, HPDF_Font font, struct haru_reader *r,
		    const struct buf *file)
{
	HPDF_FontDef def = ((HPDF_FontAttr)font->attr)->fontdef;
	HPDF_MMgr mm = pdf->mmgr;
	HPDF_Dict desc = HPDF_Dict_New(mm);
	if (!desc || HPDF_Xref_Add(pdf->xref, desc) != HPDF_OK)
		return HARU_FAILED;
	HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
	HPDF_Dict_AddNumber(desc, "Ascent", def->ascent);
	HPDF_Dict_AddNumber(desc, "Descent", def->descent);
	HPDF_Dict_AddNumber(desc, "CapHeight", def->cap_height);
	HPDF_Dict_AddNumber(desc, "Flags", (HPDF_INT32)def->flags);
	HPDF_Dict_Add(desc, "FontBBox", HPDF_Box_Array_New(mm, def->font_bbox));
	HPDF_Dict_AddName(desc, "FontName",
			  ((HPDF_TTFontDefAttr)def->attr)->base_font);
	HPDF_Dict_AddNumber(desc, "ItalicAngle", def->italic_angle);
	HPDF_Dict_AddNumber(desc, "StemV", def->stemv);
	HPDF_Dict_AddNumber(desc, "XHeight", def->x_height);
	HPDF_Dict fontfile = HPDF_DictStream_New(mm, pdf->xref);
	if (!fontfile)
		return HARU_FAILED;
	HPDF_Dict_AddNumber(fontfile, "Length1", (HPDF_INT32)file->len);
	int rc = use_bytes(pdf, fontfile, r, file);
	if (rc < 0)
		return rc;
	HPDF_Dict_Add(desc, "FontFile2", fontfile);
	def->descriptor = desc;
	return 0;
}

/* ---- pages -------------------------------------------------------- */

/* Page drawing through libharu's calls costs thousands of instructions
 * a call; text, paths and QR modules are formatted by render and written
 * here in one piece. */
void haru_page_write(HPDF_Page page, const void *data, size_t n)
{
	HPDF_Stream_Write(((HPDF_PageAttr)page->attr)->stream,
			  (const HPDF_BYTE *)data, (HPDF_UINT)n);
}

int haru_page_contents(HPDF_Page page, struct buf *out)
{
	return stream_bytes(((HPDF_PageAttr)page->attr)->stream, out);
}

static HPDF_STATUS write_flate_filter(HPDF_Dict obj, HPDF_Stream stream)
{
	(void)obj;
	return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

/* libharu writes the new stream as it is (filter none); the dictionary's
 * write hook adds the /Filter it then leaves out. */
int haru_page_set_flated(HPDF_Doc pdf, HPDF_Page page, struct haru_reader *r,
			 const struct buf *z)
{
	HPDF_PageAttr pa = (HPDF_PageAttr)page->attr;
	int rc = use_bytes(pdf, pa->contents, r, z);
	if (rc < 0)
		return rc;
	pa->stream = pa->contents->stream;
	pa->contents->filter = HPDF_STREAM_FILTER_NONE;
	pa->contents->write_fn = write_flate_filter;
	return 0;
}

int haru_doc_bytes(HPDF_Doc pdf, struct buf *out)
{
	return stream_bytes(pdf->stream, out);
}

/* ---- images ------------------------------------------------------- */

/* libharu writes a dictionary's own keys, then calls this, then ">>":
 * the prepared keys go in here. With filter none libharu writes the data
 * as it is, already deflated. */
static HPDF_STATUS write_prepared_keys(HPDF_Dict obj, HPDF_Stream stream)
{
	const struct buf *keys = obj->attr;
	return HPDF_Stream_Write(stream, (const HPDF_BYTE *)keys->data,
				 (HPDF_UINT)keys->len);
}

HPDF_Image haru_image_prepared(HPDF_Doc pdf, const struct buf *keys,
			       const struct buf *data)
{
	HPDF_Dict img = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
	if (!img)
		return NULL;
	img->header.obj_class |= HPDF_OSUBCLASS_XOBJECT;
	img->write_fn = write_prepared_keys;
	img->attr = (void *)keys; /* not freed by libharu: no free_fn */
	if (HPDF_Dict_AddName(img, "Type", "XObject") != HPDF_OK ||
	    HPDF_Dict_AddName(img, "Subtype", "Image") != HPDF_OK ||
	    HPDF_Stream_Write(img->stream, (const HPDF_BYTE *)data->data,
			      (HPDF_UINT)data->len) != HPDF_OK)
		return NULL;
	return img;
}

static void note_error(HPDF_STATUS no, HPDF_STATUS detail, void *user)
{
	(void)detail;
	HPDF_STATUS *first = user;
	if (!*first)
		*first = no;
}

static int skip_key(const char *key)
{
	return strcmp(key, "Type") == 0 || strcmp(key, "Subtype") == 0 ||
	       strcmp(key, "Length") == 0 || strcmp(key, "Filter") == 0;
}

/* The image's keys as PDF text; 0 when one is another object (a soft
 * mask). */
static int image_keys(HPDF_Image img, HPDF_Stream text)
{
	for (HPDF_UINT i = 0; i < img->list->count; i++) {
		HPDF_DictElement el = HPDF_List_ItemAt(img->list, i);
		const HPDF_Obj_Header *h = el->value;
		if (skip_key(el->key))
			continue;
		if (h->obj_class == HPDF_OCLASS_PROXY)
			return 0;
		HPDF_Stream_WriteEscapeName(text, el->key);
		HPDF_Stream_WriteStr(text, " ");
		HPDF_Obj_Write(el->value, text, NULL);
		HPDF_Stream_WriteStr(text, "\012");
	}
	HPDF_Stream_WriteStr(text, "/Filter /FlateDecode\012");
	return 1;
}

/* libharu would decode the PNG and deflate it again for every document. */
int haru_image_prepare(const void *png, size_t len, struct buf *keys,
		       struct buf *data)
{
	HPDF_STATUS error = 0;
	HPDF_Doc pdf = HPDF_New(note_error, &error);
	HPDF_Stream text = NULL, flated = NULL;
	int rc = 0;
	if (!pdf)
		return 0;
	HPDF_Image img = HPDF_LoadPngImageFromMem(pdf, png, (HPDF_UINT)len);
	text = HPDF_MemStream_New(pdf->mmgr, 1024);
	flated = HPDF_MemStream_New(pdf->mmgr, 4096);
	if (!img || !text || !flated || error || !image_keys(img, text) ||
	    error)
		goto out;
	HPDF_Stream_WriteToStream(img->stream, flated,
				  HPDF_STREAM_FILTER_FLATE_DECODE, NULL);
	if (error)
		goto out;
	rc = TB_ENOMEM;
	if (stream_bytes(text, keys) < 0 || stream_bytes(flated, data) < 0)
		goto out;
	rc = 1;
out:
	if (text)
		HPDF_Stream_Free(text);
	if (flated)
		HPDF_Stream_Free(flated);
	HPDF_Free(pdf);
	return rc;
}

/* ---- self-test ---------------------------------------------------- */

struct selftest {
	HPDF_STATUS error;
	HPDF_Doc pdf;
	HPDF_Font font;
	HPDF_Page page;
	struct haru_reader font_r, file_r, page_r;
	struct buf got;
	const char *failed; /* the check that failed, NULL while none has */
};

#define ST_BUF(s) { (char *)(s), sizeof(s) - 1, 0, 0 }
static const struct buf st_file = ST_BUF("terbit-selftest-font");
static const struct buf st_page = ST_BUF("terbit-selftest-page");
static const struct buf st_keys = ST_BUF(
	"/Width 1\012/Height 1\012/ColorSpace /DeviceGray\012"
	"/BitsPerComponent 8\012");
static const struct buf st_pixel = ST_BUF("\377");

static void st_expect(struct selftest *t, int ok, const char *what)
{
	if (!ok && !t->failed)
		t->failed = what;
}

/* What libharu's own page calls write lands where haru_page_write and
 * haru_page_contents look. */
static void st_page_stream(struct selftest *t)
{
	static const char want[] = "q\012% terbit\012Q\012";
	HPDF_Page_GSave(t->page);
	haru_page_write(t->page, "% terbit\012", 9);
	HPDF_Page_GRestore(t->page);
	buf_reset(&t->got);
	st_expect(t, haru_page_contents(t->page, &t->got) == 0 &&
		  t->got.len == sizeof want - 1 &&
		  memcmp(t->got.data, want, sizeof want - 1) == 0,
		  "page stream (HPDF_PageAttr stream)");
}

/* The record haru_font_use fills is the one libharu measures with, and
 * the definition's metrics are the ones its getters read. */
static void st_font_record(struct selftest *t)
{
	HPDF_FontAttr fa = (HPDF_FontAttr)t->font->attr;
	HPDF_FontDef def = fa->fontdef;
	unsigned short width[256] = { 0 };
	unsigned char used[256];
	haru_font_used(t->font, used);
	st_expect(t, !used['A'] && !used['B'], "font record before use");
	HPDF_TextWidth a = HPDF_Font_TextWidth(t->font,
					       (const HPDF_BYTE *)"A", 1);
	st_expect(t, fa->used['A'] && (HPDF_UINT)fa->widths['A'] == a.width &&
		  (HPDF_INT)a.width == HPDF_Font_GetUnicodeWidth(t->font, 'A'),
		  "font widths (HPDF_FontAttr used, widths)");
	width['B'] = 777;
	haru_font_use(t->font, "B", 1, width);
	haru_font_used(t->font, used);
	st_expect(t, used['B'] && HPDF_Font_TextWidth(t->font,
			(const HPDF_BYTE *)"B", 1).width == 777,
		  "font widths written (HPDF_FontAttr used, widths)");
	HPDF_Box box = HPDF_Font_GetBBox(t->font);
	st_expect(t, def->ascent == HPDF_Font_GetAscent(t->font) &&
		  def->descent == HPDF_Font_GetDescent(t->font) &&
		  def->cap_height ==
			  (HPDF_INT16)HPDF_Font_GetCapHeight(t->font) &&
		  def->x_height ==
			  (HPDF_INT16)HPDF_Font_GetXHeight(t->font) &&
		  def->font_bbox.left == box.left &&
		  def->font_bbox.top == box.top,
		  "font metrics (HPDF_FontDef)");
	unsigned ga = haru_font_glyph(t->font, 'A');
	st_expect(t, ga != 0 && ga != haru_font_glyph(t->font, 'B'),
		  "glyph ids (HPDF_FontAttr fontdef, encoder)");
}

/* Draws with the font and a prepared image, sets the font file and the
 * page's flated stream, saves; the saved bytes must hold them all. */
static void st_save(struct selftest *t)
{
	HPDF_Page_BeginText(t->page);
	HPDF_Page_SetFontAndSize(t->page, t->font, 10);
	HPDF_Page_EndText(t->page);
	HPDF_Image img = haru_image_prepared(t->pdf, &st_keys, &st_pixel);
	st_expect(t, img != NULL, "prepared image");
	if (img)
		HPDF_Page_DrawImage(t->page, img, 0, 0, 1, 1);
	st_expect(t, !t->error, "prepared image drawn (object class)");
	st_expect(t, haru_font_embed(t->pdf, t->font, &t->file_r, &st_file)
		  == 0, "font descriptor");
	st_expect(t, haru_page_set_flated(t->pdf, t->page, &t->page_r,
					  &st_page) == 0, "flated page");
	HPDF_SaveToStream(t->pdf);
	buf_reset(&t->got);
	st_expect(t, !t->error && haru_doc_bytes(t->pdf, &t->got) == 0 &&
		  t->got.len == HPDF_GetStreamSize(t->pdf),
		  "saved document (HPDF_Doc stream)");
	static const char *const want[] = {
		"terbit-selftest-page", "/Filter /FlateDecode\012",
		"terbit-selftest-font", "/Length1 20", "/FontFile2",
		"/FontName /HPDFAA+", "/BitsPerComponent 8\012", " 777",
	};
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		st_expect(t, memmem(t->got.data, t->got.len, want[i],
				    strlen(want[i])) != NULL,
			  "saved document holds what was set");
}

int haru_selftest(const unsigned char *ttf, size_t len, struct buf *err)
{
	struct selftest t = { .got = BUF_INIT };
	int rc = TB_ENOMEM;
	if (!(t.pdf = HPDF_New(note_error, &t.error))) {
		tb_err(err, rc, "libharu: memori habis");
		goto out;
	}
	if (haru_font_load(t.pdf, &t.font_r, ttf, len, "HPDFAA", &t.font) < 0 ||
	    !t.font || !(t.page = HPDF_AddPage(t.pdf)) || t.error) {
		rc = t.error == HPDF_FAILD_TO_ALLOC_MEM ? TB_ENOMEM
							: TB_EINTERNAL;
		tb_err(err, rc, "libharu gagal saat uji diri: galat 0x%04X",
		       (unsigned)t.error);
		goto out;
	}
	st_page_stream(&t);
	st_font_record(&t);
	st_save(&t);
	rc = 0;
	if (t.failed)
		rc = tb_err(err, TB_EINTERNAL, "libharu %s tidak cocok dengan "
			    "terbit (ditulis untuk libharu 2.3.0): uji diri "
			    "gagal pada %s; pasang libharu 2.3.0 atau sesuaikan "
			    "src/render/haru_internal.c", HPDF_GetVersion(),
			    t.failed);
out:
	if (t.pdf)
		HPDF_Free(t.pdf);
	buf_release(&t.got);
	return rc;
}
