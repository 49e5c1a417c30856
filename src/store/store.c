/*
 * The handle: opening, pragmas, transactions and the statement cache.
 */
#include "store/store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/str.h"

/* Long enough for a 100,000-row import by another process to finish. */
#define BUSY_TIMEOUT_MS 10000

sqlite3_stmt *store__prep(struct store *s, const char *sql, struct buf *err)
{
	for (size_t i = 0; i < s->ncache; i++) {
		if (s->cache[i].sql == sql) {
			sqlite3_reset(s->cache[i].st);
			sqlite3_clear_bindings(s->cache[i].st);
			return s->cache[i].st;
		}
	}
	if (s->ncache == STORE_CACHE_MAX) {
		tb_err(err, TB_EINTERNAL, "store: statement cache full");
		return NULL;
	}
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
			       NULL) != SQLITE_OK) {
		tb_err(err, TB_EDB, "basis data: %s", sqlite3_errmsg(s->db));
		return NULL;
	}
	s->cache[s->ncache].sql = sql;
	s->cache[s->ncache].st = st;
	s->ncache++;
	return st;
}

int store__done(sqlite3_stmt *st, int rc)
{
	sqlite3_reset(st);
	return rc;
}

int store__err(struct store *s, const char *what, struct buf *err)
{
	int ext = sqlite3_extended_errcode(s->db);
	const char *msg = sqlite3_errmsg(s->db);
	switch (ext) {
	case SQLITE_CONSTRAINT_PRIMARYKEY:
	case SQLITE_CONSTRAINT_UNIQUE:
		return tb_err(err, TB_ECONFLICT, "%s: sudah ada (%s)", what, msg);
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		return tb_err(err, TB_ENOTFOUND, "%s: rujukan tidak ditemukan (%s)",
			      what, msg);
	case SQLITE_CONSTRAINT_CHECK:
	case SQLITE_CONSTRAINT_NOTNULL:
	case SQLITE_CONSTRAINT_DATATYPE:
		return tb_err(err, TB_EINVAL, "%s: nilai ditolak (%s)", what, msg);
	default:
		return tb_err(err, TB_EDB, "%s: kesalahan basis data (%s)", what,
			      msg);
	}
}

int store__exec(struct store *s, sqlite3_stmt *st, const char *what,
		struct buf *err)
{
	int rc = sqlite3_step(st);
	rc = rc == SQLITE_DONE ? 0 : store__err(s, what, err);
	sqlite3_reset(st);
	return rc;
}

int store__one(struct store *s, sqlite3_stmt *st, const char *what,
	       const char *missing, struct buf *err)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return store__done(st, tb_err(err, TB_ENOTFOUND, "%s", missing));
	return store__done(st, store__err(s, what, err));
}

int store__bind(sqlite3_stmt *st, int idx, const char *text)
{
	if (!text)
		return sqlite3_bind_null(st, idx);
	return sqlite3_bind_text(st, idx, text, -1, SQLITE_STATIC);
}

/* Called for every column of every row read (25 a document): a plain
 * copy, not snprintf, which cost the verifier more than its query. */
void store__col(sqlite3_stmt *st, int col, char *dst, size_t n)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	size_t len = t ? (size_t)sqlite3_column_bytes(st, col) : 0;
	if (n == 0)
		return;
	if (len >= n)
		len = n - 1;
	if (len)
		memcpy(dst, t, len);
	dst[len] = '\0';
}

int store__count(struct store *s, const char *sql, struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, sql, err);
	if (!st)
		return TB_EDB;
	if (sqlite3_step(st) != SQLITE_ROW)
		return store__done(st, store__err(s, "hitung", err));
	return store__done(st, sqlite3_column_int(st, 0));
}

/*
 * The verifier's cache asks for a stamp on every request. PRAGMA
 * data_version is exact but takes SQLite's read lock (two fcntl and an
 * fstat) each time; most of a request's cost. So every commit made
 * through terbit also bumps a counter in a small file mapped by every
 * handle (bump_gen, from the WAL hook: after the commit is in the WAL),
 * and the stamp reads that counter from memory. data_version is still
 * asked at least once a second, which bounds how long a commit that did
 * not bump (a process killed between its commit and the bump, a write by
 * another program such as the sqlite3 shell) can go unseen.
 */
#define STAMP_RECHECK_MS 1000

int store_stamp(struct store *s, struct store_stamp *out, struct buf *err)
{
	static const char sql[] = "PRAGMA data_version";
	int64_t now = clock_mono_ms();
	if (!s->gen || s->dv_at_ms < 0 || now - s->dv_at_ms >= STAMP_RECHECK_MS) {
		/* Inside a held snapshot data_version would not move. */
		store_read_release(s);
		sqlite3_stmt *st = store__prep(s, sql, err);
		if (!st)
			return TB_EDB;
		if (sqlite3_step(st) != SQLITE_ROW)
			return store__done(st, store__err(s, "versi data", err));
		s->dv = sqlite3_column_int64(st, 0);
		s->dv_at_ms = now;
		store__done(st, 0);
	}
	uint64_t g = s->gen ? __atomic_load_n(s->gen, __ATOMIC_ACQUIRE) : 0;
	/* Both counters in one number: either moving changes the stamp. */
	out->others = (int64_t)(((uint64_t)s->dv << 32) ^ g);
	out->own = sqlite3_total_changes64(s->db);
	return 0;
}

static void rollback_now(struct store *s);

static const char begin_sql[] = "BEGIN";
static const char end_sql[] = "COMMIT";

void store_read_release(struct store *s)
{
	if (!s || !s->held)
		return;
	s->held = 0;
	/* A read transaction: COMMIT only drops the read lock. */
	sqlite3_stmt *st = store__prep(s, end_sql, NULL);
	if (st && !sqlite3_get_autocommit(s->db) && s->depth == 0) {
		sqlite3_step(st);
		sqlite3_reset(st);
	}
	if (!sqlite3_get_autocommit(s->db) && s->depth == 0)
		rollback_now(s);
}

int store_read_hold(struct store *s, const struct store_stamp *st,
		    struct buf *err)
{
	if (s->held && s->held_stamp.others == st->others &&
	    s->held_stamp.own == st->own && !sqlite3_get_autocommit(s->db))
		return 0;
	store_read_release(s);
	if (s->depth > 0 || !sqlite3_get_autocommit(s->db))
		return 0;
	sqlite3_stmt *b = store__prep(s, begin_sql, err);
	if (!b)
		return TB_EDB;
	if (sqlite3_step(b) != SQLITE_DONE)
		return store__done(b, store__err(s, "transaksi baca", err));
	store__done(b, 0);
	s->held = 1;
	s->held_stamp = *st;
	return 0;
}

int store_generation(const struct store *s, uint64_t *out)
{
	if (!s->gen)
		return TB_ENOTFOUND;
	*out = __atomic_load_n(s->gen, __ATOMIC_ACQUIRE);
	return 0;
}

/* SQLite calls this after each commit is in the WAL. Registering it
 * replaces the automatic checkpoint hook, so it checkpoints the same way
 * (PASSIVE at 1,000 pages, SQLite's default). */
static int bump_gen(void *arg, sqlite3 *db, const char *name, int pages)
{
	struct store *s = arg;
	__atomic_add_fetch(s->gen, 1, __ATOMIC_RELEASE);
	if (pages >= 1000)
		sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE,
					  NULL, NULL);
	return SQLITE_OK;
}

/* Maps "<db>-gen" (created 0600, 8 bytes). Any failure leaves s->gen
 * NULL: slower stamps, same answers. A read-only handle only reads it
 * (and never creates it: the writers do). */
static void map_gen(struct store *s, const char *path, int readonly)
{
	struct buf name = BUF_INIT;
	int fd = -1;
	if (strcmp(path, ":memory:") == 0 || buf_addf(&name, "%s-gen", path) < 0)
		goto out;
	fd = open(name.data, readonly ? O_RDONLY | O_CLOEXEC
				      : O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0)
		goto out;
	if (st.st_size < (off_t)sizeof *s->gen &&
	    (readonly || ftruncate(fd, sizeof *s->gen) != 0))
		goto out;
	void *p = mmap(NULL, sizeof *s->gen,
		       readonly ? PROT_READ : PROT_READ | PROT_WRITE,
		       MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		goto out;
	s->gen = p;
	if (!readonly)
		sqlite3_wal_hook(s->db, bump_gen, s);
out:
	if (fd >= 0)
		close(fd);
	buf_release(&name);
}

void *store__push(void *arrp, size_t *n, size_t size)
{
	char *arr;
	memcpy(&arr, arrp, sizeof arr);
	char *grown = realloc(arr, (*n + 1) * size);
	if (!grown)
		return NULL;
	memcpy(arrp, &grown, sizeof grown);
	memset(grown + *n * size, 0, size);
	return grown + (*n)++ * size;
}

/*
 * Ends SQLite's transaction. Through a statement prepared at open, not
 * sqlite3_exec: exec compiles "ROLLBACK" first, which needs memory, and
 * when memory has run out (just when things roll back) it failed and
 * left the transaction open, holding the write lock, with its unwritten
 * rows visible to this handle's next reads and every later BEGIN refused
 * (tests/unit/test_faults.c found it). store_begin also ends a
 * transaction still left open, as the last line of defence.
 */
static const char rollback_sql[] = "ROLLBACK";

static void rollback_now(struct store *s)
{
	sqlite3_stmt *st = store__prep(s, rollback_sql, NULL);
	if (st) {
		sqlite3_step(st);
		sqlite3_reset(st);
	}
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Pragmas cannot take bound parameters; these are constants. */
static int set_pragmas(struct store *s, struct buf *err)
{
	static const char *const pragmas[] = {
		"PRAGMA journal_mode = WAL",
		"PRAGMA foreign_keys = ON",
		/* FULL: an approved case or issued letter must survive a
		 * power cut, not only stay consistent. */
		"PRAGMA synchronous = FULL",
		"PRAGMA trusted_schema = OFF",
		/* No mmap_size: it saved 10% of a verification's CPU before
		 * the verifier's answer cache, nothing measurable after it,
		 * and each thread's handle mapped the file anew (VmRSS 38 ->
		 * 160 MB under the bench). 8 MiB of page cache a handle
		 * (default 2 MiB): the registry rows (PDFs apart since
		 * migration 3) stay in it. */
		"PRAGMA cache_size = -8192",
	};
	sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
	for (size_t i = 0; i < ARRAY_SIZE(pragmas); i++) {
		if (sqlite3_exec(s->db, pragmas[i], NULL, NULL, NULL) !=
		    SQLITE_OK)
			return tb_err(err, TB_EDB, "basis data: %s: %s",
				      pragmas[i], sqlite3_errmsg(s->db));
	}
	return 0;
}

/*
 * SQLite counts every allocation in its memory statistics, under one
 * process-wide mutex: the server's threads, each on its own handle,
 * queued on it for every row read (futex waits in sqlite3Malloc were
 * the largest share of the verifier's lock waits). Nothing here reads
 * those statistics. It can only be set before SQLite initialises, so
 * it is done once, before the first handle is opened; if SQLite was
 * initialised already (another library), the call fails and changes
 * nothing.
 */
static void sqlite_global_once(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static void sqlite_global(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, sqlite_global_once);
}

int store_open_file(const char *path, struct store **out, struct buf *err)
{
	int rc = TB_ENOMEM;
	struct store *s = calloc(1, sizeof *s);
	*out = NULL;
	if (!s)
		return tb_err(err, rc, "memori habis");
	/* Personal data: create the file 0600 ourselves; SQLite would use
	 * 0644, and gives its -wal and -shm files the database's mode.
	 * O_EXCL: only when it is not there yet. Opening and closing an
	 * existing file would drop every POSIX lock this process holds on
	 * it, so another thread's handle (the server opens one per thread)
	 * would go on unlocked and corrupt the database (SQLite's
	 * "howtocorrupt", section 2.2). */
	sqlite_global();
	int fd = strcmp(path, ":memory:") == 0
			 ? -2
			 : open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1 && errno == EEXIST)
		fd = -2;
	if (fd == -1) {
		rc = tb_err(err, TB_EIO, "tidak dapat membuka basis data %s: %s",
			    path, strerror(errno));
		goto out;
	}
	if (fd >= 0)
		close(fd);
	if (sqlite3_open_v2(path, &s->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				    SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		rc = tb_err(err, TB_EDB, "tidak dapat membuka basis data %s: %s",
			    path, s->db ? sqlite3_errmsg(s->db) : "memori habis");
		goto out;
	}
	sqlite3_extended_result_codes(s->db, 1);
	s->dv_at_ms = -1;
	if ((rc = set_pragmas(s, err)) < 0)
		goto out;
	map_gen(s, path, 0);
	if ((rc = store__migrate(s, err)) < 0)
		goto out;
	/* After the migrations: a schema change would make SQLite prepare
	 * it again, with memory, when it is stepped. */
	if (!store__prep(s, rollback_sql, err)) {
		rc = TB_EDB;
		goto out;
	}
	*out = s;
	s = NULL;
	rc = 0;
out:
	store_close(s);
	return rc;
}

int store_open(const char *data_dir, struct store **out, struct buf *err)
{
	*out = NULL;
	if (mkdir(data_dir, 0700) != 0 && errno != EEXIST)
		return tb_err(err, TB_EIO, "tidak dapat membuat direktori %s: %s",
			      data_dir, strerror(errno));
	struct buf path = BUF_INIT;
	if (buf_addf(&path, "%s/terbit.db", data_dir) < 0)
		return tb_err(err, TB_ENOMEM, "memori habis");
	int rc = store_open_file(path.data, out, err);
	buf_release(&path);
	return rc;
}

int store_open_readonly(const char *data_dir, struct store **out,
			struct buf *err)
{
	static const char *const pragmas[] = {
		/* SQLite refuses every write on the handle, CREATE TEMP too. */
		"PRAGMA query_only = ON",
		"PRAGMA trusted_schema = OFF",
		"PRAGMA cache_size = -8192",
	};
	struct buf path = BUF_INIT;
	struct store *s = calloc(1, sizeof *s);
	int rc = TB_ENOMEM;
	*out = NULL;
	sqlite_global();
	if (!s || buf_addf(&path, "%s/terbit.db", data_dir) < 0) {
		rc = tb_err(err, rc, "memori habis");
		goto out;
	}
	/* No SQLITE_OPEN_CREATE: a missing file is an error, not a new
	 * empty database. The WAL mode is in the file; its -shm index is
	 * shared with the writer as for any reader. */
	if (sqlite3_open_v2(path.data, &s->db,
			    SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		rc = tb_err(err, TB_EDB, "tidak dapat membuka basis data %s: %s",
			    path.data, s->db ? sqlite3_errmsg(s->db) : "memori habis");
		goto out;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
	s->dv_at_ms = -1;
	for (size_t i = 0; i < ARRAY_SIZE(pragmas); i++)
		if (sqlite3_exec(s->db, pragmas[i], NULL, NULL, NULL) != SQLITE_OK) {
			rc = tb_err(err, TB_EDB, "basis data: %s: %s", pragmas[i],
				    sqlite3_errmsg(s->db));
			goto out;
		}
	/* It cannot migrate, and statements written for another schema
	 * would fail later and less clearly. */
	int v = store_schema_version(s), latest = store_schema_latest();
	if (v != latest) {
		rc = tb_err(err, TB_EDB,
			    v < 0 ? "basis data %s tidak terbaca"
			    : v < latest
				    ? "basis data %s versi %d, program versi %d: "
				      "jalankan dulu terbit yang menulis "
				      "(terbit serve) agar dimigrasi"
				    : "basis data %s versi %d lebih baru dari "
				      "program ini (versi %d); perbarui terbit",
			    path.data, v, latest);
		goto out;
	}
	map_gen(s, path.data, 1);
	*out = s;
	s = NULL;
	rc = 0;
out:
	store_close(s);
	buf_release(&path);
	return rc;
}

void store_clock_set(struct store *s, int64_t (*now)(void *arg), void *arg)
{
	s->clock = now;
	s->clock_arg = arg;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	if (s->depth > 0 && s->db)
		rollback_now(s);
	if (s->db)
		store_read_release(s);
	for (size_t i = 0; i < s->ncache; i++)
		sqlite3_finalize(s->cache[i].st);
	sqlite3_close(s->db);
	if (s->gen)
		munmap(s->gen, sizeof *s->gen);
	free(s);
}

int store_schema_version(struct store *s)
{
	return store__count(s, "PRAGMA user_version", NULL);
}

int store_schema_latest(void)
{
	return store__migrations_count();
}

int store_begin(struct store *s, struct buf *err)
{
	if (s->depth++ > 0)
		return 0;
	s->doomed = 0;
	if (!sqlite3_get_autocommit(s->db))
		rollback_now(s);
	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		s->depth = 0;
		return tb_err(err, TB_EDB, "basis data sibuk atau gagal: %s",
			      sqlite3_errmsg(s->db));
	}
	return 0;
}

int store_commit(struct store *s, struct buf *err)
{
	if (s->depth == 0)
		return tb_err(err, TB_EINTERNAL, "store_commit tanpa transaksi");
	if (--s->depth > 0)
		return 0;
	if (s->doomed) {
		rollback_now(s);
		return tb_err(err, TB_EDB, "transaksi dibatalkan");
	}
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		int rc = tb_err(err, TB_EDB, "gagal menyimpan: %s",
				sqlite3_errmsg(s->db));
		rollback_now(s);
		return rc;
	}
	return 0;
}

int store_end(struct store *s, int rc, struct buf *err)
{
	if (rc < 0) {
		store_rollback(s);
		return rc;
	}
	int c = store_commit(s, err);
	return c < 0 ? c : rc;
}

void store_rollback(struct store *s)
{
	if (s->depth == 0)
		return;
	s->doomed = 1;
	if (--s->depth == 0)
		rollback_now(s);
}

int store_integrity_check(struct store *s, struct buf *report,
			  struct buf *err)
{
	/* Not cached: an operator's check, run once per command. */
	sqlite3_stmt *st = NULL;
	int r, n = 0;
	if (sqlite3_prepare_v2(s->db, "PRAGMA integrity_check", -1, &st,
			       NULL) != SQLITE_OK)
		return tb_err(err, TB_EDB, "pemeriksaan basis data: %s",
			      sqlite3_errmsg(s->db));
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *line = (const char *)sqlite3_column_text(st, 0);
		if (line && strcmp(line, "ok") == 0)
			continue;
		n++;
		if (buf_addf(report, "basis data: %s\n", line ? line : "?") < 0) {
			n = tb_err(err, TB_ENOMEM, "memori habis");
			break;
		}
	}
	/* A page so damaged that the check cannot even walk it is a
	 * problem of the file too, not a failure to check. */
	if (n >= 0 && r != SQLITE_ROW && r != SQLITE_DONE) {
		n++;
		buf_addf(report, "basis data: %s\n", sqlite3_errmsg(s->db));
	}
	sqlite3_finalize(st);
	return n;
}
