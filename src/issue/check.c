/*
 * issue_check: the registry re-proves itself, row by row. Used by
 * `terbit document check` and the crash test: after any number of
 * interrupted issuances every row must still be whole.
 */
#include "issue/issue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/digest.h"
#include "core/err.h"
#include "core/ids.h"
#include "core/str.h"
#include "sign/pades.h"
#include "sign/token.h"

struct seen {
	char kind[8];
	int year;
	int64_t seq;
	char serial[SERIAL_LEN + 1];
};

struct check {
	struct store *s;
	const struct keyring *kr;
	struct buf *report;
	size_t nbad, nrows;
	struct seen *seen;
	size_t nseen;
	char (*issued)[SERIAL_LEN + 1];         /* serials of document.issue/reissue rows */
	size_t nissued;
	struct buf pdf, fields;
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
	char hex[SERIAL_LEN + 1];
	if (token_parse(d->token, strlen(d->token), &t, NULL) < 0) {
		bad(c, d->serial, "token tidak terbaca");
		return;
	}
	if (token_verify(&t, c->kr) != TOKEN_OK)
		bad(c, d->serial, "tanda tangan token tidak sah");
	str_hex_upper(hex, t.serial, TOKEN_SERIAL_LEN);
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
	buf_reset(&c->fields);
	if ((c->rc = store_doc_blob(c->s, d->serial, &c->pdf, &c->fields,
				    NULL)) < 0)
		return 1;
	if (!d->seal[0])
		bad(c, d->serial, "belum disegel (jalankan: terbit document "
				  "seal, sekali setelah pembaruan)");
	else if (!issue_doc_seal_ok(c->kr, d))
		bad(c, d->serial, "segel tidak cocok: baris registri diubah "
				  "di luar terbit");
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
	buf_reset(&hex);
	if (digest_sha256_hex(&hex, c->fields.data, c->fields.len) < 0) {
		c->rc = TB_ENOMEM;
		buf_release(&e);
		buf_release(&hex);
		return 1;
	}
	if (strcmp(hex.data, d->fields_sha256) != 0)
		bad(c, d->serial, "isian tercetak tidak sama dengan registri");
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
	memcpy(sn[c->nseen].serial, d->serial, sizeof sn->serial);
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
	/* An empty registry leaves seen NULL, which qsort may not be given
	 * even with a count of 0 (UBSan stops there). */
	if (c->nseen)
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

/*
 * Each counter stands at the highest number of its year: a counter turned
 * back (to hide a deleted last document) would otherwise hand its number
 * out again, and one left ahead means numbers are missing. check_sequences
 * sorted seen.
 */
static int check_counter(const char *kind, int year, int64_t last, void *arg)
{
	struct check *c = arg;
	int64_t top = 0;
	for (size_t i = 0; i < c->nseen; i++)
		if (!strcmp(c->seen[i].kind, kind) && c->seen[i].year == year)
			top = c->seen[i].seq;
	if (top != last) {
		char what[96];
		snprintf(what, sizeof what,
			 "penghitung %s %d di %lld, nomor terakhir %lld", kind,
			 year, (long long)last, (long long)top);
		bad(c, "registri", what);
	}
	return 0;
}

static int is_issue_entry(const struct store_audit *a)
{
	return (!strcmp(a->action, "document.issue") ||
		!strcmp(a->action, "document.reissue")) &&
	       !strncmp(a->object, "document:", 9) && strlen(a->object) == 25;
}

static int collect_issued(const struct store_audit *a, void *arg)
{
	struct check *c = arg;
	if (!is_issue_entry(a))
		return 0;
	char (*grown)[SERIAL_LEN + 1] = realloc(c->issued,
				    (c->nissued + 1) * sizeof *grown);
	if (!grown)
		return TB_ENOMEM;
	c->issued = grown;
	memcpy(c->issued[c->nissued++], a->object + 9, 17);
	return 0;
}

static int cmp_serial(const void *a, const void *b)
{
	return strcmp(a, b);
}

/*
 * The audit log and the registry tell the same story: every issue entry
 * names a row, every row has its issue entry. A document deleted with its
 * counter turned back leaves its entry behind (the chain makes deleting
 * that entry too show, except at the very end: the exported head).
 */
static int check_audit(struct check *c, struct buf *err)
{
	struct store_audit_check ac;
	int rc = store_audit_verify(c->s, &ac, err);
	if (rc < 0)
		return rc;
	if (ac.bad_id) {
		char id[40];
		snprintf(id, sizeof id, "log audit %lld", (long long)ac.bad_id);
		bad(c, id, ac.why);
	}
	rc = store_audit_each(c->s, NULL, collect_issued, c, err);
	if (rc == TB_ENOMEM)
		return tb_err(err, rc, "memori habis");
	if (rc < 0)
		return rc;
	/* issued stays NULL when the log has no issue entry (nor may it be
	 * searched then): see check_sequences. */
	if (c->nissued)
		qsort(c->issued, c->nissued, sizeof *c->issued, cmp_serial);
	char (*rows)[SERIAL_LEN + 1] = malloc((c->nseen + 1) * sizeof *rows);
	if (!rows)
		return tb_err(err, TB_ENOMEM, "memori habis");
	for (size_t i = 0; i < c->nseen; i++)
		memcpy(rows[i], c->seen[i].serial, 17);
	qsort(rows, c->nseen, sizeof *rows, cmp_serial);
	for (size_t i = 0; i < c->nissued; i++)
		if (!bsearch(c->issued[i], rows, c->nseen, sizeof *rows,
			     cmp_serial))
			bad(c, c->issued[i], "tercatat terbit di log audit, "
					     "tetapi tidak ada di registri");
	for (size_t i = 0; i < c->nseen; i++)
		if (!c->nissued || !bsearch(rows[i], c->issued, c->nissued,
					    sizeof *rows, cmp_serial))
			bad(c, rows[i], "tidak ada catatan terbitnya di log "
					"audit");
	free(rows);
	return 0;
}

int issue_check(struct store *s, const struct keyring *kr,
		struct buf *report, size_t *nbad, struct buf *err)
{
	struct check c = { .s = s, .kr = kr, .report = report };
	buf_init(&c.pdf, 0);
	buf_init(&c.fields, 0);
	/* A damaged file first: what the walks below read from it is not
	 * to be believed, and a walk may fail half-way on a bad page. */
	int rc = store_integrity_check(s, report, err);
	if (rc > 0) {
		c.nbad = (size_t)rc;
		buf_addf(report, "basis data rusak (PRAGMA integrity_check): "
				 "pulihkan dari cadangan terakhir yang utuh\n");
		rc = 0;
		goto out;
	}
	if (rc == 0)
		rc = store_doc_each(s, NULL, check_one, &c, err);
	if (rc > 0)
		rc = c.rc < 0 ? tb_err(err, c.rc, "pemeriksaan registri gagal")
			      : c.rc;
	if (rc == 0) {
		check_sequences(&c);
		rc = store_doc_counter_each(s, check_counter, &c, err);
	}
	if (rc == 0)
		rc = check_audit(&c, err);
	if (rc == 0)
		rc = (int)c.nrows;
out:
	if (nbad)
		*nbad = c.nbad;
	free(c.seen);
	free(c.issued);
	buf_release(&c.pdf);
	buf_release(&c.fields);
	return rc;
}
