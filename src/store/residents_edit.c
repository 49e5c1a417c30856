/*
 * Residents for the web pages: search in a scope, registration of a
 * resident the import did not bring, and corrections with their old and
 * new values (migration 5). The rules (who, which field at which stage)
 * are in src/cases/resident.c; these are only the statements.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

/* ---- helpers shared by the list statements ------------------------ */

int store__like(struct buf *out, const char *text)
{
	int rc = buf_addc(out, '%');
	for (const char *p = text; rc == 0 && *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			rc = buf_addc(out, '\\');
		if (rc == 0)
			rc = buf_addc(out, *p);
	}
	return rc == 0 ? buf_addc(out, '%') : rc;
}

int store__collect(struct store *s, sqlite3_stmt *st, void *arrp, size_t *n,
		   size_t size, void (*row)(sqlite3_stmt *st, void *elem),
		   const char *what, struct buf *err)
{
	void **arr = arrp;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		void *e = store__push(arrp, n, size);
		if (!e) {
			rc = tb_err(err, TB_ENOMEM, "memori habis");
			goto fail;
		}
		row(st, e);
	}
	if (rc == SQLITE_DONE)
		return store__done(st, 0);
	rc = store__err(s, what, err);
fail:
	free(*arr);
	*arr = NULL;
	*n = 0;
	return store__done(st, rc);
}

int store__count_st(struct store *s, sqlite3_stmt *st, const char *what,
		    size_t *out, struct buf *err)
{
	if (sqlite3_step(st) != SQLITE_ROW)
		return store__done(st, store__err(s, what, err));
	*out = (size_t)sqlite3_column_int64(st, 0);
	return store__done(st, 0);
}

/* ---- search ------------------------------------------------------- */

/* The scope is a range on village_code: every code that starts with
 * the prefix sorts between it and the prefix followed by ':' (the
 * character after '9'), which an index can walk. */
#define IN_PREFIX(col, p) " " col " >= " p " AND " col " < " p " || ':'"

/* NIK prefix: the primary key's range. Name: the scope's range on
 * residents_village, then LIKE on each row. */
#define RES_BY_NIK                                                         \
	" WHERE" IN_PREFIX("r.nik", "?2")                                  \
	" AND" IN_PREFIX("r.village_code", "?1")
#define RES_BY_NAME                                                        \
	" WHERE" IN_PREFIX("r.village_code", "?1")                         \
	" AND r.name LIKE ?2 ESCAPE '\\'"
/* Each row carries the newest case that is not in a closed state (?3,
 * a JSON array of state names). */
#define RES_HIT                                                            \
	"SELECT r.nik, coalesce(c.id, 0), coalesce(c.state, '')"          \
	" FROM residents r LEFT JOIN cases c ON c.id = (SELECT max(c2.id)"  \
	" FROM cases c2 WHERE c2.nik = r.nik AND c2.state NOT IN"           \
	" (SELECT value FROM json_each(?3)))"
#define RES_PAGE " ORDER BY r.nik LIMIT ?4 OFFSET ?5"

static const char SQL_RES_NIK[] = RES_HIT RES_BY_NIK RES_PAGE;
static const char SQL_RES_NAME[] = RES_HIT RES_BY_NAME RES_PAGE;
static const char SQL_RES_NIK_COUNT[] =
	"SELECT count(*) FROM residents r" RES_BY_NIK;
static const char SQL_RES_NAME_COUNT[] =
	"SELECT count(*) FROM residents r" RES_BY_NAME;

static void hit_row(sqlite3_stmt *st, void *elem)
{
	struct store_resident_hit *h = elem;
	store__col(st, 0, h->r.nik, sizeof h->r.nik);
	h->open_case = sqlite3_column_int64(st, 1);
	store__col(st, 2, h->open_state, sizeof h->open_state);
}

int store_resident_search(struct store *s, const struct store_resident_query *q,
			  struct store_resident_hit **out, size_t *n,
			  size_t *total, struct buf *err)
{
	struct buf like = BUF_INIT;
	const char *key = q->nik;
	int by_nik = q->nik != NULL, rc;
	sqlite3_stmt *st;
	*out = NULL;
	*n = 0;
	if (!by_nik) {
		if (store__like(&like, q->name ? q->name : "") < 0)
			return tb_err(err, TB_ENOMEM, "memori habis");
		key = like.data;
	}
	if (total) {
		if (!(st = store__prep(s, by_nik ? SQL_RES_NIK_COUNT
						 : SQL_RES_NAME_COUNT, err))) {
			rc = TB_EDB;
			goto out;
		}
		store__bind(st, 1, q->prefix);
		store__bind(st, 2, key);
		if ((rc = store__count_st(s, st, "penduduk", total, err)) < 0)
			goto out;
	}
	if (!(st = store__prep(s, by_nik ? SQL_RES_NIK : SQL_RES_NAME, err))) {
		rc = TB_EDB;
		goto out;
	}
	store__bind(st, 1, q->prefix);
	store__bind(st, 2, key);
	store__bind(st, 3, q->closed_json ? q->closed_json : "[]");
	sqlite3_bind_int64(st, 4, (sqlite3_int64)q->limit);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)q->offset);
	if ((rc = store__collect(s, st, out, n, sizeof **out, hit_row,
				 "penduduk", err)) < 0)
		goto out;
	/* The full record through the one reader of a resident row. */
	for (size_t i = 0; i < *n && rc == 0; i++)
		rc = store_resident_get(s, (*out)[i].r.nik, &(*out)[i].r, err);
	if (rc < 0) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
out:
	buf_release(&like);
	return rc;
}

/* ---- register and correct ------------------------------------------ */

static const char SQL_RES_ADD[] =
	"INSERT INTO residents (nik, kk, name, birth_place, birth_date, sex,"
	" address, rt, rw, village_code)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
static const char SQL_RES_UPDATE[] =
	"UPDATE residents SET kk = ?2, name = ?3, birth_place = ?4,"
	" birth_date = ?5, sex = ?6, address = ?7, rt = ?8, rw = ?9,"
	" village_code = ?10 WHERE nik = ?1";

static int resident_write(struct store *s, const char *sql,
			  const struct store_resident *r, struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, sql, err);
	if (!st)
		return TB_EDB;
	char sex[2] = { r->sex, 0 };
	const char *v[10] = { r->nik, r->kk, r->name, r->birth_place,
			      r->birth_date, sex, r->address, r->rt, r->rw,
			      r->village_code };
	for (int i = 0; i < 10; i++)
		store__bind(st, i + 1, v[i]);
	return store__exec(s, st, "penduduk", err);
}

int store_resident_add(struct store *s, const struct store_resident *r,
		       struct buf *err)
{
	int rc = resident_write(s, SQL_RES_ADD, r, err);
	if (rc == TB_ECONFLICT)
		return tb_err(err, rc, "NIK sudah terdaftar sebagai penduduk");
	return rc;
}

int store_resident_update(struct store *s, const struct store_resident *r,
			  struct buf *err)
{
	int rc = resident_write(s, SQL_RES_UPDATE, r, err);
	if (rc == 0 && sqlite3_changes(s->db) == 0)
		rc = tb_err(err, TB_ENOTFOUND,
			    "NIK tidak terdaftar sebagai penduduk");
	return rc;
}

static const char SQL_CORR_ADD[] =
	"INSERT INTO resident_corrections (nik, field, old, new, reason,"
	" corrected_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_CORR_LIST[] =
	"SELECT id, nik, field, old, new, reason, corrected_by, corrected_at"
	" FROM resident_corrections WHERE nik = ?1 ORDER BY id";

int store_correction_add(struct store *s, const struct store_correction *c,
			 struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_CORR_ADD, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 1, c->nik);
	store__bind(st, 2, c->field);
	store__bind(st, 3, c->old_value);
	store__bind(st, 4, c->new_value);
	store__bind(st, 5, c->reason);
	store__bind(st, 6, c->by);
	return store__exec(s, st, "koreksi penduduk", err);
}

static void corr_row(sqlite3_stmt *st, void *elem)
{
	struct store_correction *c = elem;
	c->id = sqlite3_column_int64(st, 0);
	store__col(st, 1, c->nik, sizeof c->nik);
	store__col(st, 2, c->field, sizeof c->field);
	store__col(st, 3, c->old_value, sizeof c->old_value);
	store__col(st, 4, c->new_value, sizeof c->new_value);
	store__col(st, 5, c->reason, sizeof c->reason);
	store__col(st, 6, c->by, sizeof c->by);
	store__col(st, 7, c->at, sizeof c->at);
}

int store_correction_list(struct store *s, const char *nik,
			  struct store_correction **out, size_t *n,
			  struct buf *err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = store__prep(s, SQL_CORR_LIST, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 1, nik);
	return store__collect(s, st, out, n, sizeof **out, corr_row,
			      "koreksi penduduk", err);
}

/* "In force" as the gate reads it (store_doc_in_force). */
static const char SQL_RES_CASES[] =
	"SELECT c.id, c.state,"
	" (SELECT count(*) FROM documents d WHERE d.case_id = c.id),"
	" (SELECT count(*) FROM documents d WHERE d.case_id = c.id"
	"  AND d.state = 'valid' AND d.expires_day >= ?2)"
	" FROM cases c WHERE c.nik = ?1 ORDER BY c.id";

static void rcase_row(sqlite3_stmt *st, void *elem)
{
	struct store_resident_case *c = elem;
	c->id = sqlite3_column_int64(st, 0);
	store__col(st, 1, c->state, sizeof c->state);
	c->docs = sqlite3_column_int(st, 2);
	c->docs_in_force = sqlite3_column_int(st, 3);
}

int store_resident_cases(struct store *s, const char *nik, int64_t today,
			 struct store_resident_case **out, size_t *n,
			 struct buf *err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = store__prep(s, SQL_RES_CASES, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 1, nik);
	sqlite3_bind_int64(st, 2, today);
	return store__collect(s, st, out, n, sizeof **out, rcase_row,
			      "kasus penduduk", err);
}
