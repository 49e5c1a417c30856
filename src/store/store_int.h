#ifndef TERBIT_STORE_INT_H
#define TERBIT_STORE_INT_H
/*
 * Inside the store module only: the handle's fields and the helpers every
 * file of src/store uses. A new table's statements go in a new file here
 * that includes this header (see docs/architecture.md).
 */
#include <sqlite3.h>
#include <stdint.h>

#include "store/store.h"

#define STORE_CACHE_MAX 128

struct store_stmt {
	const char *sql;    /* static string: the cache key is its address */
	sqlite3_stmt *st;
};

struct store {
	sqlite3 *db;
	int depth;          /* store_begin nesting */
	int doomed;         /* a nested rollback happened */
	/* The commit counter shared by every handle and process on this
	 * database (the "-gen" file beside it, mapped); NULL when it could
	 * not be made, and then store_stamp asks SQLite every time. */
	uint64_t *gen;
	int64_t dv;         /* PRAGMA data_version when last asked */
	int64_t dv_at_ms;   /* when that was (monotonic), -1 never */
	/* store_read_hold: a read transaction is held, begun for this
	 * stamp. */
	int held;
	struct store_stamp held_stamp;
	size_t ncache;
	struct store_stmt cache[STORE_CACHE_MAX];
	/* store_clock_set: NULL, or the clock whose time the store writes
	 * (audit rows, the cases' times) instead of SQLite's. */
	int64_t (*clock)(void *arg);
	void *clock_arg;
};

/*
 * The prepared statement for sql (a string literal or static array: it is
 * cached by address), reset with its bindings cleared. NULL on failure,
 * with err set (the caller returns TB_EDB). The caller resets it after use
 * (store__done) so no read transaction stays open.
 */
sqlite3_stmt *store__prep(struct store *s, const char *sql, struct buf *err);
/* Resets st and returns rc, for "return store__done(st, rc)". */
int store__done(sqlite3_stmt *st, int rc);
/* Maps the SQLite error of the last step to a TB_E code and message. */
int store__err(struct store *s, const char *what, struct buf *err);
/* Steps st once expecting SQLITE_DONE; resets it. */
int store__exec(struct store *s, sqlite3_stmt *st, const char *what,
		struct buf *err);
/* Steps st expecting one row: 0 with st on the row (the caller reads it,
 * then store__done), TB_ENOTFOUND with the message `missing` when there is
 * none, or the mapped error; st is reset on failure. */
int store__one(struct store *s, sqlite3_stmt *st, const char *what,
	       const char *missing, struct buf *err);
/* Binds text (NULL binds SQL NULL); the string must outlive the step. */
int store__bind(sqlite3_stmt *st, int idx, const char *text);
/* Copies column col as text into dst of size n ("" for NULL). */
void store__col(sqlite3_stmt *st, int col, char *dst, size_t n);
/* One-integer query (COUNT(*) and the like) with no parameters. */
int store__count(struct store *s, const char *sql, struct buf *err);

/* Appends one zeroed element of size to the malloc'd array that arrp
 * points to (any T **), holding *n elements; returns it, or NULL (array
 * untouched) when memory runs out. */
void *store__push(void *arrp, size_t *n, size_t size);

/* The time to write now, as ISO 8601 UTC with milliseconds (the audit
 * log's form): the handle's clock when set, else SQLite's. */
int store__now_iso(struct store *s, char at[32], struct buf *err);
/* With a clock set: writes its time into the case's created_at,
 * updated_at and state_since (what the triggers made SQLite's time), so
 * a clocked history is the same in the cases table as in the log. */
int store__case_clock(struct store *s, int64_t id, int created,
		      struct buf *err);

/* migrate.c: brings the schema to the latest version. */
/* The verifier's row read (store_doc_lookup), for test_store to check
 * its plan reads the covering index only. */
const char *store__doc_lookup_sql(void);
int store__migrate(struct store *s, struct buf *err);
int store__migrations_count(void);
/* Migration 6's steps in C (canon.c, documents.c): chain the audit rows
 * and hash the fields of documents written before it. */
int store__chain_existing(struct store *s, struct buf *err);
int store__doc_fields_hash_existing(struct store *s, struct buf *err);

/* casefile.c: a case row, its columns (STORE_CASE_COLS, first in a
 * SELECT) and the join they come from, read by store__case_row;
 * store_case_get and the queues (queue.c) share them, so a case reads
 * the same everywhere. */
#define STORE_CASE_COLS                                                    \
	"c.id, c.nik, coalesce(r.name, ''), c.village_code, c.state,"     \
	" c.faskes, c.created_at, c.updated_at, c.created_by, c.updated_by"
#define STORE_CASE_FROM " FROM cases c LEFT JOIN residents r ON r.nik = c.nik"
#define STORE_CASE_NCOLS 10
void store__case_row(sqlite3_stmt *st, struct store_case *c);

/* residents_edit.c: helpers of the web pages' list statements. */
/* "%text%" with % _ and \ escaped, for "LIKE ? ESCAPE '\'". */
int store__like(struct buf *out, const char *text);
/* Steps the bound st to the end, appending each row to the malloc'd
 * array that arrp points to (*n elements of size) through row(); on
 * failure the array is freed and emptied. Resets st. */
int store__collect(struct store *s, sqlite3_stmt *st, void *arrp, size_t *n,
		   size_t size, void (*row)(sqlite3_stmt *st, void *elem),
		   const char *what, struct buf *err);
/* Steps the bound st once and returns its first column as a count.
 * Resets st. */
int store__count_st(struct store *s, sqlite3_stmt *st, const char *what,
		    size_t *out, struct buf *err);

#endif
