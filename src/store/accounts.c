/*
 * Accounts: password hashes, disabled flags and token rotation on users,
 * browser sessions, and the sign-in failure counters behind throttling.
 * Every time here is unix seconds from the caller's clock.
 */
#include "store/store_int.h"

#include "core/err.h"

/* ---- users -------------------------------------------------------- */

static const char SQL_USER_PASSWORD[] =
	"SELECT coalesce(password_hash, '') FROM users WHERE name = ?1";
static const char SQL_USER_SET_PASSWORD[] =
	"UPDATE users SET password_hash = ?2, must_change_password = ?3"
	" WHERE name = ?1";
static const char SQL_USER_SET_DISABLED[] =
	"UPDATE users SET disabled = ?2 WHERE name = ?1";
static const char SQL_USER_SET_TOKEN[] =
	"UPDATE users SET token_sha256 = ?2, token_expires_at = ?3 WHERE name = ?1";

int store_user_password(struct store *s, const char *name, struct buf *out,
			struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_USER_PASSWORD, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 1, name);
	int rc = store__one(s, st, "pengguna", "pengguna tidak dikenal", err);
	if (rc < 0)
		return rc;
	const unsigned char *h = sqlite3_column_text(st, 0);
	rc = buf_adds(out, h ? (const char *)h : "");
	if (rc < 0)
		rc = tb_err(err, rc, "memori habis");
	return store__done(st, rc);
}

/* Runs an UPDATE of one user row: TB_ENOTFOUND when no row changed. */
static int user_update(struct store *s, sqlite3_stmt *st, const char *name,
		       struct buf *err)
{
	int rc = store__exec(s, st, "pengguna", err);
	if (rc == 0 && sqlite3_changes(s->db) == 0)
		rc = tb_err(err, TB_ENOTFOUND, "pengguna %s tidak dikenal", name);
	return rc;
}

int store_user_set_password(struct store *s, const char *name,
			    const char *hash, int must_change,
			    struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_USER_SET_PASSWORD, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 1, name);
	store__bind(st, 2, hash);
	sqlite3_bind_int(st, 3, must_change ? 1 : 0);
	return user_update(s, st, name, err);
}

int store_user_set_disabled(struct store *s, const char *name, int disabled,
			    struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_USER_SET_DISABLED, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 1, name);
	sqlite3_bind_int(st, 2, disabled ? 1 : 0);
	return user_update(s, st, name, err);
}

int store_user_set_token(struct store *s, const char *name,
			 const char *token_sha256_hex, int64_t expires_at,
			 struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_USER_SET_TOKEN, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 1, name);
	store__bind(st, 2, token_sha256_hex);
	if (expires_at > 0)
		sqlite3_bind_int64(st, 3, expires_at);
	else
		sqlite3_bind_null(st, 3);
	return user_update(s, st, name, err);
}

/* ---- sessions ----------------------------------------------------- */

static const char SQL_SESSION_ADD[] =
	"INSERT INTO sessions (id_sha256, user, created_at, last_seen_at)"
	" VALUES (?1, ?2, ?3, ?3)";
static const char SQL_SESSION_GET[] =
	"SELECT user, created_at, last_seen_at FROM sessions"
	" WHERE id_sha256 = ?1";
static const char SQL_SESSION_TOUCH[] =
	"UPDATE sessions SET last_seen_at = ?2 WHERE id_sha256 = ?1";
static const char SQL_SESSION_END[] =
	"DELETE FROM sessions WHERE id_sha256 = ?1";
static const char SQL_SESSION_END_USER[] =
	"DELETE FROM sessions WHERE user = ?1 AND id_sha256 IS NOT ?2";
static const char SQL_SESSION_PURGE[] =
	"DELETE FROM sessions WHERE last_seen_at < ?1 OR created_at < ?2";

int store_session_add(struct store *s, const char *id_sha256_hex,
		      const char *user, int64_t now, struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_SESSION_ADD, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 1, id_sha256_hex);
	store__bind(st, 2, user);
	sqlite3_bind_int64(st, 3, now);
	return store__exec(s, st, "sesi", err);
}

int store_session_get(struct store *s, const char *id_sha256_hex,
		      struct store_session *out, struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_SESSION_GET, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 1, id_sha256_hex);
	int rc = store__one(s, st, "sesi", "sesi tidak dikenal", err);
	if (rc < 0)
		return rc;
	store__col(st, 0, out->user, sizeof out->user);
	out->created_at = sqlite3_column_int64(st, 1);
	out->last_seen_at = sqlite3_column_int64(st, 2);
	return store__done(st, 0);
}

int store_session_touch(struct store *s, const char *id_sha256_hex,
			int64_t now, struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_SESSION_TOUCH, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 1, id_sha256_hex);
	sqlite3_bind_int64(st, 2, now);
	return store__exec(s, st, "sesi", err);
}

int store_session_end(struct store *s, const char *id_sha256_hex,
		      struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_SESSION_END, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 1, id_sha256_hex);
	return store__exec(s, st, "sesi", err);
}

int store_session_end_user(struct store *s, const char *user,
			   const char *keep_sha256_hex, struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_SESSION_END_USER, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 1, user);
	store__bind(st, 2, keep_sha256_hex);
	return store__exec(s, st, "sesi", err);
}

int store_session_purge(struct store *s, int64_t idle_before,
			int64_t created_before, struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_SESSION_PURGE, err);
	if (!st)
		return TB_EDB;
	sqlite3_bind_int64(st, 1, idle_before);
	sqlite3_bind_int64(st, 2, created_before);
	return store__exec(s, st, "sesi", err);
}

/* ---- sign-in failures --------------------------------------------- */

static const char SQL_FAIL_GET[] =
	"SELECT failures, last_at FROM login_failures WHERE key = ?1";
static const char SQL_FAIL_ADD[] =
	"INSERT INTO login_failures (key, failures, last_at) VALUES (?1, 1, ?2)"
	" ON CONFLICT (key) DO UPDATE SET failures = CASE WHEN last_at < ?3"
	" THEN 1 ELSE failures + 1 END, last_at = ?2";
static const char SQL_FAIL_CLEAR[] =
	"DELETE FROM login_failures WHERE key = ?1";
static const char SQL_FAIL_PURGE[] =
	"DELETE FROM login_failures WHERE last_at < ?1";

int store_login_failures_get(struct store *s, const char *key, int *failures,
			     int64_t *last_at, struct buf *err)
{
	*failures = 0;
	*last_at = 0;
	sqlite3_stmt *st = store__prep(s, SQL_FAIL_GET, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 1, key);
	/* No row is the common case, not an error: stepped by hand so err
	 * is left alone. */
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return store__done(st, 0);
	if (rc != SQLITE_ROW)
		return store__done(st, store__err(s, "percobaan masuk", err));
	*failures = sqlite3_column_int(st, 0);
	*last_at = sqlite3_column_int64(st, 1);
	return store__done(st, 0);
}

int store_login_failure_add(struct store *s, const char *key, int64_t now,
			    int64_t stale_before, struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_FAIL_ADD, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 1, key);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, stale_before);
	return store__exec(s, st, "percobaan masuk", err);
}

int store_login_failures_clear(struct store *s, const char *key,
			       struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_FAIL_CLEAR, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 1, key);
	return store__exec(s, st, "percobaan masuk", err);
}

int store_login_failures_purge(struct store *s, int64_t before,
			       struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_FAIL_PURGE, err);
	if (!st)
		return TB_EDB;
	sqlite3_bind_int64(st, 1, before);
	return store__exec(s, st, "percobaan masuk", err);
}
