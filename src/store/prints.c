/*
 * Print jobs sent through CUPS and the printers chosen for letters and
 * cards (migration 10). A job row is written when CUPS has accepted the
 * job, updated while the follower sees it move, and frozen once it has
 * ended; its documents count as printed (document_prints, queue.c)
 * only when it completes, which the issue module does in the same
 * transaction as the update.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

#define JOB_COLS                                                           \
	"SELECT j.id, j.cups_id, j.printer, j.kind, j.media, j.sides,"      \
	" j.copies, j.reprint, j.reason, j.state, j.reasons,"               \
	" j.submitted_by, j.submitted_at, coalesce(j.ended_at, ''),"       \
	" (SELECT group_concat(serial, ' ') FROM (SELECT serial FROM"       \
	"  print_job_docs WHERE job_id = j.id ORDER BY rowid))"             \
	" FROM print_jobs j"

static const char SQL_JOB_ADD[] =
	"INSERT INTO print_jobs (cups_id, printer, kind, media, sides, copies,"
	" reprint, reason, state, reasons, submitted_by, submitted_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, '', ?10, ?11)";
static const char SQL_JOB_DOC[] =
	"INSERT INTO print_job_docs (job_id, serial) VALUES (?1, ?2)";
static const char SQL_JOB_GET[] = JOB_COLS " WHERE j.id = ?1";
static const char SQL_JOB_STATE[] =
	"UPDATE print_jobs SET state = ?2, reasons = ?3,"
	" ended_at = CASE WHEN ?4 THEN ?5 END"
	" WHERE id = ?1 AND ended_at IS NULL";
static const char SQL_JOBS_OPEN[] =
	JOB_COLS " WHERE j.ended_at IS NULL ORDER BY j.id LIMIT ?1";
static const char SQL_JOBS_ALL[] = JOB_COLS " ORDER BY j.id DESC LIMIT ?1";
static const char SQL_JOBS_OF_DOC[] =
	JOB_COLS " WHERE j.id IN (SELECT job_id FROM print_job_docs"
	" WHERE serial = ?2) ORDER BY j.id DESC LIMIT ?1";
static const char SQL_SETUP_GET[] =
	"SELECT role, printer, mode, set_by, set_at FROM print_setup"
	" WHERE role = ?1";
static const char SQL_SETUP_SET[] =
	"INSERT INTO print_setup (role, printer, mode, set_by, set_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (role) DO UPDATE SET"
	" printer = excluded.printer, mode = excluded.mode,"
	" set_by = excluded.set_by, set_at = excluded.set_at";

static void job_row(sqlite3_stmt *st, void *elem)
{
	struct store_print_job *j = elem;
	j->id = sqlite3_column_int64(st, 0);
	j->cups_id = sqlite3_column_int(st, 1);
	store__col(st, 2, j->printer, sizeof j->printer);
	store__col(st, 3, j->kind, sizeof j->kind);
	store__col(st, 4, j->media, sizeof j->media);
	store__col(st, 5, j->sides, sizeof j->sides);
	j->copies = sqlite3_column_int(st, 6);
	j->reprint = sqlite3_column_int(st, 7);
	store__col(st, 8, j->reason, sizeof j->reason);
	store__col(st, 9, j->state, sizeof j->state);
	store__col(st, 10, j->reasons, sizeof j->reasons);
	store__col(st, 11, j->by, sizeof j->by);
	store__col(st, 12, j->submitted_at, sizeof j->submitted_at);
	store__col(st, 13, j->ended_at, sizeof j->ended_at);
	store__col(st, 14, j->serials, sizeof j->serials);
}

int store_print_job_add(struct store *s, struct store_print_job *j,
			const char *const *serials, size_t n, struct buf *err)
{
	int rc;
	if (n == 0 || n > STORE_PRINT_DOCS_MAX)
		return tb_err(err, TB_EINVAL, "satu pekerjaan cetak memuat 1..%d "
			      "dokumen", STORE_PRINT_DOCS_MAX);
	if ((rc = store__now_iso(s, j->submitted_at, err)) < 0)
		return rc;
	sqlite3_stmt *st = store__prep(s, SQL_JOB_ADD, err);
	if (!st)
		return TB_EDB;
	sqlite3_bind_int(st, 1, j->cups_id);
	store__bind(st, 2, j->printer);
	store__bind(st, 3, j->kind);
	store__bind(st, 4, j->media);
	store__bind(st, 5, j->sides);
	sqlite3_bind_int(st, 6, j->copies);
	sqlite3_bind_int(st, 7, j->reprint);
	store__bind(st, 8, j->reason);
	store__bind(st, 9, j->state);
	store__bind(st, 10, j->by);
	store__bind(st, 11, j->submitted_at);
	if ((rc = store__exec(s, st, "pekerjaan cetak", err)) < 0)
		return rc;
	j->id = sqlite3_last_insert_rowid(s->db);
	for (size_t i = 0; i < n; i++) {
		if (!(st = store__prep(s, SQL_JOB_DOC, err)))
			return TB_EDB;
		sqlite3_bind_int64(st, 1, j->id);
		store__bind(st, 2, serials[i]);
		if ((rc = store__exec(s, st, "dokumen pekerjaan cetak", err)) < 0)
			return rc;
	}
	return 0;
}

int store_print_job_get(struct store *s, int64_t id,
			struct store_print_job *out, struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_JOB_GET, err);
	if (!st)
		return TB_EDB;
	sqlite3_bind_int64(st, 1, id);
	int rc = store__one(s, st, "pekerjaan cetak",
			    "pekerjaan cetak tidak ditemukan", err);
	if (rc < 0)
		return rc;
	job_row(st, out);
	return store__done(st, 0);
}

int store_print_job_state(struct store *s, int64_t id, const char *state,
			  const char *reasons, int ended, char ended_at[32],
			  struct buf *err)
{
	int rc = 0;
	ended_at[0] = '\0';
	if (ended && (rc = store__now_iso(s, ended_at, err)) < 0)
		return rc;
	sqlite3_stmt *st = store__prep(s, SQL_JOB_STATE, err);
	if (!st)
		return TB_EDB;
	sqlite3_bind_int64(st, 1, id);
	store__bind(st, 2, state);
	store__bind(st, 3, reasons);
	sqlite3_bind_int(st, 4, ended);
	store__bind(st, 5, ended ? ended_at : NULL);
	if ((rc = store__exec(s, st, "status pekerjaan cetak", err)) < 0)
		return rc;
	/* 0 rows: the job had already ended (another follower got there) */
	return sqlite3_changes(s->db) == 1 ? 1 : 0;
}

int store_print_jobs(struct store *s, int open_only, const char *serial,
		     size_t limit, struct store_print_job **out, size_t *n,
		     struct buf *err)
{
	const char *sql = serial ? SQL_JOBS_OF_DOC
			  : open_only ? SQL_JOBS_OPEN : SQL_JOBS_ALL;
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = store__prep(s, sql, err);
	if (!st)
		return TB_EDB;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)limit);
	if (serial)
		store__bind(st, 2, serial);
	return store__collect(s, st, out, n, sizeof **out, job_row,
			      "pekerjaan cetak", err);
}

int store_print_setup_get(struct store *s, const char *role,
			  struct store_print_setup *out, struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_SETUP_GET, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 1, role);
	int rc = store__one(s, st, "pengaturan printer",
			    "printer belum diatur", err);
	if (rc < 0)
		return rc;
	store__col(st, 0, out->role, sizeof out->role);
	store__col(st, 1, out->printer, sizeof out->printer);
	store__col(st, 2, out->mode, sizeof out->mode);
	store__col(st, 3, out->set_by, sizeof out->set_by);
	store__col(st, 4, out->set_at, sizeof out->set_at);
	return store__done(st, 0);
}

int store_print_setup_set(struct store *s, struct store_print_setup *p,
			  struct buf *err)
{
	int rc = store__now_iso(s, p->set_at, err);
	if (rc < 0)
		return rc;
	sqlite3_stmt *st = store__prep(s, SQL_SETUP_SET, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 1, p->role);
	store__bind(st, 2, p->printer);
	store__bind(st, 3, p->mode);
	store__bind(st, 4, p->set_by);
	store__bind(st, 5, p->set_at);
	return store__exec(s, st, "pengaturan printer", err);
}
