#ifndef TERBIT_STORE_H
#define TERBIT_STORE_H
/*
 * store: the SQLite case database. Every SQL statement of terbit lives in
 * src/store/; other modules see an opaque handle and plain C records.
 *
 * One file, DATA_DIR/terbit.db, in WAL mode with foreign keys on, STRICT
 * tables, a busy timeout, and a schema version (PRAGMA user_version) that
 * store_open brings up to date by running the numbered migration steps in
 * src/store/migrate.c (to add tables: append a step there; see
 * docs/architecture.md). Statements are prepared once per handle and reused.
 *
 * Records are fixed-size structs filled by the store (strings are
 * NUL-terminated, truncation never happens because inputs are checked on the
 * way in against the same sizes: STORE_*_MAX). Lists come back either
 * through a callback, or as a malloc'd array the caller frees with free().
 * A callback may call other store functions, but not the same listing
 * (its statement is the one being stepped); a non-zero return stops the
 * walk and is returned.
 *
 * Errors: TB_ENOTFOUND for a missing row, TB_ECONFLICT for a duplicate key,
 * TB_EINVAL for a value the schema refuses, TB_EDB for anything else, with a
 * message in err. A handle is used by one thread at a time.
 *
 * Transactions: store_begin (BEGIN IMMEDIATE, so a writer never deadlocks
 * upgrading a read lock), store_commit, store_rollback. They nest by
 * counting: only the outermost pair talks to SQLite; a rollback at any depth
 * dooms the whole transaction (the outermost commit then rolls back and
 * fails with TB_EDB). Functions below that write do NOT open a transaction
 * themselves: the caller (the cases or issue module) brackets them.
 */
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/ids.h"

struct store;

#define STORE_NAME_MAX 128    /* person or user name, bytes incl. NUL */
#define STORE_TEXT_MAX 256    /* address, facility, note-sized fields */
#define STORE_ATTACH_MAX (10u * 1024 * 1024) /* attachment bytes */

/* ---- handle ------------------------------------------------------- */

/*
 * Opens (creating with mode 0700 when missing) data_dir and its terbit.db,
 * sets the pragmas and runs pending migrations. *out is the caller's to
 * close with store_close. A database newer than this binary knows is
 * refused (TB_EDB).
 */
int store_open(const char *data_dir, struct store **out, struct buf *err);
/*
 * Opens data_dir's existing terbit.db for reading only (SQLite's
 * SQLITE_OPEN_READONLY and PRAGMA query_only: every write fails): for
 * read-only verifiers beside the writer on the same file, or on a copy
 * (docs/scaling.md). Never creates nor migrates: a database at another
 * schema version than this binary's is refused (TB_EDB). Stamps see the
 * writers' commits as for any handle.
 */
int store_open_readonly(const char *data_dir, struct store **out,
			struct buf *err);
/* Same, for an explicit database file (tests; the directory must exist);
 * ":memory:" gives a private in-memory database (fuzzing). */
int store_open_file(const char *path, struct store **out, struct buf *err);
/* Rolls back an open transaction, finalizes statements, closes. NULL ok. */
void store_close(struct store *s);
/*
 * A stamp that changes whenever the database may have changed: a commit
 * through any terbit handle, in this process or another (a counter in the
 * shared file "terbit.db-gen", bumped right after each commit reaches the
 * WAL), or a row changed through this handle. Two equal stamps from one
 * handle mean terbit committed nothing in between, so an answer computed
 * after the first may be served at the second (the verifier's answer
 * cache). A commit by another program (the sqlite3 shell), or by a
 * process killed between its commit and the bump, is caught by PRAGMA
 * data_version, asked at least once a second: it shows within a second.
 * Take the stamp BEFORE reading what the answer is made of. Usually no
 * system call at all. 0 or TB_EDB.
 */
struct store_stamp {
	int64_t others, own;
};
int store_stamp(struct store *s, struct store_stamp *out, struct buf *err);
/*
 * The verifier's reads on one read transaction held across requests
 * while the stamp st (taken just before, by store_stamp) stands still:
 * SQLite otherwise takes and drops its WAL read lock around every
 * statement (a mutex shared by the threads, fcntl, an fstat), a tenth
 * of an uncached verification. The first hold, or one after the stamp
 * moved, ends the old transaction and begins a new one, whose snapshot
 * is then taken by the next statement: never older than the stamp, so
 * any commit that moved the stamp (a revocation) is seen at once.
 * store_stamp releases the hold before its once-a-second data_version
 * check, so a snapshot is never kept more than about a second while the
 * handle is used. Inside a store_begin transaction it does nothing.
 * Every other use of the handle must store_read_release first (the
 * server does, for every handler but the verifier's): a held snapshot
 * does not see commits that did not go through this handle's stamp. 0 or
 * TB_EDB.
 */
int store_read_hold(struct store *s, const struct store_stamp *st,
		    struct buf *err);
/* Ends a held read transaction, if any. */
void store_read_release(struct store *s);
/*
 * The part of the stamp every handle on the database shares: the commit
 * counter of "terbit.db-gen", moved by every terbit commit in any thread
 * or process, so a number read on one handle may be compared with one
 * read on another (a cache shared by the server's threads; store_stamp's
 * stamps are one handle's). A write by another program (the sqlite3
 * shell) does not move it. Read it BEFORE reading what the answer is
 * made of. 0, or TB_ENOTFOUND when there is no counter (":memory:", or
 * the file could not be mapped): then nothing may be shared by it.
 */
int store_generation(const struct store *s, uint64_t *out);

/*
 * Copies the whole database into a new file dest (created 0600; an
 * existing file is refused) with SQLite's online backup API, in one read
 * transaction: a consistent copy as of one commit, made while other
 * handles and processes keep writing (`terbit backup`, docs/operations.md).
 * The copy keeps the WAL flag in its header and has no -wal file of its
 * own: it is complete as it stands. 0, TB_EIO or TB_EDB.
 */
int store_backup(struct store *s, const char *dest, struct buf *err);

/* Schema version after migrations, and the highest this binary knows. */
int store_schema_version(struct store *s);
int store_schema_latest(void);

/*
 * The clock the store writes times with (audit rows' `at`, and a case's
 * created_at, updated_at and state_since when it is opened or moved):
 * now() returns unix seconds. NULL (the default) is SQLite's clock. For
 * the demo's backdated history and for tests that need known times; a
 * service never sets it. The audit log is append-only and hash-chained,
 * so a past time can only be written when the row is appended, never
 * afterwards; a clock that goes backwards writes rows out of time order
 * (readers order by id, and the chain holds).
 */
void store_clock_set(struct store *s, int64_t (*now)(void *arg), void *arg);

int store_begin(struct store *s, struct buf *err);
int store_commit(struct store *s, struct buf *err);
void store_rollback(struct store *s);
/* Ends the transaction of a function's one `out:` label: commits when rc
 * is 0 or more (returning rc, or the commit's failure), rolls back and
 * returns rc when it is negative. */
int store_end(struct store *s, int rc, struct buf *err);

/* ---- regions ------------------------------------------------------ */

/* kind: "kabupaten" (4 digits), "kecamatan" (6), "kelurahan" or "desa"
 * (10). code is digits only; the parent is derived from the code. */
struct store_region {
	char code[REGION_CODE_MAX + 1];
	char name[STORE_NAME_MAX];
	char kind[12];
	char parent[REGION_CODE_MAX + 1]; /* "" for the regency */
	char faskes[STORE_TEXT_MAX]; /* kecamatan: its puskesmas; else "" */
};

/* Inserts or replaces one region row (parent must already exist). */
int store_region_put(struct store *s, const struct store_region *r,
		     struct buf *err);
int store_region_get(struct store *s, const char *code,
		     struct store_region *out, struct buf *err);
/* Calls fn for every region in code order; a non-zero return from fn
 * stops the walk and is returned. */
int store_region_each(struct store *s,
		      int (*fn)(const struct store_region *r, void *arg),
		      void *arg, struct buf *err);
/* Number of region rows (0 before `terbit init`). */
int store_region_count(struct store *s, struct buf *err);

/* ---- residents and PBI membership --------------------------------- */

struct store_resident {
	char nik[NIK_LEN + 1];
	char kk[KK_LEN + 1];
	char name[STORE_NAME_MAX];
	char birth_place[STORE_NAME_MAX];
	char birth_date[DATE_LEN + 1]; /* YYYY-MM-DD */
	char sex;                   /* 'L' or 'P' */
	char address[STORE_TEXT_MAX];
	char rt[4], rw[4];
	char village_code[REGION_CODE_MAX + 1]; /* 10 digits, any regency */
};

/* Inserts, or replaces the row with the same NIK (a later import of the
 * same person is an address change). The caller has validated the row. */
int store_resident_put(struct store *s, const struct store_resident *r,
		       struct buf *err);
int store_resident_get(struct store *s, const char *nik,
		       struct store_resident *out, struct buf *err);
int store_resident_count(struct store *s, struct buf *err);

struct store_pbi {
	char nik[NIK_LEN + 1];
	char program[10];           /* "PBI-JKN" or "PBI-APBD" */
	int active;
	char card_number[32];
};

/* Inserts or replaces the (nik, program) membership. */
int store_pbi_put(struct store *s, const struct store_pbi *p,
		  struct buf *err);
/* Every membership of nik (0..2 rows): *out is malloc'd, caller frees. */
int store_pbi_list(struct store *s, const char *nik, struct store_pbi **out,
		   size_t *n, struct buf *err);
int store_pbi_count(struct store *s, struct buf *err);

/* ---- users -------------------------------------------------------- */

struct store_user {
	int64_t id;
	char name[64];
	char role[16];              /* workflow role name: "desa", "dinsos", ... */
	char region[REGION_CODE_MAX + 1]; /* digits; "" for regency-wide roles */
	char created_at[32];
	int disabled;               /* 1: no sign-in, no token, no session */
	int must_change_password;   /* 1: signed in with a one-time password */
	int64_t token_expires_at;   /* unix seconds; 0: the token never expires */
};

/* token_sha256_hex: 64 hex chars of the SHA-256 of the API token (the
 * token itself is never stored). TB_ECONFLICT when the name is taken. */
int store_user_add(struct store *s, const struct store_user *u,
		   const char *token_sha256_hex, struct buf *err);
int store_user_get(struct store *s, const char *name, struct store_user *out,
		   struct buf *err);
/* Looks a user up by token digest; TB_ENOTFOUND when none matches. */
int store_user_by_token(struct store *s, const char *token_sha256_hex,
			struct store_user *out, struct buf *err);
int store_user_each(struct store *s,
		    int (*fn)(const struct store_user *u, void *arg), void *arg,
		    struct buf *err);

/* ---- accounts: passwords, sessions, sign-in throttling (accounts.c) -- */

/*
 * Times in this section are unix seconds passed by the caller (its clock),
 * so expiry and throttling are testable without sleeping.
 */

/* Appends the user's stored password hash to out (nothing when the user
 * has no password yet). TB_ENOTFOUND for an unknown user. */
int store_user_password(struct store *s, const char *name, struct buf *out,
			struct buf *err);
/* Sets the hash (NULL: no password) and the must-change flag. */
int store_user_set_password(struct store *s, const char *name,
			    const char *hash, int must_change,
			    struct buf *err);
int store_user_set_disabled(struct store *s, const char *name, int disabled,
			    struct buf *err);
/* Replaces the API token digest (64 hex) and its expiry (unix seconds;
 * 0: never). */
int store_user_set_token(struct store *s, const char *name,
			 const char *token_sha256_hex, int64_t expires_at,
			 struct buf *err);

struct store_session {
	char user[64];
	int64_t created_at, last_seen_at;
};

/* id_sha256_hex: 64 hex of the SHA-256 of the raw session id. */
int store_session_add(struct store *s, const char *id_sha256_hex,
		      const char *user, int64_t now, struct buf *err);
/* TB_ENOTFOUND when there is no such session. */
int store_session_get(struct store *s, const char *id_sha256_hex,
		      struct store_session *out, struct buf *err);
int store_session_touch(struct store *s, const char *id_sha256_hex,
			int64_t now, struct buf *err);
/* Ends (deletes) one session; no error when it is already gone. */
int store_session_end(struct store *s, const char *id_sha256_hex,
		      struct buf *err);
/* Ends every session of user except keep_sha256_hex (NULL: all). */
int store_session_end_user(struct store *s, const char *user,
			   const char *keep_sha256_hex, struct buf *err);
/* Deletes sessions last seen before idle_before or created before
 * created_before (housekeeping; expired ones are refused anyway). */
int store_session_purge(struct store *s, int64_t idle_before,
			int64_t created_before, struct buf *err);

/* Failures recorded under key ("user:NAME", "addr:ADDRESS"): *failures
 * 0 and *last_at 0 when none. */
int store_login_failures_get(struct store *s, const char *key, int *failures,
			     int64_t *last_at, struct buf *err);
/* One more failure at now; a row whose last failure is before
 * stale_before starts again from 1. */
int store_login_failure_add(struct store *s, const char *key, int64_t now,
			    int64_t stale_before, struct buf *err);
int store_login_failures_clear(struct store *s, const char *key,
			       struct buf *err);
/* Drops rows whose last failure is before `before`. */
int store_login_failures_purge(struct store *s, int64_t before,
			       struct buf *err);

/* ---- cases -------------------------------------------------------- */

struct store_case {
	int64_t id;
	char nik[NIK_LEN + 1];
	char name[STORE_NAME_MAX];  /* resident's name (joined, read-only) */
	char village_code[REGION_CODE_MAX + 1]; /* village of the case (scope) */
	char state[24];             /* workflow state name */
	char faskes[STORE_TEXT_MAX]; /* primary health facility */
	char created_at[32], updated_at[32]; /* ISO 8601 UTC */
	char created_by[64], updated_by[64];
};

/* Inserts a case (id, name, timestamps ignored; state and created_by
 * required); *id_out gets the new id. TB_ENOTFOUND when the NIK is not a
 * resident. */
int store_case_add(struct store *s, const struct store_case *c,
		   int64_t *id_out, struct buf *err);
int store_case_get(struct store *s, int64_t id, struct store_case *out,
		   struct buf *err);
/* Sets state, updated_by and updated_at. */
int store_case_set_state(struct store *s, int64_t id, const char *state,
			 const char *by, struct buf *err);
/* Marks the case updated (answers or attachments changed). */
int store_case_touch(struct store *s, int64_t id, const char *by,
		     struct buf *err);

struct store_case_filter {
	const char *state;          /* NULL: any */
	const char *region;         /* digits prefix of the village; NULL: any */
	const char *nik;            /* NULL: any */
};
/* Cases matching the filter, by id; fn as in store_region_each. */
int store_case_each(struct store *s, const struct store_case_filter *f,
		    int (*fn)(const struct store_case *c, void *arg),
		    void *arg, struct buf *err);
/* Count of cases per state: fn(state, count) for each present state. */
int store_case_count_by_state(struct store *s,
			      int (*fn)(const char *state, int n, void *arg),
			      void *arg, struct buf *err);

/* ---- survey answers ----------------------------------------------- */

struct store_answer {
	char code[32];              /* policy indicator code */
	int value;
};

/* Inserts or replaces the answer of (case, indicator). */
int store_answer_put(struct store *s, int64_t case_id,
		     const struct store_answer *a, const char *by,
		     struct buf *err);
/* Every answer of the case, by code: *out malloc'd, caller frees. */
int store_answer_list(struct store *s, int64_t case_id,
		      struct store_answer **out, size_t *n, struct buf *err);

/* ---- attachments -------------------------------------------------- */

struct store_attachment {
	int64_t id;
	int64_t case_id;
	char kind[12];              /* "rujukan", "survei", "verifikasi" */
	char mime[20];              /* from the magic bytes */
	int64_t size;
	char sha256[65];            /* hex */
	char filename[STORE_TEXT_MAX]; /* base name as uploaded */
	char created_at[32];
	char created_by[64];
};

/* "application/pdf", "image/jpeg" or "image/png" from the first bytes;
 * NULL for anything else. */
const char *store_sniff_mime(const void *data, size_t n);

/*
 * Stores the bytes as an attachment of the case. Checks, in this order:
 * kind known (TB_EINVAL), size 1..STORE_ATTACH_MAX (TB_ETOOBIG), magic
 * bytes PDF/JPEG/PNG (TB_EMEDIA), case exists (TB_ENOTFOUND). Fills mime,
 * size, sha256 and id of *a (kind, filename, created_by read from *a).
 */
int store_attach_add(struct store *s, struct store_attachment *a,
		     const void *data, size_t n, struct buf *err);
/* Metadata of every attachment of the case (no bytes), oldest first:
 * *out malloc'd, caller frees. */
int store_attach_list(struct store *s, int64_t case_id,
		      struct store_attachment **out, size_t *n,
		      struct buf *err);
/* Metadata and bytes (appended to data) of one attachment. */
int store_attach_get(struct store *s, int64_t id, struct store_attachment *meta,
		     struct buf *data, struct buf *err);
/* Number of attachments of kind on the case. */
int store_attach_count(struct store *s, int64_t case_id, const char *kind,
		       struct buf *err);

/* ---- audit log (append-only: triggers abort UPDATE and DELETE) ------ */

/*
 * The log is also a hash chain (migration 6, canon.c): each row holds
 * the hash of the row before it (prev_hash; 64 zeros for the first) and
 * its own hash, SHA-256 over the canonical encoding of (id, at, actor,
 * role, action, object, note, prev_hash), both 64 lower-case hex. A row
 * edited or deleted behind terbit's back breaks the chain at that row or
 * the next; a deleted tail shows only against an exported head
 * (store_audit_head, `terbit audit head`).
 */
struct store_audit {
	int64_t id;
	char at[32];
	char actor[64];
	char role[16];
	char action[32];            /* e.g. "case.move", "user.add" */
	char object[64];            /* e.g. "case:12", "user:budi" */
	char note[STORE_TEXT_MAX * 2];
	char prev_hash[65];
	char hash[65];
};

/* Appends one row (id, at and the chain set by the store), in its own
 * nested transaction so the link to the head is taken under the write
 * lock. note may be NULL. */
int store_audit_add(struct store *s, const char *actor, const char *role,
		    const char *action, const char *object, const char *note,
		    struct buf *err);
/* The hash a row must carry, from its members (prev_hash included), as
 * 64 hex + NUL. 0 or TB_ENOMEM. (A row longer than the members hold is
 * checked by store_audit_verify, which reads every stored byte.) */
int store_audit_hash(const struct store_audit *a, char out[65]);
/* The newest row's id and hash: what to write down outside the database
 * (the monthly report) so a rollback of the whole file shows. id 0 and
 * 64 zeros for an empty log. */
int store_audit_head(struct store *s, int64_t *id, char hash[65],
		     struct buf *err);

struct store_audit_check {
	int64_t rows;               /* rows walked */
	int64_t bad_id;             /* first broken row; 0: the chain holds */
	char why[160];              /* Indonesian, when bad_id */
	int64_t head_id;            /* last good row, and its hash */
	char head_hash[65];
};
/* Walks the chain in id order and stops at the first broken link. 0
 * (the verdict in *out, bad_id 0 when whole) or TB_EDB. */
int store_audit_verify(struct store *s, struct store_audit_check *out,
		       struct buf *err);
/* Rows about object (NULL: all), oldest first. */
int store_audit_each(struct store *s, const char *object,
		     int (*fn)(const struct store_audit *a, void *arg),
		     void *arg, struct buf *err);

/* ---- documents (issue gate) ---------------------------------------- */

/*
 * A document's state. The registry keeps the first three as text in its
 * state column; the store converts at its boundary, so code above it
 * compares enums, never strings. DOC_EXPIRED is never stored: expiry is a
 * date, not an event, so a valid row simply passes its expires_day.
 * It is in the enum because people are told it like the stored states
 * (verifier, print refusals): issue_doc_state derives it. Values start
 * at 1 so a zeroed record is in no state, never "valid".
 */
enum doc_state {
	DOC_VALID = 1,
	DOC_REVOKED,
	DOC_SUPERSEDED,
	DOC_EXPIRED,                /* derived (issue_doc_state), never stored */
};
/* "valid", "revoked", "superseded" (the stored names, also the staff
 * API's), "expired"; "" for anything else. */
const char *store_doc_state_name(enum doc_state s);

/*
 * The document registry: one row per issued letter or card, written only
 * by the issue gate (src/issue/issue.c) inside its transaction. The
 * immutable columns (everything but the revocation and supersession
 * columns) are guarded by triggers; rows are never deleted; state moves
 * only from "valid" to "revoked" or "superseded".
 */
struct store_document {
	char serial[SERIAL_LEN + 1]; /* 16 upper-case hex digits */
	char kind[8];               /* "letter" or "card" */
	int64_t case_id;
	char nik[NIK_LEN + 1];
	char name[STORE_NAME_MAX];  /* holder's name as printed */
	/* of the case (joined, read-only) */
	char village_code[REGION_CODE_MAX + 1];
	char number[64];            /* letter number, or the 13-digit card number */
	int year;                   /* of issue; the counter's year */
	int64_t seq;                /* the (kind, year) counter value behind number */
	int64_t issued_day;         /* days since 1970-01-01 */
	int64_t expires_day;        /* last day the document is valid */
	enum doc_state state;       /* stored: valid, revoked or superseded */
	char token[153];            /* the QR token: 152 base32 characters
				     * (format 2), 144 (format 1) */
	char sha256[65];            /* hex of the stored PDF bytes */
	char policy_version[64];
	double score;
	char office[STORE_TEXT_MAX]; /* issuing office as printed */
	char faskes[STORE_TEXT_MAX]; /* primary facility as printed */
	char issued_by[64];
	char issued_at[32];         /* ISO 8601 UTC, set by the store */
	char revoked_at[32];        /* "" unless revoked or superseded */
	char revoked_by[64];
	char reason[STORE_TEXT_MAX];
	char superseded_by[SERIAL_LEN + 1]; /* "" unless superseded */
	char replaces[SERIAL_LEN + 1]; /* "" unless a reissue */
	int64_t size;               /* PDF bytes */
	char fields_sha256[65];     /* hex of the fields JSON, set by the store */
	char seal[65];              /* hex HMAC of store_doc_canon; "" unsealed */
};

/*
 * Seals (migration 6): each row carries an HMAC-SHA256, made by the issue
 * module with the seal key under DATA/keys/ (never in the database), over
 * this canonical encoding of every member above but village_code (the
 * case's) and seal itself. The store writes what it is given; it cannot
 * make or check a seal. Appends to out; 0 or TB_ENOMEM.
 */
int store_doc_canon(const struct store_document *d, struct buf *out);
/* Sets the row's seal (64 hex). TB_ENOTFOUND for an unknown serial. */
int store_doc_set_seal(struct store *s, const char *serial,
		       const char *seal_hex, struct buf *err);
/* The (kind, year) counters: fn(kind, year, last) for each, by kind and
 * year; fn as in store_region_each. */
int store_doc_counter_each(struct store *s,
			   int (*fn)(const char *kind, int year, int64_t last,
				     void *arg),
			   void *arg, struct buf *err);

/* PRAGMA integrity_check: each problem SQLite reports appended to report
 * as a line. Returns the number of problems (0: the file is sound) or
 * TB_EDB when the check itself could not run. */
int store_integrity_check(struct store *s, struct buf *report,
			  struct buf *err);

/*
 * Next number of the (kind, year) counter, starting at 1. Inside the
 * caller's transaction, so a rolled-back issuance gives its number back
 * and numbers have no gaps and no duplicates.
 */
int store_doc_counter_next(struct store *s, const char *kind, int year,
			   int64_t *out, struct buf *err);
/*
 * Inserts a document: every member of *d except village_code, state
 * (always "valid"), issued_at, the revocation columns, superseded_by,
 * size, fields_sha256 (computed here) and seal (NULL: the caller seals
 * the row as read back, issued_at included, with store_doc_set_seal in
 * the same transaction). pdf/n are the signed bytes, fields_json the
 * printed fields.
 * TB_ECONFLICT for a duplicate serial, token, hash or number.
 */
int store_doc_add(struct store *s, const struct store_document *d,
		  const void *pdf, size_t n, const char *fields_json,
		  struct buf *err);
/* By serial (16 hex, upper case). TB_ENOTFOUND when absent. */
int store_doc_get(struct store *s, const char *serial,
		  struct store_document *out, struct buf *err);
/* The same row without the case's village_code (left ""): what the
 * verifier reads, which shows nothing of the case, one B-tree search
 * cheaper. */
int store_doc_lookup(struct store *s, const char *serial,
		     struct store_document *out, struct buf *err);
/* Every row as store_doc_lookup reads it, in serial order, to fn (a
 * non-zero return stops the scan and is returned). */
int store_doc_scan(struct store *s,
		   int (*fn)(const struct store_document *d, void *arg),
		   void *arg, struct buf *err);
/*
 * The change log (migration 13): triggers add one (seq, serial) for
 * every insert, update or delete of a document row, by any writer; it
 * keeps the last 65,536 entries or so (migration 14). store_doc_changes
 * gives fn those after seq `after`, oldest first (a non-zero return
 * stops and is returned); store_doc_changes_span the oldest and newest
 * seq still there (0 and 0 when none).
 */
int store_doc_changes(struct store *s, int64_t after,
		      int (*fn)(int64_t seq, const char *serial, void *arg),
		      void *arg, struct buf *err);
int store_doc_changes_span(struct store *s, int64_t *first, int64_t *last,
			   struct buf *err);
/* By the SHA-256 (64 lower-case hex) of the PDF bytes. */
int store_doc_by_sha256(struct store *s, const char *sha256_hex,
			struct store_document *out, struct buf *err);
/* Appends the PDF bytes (pdf) and/or the fields JSON (fields) of the
 * document; either may be NULL. */
int store_doc_blob(struct store *s, const char *serial, struct buf *pdf,
		   struct buf *fields, struct buf *err);
/*
 * The document of kind that is in force (issue_doc_in_force: valid and
 * expires_day >= today), for the case (case_id > 0) or else for the NIK,
 * leaving out the serial `except` (NULL: none); the newest when several.
 * TB_ENOTFOUND when there is none.
 */
int store_doc_in_force(struct store *s, int64_t case_id, const char *nik,
		       const char *kind, int64_t today, const char *except,
		       struct store_document *out, struct buf *err);
/* valid -> revoked, with who, why and now. TB_ECONFLICT unless the row
 * is "valid", TB_ENOTFOUND when there is no such serial. */
int store_doc_revoke(struct store *s, const char *serial, const char *by,
		     const char *reason, struct buf *err);
/* valid -> superseded by new_serial (which must exist), likewise. */
int store_doc_supersede(struct store *s, const char *serial,
			const char *new_serial, const char *by,
			const char *reason, struct buf *err);

struct store_doc_filter {
	int64_t case_id;            /* 0: any */
	const char *nik;            /* NULL: any */
	const char *kind;           /* NULL: any */
};
/* Documents matching the filter, oldest first; fn as in
 * store_region_each. */
int store_doc_each(struct store *s, const struct store_doc_filter *f,
		   int (*fn)(const struct store_document *d, void *arg),
		   void *arg, struct buf *err);
int store_doc_count(struct store *s, struct buf *err);

/* One row of the status list: a document not in force on a given day. */
struct store_doc_status {
	char serial[SERIAL_LEN + 1];
	enum doc_state state;       /* stored: valid (then expired), revoked,
				     * superseded */
	char changed_at[32];        /* revoked_at: "" for a valid one */
	int64_t expires_day;
};
/* Every document revoked, superseded, or valid with expires_day < today,
 * ascending serial (the status list, issue/status.h); fn as in
 * store_region_each. */
int store_doc_status_each(struct store *s, int64_t today,
			  int (*fn)(const struct store_doc_status *d, void *arg),
			  void *arg, struct buf *err);

/* ---- web pages: resident search and edits (residents_edit.c) ------ */

/*
 * Residents matching a search inside a scope, NIK order, one page.
 * prefix: the village-code prefix of the scope (wf_scope; "" = all).
 * Exactly one of nik (digits: a NIK prefix, 16 digits = exact) or name
 * (case-insensitive substring, ASCII letters) is set. closed_json: a
 * JSON array of the state names after which a case is no longer open
 * (the caller's rule, e.g. ["approved","rejected"]).
 */
struct store_resident_query {
	const char *prefix;
	const char *nik;
	const char *name;
	const char *closed_json;
	size_t offset, limit;
};
struct store_resident_hit {
	struct store_resident r;
	int64_t open_case;          /* newest case not closed; 0: none */
	char open_state[24];        /* its state, "" when none */
};
/* *out malloc'd (caller frees), *n rows; *total (may be NULL) how many
 * match in all. */
int store_resident_search(struct store *s, const struct store_resident_query *q,
			  struct store_resident_hit **out, size_t *n,
			  size_t *total, struct buf *err);
/* Inserts a new resident; TB_ECONFLICT when the NIK exists (unlike
 * store_resident_put, never replaces). The caller has validated it. */
int store_resident_add(struct store *s, const struct store_resident *r,
		       struct buf *err);
/* Rewrites every column but the NIK of an existing resident
 * (TB_ENOTFOUND otherwise). */
int store_resident_update(struct store *s, const struct store_resident *r,
			  struct buf *err);

/* One corrected field of a resident (append-only table). */
struct store_correction {
	int64_t id;
	char nik[NIK_LEN + 1];
	char field[16];             /* residents.csv column name */
	char old_value[STORE_TEXT_MAX];
	char new_value[STORE_TEXT_MAX];
	char reason[STORE_TEXT_MAX];
	char by[64];
	char at[32];                /* set by the store */
};
int store_correction_add(struct store *s, const struct store_correction *c,
			 struct buf *err);
/* Every correction of nik, oldest first: *out malloc'd, caller frees. */
int store_correction_list(struct store *s, const char *nik,
			  struct store_correction **out, size_t *n,
			  struct buf *err);

/* A resident's cases with how many documents each has, and how many of
 * those are in force on day `today` (valid, not expired). */
struct store_resident_case {
	int64_t id;
	char state[24];
	int docs, docs_in_force;
};
int store_resident_cases(struct store *s, const char *nik, int64_t today,
			 struct store_resident_case **out, size_t *n,
			 struct buf *err);

/* ---- web pages: queues and document lists (queue.c) --------------- */

/*
 * Cases by how long they have been in their state (cases.state_since,
 * kept by triggers: migration 5). state: a state name, or NULL for every
 * state; prefix as in store_resident_query. Rows are the longest waiting
 * first (newest_first 0) or the reverse, ties by id. now: Unix seconds,
 * for waiting_s.
 */
struct store_queue_query {
	const char *state;
	const char *prefix;
	int newest_first;
	int64_t now;
	size_t offset, limit;
};
struct store_queue_row {
	int64_t id;
	struct store_case c;        /* as store_case_get reads it */
	char state_since[32];       /* ISO 8601 UTC */
	int64_t waiting_s;          /* now - state_since, seconds */
	/* The last case.new, or case.move with "from -> to" in its note,
	 * of the case (no hashes); id 0 when it has none. */
	struct store_audit step;
};
int store_case_queue(struct store *s, const struct store_queue_query *q,
		     struct store_queue_row **out, size_t *n, size_t *total,
		     struct buf *err);
/* Count of cases per state inside prefix, one row per present state:
 * *out malloc'd, caller frees. */
struct store_state_count {
	char state[24];
	int n;
};
int store_case_count_in(struct store *s, const char *prefix,
			struct store_state_count **out, size_t *n,
			struct buf *err);

/* A serial of a document list, with its print record (0 / "" when the
 * document was never printed). */
struct store_doc_ref {
	char serial[SERIAL_LEN + 1];
	int print_count;
	char printed_at[32];        /* last time, ISO 8601 UTC */
};
/*
 * Documents of kind in force on `today` (valid, not expired) of cases
 * inside prefix that were never printed (document_prints), oldest issue
 * first (newest_first 0) or the reverse.
 */
int store_doc_unprinted(struct store *s, const char *kind, const char *prefix,
			int64_t today, int newest_first, size_t offset,
			size_t limit, struct store_doc_ref **out, size_t *n,
			size_t *total, struct buf *err);
/* Records one more print of serial by `by` (inside the caller's
 * transaction, beside its document.print audit row). */
int store_doc_printed(struct store *s, const char *serial, const char *by,
		      struct buf *err);
/*
 * Documents in force on `today` of cases inside prefix that no user of
 * role `role` has downloaded yet (no "document.download" audit row by
 * that role), newest first.
 */
int store_doc_undownloaded(struct store *s, const char *prefix, int64_t today,
			   const char *role, size_t offset, size_t limit,
			   struct store_doc_ref **out, size_t *n,
			   size_t *total, struct buf *err);
/*
 * Documents in any state of cases inside prefix, by exactly one of:
 * serial (16 upper-case hex), nik (digits, a prefix), name (substring,
 * case-insensitive). Newest first.
 */
struct store_doc_query {
	const char *prefix;
	const char *serial;
	const char *nik;
	const char *name;
	size_t offset, limit;
};
int store_doc_search(struct store *s, const struct store_doc_query *q,
		     struct store_doc_ref **out, size_t *n, size_t *total,
		     struct buf *err);

/* ---- statistics (stats.c): the reads of src/stats/ ---------------- */

/*
 * Scoped like the lists: prefix is the actor's village-code prefix
 * (wf_scope; "" = all). Times are the audit log's ISO 8601 UTC text;
 * from/to bound a window [from, to). Each walk calls fn per row; fn as
 * in store_region_each. docs/reports.md says what the stats module
 * makes of them.
 */

/* Cases per (area, state): area is the first area_digits digits of the
 * village code, by area then state. */
struct store_stats_count {
	char area[REGION_CODE_MAX + 1];
	char state[24];
	int n;
};
int store_stats_counts(struct store *s, const char *prefix, int area_digits,
		       int (*fn)(const struct store_stats_count *r, void *arg),
		       void *arg, struct buf *err);

/* One opening (case.new) or move (case.move) of a case, for the cases
 * in a state of open_json (a JSON array of state names) now or moved at
 * or after from; every such row before to, by case id then log order.
 * A case with none before to (opened later) comes once, at "". */
struct store_stats_step {
	int64_t case_id;
	char village[REGION_CODE_MAX + 1];
	char state_now[24];
	int opened;                 /* 1: case.new; 0: case.move */
	char at[32];
	char note[64];              /* "from -> to" (the head of the note) */
};
int store_stats_steps(struct store *s, const char *prefix,
		      const char *open_json, const char *from, const char *to,
		      int (*fn)(const struct store_stats_step *r, void *arg),
		      void *arg, struct buf *err);

/* Documents issued in [trend_from, to) (document.issue and
 * document.reissue rows), log order. first_letter: the row is the case's
 * first letter and lies in [from, to); approved_at is then the case's
 * approval ("" otherwise). */
struct store_stats_issued {
	int64_t case_id;
	char village[REGION_CODE_MAX + 1];
	char kind[8];               /* "letter" or "card" */
	char at[32];
	int first_letter;
	char approved_at[32];
};
int store_stats_issued(struct store *s, const char *prefix,
		       const char *trend_from, const char *from,
		       const char *to,
		       int (*fn)(const struct store_stats_issued *r, void *arg),
		       void *arg, struct buf *err);

/* document.revoke, document.supersede and issue.refused rows in
 * [from, to), with their case, log order. */
struct store_stats_event {
	char action[32];
	char note[STORE_TEXT_MAX * 2];
	int64_t case_id;
	char village[REGION_CODE_MAX + 1];
};
int store_stats_events(struct store *s, const char *prefix, const char *from,
		       const char *to,
		       int (*fn)(const struct store_stats_event *r, void *arg),
		       void *arg, struct buf *err);

/* The time of the newest audit row the figures are made of (the
 * actions of the walks above: openings, moves, issuances, revocations,
 * reissues, refusals), "" when there is none: the stats cache asks
 * whether a row of the current second may have been left out. */
int store_stats_last_at(struct store *s, char out[32], struct buf *err);

/* ---- printing (prints.c, migration 10) ---------------------------- */

/* A print job as the registry keeps it: what was sent where, by whom,
 * and the last state the follower saw (print_state_name's names). */
#define STORE_PRINT_DOCS_MAX 100
struct store_print_job {
	int64_t id;
	int cups_id;                  /* CUPS's job id */
	char printer[128];
	char kind[8];                 /* letter, card (one per page), sheet */
	char media[64];
	char sides[32];
	int copies;
	int reprint;
	char reason[STORE_TEXT_MAX];  /* a reprint's reason, else "" */
	char state[16];
	char reasons[STORE_TEXT_MAX]; /* CUPS's job-state-reasons / message */
	char by[STORE_NAME_MAX];
	char submitted_at[32];
	char ended_at[32];            /* "" while the job is followed */
	char serials[STORE_PRINT_DOCS_MAX * (SERIAL_LEN + 1)]; /* "S1 S2" */
};
/* Records a job CUPS accepted and its n documents (inside the caller's
 * transaction); sets j->id and j->submitted_at. */
int store_print_job_add(struct store *s, struct store_print_job *j,
			const char *const *serials, size_t n, struct buf *err);
int store_print_job_get(struct store *s, int64_t id,
			struct store_print_job *out, struct buf *err);
/* The state the follower saw; ended freezes the row (ended_at, given
 * back). 1 when the row changed, 0 when it had already ended. */
int store_print_job_state(struct store *s, int64_t id, const char *state,
			  const char *reasons, int ended, char ended_at[32],
			  struct buf *err);
/* Up to limit jobs: those not ended, oldest first (open_only); or those
 * with serial on them; or all; newest first. *out malloc'd. */
int store_print_jobs(struct store *s, int open_only, const char *serial,
		     size_t limit, struct store_print_job **out, size_t *n,
		     struct buf *err);
/* Which printer prints letters (role "letter", mode "a4") and cards
 * (role "card", mode "card": one card a page on a card printer, or
 * "sheet": A4 sheets of ten). TB_ENOTFOUND when not set yet. */
struct store_print_setup {
	char role[8];
	char printer[128];
	char mode[8];
	char set_by[STORE_NAME_MAX];
	char set_at[32];
};
int store_print_setup_get(struct store *s, const char *role,
			  struct store_print_setup *out, struct buf *err);
int store_print_setup_set(struct store *s, struct store_print_setup *p,
			  struct buf *err);

#endif
