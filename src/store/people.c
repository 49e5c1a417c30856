/*
 * Regions, residents, PBI memberships and users.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

/* ---- regions ------------------------------------------------------ */

static const char SQL_REGION_PUT[] =
	"INSERT INTO regions (code, name, kind, parent, faskes)"
	" VALUES (?1, ?2, ?3, NULLIF(?4, ''), ?5)"
	" ON CONFLICT (code) DO UPDATE SET name = ?2, kind = ?3,"
	" parent = NULLIF(?4, ''), faskes = ?5";
static const char SQL_REGION_GET[] =
	"SELECT code, name, kind, coalesce(parent, ''), faskes"
	" FROM regions WHERE code = ?1";
static const char SQL_REGION_ALL[] =
	"SELECT code, name, kind, coalesce(parent, ''), faskes"
	" FROM regions ORDER BY code";

int store_region_put(struct store *s, const struct store_region *r,
		     struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_REGION_PUT, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 1, r->code);
	store__bind(st, 2, r->name);
	store__bind(st, 3, r->kind);
	store__bind(st, 4, r->parent);
	store__bind(st, 5, r->faskes);
	return store__exec(s, st, "wilayah", err);
}

static void region_row(sqlite3_stmt *st, struct store_region *r)
{
	store__col(st, 0, r->code, sizeof r->code);
	store__col(st, 1, r->name, sizeof r->name);
	store__col(st, 2, r->kind, sizeof r->kind);
	store__col(st, 3, r->parent, sizeof r->parent);
	store__col(st, 4, r->faskes, sizeof r->faskes);
}

int store_region_get(struct store *s, const char *code,
		     struct store_region *out, struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_REGION_GET, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 1, code);
	char msg[64];
	snprintf(msg, sizeof msg, "kode wilayah %.20s tidak dikenal", code);
	int rc = store__one(s, st, "wilayah", msg, err);
	if (rc < 0)
		return rc;
	region_row(st, out);
	return store__done(st, 0);
}

int store_region_each(struct store *s,
		      int (*fn)(const struct store_region *r, void *arg),
		      void *arg, struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_REGION_ALL, err);
	if (!st)
		return TB_EDB;
	struct store_region r;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		region_row(st, &r);
		int stop = fn(&r, arg);
		if (stop)
			return store__done(st, stop);
	}
	if (rc != SQLITE_DONE)
		return store__done(st, store__err(s, "wilayah", err));
	return store__done(st, 0);
}

int store_region_count(struct store *s, struct buf *err)
{
	return store__count(s, "SELECT count(*) FROM regions", err);
}

/* ---- residents ---------------------------------------------------- */

static const char SQL_RESIDENT_PUT[] =
	"INSERT INTO residents (nik, kk, name, birth_place, birth_date, sex,"
	" address, rt, rw, village_code)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
	" ON CONFLICT (nik) DO UPDATE SET kk = ?2, name = ?3,"
	" birth_place = ?4, birth_date = ?5, sex = ?6, address = ?7,"
	" rt = ?8, rw = ?9, village_code = ?10";
static const char SQL_RESIDENT_GET[] =
	"SELECT nik, kk, name, birth_place, birth_date, sex, address, rt, rw,"
	" village_code FROM residents WHERE nik = ?1";

int store_resident_put(struct store *s, const struct store_resident *r,
		       struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_RESIDENT_PUT, err);
	if (!st)
		return TB_EDB;
	char sex[2] = { r->sex, 0 };
	store__bind(st, 1, r->nik);
	store__bind(st, 2, r->kk);
	store__bind(st, 3, r->name);
	store__bind(st, 4, r->birth_place);
	store__bind(st, 5, r->birth_date);
	store__bind(st, 6, sex);
	store__bind(st, 7, r->address);
	store__bind(st, 8, r->rt);
	store__bind(st, 9, r->rw);
	store__bind(st, 10, r->village_code);
	return store__exec(s, st, "penduduk", err);
}

int store_resident_get(struct store *s, const char *nik,
		       struct store_resident *out, struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_RESIDENT_GET, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 1, nik);
	int rc = store__one(s, st, "penduduk",
			    "NIK tidak terdaftar sebagai penduduk", err);
	if (rc < 0)
		return rc;
	char sex[2];
	store__col(st, 0, out->nik, sizeof out->nik);
	store__col(st, 1, out->kk, sizeof out->kk);
	store__col(st, 2, out->name, sizeof out->name);
	store__col(st, 3, out->birth_place, sizeof out->birth_place);
	store__col(st, 4, out->birth_date, sizeof out->birth_date);
	store__col(st, 5, sex, sizeof sex);
	out->sex = sex[0];
	store__col(st, 6, out->address, sizeof out->address);
	store__col(st, 7, out->rt, sizeof out->rt);
	store__col(st, 8, out->rw, sizeof out->rw);
	store__col(st, 9, out->village_code, sizeof out->village_code);
	return store__done(st, 0);
}

int store_resident_count(struct store *s, struct buf *err)
{
	return store__count(s, "SELECT count(*) FROM residents", err);
}

/* ---- PBI ---------------------------------------------------------- */

static const char SQL_PBI_PUT[] =
	"INSERT INTO pbi (nik, program, active, card_number)"
	" VALUES (?1, ?2, ?3, ?4)"
	" ON CONFLICT (nik, program) DO UPDATE SET active = ?3,"
	" card_number = ?4";
static const char SQL_PBI_LIST[] =
	"SELECT nik, program, active, card_number FROM pbi WHERE nik = ?1"
	" ORDER BY program";

int store_pbi_put(struct store *s, const struct store_pbi *p,
		  struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_PBI_PUT, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 1, p->nik);
	store__bind(st, 2, p->program);
	sqlite3_bind_int(st, 3, p->active ? 1 : 0);
	store__bind(st, 4, p->card_number);
	return store__exec(s, st, "kepesertaan PBI", err);
}

int store_pbi_list(struct store *s, const char *nik, struct store_pbi **out,
		   size_t *n, struct buf *err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = store__prep(s, SQL_PBI_LIST, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 1, nik);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_pbi *p = store__push(out, n, sizeof *p);
		if (!p) {
			free(*out);
			*out = NULL;
			*n = 0;
			return store__done(st, tb_err(err, TB_ENOMEM, "memori habis"));
		}
		store__col(st, 0, p->nik, sizeof p->nik);
		store__col(st, 1, p->program, sizeof p->program);
		p->active = sqlite3_column_int(st, 2);
		store__col(st, 3, p->card_number, sizeof p->card_number);
	}
	if (rc != SQLITE_DONE) {
		free(*out);
		*out = NULL;
		*n = 0;
		return store__done(st, store__err(s, "kepesertaan PBI", err));
	}
	return store__done(st, 0);
}

int store_pbi_count(struct store *s, struct buf *err)
{
	return store__count(s, "SELECT count(*) FROM pbi", err);
}

/* ---- users -------------------------------------------------------- */

static const char SQL_USER_ADD[] =
	"INSERT INTO users (name, role, region, token_sha256)"
	" VALUES (?1, ?2, ?3, ?4)";
#define USER_COLS \
	"SELECT id, name, role, region, created_at, disabled," \
	" must_change_password, coalesce(token_expires_at, 0) FROM users"
static const char SQL_USER_BY_NAME[] = USER_COLS " WHERE name = ?1";
static const char SQL_USER_BY_TOKEN[] = USER_COLS " WHERE token_sha256 = ?1";
static const char SQL_USER_ALL[] = USER_COLS " ORDER BY name";

int store_user_add(struct store *s, const struct store_user *u,
		   const char *token_sha256_hex, struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_USER_ADD, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 1, u->name);
	store__bind(st, 2, u->role);
	store__bind(st, 3, u->region);
	store__bind(st, 4, token_sha256_hex);
	int rc = store__exec(s, st, "pengguna", err);
	if (rc == TB_ECONFLICT)
		return tb_err(err, rc, "pengguna %s sudah ada", u->name);
	return rc;
}

static void user_row(sqlite3_stmt *st, struct store_user *u)
{
	u->id = sqlite3_column_int64(st, 0);
	store__col(st, 1, u->name, sizeof u->name);
	store__col(st, 2, u->role, sizeof u->role);
	store__col(st, 3, u->region, sizeof u->region);
	store__col(st, 4, u->created_at, sizeof u->created_at);
	u->disabled = sqlite3_column_int(st, 5);
	u->must_change_password = sqlite3_column_int(st, 6);
	u->token_expires_at = sqlite3_column_int64(st, 7);
}

static int user_one(struct store *s, const char *sql, const char *key,
		    struct store_user *out, const char *missing,
		    struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, sql, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 1, key);
	int rc = store__one(s, st, "pengguna", missing, err);
	if (rc < 0)
		return rc;
	user_row(st, out);
	return store__done(st, 0);
}

int store_user_get(struct store *s, const char *name, struct store_user *out,
		   struct buf *err)
{
	struct buf msg = BUF_INIT;
	buf_addf(&msg, "pengguna %s tidak dikenal", name);
	int rc = user_one(s, SQL_USER_BY_NAME, name, out, msg.data, err);
	buf_release(&msg);
	return rc;
}

int store_user_by_token(struct store *s, const char *token_sha256_hex,
			struct store_user *out, struct buf *err)
{
	return user_one(s, SQL_USER_BY_TOKEN, token_sha256_hex, out,
			"token tidak dikenal", err);
}

int store_user_each(struct store *s,
		    int (*fn)(const struct store_user *u, void *arg), void *arg,
		    struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_USER_ALL, err);
	if (!st)
		return TB_EDB;
	struct store_user u;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		user_row(st, &u);
		int stop = fn(&u, arg);
		if (stop)
			return store__done(st, stop);
	}
	if (rc != SQLITE_DONE)
		return store__done(st, store__err(s, "pengguna", err));
	return store__done(st, 0);
}
