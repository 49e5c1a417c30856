/*
 * Queues and document lists for the web pages: cases by how long they
 * have waited in their state (cases.state_since, migration 5), counts
 * per state inside a scope, cards and letters not yet printed, documents
 * a village has not downloaded, and the document search. Document lists
 * return serials; the caller reads each row through store_doc_get, the
 * one reader of a document row. A queue row carries its case, read by
 * the case's one reader, store__case_row.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

/* A village-code prefix as a range an index can walk (see
 * residents_edit.c): ':' sorts right after '9'. */
#define IN_PREFIX(col, p) " " col " >= " p " AND " col " < " p " || ':'"

/* ---- case queues -------------------------------------------------- */

/*
 * With a state and a scope, cases_state_village (state, village_code,
 * state_since, id; migration 9) holds the scope's cases of the state as
 * one range, sorted afterwards: a village's or a kecamatan's few. The
 * whole regency's scope (prefix "") is every case of the state, and
 * sorting them all for a page of 50 costs more than walking
 * cases_state_since (state, state_since, id) in order and stopping at
 * the page's end: the "+" keeps the planner off the scope's index there.
 */
#define Q_STATE " FROM cases c WHERE c.state = ?1 AND" IN_PREFIX("c.village_code", "?2")
#define Q_STATE_ALL " FROM cases c WHERE c.state = ?1 AND" IN_PREFIX("+c.village_code", "?2")
#define Q_ANY " FROM cases c WHERE" IN_PREFIX("c.village_code", "?2")
#define Q_COLS "SELECT c.id, c.state_since"
#define Q_OLD " ORDER BY c.state_since, c.id LIMIT ?4 OFFSET ?5"
#define Q_NEW " ORDER BY c.state_since DESC, c.id DESC LIMIT ?4 OFFSET ?5"

/*
 * Each case of the page, its row as store_case_get reads it and its last
 * workflow step: the newest case.new or case.move audit row that names
 * its move ("from -> to"), the rows the timeline is made of. The page is
 * cut first (the LIMIT keeps the subquery from being flattened into the
 * joins), so the case rows, the waiting time and the audit log are read
 * for the page's cases only, one index search each, in one statement,
 * and the page keeps its order.
 */
#define Q_STEP(page, order)                                               \
	"SELECT " STORE_CASE_COLS ", q.state_since,"                       \
	" ?3 - CAST(strftime('%s', q.state_since) AS INTEGER),"            \
	" coalesce(a.id, 0), coalesce(a.at, ''), coalesce(a.actor, ''),"   \
	" coalesce(a.role, ''), coalesce(a.action, ''),"                   \
	" coalesce(a.object, ''), coalesce(a.note, '')"                    \
	" FROM (" Q_COLS page ") q JOIN cases c ON c.id = q.id"            \
	" LEFT JOIN residents r ON r.nik = c.nik"                          \
	" LEFT JOIN audit a ON a.id ="                                     \
	" (SELECT max(b.id) FROM audit b WHERE b.object = 'case:' || q.id"  \
	" AND (b.action = 'case.new' OR (b.action = 'case.move'"           \
	" AND instr(b.note, ' -> ') > 0)))" order
#define Q_STEP_OLD " ORDER BY q.state_since, q.id"
#define Q_STEP_NEW " ORDER BY q.state_since DESC, q.id DESC"

/* [scope][newest first]: ORDER BY cannot take a parameter. */
static const char SQL_Q_STATE_OLD[] = Q_STEP(Q_STATE Q_OLD, Q_STEP_OLD);
static const char SQL_Q_STATE_NEW[] = Q_STEP(Q_STATE Q_NEW, Q_STEP_NEW);
static const char SQL_Q_ALL_OLD[] = Q_STEP(Q_STATE_ALL Q_OLD, Q_STEP_OLD);
static const char SQL_Q_ALL_NEW[] = Q_STEP(Q_STATE_ALL Q_NEW, Q_STEP_NEW);
static const char SQL_Q_ANY_OLD[] = Q_STEP(Q_ANY Q_OLD, Q_STEP_OLD);
static const char SQL_Q_ANY_NEW[] = Q_STEP(Q_ANY Q_NEW, Q_STEP_NEW);
static const char SQL_Q_STATE_COUNT[] = "SELECT count(*)" Q_STATE;
static const char SQL_Q_ANY_COUNT[] = "SELECT count(*)" Q_ANY;
static const char SQL_COUNT_IN[] =
	"SELECT c.state, count(*)" Q_ANY " GROUP BY c.state ORDER BY c.state";

static void queue_row(sqlite3_stmt *st, void *elem)
{
	struct store_queue_row *r = elem;
	int at = STORE_CASE_NCOLS;
	store__case_row(st, &r->c);
	r->id = r->c.id;
	store__col(st, at, r->state_since, sizeof r->state_since);
	r->waiting_s = sqlite3_column_int64(st, at + 1);
	memset(&r->step, 0, sizeof r->step);
	r->step.id = sqlite3_column_int64(st, at + 2);
	store__col(st, at + 3, r->step.at, sizeof r->step.at);
	store__col(st, at + 4, r->step.actor, sizeof r->step.actor);
	store__col(st, at + 5, r->step.role, sizeof r->step.role);
	store__col(st, at + 6, r->step.action, sizeof r->step.action);
	store__col(st, at + 7, r->step.object, sizeof r->step.object);
	store__col(st, at + 8, r->step.note, sizeof r->step.note);
}

int store_case_queue(struct store *s, const struct store_queue_query *q,
		     struct store_queue_row **out, size_t *n, size_t *total,
		     struct buf *err)
{
	int all = q->prefix && !q->prefix[0];
	const char *sql = !q->state ? (q->newest_first ? SQL_Q_ANY_NEW
						       : SQL_Q_ANY_OLD)
			  : all     ? (q->newest_first ? SQL_Q_ALL_NEW
						       : SQL_Q_ALL_OLD)
				    : (q->newest_first ? SQL_Q_STATE_NEW
						       : SQL_Q_STATE_OLD);
	sqlite3_stmt *st;
	int rc;
	*out = NULL;
	*n = 0;
	if (total) {
		st = store__prep(s, q->state ? SQL_Q_STATE_COUNT : SQL_Q_ANY_COUNT,
				 err);
		if (!st)
			return TB_EDB;
		store__bind(st, 1, q->state);
		store__bind(st, 2, q->prefix);
		if ((rc = store__count_st(s, st, "antrean kasus", total, err)) < 0)
			return rc;
	}
	if (!(st = store__prep(s, sql, err)))
		return TB_EDB;
	store__bind(st, 1, q->state);
	store__bind(st, 2, q->prefix);
	sqlite3_bind_int64(st, 3, q->now);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)q->limit);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)q->offset);
	return store__collect(s, st, out, n, sizeof **out, queue_row,
			      "antrean kasus", err);
}

static void count_row(sqlite3_stmt *st, void *elem)
{
	struct store_state_count *c = elem;
	store__col(st, 0, c->state, sizeof c->state);
	c->n = sqlite3_column_int(st, 1);
}

int store_case_count_in(struct store *s, const char *prefix,
			struct store_state_count **out, size_t *n,
			struct buf *err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = store__prep(s, SQL_COUNT_IN, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 2, prefix);
	return store__collect(s, st, out, n, sizeof **out, count_row, "kasus",
			      err);
}

/* ---- document lists ----------------------------------------------- */

#define REF_COLS                                                           \
	"SELECT d.serial, coalesce(p.count, 0), coalesce(p.last_at, '')"   \
	" FROM documents d JOIN cases c ON c.id = d.case_id"               \
	" LEFT JOIN document_prints p ON p.serial = d.serial"
/* "In force" as the gate reads it (store_doc_in_force). */
#define IN_FORCE " d.state = 'valid' AND d.expires_day >= ?3"

#define UNPRINTED                                                          \
	" WHERE d.kind = ?1 AND" IN_FORCE " AND" IN_PREFIX("c.village_code", "?2") \
	" AND p.serial IS NULL AND NOT EXISTS (SELECT 1 FROM print_job_docs jd" \
	" JOIN print_jobs j ON j.id = jd.job_id WHERE jd.serial = d.serial"  \
	" AND j.ended_at IS NULL)"
static const char SQL_UNPRINTED_OLD[] =
	REF_COLS UNPRINTED " ORDER BY d.issued_at, d.serial LIMIT ?4 OFFSET ?5";
static const char SQL_UNPRINTED_NEW[] =
	REF_COLS UNPRINTED
	" ORDER BY d.issued_at DESC, d.serial DESC LIMIT ?4 OFFSET ?5";
static const char SQL_UNPRINTED_COUNT[] =
	"SELECT count(*) FROM documents d JOIN cases c ON c.id = d.case_id"
	" LEFT JOIN document_prints p ON p.serial = d.serial" UNPRINTED;
static const char SQL_PRINTED[] =
	"INSERT INTO document_prints (serial, count, first_at, last_at, last_by)"
	" VALUES (?1, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),"
	" strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?2)"
	" ON CONFLICT (serial) DO UPDATE SET count = count + 1,"
	" last_at = excluded.last_at, last_by = excluded.last_by";

/* Downloads are known from the audit rows issue_fetch writes. */
#define UNDOWNLOADED                                                       \
	" WHERE" IN_FORCE " AND" IN_PREFIX("c.village_code", "?2")          \
	" AND NOT EXISTS (SELECT 1 FROM audit a WHERE"                      \
	" a.object = 'document:' || d.serial"                               \
	" AND a.action = 'document.download' AND a.role = ?1)"
static const char SQL_UNDOWNLOADED[] =
	REF_COLS UNDOWNLOADED
	" ORDER BY d.issued_at DESC, d.serial DESC LIMIT ?4 OFFSET ?5";
static const char SQL_UNDOWNLOADED_COUNT[] =
	"SELECT count(*) FROM documents d JOIN cases c ON c.id = d.case_id"
	UNDOWNLOADED;

/* One statement per key, so each walks its own index. */
#define SEARCH_SCOPE " AND" IN_PREFIX("c.village_code", "?1")
#define BY_SERIAL " WHERE d.serial = ?2" SEARCH_SCOPE
#define BY_NIK " WHERE" IN_PREFIX("d.nik", "?2") SEARCH_SCOPE
#define BY_NAME " WHERE d.name LIKE ?2 ESCAPE '\\'" SEARCH_SCOPE
#define SEARCH_PAGE " ORDER BY d.issued_at DESC, d.serial DESC LIMIT ?3 OFFSET ?4"
#define SEARCH_COUNT "SELECT count(*) FROM documents d JOIN cases c ON c.id = d.case_id"
static const char SQL_SEARCH_SERIAL[] = REF_COLS BY_SERIAL SEARCH_PAGE;
static const char SQL_SEARCH_NIK[] = REF_COLS BY_NIK SEARCH_PAGE;
static const char SQL_SEARCH_NAME[] = REF_COLS BY_NAME SEARCH_PAGE;
static const char SQL_SEARCH_SERIAL_COUNT[] = SEARCH_COUNT BY_SERIAL;
static const char SQL_SEARCH_NIK_COUNT[] = SEARCH_COUNT BY_NIK;
static const char SQL_SEARCH_NAME_COUNT[] = SEARCH_COUNT BY_NAME;

static void ref_row(sqlite3_stmt *st, void *elem)
{
	struct store_doc_ref *r = elem;
	store__col(st, 0, r->serial, sizeof r->serial);
	r->print_count = sqlite3_column_int(st, 1);
	store__col(st, 2, r->printed_at, sizeof r->printed_at);
}

/*
 * A document list: its page and count statements bind ?1 and ?2 as
 * text, then (has_day) ?3 as today, then limit and offset.
 */
struct ref_list {
	const char *sql, *count_sql;
	const char *t1, *t2;        /* ?1, ?2 */
	int has_day;                /* ?3 is today; page at ?4, ?5 */
	int64_t today;
	size_t offset, limit;
};

static int ref_bind(sqlite3_stmt *st, const struct ref_list *l)
{
	store__bind(st, 1, l->t1);
	store__bind(st, 2, l->t2);
	if (l->has_day)
		sqlite3_bind_int64(st, 3, l->today);
	return l->has_day ? 4 : 3;
}

static int ref_run(struct store *s, const struct ref_list *l,
		   struct store_doc_ref **out, size_t *n, size_t *total,
		   struct buf *err)
{
	sqlite3_stmt *st;
	int rc;
	*out = NULL;
	*n = 0;
	if (total) {
		if (!(st = store__prep(s, l->count_sql, err)))
			return TB_EDB;
		ref_bind(st, l);
		if ((rc = store__count_st(s, st, "daftar dokumen", total, err)) < 0)
			return rc;
	}
	if (!(st = store__prep(s, l->sql, err)))
		return TB_EDB;
	int at = ref_bind(st, l);
	sqlite3_bind_int64(st, at, (sqlite3_int64)l->limit);
	sqlite3_bind_int64(st, at + 1, (sqlite3_int64)l->offset);
	return store__collect(s, st, out, n, sizeof **out, ref_row,
			      "daftar dokumen", err);
}

int store_doc_unprinted(struct store *s, const char *kind, const char *prefix,
			int64_t today, int newest_first, size_t offset,
			size_t limit, struct store_doc_ref **out, size_t *n,
			size_t *total, struct buf *err)
{
	struct ref_list l = {
		.sql = newest_first ? SQL_UNPRINTED_NEW : SQL_UNPRINTED_OLD,
		.count_sql = SQL_UNPRINTED_COUNT,
		.t1 = kind, .t2 = prefix, .has_day = 1, .today = today,
		.offset = offset, .limit = limit,
	};
	return ref_run(s, &l, out, n, total, err);
}

int store_doc_printed(struct store *s, const char *serial, const char *by,
		      struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_PRINTED, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 1, serial);
	store__bind(st, 2, by);
	return store__exec(s, st, "catatan cetak", err);
}

int store_doc_undownloaded(struct store *s, const char *prefix, int64_t today,
			   const char *role, size_t offset, size_t limit,
			   struct store_doc_ref **out, size_t *n,
			   size_t *total, struct buf *err)
{
	struct ref_list l = {
		.sql = SQL_UNDOWNLOADED, .count_sql = SQL_UNDOWNLOADED_COUNT,
		.t1 = role, .t2 = prefix, .has_day = 1, .today = today,
		.offset = offset, .limit = limit,
	};
	return ref_run(s, &l, out, n, total, err);
}

int store_doc_search(struct store *s, const struct store_doc_query *q,
		     struct store_doc_ref **out, size_t *n, size_t *total,
		     struct buf *err)
{
	struct buf like = BUF_INIT;
	struct ref_list l = {
		.t1 = q->prefix, .offset = q->offset, .limit = q->limit,
	};
	if (q->serial) {
		l.sql = SQL_SEARCH_SERIAL;
		l.count_sql = SQL_SEARCH_SERIAL_COUNT;
		l.t2 = q->serial;
	} else if (q->nik) {
		l.sql = SQL_SEARCH_NIK;
		l.count_sql = SQL_SEARCH_NIK_COUNT;
		l.t2 = q->nik;
	} else {
		l.sql = SQL_SEARCH_NAME;
		l.count_sql = SQL_SEARCH_NAME_COUNT;
		if (store__like(&like, q->name ? q->name : "") < 0)
			return tb_err(err, TB_ENOMEM, "memori habis");
		l.t2 = like.data;
	}
	int rc = ref_run(s, &l, out, n, total, err);
	buf_release(&like);
	return rc;
}
