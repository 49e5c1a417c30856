/*
 * The document registry's statements (the issue gate is the only
 * writer). Schema: migration steps 2 and 3 in migrate.c (the PDF bytes
 * in document_pdfs, apart from the row the verifier reads).
 */
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

#include "core/digest.h"
#include "core/err.h"

/* The row's columns around the case's village code, in doc_row's order. */
#define DOC_COLS_HEAD "d.serial, d.kind, d.case_id, d.nik, d.name,"
#define DOC_COLS_TAIL                                                     \
	" d.number, d.year, d.seq,"                                        \
	" d.issued_day, d.expires_day, d.state, d.token, d.sha256,"        \
	" d.policy_version, d.score, d.office, d.faskes, d.issued_by,"     \
	" d.issued_at, d.revoked_at, d.revoked_by, d.reason,"              \
	" coalesce(d.superseded_by, ''), coalesce(d.replaces, ''),"        \
	" d.size, d.fields_sha256, coalesce(d.seal, '')"
#define DOC_COLS                                                          \
	DOC_COLS_HEAD " coalesce(c.village_code, '')," DOC_COLS_TAIL       \
	" FROM documents d LEFT JOIN cases c ON c.id = d.case_id"

static const char SQL_COUNTER[] =
	"INSERT INTO doc_counters (kind, year, last) VALUES (?1, ?2, 1)"
	" ON CONFLICT (kind, year) DO UPDATE SET last = last + 1"
	" RETURNING last";
static const char SQL_DOC_ADD[] =
	"INSERT INTO documents (serial, kind, case_id, nik, name, number,"
	" year, seq, issued_day, expires_day, token, sha256, size, fields,"
	" policy_version, score, office, faskes, issued_by, replaces,"
	" fields_sha256)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
	" ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)";
/* The bytes live apart from the row the verifier reads (migration 3). */
static const char SQL_DOC_PDF_ADD[] =
	"INSERT INTO document_pdfs (serial, pdf) VALUES (?1, ?2)";
static const char SQL_DOC_GET[] = "SELECT " DOC_COLS " WHERE d.serial = ?1";
/* The verifier's: no case row, and every column from the covering
 * index documents_verify (migration 12), so one B-tree search of
 * compact pages and never the table's rows. INDEXED BY holds the plan
 * (without statistics SQLite might take the serial's own index and
 * then the table); test_store checks it is "USING COVERING INDEX". */
static const char SQL_DOC_LOOKUP[] =
	"SELECT " DOC_COLS_HEAD " ''," DOC_COLS_TAIL
	" FROM documents d INDEXED BY documents_verify WHERE d.serial = ?1";
const char *store__doc_lookup_sql(void)
{
	return SQL_DOC_LOOKUP;
}

/* Every row as SQL_DOC_LOOKUP reads it, from the same index. */
static const char SQL_DOC_SCAN[] =
	"SELECT " DOC_COLS_HEAD " ''," DOC_COLS_TAIL
	" FROM documents d INDEXED BY documents_verify";
static const char SQL_DOC_CHANGES[] =
	"SELECT seq, serial FROM doc_changes WHERE seq > ?1 ORDER BY seq";
static const char SQL_DOC_CHANGES_SPAN[] =
	"SELECT coalesce(min(seq), 0), coalesce(max(seq), 0) FROM doc_changes";

static const char SQL_DOC_BY_HASH[] =
	"SELECT " DOC_COLS " WHERE d.sha256 = ?1";
static const char SQL_DOC_BLOB[] =
	"SELECT p.pdf, d.fields FROM documents d"
	" JOIN document_pdfs p ON p.serial = d.serial WHERE d.serial = ?1";
/* Two statements, not one with a CASE, so each uses its index. The
 * state and expiry terms are issue_doc_in_force in SQL, kept here so the
 * lookup stays one indexed SELECT; test_issue.c holds the two together.
 * The unary + keeps SQLite off documents_kind_state (kind, state): with
 * no statistics it preferred that index for the NIK query, so every
 * issuance walked every valid document of its kind (the gate slowed
 * as the registry grew: 10,000 letters took 89 s); on documents_nik
 * (nik, kind) it reads the one resident's rows. */
#define IN_FORCE                                                         \
	" AND d.kind = ?2 AND +d.state = 'valid' AND d.expires_day >= ?3"  \
	" AND (?4 IS NULL OR d.serial <> ?4)"                              \
	" ORDER BY d.issued_day DESC, d.rowid DESC LIMIT 1"
static const char SQL_DOC_IN_FORCE_CASE[] =
	"SELECT " DOC_COLS " WHERE d.case_id = ?1" IN_FORCE;
static const char SQL_DOC_IN_FORCE_NIK[] =
	"SELECT " DOC_COLS " WHERE d.nik = ?1" IN_FORCE;
static const char SQL_DOC_REVOKE[] =
	"UPDATE documents SET state = 'revoked', revoked_by = ?2,"
	" reason = ?3, revoked_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
	" WHERE serial = ?1 AND state = 'valid'";
static const char SQL_DOC_SUPERSEDE[] =
	"UPDATE documents SET state = 'superseded', superseded_by = ?4,"
	" revoked_by = ?2, reason = ?3,"
	" revoked_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
	" WHERE serial = ?1 AND state = 'valid'";
static const char SQL_DOC_LIST[] =
	"SELECT " DOC_COLS
	" WHERE (?1 = 0 OR d.case_id = ?1) AND (?2 IS NULL OR d.nik = ?2)"
	" AND (?3 IS NULL OR d.kind = ?3) ORDER BY d.rowid";
static const char SQL_DOC_COUNT[] = "SELECT count(*) FROM documents";
/* The seal is the one column written after the row: it covers issued_at,
 * which SQLite sets on insert, and the state columns each change sets. */
static const char SQL_DOC_SEAL[] =
	"UPDATE documents SET seal = ?2 WHERE serial = ?1";
static const char SQL_COUNTERS[] =
	"SELECT kind, year, last FROM doc_counters ORDER BY kind, year";
static const char SQL_DOC_EXISTS[] =
	"SELECT 1 FROM documents WHERE serial = ?1";

/* The state column's words (the CHECK of migration 2, and the words
 * the UPDATEs above write); the order of enum doc_state. */
static const char *const state_names[] = {
	[DOC_VALID] = "valid",
	[DOC_REVOKED] = "revoked",
	[DOC_SUPERSEDED] = "superseded",
	[DOC_EXPIRED] = "expired",
};

const char *store_doc_state_name(enum doc_state st)
{
	return st >= DOC_VALID && st <= DOC_EXPIRED ? state_names[st] : "";
}

/* A stored state: the three a row can hold, never DOC_EXPIRED. */
static int doc_state_parse(const char *text)
{
	for (int st = DOC_VALID; st <= DOC_SUPERSEDED; st++)
		if (!strcmp(text, state_names[st]))
			return st;
	return TB_EDB;
}

int store_doc_counter_next(struct store *s, const char *kind, int year,
			   int64_t *out, struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_COUNTER, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 1, kind);
	sqlite3_bind_int(st, 2, year);
	if (sqlite3_step(st) != SQLITE_ROW)
		return store__done(st, store__err(s, "nomor dokumen", err));
	*out = sqlite3_column_int64(st, 0);
	/* RETURNING rows are produced before the write completes: step
	 * to the end so the update is done before we reset. */
	int rc = sqlite3_step(st) == SQLITE_DONE
			 ? 0
			 : store__err(s, "nomor dokumen", err);
	return store__done(st, rc);
}

/* The printed fields are not in the row the verifier reads, so the seal
 * binds them through their hash. 0 or TB_ENOMEM. */
static int fields_sha256(const char *json, char out[65])
{
	struct buf hex = BUF_INIT;
	int rc = digest_sha256_hex(&hex, json, strlen(json));
	if (rc == 0)
		memcpy(out, hex.data, 65);
	buf_release(&hex);
	return rc;
}

static int doc_row_add(struct store *s, const struct store_document *d,
		       size_t n, const char *fields_json, struct buf *err)
{
	char fields_hex[65];
	sqlite3_stmt *st = store__prep(s, SQL_DOC_ADD, err);
	if (!st)
		return TB_EDB;
	if (fields_sha256(fields_json, fields_hex) < 0)
		return tb_err(err, TB_ENOMEM, "memori habis");
	store__bind(st, 1, d->serial);
	store__bind(st, 2, d->kind);
	sqlite3_bind_int64(st, 3, d->case_id);
	store__bind(st, 4, d->nik);
	store__bind(st, 5, d->name);
	store__bind(st, 6, d->number);
	sqlite3_bind_int(st, 7, d->year);
	sqlite3_bind_int64(st, 8, d->seq);
	sqlite3_bind_int64(st, 9, d->issued_day);
	sqlite3_bind_int64(st, 10, d->expires_day);
	store__bind(st, 11, d->token);
	store__bind(st, 12, d->sha256);
	sqlite3_bind_int64(st, 13, (sqlite3_int64)n);
	store__bind(st, 14, fields_json);
	store__bind(st, 15, d->policy_version);
	sqlite3_bind_double(st, 16, d->score);
	store__bind(st, 17, d->office);
	store__bind(st, 18, d->faskes);
	store__bind(st, 19, d->issued_by);
	store__bind(st, 20, d->replaces[0] ? d->replaces : NULL);
	store__bind(st, 21, fields_hex);
	return store__exec(s, st, "dokumen", err);
}

static int doc_pdf_add(struct store *s, const char *serial, const void *pdf,
		       size_t n, struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_DOC_PDF_ADD, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 1, serial);
	sqlite3_bind_blob64(st, 2, pdf, n, SQLITE_STATIC);
	return store__exec(s, st, "PDF dokumen", err);
}

/* Row and bytes in one transaction (nested in the gate's), so no row is
 * ever without its PDF. */
int store_doc_add(struct store *s, const struct store_document *d,
		  const void *pdf, size_t n, const char *fields_json,
		  struct buf *err)
{
	int rc = store_begin(s, err);
	if (rc < 0)
		return rc;
	if ((rc = doc_row_add(s, d, n, fields_json, err)) < 0 ||
	    (rc = doc_pdf_add(s, d->serial, pdf, n, err)) < 0) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, err);
}

/* One row into *d; TB_EDB for a state the schema's CHECK would refuse
 * (a file changed by hand), rather than a record in no state. */
static int doc_row(sqlite3_stmt *st, struct store_document *d,
		   struct buf *err)
{
	char state[12];
	memset(d, 0, sizeof *d);
	store__col(st, 0, d->serial, sizeof d->serial);
	store__col(st, 1, d->kind, sizeof d->kind);
	d->case_id = sqlite3_column_int64(st, 2);
	store__col(st, 3, d->nik, sizeof d->nik);
	store__col(st, 4, d->name, sizeof d->name);
	store__col(st, 5, d->village_code, sizeof d->village_code);
	store__col(st, 6, d->number, sizeof d->number);
	d->year = sqlite3_column_int(st, 7);
	d->seq = sqlite3_column_int64(st, 8);
	d->issued_day = sqlite3_column_int64(st, 9);
	d->expires_day = sqlite3_column_int64(st, 10);
	store__col(st, 11, state, sizeof state);
	store__col(st, 12, d->token, sizeof d->token);
	store__col(st, 13, d->sha256, sizeof d->sha256);
	store__col(st, 14, d->policy_version, sizeof d->policy_version);
	d->score = sqlite3_column_double(st, 15);
	store__col(st, 16, d->office, sizeof d->office);
	store__col(st, 17, d->faskes, sizeof d->faskes);
	store__col(st, 18, d->issued_by, sizeof d->issued_by);
	store__col(st, 19, d->issued_at, sizeof d->issued_at);
	store__col(st, 20, d->revoked_at, sizeof d->revoked_at);
	store__col(st, 21, d->revoked_by, sizeof d->revoked_by);
	store__col(st, 22, d->reason, sizeof d->reason);
	store__col(st, 23, d->superseded_by, sizeof d->superseded_by);
	store__col(st, 24, d->replaces, sizeof d->replaces);
	d->size = sqlite3_column_int64(st, 25);
	store__col(st, 26, d->fields_sha256, sizeof d->fields_sha256);
	store__col(st, 27, d->seal, sizeof d->seal);
	int rc = doc_state_parse(state);
	if (rc < 0)
		return tb_err(err, rc, "status dokumen %s tidak dikenal: %s",
			      d->serial, state);
	d->state = (enum doc_state)rc;
	return 0;
}

/* Steps a bound one-row query into *out. */
static int doc_one(struct store *s, sqlite3_stmt *st,
		   struct store_document *out, struct buf *err)
{
	int r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		return store__done(st, doc_row(st, out, err));
	if (r == SQLITE_DONE)
		return store__done(st, tb_err(err, TB_ENOTFOUND,
					      "dokumen tidak ditemukan"));
	return store__done(st, store__err(s, "dokumen", err));
}

/* The one row sql finds for key (its ?1). */
static int doc_by(struct store *s, const char *sql, const char *key,
		  struct store_document *out, struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, sql, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 1, key);
	return doc_one(s, st, out, err);
}

int store_doc_get(struct store *s, const char *serial,
		  struct store_document *out, struct buf *err)
{
	return doc_by(s, SQL_DOC_GET, serial, out, err);
}

int store_doc_lookup(struct store *s, const char *serial,
		     struct store_document *out, struct buf *err)
{
	return doc_by(s, SQL_DOC_LOOKUP, serial, out, err);
}

int store_doc_by_sha256(struct store *s, const char *sha256_hex,
			struct store_document *out, struct buf *err)
{
	return doc_by(s, SQL_DOC_BY_HASH, sha256_hex, out, err);
}

int store_doc_blob(struct store *s, const char *serial, struct buf *pdf,
		   struct buf *fields, struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_DOC_BLOB, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 1, serial);
	int r = sqlite3_step(st);
	if (r == SQLITE_DONE)
		return store__done(st, tb_err(err, TB_ENOTFOUND,
					      "dokumen tidak ditemukan"));
	if (r != SQLITE_ROW)
		return store__done(st, store__err(s, "dokumen", err));
	int rc = 0;
	if (pdf)
		rc = buf_add(pdf, sqlite3_column_blob(st, 0),
			     (size_t)sqlite3_column_bytes(st, 0));
	if (rc == 0 && fields)
		rc = buf_add(fields, sqlite3_column_text(st, 1),
			     (size_t)sqlite3_column_bytes(st, 1));
	if (rc < 0)
		rc = tb_err(err, rc, "memori habis");
	return store__done(st, rc);
}

int store_doc_in_force(struct store *s, int64_t case_id, const char *nik,
		       const char *kind, int64_t today, const char *except,
		       struct store_document *out, struct buf *err)
{
	sqlite3_stmt *st = store__prep(
		s, case_id > 0 ? SQL_DOC_IN_FORCE_CASE : SQL_DOC_IN_FORCE_NIK,
		err);
	if (!st)
		return TB_EDB;
	if (case_id > 0)
		sqlite3_bind_int64(st, 1, case_id);
	else
		store__bind(st, 1, nik);
	store__bind(st, 2, kind);
	sqlite3_bind_int64(st, 3, today);
	store__bind(st, 4, except);
	return doc_one(s, st, out, err);
}

/* After an UPDATE ... WHERE state = 'valid' changed nothing: why. */
static int not_changed(struct store *s, const char *serial, struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_DOC_EXISTS, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 1, serial);
	int r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		return store__done(st, tb_err(err, TB_ECONFLICT,
					      "dokumen %s sudah tidak berlaku "
					      "(dicabut atau diganti)",
					      serial));
	if (r == SQLITE_DONE)
		return store__done(st, tb_err(err, TB_ENOTFOUND,
					      "dokumen %s tidak ditemukan",
					      serial));
	return store__done(st, store__err(s, "dokumen", err));
}

static int state_change(struct store *s, const char *sql, const char *serial,
			const char *by, const char *reason,
			const char *new_serial, struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, sql, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 1, serial);
	store__bind(st, 2, by);
	store__bind(st, 3, reason);
	if (new_serial)
		store__bind(st, 4, new_serial);
	int rc = store__exec(s, st, "status dokumen", err);
	if (rc < 0)
		return rc;
	return sqlite3_changes(s->db) == 1 ? 0 : not_changed(s, serial, err);
}

int store_doc_revoke(struct store *s, const char *serial, const char *by,
		     const char *reason, struct buf *err)
{
	return state_change(s, SQL_DOC_REVOKE, serial, by, reason, NULL, err);
}

int store_doc_supersede(struct store *s, const char *serial,
			const char *new_serial, const char *by,
			const char *reason, struct buf *err)
{
	return state_change(s, SQL_DOC_SUPERSEDE, serial, by, reason,
			    new_serial, err);
}

/* Each row of the bound statement st (doc_row's columns) to fn. */
static int doc_rows(struct store *s, sqlite3_stmt *st,
		    int (*fn)(const struct store_document *d, void *arg),
		    void *arg, struct buf *err)
{
	struct store_document d;
	int r, rc = 0;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if ((rc = doc_row(st, &d, err)) < 0 || (rc = fn(&d, arg)) != 0)
			return store__done(st, rc);
	}
	if (r != SQLITE_DONE)
		rc = store__err(s, "daftar dokumen", err);
	return store__done(st, rc);
}

int store_doc_each(struct store *s, const struct store_doc_filter *f,
		   int (*fn)(const struct store_document *d, void *arg),
		   void *arg, struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_DOC_LIST, err);
	if (!st)
		return TB_EDB;
	sqlite3_bind_int64(st, 1, f ? f->case_id : 0);
	store__bind(st, 2, f ? f->nik : NULL);
	store__bind(st, 3, f ? f->kind : NULL);
	return doc_rows(s, st, fn, arg, err);
}

int store_doc_scan(struct store *s,
		   int (*fn)(const struct store_document *d, void *arg),
		   void *arg, struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_DOC_SCAN, err);
	if (!st)
		return TB_EDB;
	return doc_rows(s, st, fn, arg, err);
}

int store_doc_changes(struct store *s, int64_t after,
		      int (*fn)(int64_t seq, const char *serial, void *arg),
		      void *arg, struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_DOC_CHANGES, err);
	if (!st)
		return TB_EDB;
	sqlite3_bind_int64(st, 1, after);
	int r, rc = 0;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *serial = (const char *)sqlite3_column_text(st, 1);
		if ((rc = fn(sqlite3_column_int64(st, 0), serial ? serial : "",
			     arg)) != 0)
			return store__done(st, rc);
	}
	if (r != SQLITE_DONE)
		rc = store__err(s, "perubahan dokumen", err);
	return store__done(st, rc);
}

int store_doc_changes_span(struct store *s, int64_t *first, int64_t *last,
			   struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_DOC_CHANGES_SPAN, err);
	if (!st)
		return TB_EDB;
	if (sqlite3_step(st) != SQLITE_ROW)
		return store__done(st, store__err(s, "perubahan dokumen", err));
	*first = sqlite3_column_int64(st, 0);
	*last = sqlite3_column_int64(st, 1);
	return store__done(st, 0);
}

int store_doc_count(struct store *s, struct buf *err)
{
	return store__count(s, SQL_DOC_COUNT, err);
}

int store_doc_set_seal(struct store *s, const char *serial,
		       const char *seal_hex, struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_DOC_SEAL, err);
	if (!st)
		return TB_EDB;
	store__bind(st, 1, serial);
	store__bind(st, 2, seal_hex);
	int rc = store__exec(s, st, "segel dokumen", err);
	if (rc == 0 && sqlite3_changes(s->db) != 1)
		rc = tb_err(err, TB_ENOTFOUND, "dokumen %s tidak ditemukan",
			    serial);
	return rc;
}

int store_doc_counter_each(struct store *s,
			   int (*fn)(const char *kind, int year, int64_t last,
				     void *arg),
			   void *arg, struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_COUNTERS, err);
	if (!st)
		return TB_EDB;
	char kind[8];
	int r, rc = 0;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		store__col(st, 0, kind, sizeof kind);
		if ((rc = fn(kind, sqlite3_column_int(st, 1),
			     sqlite3_column_int64(st, 2), arg)) != 0)
			return store__done(st, rc);
	}
	if (r != SQLITE_DONE)
		rc = store__err(s, "nomor dokumen", err);
	return store__done(st, rc);
}

/* Migration 6: the fields hash of rows written before it. */
int store__doc_fields_hash_existing(struct store *s, struct buf *err)
{
	static const char SQL_READ[] =
		"SELECT serial, fields FROM documents ORDER BY rowid";
	static const char SQL_SET[] =
		"UPDATE documents SET fields_sha256 = ?2 WHERE serial = ?1";
	sqlite3_stmt *rd = NULL, *wr = NULL;
	char hex[65];
	int r, rc = 0;
	if (sqlite3_prepare_v2(s->db, SQL_READ, -1, &rd, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, SQL_SET, -1, &wr, NULL) != SQLITE_OK) {
		rc = store__err(s, "migrasi dokumen", err);
		goto out;
	}
	while ((r = sqlite3_step(rd)) == SQLITE_ROW) {
		const char *f = (const char *)sqlite3_column_text(rd, 1);
		if (fields_sha256(f ? f : "", hex) < 0) {
			rc = tb_err(err, TB_ENOMEM, "memori habis");
			goto out;
		}
		sqlite3_bind_text(wr, 1, (const char *)sqlite3_column_text(rd, 0),
				  -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(wr, 2, hex, 64, SQLITE_TRANSIENT);
		if ((rc = store__exec(s, wr, "migrasi dokumen", err)) < 0)
			goto out;
	}
	if (r != SQLITE_DONE)
		rc = store__err(s, "migrasi dokumen", err);
out:
	sqlite3_finalize(rd);
	sqlite3_finalize(wr);
	return rc;
}

/*
 * The status list's rows (issue/status.c): revoked and superseded ones,
 * and valid ones past their last day. Written as the two ranges of the
 * documents_status index (migration 11) that it is, so neither part
 * reads the table (whose rows start with ~1 KB of the PDF's page); then
 * sorted by serial.
 */
static const char SQL_DOC_STATUS[] =
	"SELECT serial, state, revoked_at, expires_day FROM documents"
	" WHERE state IN ('revoked', 'superseded')"
	" OR (state = 'valid' AND expires_day < ?1) ORDER BY serial";

int store_doc_status_each(struct store *s, int64_t today,
			  int (*fn)(const struct store_doc_status *d, void *arg),
			  void *arg, struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_DOC_STATUS, err);
	if (!st)
		return TB_EDB;
	sqlite3_bind_int64(st, 1, today);
	struct store_doc_status d;
	int r, rc = 0;
	char state[16];
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		store__col(st, 1, state, sizeof state);
		int code = doc_state_parse(state);
		if (code < 0)
			return store__done(st, tb_err(err, TB_EDB, "status dokumen "
						      "tidak dikenal"));
		store__col(st, 0, d.serial, sizeof d.serial);
		d.state = (enum doc_state)code;
		store__col(st, 2, d.changed_at, sizeof d.changed_at);
		d.expires_day = sqlite3_column_int64(st, 3);
		if ((rc = fn(&d, arg)) != 0)
			return store__done(st, rc);
	}
	if (r != SQLITE_DONE)
		rc = store__err(s, "daftar status", err);
	return store__done(st, rc);
}
