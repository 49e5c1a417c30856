#include "sign/pades.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/random.h"
#include "core/str.h"
#include "sign/keyring_int.h"

/*
 * A minimal reader for classic-xref PDFs: enough to find the trailer, the
 * catalog and the first page, and to copy their dictionaries entry by
 * entry. Every read is bounds-checked against the file and nesting is
 * capped, because the input may be anything.
 */

#define MAX_DEPTH 32
#define MAX_PREV 32        /* xref sections followed through /Prev */
#define MAX_OBJ 8388607    /* the PDF limit on object numbers */
#define BYTERANGE_WIDTH 44 /* "[0 a b c]" padded to this many characters */
/* Room for the CMS beyond a trial signature: the ECDSA value varies by a
 * few bytes; RSA not at all. */
#define CMS_MARGIN 64

struct pdf {
	const char *p;
	size_t n;
	size_t *offs; /* object number -> offset, 0 = unknown */
	size_t noffs;
	size_t xref;  /* offset of the newest xref section */
	size_t startxref_at; /* offset of the last "startxref" */
	long nfree;   /* free entries (but object 0's) in sections read */
	long size;    /* trailer /Size */
	long root, root_gen, info, info_gen;
	size_t id0_at; /* offset of the first /ID string's hex digits, 0 none */
	size_t id0_len;
};

struct span {
	size_t at, end; /* [at, end) */
};

static int is_ws(char c)
{
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' ||
	       c == '\0';
}

static int is_delim(char c)
{
	return strchr("()<>[]{}/%", c) != NULL && c != '\0';
}

static size_t skip_ws(const struct pdf *d, size_t i)
{
	while (i < d->n) {
		if (d->p[i] == '%') {
			while (i < d->n && d->p[i] != '\n' && d->p[i] != '\r')
				i++;
		} else if (is_ws(d->p[i])) {
			i++;
		} else {
			break;
		}
	}
	return i;
}

static int at_word(const struct pdf *d, size_t i, const char *w)
{
	size_t n = strlen(w);
	return i + n <= d->n && memcmp(d->p + i, w, n) == 0 &&
	       (i + n == d->n || is_ws(d->p[i + n]) || is_delim(d->p[i + n]));
}

/* Reads a non-negative decimal integer at i; end is set after it. */
static int read_uint(const struct pdf *d, size_t i, long *v, size_t *end)
{
	long x = 0;
	size_t s = i;
	while (i < d->n && d->p[i] >= '0' && d->p[i] <= '9' && i - s < 12)
		x = x * 10 + (d->p[i++] - '0');
	if (i == s || (i < d->n && d->p[i] >= '0' && d->p[i] <= '9'))
		return -1;
	*v = x;
	*end = i;
	return 0;
}

/* End of the object starting at i (after skip_ws), or 0 on garbage. */
static size_t skip_obj(const struct pdf *d, size_t i, int depth)
{
	if (depth > MAX_DEPTH || i >= d->n)
		return 0;
	char c = d->p[i];
	if (c == '<' && i + 1 < d->n && d->p[i + 1] == '<') {
		i += 2;
		for (;;) {
			i = skip_ws(d, i);
			if (i + 1 < d->n && d->p[i] == '>' && d->p[i + 1] == '>')
				return i + 2;
			if (!(i = skip_obj(d, i, depth + 1)))
				return 0;
		}
	}
	if (c == '[') {
		i++;
		for (;;) {
			i = skip_ws(d, i);
			if (i < d->n && d->p[i] == ']')
				return i + 1;
			if (!(i = skip_obj(d, i, depth + 1)))
				return 0;
		}
	}
	if (c == '(') {
		int level = 0;
		for (; i < d->n; i++) {
			if (d->p[i] == '\\')
				i++;
			else if (d->p[i] == '(')
				level++;
			else if (d->p[i] == ')' && --level == 0)
				return i + 1;
		}
		return 0;
	}
	if (c == '<') {
		while (++i < d->n && d->p[i] != '>')
			if (!is_ws(d->p[i]) && !strchr("0123456789abcdefABCDEF", d->p[i]))
				return 0;
		return i < d->n ? i + 1 : 0;
	}
	if (c == '/')
		i++;
	else if (is_delim(c))
		return 0;
	while (i < d->n && !is_ws(d->p[i]) && !is_delim(d->p[i]))
		i++;
	return i;
}

/* Object value at i with a following "g R" folded in (an indirect
 * reference is three tokens). */
static size_t skip_value(const struct pdf *d, size_t i)
{
	size_t end = skip_obj(d, i, 0), e2;
	long v;
	if (!end || d->p[i] < '0' || d->p[i] > '9')
		return end;
	size_t g = skip_ws(d, end);
	if (read_uint(d, g, &v, &e2) == 0) {
		size_t r = skip_ws(d, e2);
		if (at_word(d, r, "R"))
			return r + 1;
	}
	return end;
}

/*
 * Iterates the top-level entries of the dictionary at dict: *pos starts at
 * 0; each call yields the key (with its '/') and value spans. 1 while there
 * are entries, 0 at the end, -1 on garbage.
 */
static int dict_next(const struct pdf *d, size_t dict, size_t *pos,
		     struct span *key, struct span *val)
{
	size_t i = *pos ? *pos : dict + 2;
	if (dict + 1 >= d->n || d->p[dict] != '<' || d->p[dict + 1] != '<')
		return -1;
	i = skip_ws(d, i);
	if (i + 1 < d->n && d->p[i] == '>' && d->p[i + 1] == '>')
		return 0;
	if (i >= d->n || d->p[i] != '/')
		return -1;
	key->at = i;
	if (!(key->end = skip_obj(d, i, 0)))
		return -1;
	val->at = skip_ws(d, key->end);
	if (!(val->end = skip_value(d, val->at)))
		return -1;
	*pos = val->end;
	return 1;
}

static int key_is(const struct pdf *d, const struct span *k, const char *name)
{
	size_t n = strlen(name);
	return k->end - k->at == n && memcmp(d->p + k->at, name, n) == 0;
}

static int dict_get(const struct pdf *d, size_t dict, const char *name,
		    struct span *val)
{
	struct span k;
	size_t pos = 0;
	int r;
	while ((r = dict_next(d, dict, &pos, &k, val)) == 1)
		if (key_is(d, &k, name))
			return 0;
	return -1;
}

static int span_ref(const struct pdf *d, const struct span *v, long *num,
		    long *gen)
{
	size_t e;
	if (read_uint(d, v->at, num, &e) ||
	    read_uint(d, skip_ws(d, e), gen, &e))
		return -1;
	e = skip_ws(d, e);
	return at_word(d, e, "R") && *num > 0 && *num <= MAX_OBJ ? 0 : -1;
}

static int span_uint(const struct pdf *d, const struct span *v, long *x)
{
	size_t e;
	return read_uint(d, v->at, x, &e) || e != v->end ? -1 : 0;
}

/* ---- xref and trailer ---- */

static int find_startxref(struct pdf *d)
{
	size_t from = d->n > 1024 ? d->n - 1024 : 0;
	long v;
	size_t e;
	for (size_t i = d->n; i-- > from;) {
		if (i + 9 <= d->n && memcmp(d->p + i, "startxref", 9) == 0) {
			if (read_uint(d, skip_ws(d, i + 9), &v, &e) ||
			    (size_t)v >= d->n)
				return -1;
			d->xref = (size_t)v;
			d->startxref_at = i;
			return 0;
		}
	}
	return -1;
}

static int grow_offs(struct pdf *d, size_t want)
{
	if (want <= d->noffs)
		return 0;
	size_t *o = realloc(d->offs, want * sizeof *o);
	if (!o)
		return TB_ENOMEM;
	memset(o + d->noffs, 0, (want - d->noffs) * sizeof *o);
	d->offs = o;
	d->noffs = want;
	return 0;
}

/* Reads one xref table at at; fills unknown offsets (newer sections are
 * read first and win); *trailer is set to the trailer dictionary. */
static int read_xref(struct pdf *d, size_t at, size_t *trailer)
{
	size_t i = at, e;
	long first, count, off, gen;
	if (!at_word(d, i, "xref"))
		return TB_EINVAL;
	i += 4;
	for (;;) {
		i = skip_ws(d, i);
		if (at_word(d, i, "trailer"))
			break;
		if (read_uint(d, i, &first, &e) ||
		    read_uint(d, skip_ws(d, e), &count, &i) ||
		    first + count > MAX_OBJ + 1 || (size_t)(first + count) > d->n ||
		    (size_t)count > (d->n - i) / 18)
			return TB_EINVAL;
		if (grow_offs(d, (size_t)(first + count)))
			return TB_ENOMEM;
		for (long k = 0; k < count; k++) {
			i = skip_ws(d, i);
			if (read_uint(d, i, &off, &e) ||
			    read_uint(d, skip_ws(d, e), &gen, &e))
				return TB_EINVAL;
			i = skip_ws(d, e);
			if (i >= d->n || (d->p[i] != 'n' && d->p[i] != 'f'))
				return TB_EINVAL;
			if (d->p[i] == 'n' && !d->offs[first + k] &&
			    (size_t)off < d->n)
				d->offs[first + k] = (size_t)off;
			if (d->p[i] == 'f' && first + k != 0)
				d->nfree++;
			i++;
		}
	}
	*trailer = skip_ws(d, i + 7);
	return skip_obj(d, *trailer, 0) && d->p[*trailer] == '<' ? 0 : TB_EINVAL;
}

static int read_trailers(struct pdf *d, struct buf *err)
{
	size_t at = d->xref, tr;
	struct span v;
	for (int k = 0; k < MAX_PREV; k++) {
		int rc = read_xref(d, at, &tr);
		if (rc)
			return tb_err(err, rc, "tabel xref PDF tidak terbaca "
				      "(hanya xref klasik yang didukung)");
		if (k == 0) {
			if (!dict_get(d, tr, "/Encrypt", &v))
				return tb_err(err, TB_EINVAL, "PDF terenkripsi");
			if (dict_get(d, tr, "/Size", &v) ||
			    span_uint(d, &v, &d->size) ||
			    dict_get(d, tr, "/Root", &v) ||
			    span_ref(d, &v, &d->root, &d->root_gen))
				return tb_err(err, TB_EINVAL, "trailer PDF rusak");
			if (!dict_get(d, tr, "/Info", &v) &&
			    span_ref(d, &v, &d->info, &d->info_gen))
				return tb_err(err, TB_EINVAL, "trailer PDF rusak");
			if (!dict_get(d, tr, "/ID", &v) && d->p[v.at] == '[') {
				size_t s = skip_ws(d, v.at + 1);
				size_t e = skip_obj(d, s, 0);
				if (e && d->p[s] == '<' && e - s >= 4) {
					d->id0_at = s + 1;
					d->id0_len = e - s - 2;
				}
			}
		}
		if (!dict_get(d, tr, "/XRefStm", &v))
			return tb_err(err, TB_EINVAL, "PDF hibrida tidak didukung");
		long prev;
		if (dict_get(d, tr, "/Prev", &v))
			return 0;
		if (span_uint(d, &v, &prev) || (size_t)prev >= d->n)
			return tb_err(err, TB_EINVAL, "trailer PDF rusak");
		at = (size_t)prev;
	}
	return tb_err(err, TB_EINVAL, "terlalu banyak revisi PDF");
}

/* Offset of the dictionary of object num (checking "num gen obj"). */
static int object_dict(const struct pdf *d, long num, long gen, size_t *dict)
{
	long n2, g2;
	size_t e;
	if (num <= 0 || (size_t)num >= d->noffs || !d->offs[num])
		return -1;
	size_t i = d->offs[num];
	if (read_uint(d, i, &n2, &e) || n2 != num ||
	    read_uint(d, skip_ws(d, e), &g2, &e) || g2 != gen)
		return -1;
	i = skip_ws(d, e);
	if (!at_word(d, i, "obj"))
		return -1;
	i = skip_ws(d, i + 3);
	if (i + 1 >= d->n || d->p[i] != '<' || d->p[i + 1] != '<' ||
	    !skip_obj(d, i, 0))
		return -1;
	*dict = i;
	return 0;
}

static int type_is(const struct pdf *d, size_t dict, const char *type)
{
	struct span v;
	return !dict_get(d, dict, "/Type", &v) &&
	       v.end - v.at == strlen(type) &&
	       memcmp(d->p + v.at, type, v.end - v.at) == 0;
}

/* The first page: down /Kids[0] from the catalog's /Pages. */
static int first_page(const struct pdf *d, size_t catalog, long *num,
		      long *gen, size_t *dict)
{
	struct span v;
	if (dict_get(d, catalog, "/Pages", &v) || span_ref(d, &v, num, gen))
		return -1;
	for (int depth = 0; depth < MAX_DEPTH; depth++) {
		if (object_dict(d, *num, *gen, dict))
			return -1;
		if (type_is(d, *dict, "/Page"))
			return 0;
		if (!type_is(d, *dict, "/Pages") || dict_get(d, *dict, "/Kids", &v) ||
		    d->p[v.at] != '[')
			return -1;
		struct span kid = { skip_ws(d, v.at + 1), 0 };
		if (span_ref(d, &kid, num, gen))
			return -1;
	}
	return -1;
}

/* ---- writing the update ---- */

/* Copies dictionary entries except those named in skip (NULL-ended). */
static int copy_dict_except(struct buf *out, const struct pdf *d, size_t dict,
			    const char *const *skip, struct span *found)
{
	struct span k, v;
	size_t pos = 0;
	int r, rc = buf_adds(out, "<<");
	found->at = found->end = 0;
	while (!rc && (r = dict_next(d, dict, &pos, &k, &v)) == 1) {
		int drop = 0;
		for (int i = 0; skip[i] && !drop; i++)
			drop = key_is(d, &k, skip[i]);
		if (drop) {
			*found = v;
			continue;
		}
		if ((rc = buf_addc(out, ' ')) ||
		    (rc = buf_add(out, d->p + k.at, k.end - k.at)) ||
		    (rc = buf_addc(out, ' ')))
			break;
		rc = buf_add(out, d->p + v.at, v.end - v.at);
	}
	return rc;
}

struct update {
	long sig, widget, page, page_gen, catalog, catalog_gen;
	size_t off_sig, off_widget, off_page, off_catalog;
	size_t byterange_at, contents_at, contents_end;
	size_t xref_at; /* the signed revision's xref section */
};

static int write_page(struct buf *out, const struct pdf *d, size_t dict,
		      struct update *u, struct buf *err)
{
	static const char *const skip[] = { "/Annots", NULL };
	struct span annots;
	u->off_page = out->len;
	int rc = buf_addf(out, "%ld %ld obj\n", u->page, u->page_gen);
	if (!rc)
		rc = copy_dict_except(out, d, dict, skip, &annots);
	if (rc)
		return rc;
	if (annots.end && d->p[annots.at] != '[')
		return tb_err(err, TB_EINVAL, "/Annots tidak langsung pada "
			      "halaman 1 tidak didukung");
	rc = buf_adds(out, " /Annots [");
	/* Keep the page's own annotations (links), then add ours. */
	if (!rc && annots.end)
		rc = buf_add(out, d->p + annots.at + 1, annots.end - annots.at - 2);
	if (!rc)
		rc = buf_addf(out, " %ld 0 R] >>\nendobj\n", u->widget);
	return rc;
}

/* The catalog with the signature's AcroForm, and when dss is not 0 the
 * Document Security Store too (the DSS revision repeats every entry of
 * the signed one and adds only /DSS, which pades_verify checks). */
static int write_catalog(struct buf *out, const struct pdf *d, size_t dict,
			 struct update *u, long dss, struct buf *err)
{
	/* A form or a DSS already there belongs to other signatures: such
	 * a file is refused, not signed over (and /DSS is ours to add). */
	static const char *const skip[] = { "/AcroForm", "/DSS", NULL };
	struct span form;
	u->off_catalog = out->len;
	int rc = buf_addf(out, "%ld %ld obj\n", u->catalog, u->catalog_gen);
	if (!rc)
		rc = copy_dict_except(out, d, dict, skip, &form);
	if (rc)
		return rc;
	if (form.end)
		return tb_err(err, TB_EINVAL, "PDF sudah memiliki formulir "
			      "(AcroForm) atau DSS");
	rc = buf_addf(out, " /AcroForm << /Fields [%ld 0 R] /SigFlags 3 >>",
		      u->widget);
	if (!rc && dss)
		rc = buf_addf(out, " /DSS %ld 0 R", dss);
	return rc ? rc : buf_adds(out, " >>\nendobj\n");
}

static int write_sig(struct buf *out, struct update *u, int64_t when,
		     size_t reserve)
{
	time_t t = (time_t)when;
	struct tm tm;
	char m[32];
	gmtime_r(&t, &tm);
	strftime(m, sizeof m, "D:%Y%m%d%H%M%SZ", &tm);
	u->off_sig = out->len;
	int rc = buf_addf(out, "%ld 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite "
			  "/SubFilter /ETSI.CAdES.detached /M (%s) /ByteRange ",
			  u->sig, m);
	u->byterange_at = out->len;
	for (int i = 0; !rc && i < BYTERANGE_WIDTH; i++)
		rc = buf_addc(out, ' ');
	if (!rc)
		rc = buf_adds(out, " /Contents ");
	u->contents_at = out->len;
	if (!rc)
		rc = buf_addc(out, '<');
	if (!rc)
		rc = buf_grow(out, 2 * reserve + 1);
	if (rc)
		return rc;
	memset(out->data + out->len, '0', 2 * reserve);
	out->len += 2 * reserve;
	out->data[out->len] = '\0';
	rc = buf_addc(out, '>');
	u->contents_end = out->len;
	if (!rc)
		rc = buf_adds(out, " >>\nendobj\n");
	return rc;
}

static int write_widget(struct buf *out, struct update *u)
{
	u->off_widget = out->len;
	return buf_addf(out, "%ld 0 obj\n<< /Type /Annot /Subtype /Widget "
			"/FT /Sig /F 132 /T (Tanda tangan) /V %ld 0 R /P %ld %ld R "
			"/Rect [0 0 0 0] >>\nendobj\n",
			u->widget, u->sig, u->page, u->page_gen);
}

struct xref_row {
	long num, gen;
	size_t off;
};

static int cmp_row(const void *a, const void *b)
{
	long x = ((const struct xref_row *)a)->num;
	long y = ((const struct xref_row *)b)->num;
	return (x > y) - (x < y);
}

/*
 * One xref section for rows (sorted here) and its trailer: /Prev is the
 * section before, /ID the permanent id0 and this revision's id1. *at is
 * set to where the section starts.
 */
static int write_xref(struct buf *out, const struct pdf *d,
		      struct xref_row *rows, int n, size_t prev,
		      const unsigned char id0[16], const unsigned char id1[16],
		      size_t *at)
{
	long size = 0;
	int rc = 0;
	*at = out->len;
	rc = buf_adds(out, "xref\n");
	qsort(rows, (size_t)n, sizeof rows[0], cmp_row);
	for (int i = 0; i < n && !rc;) {
		int k = i + 1;
		while (k < n && rows[k].num == rows[k - 1].num + 1)
			k++;
		rc = buf_addf(out, "%ld %d\n", rows[i].num, k - i);
		for (; i < k && !rc; i++)
			rc = buf_addf(out, "%010zu %05ld n \n", rows[i].off,
				      rows[i].gen);
	}
	/* The new objects are numbered from the old /Size up, so the
	 * largest row is the largest object. */
	size = n ? rows[n - 1].num + 1 : d->size;
	if (size < d->size)
		size = d->size;
	if (!rc)
		rc = buf_addf(out, "trailer\n<< /Size %ld /Root %ld %ld R",
			      size, d->root, d->root_gen);
	if (!rc && d->info)
		rc = buf_addf(out, " /Info %ld %ld R", d->info, d->info_gen);
	if (!rc)
		rc = buf_addf(out, " /Prev %zu /ID [<", prev);
	if (!rc)
		rc = buf_addhex(out, id0, 16);
	if (!rc)
		rc = buf_adds(out, "> <");
	if (!rc)
		rc = buf_addhex(out, id1, 16);
	if (!rc)
		rc = buf_addf(out, ">] >>\nstartxref\n%zu\n%%%%EOF\n", *at);
	return rc;
}

/* ---- the Document Security Store (B-LT) ---- */

/* One stream object holding DER bytes as they are (no filter: a
 * certificate or a CRL does not compress much). */
static int write_der_stream(struct buf *out, long num, const unsigned char *der,
			    int n)
{
	int rc = buf_addf(out, "%ld 0 obj\n<< /Length %d >>\nstream\n", num, n);
	if (!rc)
		rc = buf_add(out, der, (size_t)n);
	return rc ? rc : buf_adds(out, "\nendstream\nendobj\n");
}

#define DSS_MAX_CERTS 8

/*
 * The second incremental update, after the signed revision: the signer's
 * certificate and its chain as /Certs, the CA's CRL (when the keyring has
 * one for this signer's issuer, current at the signing time) as /CRLs,
 * the /DSS dictionary naming them, and the catalog again with /DSS added.
 * The signature does not cover these bytes, and need not: a reader checks
 * the certificates and the CRL by their own signatures.
 */
static int write_dss(struct buf *out, const struct keyring *kr,
		     const struct pdf_signer *s, const struct pdf *d,
		     size_t catalog, struct update *u, int64_t when,
		     const unsigned char id0[16], const unsigned char id1[16])
{
	struct xref_row rows[DSS_MAX_CERTS + 3];
	X509 *certs[DSS_MAX_CERTS];
	int nc = 0, nr = 0, rc = 0;
	long num = u->widget + 1;
	certs[nc++] = s->cert;
	for (int i = 0; i < sk_X509_num(s->chain) && nc < DSS_MAX_CERTS; i++)
		certs[nc++] = sk_X509_value(s->chain, i);
	for (int i = 0; i < nc && !rc; i++) {
		unsigned char *der = NULL;
		int n = i2d_X509(certs[i], &der);
		rows[nr++] = (struct xref_row){ num, 0, out->len };
		rc = n > 0 ? write_der_stream(out, num++, der, n) : TB_ECRYPTO;
		OPENSSL_free(der);
	}
	int crl = !rc && keyring_crl_for(kr, s->cert, when);
	if (crl) {
		rows[nr++] = (struct xref_row){ num, 0, out->len };
		rc = write_der_stream(out, num++,
				      (const unsigned char *)kr->crl_der.data,
				      (int)kr->crl_der.len);
	}
	long dss = num;
	rows[nr++] = (struct xref_row){ dss, 0, out->len };
	if (!rc)
		rc = buf_addf(out, "%ld 0 obj\n<< /Type /DSS /Certs [", dss);
	for (int i = 0; i < nc && !rc; i++)
		rc = buf_addf(out, "%s%ld 0 R", i ? " " : "", u->widget + 1 + i);
	if (!rc && crl)
		rc = buf_addf(out, "] /CRLs [%ld 0 R", dss - 1);
	if (!rc)
		rc = buf_adds(out, "] >>\nendobj\n");
	if (rc)
		return rc;
	rows[nr++] = (struct xref_row){ u->catalog, u->catalog_gen, out->len };
	if ((rc = write_catalog(out, d, catalog, u, dss, NULL)))
		return rc;
	size_t at;
	return write_xref(out, d, rows, nr, u->xref_at, id0, id1, &at);
}

/* ---- CMS ---- */

/* DER order for a SET OF: by the bytes of each encoding (X.690 11.6). */
static int cmp_der(const void *a, const void *b)
{
	const struct buf *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->data, y->data, n);
	return c ? c : (x->len > y->len) - (x->len < y->len);
}

/*
 * Signs the signer info's signed attributes: their DER as a SET OF
 * (sorted, as i2d writes them and CMS_verify re-encodes them), signed
 * with the signer's key over SHA-256, the value put in as the signature.
 */
static int sign_attrs(CMS_SignerInfo *si, EVP_PKEY *pkey)
{
	struct buf attrs[8], set = BUF_INIT;
	unsigned char *sig = NULL;
	size_t siglen = 0, total = 0;
	EVP_MD_CTX *md = NULL;
	int n = CMS_signed_get_attr_count(si), ok = 0;
	if (n <= 0 || n > (int)ARRAY_SIZE(attrs))
		return 0;
	for (int i = 0; i < n; i++)
		buf_init(&attrs[i], 0);
	for (int i = 0; i < n; i++) {
		unsigned char *der = NULL;
		int len = i2d_X509_ATTRIBUTE(CMS_signed_get_attr(si, i), &der);
		int rc = len > 0 ? buf_add(&attrs[i], der, (size_t)len) : -1;
		OPENSSL_free(der);
		if (rc)
			goto out;
		total += (size_t)len;
	}
	qsort(attrs, (size_t)n, sizeof attrs[0], cmp_der);
	/* SET tag, then the DER length: short form, or 0x81/0x82 + bytes. */
	unsigned char head[4] = { 0x31 };
	size_t hl = 2;
	if (total < 0x80) {
		head[1] = (unsigned char)total;
	} else if (total < 0x100) {
		head[1] = 0x81, head[2] = (unsigned char)total, hl = 3;
	} else if (total < 0x10000) {
		head[1] = 0x82, head[2] = (unsigned char)(total >> 8);
		head[3] = (unsigned char)total, hl = 4;
	} else {
		goto out;
	}
	if (buf_add(&set, head, hl))
		goto out;
	for (int i = 0; i < n; i++)
		if (buf_add(&set, attrs[i].data, attrs[i].len))
			goto out;
	if (!(md = EVP_MD_CTX_new()) ||
	    EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, pkey) != 1 ||
	    EVP_DigestSign(md, NULL, &siglen, (unsigned char *)set.data,
			   set.len) != 1 ||
	    !(sig = OPENSSL_malloc(siglen)) ||
	    EVP_DigestSign(md, sig, &siglen, (unsigned char *)set.data,
			   set.len) != 1)
		goto out;
	ok = ASN1_STRING_set(CMS_SignerInfo_get0_signature(si), sig,
			     (int)siglen);
out:
	for (int i = 0; i < n; i++)
		buf_release(&attrs[i]);
	buf_release(&set);
	OPENSSL_free(sig);
	EVP_MD_CTX_free(md);
	return ok;
}

/*
 * A PAdES B-B detached CMS over the given ranges of data, signed
 * attributes contentType, messageDigest and ESS signing-certificate-v2,
 * and no signingTime: the signing time is the /M entry. OpenSSL 3.0's
 * CMS_SignerInfo_sign adds signingTime whenever it is missing, and
 * CMS_final/CMS_dataFinal always call it; so the CMS is built partial
 * (CMS_sign with CMS_PARTIAL adds the signer, its certificates and,
 * with CMS_CADES, the ESS attribute), the digest and content type are
 * added here and the attributes signed by sign_attrs. The result is a
 * complete SignedData (detached: no content to finalise).
 */
static CMS_ContentInfo *cms_over(const struct pdf_signer *s, const char *data,
				 const struct span *r, int nr)
{
	unsigned flags = CMS_DETACHED | CMS_BINARY | CMS_PARTIAL |
			 CMS_NOSMIMECAP | CMS_CADES;
	CMS_ContentInfo *cms = CMS_sign(s->cert, s->pkey, s->chain, NULL, flags);
	STACK_OF(CMS_SignerInfo) *sis = cms ? CMS_get0_SignerInfos(cms) : NULL;
	CMS_SignerInfo *si = sk_CMS_SignerInfo_num(sis) == 1 ?
			     sk_CMS_SignerInfo_value(sis, 0) : NULL;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	int ok = si && ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	for (int i = 0; ok && i < nr; i++)
		ok = EVP_DigestUpdate(ctx, data + r[i].at, r[i].end - r[i].at);
	ok = ok && EVP_DigestFinal_ex(ctx, md, &mdlen) &&
	     CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1) < 0 &&
	     CMS_signed_add1_attr_by_NID(si, NID_pkcs9_contentType,
					 V_ASN1_OBJECT,
					 OBJ_nid2obj(NID_pkcs7_data), -1) &&
	     CMS_signed_add1_attr_by_NID(si, NID_pkcs9_messageDigest,
					 V_ASN1_OCTET_STRING, md, (int)mdlen) &&
	     sign_attrs(si, s->pkey);
	EVP_MD_CTX_free(ctx);
	if (!ok) {
		CMS_ContentInfo_free(cms);
		cms = NULL;
	}
	return cms;
}

int pades_cms_size(const struct pdf_signer *s, size_t *size, struct buf *err)
{
	struct span r = { 0, 4 };
	CMS_ContentInfo *cms = cms_over(s, "test", &r, 1);
	int n = cms ? i2d_CMS_ContentInfo(cms, NULL) : -1;
	CMS_ContentInfo_free(cms);
	if (n <= 0) {
		ERR_clear_error();
		return tb_err(err, TB_ECRYPTO, "penanda tangan PDF tidak dapat "
			      "membuat tanda tangan CMS");
	}
	*size = (size_t)n + CMS_MARGIN;
	return 0;
}

static int put_cms(struct buf *out, const struct pdf_signer *s,
		   const struct update *u, size_t reserve, struct buf *err)
{
	struct span r[2] = { { 0, u->contents_at },
			     { u->contents_end, out->len } };
	unsigned char *der = NULL;
	CMS_ContentInfo *cms = cms_over(s, out->data, r, 2);
	int n = cms ? i2d_CMS_ContentInfo(cms, &der) : -1;
	int rc = 0;
	CMS_ContentInfo_free(cms);
	if (n <= 0) {
		ERR_clear_error();
		rc = tb_err(err, TB_ECRYPTO, "gagal membuat tanda tangan CMS");
	} else if ((size_t)n > reserve) {
		rc = tb_err(err, TB_ECRYPTO, "tanda tangan CMS (%d bita) melebihi "
			    "ruang yang dicadangkan (%zu bita)", n, reserve);
	} else {
		/* In place, inside the reserved /Contents <...>: no NUL. */
		str_hex_put(out->data + u->contents_at + 1, der, (size_t)n);
	}
	OPENSSL_free(der);
	return rc;
}

int pades_sign(const struct keyring *kr, const void *pdf, size_t n,
	       int64_t signing_time, struct buf *out, struct buf *err)
{
	struct pdf d = { .p = pdf, .n = n };
	struct update u = { 0 };
	size_t catalog, page, start = out->len;
	/* The permanent ID, the signed revision's, the DSS revision's. */
	unsigned char id[48];
	const struct pdf_signer *s = &kr->pdf[kr->pdf_current];
	int64_t when = signing_time ? signing_time : (int64_t)time(NULL);
	int rc;
	/* Offsets in the update are offsets in out: the file must be alone. */
	if (start)
		return tb_err(err, TB_EINTERNAL, "pades_sign: out harus kosong");
	if (n < 8 || memcmp(pdf, "%PDF-", 5) != 0 || find_startxref(&d)) {
		rc = tb_err(err, TB_EINVAL, "bukan berkas PDF yang dikenali");
		goto out;
	}
	if (s->revoked_at) {
		rc = tb_err(err, TB_ECRYPTO, "sertifikat penanda tangan PDF aktif "
			    "telah dicabut; buat yang baru: terbit keys "
			    "new-signer (atau keys import)");
		goto out;
	}
	if ((rc = read_trailers(&d, err)))
		goto out;
	if (object_dict(&d, d.root, d.root_gen, &catalog) ||
	    first_page(&d, catalog, &u.page, &u.page_gen, &page)) {
		rc = tb_err(err, TB_EINVAL, "katalog atau halaman pertama PDF "
			    "tidak ditemukan");
		goto out;
	}
	/* New objects are numbered from /Size up: a /Size below an object
	 * the xref lists would make them collide with old ones. */
	if (d.size <= 0 || d.size > MAX_OBJ - 2 - DSS_MAX_CERTS - 3 ||
	    d.noffs > (size_t)d.size) {
		rc = tb_err(err, TB_EINVAL, "trailer PDF rusak");
		goto out;
	}
	if (rand_bytes(id, sizeof id) < 0) {
		rc = tb_err(err, TB_ECRYPTO, "gagal membuat /ID acak");
		goto out;
	}
	u.catalog = d.root;
	u.catalog_gen = d.root_gen;
	u.sig = d.size;
	u.widget = d.size + 1;
	if ((rc = buf_add(out, pdf, n)) ||
	    (d.p[n - 1] != '\n' && (rc = buf_addc(out, '\n'))))
		goto nomem;
	/* The permanent first /ID element, same length, in the old trailer. */
	if (d.id0_len == 32)
		str_hex_put(out->data + start + d.id0_at, id, 16);
	if ((rc = write_widget(out, &u)))
		goto nomem;
	if ((rc = write_page(out, &d, page, &u, err)) ||
	    (rc = write_catalog(out, &d, catalog, &u, 0, err)))
		goto out;
	/* The signature dictionary goes last in the signed revision, after
	 * everything copied from the input: its /ByteRange is the last one
	 * before the DSS update (which repeats the catalog; pades_verify
	 * passes over a /ByteRange in there). */
	if ((rc = write_sig(out, &u, when, kr->cms_reserve)))
		goto nomem;
	struct xref_row rows[4] = {
		{ u.sig, 0, u.off_sig }, { u.widget, 0, u.off_widget },
		{ u.page, u.page_gen, u.off_page },
		{ u.catalog, u.catalog_gen, u.off_catalog },
	};
	if ((rc = write_xref(out, &d, rows, 4, d.xref, id, id + 16,
			     &u.xref_at)))
		goto nomem;
	char br[BYTERANGE_WIDTH + 1];
	int w = snprintf(br, sizeof br, "[0 %zu %zu %zu]", u.contents_at,
			 u.contents_end, out->len - u.contents_end);
	if (w < 0 || w > BYTERANGE_WIDTH) {
		rc = tb_err(err, TB_ETOOBIG, "PDF terlalu besar");
		goto out;
	}
	memcpy(out->data + u.byterange_at, br, (size_t)w);
	if ((rc = put_cms(out, s, &u, kr->cms_reserve, err)))
		goto out;
	if ((rc = write_dss(out, kr, s, &d, catalog, &u, when, id, id + 32)))
		goto nomem;
	goto out;
nomem:
	rc = tb_err(err, rc, "memori habis");
out:
	if (rc)
		buf_truncate(out, start);
	free(d.offs);
	return rc;
}

/* ---- verification ---- */

static const char *memlast(const char *p, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = n >= k ? n - k + 1 : 0; i-- > 0;)
		if (memcmp(p + i, needle, k) == 0)
			return p + i;
	return NULL;
}

/*
 * The ranges must be [0, a) and [b, n) with [a, b) exactly the /Contents
 * hex string: then every byte but the signature itself is signed.
 */
static int check_range(const struct pdf *d, const char *hit, long br[4],
		       struct buf *cms, struct buf *err)
{
	size_t i, e;
	i = skip_ws(d, (size_t)(hit - d->p) + 10);
	if (i >= d->n || d->p[i] != '[')
		goto bad;
	i++;
	for (int k = 0; k < 4; k++) {
		if (read_uint(d, skip_ws(d, i), &br[k], &e))
			goto bad;
		i = e;
	}
	i = skip_ws(d, i);
	if (i >= d->n || d->p[i] != ']')
		goto bad;
	size_t a = (size_t)br[1], b = (size_t)br[2];
	if (br[0] != 0 || a < 9 || b <= a + 1 || b > d->n ||
	    (size_t)br[3] > d->n - b || d->p[a] != '<' || d->p[b - 1] != '>' ||
	    (b - a) % 2 != 0)
		goto bad;
	i = a;
	while (i > 0 && is_ws(d->p[i - 1]))
		i--;
	if (i < 9 || memcmp(d->p + i - 9, "/Contents", 9) != 0)
		goto bad;
	for (i = a + 1; i + 1 < b; i += 2) {
		int hi = str_hexval(d->p[i]), lo = str_hexval(d->p[i + 1]);
		if (hi < 0 || lo < 0)
			goto bad;
		if (buf_addc(cms, (char)(hi << 4 | lo)))
			return TB_ENOMEM;
	}
	return PADES_VALID;
bad:
	tb_err(err, TB_EINVAL, "/ByteRange tidak mencakup seluruh berkas");
	return PADES_BAD_RANGE;
}

/* Counts the indirect references in the array value of key in dict. */
static int count_refs(const struct pdf *d, size_t dict, const char *key)
{
	struct span v;
	long num, gen;
	int n = 0;
	if (dict_get(d, dict, key, &v) || d->p[v.at] != '[')
		return 0;
	for (size_t i = skip_ws(d, v.at + 1); i < v.end && d->p[i] != ']';) {
		struct span r = { i, 0 };
		size_t e = skip_value(d, i);
		if (!e || span_ref(d, &r, &num, &gen))
			return n;
		n++;
		i = skip_ws(d, e);
	}
	return n;
}

/* 1 when dictionaries a (in x) and b (in y) have the same entries with
 * byte-identical values, /DSS left out of both. */
static int same_entries(const struct pdf *x, size_t a, const struct pdf *y,
			size_t b)
{
	struct span k, v, w;
	size_t pos = 0;
	int r, na = 0, nb = 0;
	while ((r = dict_next(x, a, &pos, &k, &v)) == 1) {
		char key[64];
		if (key_is(x, &k, "/DSS"))
			continue;
		if (k.end - k.at >= sizeof key)
			return 0;
		memcpy(key, x->p + k.at, k.end - k.at);
		key[k.end - k.at] = '\0';
		if (dict_get(y, b, key, &w) || w.end - w.at != v.end - v.at ||
		    memcmp(x->p + v.at, y->p + w.at, v.end - v.at) != 0)
			return 0;
		na++;
	}
	if (r < 0)
		return 0;
	pos = 0;
	while ((r = dict_next(y, b, &pos, &k, &v)) == 1)
		nb += !key_is(y, &k, "/DSS");
	return r == 0 && na == nb;
}

/*
 * What may follow the signed revision (the bytes [0, end)): nothing (B-B),
 * or exactly one incremental update that adds a Document Security Store
 * (B-LT): its xref section's /Prev is the signed revision's, it frees no
 * object, every object it writes is new (numbered from the signed
 * revision's /Size up) except the catalog, and the catalog keeps every
 * entry of the signed one byte for byte and adds only /DSS. New objects
 * can then be reached only through /DSS, so what a reader shows is what
 * was signed. Anything else is BAD_RANGE. Counts the DSS's certificates
 * and CRLs into info.
 */
static int check_tail(const struct pdf *full, size_t end,
		      struct pades_info *info, struct buf *err)
{
	struct pdf sig = { .p = full->p, .n = end };
	struct pdf all = { .p = full->p, .n = full->n };
	size_t old_cat, new_cat, tr, e;
	struct span v;
	long prev, root, gen, dss, dss_gen;
	int rc = PADES_BAD_RANGE;
	const char *why = "ada perubahan setelah tanda tangan";
	if (end == full->n)
		return PADES_VALID;
	/* The update ends the file: "%%EOF" and at most a line end (the
	 * input is not NUL-terminated: no str* functions on it). */
	const char *eof = memlast(full->p, full->n, "%%EOF");
	size_t at = eof ? (size_t)(eof - full->p) + 5 : full->n;
	if (!eof || full->n - at > 2)
		goto out;
	for (size_t i = at; i < full->n; i++)
		if (full->p[i] != '\r' && full->p[i] != '\n')
			goto out;
	if (find_startxref(&sig) || read_trailers(&sig, NULL) ||
	    object_dict(&sig, sig.root, sig.root_gen, &old_cat) ||
	    find_startxref(&all) || all.xref < end ||
	    read_xref(&all, all.xref, &tr) ||
	    /* The section startxref names is the last thing in the file:
	     * no second update hides after it. */
	    skip_ws(&all, skip_obj(&all, tr, 0)) != all.startxref_at)
		goto out;
	if (dict_get(&all, tr, "/Prev", &v) || span_uint(&all, &v, &prev) ||
	    (size_t)prev != sig.xref || dict_get(&all, tr, "/Root", &v) ||
	    span_ref(&all, &v, &root, &gen) || root != sig.root ||
	    gen != sig.root_gen || !dict_get(&all, tr, "/Encrypt", &v) ||
	    !dict_get(&all, tr, "/XRefStm", &v) || all.nfree)
		goto out;
	for (size_t k = 1; k < all.noffs; k++) {
		if (!all.offs[k])
			continue;
		if (all.offs[k] < end ||
		    ((long)k != sig.root && (long)k < sig.size))
			goto out;
	}
	why = "pembaruan setelah tanda tangan bukan DSS";
	if (object_dict(&all, root, gen, &new_cat) ||
	    !same_entries(&sig, old_cat, &all, new_cat) ||
	    dict_get(&all, new_cat, "/DSS", &v) ||
	    span_ref(&all, &v, &dss, &dss_gen) || dss < sig.size ||
	    object_dict(&all, dss, dss_gen, &e))
		goto out;
	info->dss_certs = count_refs(&all, e, "/Certs");
	info->dss_crls = count_refs(&all, e, "/CRLs");
	rc = PADES_VALID;
out:
	free(sig.offs);
	free(all.offs);
	if (rc != PADES_VALID)
		tb_err(err, TB_EINVAL, "%s", why);
	return rc;
}

/* /ByteRange strings tried, from the end of the file back. */
#define MAX_CANDIDATES 16

/*
 * Finds the signature: the last /ByteRange whose ranges are well formed
 * and whose signed revision is followed by nothing or by the DSS update
 * alone. The input's own text, copied into the catalog, may hold a
 * /ByteRange too, and the DSS update repeats the catalog after the
 * signature dictionary: such a string is passed over. Nothing is trusted
 * for it: the CMS must still verify over the ranges found. When none
 * fits, the verdict (and err) is that of the last /ByteRange in the file.
 */
static int find_signature(const struct pdf *d, long br[4], struct buf *cms,
			  struct pades_info *info, struct buf *err)
{
	size_t limit = d->n;
	int first = PADES_NO_SIGNATURE;
	for (int k = 0; k < MAX_CANDIDATES; k++) {
		const char *hit = memlast(d->p, limit, "/ByteRange");
		if (!hit)
			break;
		buf_reset(cms);
		int st = check_range(d, hit, br, cms, k ? NULL : err);
		if (st < 0)
			return st;
		if (st == PADES_VALID)
			st = check_tail(d, (size_t)br[2] + (size_t)br[3], info,
					k ? NULL : err);
		if (st == PADES_VALID) {
			if (k && err)
				buf_reset(err);
			return st;
		}
		if (k == 0)
			first = st;
		limit = (size_t)(hit - d->p);
	}
	return first;
}

static CMS_SignerInfo *the_signer(CMS_ContentInfo *cms, X509 **x)
{
	STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
	CMS_SignerInfo *si = sk_CMS_SignerInfo_num(sis) == 1 ?
			     sk_CMS_SignerInfo_value(sis, 0) : NULL;
	*x = NULL;
	if (si)
		CMS_SignerInfo_get0_algs(si, NULL, x, NULL, NULL);
	return si;
}

static void signer_info(CMS_ContentInfo *cms, struct pades_info *info)
{
	X509 *x;
	CMS_SignerInfo *si = the_signer(cms, &x);
	if (!si)
		return;
	if (x) {
		BIO *bio = BIO_new(BIO_s_mem());
		char *p;
		if (bio && X509_NAME_print_ex(bio, X509_get_subject_name(x), 0,
					      XN_FLAG_RFC2253 &
						      ~ASN1_STRFLGS_ESC_MSB) >= 0) {
			long n = BIO_get_mem_data(bio, &p);
			if (n >= (long)sizeof info->signer)
				n = sizeof info->signer - 1;
			memcpy(info->signer, p, (size_t)n);
			info->signer[n] = '\0';
		}
		BIO_free(bio);
	}
	int at = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
	X509_ATTRIBUTE *attr = at >= 0 ? CMS_signed_get_attr(si, at) : NULL;
	ASN1_TYPE *t = attr ? X509_ATTRIBUTE_get0_type(attr, 0) : NULL;
	struct tm tm;
	if (t && (t->type == V_ASN1_UTCTIME || t->type == V_ASN1_GENERALIZEDTIME) &&
	    ASN1_TIME_to_tm(t->value.utctime, &tm))
		info->signing_time = (int64_t)timegm(&tm);
}

int pades_verify(const struct keyring *kr, const void *pdf, size_t n,
		 struct pades_info *info, struct buf *err)
{
	struct pdf d = { .p = pdf, .n = n };
	struct buf der = BUF_INIT, data = BUF_INIT;
	CMS_ContentInfo *cms = NULL;
	BIO *bio = NULL, *in = NULL;
	long br[4];
	int rc = 0;
	memset(info, 0, sizeof *info);
	digest_sha256(pdf, n, info->sha256);
	int st = find_signature(&d, br, &der, info, err);
	if (st < 0) {
		rc = tb_err(err, st, "memori habis");
		goto out;
	}
	info->status = (enum pades_status)st;
	if (st != PADES_VALID) {
		if (st == PADES_NO_SIGNATURE)
			tb_err(err, TB_EINVAL, "PDF tidak bertanda tangan");
		goto out;
	}
	const unsigned char *p = (const unsigned char *)der.data;
	cms = d2i_CMS_ContentInfo(NULL, &p, (long)der.len);
	if (!cms) {
		info->status = PADES_BAD_SIGNATURE;
		tb_err(err, TB_EINVAL, "tanda tangan CMS tidak terbaca");
		goto out;
	}
	if (buf_add(&data, d.p, (size_t)br[1]) ||
	    buf_add(&data, d.p + br[2], (size_t)br[3])) {
		rc = tb_err(err, TB_ENOMEM, "memori habis");
		goto out;
	}
	/* The signed bytes reach CMS_verify through a pass-through filter,
	 * not as the memory BIO itself: given a memory BIO, CMS_verify of
	 * OpenSSL 3.0.19 copies it into a BIO of its own and leaks that copy
	 * when the CMS names a digest it does not know (fuzz_pdf found it:
	 * tests/fuzz/corpus/pdf/cms-unknown-digest). */
	if (!(bio = BIO_new_mem_buf(data.data, (int)data.len)) ||
	    !(in = BIO_new(BIO_f_null()))) {
		rc = tb_err(err, TB_ENOMEM, "memori habis");
		goto out;
	}
	BIO_push(in, bio);
	/* The chain check and the signature check fail alike in CMS_verify:
	 * on failure, a second pass without the chain tells which. */
	X509 *signer;
	if (CMS_verify(cms, NULL, kr->store, in, NULL, CMS_BINARY) == 1) {
		info->status = PADES_VALID;
		/* Without a trusted timestamp the signing time is the
		 * signer's own word, so a revoked certificate makes every
		 * signature it made suspect, older ones included. */
		if (the_signer(cms, &signer) &&
		    keyring_revoked(kr, signer, &info->revoked_at)) {
			struct buf day = BUF_INIT;
			info->status = PADES_REVOKED;
			if (fmt_days_id(&day, info->revoked_at / 86400))
				buf_reset(&day);
			tb_err(err, TB_EINVAL, "sertifikat penanda tangan "
			       "dicabut (CRL kantor) sejak %s", day.data);
			buf_release(&day);
		}
	} else {
		ERR_clear_error();
		BIO_reset(in);
		if (CMS_verify(cms, NULL, NULL, in, NULL,
			       CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) == 1) {
			info->status = PADES_UNTRUSTED;
			tb_err(err, TB_EINVAL, "sertifikat penanda tangan tidak "
			       "tepercaya");
		} else {
			info->status = PADES_BAD_SIGNATURE;
			tb_err(err, TB_EINVAL, "tanda tangan tidak cocok dengan "
			       "isi berkas");
		}
		ERR_clear_error();
	}
	signer_info(cms, info);
	if (!info->signing_time) {
		const char *m = memlast(d.p, (size_t)br[1], "/M (D:");
		struct tm tm = { 0 };
		if (m && sscanf(m + 6, "%4d%2d%2d%2d%2d%2d", &tm.tm_year,
				&tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
				&tm.tm_sec) == 6) {
			tm.tm_year -= 1900;
			tm.tm_mon -= 1;
			info->signing_time = (int64_t)timegm(&tm);
		}
	}
out:
	if (in)
		BIO_free_all(in); /* and bio, pushed under it */
	else
		BIO_free(bio);
	CMS_ContentInfo_free(cms);
	buf_release(&der);
	buf_release(&data);
	return rc;
}

const char *pades_status_name(enum pades_status s)
{
	static const char *const names[] = { "VALID", "NO_SIGNATURE",
					     "BAD_RANGE", "BAD_SIGNATURE",
					     "UNTRUSTED", "REVOKED" };
	return (unsigned)s < ARRAY_SIZE(names) ? names[s] : "?";
}
