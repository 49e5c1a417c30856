/*
 * Fault injection (issue 11; STYLE.md, "Fault injection"): SQLite's
 * allocator and its file writes fail at the Nth call, for N = 1, 2, ...
 * until the operation runs through without reaching the Nth call, on
 * the four writes that matter most: a letter through the real gate
 * (render, sign, store), a CSV import, a revocation, and a case move as
 * the web form makes it (cases_move). After every failure: a negative
 * TB_ code with a message, every table exactly as before (dumped on a
 * connection of its own), no write lock left, the handle still usable,
 * and `document check` (issue_check) finding nothing. The run that
 * reaches no fault is the next attempt, and must succeed. Then two
 * render failures inside the gate: libharu raising an error mid-letter,
 * and a character no font has. The counts go to stdout for the closing
 * note and docs/issuance.md ("Fault injection").
 *
 * Its own file, not a part of test_store, test_cases or test_issue: it
 * replaces SQLite's allocator and default VFS for the whole process
 * (sqlite3_config works only before SQLite initializes), which the other
 * tests must not run under, and it crosses store, cases and issue.
 * Run from the repository root (or set TERBIT_ROOT).
 */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <hpdf.h>
#include <sqlite3.h>

#include "core/fmt.h"
#include "core/str.h"
#include "issue/issue.h"

#include "../issue_fixture.h"

#define NCASES 3
/* A bound on N, far above what any operation reaches (a few thousand
 * allocations): a loop that never ends is a failure, not a hang. */
#define LOOP_MAX 20000

/* ---- the faults ---------------------------------------------------- */

enum fault_kind {
	F_OFF,
	F_MALLOC,   /* xMalloc and xRealloc of SQLite's allocator */
	F_MALLOC_ON, /* the same, and every allocation after it fails too */
	F_IO,       /* xWrite, xSync, xTruncate: an I/O error */
	F_FULL,     /* the same calls; xWrite answers "disk full" */
};

static struct {
	enum fault_kind kind;
	long target;    /* the counted call that fails, from 1 */
	long calls;     /* counted calls since armed */
	int fired;
} fault;

static void fault_arm(enum fault_kind kind, long n)
{
	fault.kind = kind;
	fault.target = n;
	fault.calls = 0;
	fault.fired = 0;
}

static void fault_off(void)
{
	fault.kind = F_OFF;
}

/* 1 when this call is to fail. Like SQLite's own malloc tests: one
 * transient failure, after which the clean-up has memory again; then
 * memory gone for good from the Nth call, when the rollback itself
 * cannot allocate. */
static int fault_hit(int io)
{
	int mem = fault.kind == F_MALLOC || fault.kind == F_MALLOC_ON;
	if (fault.kind == F_OFF || mem == io)
		return 0;
	if (fault.kind == F_MALLOC_ON && fault.fired)
		return 1;
	if (++fault.calls != fault.target)
		return 0;
	fault.fired = 1;
	return 1;
}

static sqlite3_mem_methods real_mem;

static void *faulty_malloc(int n)
{
	return fault_hit(0) ? NULL : real_mem.xMalloc(n);
}

static void *faulty_realloc(void *p, int n)
{
	return fault_hit(0) ? NULL : real_mem.xRealloc(p, n);
}

/* The shim VFS: every file is the real one behind a header of ours, so
 * each method forwards, and the three that change the disk may fail. */
struct ffile {
	sqlite3_file base;
	sqlite3_file *real;
};

static sqlite3_vfs *real_vfs;
static sqlite3_vfs shim_vfs;

static sqlite3_file *real_of(sqlite3_file *f)
{
	return ((struct ffile *)f)->real;
}

#define FWD(f, m, ...) real_of(f)->pMethods->m(real_of(f), __VA_ARGS__)

static int f_close(sqlite3_file *f)
{
	return real_of(f)->pMethods->xClose(real_of(f));
}

static int f_read(sqlite3_file *f, void *b, int n, sqlite3_int64 off)
{
	return FWD(f, xRead, b, n, off);
}

static int f_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 off)
{
	if (fault_hit(1))
		return fault.kind == F_FULL ? SQLITE_FULL : SQLITE_IOERR_WRITE;
	return FWD(f, xWrite, b, n, off);
}

static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	return fault_hit(1) ? SQLITE_IOERR_TRUNCATE : FWD(f, xTruncate, size);
}

static int f_sync(sqlite3_file *f, int flags)
{
	return fault_hit(1) ? SQLITE_IOERR_FSYNC : FWD(f, xSync, flags);
}

static int f_size(sqlite3_file *f, sqlite3_int64 *out)
{
	return FWD(f, xFileSize, out);
}

static int f_lock(sqlite3_file *f, int l)
{
	return FWD(f, xLock, l);
}

static int f_unlock(sqlite3_file *f, int l)
{
	return FWD(f, xUnlock, l);
}

static int f_reserved(sqlite3_file *f, int *out)
{
	return FWD(f, xCheckReservedLock, out);
}

static int f_control(sqlite3_file *f, int op, void *arg)
{
	return FWD(f, xFileControl, op, arg);
}

static int f_sector(sqlite3_file *f)
{
	return real_of(f)->pMethods->xSectorSize(real_of(f));
}

static int f_devchar(sqlite3_file *f)
{
	return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f));
}

static int f_shm_map(sqlite3_file *f, int pg, int pgsz, int extend,
		     void volatile **pp)
{
	return FWD(f, xShmMap, pg, pgsz, extend, pp);
}

static int f_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
	return FWD(f, xShmLock, off, n, flags);
}

static void f_shm_barrier(sqlite3_file *f)
{
	real_of(f)->pMethods->xShmBarrier(real_of(f));
}

static int f_shm_unmap(sqlite3_file *f, int del)
{
	return FWD(f, xShmUnmap, del);
}

static int f_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
	return FWD(f, xFetch, off, n, pp);
}

static int f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	return FWD(f, xUnfetch, off, p);
}

static const sqlite3_io_methods shim_io = {
	3,         f_close,   f_read,        f_write,       f_truncate,
	f_sync,    f_size,    f_lock,        f_unlock,      f_reserved,
	f_control, f_sector,  f_devchar,     f_shm_map,     f_shm_lock,
	f_shm_barrier, f_shm_unmap, f_fetch, f_unfetch,
};

static int f_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file,
		  int flags, int *out_flags)
{
	struct ffile *ff = (struct ffile *)file;
	(void)vfs;
	ff->real = (sqlite3_file *)(ff + 1);
	int rc = real_vfs->xOpen(real_vfs, name, ff->real, flags, out_flags);
	/* SQLite calls xClose whenever pMethods is set, failure or not:
	 * mirror what the real xOpen left. */
	file->pMethods = ff->real->pMethods ? &shim_io : NULL;
	return rc;
}

/* Before SQLite initializes (store_open would do it): the allocator can
 * only be replaced then. Lookaside off, so that every small allocation
 * of a statement reaches the allocator instead of a connection's slab. */
static int faults_install(void)
{
	static sqlite3_mem_methods mem;
	if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &real_mem) != SQLITE_OK)
		return -1;
	mem = real_mem;
	mem.xMalloc = faulty_malloc;
	mem.xRealloc = faulty_realloc;
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &mem) != SQLITE_OK ||
	    sqlite3_config(SQLITE_CONFIG_LOOKASIDE, 0, 0) != SQLITE_OK ||
	    sqlite3_initialize() != SQLITE_OK || !(real_vfs = sqlite3_vfs_find(NULL)))
		return -1;
	shim_vfs = *real_vfs;
	shim_vfs.zName = "terbit-faults";
	shim_vfs.szOsFile = (int)sizeof(struct ffile) + real_vfs->szOsFile;
	shim_vfs.xOpen = f_open;
	shim_vfs.pNext = NULL;
	return sqlite3_vfs_register(&shim_vfs, 1) == SQLITE_OK ? 0 : -1;
}

/*
 * A libharu error in the middle of a document. This program's own
 * HPDF_Page_SetLineWidth comes before libharu's in the link, so the
 * renderer's drawing calls it; armed, its Nth call hands libharu a
 * negative width, and libharu itself raises HPDF_PAGE_OUT_OF_RANGE
 * through the document's error handler, as it would for any failure of
 * its own. The test fails the last call of a letter, so most of the
 * document is already drawn when libharu fails.
 */
static long haru_target, haru_calls; /* target -1: only count */

HPDF_STATUS HPDF_Page_SetLineWidth(HPDF_Page page, HPDF_REAL width)
{
	static HPDF_STATUS (*real)(HPDF_Page, HPDF_REAL);
	if (!real) {
		void *sym = dlsym(RTLD_NEXT, "HPDF_Page_SetLineWidth");
		memcpy(&real, &sym, sizeof real);
	}
	if (haru_target && ++haru_calls == haru_target)
		width = -1;
	return real(page, width);
}

/* ---- the environment ----------------------------------------------- */

struct env {
	char dir[64], db[96], base[96];
	struct store *s;
	struct policy *p;
	struct render_ctx *r;
	struct keyring *kr;
	struct cases_actor ds, op;
	struct issue_ctx ctx;
	char serial[SERIAL_LEN + 1]; /* a valid letter, to revoke */
	int64_t draft;               /* a draft case with its referral */
	struct buf csv;              /* the import's file */
	struct buf before, after;    /* dumps */
	struct buf err;
};

static void die(struct env *e, const char *what)
{
	fprintf(stderr, "%s: %s\n", what, e->err.data);
	fail();
}

static int copy_file(const char *from, const char *to)
{
	struct buf data = BUF_INIT;
	int rc = buf_read_file(&data, from, 0, NULL);
	if (rc == 0)
		rc = buf_write_file(to, data.data, data.len, 0600, NULL);
	buf_release(&data);
	return rc;
}

static void drop_files(const char *db)
{
	static const char *const ext[] = { "", "-wal", "-shm" };
	char path[128];
	for (size_t i = 0; i < ARRAY_SIZE(ext); i++) {
		snprintf(path, sizeof path, "%s%s", db, ext[i]);
		unlink(path);
	}
}

static void reopen(struct env *e)
{
	store_close(e->s);
	e->s = NULL;
	if (store_open(e->dir, &e->s, &e->err) < 0)
		die(e, "reopen");
	e->ctx.store = e->s;
}

/* Back to the state every loop starts from. Closing the last connection
 * checkpoints and removes the WAL, so terbit.db alone is the state. */
static void restore(struct env *e)
{
	store_close(e->s);
	e->s = NULL;
	drop_files(e->db);
	if (copy_file(e->base, e->db) < 0)
		die(e, "restore");
	reopen(e);
}

/* Every table, index, trigger and row, and the schema version, read on a
 * connection of its own: what another process would see. Rows in rowid
 * (or key) order, each value with its type. */
static void dump(struct env *e, struct buf *out)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *tables = NULL, *rows = NULL;
	buf_reset(out);
	assert_int_equal(sqlite3_open_v2(e->db, &db, SQLITE_OPEN_READONLY, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT type, name, sql FROM "
					    "sqlite_schema ORDER BY type, name",
					    -1, &tables, NULL),
			 SQLITE_OK);
	while (sqlite3_step(tables) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(tables, 0);
		const char *name = (const char *)sqlite3_column_text(tables, 1);
		const char *sql = (const char *)sqlite3_column_text(tables, 2);
		buf_addf(out, "== %s %s\n%s\n", type, name, sql ? sql : "");
		if (strcmp(type, "table") != 0)
			continue;
		char q[128];
		snprintf(q, sizeof q, "SELECT * FROM \"%s\"", name);
		assert_int_equal(sqlite3_prepare_v2(db, q, -1, &rows, NULL),
				 SQLITE_OK);
		while (sqlite3_step(rows) == SQLITE_ROW) {
			for (int c = 0; c < sqlite3_column_count(rows); c++) {
				int t = sqlite3_column_type(rows, c);
				const void *v = sqlite3_column_blob(rows, c);
				int n = sqlite3_column_bytes(rows, c);
				buf_addf(out, "%d:%d:", t, n);
				if (n)
					buf_add(out, v, (size_t)n);
				buf_addc(out, '|');
			}
			buf_addc(out, '\n');
		}
		sqlite3_finalize(rows);
	}
	sqlite3_finalize(tables);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &rows,
					    NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(rows), SQLITE_ROW);
	buf_addf(out, "user_version %d\n", sqlite3_column_int(rows, 0));
	sqlite3_finalize(rows);
	sqlite3_close(db);
}

static void lock_free(struct env *e)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(e->db, &db, SQLITE_OPEN_READWRITE, NULL),
			 SQLITE_OK);
	int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		fprintf(stderr, "write lock still held: %s\n", sqlite3_errmsg(db));
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);
	assert_int_equal(rc, SQLITE_OK);
}

/* Where two dumps part, for the failure message. */
static void show_diff(const struct buf *a, const struct buf *b)
{
	size_t i = 0;
	while (i < a->len && i < b->len && a->data[i] == b->data[i])
		i++;
	size_t from = i > 60 ? i - 60 : 0;
	fprintf(stderr, "dumps differ at byte %zu:\n before: %.*s\n after:  %.*s\n",
		i, (int)((a->len > from + 200 ? from + 200 : a->len) - from),
		a->data + from,
		(int)((b->len > from + 200 ? from + 200 : b->len) - from),
		b->data + from);
}

/* `document check`: nothing wrong in the registry. */
static void registry_clean(struct env *e)
{
	struct buf report = BUF_INIT;
	size_t nbad = 0;
	int rc = issue_check(e->s, e->kr, &report, &nbad, &e->err);
	if (rc < 0 || nbad)
		fprintf(stderr, "document check: %d, %zu problems\n%s%s\n", rc,
			nbad, report.data, e->err.data);
	assert_true(rc >= 0);
	assert_int_equal(nbad, 0);
	buf_release(&report);
}

static int group_setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	struct buf all = BUF_INIT, report = BUF_INIT;
	struct issue_result res;
	buf_init(&e->err, 0);
	buf_init(&e->csv, 0);
	buf_init(&e->before, 0);
	buf_init(&e->after, 0);
	/* Memory-backed when there is /dev/shm: each of the thousands of
	 * runs reopens the database, and a close checkpoints with fsync,
	 * which on a disk shared with other builds cost more than the
	 * runs. The faults are the shim's, not the disk's. */
	snprintf(e->dir, sizeof e->dir, "%s/terbit-faults-XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(e->dir))
		return -1;
	snprintf(e->db, sizeof e->db, "%s/terbit.db", e->dir);
	snprintf(e->base, sizeof e->base, "%s/base.db", e->dir);
	/* Residents 0..NCASES-1 have approved cases; NCASES gets a draft
	 * case (the move); NCASES+1 and +2 are the import's new rows, with
	 * resident 2 again at a new address (a replaced row). */
	if (fixture_setup(e->dir, NCASES, &e->err) < 0 ||
	    residents_csv(NCASES + 3, &all) < 0 ||
	    store_open(e->dir, &e->s, &e->err) < 0 ||
	    fixture_policy(&e->p, &e->err) < 0 ||
	    render_ctx_new(&e->r, fixture_root(), &e->err) < 0 ||
	    keyring_load(e->dir, &e->kr, &e->err) < 0 ||
	    cases_actor_load(e->s, "ds", &e->ds, &e->err) < 0 ||
	    cases_actor_load(e->s, "op", &e->op, &e->err) < 0)
		goto fail;
	e->ctx = (struct issue_ctx){ .store = e->s, .policy = e->p,
				     .render = e->r, .keys = e->kr };
	const char *line[NCASES + 4];
	line[0] = all.data;
	for (int i = 1; i < NCASES + 4; i++)
		line[i] = strchr(line[i - 1], '\n') + 1;
	char nik[NIK_LEN + 1];
	static const char pdf[] = "%PDF-1.4\nuji\n%%EOF\n";
	snprintf(nik, sizeof nik, "%.16s", line[NCASES + 1]);
	if (cases_import(e->s, NULL, CASES_IMPORT_RESIDENTS, all.data,
			 (size_t)(line[NCASES + 2] - all.data), 0, &report, NULL,
			 &e->err) < 0 ||
	    cases_create(e->s, &e->op, nik, &e->draft, &e->err) < 0 ||
	    cases_attach(e->s, &e->op, e->draft, "rujukan", "rujukan.pdf", pdf,
			 sizeof pdf - 1, NULL, &e->err) < 0 ||
	    issue_document(&e->ctx, &e->ds, 1, ISSUE_LETTER, &res, NULL,
			   &e->err) < 0)
		goto fail;
	snprintf(e->serial, sizeof e->serial, "%s", res.doc.serial);
	buf_add(&e->csv, line[0], (size_t)(line[1] - line[0]));
	buf_add(&e->csv, line[NCASES + 2], strlen(line[NCASES + 2]));
	const char *old = line[3], *addr = strstr(old, "Dusun Krajan");
	buf_addf(&e->csv, "%.*sDusun Baru%.*s", (int)(addr - old), old,
		 (int)(line[4] - addr - 12), addr + 12);
	buf_release(&all);
	buf_release(&report);
	store_close(e->s);
	e->s = NULL;
	if (copy_file(e->db, e->base) < 0 ||
	    store_open(e->dir, &e->s, &e->err) < 0)
		goto fail;
	e->ctx.store = e->s;
	*state = e;
	return 0;
fail:
	fprintf(stderr, "set-up: %s %s\n", e->err.data, report.data);
	return -1;
}

static int group_teardown(void **state)
{
	struct env *e = *state;
	char cmd[96];
	store_close(e->s);
	policy_free(e->p);
	render_ctx_free(e->r);
	keyring_free(e->kr);
	buf_release(&e->csv);
	buf_release(&e->before);
	buf_release(&e->after);
	buf_release(&e->err);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", e->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", e->dir);
	free(e);
	return 0;
}

/* ---- the operations ------------------------------------------------ */

struct op {
	const char *name;
	int (*run)(struct env *e);
	/* 1 when the operation's whole work is in the database. */
	int (*done)(struct env *e);
};

static int issue_run(struct env *e)
{
	struct issue_result res;
	struct buf pdf = BUF_INIT;
	int rc = issue_document(&e->ctx, &e->ds, 2, ISSUE_LETTER, &res, &pdf,
				&e->err);
	/* The bytes are handed out only after the commit. */
	if (rc == 0 && (!pdf.len || res.existing))
		rc = TB_EINTERNAL;
	buf_release(&pdf);
	return rc;
}

static int issue_done(struct env *e)
{
	struct store_document d;
	return store_doc_in_force(e->s, 2, NULL, "letter", date_today(), NULL,
				  &d, NULL) == 0 &&
	       store_doc_count(e->s, NULL) == 2;
}

static int import_run(struct env *e)
{
	struct buf report = BUF_INIT;
	int rc = cases_import(e->s, NULL, CASES_IMPORT_RESIDENTS, e->csv.data,
			      e->csv.len, 0, &report, NULL, &e->err);
	buf_release(&report);
	return rc == 3 ? 0 : rc < 0 ? rc : TB_EINTERNAL;
}

static int import_done(struct env *e)
{
	struct store_case c;
	struct store_resident r;
	return store_resident_count(e->s, NULL) == NCASES + 3 &&
	       store_case_get(e->s, 3, &c, NULL) == 0 &&
	       store_resident_get(e->s, c.nik, &r, NULL) == 0 &&
	       strncmp(r.address, "Dusun Baru", 10) == 0;
}

static int revoke_run(struct env *e)
{
	return issue_revoke(&e->ctx, &e->ds, e->serial, "uji pencabutan",
			    &e->err);
}

static int revoke_done(struct env *e)
{
	struct store_document d;
	return store_doc_get(e->s, e->serial, &d, NULL) == 0 &&
	       d.state == DOC_REVOKED && issue_doc_seal_ok(e->kr, &d);
}

/* What the web form's handler calls, with its note. */
static int move_run(struct env *e)
{
	return cases_move(e->s, e->p, &e->op, e->draft, "submitted",
			  "berkas lengkap", &e->err);
}

static int move_done(struct env *e)
{
	struct store_case c;
	return store_case_get(e->s, e->draft, &c, NULL) == 0 &&
	       strcmp(c.state, "submitted") == 0;
}

/* ---- the loop ------------------------------------------------------ */

static const char *const kind_name[] = { "", "allocation",
					 "lasting allocation", "write/sync",
					 "disk-full" };

/* How the failures came back, for the closing line. */
static long n_enomem, n_edb, n_eio;

/* What a failure may be: no memory, the database, the disk. A refusal
 * (not found, conflict, ...) would be a lie about the case. */
static int failure_code_ok(int rc)
{
	return rc == TB_ENOMEM || rc == TB_EDB || rc == TB_EIO;
}

/*
 * Fails the Nth call of kind for N = 1, 2, ... until a run reaches no
 * fault; returns how many failure points were reached. Every run starts
 * on a freshly opened handle, so the statements are prepared again and
 * their allocations are failure points too; a failed run is checked on
 * the handle it failed on. A run that reached its fault and still
 * succeeded (SQLite can do without some allocations) must have done the
 * whole work; then the database is put back.
 */
static long fault_loop(struct env *e, const struct op *op,
		       enum fault_kind kind, long *absorbed)
{
	/* Memory gone for good is tried at every 7th point only: the
	 * transient loop already reached each one, and this one is about
	 * the clean-up, which every stride meets in each step of the
	 * operation. Bounds the run time in the sanitizer build. */
	long n, stride = kind == F_MALLOC_ON ? 7 : 1;
	*absorbed = 0;
	dump(e, &e->before);
	for (n = 1; n <= LOOP_MAX; n += stride) {
		buf_reset(&e->err);
		fault_arm(kind, n);
		int rc = op->run(e);
		int fired = fault.fired;
		fault_off();
		if (!fired) {
			if (rc < 0)
				fprintf(stderr, "%s, no fault: %d %s\n", op->name,
					rc, e->err.data);
			assert_int_equal(rc, 0);
			assert_true(op->done(e));
			registry_clean(e);
			break;
		}
		if (rc >= 0) {
			if (!op->done(e))
				fprintf(stderr, "%s: %s fault %ld: success "
					"without the work\n", op->name,
					kind_name[kind], n);
			assert_true(op->done(e));
			registry_clean(e);
			(*absorbed)++;
			restore(e);
			continue;
		}
		if (!failure_code_ok(rc) || !e->err.len)
			fprintf(stderr, "%s: %s fault %ld: %d (%s) \"%s\"\n",
				op->name, kind_name[kind], n, rc, err_name(rc),
				e->err.data);
		assert_true(failure_code_ok(rc));
		assert_true(e->err.len > 0);
		n_enomem += rc == TB_ENOMEM;
		n_edb += rc == TB_EDB;
		n_eio += rc == TB_EIO;
		dump(e, &e->after);
		if (e->after.len != e->before.len ||
		    memcmp(e->after.data, e->before.data, e->before.len) != 0) {
			fprintf(stderr, "%s: %s fault %ld (%s): database changed\n",
				op->name, kind_name[kind], n, e->err.data);
			show_diff(&e->before, &e->after);
			fail();
		}
		/* No write lock left behind: another writer gets in at once.
		 * (Then the failed run's rows cannot linger either: its
		 * transaction is over.) */
		lock_free(e);
		/* The handle is still usable: no transaction left open. */
		if (store_begin(e->s, &e->err) < 0)
			die(e, "store_begin after a fault");
		store_rollback(e->s);
		registry_clean(e);
		reopen(e);
	}
	assert_true(n <= LOOP_MAX);
	restore(e);
	return (n - 1) / stride;
}

static void run_op(struct env *e, const struct op *op)
{
	long count[F_FULL + 1], absorbed[F_FULL + 1];
	for (int k = F_MALLOC; k <= F_FULL; k++)
		count[k] = fault_loop(e, op, (enum fault_kind)k, &absorbed[k]);
	printf("%s: %ld allocation points (%ld absorbed), %ld with memory "
	       "gone for good (every 7th), %ld write/sync points, %ld "
	       "disk-full points, all clean\n",
	       op->name, count[F_MALLOC], absorbed[F_MALLOC],
	       count[F_MALLOC_ON], count[F_IO], count[F_FULL]);
	/* An absorbed I/O fault would be a write that was silently lost. */
	assert_int_equal(absorbed[F_IO], 0);
	assert_int_equal(absorbed[F_FULL], 0);
}

/* Nothing written, the number given back: the next letter takes it. */
static void render_fault_clean(struct env *e)
{
	struct issue_result res;
	dump(e, &e->after);
	if (e->after.len != e->before.len ||
	    memcmp(e->after.data, e->before.data, e->before.len) != 0) {
		show_diff(&e->before, &e->after);
		fail();
	}
	if (store_begin(e->s, &e->err) < 0)
		die(e, "store_begin after the render fault");
	store_rollback(e->s);
	registry_clean(e);
	assert_int_equal(issue_document(&e->ctx, &e->ds, 2, ISSUE_LETTER, &res,
					NULL, &e->err),
			 0);
	assert_int_equal(res.doc.seq, 2);
	restore(e);
}

static void test_haru_error(void **state)
{
	struct env *e = *state;
	struct issue_result res;
	/* How many calls a letter makes: the last one is the target. */
	haru_calls = 0;
	haru_target = -1;
	assert_int_equal(issue_document(&e->ctx, &e->ds, 2, ISSUE_LETTER, &res,
					NULL, &e->err),
			 0);
	long last = haru_calls;
	restore(e);
	assert_true(last > 1);
	dump(e, &e->before);
	buf_reset(&e->err);
	haru_calls = 0;
	haru_target = last;
	int rc = issue_document(&e->ctx, &e->ds, 2, ISSUE_LETTER, &res, NULL,
				&e->err);
	haru_target = 0;
	printf("libharu error mid-letter (call %ld of %ld to "
	       "HPDF_Page_SetLineWidth): %d %s\n",
	       haru_calls, last, rc, e->err.data);
	assert_int_equal(haru_calls, last);
	assert_int_equal(rc, TB_EINTERNAL);
	assert_non_null(strstr(e->err.data, "libharu"));
	render_fault_clean(e);
}

/* test_issue's test_fault_rolls_back makes the same failure (a name with
 * a character no font has, refused while the letter is drawn) and counts
 * rows and numbers; here the whole database is compared. */
static void test_glyph_missing(void **state)
{
	struct env *e = *state;
	struct store_case c;
	struct store_resident r;
	struct issue_result res;
	assert_int_equal(store_case_get(e->s, 2, &c, &e->err), 0);
	assert_int_equal(store_resident_get(e->s, c.nik, &r, &e->err), 0);
	char good[STORE_NAME_MAX];
	snprintf(good, sizeof good, "%s", r.name);
	snprintf(r.name, sizeof r.name, "Warga \xe5\xb1\xb1 Uji");
	assert_int_equal(store_resident_put(e->s, &r, &e->err), 0);
	dump(e, &e->before);
	assert_int_equal(issue_document(&e->ctx, &e->ds, 2, ISSUE_LETTER, &res,
					NULL, &e->err),
			 TB_EINVAL);
	snprintf(r.name, sizeof r.name, "%s", good);
	dump(e, &e->after);
	if (e->after.len != e->before.len ||
	    memcmp(e->after.data, e->before.data, e->before.len) != 0) {
		show_diff(&e->before, &e->after);
		fail();
	}
	assert_int_equal(store_resident_put(e->s, &r, &e->err), 0);
	dump(e, &e->before);
	render_fault_clean(e);
}

static void test_issue_letter(void **state)
{
	static const struct op op = { "issue letter", issue_run, issue_done };
	run_op(*state, &op);
}

static void test_import(void **state)
{
	static const struct op op = { "csv import", import_run, import_done };
	run_op(*state, &op);
}

static void test_revoke(void **state)
{
	static const struct op op = { "revocation", revoke_run, revoke_done };
	run_op(*state, &op);
}

static void test_move(void **state)
{
	static const struct op op = { "case move", move_run, move_done };
	run_op(*state, &op);
}

int main(void)
{
	if (faults_install() < 0) {
		fprintf(stderr, "cannot install the fault shims\n");
		return 1;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_issue_letter),
		cmocka_unit_test(test_import),
		cmocka_unit_test(test_revoke),
		cmocka_unit_test(test_move),
		cmocka_unit_test(test_haru_error),
		cmocka_unit_test(test_glyph_missing),
	};
	int rc = cmocka_run_group_tests(tests, group_setup, group_teardown);
	printf("failures came back as: %ld TB_ENOMEM, %ld TB_EDB, %ld TB_EIO\n",
	       n_enomem, n_edb, n_eio);
	return rc;
}
