#include "render/ttfsub.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"

static uint32_t rd16(const unsigned char *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void wr16(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void wr32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* The table record for tag, or NULL. */
static const unsigned char *find_table(const struct ttfsub *f, const char *tag)
{
	for (unsigned i = 0; i < f->ntables; i++) {
		const unsigned char *r = f->data + 12 + 16 * i;
		if (memcmp(r, tag, 4) == 0)
			return r;
	}
	return NULL;
}

/* The components of glyph g (a composite glyph's), appended to f->comp;
 * -1 when the glyph runs past its end. */
static int parse_components(struct ttfsub *f, unsigned g, size_t *ncomp,
			    size_t *cap)
{
	const unsigned char *p = f->data + f->glyf_off + f->glyph_off[g];
	const unsigned char *end = f->data + f->glyf_off + f->glyph_off[g + 1];
	if (end - p < 10 || !(p[0] & 0x80)) /* numberOfContours >= 0 */
		return 0;
	p += 10;
	for (;;) {
		if (end - p < 4)
			return -1;
		uint32_t flags = rd16(p), gid = rd16(p + 2);
		if (gid >= f->nglyphs)
			return -1;
		if (*ncomp == *cap) {
			size_t ncap = *cap ? *cap * 2 : 64;
			uint16_t *c = realloc(f->comp, ncap * sizeof(*c));
			if (!c)
				return TB_ENOMEM;
			f->comp = c;
			*cap = ncap;
		}
		f->comp[(*ncomp)++] = (uint16_t)gid;
		p += 4 + ((flags & 0x1) ? 4 : 2);           /* arguments */
		p += (flags & 0x8) ? 2 : (flags & 0x40) ? 4 : /* the scale */
		     (flags & 0x80) ? 8 : 0;
		if (!(flags & 0x20)) /* MORE_COMPONENTS */
			return 0;
	}
}

int ttfsub_load(struct ttfsub *f, const void *data, size_t len,
		const char *name, struct buf *err)
{
	memset(f, 0, sizeof(*f));
	if (len < 12 || len > UINT32_MAX)
		goto bad;
	if (!(f->data = malloc(len)))
		return tb_err(err, TB_ENOMEM, "memori habis");
	memcpy(f->data, data, len);
	f->len = len;
	f->ntables = rd16(f->data + 4);
	if (rd32(f->data) != 0x00010000 || 12 + 16 * (size_t)f->ntables > len)
		goto bad;
	for (unsigned i = 0; i < f->ntables; i++) {
		const unsigned char *r = f->data + 12 + 16 * i;
		if (rd32(r + 8) > len || rd32(r + 12) > len - rd32(r + 8))
			goto bad;
	}
	const unsigned char *head = find_table(f, "head");
	const unsigned char *maxp = find_table(f, "maxp");
	const unsigned char *loca = find_table(f, "loca");
	const unsigned char *glyf = find_table(f, "glyf");
	if (!head || !maxp || !loca || !glyf || rd32(head + 12) < 54 ||
	    rd32(maxp + 12) < 6)
		goto bad;
	f->long_loca = rd16(f->data + rd32(head + 8) + 50) != 0;
	f->nglyphs = rd16(f->data + rd32(maxp + 8) + 4);
	f->glyf_off = rd32(glyf + 8);
	if (!f->nglyphs ||
	    rd32(loca + 12) < (f->nglyphs + 1) * (f->long_loca ? 4u : 2u))
		goto bad;
	f->glyph_off = malloc((f->nglyphs + 1) * sizeof(*f->glyph_off));
	f->comp_start = malloc((f->nglyphs + 1) * sizeof(*f->comp_start));
	if (!f->glyph_off || !f->comp_start)
		return tb_err(err, TB_ENOMEM, "memori habis");
	const unsigned char *lp = f->data + rd32(loca + 8);
	for (unsigned g = 0; g <= f->nglyphs; g++) {
		f->glyph_off[g] = f->long_loca ? rd32(lp + 4 * g) :
				  rd16(lp + 2 * g) * 2;
		if ((g && f->glyph_off[g] < f->glyph_off[g - 1]) ||
		    f->glyph_off[g] > rd32(glyf + 12))
			goto bad;
	}
	size_t ncomp = 0, cap = 0;
	for (unsigned g = 0; g < f->nglyphs; g++) {
		f->comp_start[g] = (uint32_t)ncomp;
		int rc = parse_components(f, g, &ncomp, &cap);
		if (rc == TB_ENOMEM)
			return tb_err(err, rc, "memori habis");
		if (rc < 0)
			goto bad;
	}
	f->comp_start[f->nglyphs] = (uint32_t)ncomp;
	return 0;
bad:
	return tb_err(err, TB_EINVAL, "%s: bukan huruf TrueType yang dapat "
		      "dipakai", name);
}

void ttfsub_release(struct ttfsub *f)
{
	free(f->data);
	free(f->glyph_off);
	free(f->comp);
	free(f->comp_start);
	memset(f, 0, sizeof(*f));
}

/* Marks g and, for a composite, what it is built from (composites may
 * nest, a few levels at most). */
static void mark(const struct ttfsub *f, unsigned char *used, unsigned g,
		 int depth)
{
	used[g] = 1;
	if (depth > 8)
		return;
	for (uint32_t i = f->comp_start[g]; i < f->comp_start[g + 1]; i++)
		mark(f, used, f->comp[i], depth + 1);
}

static uint32_t checksum(const unsigned char *p, size_t n)
{
	uint32_t sum = 0;
	for (size_t i = 0; i + 4 <= n; i += 4)
		sum += rd32(p + i);
	return sum;
}

/* The new glyf (used glyphs only) then loca, in place at out->len. */
static int write_glyphs(const struct ttfsub *f, const unsigned char *used,
			struct buf *out, size_t *glyf_len, size_t *loca_at,
			size_t *loca_len_out)
{
	size_t at = out->len, n = 0;
	for (unsigned g = 0; g < f->nglyphs; g++)
		if (used[g])
			n += f->glyph_off[g + 1] - f->glyph_off[g];
	size_t loca_len = (f->nglyphs + 1) * (f->long_loca ? 4u : 2u);
	if (buf_grow(out, n + 3 + loca_len + 3) < 0)
		return TB_ENOMEM;
	unsigned char *glyf = (unsigned char *)out->data + at;
	unsigned char *loca = glyf + ((n + 3) & ~(size_t)3);
	const unsigned char *src = f->data + f->glyf_off;
	size_t pos = 0;
	for (unsigned g = 0; g <= f->nglyphs; g++) {
		if (f->long_loca)
			wr32(loca + 4 * g, (uint32_t)pos);
		else
			wr16(loca + 2 * g, (uint32_t)pos / 2);
		if (g == f->nglyphs || !used[g])
			continue;
		size_t len = f->glyph_off[g + 1] - f->glyph_off[g];
		memcpy(glyf + pos, src + f->glyph_off[g], len);
		pos += len;
	}
	memset(glyf + n, 0, (size_t)(loca - glyf) - n);
	memset(loca + loca_len, 0, ((loca_len + 3) & ~(size_t)3) - loca_len);
	*glyf_len = n;
	*loca_at = (size_t)(loca - (unsigned char *)out->data);
	*loca_len_out = loca_len;
	return 0;
}

int ttfsub_write(const struct ttfsub *f, unsigned char *used, struct buf *out)
{
	mark(f, used, 0, 0);
	for (unsigned g = 1; g < f->nglyphs; g++)
		if (used[g])
			mark(f, used, g, 0);
	size_t start = out->len, dir = 12 + 16 * (size_t)f->ntables;
	if (buf_grow(out, dir) < 0)
		return TB_ENOMEM;
	memcpy(out->data + start, f->data, 12); /* the offset table as is */
	memset(out->data + start + 12, 0, dir - 12);
	out->len += dir;
	size_t head_at = 0;
	for (unsigned i = 0; i < f->ntables; i++) {
		const unsigned char *r = f->data + 12 + 16 * i;
		size_t at = out->len, len = rd32(r + 12), loca_at = 0, llen = 0;
		if (memcmp(r, "loca", 4) == 0)
			continue; /* written with glyf */
		if (memcmp(r, "glyf", 4) == 0) {
			if (write_glyphs(f, used, out, &len, &loca_at,
					 &llen) < 0)
				return TB_ENOMEM;
		} else {
			if (buf_grow(out, len + 3) < 0)
				return TB_ENOMEM;
			memcpy(out->data + at, f->data + rd32(r + 8), len);
			memset(out->data + at + len, 0, 3);
			if (memcmp(r, "head", 4) == 0) {
				head_at = at;
				wr32((unsigned char *)out->data + at + 8, 0);
			}
		}
		unsigned char *rec = (unsigned char *)out->data + start + 12 +
				     16 * i;
		memcpy(rec, r, 4);
		wr32(rec + 8, (uint32_t)(at - start));
		wr32(rec + 12, (uint32_t)len);
		out->len = at + ((len + 3) & ~(size_t)3);
		if (memcmp(r, "glyf", 4) == 0) {
			/* loca's record: its own place in the directory */
			const unsigned char *lr = find_table(f, "loca");
			unsigned char *lrec = (unsigned char *)out->data + start +
					      12 + (size_t)(lr - f->data - 12);
			memcpy(lrec, "loca", 4);
			wr32(lrec + 8, (uint32_t)(loca_at - start));
			wr32(lrec + 12, (uint32_t)llen);
			out->len = loca_at + ((llen + 3) & ~(size_t)3);
		}
	}
	unsigned char *base = (unsigned char *)out->data + start;
	for (unsigned i = 0; i < f->ntables; i++) {
		unsigned char *rec = base + 12 + 16 * i;
		wr32(rec + 4, checksum(base + rd32(rec + 8),
				       (rd32(rec + 12) + 3) & ~3u));
	}
	if (head_at)
		wr32((unsigned char *)out->data + head_at + 8,
		     0xB1B0AFBAu - checksum(base, out->len - start));
	out->data[out->len] = 0;
	return 0;
}
