/*
 * Schema migrations: numbered steps run in order on open. Step i (from 1)
 * brings PRAGMA user_version from i-1 to i. A step is never edited once
 * committed (databases in the field already ran it): to change the schema,
 * append a step. Each step runs in its own BEGIN IMMEDIATE transaction
 * together with its user_version bump, so a crash leaves the database at
 * the previous version, and two processes opening a fresh file at once
 * cannot both run a step (the second re-reads the version under the lock).
 */
#include "store/store_int.h"

#include <stdio.h>

#include "core/err.h"
#include "core/str.h"

struct migration {
	const char *name;
	const char *sql;   /* one or more statements, constants only */
};

/* Time stamps are ISO 8601 UTC with milliseconds, made by SQLite. */
#define NOW "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"

/* seal: HMAC of the row (src/issue/seal.c) with a key outside the
 * database; NULL until sealed (rows from before this step: `terbit
 * document seal`). fields_sha256 binds the printed fields, which the
 * verifier's row leaves out. Neither is in documents_immutable: the seal
 * changes with the state, and what guards both is the key, not a
 * trigger. The audit columns are filled for every existing row by
 * seal_step, in id order. */
static const char SEAL_SQL[] =
	"ALTER TABLE documents ADD COLUMN seal TEXT;"
	"ALTER TABLE documents ADD COLUMN fields_sha256 TEXT NOT NULL"
	" DEFAULT '';"
	"ALTER TABLE audit ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE audit ADD COLUMN hash TEXT NOT NULL DEFAULT '';";

static int seal_step(struct store *s, struct buf *err)
{
	int rc = store__doc_fields_hash_existing(s, err);
	return rc < 0 ? rc : store__chain_existing(s, err);
}

/*
 * Token format 2 (docs/token.md) is 152 base32 characters: the CHECK on
 * documents.token allowed 144 only. SQLite cannot alter a CHECK, and
 * rebuilding the table would copy every stored PDF; widening it loosens
 * a rule the rows already keep and changes nothing on disk, which is the
 * case SQLite documents for editing the schema text in place
 * (writable_schema, then a new schema_version so every connection
 * re-reads it), inside the step's transaction. Run on a schema whose
 * check is already wide it changes nothing. The index is the status
 * list's (store_doc_status_each): the documents not in force as two
 * ranges of it, without reading the table's rows.
 */
static const char STATUS_SQL[] =
	"CREATE INDEX documents_status ON documents(state, expires_day, serial,"
	" revoked_at);";

static int token_v2_step(struct store *s, struct buf *err)
{
	static const char widen[] =
		"UPDATE sqlite_schema SET sql = replace(sql,"
		" 'CHECK (length(token) = 144)',"
		" 'CHECK (length(token) IN (144, 152))')"
		" WHERE type = 'table' AND name = 'documents'";
	static const char check[] =
		"SELECT instr(sql, 'CHECK (length(token) IN (144, 152))') > 0"
		" FROM sqlite_schema WHERE type = 'table' AND name = 'documents'";
	char bump[64];
	int v = store__count(s, "PRAGMA schema_version", err);
	if (v < 0)
		return v;
	/* Our own number, never outside input (PRAGMA takes no parameter). */
	snprintf(bump, sizeof bump, "PRAGMA schema_version = %d", v + 1);
	int ok = sqlite3_exec(s->db, "PRAGMA writable_schema = ON", NULL, NULL,
			      NULL) == SQLITE_OK &&
		 sqlite3_exec(s->db, widen, NULL, NULL, NULL) == SQLITE_OK &&
		 sqlite3_exec(s->db, bump, NULL, NULL, NULL) == SQLITE_OK;
	sqlite3_exec(s->db, "PRAGMA writable_schema = OFF", NULL, NULL, NULL);
	if (!ok)
		return tb_err(err, TB_EDB, "migrasi token versi 2 gagal: %s",
			      sqlite3_errmsg(s->db));
	if (store__count(s, check, err) != 1)
		return tb_err(err, TB_EDB, "migrasi token versi 2: batasan "
			      "kolom token tidak ditemukan");
	return 0;
}

/*
 * What SQL alone cannot do (a hash), run after a step's SQL in the same
 * transaction, found by the address of the step's SQL text rather than
 * by its number, so steps from branches merged in either order keep
 * their C part. Never edited once committed, like the SQL.
 */
static const struct {
	const char *sql;
	int (*fn)(struct store *s, struct buf *err);
} step_fns[] = {
	{ SEAL_SQL, seal_step },
	{ STATUS_SQL, token_v2_step },
};

static const struct migration migrations[] = {
	{ "base schema: regions, residents, PBI, users, cases, answers, "
	  "attachments, audit log",
	  "CREATE TABLE regions ("
	  " code TEXT PRIMARY KEY CHECK (length(code) IN (4, 6, 10)),"
	  " name TEXT NOT NULL,"
	  " kind TEXT NOT NULL CHECK (kind IN"
	  "  ('kabupaten', 'kecamatan', 'kelurahan', 'desa')),"
	  " parent TEXT REFERENCES regions(code),"
	  " faskes TEXT NOT NULL DEFAULT ''"
	  ") STRICT;"
	  "CREATE TABLE residents ("
	  " nik TEXT PRIMARY KEY CHECK (length(nik) = 16),"
	  " kk TEXT NOT NULL CHECK (length(kk) = 16),"
	  " name TEXT NOT NULL,"
	  " birth_place TEXT NOT NULL,"
	  " birth_date TEXT NOT NULL,"
	  " sex TEXT NOT NULL CHECK (sex IN ('L', 'P')),"
	  " address TEXT NOT NULL,"
	  " rt TEXT NOT NULL,"
	  " rw TEXT NOT NULL,"
	  /* No foreign key: residents from outside the regency are kept
	   * (they make the `resident` rule fail) and we only hold our
	   * own regency's villages. */
	  " village_code TEXT NOT NULL CHECK (length(village_code) = 10)"
	  ") STRICT;"
	  "CREATE INDEX residents_village ON residents(village_code);"
	  "CREATE TABLE pbi ("
	  " nik TEXT NOT NULL CHECK (length(nik) = 16),"
	  " program TEXT NOT NULL CHECK (program IN ('PBI-JKN', 'PBI-APBD')),"
	  " active INTEGER NOT NULL CHECK (active IN (0, 1)),"
	  " card_number TEXT NOT NULL,"
	  " PRIMARY KEY (nik, program)"
	  ") STRICT;"
	  "CREATE TABLE users ("
	  " id INTEGER PRIMARY KEY,"
	  " name TEXT NOT NULL UNIQUE,"
	  " role TEXT NOT NULL,"
	  " region TEXT NOT NULL DEFAULT '',"
	  " token_sha256 TEXT NOT NULL UNIQUE CHECK (length(token_sha256) = 64),"
	  " created_at TEXT NOT NULL DEFAULT " NOW
	  ") STRICT;"
	  "CREATE TABLE cases ("
	  " id INTEGER PRIMARY KEY,"
	  " nik TEXT NOT NULL REFERENCES residents(nik),"
	  " village_code TEXT NOT NULL CHECK (length(village_code) = 10),"
	  " state TEXT NOT NULL,"
	  " faskes TEXT NOT NULL,"
	  " created_at TEXT NOT NULL DEFAULT " NOW ","
	  " updated_at TEXT NOT NULL DEFAULT " NOW ","
	  " created_by TEXT NOT NULL REFERENCES users(name),"
	  " updated_by TEXT NOT NULL REFERENCES users(name)"
	  ") STRICT;"
	  "CREATE INDEX cases_nik ON cases(nik);"
	  "CREATE INDEX cases_village ON cases(village_code);"
	  "CREATE INDEX cases_state ON cases(state);"
	  "CREATE TABLE answers ("
	  " case_id INTEGER NOT NULL REFERENCES cases(id),"
	  " indicator TEXT NOT NULL,"
	  " value INTEGER NOT NULL,"
	  " updated_at TEXT NOT NULL DEFAULT " NOW ","
	  " updated_by TEXT NOT NULL REFERENCES users(name),"
	  " PRIMARY KEY (case_id, indicator)"
	  ") STRICT;"
	  "CREATE TABLE attachments ("
	  " id INTEGER PRIMARY KEY,"
	  " case_id INTEGER NOT NULL REFERENCES cases(id),"
	  " kind TEXT NOT NULL CHECK (kind IN ('rujukan', 'survei', 'verifikasi')),"
	  " mime TEXT NOT NULL CHECK (mime IN"
	  "  ('application/pdf', 'image/jpeg', 'image/png')),"
	  " size INTEGER NOT NULL CHECK (size BETWEEN 1 AND 10485760),"
	  " sha256 TEXT NOT NULL CHECK (length(sha256) = 64),"
	  " filename TEXT NOT NULL,"
	  " data BLOB NOT NULL,"
	  " created_at TEXT NOT NULL DEFAULT " NOW ","
	  " created_by TEXT NOT NULL REFERENCES users(name)"
	  ") STRICT;"
	  "CREATE INDEX attachments_case ON attachments(case_id);"
	  /* actor is not a foreign key: the console ("console") and
	   * users of any later era must stay readable forever. */
	  "CREATE TABLE audit ("
	  " id INTEGER PRIMARY KEY,"
	  " at TEXT NOT NULL DEFAULT " NOW ","
	  " actor TEXT NOT NULL,"
	  " role TEXT NOT NULL,"
	  " action TEXT NOT NULL,"
	  " object TEXT NOT NULL,"
	  " note TEXT NOT NULL DEFAULT ''"
	  ") STRICT;"
	  "CREATE INDEX audit_object ON audit(object);"
	  "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN"
	  " SELECT RAISE(ABORT, 'audit log is append-only'); END;"
	  "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN"
	  " SELECT RAISE(ABORT, 'audit log is append-only'); END;" },
	{ "document registry (issue gate): documents, per-year counters",
	  /* Counters live in their own row per (kind, year) so the number
	   * is taken inside the issuing transaction: a rollback gives it
	   * back, so numbers have no gaps and no duplicates. */
	  "CREATE TABLE doc_counters ("
	  " kind TEXT NOT NULL CHECK (kind IN ('letter', 'card')),"
	  " year INTEGER NOT NULL,"
	  " last INTEGER NOT NULL CHECK (last >= 1),"
	  " PRIMARY KEY (kind, year)"
	  ") STRICT;"
	  "CREATE TABLE documents ("
	  " serial TEXT PRIMARY KEY CHECK (length(serial) = 16),"
	  " kind TEXT NOT NULL CHECK (kind IN ('letter', 'card')),"
	  " case_id INTEGER NOT NULL REFERENCES cases(id),"
	  " nik TEXT NOT NULL CHECK (length(nik) = 16),"
	  " name TEXT NOT NULL,"
	  " number TEXT NOT NULL,"
	  " year INTEGER NOT NULL,"
	  " seq INTEGER NOT NULL CHECK (seq >= 1),"
	  " issued_day INTEGER NOT NULL,"
	  " expires_day INTEGER NOT NULL CHECK (expires_day >= issued_day),"
	  " state TEXT NOT NULL DEFAULT 'valid' CHECK (state IN"
	  "  ('valid', 'revoked', 'superseded')),"
	  " token TEXT NOT NULL UNIQUE CHECK (length(token) = 144),"
	  " sha256 TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),"
	  " policy_version TEXT NOT NULL,"
	  " score REAL NOT NULL,"
	  " office TEXT NOT NULL,"
	  " faskes TEXT NOT NULL,"
	  " issued_by TEXT NOT NULL,"
	  " issued_at TEXT NOT NULL DEFAULT " NOW ","
	  " revoked_at TEXT NOT NULL DEFAULT '',"
	  " revoked_by TEXT NOT NULL DEFAULT '',"
	  " reason TEXT NOT NULL DEFAULT '',"
	  " superseded_by TEXT REFERENCES documents(serial),"
	  " replaces TEXT REFERENCES documents(serial),"
	  /* Big values last: reading a row's other columns then never
	   * walks the PDF's overflow pages. */
	  " fields TEXT NOT NULL,"
	  " pdf BLOB NOT NULL,"
	  " UNIQUE (kind, number),"
	  " UNIQUE (kind, year, seq)"
	  ") STRICT;"
	  "CREATE INDEX documents_case ON documents(case_id, kind);"
	  "CREATE INDEX documents_nik ON documents(nik, kind);"
	  /* What was signed never changes; only the state moves, and only
	   * out of 'valid'. Rows are never deleted. */
	  "CREATE TRIGGER documents_immutable BEFORE UPDATE OF serial, kind,"
	  " case_id, nik, name, number, year, seq, issued_day, expires_day,"
	  " token, sha256, pdf, fields, policy_version, score, office, faskes,"
	  " issued_by, issued_at, replaces ON documents BEGIN"
	  " SELECT RAISE(ABORT, 'issued documents are immutable'); END;"
	  "CREATE TRIGGER documents_state BEFORE UPDATE OF state ON documents"
	  " WHEN OLD.state <> 'valid' OR NEW.state = 'valid' BEGIN"
	  " SELECT RAISE(ABORT, 'document state only leaves valid'); END;"
	  "CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents BEGIN"
	  " SELECT RAISE(ABORT, 'issued documents are never deleted'); END;" },
	{ "document PDFs in their own table: the verifier's lookup reads a "
	  "row of ~1.5 KB instead of a page of PDF",
	  /* With the PDF inline each documents row filled most of a page
	   * and spilled into overflow pages, so the registry the verifier
	   * walks was the size of every PDF ever issued. The bytes move
	   * here once; documents keeps their size. */
	  "CREATE TABLE document_pdfs ("
	  " serial TEXT PRIMARY KEY REFERENCES documents(serial),"
	  " pdf BLOB NOT NULL"
	  ") STRICT;"
	  "INSERT INTO document_pdfs (serial, pdf)"
	  " SELECT serial, pdf FROM documents ORDER BY rowid;"
	  "ALTER TABLE documents ADD COLUMN size INTEGER NOT NULL DEFAULT 0;"
	  /* documents_immutable names pdf, so it goes while the column is
	   * dropped, and comes back naming size instead. */
	  "DROP TRIGGER documents_immutable;"
	  "UPDATE documents SET size = length(pdf);"
	  "ALTER TABLE documents DROP COLUMN pdf;"
	  "CREATE TRIGGER documents_immutable BEFORE UPDATE OF serial, kind,"
	  " case_id, nik, name, number, year, seq, issued_day, expires_day,"
	  " token, sha256, size, fields, policy_version, score, office, faskes,"
	  " issued_by, issued_at, replaces ON documents BEGIN"
	  " SELECT RAISE(ABORT, 'issued documents are immutable'); END;"
	  "CREATE TRIGGER document_pdfs_immutable BEFORE UPDATE ON document_pdfs"
	  " BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;"
	  "CREATE TRIGGER document_pdfs_no_delete BEFORE DELETE ON document_pdfs"
	  " BEGIN SELECT RAISE(ABORT, 'issued documents are never deleted'); END;" },
	{ "accounts (issue 9): passwords, disabled users, browser sessions, "
	  "sign-in throttling",
	  /* password_hash NULL: no password yet (API token only). The hash
	   * is passwd_hash's self-describing string (src/sign/passwd.h). */
	  "ALTER TABLE users ADD COLUMN password_hash TEXT;"
	  "ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0"
	  " CHECK (disabled IN (0, 1));"
	  "ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL"
	  " DEFAULT 0 CHECK (must_change_password IN (0, 1));"
	  /* Times here are unix seconds, not ISO text: they are compared
	   * with a clock the caller passes (idle and absolute expiry,
	   * throttling delays), never shown. Only the session id's hash is
	   * kept; an ended session is deleted. */
	  "CREATE TABLE sessions ("
	  " id_sha256 TEXT PRIMARY KEY CHECK (length(id_sha256) = 64),"
	  " user TEXT NOT NULL REFERENCES users(name),"
	  " created_at INTEGER NOT NULL,"
	  " last_seen_at INTEGER NOT NULL"
	  ") STRICT;"
	  "CREATE INDEX sessions_user ON sessions(user);"
	  /* One row per throttled key: "user:NAME" (any name typed, known
	   * or not, so the throttle says nothing about who exists) or
	   * "addr:ADDRESS". Rows idle past the lock time are stale. */
	  "CREATE TABLE login_failures ("
	  " key TEXT PRIMARY KEY,"
	  " failures INTEGER NOT NULL CHECK (failures >= 1),"
	  " last_at INTEGER NOT NULL"
	  ") STRICT;"
	  "CREATE INDEX login_failures_last ON login_failures(last_at);" },
	{ "web pages: when a case entered its state, resident corrections, "
	  "card and letter print tracking",
	  /* Queues are ordered by how long a case has waited in its state.
	   * The audit log has it (the last case.move row) but only as text
	   * in a note, with no index to sort on; a column kept by triggers
	   * is set by every path that writes a state, present or future. */
	  "ALTER TABLE cases ADD COLUMN state_since TEXT NOT NULL DEFAULT '';"
	  "UPDATE cases SET state_since = coalesce((SELECT max(a.at) FROM audit a"
	  " WHERE a.object = 'case:' || cases.id AND a.action = 'case.move'),"
	  " created_at);"
	  "CREATE INDEX cases_state_since ON cases(state, state_since, id);"
	  "CREATE TRIGGER cases_state_since_new AFTER INSERT ON cases"
	  " WHEN NEW.state_since = '' BEGIN"
	  " UPDATE cases SET state_since = NEW.created_at WHERE id = NEW.id; END;"
	  "CREATE TRIGGER cases_state_since_move AFTER UPDATE OF state ON cases"
	  " WHEN NEW.state IS NOT OLD.state BEGIN"
	  " UPDATE cases SET state_since = " NOW " WHERE id = NEW.id; END;"
	  /* Old and new value of every corrected field, with the reason:
	   * append-only like the audit log. */
	  "CREATE TABLE resident_corrections ("
	  " id INTEGER PRIMARY KEY,"
	  " nik TEXT NOT NULL REFERENCES residents(nik),"
	  " field TEXT NOT NULL,"
	  " old TEXT NOT NULL,"
	  " new TEXT NOT NULL,"
	  " reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),"
	  " corrected_by TEXT NOT NULL,"
	  " corrected_at TEXT NOT NULL DEFAULT " NOW
	  ") STRICT;"
	  "CREATE INDEX resident_corrections_nik ON resident_corrections(nik, id);"
	  "CREATE TRIGGER resident_corrections_no_update BEFORE UPDATE ON"
	  " resident_corrections BEGIN"
	  " SELECT RAISE(ABORT, 'corrections are append-only'); END;"
	  "CREATE TRIGGER resident_corrections_no_delete BEFORE DELETE ON"
	  " resident_corrections BEGIN"
	  " SELECT RAISE(ABORT, 'corrections are append-only'); END;"
	  /* Which documents have been printed. Its own table, not columns
	   * of documents: a document row is what was signed. Filled from
	   * the document.print audit rows written so far ("N kartu: S1
	   * S2 ..."), so cards printed before the upgrade stay printed. */
	  "CREATE TABLE document_prints ("
	  " serial TEXT PRIMARY KEY REFERENCES documents(serial),"
	  " count INTEGER NOT NULL CHECK (count >= 1),"
	  " first_at TEXT NOT NULL,"
	  " last_at TEXT NOT NULL,"
	  " last_by TEXT NOT NULL"
	  ") STRICT;"
	  "WITH RECURSIVE split(serial, rest, at, actor) AS ("
	  " SELECT '', substr(note, instr(note, ':') + 2) || ' ', at, actor"
	  " FROM audit WHERE action = 'document.print'"
	  " UNION ALL SELECT substr(rest, 1, instr(rest, ' ') - 1),"
	  " substr(rest, instr(rest, ' ') + 1), at, actor FROM split"
	  " WHERE rest <> '')"
	  " INSERT INTO document_prints (serial, count, first_at, last_at, last_by)"
	  " SELECT serial, count(*), min(at), max(at),"
	  " (SELECT a.actor FROM audit a WHERE a.action = 'document.print'"
	  "  AND instr(a.note, ' ' || split.serial) > 0 ORDER BY a.id DESC LIMIT 1)"
	  " FROM split WHERE serial IN (SELECT serial FROM documents)"
	  " GROUP BY serial;"
	  "CREATE INDEX documents_kind_state ON documents(kind, state, issued_at);" },
	{ "tamper evidence (issue 11): registry seals, the audit hash chain",
	  SEAL_SQL },
	{ "API token expiry (issue 11, finding 9)",
	  /* Unix seconds like the sessions' times: compared with the
	   * caller's clock (cases_clock_set in tests), never shown raw.
	   * NULL: the token never expires (every token made before). */
	  "ALTER TABLE users ADD COLUMN token_expires_at INTEGER;" },
	/* The dashboard's statistics (issue 10, src/store/stats.c): the
	 * workflow moves, issuances, revocations and refusals of a time
	 * window without reading the whole log (docs/reports.md has the
	 * query plans and the timings with and without). object is in it
	 * so finding the cases moved in a window reads the index only. */
	{ "statistics (issue 10): audit rows by action and time",
	  "CREATE INDEX audit_action_at ON audit(action, at, object);" },
	/* The web queues and the village home count and list the cases of
	 * one state inside a scope (src/store/queue.c). cases_state and
	 * cases_state_since find the state but not the scope: every case of
	 * the state was read from the table to test its village, all the
	 * regency's drafts for one village's home. With the village in the
	 * index the scope is a range in it and the count reads nothing
	 * else (docs/web.md, "The pages under load"). */
	{ "web queues: cases by state and village",
	  "CREATE INDEX cases_state_village ON cases(state, village_code,"
	  " state_since, id);" },
	/* Printing through CUPS (issue 13, src/store/prints.c): each job
	 * sent to a printer, its CUPS id and last state, and the
	 * documents on it. A document counts as printed (document_prints)
	 * only when its job completes; a job's row is updated while CUPS
	 * moves it and frozen when it ends (ended_at). print_setup names
	 * the printer of letters and of cards, and how cards go out. */
	{ "printing through CUPS: jobs, their documents, the printers used",
	  "CREATE TABLE print_jobs ("
	  " id INTEGER PRIMARY KEY,"
	  " cups_id INTEGER NOT NULL CHECK (cups_id > 0),"
	  " printer TEXT NOT NULL,"
	  " kind TEXT NOT NULL CHECK (kind IN ('letter', 'card', 'sheet')),"
	  " media TEXT NOT NULL,"
	  " sides TEXT NOT NULL,"
	  " copies INTEGER NOT NULL CHECK (copies BETWEEN 1 AND 10),"
	  " reprint INTEGER NOT NULL CHECK (reprint IN (0, 1)),"
	  " reason TEXT NOT NULL,"
	  " state TEXT NOT NULL,"
	  " reasons TEXT NOT NULL DEFAULT '',"
	  " submitted_by TEXT NOT NULL REFERENCES users(name),"
	  " submitted_at TEXT NOT NULL,"
	  " ended_at TEXT,"
	  " CHECK (reprint = 0 OR length(trim(reason)) > 0)"
	  ") STRICT;"
	  "CREATE INDEX print_jobs_open ON print_jobs(id) WHERE ended_at IS NULL;"
	  "CREATE TABLE print_job_docs ("
	  " job_id INTEGER NOT NULL REFERENCES print_jobs(id),"
	  " serial TEXT NOT NULL REFERENCES documents(serial),"
	  " PRIMARY KEY (job_id, serial)"
	  ") STRICT;"
	  "CREATE INDEX print_job_docs_serial ON print_job_docs(serial, job_id);"
	  "CREATE TABLE print_setup ("
	  " role TEXT PRIMARY KEY CHECK (role IN ('letter', 'card')),"
	  " printer TEXT NOT NULL,"
	  " mode TEXT NOT NULL CHECK (mode IN ('a4', 'card', 'sheet')),"
	  " set_by TEXT NOT NULL,"
	  " set_at TEXT NOT NULL"
	  ") STRICT;" },
	/* Issue 12 (token format 2 and the status list): the token CHECK
	 * widened to 152 characters and the status list's index (STATUS_SQL
	 * above). Step 11: it follows the printing step 10 when both are
	 * merged. */
	{ "token format 2, status list index", STATUS_SQL },
	/* The verifier's row read (store_doc_lookup) as one search of
	 * one index holding every column it reads: before, it searched
	 * the serial's index and then the table, whose rows carry the
	 * printed fields' JSON (~1 KB) and fill two to a page, so nearly
	 * every scan of a new token read a table page from the file. The
	 * entries (~570 B) pack six or seven to a page. The columns are
	 * DOC_COLS_HEAD and DOC_COLS_TAIL in documents.c; the writer pays
	 * one more index entry per insert and state change. Step 12. */
	{ "verifier: the registry row in one covering index",
	  "CREATE INDEX documents_verify ON documents(serial, kind, case_id,"
	  " nik, name, number, year, seq, issued_day, expires_day, state,"
	  " token, sha256, policy_version, score, office, faskes, issued_by,"
	  " issued_at, revoked_at, revoked_by, reason, superseded_by,"
	  " replaces, size, fields_sha256, seal);" },
	/* The verifier's registry in memory (issue/vindex.h) learns which
	 * rows changed since it last looked from this log, one row per
	 * insert, update or delete of a document, written by triggers so
	 * every path that writes (the gate, revocation, the seal, and
	 * also sqlite3 on the file behind terbit's back) leaves its
	 * serial here. seq only grows. Step 13; step 14 bounds it. */
	{ "verifier: a log of the documents changed, for its memory",
	  "CREATE TABLE doc_changes ("
	  " seq INTEGER PRIMARY KEY,"
	  " serial TEXT NOT NULL"
	  ") STRICT;"
	  "CREATE TRIGGER doc_changes_insert AFTER INSERT ON documents BEGIN"
	  " INSERT INTO doc_changes (serial) VALUES (NEW.serial); END;"
	  "CREATE TRIGGER doc_changes_update AFTER UPDATE ON documents BEGIN"
	  " INSERT INTO doc_changes (serial) VALUES (NEW.serial); END;"
	  "CREATE TRIGGER doc_changes_delete AFTER DELETE ON documents BEGIN"
	  " INSERT INTO doc_changes (serial) VALUES (OLD.serial); END;" },
	/* The change log kept the serial of every change for ever: two rows
	 * an issued letter, a million a year for a large regency. Every
	 * 1,024th entry now drops the entries more than 65,536 behind it
	 * (never the newest, so seq keeps growing). A verifier whose
	 * position the log no longer reaches reads the registry again
	 * whole (vindex_sync). Step 14. */
	{ "verifier: the change log bounded to its last 65,536 entries",
	  "CREATE TRIGGER doc_changes_prune AFTER INSERT ON doc_changes"
	  " WHEN NEW.seq % 1024 = 0 BEGIN"
	  " DELETE FROM doc_changes WHERE seq <= NEW.seq - 65536; END;" },
	/* Append new steps here: { "what and why", "SQL;" }, */
};

#define NMIGRATIONS ((int)ARRAY_SIZE(migrations))

int store__migrations_count(void)
{
	return NMIGRATIONS;
}

static int user_version(struct store *s, struct buf *err)
{
	int v = store__count(s, "PRAGMA user_version", err);
	return v;
}

/* Runs step i (0-based) when the version is still i; under the lock. */
static int run_step(struct store *s, int i, struct buf *err)
{
	char bump[64];
	int rc = store_begin(s, err);
	if (rc < 0)
		return rc;
	int v = user_version(s, err);
	if (v < 0) {
		rc = v;
		goto out;
	}
	if (v != i) { /* another process got there first */
		rc = 0;
		goto out;
	}
	/* user_version takes no bound parameter; the value is our own
	 * step number, never outside input. */
	snprintf(bump, sizeof bump, "PRAGMA user_version = %d", i + 1);
	if (sqlite3_exec(s->db, migrations[i].sql, NULL, NULL, NULL) !=
		    SQLITE_OK ||
	    sqlite3_exec(s->db, bump, NULL, NULL, NULL) != SQLITE_OK) {
		rc = tb_err(err, TB_EDB, "migrasi %d (%s) gagal: %s", i + 1,
			    migrations[i].name, sqlite3_errmsg(s->db));
		goto out;
	}
	for (size_t k = 0; k < ARRAY_SIZE(step_fns); k++)
		if (step_fns[k].sql == migrations[i].sql &&
		    (rc = step_fns[k].fn(s, err)) < 0)
			goto out;
	return store_commit(s, err);
out:
	store_rollback(s);
	return rc;
}

int store__migrate(struct store *s, struct buf *err)
{
	int v = user_version(s, err);
	if (v < 0)
		return v;
	if (v > NMIGRATIONS)
		return tb_err(err, TB_EDB,
			      "basis data versi %d lebih baru dari program ini "
			      "(versi %d); perbarui terbit",
			      v, NMIGRATIONS);
	for (int i = v; i < NMIGRATIONS; i++) {
		int rc = run_step(s, i, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}
