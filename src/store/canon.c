/*
 * Tamper evidence (issue 11, finding 3; migration step 6): the canonical
 * encodings of a registry row (what its seal, an HMAC made by the issue
 * module with a key the database never holds, is computed over) and of an
 * audit row (what the audit log's hash chain hashes), the chain's append
 * and its walk.
 *
 * Both encodings are a sequence of fields in a fixed order, each field
 * either text, as a 4-byte big-endian length and the bytes, or an
 * integer, as 8 big-endian bytes (two's complement; a REAL as its IEEE
 * 754 bits). The first field is a version tag. With every text
 * length-prefixed no two different rows encode alike ("ab" + "c" is not
 * "a" + "bc"), and the tag keeps a row of one kind from ever passing for
 * the other. docs/issuance.md lists the fields; a new column that matters
 * goes at the end of its list under a new tag.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

#include "core/digest.h"
#include "core/err.h"
#include "core/fmt.h"

#define DOC_TAG "terbit-doc-seal-1"
#define AUDIT_TAG "terbit-audit-1"

/* prev_hash of the first entry of the chain. */
static const char GENESIS[] =
	"0000000000000000000000000000000000000000000000000000000000000000";

static int put_bytes(struct buf *out, const void *p, size_t n)
{
	unsigned char len[4] = { (unsigned char)(n >> 24),
				 (unsigned char)(n >> 16),
				 (unsigned char)(n >> 8), (unsigned char)n };
	int rc = buf_add(out, len, sizeof len);
	return rc ? rc : buf_add(out, p, n);
}

static int put_text(struct buf *out, const char *s)
{
	return put_bytes(out, s, strlen(s));
}

static int put_int(struct buf *out, int64_t v)
{
	unsigned char b[8];
	uint64_t u = (uint64_t)v;
	for (int i = 7; i >= 0; i--, u >>= 8)
		b[i] = (unsigned char)u;
	return buf_add(out, b, sizeof b);
}

static int put_real(struct buf *out, double v)
{
	int64_t bits;
	memcpy(&bits, &v, sizeof bits);
	return put_int(out, bits);
}

int store_doc_canon(const struct store_document *d, struct buf *out)
{
	/* Every column of the row but the seal itself and the PDF bytes
	 * (bound through sha256). village_code is the case's, joined, not
	 * the document's. */
	int rc = put_text(out, DOC_TAG);
	if (!rc) rc = put_text(out, d->serial);
	if (!rc) rc = put_text(out, d->kind);
	if (!rc) rc = put_int(out, d->case_id);
	if (!rc) rc = put_text(out, d->nik);
	if (!rc) rc = put_text(out, d->name);
	if (!rc) rc = put_text(out, d->number);
	if (!rc) rc = put_int(out, d->year);
	if (!rc) rc = put_int(out, d->seq);
	if (!rc) rc = put_int(out, d->issued_day);
	if (!rc) rc = put_int(out, d->expires_day);
	if (!rc) rc = put_text(out, store_doc_state_name(d->state));
	if (!rc) rc = put_text(out, d->token);
	if (!rc) rc = put_text(out, d->sha256);
	if (!rc) rc = put_text(out, d->fields_sha256);
	if (!rc) rc = put_int(out, d->size);
	if (!rc) rc = put_text(out, d->policy_version);
	if (!rc) rc = put_real(out, d->score);
	if (!rc) rc = put_text(out, d->office);
	if (!rc) rc = put_text(out, d->faskes);
	if (!rc) rc = put_text(out, d->issued_by);
	if (!rc) rc = put_text(out, d->issued_at);
	if (!rc) rc = put_text(out, d->revoked_at);
	if (!rc) rc = put_text(out, d->revoked_by);
	if (!rc) rc = put_text(out, d->reason);
	if (!rc) rc = put_text(out, d->superseded_by);
	if (!rc) rc = put_text(out, d->replaces);
	return rc;
}

/* ---- the audit chain ---------------------------------------------- */

/* One audit row's values as stored, with their lengths (a value read back
 * is hashed with every byte SQLite holds, an embedded NUL included). */
struct audit_vals {
	int64_t id;
	const char *v[7];  /* at, actor, role, action, object, note, prev */
	size_t n[7];
};

static int audit_hash(const struct audit_vals *a, char out[65])
{
	struct buf enc = BUF_INIT, hex = BUF_INIT;
	int rc = put_text(&enc, AUDIT_TAG);
	if (!rc)
		rc = put_int(&enc, a->id);
	for (int i = 0; i < 7 && !rc; i++)
		rc = put_bytes(&enc, a->v[i], a->n[i]);
	if (!rc)
		rc = digest_sha256_hex(&hex, enc.data, enc.len);
	if (!rc)
		memcpy(out, hex.data, 65);
	buf_release(&enc);
	buf_release(&hex);
	return rc;
}

int store_audit_hash(const struct store_audit *a, char out[65])
{
	const char *v[7] = { a->at,     a->actor, a->role,     a->action,
			     a->object, a->note,  a->prev_hash };
	struct audit_vals x = { .id = a->id };
	for (int i = 0; i < 7; i++) {
		x.v[i] = v[i];
		x.n[i] = strlen(v[i]);
	}
	return audit_hash(&x, out);
}

static const char SQL_AUDIT_HEAD[] =
	"SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1";
static const char SQL_AUDIT_NOW[] =
	"SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
static const char SQL_AUDIT_ADD[] =
	"INSERT INTO audit (id, at, actor, role, action, object, note,"
	" prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char SQL_AUDIT_ALL[] =
	"SELECT id, at, actor, role, action, object, note, prev_hash, hash"
	" FROM audit ORDER BY id";

int store_audit_head(struct store *s, int64_t *id, char hash[65],
		     struct buf *err)
{
	sqlite3_stmt *st = store__prep(s, SQL_AUDIT_HEAD, err);
	if (!st)
		return TB_EDB;
	int r = sqlite3_step(st);
	*id = 0;
	memcpy(hash, GENESIS, 65);
	if (r == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		store__col(st, 1, hash, 65);
	} else if (r != SQLITE_DONE) {
		return store__done(st, store__err(s, "log audit", err));
	}
	return store__done(st, 0);
}

int store__now_iso(struct store *s, char at[32], struct buf *err)
{
	if (s->clock) {
		fmt_iso_utc(s->clock(s->clock_arg), at);
		return 0;
	}
	sqlite3_stmt *st = store__prep(s, SQL_AUDIT_NOW, err);
	if (!st)
		return TB_EDB;
	if (sqlite3_step(st) != SQLITE_ROW)
		return store__done(st, store__err(s, "log audit", err));
	store__col(st, 0, at, 32);
	return store__done(st, 0);
}

/*
 * The id, time and hashes are made here, before the INSERT, because the
 * row can never be updated after it (the append-only triggers). Under
 * the write lock (store_begin: BEGIN IMMEDIATE, or the caller's
 * transaction), so two appenders never link to the same head. Hashed
 * from the values as bound, whole: store_audit_verify reads them back
 * with every byte.
 */
int store_audit_add(struct store *s, const char *actor, const char *role,
		    const char *action, const char *object, const char *note,
		    struct buf *err)
{
	char at[32], prev[65], hash[65];
	int64_t head = 0;
	int rc = store_begin(s, err);
	if (rc < 0)
		return rc;
	if ((rc = store_audit_head(s, &head, prev, err)) < 0 ||
	    (rc = store__now_iso(s, at, err)) < 0)
		goto out;
	const char *v[7] = { at, actor, role, action, object,
			     note ? note : "", prev };
	struct audit_vals x = { .id = head + 1 };
	for (int i = 0; i < 7; i++) {
		x.v[i] = v[i];
		x.n[i] = strlen(v[i]);
	}
	if ((rc = audit_hash(&x, hash)) < 0) {
		rc = tb_err(err, rc, "memori habis");
		goto out;
	}
	sqlite3_stmt *st = store__prep(s, SQL_AUDIT_ADD, err);
	if (!st) {
		rc = TB_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, x.id);
	for (int i = 0; i < 7; i++)
		store__bind(st, i + 2, v[i]);
	store__bind(st, 9, hash);
	if ((rc = store__exec(s, st, "log audit", err)) < 0)
		goto out;
	return store_commit(s, err);
out:
	store_rollback(s);
	return rc;
}

/* Reads row values of SQL_AUDIT_ALL's current row (columns 1..7). */
static void audit_vals_of(sqlite3_stmt *st, struct audit_vals *x)
{
	x->id = sqlite3_column_int64(st, 0);
	for (int i = 0; i < 7; i++) {
		const unsigned char *t = sqlite3_column_text(st, i + 1);
		x->v[i] = t ? (const char *)t : "";
		x->n[i] = t ? (size_t)sqlite3_column_bytes(st, i + 1) : 0;
	}
}

/*
 * Walks the chain in id order: each row's prev_hash must be the stored
 * hash of the row before it (GENESIS for the first), and its hash the
 * hash of what it holds. The first row that breaks either is the answer.
 */
int store_audit_verify(struct store *s, struct store_audit_check *out,
		       struct buf *err)
{
	char prev[65], want[65];
	struct audit_vals x;
	memset(out, 0, sizeof *out);
	memcpy(prev, GENESIS, sizeof prev);
	sqlite3_stmt *st = store__prep(s, SQL_AUDIT_ALL, err);
	if (!st)
		return TB_EDB;
	int r, rc = 0;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		audit_vals_of(st, &x);
		const unsigned char *h = sqlite3_column_text(st, 8);
		size_t hn = (size_t)sqlite3_column_bytes(st, 8);
		out->rows++;
		if (x.n[6] != 64 || memcmp(x.v[6], prev, 64) != 0) {
			out->bad_id = x.id;
			snprintf(out->why, sizeof out->why,
				 "entri %lld tidak menyambung ke entri "
				 "sebelumnya: ada entri yang dihapus atau "
				 "diubah sebelum %lld",
				 (long long)x.id, (long long)x.id);
			break;
		}
		if ((rc = audit_hash(&x, want)) < 0) {
			rc = tb_err(err, rc, "memori habis");
			break;
		}
		if (!h || hn != 64 || memcmp(h, want, 64) != 0) {
			out->bad_id = x.id;
			snprintf(out->why, sizeof out->why,
				 "entri %lld berubah: hash isinya tidak sama "
				 "dengan hash yang tercatat",
				 (long long)x.id);
			break;
		}
		memcpy(prev, h, 64);
		prev[64] = '\0';
		out->head_id = x.id;
		memcpy(out->head_hash, prev, sizeof out->head_hash);
	}
	if (rc == 0 && r != SQLITE_ROW && r != SQLITE_DONE)
		rc = store__err(s, "log audit", err);
	return store__done(st, rc);
}

/*
 * Migration 6's part in C: the rows written before the chain existed are
 * chained in id order, as store_audit_add would have. The append-only
 * trigger is dropped for this one transaction and made again, same text
 * as migration 1's.
 */
int store__chain_existing(struct store *s, struct buf *err)
{
	static const char SQL_SET[] =
		"UPDATE audit SET prev_hash = ?2, hash = ?3 WHERE id = ?1";
	char prev[65], hash[65];
	struct audit_vals x;
	int r, rc = 0;
	memcpy(prev, GENESIS, sizeof prev);
	if (sqlite3_exec(s->db, "DROP TRIGGER audit_no_update", NULL, NULL,
			 NULL) != SQLITE_OK)
		return store__err(s, "migrasi log audit", err);
	sqlite3_stmt *rd = NULL, *wr = NULL;
	/* Not through the statement cache: these run once in a lifetime. */
	if (sqlite3_prepare_v2(s->db, SQL_AUDIT_ALL, -1, &rd, NULL) !=
		    SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, SQL_SET, -1, &wr, NULL) != SQLITE_OK) {
		rc = store__err(s, "migrasi log audit", err);
		goto out;
	}
	while ((r = sqlite3_step(rd)) == SQLITE_ROW) {
		audit_vals_of(rd, &x);
		x.v[6] = prev;
		x.n[6] = 64;
		if ((rc = audit_hash(&x, hash)) < 0) {
			rc = tb_err(err, rc, "memori habis");
			goto out;
		}
		sqlite3_bind_int64(wr, 1, x.id);
		sqlite3_bind_text(wr, 2, prev, 64, SQLITE_TRANSIENT);
		sqlite3_bind_text(wr, 3, hash, 64, SQLITE_TRANSIENT);
		if ((rc = store__exec(s, wr, "migrasi log audit", err)) < 0)
			goto out;
		memcpy(prev, hash, sizeof prev);
	}
	if (r != SQLITE_DONE) {
		rc = store__err(s, "migrasi log audit", err);
		goto out;
	}
	if (sqlite3_exec(s->db,
			 "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
			 " BEGIN SELECT RAISE(ABORT, 'audit log is "
			 "append-only'); END;",
			 NULL, NULL, NULL) != SQLITE_OK)
		rc = store__err(s, "migrasi log audit", err);
out:
	sqlite3_finalize(rd);
	sqlite3_finalize(wr);
	return rc;
}
