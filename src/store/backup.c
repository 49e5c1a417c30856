/*
 * An online copy of the database for `terbit backup`: SQLite's backup
 * API, page by page, from one read transaction. In WAL mode a reader
 * never blocks the writers, so the service keeps issuing while the copy
 * is made, and the copy is the database as of one commit.
 */
#include "store/store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"

int store_backup(struct store *s, const char *dest, struct buf *err)
{
	int rc = TB_EIO;
	sqlite3 *db = NULL;
	sqlite3_backup *b = NULL;
	/* Personal data and sealed rows: the file exists 0600 before
	 * SQLite writes a byte (it would create it 0644), and O_EXCL so a
	 * backup never writes over an earlier one. */
	int fd = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = tb_err(err, TB_EIO, "tidak dapat membuat %s: %s", dest,
			    strerror(errno));
		goto out;
	}
	close(fd);
	fd = -1;
	if (sqlite3_open_v2(dest, &db, SQLITE_OPEN_READWRITE |
					       SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		rc = tb_err(err, TB_EDB, "tidak dapat membuka %s: %s", dest,
			    db ? sqlite3_errmsg(db) : "memori habis");
		goto out;
	}
	/* FULL: the copy's last write is on the disk before we call it a
	 * backup. */
	if (sqlite3_exec(db, "PRAGMA synchronous = FULL", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		rc = tb_err(err, TB_EDB, "cadangan: %s", sqlite3_errmsg(db));
		goto out;
	}
	b = sqlite3_backup_init(db, "main", s->db, "main");
	if (!b) {
		rc = tb_err(err, TB_EDB, "cadangan: %s", sqlite3_errmsg(db));
		goto out;
	}
	/* Every page in one step, so in one read transaction: copied in
	 * pieces, a commit by another connection in between would make
	 * SQLite start the copy again, for ever under a steady writer. */
	int r = sqlite3_backup_step(b, -1);
	if (r != SQLITE_DONE) {
		rc = tb_err(err, TB_EDB, "cadangan gagal: %s",
			    sqlite3_errstr(r));
		goto out;
	}
	r = sqlite3_backup_finish(b);
	b = NULL;
	if (r != SQLITE_OK) {
		rc = tb_err(err, TB_EDB, "cadangan gagal: %s",
			    sqlite3_errstr(r));
		goto out;
	}
	rc = 0;
out:
	if (b)
		sqlite3_backup_finish(b);
	if (db && sqlite3_close(db) != SQLITE_OK && rc == 0)
		rc = tb_err(err, TB_EDB, "cadangan: gagal menutup %s", dest);
	return rc;
}
