/*
 * issue_check: the registry re-proves itself, row by row. Used by
 * `terbit document check` and the crash test: after any number of
 * interrupted issuances every row must still be whole.
 */
#include "issue/issue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "sign/digest.h"
#include "sign/pades.h"
#include "sign/token.h"

struct seen {
	char kind[8];
	int year;
	int64_t seq;
};

struct check {
	struct store *s;
	const struct keyring *kr;
	struct buf *report;
	size_t nbad, nrows;
	struct seen *seen;
	size_t nseen;
	struct buf pdf;
	int rc;
};

static void bad(struct check *c, const char *serial, const char *what)
{
	buf_addf(c->report, "%s: %s\n", serial, what);
	c->nbad++;
}

static void check_token(struct check *c, const struct store_document *d)
{
	struct token t;
	char hex[17];
	if (token_parse(d->token, strlen(d->token), &t, NULL) < 0) {
		bad(c, d->serial, "token tidak terbaca");
		return;
	}
	if (token_verify(&t, c->kr) != TOKEN_OK)
		bad(c, d->serial, "tanda tangan token tidak sah");
	for (int i = 0; i < TOKEN_SERIAL_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02X", t.serial[i]);
	if (strcmp(hex, d->serial) != 0)
		bad(c, d->serial, "token menyebut seri lain");
	if (t.issued != d->issued_day || t.expires != d->expires_day)
		bad(c, d->serial, "tanggal token tidak sama dengan registri");
}

static int check_one(const struct store_document *d, void *arg)
{
	struct check *c = arg;
	struct pades_info info;
	struct buf e = BUF_INIT, hex = BUF_INIT;
	c->nrows++;
	buf_reset(&c->pdf);
	if ((c->rc = store_doc_blob(c->s, d->serial, &c->pdf, NULL, NULL)) < 0)
		return 1;
	if (digest_sha256_hex(&hex, c->pdf.data, c->pdf.len) < 0 ||
	    (c->rc = pades_verify(c->kr, c->pdf.data, c->pdf.len, &info,
				  &e)) < 0) {
		c->rc = c->rc < 0 ? c->rc : TB_ENOMEM;
		buf_release(&e);
		buf_release(&hex);
		return 1;
	}
	if (strcmp(hex.data, d->sha256) != 0)
		bad(c, d->serial, "SHA-256 berkas tidak sama dengan registri");
	if (info.status != PADES_VALID) {
		buf_setf(&hex, "tanda tangan PDF: %s %s",
			 pades_status_name(info.status), e.data);
		bad(c, d->serial, hex.data);
	}
	buf_release(&e);
	buf_release(&hex);
	check_token(c, d);
	struct seen *sn = realloc(c->seen, (c->nseen + 1) * sizeof *sn);
	if (!sn) {
		c->rc = TB_ENOMEM;
		return 1;
	}
	c->seen = sn;
	snprintf(sn[c->nseen].kind, sizeof sn->kind, "%s", d->kind);
	sn[c->nseen].year = d->year;
	sn[c->nseen].seq = d->seq;
	c->nseen++;
	return 0;
}

static int seen_cmp(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;
	int k = strcmp(x->kind, y->kind);
	if (k)
		return k;
	if (x->year != y->year)
		return x->year < y->year ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Per (kind, year) the numbers must run 1, 2, 3, ... */
static void check_sequences(struct check *c)
{
	qsort(c->seen, c->nseen, sizeof *c->seen, seen_cmp);
	for (size_t i = 0; i < c->nseen; i++) {
		int first = i == 0 ||
			    strcmp(c->seen[i].kind, c->seen[i - 1].kind) ||
			    c->seen[i].year != c->seen[i - 1].year;
		int64_t want = first ? 1 : c->seen[i - 1].seq + 1;
		if (c->seen[i].seq != want) {
			char what[96];
			snprintf(what, sizeof what,
				 "nomor urut %lld, seharusnya %lld (%s %d)",
				 (long long)c->seen[i].seq, (long long)want,
				 c->seen[i].kind, c->seen[i].year);
			bad(c, "registri", what);
		}
	}
}

int issue_check(struct store *s, const struct keyring *kr,
		struct buf *report, size_t *nbad, struct buf *err)
{
	struct check c = { .s = s, .kr = kr, .report = report };
	buf_init(&c.pdf, 0);
	int rc = store_doc_each(s, NULL, check_one, &c, err);
	if (rc > 0)
		rc = c.rc < 0 ? tb_err(err, c.rc, "pemeriksaan registri gagal")
			      : c.rc;
	if (rc == 0) {
		check_sequences(&c);
		rc = (int)c.nrows;
	}
	if (nbad)
		*nbad = c.nbad;
	free(c.seen);
	buf_release(&c.pdf);
	return rc;
}
