/*
 * store: a real SQLite file in a scratch directory. Migrations on a fresh
 * file, re-opening, a database from the future, transactions (nesting and
 * rollback), the append-only audit log (checked with a second, raw SQLite
 * connection that tries to change it), attachments' magic bytes and caps,
 * and the records going in and out unchanged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "core/digest.h"
#include "core/err.h"
#include "store/store.h"
#include "store/store_int.h"

struct fx {
	char dir[64];
	char db[96];
	struct store *s;
	struct buf err;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/terbit-store.XXXXXX");
	if (!f || !mkdtemp(f->dir))
		return -1;
	/* store_open must create the data directory itself. */
	strcat(f->dir, "/data");
	snprintf(f->db, sizeof f->db, "%s/terbit.db", f->dir);
	buf_init(&f->err, 0);
	if (store_open(f->dir, &f->s, &f->err) != 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[160];
	store_close(f->s);
	buf_release(&f->err);
	snprintf(cmd, sizeof cmd, "rm -rf '%.*s'", (int)(strlen(f->dir) - 5),
		 f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* A second connection, as another program (or an attacker with the
 * file) would have. */
static sqlite3 *raw_open(struct fx *f)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 2000);
	return db;
}

static int raw_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void add_resident(struct fx *f, const char *nik, const char *date,
			 char sex)
{
	struct store_resident r = { .sex = sex };
	strcpy(r.nik, nik);
	strcpy(r.kk, "3510050101200001");
	strcpy(r.name, "Siti Rahayu");
	strcpy(r.birth_place, "Banyuwangi");
	strcpy(r.birth_date, date);
	strcpy(r.address, "Dusun Krajan");
	strcpy(r.rt, "001");
	strcpy(r.rw, "002");
	strcpy(r.village_code, "3510052001");
	assert_int_equal(store_resident_put(f->s, &r, &f->err), 0);
}

static void add_user(struct fx *f, const char *name, const char *hash)
{
	struct store_user u = { 0 };
	strcpy(u.name, name);
	strcpy(u.role, "desa");
	strcpy(u.region, "3510052001");
	assert_int_equal(store_user_add(f->s, &u, hash, &f->err), 0);
}

static int64_t add_case(struct fx *f)
{
	struct store_case c = { 0 };
	int64_t id = 0;
	strcpy(c.nik, "3510054506900001");
	strcpy(c.village_code, "3510052001");
	strcpy(c.state, "draft");
	strcpy(c.faskes, "Puskesmas Muncar");
	strcpy(c.created_by, "op");
	assert_int_equal(store_case_add(f->s, &c, &id, &f->err), 0);
	return id;
}

#define HASH_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define HASH_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static void fresh_file_is_migrated(void **state)
{
	struct fx *f = *state;
	struct stat st;
	assert_int_equal(store_schema_version(f->s), store_schema_latest());
	assert_true(store_schema_latest() >= 1);
	assert_int_equal(stat(f->dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(stat(f->db, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	sqlite3 *db = raw_open(f);
	assert_int_equal(raw_int(db, "PRAGMA user_version"),
			 store_schema_latest());
	assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master "
				     "WHERE type = 'table' AND name IN ('regions',"
				     "'residents','pbi','users','cases','answers',"
				     "'attachments','audit')"), 8);
	/* STRICT everywhere: a text in an INTEGER column is refused. */
	assert_int_equal(raw_int(db, "SELECT count(*) FROM pragma_table_list "
				     "WHERE schema = 'main' AND name NOT LIKE "
				     "'sqlite_%' AND strict = 0"), 0);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM pragma_journal_mode "
				     "WHERE journal_mode = 'wal'"), 1);
	sqlite3_close(db);
}

static void reopen_is_idempotent(void **state)
{
	struct fx *f = *state;
	add_resident(f, "3510054506900001", "1990-06-05", 'P');
	store_close(f->s);
	f->s = NULL;
	for (int i = 0; i < 2; i++) {
		assert_int_equal(store_open(f->dir, &f->s, &f->err), 0);
		assert_int_equal(store_schema_version(f->s), store_schema_latest());
		assert_int_equal(store_resident_count(f->s, &f->err), 1);
		store_close(f->s);
		f->s = NULL;
	}
	assert_int_equal(store_open_file(f->db, &f->s, &f->err), 0);
}

static void newer_database_is_refused(void **state)
{
	struct fx *f = *state;
	char sql[64];
	store_close(f->s);
	f->s = NULL;
	sqlite3 *db = raw_open(f);
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d",
		 store_schema_latest() + 1);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open(f->dir, &f->s, &f->err), TB_EDB);
	assert_null(f->s);
	assert_non_null(strstr(f->err.data, "lebih baru"));
}

static void audit_log_is_append_only(void **state)
{
	struct fx *f = *state;
	assert_int_equal(store_audit_add(f->s, "budi", "desa", "case.new",
					 "case:1", NULL, &f->err), 0);
	sqlite3 *db = raw_open(f);
	char *msg = NULL;
	assert_int_not_equal(sqlite3_exec(db, "UPDATE audit SET note = 'x'",
					  NULL, NULL, &msg), SQLITE_OK);
	assert_non_null(strstr(msg, "append-only"));
	sqlite3_free(msg);
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit", NULL, NULL,
					  NULL), SQLITE_OK);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM audit WHERE "
				     "note = '' AND actor = 'budi'"), 1);
	sqlite3_close(db);
}

static int count_audit(const struct store_audit *a, void *arg)
{
	(void)a;
	++*(int *)arg;
	return 0;
}

static void transactions_nest_and_roll_back(void **state)
{
	struct fx *f = *state;
	int n = 0;
	/* Rolled back: nothing stays. */
	assert_int_equal(store_begin(f->s, &f->err), 0);
	assert_int_equal(store_audit_add(f->s, "a", "admin", "x", "y", NULL,
					 &f->err), 0);
	store_rollback(f->s);
	/* An inner rollback dooms the outer commit. */
	assert_int_equal(store_begin(f->s, &f->err), 0);
	assert_int_equal(store_audit_add(f->s, "a", "admin", "x", "y", NULL,
					 &f->err), 0);
	assert_int_equal(store_begin(f->s, &f->err), 0);
	store_rollback(f->s);
	assert_int_equal(store_commit(f->s, &f->err), TB_EDB);
	assert_int_equal(store_audit_each(f->s, NULL, count_audit, &n, &f->err), 0);
	assert_int_equal(n, 0);
	/* Nested commits commit once, at the outermost. */
	assert_int_equal(store_begin(f->s, &f->err), 0);
	assert_int_equal(store_begin(f->s, &f->err), 0);
	assert_int_equal(store_audit_add(f->s, "a", "admin", "x", "y", "z",
					 &f->err), 0);
	assert_int_equal(store_commit(f->s, &f->err), 0);
	assert_int_equal(store_commit(f->s, &f->err), 0);
	assert_int_equal(store_audit_each(f->s, "y", count_audit, &n, &f->err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_commit(f->s, &f->err), TB_EINTERNAL);
}

static void sniff_by_magic_bytes(void **state)
{
	(void)state;
	assert_string_equal(store_sniff_mime("%PDF-1.7\n", 9), "application/pdf");
	assert_string_equal(store_sniff_mime("\xff\xd8\xff\xe0", 4), "image/jpeg");
	assert_string_equal(store_sniff_mime("\x89PNG\r\n\x1a\n\0", 9),
			    "image/png");
	assert_null(store_sniff_mime("GIF89a", 6));
	assert_null(store_sniff_mime("%PDF", 4)); /* too short to be sure */
	assert_null(store_sniff_mime("hello.pdf", 9));
	assert_null(store_sniff_mime("", 0));
}

static void attachments_checked_and_kept(void **state)
{
	struct fx *f = *state;
	struct store_attachment a = { 0 }, got;
	struct buf bytes = BUF_INIT, hex = BUF_INIT;
	static const char pdf[] = "%PDF-1.4\nsynthetic\n%%EOF\n";
	add_resident(f, "3510054506900001", "1990-06-05", 'P');
	add_user(f, "op", HASH_A);
	a.case_id = add_case(f);
	strcpy(a.kind, "rujukan");
	strcpy(a.filename, "rujukan.pdf");
	strcpy(a.created_by, "op");
	/* Refusals first, each with its own code; none stores anything. */
	assert_int_equal(store_attach_add(f->s, &a, "GIF89a....", 10, &f->err),
			 TB_EMEDIA);
	assert_int_equal(store_attach_add(f->s, &a, "", 0, &f->err), TB_EINVAL);
	char *big = calloc(1, STORE_ATTACH_MAX + 1);
	memcpy(big, "%PDF-", 5);
	assert_int_equal(store_attach_add(f->s, &a, big, STORE_ATTACH_MAX + 1,
					  &f->err), TB_ETOOBIG);
	free(big);
	strcpy(a.kind, "foto");
	assert_int_equal(store_attach_add(f->s, &a, pdf, sizeof pdf - 1, &f->err),
			 TB_EINVAL);
	strcpy(a.kind, "rujukan");
	a.case_id += 100;
	assert_int_equal(store_attach_add(f->s, &a, pdf, sizeof pdf - 1, &f->err),
			 TB_ENOTFOUND);
	a.case_id -= 100;
	assert_int_equal(store_attach_count(f->s, a.case_id, "rujukan", &f->err), 0);
	/* Accepted: mime from the bytes, hash of the bytes, bytes back. */
	assert_int_equal(store_attach_add(f->s, &a, pdf, sizeof pdf - 1, &f->err), 0);
	assert_string_equal(a.mime, "application/pdf");
	digest_sha256_hex(&hex, pdf, sizeof pdf - 1);
	assert_string_equal(a.sha256, hex.data);
	assert_int_equal(store_attach_get(f->s, a.id, &got, &bytes, &f->err), 0);
	assert_int_equal(bytes.len, sizeof pdf - 1);
	assert_memory_equal(bytes.data, pdf, bytes.len);
	assert_string_equal(got.sha256, hex.data);
	assert_string_equal(got.filename, "rujukan.pdf");
	assert_int_equal(store_attach_count(f->s, a.case_id, "rujukan", &f->err), 1);
	assert_int_equal(store_attach_count(f->s, a.case_id, "verifikasi", &f->err),
			 0);
	buf_release(&bytes);
	buf_release(&hex);
}

static void records_round_trip(void **state)
{
	struct fx *f = *state;
	struct store_resident r;
	struct store_user u;
	struct store_case c;
	struct store_pbi p = { .active = 1 }, *list = NULL;
	size_t n = 0;
	add_resident(f, "3510054506900001", "1990-06-05", 'P');
	assert_int_equal(store_resident_get(f->s, "3510054506900001", &r, &f->err), 0);
	assert_string_equal(r.name, "Siti Rahayu");
	assert_int_equal(r.sex, 'P');
	assert_int_equal(store_resident_get(f->s, "3510050000000000", &r, &f->err),
			 TB_ENOTFOUND);
	/* Users: unique names, token looked up by its digest only. */
	add_user(f, "op", HASH_A);
	struct store_user dup = { 0 };
	strcpy(dup.name, "op");
	strcpy(dup.role, "dinsos");
	assert_int_equal(store_user_add(f->s, &dup, HASH_B, &f->err), TB_ECONFLICT);
	assert_int_equal(store_user_by_token(f->s, HASH_A, &u, &f->err), 0);
	assert_string_equal(u.name, "op");
	assert_int_equal(store_user_by_token(f->s, HASH_B, &u, &f->err),
			 TB_ENOTFOUND);
	/* PBI: one row per program, replaced on re-import. */
	strcpy(p.nik, "3510054506900001");
	strcpy(p.program, "PBI-APBD");
	strcpy(p.card_number, "0001234567890");
	assert_int_equal(store_pbi_put(f->s, &p, &f->err), 0);
	p.active = 0;
	assert_int_equal(store_pbi_put(f->s, &p, &f->err), 0);
	assert_int_equal(store_pbi_list(f->s, p.nik, &list, &n, &f->err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].active, 0);
	free(list);
	strcpy(p.program, "PBI-X");
	assert_int_equal(store_pbi_put(f->s, &p, &f->err), TB_EINVAL);
	/* Cases: a NIK that is no resident is refused by the foreign key. */
	int64_t id = add_case(f);
	assert_int_equal(store_case_get(f->s, id, &c, &f->err), 0);
	assert_string_equal(c.name, "Siti Rahayu");
	assert_string_equal(c.state, "draft");
	assert_int_equal(store_case_set_state(f->s, id, "submitted", "op", &f->err), 0);
	assert_int_equal(store_case_get(f->s, id, &c, &f->err), 0);
	assert_string_equal(c.state, "submitted");
	assert_int_equal(store_case_set_state(f->s, id + 9, "submitted", "op",
					      &f->err), TB_ENOTFOUND);
	struct store_case bad = c;
	strcpy(bad.nik, "3510051203850002");
	assert_int_equal(store_case_add(f->s, &bad, NULL, &f->err), TB_ENOTFOUND);
	/* Answers: replaced per indicator. */
	struct store_answer a = { "lantai", 2 }, *ans = NULL;
	assert_int_equal(store_answer_put(f->s, id, &a, "op", &f->err), 0);
	a.value = 1;
	assert_int_equal(store_answer_put(f->s, id, &a, "op", &f->err), 0);
	assert_int_equal(store_answer_list(f->s, id, &ans, &n, &f->err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ans[0].value, 1);
	free(ans);
}

/* A document row for case_id; tag makes its unique columns unique. */
static void add_doc(struct fx *f, int64_t case_id, char tag, int seq)
{
	struct store_document d = { .case_id = case_id, .year = 2026,
				    .seq = seq, .issued_day = 20000,
				    .expires_day = 20365, .score = 1.5 };
	memset(d.serial, tag, 16);
	memset(d.token, tag, 144);
	memset(d.sha256, tag, 64);
	strcpy(d.kind, "card");
	strcpy(d.nik, "3510054506900001");
	strcpy(d.name, "Siti Rahayu");
	snprintf(d.number, sizeof d.number, "351026%06d0", seq);
	strcpy(d.policy_version, "uji-1");
	strcpy(d.office, "Dinas Sosial");
	strcpy(d.faskes, "Puskesmas Muncar");
	strcpy(d.issued_by, "ds");
	assert_int_equal(store_doc_add(f->s, &d, "%PDF-1.7", 8, "{}", &f->err),
			 0);
}

static int raw_text_is(sqlite3 *db, const char *sql, const char *want)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int same = !strcmp((const char *)sqlite3_column_text(st, 0), want);
	sqlite3_finalize(st);
	return same;
}

/* Document states cross the store boundary as enum doc_state: the
 * column keeps the words, callers get the enum, each way round. */
static void doc_states_are_enums(void **state)
{
	struct fx *f = *state;
	struct store_document d;
	add_resident(f, "3510054506900001", "1990-06-05", 'P');
	add_user(f, "op", HASH_A);
	int64_t id = add_case(f);
	add_doc(f, id, 'A', 1);
	add_doc(f, id, 'B', 2);
	add_doc(f, id, 'C', 3);
	assert_int_equal(store_doc_get(f->s, "AAAAAAAAAAAAAAAA", &d, &f->err), 0);
	assert_int_equal(d.state, DOC_VALID);
	assert_int_equal(store_doc_revoke(f->s, "AAAAAAAAAAAAAAAA", "ds", "salah",
					  &f->err),
			 0);
	assert_int_equal(store_doc_supersede(f->s, "BBBBBBBBBBBBBBBB",
					     "CCCCCCCCCCCCCCCC", "ds", "hilang",
					     &f->err),
			 0);
	assert_int_equal(store_doc_get(f->s, "AAAAAAAAAAAAAAAA", &d, &f->err), 0);
	assert_int_equal(d.state, DOC_REVOKED);
	assert_int_equal(store_doc_get(f->s, "BBBBBBBBBBBBBBBB", &d, &f->err), 0);
	assert_int_equal(d.state, DOC_SUPERSEDED);
	assert_string_equal(d.superseded_by, "CCCCCCCCCCCCCCCC");
	/* the in-force lookup sees the one valid row only */
	assert_int_equal(store_doc_in_force(f->s, id, NULL, "card", 20365, NULL,
					    &d, &f->err),
			 0);
	assert_string_equal(d.serial, "CCCCCCCCCCCCCCCC");
	assert_int_equal(store_doc_in_force(f->s, id, NULL, "card", 20366, NULL,
					    &d, &f->err),
			 TB_ENOTFOUND);
	sqlite3 *raw = raw_open(f);
	assert_true(raw_text_is(raw, "SELECT state FROM documents WHERE serial ="
				     " 'AAAAAAAAAAAAAAAA'",
				store_doc_state_name(DOC_REVOKED)));
	assert_true(raw_text_is(raw, "SELECT state FROM documents WHERE serial ="
				     " 'BBBBBBBBBBBBBBBB'",
				store_doc_state_name(DOC_SUPERSEDED)));
	assert_true(raw_text_is(raw, "SELECT state FROM documents WHERE serial ="
				     " 'CCCCCCCCCCCCCCCC'",
				store_doc_state_name(DOC_VALID)));
	/* expired is derived, never a word the column may hold */
	assert_int_not_equal(sqlite3_exec(raw, "UPDATE documents SET state ="
					       " 'expired' WHERE serial ="
					       " 'CCCCCCCCCCCCCCCC'",
					  NULL, NULL, NULL),
			     SQLITE_OK);
	sqlite3_close(raw);
}

/* store_stamp moves at once on a commit through any terbit handle (the
 * shared -gen counter) and on a change through this handle; on a commit
 * by another program it moves within the recheck second; reads leave it
 * put. */
static void stamp_moves_on_every_commit(void **state)
{
	struct fx *f = *state;
	struct store_stamp a, b;
	struct store *other = NULL;
	sqlite3 *raw;
	assert_int_equal(store_stamp(f->s, &a, &f->err), 0);
	assert_true(store_doc_count(f->s, &f->err) >= 0);
	assert_int_equal(store_stamp(f->s, &b, &f->err), 0);
	assert_true(a.others == b.others && a.own == b.own);
	/* Another terbit handle (another thread or process): seen at once. */
	assert_int_equal(store_open_file(f->db, &other, &f->err), 0);
	assert_int_equal(store_audit_add(other, "t", "t", "x", "y", "", &f->err), 0);
	store_close(other);
	assert_int_equal(store_stamp(f->s, &b, &f->err), 0);
	assert_true(b.others != a.others);
	a = b;
	/* Another program writing the file: seen after the recheck second. */
	assert_int_equal(sqlite3_open(f->db, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, "INSERT INTO audit (actor, role, action,"
					   " object) VALUES ('t', 't', 'x', 'y')",
				      NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	usleep(1100 * 1000);
	assert_int_equal(store_stamp(f->s, &b, &f->err), 0);
	assert_true(b.others != a.others);
	a = b;
	assert_int_equal(store_audit_add(f->s, "t", "t", "x", "y", "", &f->err), 0);
	assert_int_equal(store_stamp(f->s, &b, &f->err), 0);
	assert_true(b.own != a.own);
}

/* The verifier's held read transaction (store_read_hold): kept while
 * the stamp stands still, so a read on it sees the snapshot; begun anew
 * when a commit moved the stamp, so that commit is seen by the very
 * next read; released, it leaves no transaction behind. */
static void held_snapshot_follows_the_stamp(void **state)
{
	struct fx *f = *state;
	struct store *ro = NULL;
	struct store_stamp a, b;
	static const char count[] = "SELECT count(*) FROM audit";
	assert_int_equal(store_open_readonly(f->dir, &ro, &f->err), 0);
	assert_int_equal(store_stamp(ro, &a, &f->err), 0);
	assert_int_equal(store_read_hold(ro, &a, &f->err), 0);
	int before = store__count(ro, count, &f->err);
	assert_true(before >= 0);
	assert_int_equal(store_audit_add(f->s, "t", "t", "x", "y", "", &f->err), 0);
	/* Held: the commit is not in the snapshot, and the same stamp
	 * keeps it. */
	assert_int_equal(store_read_hold(ro, &a, &f->err), 0);
	assert_int_equal(store__count(ro, count, &f->err), before);
	/* The commit moved the stamp: a new snapshot, the row in it. */
	assert_int_equal(store_stamp(ro, &b, &f->err), 0);
	assert_true(b.others != a.others);
	assert_int_equal(store_read_hold(ro, &b, &f->err), 0);
	assert_int_equal(store__count(ro, count, &f->err), before + 1);
	/* Released: every read sees the latest commit again. */
	store_read_release(ro);
	assert_int_equal(store_audit_add(f->s, "t", "t", "x", "y", "", &f->err), 0);
	assert_int_equal(store__count(ro, count, &f->err), before + 2);
	/* Inside a write transaction a hold does nothing (the writer's
	 * handle): the write commits as ever. */
	assert_int_equal(store_stamp(f->s, &a, &f->err), 0);
	assert_int_equal(store_begin(f->s, &f->err), 0);
	assert_int_equal(store_read_hold(f->s, &a, &f->err), 0);
	assert_int_equal(store_audit_add(f->s, "t", "t", "x", "y", "", &f->err), 0);
	assert_int_equal(store_commit(f->s, &f->err), 0);
	assert_int_equal(store__count(ro, count, &f->err), before + 3);
	/* A hold on the writer's handle, then a write: store_begin ends
	 * the read transaction and the write goes through. */
	assert_int_equal(store_stamp(f->s, &a, &f->err), 0);
	assert_int_equal(store_read_hold(f->s, &a, &f->err), 0);
	assert_true(store__count(f->s, count, &f->err) == before + 3);
	store_read_release(f->s);
	assert_int_equal(store_audit_add(f->s, "t", "t", "x", "y", "", &f->err), 0);
	assert_int_equal(store__count(ro, count, &f->err), before + 4);
	store_close(ro);
}

/* A read-only handle reads what the writer commits (its stamp moves
 * with the writer's commits), refuses every write, and never creates or
 * migrates a database. */
static void readonly_handle_refuses_writes(void **state)
{
	struct fx *f = *state;
	struct store *ro = NULL;
	struct store_stamp a, b;
	assert_int_equal(store_open_readonly(f->dir, &ro, &f->err), 0);
	sqlite3 *db = raw_open(f);
	int before = raw_int(db, "SELECT count(*) FROM audit");
	sqlite3_close(db);
	assert_int_equal(store_stamp(ro, &a, &f->err), 0);
	assert_int_equal(store_audit_add(f->s, "t", "t", "x", "y", "", &f->err), 0);
	assert_int_equal(store_stamp(ro, &b, &f->err), 0);
	assert_true(b.others != a.others);
	buf_reset(&f->err);
	assert_true(store_audit_add(ro, "t", "t", "x", "z", "", &f->err) < 0);
	assert_true(f->err.len > 0);
	struct store_region r = { .code = "3510", .name = "X", .kind = "kabupaten" };
	assert_true(store_region_put(ro, &r, &f->err) < 0);
	assert_true(store_begin(ro, &f->err) < 0);
	store_rollback(ro);
	db = raw_open(f);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM audit"), before + 1);
	sqlite3_close(db);
	store_close(ro);

	/* No database there: refused, and nothing created. */
	char missing[128];
	snprintf(missing, sizeof missing, "%s/none", f->dir);
	buf_reset(&f->err);
	assert_int_equal(store_open_readonly(missing, &ro, &f->err), TB_EDB);
	assert_null(ro);
	struct stat st;
	assert_int_not_equal(stat(missing, &st), 0);

	/* Another schema version: refused with the reason. */
	db = raw_open(f);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 1", NULL, NULL,
				      NULL), SQLITE_OK);
	sqlite3_close(db);
	buf_reset(&f->err);
	assert_int_equal(store_open_readonly(f->dir, &ro, &f->err), TB_EDB);
	assert_non_null(strstr(f->err.data, "versi 1"));
}

/* ---- web pages' statements ------------------------------------------ */

static void raw_exec(struct fx *f, const char *sql)
{
	sqlite3 *db = raw_open(f);
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(db);
}

/* Waiting time from state_since against the caller's clock; the order,
 * both ways, with ties by id; the scope range; paging and the total;
 * the triggers that keep state_since. */
static void queue_orders_by_state_since(void **state)
{
	struct fx *f = *state;
	struct store_queue_row *r = NULL;
	struct store_state_count *cnt = NULL;
	size_t n = 0, total = 0;
	add_resident(f, "3510054506900001", "1990-06-05", 'P');
	add_user(f, "op", HASH_A);
	int64_t a = add_case(f), b = add_case(f), c = add_case(f);
	raw_exec(f, "UPDATE cases SET state_since = CASE id"
		    " WHEN 1 THEN '2026-11-01T00:00:00.000Z'"
		    " WHEN 2 THEN '2026-11-01T00:00:00.000Z'"
		    " ELSE '2026-10-31T00:00:00.000Z' END");
	/* 2026-11-02T00:00:00Z */
	struct store_queue_query q = { .state = "draft", .prefix = "3510052001",
				       .now = 1793577600, .limit = 2 };
	assert_int_equal(store_case_queue(f->s, &q, &r, &n, &total, &f->err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(total, 3);
	assert_int_equal(r[0].id, c);
	assert_int_equal(r[0].waiting_s, 2 * 86400);
	assert_int_equal(r[1].id, a);
	assert_int_equal(r[1].waiting_s, 86400);
	assert_string_equal(r[1].state_since, "2026-11-01T00:00:00.000Z");
	free(r);
	q.offset = 2;
	assert_int_equal(store_case_queue(f->s, &q, &r, &n, NULL, &f->err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].id, b);
	free(r);
	q.offset = 0;
	q.newest_first = 1;
	assert_int_equal(store_case_queue(f->s, &q, &r, &n, NULL, &f->err), 0);
	assert_int_equal(r[0].id, b);
	assert_int_equal(r[1].id, a);
	free(r);
	q.state = NULL;
	q.prefix = "351005";
	assert_int_equal(store_case_queue(f->s, &q, &r, &n, &total, &f->err), 0);
	assert_int_equal(total, 3);
	free(r);
	q.prefix = "3510052002";
	assert_int_equal(store_case_queue(f->s, &q, &r, &n, &total, &f->err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(total, 0);
	q.prefix = "351005200"; /* a shorter prefix still only ranges */
	assert_int_equal(store_case_queue(f->s, &q, &r, &n, &total, &f->err), 0);
	assert_int_equal(total, 3);
	free(r);
	/* a new state restarts the clock; a touch does not */
	assert_int_equal(store_case_touch(f->s, a, "op", &f->err), 0);
	q = (struct store_queue_query){ .state = "draft", .prefix = "",
					.now = 1793577600, .limit = 50 };
	assert_int_equal(store_case_queue(f->s, &q, &r, &n, NULL, &f->err), 0);
	assert_int_equal(r[1].id, a);
	assert_int_equal(r[1].waiting_s, 86400);
	free(r);
	assert_int_equal(store_case_set_state(f->s, a, "submitted", "op", &f->err), 0);
	q.state = "submitted";
	q.now = (int64_t)time(NULL);
	assert_int_equal(store_case_queue(f->s, &q, &r, &n, NULL, &f->err), 0);
	assert_int_equal(n, 1);
	assert_true(r[0].waiting_s >= 0 && r[0].waiting_s < 60);
	free(r);
	assert_int_equal(store_case_count_in(f->s, "3510052001", &cnt, &n,
					     &f->err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(cnt[0].state, "draft");
	assert_int_equal(cnt[0].n, 2);
	assert_string_equal(cnt[1].state, "submitted");
	free(cnt);
}

/* Search by NIK range or escaped name inside a scope; insert-only add;
 * the open case leaves out closed states. */
static void resident_search_and_edit(void **state)
{
	struct fx *f = *state;
	struct store_resident_hit *h = NULL;
	struct store_resident r;
	size_t n = 0, total = 0;
	add_resident(f, "3510054506900001", "1990-06-05", 'P');
	add_resident(f, "3510054506900002", "1990-06-05", 'P');
	add_user(f, "op", HASH_A);
	assert_int_equal(store_resident_get(f->s, "3510054506900002", &r, &f->err), 0);
	strcpy(r.name, "Ani_100%");
	assert_int_equal(store_resident_update(f->s, &r, &f->err), 0);
	assert_int_equal(store_resident_add(f->s, &r, &f->err), TB_ECONFLICT);
	strcpy(r.nik, "3510054506900009");
	assert_int_equal(store_resident_update(f->s, &r, &f->err), TB_ENOTFOUND);
	int64_t id = add_case(f);
	struct store_resident_query q = { .prefix = "3510052001",
					  .nik = "35100545069000",
					  .closed_json = "[\"approved\",\"rejected\"]",
					  .limit = 1 };
	assert_int_equal(store_resident_search(f->s, &q, &h, &n, &total, &f->err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(total, 2);
	assert_string_equal(h[0].r.nik, "3510054506900001");
	assert_string_equal(h[0].r.name, "Siti Rahayu");
	assert_int_equal(h[0].open_case, id);
	assert_string_equal(h[0].open_state, "draft");
	free(h);
	assert_int_equal(store_case_set_state(f->s, id, "rejected", "op", &f->err), 0);
	assert_int_equal(store_resident_search(f->s, &q, &h, &n, NULL, &f->err), 0);
	assert_int_equal(h[0].open_case, 0);
	free(h);
	q.nik = NULL;
	q.name = "_1";
	assert_int_equal(store_resident_search(f->s, &q, &h, &n, &total, &f->err), 0);
	assert_int_equal(total, 1);
	assert_string_equal(h[0].r.nik, "3510054506900002");
	free(h);
	q.name = "i%";
	assert_int_equal(store_resident_search(f->s, &q, &h, &n, &total, &f->err), 0);
	assert_int_equal(total, 0);
	q.name = "SITI";
	q.prefix = "3510052002";
	assert_int_equal(store_resident_search(f->s, &q, &h, &n, &total, &f->err), 0);
	assert_int_equal(total, 0);
	q.prefix = "";
	assert_int_equal(store_resident_search(f->s, &q, &h, &n, &total, &f->err), 0);
	assert_int_equal(total, 1);
	free(h);
}

/* ---- tamper evidence: canonical encodings and the audit chain ------ */

/* A row's encoding is length-prefixed (moving a byte from one field to
 * the next changes it), tagged, and changes with every member a seal must
 * cover; village_code (the case's) and the seal itself are left out. */
static void doc_canon_is_unambiguous(void **state)
{
	(void)state;
	struct store_document a, b;
	struct buf ea = BUF_INIT, eb = BUF_INIT;
	memset(&a, 0, sizeof a);
	strcpy(a.serial, "0123456789ABCDEF");
	strcpy(a.kind, "letter");
	strcpy(a.name, "ab");
	strcpy(a.number, "c");
	a.state = DOC_VALID;
	a.score = 1.842;
	b = a;
	strcpy(b.name, "a");
	strcpy(b.number, "bc");
	assert_int_equal(store_doc_canon(&a, &ea), 0);
	assert_int_equal(store_doc_canon(&b, &eb), 0);
	assert_int_equal(ea.len, eb.len);
	assert_memory_not_equal(ea.data, eb.data, ea.len);
	/* the tag, length first */
	assert_memory_equal(ea.data, "\0\0\0\x11terbit-doc-seal-1", 21);

	/* each member, changed alone, changes the encoding */
	struct store_document m;
#define CHANGES(stmt)                                                    \
	do {                                                             \
		m = a;                                                   \
		stmt;                                                    \
		buf_reset(&eb);                                          \
		assert_int_equal(store_doc_canon(&m, &eb), 0);           \
		assert_false(eb.len == ea.len &&                         \
			     !memcmp(eb.data, ea.data, ea.len));         \
	} while (0)
	CHANGES(m.serial[0] = '9');
	CHANGES(strcpy(m.kind, "card"));
	CHANGES(m.case_id = 2);
	CHANGES(strcpy(m.nik, "3510054506900001"));
	CHANGES(m.name[0] = 'x');
	CHANGES(m.number[0] = 'x');
	CHANGES(m.year = 2027);
	CHANGES(m.seq = 2);
	CHANGES(m.issued_day = 1);
	CHANGES(m.expires_day = 1);
	CHANGES(m.state = DOC_REVOKED);
	CHANGES(strcpy(m.token, "X"));
	CHANGES(strcpy(m.sha256, "X"));
	CHANGES(strcpy(m.fields_sha256, "X"));
	CHANGES(m.size = 1);
	CHANGES(strcpy(m.policy_version, "X"));
	CHANGES(m.score = 1.8420000001);
	CHANGES(strcpy(m.office, "X"));
	CHANGES(strcpy(m.faskes, "X"));
	CHANGES(strcpy(m.issued_by, "X"));
	CHANGES(strcpy(m.issued_at, "X"));
	CHANGES(strcpy(m.revoked_at, "X"));
	CHANGES(strcpy(m.revoked_by, "X"));
	CHANGES(strcpy(m.reason, "X"));
	CHANGES(strcpy(m.superseded_by, "X"));
	CHANGES(strcpy(m.replaces, "X"));
#undef CHANGES
	/* not covered: the joined village and the seal column */
	m = a;
	strcpy(m.village_code, "3510052001");
	strcpy(m.seal, "ff");
	buf_reset(&eb);
	assert_int_equal(store_doc_canon(&m, &eb), 0);
	assert_int_equal(eb.len, ea.len);
	assert_memory_equal(eb.data, ea.data, ea.len);
	buf_release(&ea);
	buf_release(&eb);
}

/* The audit hash as documented (docs/issuance.md), pinned by a vector
 * computed apart from this code (Python's hashlib over the same
 * length-prefixed fields): a change of encoding breaks every chain in
 * the field, so it must show here first. */
static void audit_hash_vector(void **state)
{
	(void)state;
	struct store_audit a;
	char h[65];
	memset(&a, 0, sizeof a);
	a.id = 7;
	strcpy(a.at, "2026-11-30T06:00:00.000Z");
	strcpy(a.actor, "budi");
	strcpy(a.role, "dinsos");
	strcpy(a.action, "document.revoke");
	strcpy(a.object, "document:0123456789ABCDEF");
	strcpy(a.note, "data keliru");
	memset(a.prev_hash, '0', 64);
	assert_int_equal(store_audit_hash(&a, h), 0);
	assert_string_equal(h, "fa068567caf92387c1950110d876b801"
			       "5ea6bdde35fe5f0b8671cada3599cd89");
}

struct rows {
	struct store_audit a[8];
	int n;
};

static int keep_row(const struct store_audit *a, void *arg)
{
	struct rows *r = arg;
	if (r->n < 8)
		r->a[r->n++] = *a;
	return 0;
}

/* Each entry links to the one before; an edit breaks the chain at the
 * edited row, a deletion at the row after it; the head is the last. */
static void audit_chain_links_and_breaks(void **state)
{
	struct fx *f = *state;
	struct store_audit_check c;
	struct rows r = { .n = 0 };
	int64_t head;
	char hh[65], h[65];
	assert_int_equal(store_audit_head(f->s, &head, hh, &f->err), 0);
	assert_int_equal(head, 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(store_audit_add(f->s, "console", "admin",
						 "user.add", "user:x",
						 i == 1 ? NULL : "catatan",
						 &f->err),
				 0);
	assert_int_equal(store_audit_each(f->s, NULL, keep_row, &r, &f->err), 0);
	assert_int_equal(r.n, 3);
	for (int i = 0; i < 64; i++)
		assert_int_equal(r.a[0].prev_hash[i], '0');
	for (int i = 0; i < 3; i++) {
		assert_int_equal(store_audit_hash(&r.a[i], h), 0);
		assert_string_equal(h, r.a[i].hash);
		if (i)
			assert_string_equal(r.a[i].prev_hash, r.a[i - 1].hash);
	}
	assert_int_equal(store_audit_head(f->s, &head, hh, &f->err), 0);
	assert_int_equal(head, 3);
	assert_string_equal(hh, r.a[2].hash);
	assert_int_equal(store_audit_verify(f->s, &c, &f->err), 0);
	assert_int_equal(c.bad_id, 0);
	assert_int_equal(c.rows, 3);
	assert_int_equal(c.head_id, 3);

	sqlite3 *raw = raw_open(f);
	assert_int_equal(sqlite3_exec(raw, "DROP TRIGGER audit_no_update;"
				      "DROP TRIGGER audit_no_delete;"
				      "UPDATE audit SET note = 'lain' WHERE id = 2",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(store_audit_verify(f->s, &c, &f->err), 0);
	assert_int_equal(c.bad_id, 2);
	assert_non_null(strstr(c.why, "berubah"));
	/* a NUL and more after the stored note: the walk hashes every byte */
	assert_int_equal(sqlite3_exec(raw, "UPDATE audit SET note ="
				      " CAST(X'00' || X'41' AS TEXT) WHERE id = 2",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(store_audit_verify(f->s, &c, &f->err), 0);
	assert_int_equal(c.bad_id, 2);
	assert_int_equal(sqlite3_exec(raw, "UPDATE audit SET note = '' WHERE id = 2",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(store_audit_verify(f->s, &c, &f->err), 0);
	assert_int_equal(c.bad_id, 0);
	assert_int_equal(sqlite3_exec(raw, "DELETE FROM audit WHERE id = 2",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(store_audit_verify(f->s, &c, &f->err), 0);
	assert_int_equal(c.bad_id, 3);
	assert_non_null(strstr(c.why, "tidak menyambung"));
	sqlite3_close(raw);
}

/* A file with a page overwritten: integrity_check says so. */
/* The verifier reads one index and never the table (migration 12):
 * a column added to the lookup but not to documents_verify would turn
 * the plan into "USING INDEX" plus a table read on every scan. */
static void doc_lookup_reads_only_the_covering_index(void **state)
{
	struct fx *f = *state;
	struct buf sql = BUF_INIT;
	sqlite3 *raw = raw_open(f);
	sqlite3_stmt *st = NULL;
	assert_int_equal(buf_addf(&sql, "EXPLAIN QUERY PLAN %s",
				  store__doc_lookup_sql()),
			 0);
	assert_int_equal(sqlite3_prepare_v2(raw, sql.data, -1, &st, NULL),
			 SQLITE_OK);
	int rows = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *d = (const char *)sqlite3_column_text(st, 3);
		assert_non_null(strstr(d, "USING COVERING INDEX documents_verify"));
		rows++;
	}
	assert_int_equal(rows, 1);
	sqlite3_finalize(st);
	sqlite3_close(raw);
	buf_release(&sql);
}

static void integrity_check_sees_a_bad_page(void **state)
{
	struct fx *f = *state;
	struct buf report = BUF_INIT;
	assert_int_equal(store_integrity_check(f->s, &report, &f->err), 0);
	assert_int_equal(report.len, 0);
	for (int i = 0; i < 40; i++)
		assert_int_equal(store_audit_add(f->s, "console", "admin",
						 "user.add", "user:x",
						 "catatan yang cukup panjang "
						 "untuk mengisi halaman",
						 &f->err),
				 0);
	store_close(f->s);
	f->s = NULL;
	/* Checkpoint and leave WAL, so the page is in the main file. */
	sqlite3 *raw = raw_open(f);
	assert_int_equal(sqlite3_exec(raw, "PRAGMA journal_mode = DELETE",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	int pages = 0;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(raw, "PRAGMA page_count", -1, &st,
					    NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	pages = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(raw);
	/* the last page: the audit table's, written last */
	FILE *fp = fopen(f->db, "r+b");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, (long)(pages - 1) * 4096 + 8, SEEK_SET), 0);
	for (int i = 0; i < 64; i++)
		fputc(0xA5, fp);
	fclose(fp);
	assert_int_equal(store_open(f->dir, &f->s, &f->err), 0);
	int n = store_integrity_check(f->s, &report, &f->err);
	assert_true(n > 0);
	assert_non_null(strstr(report.data, "basis data:"));
	buf_release(&report);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(fresh_file_is_migrated, setup, teardown),
		cmocka_unit_test_setup_teardown(reopen_is_idempotent, setup, teardown),
		cmocka_unit_test_setup_teardown(newer_database_is_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(audit_log_is_append_only, setup,
						teardown),
		cmocka_unit_test_setup_teardown(transactions_nest_and_roll_back,
						setup, teardown),
		cmocka_unit_test(sniff_by_magic_bytes),
		cmocka_unit_test_setup_teardown(attachments_checked_and_kept, setup,
						teardown),
		cmocka_unit_test_setup_teardown(records_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(doc_states_are_enums, setup,
						teardown),
		cmocka_unit_test_setup_teardown(queue_orders_by_state_since, setup,
						teardown),
		cmocka_unit_test_setup_teardown(resident_search_and_edit, setup,
						teardown),
		cmocka_unit_test(doc_canon_is_unambiguous),
		cmocka_unit_test(audit_hash_vector),
		cmocka_unit_test_setup_teardown(audit_chain_links_and_breaks,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			doc_lookup_reads_only_the_covering_index, setup, teardown),
		cmocka_unit_test_setup_teardown(integrity_check_sees_a_bad_page,
						setup, teardown),
		cmocka_unit_test_setup_teardown(stamp_moves_on_every_commit, setup,
						teardown),
		cmocka_unit_test_setup_teardown(held_snapshot_follows_the_stamp,
						setup, teardown),
		cmocka_unit_test_setup_teardown(readonly_handle_refuses_writes,
						setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
