#ifndef TERBIT_TTFSUB_H
#define TERBIT_TTFSUB_H
/*
 * ttfsub: the TrueType font file a document embeds, cut down to the
 * glyphs that document uses. libharu 2.3 does the same, but it re-reads
 * the whole font a few bytes at a time for every document; here the font
 * is parsed once, at start, and each document only copies the glyphs it
 * needs.
 *
 * The result keeps every table of the source font and every glyph index
 * (an unused glyph is left empty, as libharu does), so the glyph numbers
 * the PDF's encoding maps to stay right. Composite glyphs (accented
 * letters) bring the glyphs they are built from.
 */
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

struct ttfsub {
	unsigned char *data;    /* the font file, owned */
	size_t len;
	unsigned ntables;
	unsigned nglyphs;
	int long_loca;          /* head.indexToLocFormat */
	uint32_t *glyph_off;    /* nglyphs + 1 offsets into glyf */
	uint32_t glyf_off;      /* file offset of glyf */
	/* components of composite glyphs: glyph g's are
	 * comp[comp_start[g] .. comp_start[g + 1]) */
	uint16_t *comp;
	uint32_t *comp_start;
};

/*
 * Parses the font file (len bytes at data; copied). TB_EINVAL naming
 * `name` when it is not a TrueType font this can subset, TB_ENOMEM.
 * Release with ttfsub_release, also after a failure.
 */
int ttfsub_load(struct ttfsub *f, const void *data, size_t len,
		const char *name, struct buf *err);
void ttfsub_release(struct ttfsub *f);

/*
 * Appends to out the font with only the glyphs marked in used (nglyphs
 * bytes, non-zero = used; updated in place with the components they
 * need, and glyph 0, .notdef, always). TB_ENOMEM.
 */
int ttfsub_write(const struct ttfsub *f, unsigned char *used,
		 struct buf *out);

#endif
