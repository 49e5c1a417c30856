#ifndef TERBIT_HARU_INTERNAL_H
#define TERBIT_HARU_INTERNAL_H
/*
 * haru_internal: every place where render goes past libharu's public API
 * (private struct fields, functions hpdf.h does not document). Each one
 * replaced a public path that cost a large share of a document's time
 * (docs/architecture.md, "render"); together they tie terbit to libharu
 * 2.3's struct layout, so they live in haru_internal.c alone, behind a
 * version check at compile time and haru_selftest at start. The rest of
 * render uses libharu's public API only.
 *
 * Functions returning int give 0, TB_ENOMEM, or HARU_FAILED: libharu
 * refused, and its error handler has the reason. Internal to render.
 */
#include <stddef.h>

#include <hpdf.h>

#include "core/buf.h"

#define HARU_FAILED (-1000)

/* Bytes we hold that libharu reads as a stream: they must stay as they
 * are until the document is freed. */
struct haru_reader {
	const unsigned char *data;
	size_t len, pos;
};

/*
 * Loads the TrueType font data[0..len) (read with reader r, which must
 * live as long as pdf) into pdf as a font definition tagged tag (six
 * upper-case letters, the subset prefix of the font's name), without
 * libharu's embedding: haru_font_embed adds the font file. *font is the
 * font with the CP1252 encoding, NULL when libharu refused (then its
 * error handler says why). HARU_FAILED when the definition was refused.
 */
int haru_font_load(HPDF_Doc pdf, struct haru_reader *r,
		   const unsigned char *data, size_t len, const char *tag,
		   HPDF_Font *font);

/* The glyph id of byte c (CP1252) in font, 0 when it has none. */
unsigned haru_font_glyph(HPDF_Font font, unsigned char c);

/* Records s[0..n) as shown with font, with width[c] (1/1000 em) as the
 * width of byte c, the way libharu's own text calls do: /Widths and the
 * embedded subset follow this record. */
void haru_font_use(HPDF_Font font, const char *s, size_t n,
		   const unsigned short width[256]);

/* used[c] = whether byte c has been shown with font. */
void haru_font_used(HPDF_Font font, unsigned char used[256]);

/* The font descriptor libharu would write at save time, with file (the
 * font file to embed, read through r) as its /FontFile2. */
int haru_font_embed(HPDF_Doc pdf, HPDF_Font font, struct haru_reader *r,
		    const struct buf *file);

/* Appends data[0..n) to page's content stream as it is. */
void haru_page_write(HPDF_Page page, const void *data, size_t n);

/* Appends everything drawn on page so far to out. TB_ENOMEM. */
int haru_page_contents(HPDF_Page page, struct buf *out);

/* Replaces page's content stream with z (deflated; read through r), to
 * be written as it is with /Filter /FlateDecode. Nothing may be drawn on
 * the page after this. */
int haru_page_set_flated(HPDF_Doc pdf, HPDF_Page page, struct haru_reader *r,
			 const struct buf *z);

/* Appends the saved document (HPDF_SaveToStream) to out. TB_ENOMEM. */
int haru_doc_bytes(HPDF_Doc pdf, struct buf *out);

/*
 * The image libharu makes of png[0..len), prepared once: *keys gets the
 * keys of its dictionary other than /Type, /Subtype and /Length (as PDF
 * text, /Filter included) and *data its data, deflated by libharu. 1
 * when prepared; 0 when not (an image with more than one object, such as
 * a PNG with transparency, or a PNG libharu refuses: documents load it
 * themselves); TB_ENOMEM.
 */
int haru_image_prepare(const void *png, size_t len, struct buf *keys,
		       struct buf *data);

/* An image object of pdf written from prepared keys and data, which must
 * stay as they are until pdf is freed. NULL when libharu refused. */
HPDF_Image haru_image_prepared(HPDF_Doc pdf, const struct buf *keys,
			       const struct buf *data);

/*
 * Checks that this libharu's structs hold what the functions above rely
 * on, with a document of its own and the TrueType font ttf[0..len): the
 * page stream they write to is the one libharu saves, the font record
 * they fill is the one libharu measures and writes /Widths from, the
 * descriptor, image and page stream they set are written. TB_EINTERNAL
 * naming the check that failed, TB_ENOMEM.
 */
int haru_selftest(const unsigned char *ttf, size_t len, struct buf *err);

#endif
