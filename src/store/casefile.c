/*
 * Cases, survey answers, attachments and the audit log.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/digest.h"
#include "core/err.h"
#include "core/str.h"

/* ---- cases -------------------------------------------------------- */

#define CASE_COLS STORE_CASE_COLS STORE_CASE_FROM

static const char SQL_CASE_ADD[] =
	"INSERT INTO cases (nik, village_code, state, faskes, created_by,"
	" updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?5)";
static const char SQL_CASE_GET[] = "SELECT " CASE_COLS " WHERE c.id = ?1";
static const char SQL_CASE_STATE[] =
	"UPDATE cases SET state = ?2, updated_by = ?3, updated_at = "
	"strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1";
static const char SQL_CASE_TOUCH[] =
	"UPDATE cases SET updated_by = ?2, updated_at = "
	"strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1";
/* NULL parameters match everything, so one statement serves every
 * filter combination. */
static const char SQL_CASE_LIST[] =
	"SELECT " CASE_COLS
	" WHERE (?1 IS NULL OR c.state = ?1)"
	" AND (?2 IS NULL OR substr(c.village_code, 1, length(?2)) = ?2)"
	" AND (?3 IS NULL OR c.nik = ?3)"
	" ORDER BY c.id";
static const char SQL_CASE_CLOCK_NEW[] =
	"UPDATE cases SET created_at = ?2, updated_at = ?2, state_since = ?2"
	" WHERE id = ?1";
static const char SQL_CASE_CLOCK_MOVE[] =
	"UPDATE cases SET updated_at = ?2, state_since = ?2 WHERE id = ?1";
static const char SQL_CASE_BY_STATE[] =
	"SELECT state, count(*) FROM cases GROUP BY state ORDER BY state";

int store_case_add(struct store *s, const struct store_case *c,
		   int64_t *id_out, struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_CASE_ADD, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 1, c->nik);
	store__bind(st, 2, c->village_code);
	store__bind(st, 3, c->state);
	store__bind(st, 4, c->faskes);
	store__bind(st, 5, c->created_by);
	int rc = store__exec(s, st, "kasus", err);
	if (rc == TB_ENOTFOUND)
		return tb_err(err, rc, "NIK atau pengguna tidak dikenal");
	if (rc < 0)
		return rc;
	int64_t id = sqlite3_last_insert_rowid(s->db);
	if (id_out)
		*id_out = id;
	return store__case_clock(s, id, 1, err);
}

int store__case_clock(struct store *s, int64_t id, int created,
		      struct buf *err)
{
	char at[32];
	if (!s->clock)
		return 0;
	int rc = store__now_iso(s, at, err);
	if (rc < 0)
		return rc;
	sqlite3_stmt *st = store__prep(
		s, created ? SQL_CASE_CLOCK_NEW : SQL_CASE_CLOCK_MOVE, err);
	if (!st)
		return TB_EDB;
	sqlite3_bind_int64(st, 1, id);
	store__bind(st, 2, at);
	return store__exec(s, st, "kasus", err);
}

void store__case_row(sqlite3_stmt *st, struct store_case *c)
{
	c->id = sqlite3_column_int64(st, 0);
	store__col(st, 1, c->nik, sizeof c->nik);
	store__col(st, 2, c->name, sizeof c->name);
	store__col(st, 3, c->village_code, sizeof c->village_code);
	store__col(st, 4, c->state, sizeof c->state);
	store__col(st, 5, c->faskes, sizeof c->faskes);
	store__col(st, 6, c->created_at, sizeof c->created_at);
	store__col(st, 7, c->updated_at, sizeof c->updated_at);
	store__col(st, 8, c->created_by, sizeof c->created_by);
	store__col(st, 9, c->updated_by, sizeof c->updated_by);
}

static const char *missing_case(int64_t id, char msg[64])
{
	snprintf(msg, 64, "kasus %lld tidak ditemukan", (long long)id);
	return msg;
}

int store_case_get(struct store *s, int64_t id, struct store_case *out,
		   struct buf *err)
{
	char msg[64];
	sqlite3_stmt *st = store__prep(s, SQL_CASE_GET, err);
	if (!st)
		return TB_EDB;
	sqlite3_bind_int64(st, 1, id);
	int rc = store__one(s, st, "kasus", missing_case(id, msg), err);
	if (rc < 0)
		return rc;
	store__case_row(st, out);
	return store__done(st, 0);
}

/* One UPDATE on a case row; TB_ENOTFOUND when no row changed. */
static int case_update(struct store *s, const char *sql, int64_t id,
		       const char *a, const char *b, struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, sql, err);
	if (!st)
		return TB_EDB;
	sqlite3_bind_int64(st, 1, id);
	store__bind(st, 2, a);
	if (b)
		store__bind(st, 3, b);
	int rc = store__exec(s, st, "kasus", err);
	if (rc == 0 && sqlite3_changes(s->db) == 0)
		rc = tb_err(err, TB_ENOTFOUND, "kasus %lld tidak ditemukan",
			    (long long)id);
	return rc;
}

int store_case_set_state(struct store *s, int64_t id, const char *state,
			 const char *by, struct buf *err)
{
	int rc = case_update(s, SQL_CASE_STATE, id, state, by, err);
	return rc < 0 ? rc : store__case_clock(s, id, 0, err);
}

int store_case_touch(struct store *s, int64_t id, const char *by,
		     struct buf *err)
{
	return case_update(s, SQL_CASE_TOUCH, id, by, NULL, err);
}

int store_case_each(struct store *s, const struct store_case_filter *f,
		    int (*fn)(const struct store_case *c, void *arg),
		    void *arg, struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_CASE_LIST, err);
	if (!st)
		return TB_EDB;
	if (f) {
		store__bind(st, 1, f->state);
		store__bind(st, 2, f->region);
		store__bind(st, 3, f->nik);
	}
	struct store_case c;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store__case_row(st, &c);
		int stop = fn(&c, arg);
		if (stop)
			return store__done(st, stop);
	}
	if (rc != SQLITE_DONE)
		return store__done(st, store__err(s, "kasus", err));
	return store__done(st, 0);
}

int store_case_count_by_state(struct store *s,
			      int (*fn)(const char *state, int n, void *arg),
			      void *arg, struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_CASE_BY_STATE, err);
	if (!st)
		return TB_EDB;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int stop = fn((const char *)sqlite3_column_text(st, 0),
			      sqlite3_column_int(st, 1), arg);
		if (stop)
			return store__done(st, stop);
	}
	if (rc != SQLITE_DONE)
		return store__done(st, store__err(s, "kasus", err));
	return store__done(st, 0);
}

/* ---- answers ------------------------------------------------------ */

static const char SQL_ANSWER_PUT[] =
	"INSERT INTO answers (case_id, indicator, value, updated_by)"
	" VALUES (?1, ?2, ?3, ?4)"
	" ON CONFLICT (case_id, indicator) DO UPDATE SET value = ?3,"
	" updated_by = ?4, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
static const char SQL_ANSWER_LIST[] =
	"SELECT indicator, value FROM answers WHERE case_id = ?1"
	" ORDER BY indicator";

int store_answer_put(struct store *s, int64_t case_id,
		     const struct store_answer *a, const char *by,
		     struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_ANSWER_PUT, err);
	if (!st)
		return TB_EDB;
	sqlite3_bind_int64(st, 1, case_id);
	store__bind(st, 2, a->code);
	sqlite3_bind_int(st, 3, a->value);
	store__bind(st, 4, by);
	return store__exec(s, st, "jawaban survei", err);
}

int store_answer_list(struct store *s, int64_t case_id,
		      struct store_answer **out, size_t *n, struct buf *err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = store__prep(s, SQL_ANSWER_LIST, err);
	if (!st)
		return TB_EDB;
	sqlite3_bind_int64(st, 1, case_id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_answer *a = store__push(out, n, sizeof *a);
		if (!a) {
			rc = tb_err(err, TB_ENOMEM, "memori habis");
			goto fail;
		}
		store__col(st, 0, a->code, sizeof a->code);
		a->value = sqlite3_column_int(st, 1);
	}
	if (rc == SQLITE_DONE)
		return store__done(st, 0);
	rc = store__err(s, "jawaban survei", err);
fail:
	free(*out);
	*out = NULL;
	*n = 0;
	return store__done(st, rc);
}

/* ---- attachments -------------------------------------------------- */

#define ATTACH_COLS                                                     \
	"id, case_id, kind, mime, size, sha256, filename, created_at," \
	" created_by FROM attachments"

static const char SQL_ATTACH_ADD[] =
	"INSERT INTO attachments (case_id, kind, mime, size, sha256, filename,"
	" data, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_ATTACH_LIST[] =
	"SELECT " ATTACH_COLS " WHERE case_id = ?1 ORDER BY id";
static const char SQL_ATTACH_GET[] =
	"SELECT " ATTACH_COLS " WHERE id = ?1";
static const char SQL_ATTACH_DATA[] =
	"SELECT data FROM attachments WHERE id = ?1";
static const char SQL_ATTACH_COUNT[] =
	"SELECT count(*) FROM attachments WHERE case_id = ?1 AND kind = ?2";
static const char SQL_CASE_EXISTS[] = "SELECT 1 FROM cases WHERE id = ?1";

const char *store_sniff_mime(const void *data, size_t n)
{
	static const struct {
		const char *magic;
		size_t len;
		const char *mime;
	} kinds[] = {
		{ "%PDF-", 5, "application/pdf" },
		{ "\xff\xd8\xff", 3, "image/jpeg" },
		{ "\x89PNG\r\n\x1a\n", 8, "image/png" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
		if (n >= kinds[i].len &&
		    memcmp(data, kinds[i].magic, kinds[i].len) == 0)
			return kinds[i].mime;
	return NULL;
}

static int attach_kind_ok(const char *kind)
{
	return kind && (strcmp(kind, "rujukan") == 0 ||
			strcmp(kind, "survei") == 0 ||
			strcmp(kind, "verifikasi") == 0);
}

static int case_exists(struct store *s, int64_t id, struct buf *err)
{
	char msg[64];
	sqlite3_stmt *st = store__prep(s, SQL_CASE_EXISTS, err);
	if (!st)
		return TB_EDB;
	sqlite3_bind_int64(st, 1, id);
	int rc = store__one(s, st, "kasus", missing_case(id, msg), err);
	return rc < 0 ? rc : store__done(st, 0);
}

int store_attach_add(struct store *s, struct store_attachment *a,
		     const void *data, size_t n, struct buf *err)
{
	if (!attach_kind_ok(a->kind))
		return tb_err(err, TB_EINVAL,
			      "jenis lampiran harus rujukan, survei atau "
			      "verifikasi");
	if (n == 0)
		return tb_err(err, TB_EINVAL, "berkas lampiran kosong");
	if (n > STORE_ATTACH_MAX)
		return tb_err(err, TB_ETOOBIG,
			      "berkas lampiran terlalu besar (%zu bita; "
			      "paling besar 10 MB)", n);
	const char *mime = store_sniff_mime(data, n);
	if (!mime)
		return tb_err(err, TB_EMEDIA,
			      "jenis berkas tidak didukung: hanya PDF, JPEG "
			      "atau PNG");
	int rc = case_exists(s, a->case_id, err);
	if (rc < 0)
		return rc;
	snprintf(a->mime, sizeof a->mime, "%s", mime);
	a->size = (int64_t)n;
	struct buf hex = BUF_INIT;
	if (digest_sha256_hex(&hex, data, n) < 0)
		return tb_err(err, TB_ENOMEM, "memori habis");
	snprintf(a->sha256, sizeof a->sha256, "%s", hex.data);
	buf_release(&hex);
	sqlite3_stmt *st = store__prep(s, SQL_ATTACH_ADD, err);
	if (!st)
		return TB_EDB;
	sqlite3_bind_int64(st, 1, a->case_id);
	store__bind(st, 2, a->kind);
	store__bind(st, 3, a->mime);
	sqlite3_bind_int64(st, 4, a->size);
	store__bind(st, 5, a->sha256);
	store__bind(st, 6, a->filename);
	sqlite3_bind_blob64(st, 7, data, n, SQLITE_STATIC);
	store__bind(st, 8, a->created_by);
	rc = store__exec(s, st, "lampiran", err);
	if (rc == 0)
		a->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

static void attach_row(sqlite3_stmt *st, struct store_attachment *a)
{
	a->id = sqlite3_column_int64(st, 0);
	a->case_id = sqlite3_column_int64(st, 1);
	store__col(st, 2, a->kind, sizeof a->kind);
	store__col(st, 3, a->mime, sizeof a->mime);
	a->size = sqlite3_column_int64(st, 4);
	store__col(st, 5, a->sha256, sizeof a->sha256);
	store__col(st, 6, a->filename, sizeof a->filename);
	store__col(st, 7, a->created_at, sizeof a->created_at);
	store__col(st, 8, a->created_by, sizeof a->created_by);
}

int store_attach_list(struct store *s, int64_t case_id,
		      struct store_attachment **out, size_t *n,
		      struct buf *err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = store__prep(s, SQL_ATTACH_LIST, err);
	if (!st)
		return TB_EDB;
	sqlite3_bind_int64(st, 1, case_id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_attachment *a = store__push(out, n, sizeof *a);
		if (!a) {
			rc = tb_err(err, TB_ENOMEM, "memori habis");
			goto fail;
		}
		attach_row(st, a);
	}
	if (rc == SQLITE_DONE)
		return store__done(st, 0);
	rc = store__err(s, "lampiran", err);
fail:
	free(*out);
	*out = NULL;
	*n = 0;
	return store__done(st, rc);
}

int store_attach_get(struct store *s, int64_t id, struct store_attachment *meta,
		     struct buf *data, struct buf *err)
{
	char msg[64];
	sqlite3_stmt *st = store__prep(s, SQL_ATTACH_GET, err);
	if (!st)
		return TB_EDB;
	sqlite3_bind_int64(st, 1, id);
	snprintf(msg, sizeof msg, "lampiran %lld tidak ditemukan", (long long)id);
	int rc = store__one(s, st, "lampiran", msg, err);
	if (rc < 0)
		return rc;
	attach_row(st, meta);
	store__done(st, 0);
	if (!data)
		return 0;
	st = store__prep(s, SQL_ATTACH_DATA, err);
	if (!st)
		return TB_EDB;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW)
		return store__done(st, store__err(s, "lampiran", err));
	rc = buf_add(data, sqlite3_column_blob(st, 0),
		     (size_t)sqlite3_column_bytes(st, 0));
	if (rc < 0)
		rc = tb_err(err, rc, "memori habis");
	return store__done(st, rc);
}

int store_attach_count(struct store *s, int64_t case_id, const char *kind,
		       struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_ATTACH_COUNT, err);
	if (!st)
		return TB_EDB;
	sqlite3_bind_int64(st, 1, case_id);
	store__bind(st, 2, kind);
	if (sqlite3_step(st) != SQLITE_ROW)
		return store__done(st, store__err(s, "lampiran", err));
	return store__done(st, sqlite3_column_int(st, 0));
}

/* ---- audit -------------------------------------------------------- */

/* Appending, with the hash chain, is in canon.c. Two statements to list:
 * "?1 IS NULL OR object = ?1" cannot use audit_object, and a case's
 * history would read the whole log. */
#define AUDIT_COLS \
	"SELECT id, at, actor, role, action, object, note, prev_hash, hash" \
	" FROM audit"
static const char SQL_AUDIT_LIST[] = AUDIT_COLS " ORDER BY id";
static const char SQL_AUDIT_OBJECT[] =
	AUDIT_COLS " WHERE object = ?1 ORDER BY id";

int store_audit_each(struct store *s, const char *object,
		     int (*fn)(const struct store_audit *a, void *arg),
		     void *arg, struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, object ? SQL_AUDIT_OBJECT
						 : SQL_AUDIT_LIST, err);
	if (!st)
		return TB_EDB;
	if (object)
		store__bind(st, 1, object);
	struct store_audit a;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		a.id = sqlite3_column_int64(st, 0);
		store__col(st, 1, a.at, sizeof a.at);
		store__col(st, 2, a.actor, sizeof a.actor);
		store__col(st, 3, a.role, sizeof a.role);
		store__col(st, 4, a.action, sizeof a.action);
		store__col(st, 5, a.object, sizeof a.object);
		store__col(st, 6, a.note, sizeof a.note);
		store__col(st, 7, a.prev_hash, sizeof a.prev_hash);
		store__col(st, 8, a.hash, sizeof a.hash);
		int stop = fn(&a, arg);
		if (stop)
			return store__done(st, stop);
	}
	if (rc != SQLITE_DONE)
		return store__done(st, store__err(s, "log audit", err));
	return store__done(st, 0);
}
