/*
 * CSV imports: regions, residents, PBI memberships. Every row is checked
 * before anything is stored, and all good rows go in one transaction with
 * one reused statement, which is what makes 100,000 rows take seconds.
 */
#include "cases/cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/err.h"
#include "core/fmt.h"
#include "core/ids.h"
#include "core/str.h"
#include "core/utf8.h"


/* After a malformed row the reader stops mid-line: carry on at the next
 * line so every bad line gets reported, not just the first. */
static int csv_resync(struct csv *c)
{
	const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
	if (!nl)
		return 0;
	c->p = nl + 1;
	c->next_line++;
	return 1;
}

/* Set of NIKs seen in this file (open addressing over the 16 digits as a
 * number; 0 is the empty slot, no NIK is 0), to report a NIK twice. */
struct nikset {
	uint64_t *keys;
	unsigned *lines;
	size_t cap, n;
};

static int nikset_grow(struct nikset *h)
{
	size_t cap = h->cap ? h->cap * 2 : 1024;
	uint64_t *keys = calloc(cap, sizeof *keys);
	unsigned *lines = calloc(cap, sizeof *lines);
	if (!keys || !lines) {
		free(keys);
		free(lines);
		return TB_ENOMEM;
	}
	for (size_t i = 0; i < h->cap; i++) {
		if (!h->keys[i])
			continue;
		size_t j = (h->keys[i] * 0x9E3779B97F4A7C15ull) & (cap - 1);
		while (keys[j])
			j = (j + 1) & (cap - 1);
		keys[j] = h->keys[i];
		lines[j] = h->lines[i];
	}
	free(h->keys);
	free(h->lines);
	h->keys = keys;
	h->lines = lines;
	h->cap = cap;
	return 0;
}

/* 0 when added; the earlier line when already there; < 0 on no memory. */
static long nikset_add(struct nikset *h, const char *nik, unsigned line)
{
	if ((h->n + 1) * 2 > h->cap && nikset_grow(h) < 0)
		return TB_ENOMEM;
	uint64_t k = strtoull(nik, NULL, 10);
	size_t j = (k * 0x9E3779B97F4A7C15ull) & (h->cap - 1);
	while (h->keys[j]) {
		if (h->keys[j] == k)
			return h->lines[j];
		j = (j + 1) & (h->cap - 1);
	}
	h->keys[j] = k;
	h->lines[j] = line;
	h->n++;
	return 0;
}

static void nikset_release(struct nikset *h)
{
	free(h->keys);
	free(h->lines);
}

/* ---- row checks: 0 or TB_EINVAL with the reason in why ------------- */

enum { R_NIK, R_KK, R_NAME, R_BPLACE, R_BDATE, R_SEX, R_ADDR, R_RT, R_RW,
       R_VILLAGE, R__N };
static const char *const resident_cols[R__N] = {
	"nik", "kk", "name", "birth_place", "birth_date", "sex", "address",
	"rt", "rw", "village_code",
};

/* The checks are the web form's too (cases_resident_check); a file
 * row reports its first problem. */
static int resident_row(const char *const *f, struct store_resident *r,
			struct buf *why)
{
	struct cases_field_errors fe;
	struct cases_resident_in in = {
		.nik = f[R_NIK], .kk = f[R_KK], .name = f[R_NAME],
		.birth_place = f[R_BPLACE], .birth_date = f[R_BDATE],
		.sex = f[R_SEX], .address = f[R_ADDR], .rt = f[R_RT],
		.rw = f[R_RW], .village_code = f[R_VILLAGE],
	};
	if (cases_resident_check(&in, r, &fe) < 0)
		return tb_err(why, TB_EINVAL, "%s", fe.e[0].msg);
	return 0;
}

enum { P_NIK, P_PROGRAM, P_STATUS, P_CARD, P__N };
static const char *const pbi_cols[P__N] = {
	"nik", "program", "status", "card_number",
};

#define ROW_MAX_COLS 10 /* the widest of the row kinds above */
_Static_assert(R__N <= ROW_MAX_COLS && P__N <= ROW_MAX_COLS, "row width");

static int pbi_row(const char *const *f, struct store_pbi *p, struct buf *why)
{
	memset(p, 0, sizeof *p);
	if (!str_is_digits(f[P_NIK], NIK_LEN))
		return tb_err(why, TB_EINVAL, "NIK harus 16 digit");
	if (nik_parse(f[P_NIK], NULL, NULL, why) < 0)
		return TB_EINVAL;
	if (strcmp(f[P_PROGRAM], "PBI-JKN") && strcmp(f[P_PROGRAM], "PBI-APBD"))
		return tb_err(why, TB_EINVAL,
			      "program harus PBI-JKN atau PBI-APBD");
	if (!strcmp(f[P_STATUS], "aktif"))
		p->active = 1;
	else if (strcmp(f[P_STATUS], "nonaktif"))
		return tb_err(why, TB_EINVAL, "status harus aktif atau nonaktif");
	if (!str_is_digits(f[P_CARD], 13))
		return tb_err(why, TB_EINVAL, "nomor kartu harus 13 digit");
	snprintf(p->nik, sizeof p->nik, "%s", f[P_NIK]);
	snprintf(p->program, sizeof p->program, "%s", f[P_PROGRAM]);
	snprintf(p->card_number, sizeof p->card_number, "%s", f[P_CARD]);
	return 0;
}

/* ---- the import loop ---------------------------------------------- */

struct import_job {
	enum cases_import_kind kind;
	const char *const *cols;
	size_t ncols;
	struct nikset seen;
	struct buf *report;
	size_t nbad, ngood;
};

static int report_bad(struct import_job *j, unsigned line, const char *why)
{
	j->nbad++;
	/* The reader's messages already start with "baris N: ". */
	if (!strncmp(why, "baris ", 6))
		return buf_addf(j->report, "%s\n", why);
	return buf_addf(j->report, "baris %u: %s\n", line, why);
}

/* Checks one row and stores it (the transaction is open). */
static int import_row(struct store *s, struct import_job *j,
		      const struct csv *c, const size_t *map, int store_it,
		      struct buf *err)
{
	const char *f[ROW_MAX_COLS];
	struct buf why = BUF_INIT;
	union {
		struct store_resident r;
		struct store_pbi p;
	} u;
	int rc;
	if (c->nfields != j->ncols) {
		tb_err(&why, TB_EINVAL, "ada %zu kolom, seharusnya %zu",
		       c->nfields, j->ncols);
		goto bad;
	}
	for (size_t i = 0; i < j->ncols; i++)
		f[i] = c->fields[map[i]];
	rc = j->kind == CASES_IMPORT_RESIDENTS ? resident_row(f, &u.r, &why)
					       : pbi_row(f, &u.p, &why);
	if (rc < 0)
		goto bad;
	if (j->kind == CASES_IMPORT_RESIDENTS) {
		long prev = nikset_add(&j->seen, u.r.nik, c->line);
		if (prev < 0) {
			buf_release(&why);
			return tb_err(err, TB_ENOMEM, "memori habis");
		}
		if (prev > 0) {
			tb_err(&why, TB_EINVAL, "NIK sama dengan baris %ld", prev);
			goto bad;
		}
	}
	buf_release(&why);
	j->ngood++;
	if (!store_it)
		return 0;
	return j->kind == CASES_IMPORT_RESIDENTS ? store_resident_put(s, &u.r, err)
						 : store_pbi_put(s, &u.p, err);
bad:
	rc = report_bad(j, c->line, why.data);
	buf_release(&why);
	return rc < 0 ? tb_err(err, TB_ENOMEM, "memori habis") : 0;
}

/*
 * Walks the file once. Rows are written as they are checked while no bad
 * row has been seen; once one is, writing stops (without --skip-bad the
 * transaction is rolled back anyway), but checking continues so the
 * report lists every bad line.
 */
static int import_walk(struct store *s, struct import_job *j,
		       const char *data, size_t len, int skip_bad,
		       struct buf *err)
{
	struct csv c;
	struct buf rerr = BUF_INIT;
	size_t map[ROW_MAX_COLS];
	int rc;
	csv_init(&c, data, len);
	rc = csv_next(&c, &rerr);
	if (rc <= 0 || csv_header(&c, j->cols, j->ncols, map, &rerr) < 0) {
		rc = tb_err(err, TB_EINVAL, "header CSV tidak sah: %s",
			    rc == 0 ? "berkas kosong" : rerr.data);
		goto out;
	}
	for (;;) {
		buf_reset(&rerr);
		rc = csv_next(&c, &rerr);
		if (rc == 0)
			break;
		if (rc == TB_ENOMEM) {
			rc = tb_err(err, rc, "memori habis");
			goto out;
		}
		if (rc < 0) {
			if (report_bad(j, c.line, rerr.data) < 0) {
				rc = tb_err(err, TB_ENOMEM, "memori habis");
				goto out;
			}
			if (!csv_resync(&c))
				break;
			continue;
		}
		int store_it = skip_bad || j->nbad == 0;
		if ((rc = import_row(s, j, &c, map, store_it, err)) < 0)
			goto out;
	}
	rc = 0;
out:
	csv_release(&c);
	buf_release(&rerr);
	return rc;
}

int cases_import(struct store *s, const struct cases_actor *by,
		 enum cases_import_kind kind, const char *data, size_t len,
		 int skip_bad, struct buf *report, size_t *nbad,
		 struct buf *err)
{
	struct import_job j = {
		.kind = kind,
		.cols = kind == CASES_IMPORT_RESIDENTS ? resident_cols : pbi_cols,
		.ncols = kind == CASES_IMPORT_RESIDENTS ? R__N : P__N,
		.report = report,
	};
	const char *what = kind == CASES_IMPORT_RESIDENTS ? "penduduk" : "PBI";
	struct buf note = BUF_INIT;
	int rc;
	if (nbad)
		*nbad = 0;
	if (by && by->role != ROLE_ADMIN)
		return tb_err(err, TB_EPERM, "hanya admin yang boleh mengimpor data");
	if ((rc = store_begin(s, err)) < 0)
		return rc;
	if ((rc = import_walk(s, &j, data, len, skip_bad, err)) < 0)
		goto out;
	if (nbad)
		*nbad = j.nbad;
	if (j.nbad && !skip_bad) {
		rc = tb_err(err, TB_EINVAL,
			    "%zu baris tidak sah; tidak ada data %s yang diimpor",
			    j.nbad, what);
		goto out;
	}
	buf_addf(&note, "%zu baris diimpor, %zu dilewati", j.ngood, j.nbad);
	if ((rc = store_audit_add(s, by ? by->name : "console",
				  by ? role_name(by->role) : "admin",
				  kind == CASES_IMPORT_RESIDENTS ? "import.residents"
								 : "import.pbi",
				  what, note.data, err)) < 0)
		goto out;
	rc = (int)j.ngood;
out:
	rc = store_end(s, rc, err);
	nikset_release(&j.seen);
	buf_release(&note);
	return rc;
}

/* ---- regions ------------------------------------------------------ */

static const char *const region_cols[] = { "code", "name", "kind", "faskes" };

static int region_row(struct store *s, const struct csv *c,
		      const size_t *map, struct buf *err)
{
	struct store_region r = { 0 };
	const char *kind = c->fields[map[2]];
	int n = region_normalize(c->fields[map[0]], r.code);
	int want = !strcmp(kind, "kabupaten")   ? 4
		   : !strcmp(kind, "kecamatan") ? 6
		   : (!strcmp(kind, "desa") || !strcmp(kind, "kelurahan")) ? 10
									    : -1;
	if (c->nfields != 4 || n < 0 || n != want || !*c->fields[map[1]])
		return tb_err(err, TB_EINVAL,
			      "baris %u: wilayah tidak sah (kode, nama, jenis)",
			      c->line);
	struct buf why = BUF_INIT;
	if (utf8_str_check(c->fields[map[1]], 0, "nama", &why) < 0 ||
	    utf8_str_check(c->fields[map[3]], 0, "faskes", &why) < 0) {
		tb_err(err, TB_EINVAL, "baris %u: %s", c->line, why.data);
		buf_release(&why);
		return TB_EINVAL;
	}
	snprintf(r.name, sizeof r.name, "%s", c->fields[map[1]]);
	snprintf(r.kind, sizeof r.kind, "%s", kind);
	snprintf(r.faskes, sizeof r.faskes, "%s", c->fields[map[3]]);
	if (n > 4)
		snprintf(r.parent, sizeof r.parent, "%.*s", n == 10 ? 6 : 4,
			 r.code);
	int rc = store_region_put(s, &r, err);
	if (rc == TB_ENOTFOUND)
		rc = tb_err(err, TB_EINVAL,
			    "baris %u: wilayah induk %s belum ada", c->line,
			    r.parent);
	return rc;
}

int cases_regions_import(struct store *s, const char *data, size_t len,
			 const char *name, struct buf *err)
{
	struct csv c;
	struct buf rerr = BUF_INIT;
	size_t map[4];
	int rc, count = 0;
	csv_init(&c, data, len);
	if ((rc = store_begin(s, err)) < 0) {
		csv_release(&c);
		return rc;
	}
	rc = csv_next(&c, &rerr);
	if (rc <= 0 || csv_header(&c, region_cols, 4, map, &rerr) < 0) {
		rc = tb_err(err, TB_EINVAL, "%s: header tidak sah: %s", name,
			    rerr.data);
		goto out;
	}
	while ((rc = csv_next(&c, &rerr)) > 0) {
		if ((rc = region_row(s, &c, map, err)) < 0)
			goto out;
		count++;
	}
	if (rc < 0) {
		rc = tb_err(err, rc, "%s: %s", name, rerr.data);
		goto out;
	}
	if ((rc = store_audit_add(s, "console", "admin", "regions.load", name,
				  NULL, err)) < 0)
		goto out;
	rc = count;
out:
	rc = store_end(s, rc, err);
	csv_release(&c);
	buf_release(&rerr);
	return rc;
}
