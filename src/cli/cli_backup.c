/*
 * terbit backup DIR and terbit restore DIR (docs/operations.md).
 *
 * A backup is a directory laid out like a data directory, so the checks
 * that prove a data directory prove a backup unchanged:
 *
 *   DIR/            0700
 *   DIR/terbit.db   0600  the database as of one commit (store_backup)
 *   DIR/keys/       0700  every file of DATA/keys/, each with its mode
 *
 * It holds the private keys and the seal key: whoever has it can sign
 * letters and seal forged rows.
 *
 * Both commands prove the copy with issue_check (PRAGMA integrity_check,
 * every document's hash, PDF signature, token and seal under the copy's
 * own keys, the numbering, the audit chain) on a copy of the backup, in
 * a staging directory on the destination's file system, so what was
 * checked is what is renamed into place.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/err.h"
#include "issue/issue.h"
#include "sign/keys.h"
#include "store/store.h"

/* The sidecar files SQLite and the commit counter leave beside a
 * database: never part of a backup, never carried over by a restore. */
static const char *const sidecars[] = { "-wal", "-shm", "-gen" };

int cli_data_lock(const char *data_dir, int exclusive, int *fd_out,
		  struct buf *err)
{
	struct buf path = BUF_INIT;
	int rc = TB_ENOMEM;
	*fd_out = -1;
	if (buf_addf(&path, "%s/terbit.lock", data_dir) < 0)
		goto out;
	int fd = open(path.data, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = tb_err(err, TB_EIO, "tidak dapat membuka %s: %s",
			    path.data, strerror(errno));
		goto out;
	}
	/* flock, not fcntl: SQLite's own locks are fcntl locks on the
	 * database, and the two kinds do not meet on Linux. Released by the
	 * kernel when the process ends, however it ends. */
	if (flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0) {
		rc = errno == EWOULDBLOCK
			     ? tb_err(err, TB_ECONFLICT,
				      exclusive
					      ? "data %s sedang dipakai (terbit "
						"serve atau perintah lain "
						"berjalan): hentikan layanan "
						"dulu (systemctl stop terbit)"
					      : "data %s sedang dipulihkan "
						"(terbit restore): coba lagi "
						"setelah selesai",
				      data_dir)
			     : tb_err(err, TB_EIO, "kunci %s: %s", path.data,
				      strerror(errno));
		close(fd);
		goto out;
	}
	*fd_out = fd;
	rc = 0;
out:
	if (rc == TB_ENOMEM)
		tb_err(err, rc, "memori habis");
	buf_release(&path);
	return rc;
}

static int fsync_path(const char *path, struct buf *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) != 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return tb_err(err, TB_EIO, "fsync %s: %s", path, strerror(e));
	}
	close(fd);
	return 0;
}

/*
 * Copies the regular file src to dst (must not exist) with src's
 * permission bits, group and other write never among them. Made 0600 and
 * widened only once written, so a private key is never readable by
 * others for a moment; fsync'd.
 */
static int copy_file(const char *src, const char *dst, struct buf *err)
{
	int rc = TB_EIO, in = -1, out = -1;
	struct stat st;
	char chunk[65536];
	in = open(src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (in < 0 || fstat(in, &st) != 0) {
		rc = tb_err(err, TB_EIO, "tidak dapat membaca %s: %s", src,
			    strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = tb_err(err, TB_EINVAL, "%s bukan berkas biasa", src);
		goto out;
	}
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (out < 0) {
		rc = tb_err(err, TB_EIO, "tidak dapat membuat %s: %s", dst,
			    strerror(errno));
		goto out;
	}
	for (;;) {
		ssize_t n = read(in, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = tb_err(err, TB_EIO, "membaca %s: %s", src,
				    strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		if (buf_write_all(out, chunk, (size_t)n) < 0) {
			rc = tb_err(err, TB_EIO, "menulis %s: %s", dst,
				    strerror(errno));
			goto out;
		}
	}
	if (fchmod(out, st.st_mode & 0755) != 0 || fsync(out) != 0) {
		rc = tb_err(err, TB_EIO, "menulis %s: %s", dst,
			    strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) != 0 && rc == 0)
		rc = tb_err(err, TB_EIO, "menulis %s: %s", dst,
			    strerror(errno));
	return rc;
}

/* keys/ is flat (src/sign/keys.c makes no subdirectory): anything but a
 * regular file in it is refused rather than followed. */
static int copy_keys(const char *src, const char *dst, struct buf *err)
{
	struct buf from = BUF_INIT, to = BUF_INIT;
	DIR *d = NULL;
	int rc = TB_EIO;
	if (mkdir(dst, 0700) != 0) {
		rc = tb_err(err, TB_EIO, "tidak dapat membuat %s: %s", dst,
			    strerror(errno));
		goto out;
	}
	if (!(d = opendir(src))) {
		rc = tb_err(err, TB_ENOTFOUND, "tidak dapat membaca %s: %s",
			    src, strerror(errno));
		goto out;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		buf_reset(&from);
		buf_reset(&to);
		if (buf_addf(&from, "%s/%s", src, e->d_name) < 0 ||
		    buf_addf(&to, "%s/%s", dst, e->d_name) < 0) {
			rc = tb_err(err, TB_ENOMEM, "memori habis");
			goto out;
		}
		if ((rc = copy_file(from.data, to.data, err)) < 0)
			goto out;
	}
	rc = fsync_path(dst, err);
out:
	if (d)
		closedir(d);
	buf_release(&from);
	buf_release(&to);
	return rc;
}

/* Removes a staging directory: files, and keys/ one level down. Best
 * effort: it only ever holds what this file put there. */
static void remove_tree(const char *path, int depth)
{
	struct buf sub = BUF_INIT;
	DIR *d = opendir(path);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		struct stat st;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		buf_reset(&sub);
		if (buf_addf(&sub, "%s/%s", path, e->d_name) < 0)
			break;
		if (lstat(sub.data, &st) == 0 && S_ISDIR(st.st_mode) &&
		    depth > 0)
			remove_tree(sub.data, depth - 1);
		else
			unlink(sub.data);
	}
	if (d)
		closedir(d);
	rmdir(path);
	buf_release(&sub);
}

static void remove_sidecars(const char *dir)
{
	struct buf p = BUF_INIT;
	for (size_t i = 0; i < sizeof sidecars / sizeof *sidecars; i++) {
		buf_reset(&p);
		if (buf_addf(&p, "%s/terbit.db%s", dir, sidecars[i]) == 0)
			unlink(p.data);
	}
	buf_release(&p);
}

struct proof {
	int ndocs;
	size_t nbad;
	int64_t head_id;
	char head[65];
};

/*
 * Proves the data directory dir (a staging copy): its keys load and hold
 * the seal key, and issue_check finds nothing. The report of problems is
 * appended to report; 0 when whole, TB_EREFUSED when not, another TB_E
 * when the check itself could not run. Leaves no sidecar files in dir.
 */
static int prove(const char *dir, struct buf *report, struct proof *p,
		 struct buf *err)
{
	struct store *s = NULL;
	struct keyring *kr = NULL;
	int rc;
	memset(p, 0, sizeof *p);
	if ((rc = keyring_load(dir, &kr, err)) < 0)
		goto out;
	if (!keyring_has_seal(kr)) {
		rc = tb_err(err, TB_EREFUSED, "kunci segel tidak ada dalam "
			    "cadangan: segel registri tidak dapat diperiksa");
		goto out;
	}
	if ((rc = store_open(dir, &s, err)) < 0)
		goto out;
	if ((rc = issue_check(s, kr, report, &p->nbad, err)) < 0)
		goto out;
	p->ndocs = rc;
	rc = 0;
	if (p->nbad)
		rc = tb_err(err, TB_EREFUSED, "%zu masalah", p->nbad);
	else
		rc = store_audit_head(s, &p->head_id, p->head, err);
out:
	store_close(s);
	keyring_free(kr);
	remove_sidecars(dir);
	return rc;
}

/* A new directory "<base><sep>XXXXXX" (0700) in *stage: on the file
 * system of its final place, so that the last step is a rename. */
static int make_stage(struct buf *stage, const char *base, const char *sep,
		      struct buf *err)
{
	if (buf_addf(stage, "%s%sXXXXXX", base, sep) < 0)
		return tb_err(err, TB_ENOMEM, "memori habis");
	if (!mkdtemp(stage->data))
		return tb_err(err, TB_EIO, "tidak dapat membuat %s: %s",
			      stage->data, strerror(errno));
	return 0;
}

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * terbit backup DIR: DIR must not exist. Written as DIR.sementara-XXXXXX
 * beside it and renamed when complete, so DIR is either absent or whole.
 * A copy that fails its check is still kept (it is what the database
 * holds), but the command fails and says restore will refuse it.
 */
int cli_backup(struct cli *c)
{
	struct store *s = NULL;
	struct buf stage = BUF_INIT, path = BUF_INIT, parent = BUF_INIT;
	struct buf report = BUF_INIT;
	struct proof p;
	int rc = cli_expect(c, 1, NULL), staged = 0;
	if (rc < 0)
		return rc;
	const char *dest = cli_pos(c, 0);
	struct stat st;
	rc = TB_ENOMEM;
	if (lstat(dest, &st) == 0) {
		rc = tb_err(&c->err, TB_ECONFLICT, "%s sudah ada: cadangan "
			    "tidak pernah menimpa", dest);
		goto out;
	}
	if ((rc = make_stage(&stage, dest, ".sementara-", &c->err)) < 0)
		goto out;
	staged = 1;
	if ((rc = cli_open_store(c, &s)) < 0)
		goto out;
	rc = TB_ENOMEM;
	if (buf_addf(&path, "%s/terbit.db", stage.data) < 0)
		goto nomem;
	if ((rc = store_backup(s, path.data, &c->err)) < 0)
		goto out;
	store_close(s);
	s = NULL;
	/* After the database: a QR key made meanwhile is then in the copy,
	 * never a document signed with a key the copy lacks. */
	buf_reset(&path);
	rc = TB_ENOMEM;
	if (buf_addf(&path, "%s/keys", c->data_dir) < 0 ||
	    buf_addf(&parent, "%s/keys", stage.data) < 0)
		goto nomem;
	if ((rc = copy_keys(path.data, parent.data, &c->err)) < 0)
		goto out;
	int proved = prove(stage.data, &report, &p, &c->err);
	if (proved < 0 && proved != TB_EREFUSED) {
		rc = proved;
		goto out;
	}
	if (rename(stage.data, dest) != 0) {
		rc = tb_err(&c->err, TB_EIO, "tidak dapat menamai %s: %s",
			    dest, strerror(errno));
		goto out;
	}
	staged = 0;
	buf_reset(&parent);
	const char *slash = strrchr(dest, '/');
	rc = TB_ENOMEM;
	if (buf_addf(&parent, "%.*s", slash ? (int)(slash - dest) + 1 : 1,
		     slash ? dest : ".") < 0)
		goto nomem;
	if ((rc = fsync_path(parent.data, &c->err)) < 0)
		goto out;
	if (proved == TB_EREFUSED) {
		fputs(report.data, stdout);
		rc = tb_err(&c->err, TB_EREFUSED,
			    "cadangan %s ditulis tetapi TIDAK utuh (%zu "
			    "masalah): terbit restore akan menolaknya", dest,
			    p.nbad);
		goto out;
	}
	printf("cadangan ditulis: %s (%d dokumen diperiksa, kepala log "
	       "audit %lld:%s)\n"
	       "berisi kunci privat dan kunci segel: simpan serahasia "
	       "keys/\n",
	       dest, p.ndocs, (long long)p.head_id, p.head);
	rc = 0;
	goto out;
nomem:
	rc = tb_err(&c->err, TB_ENOMEM, "memori habis");
out:
	store_close(s);
	if (staged)
		remove_tree(stage.data, 1);
	buf_release(&stage);
	buf_release(&path);
	buf_release(&parent);
	buf_release(&report);
	return rc;
}

/* rename, failing with a message. */
static int move(const char *from, const char *to, struct buf *err)
{
	if (rename(from, to) == 0)
		return 0;
	return tb_err(err, TB_EIO, "tidak dapat memindahkan %s ke %s: %s",
		      from, to, strerror(errno));
}

/*
 * Puts the proven staging directory in place of data's database and
 * keys. What was there is kept beside, named with the staging suffix:
 * keys.sebelum-pulih-XXXXXX, terbit.db.sebelum-pulih-XXXXXX (a hard link,
 * so terbit.db never goes missing) with its -wal when it had one. The
 * database's rename is the last step: until it, the old database is in
 * place.
 */
static int swap_in(const char *data, const char *stage, const char *suffix,
		   struct buf *aside, struct buf *err)
{
	struct buf from = BUF_INIT, to = BUF_INIT;
	int rc = TB_ENOMEM;
	if (buf_addf(&from, "%s/keys", data) < 0 ||
	    buf_addf(&to, "%s/keys.sebelum-pulih-%s", data, suffix) < 0)
		goto out;
	if (is_dir(from.data)) {
		if ((rc = move(from.data, to.data, err)) < 0)
			goto out;
		if (buf_addf(aside, " %s", to.data) < 0)
			goto nomem;
	}
	buf_reset(&to);
	if (buf_addf(&to, "%s/keys", stage) < 0)
		goto nomem;
	if ((rc = move(to.data, from.data, err)) < 0)
		goto out;
	buf_reset(&from);
	buf_reset(&to);
	if (buf_addf(&from, "%s/terbit.db", data) < 0 ||
	    buf_addf(&to, "%s/terbit.db.sebelum-pulih-%s", data, suffix) < 0)
		goto nomem;
	if (link(from.data, to.data) == 0) {
		if (buf_addf(aside, " %s", to.data) < 0)
			goto nomem;
		/* The old database's uncheckpointed commits (a server killed
		 * mid-way) go with it: SQLite would otherwise replay them
		 * into the restored file on the next open. */
		if (buf_adds(&from, "-wal") < 0 || buf_adds(&to, "-wal") < 0)
			goto nomem;
		if (rename(from.data, to.data) != 0 && errno != ENOENT) {
			rc = move(from.data, to.data, err);
			goto out;
		}
		buf_reset(&from);
		if (buf_addf(&from, "%s/terbit.db-shm", data) < 0)
			goto nomem;
		unlink(from.data);
	} else if (errno != ENOENT) {
		rc = tb_err(err, TB_EIO, "tidak dapat menyimpan %s: %s",
			    from.data, strerror(errno));
		goto out;
	}
	buf_reset(&from);
	buf_reset(&to);
	if (buf_addf(&from, "%s/terbit.db", stage) < 0 ||
	    buf_addf(&to, "%s/terbit.db", data) < 0)
		goto nomem;
	if ((rc = move(from.data, to.data, err)) < 0)
		goto out;
	rc = fsync_path(data, err);
	goto out;
nomem:
	rc = tb_err(err, TB_ENOMEM, "memori habis");
out:
	buf_release(&from);
	buf_release(&to);
	return rc;
}

/*
 * terbit restore DIR: proves a copy of the backup, then swaps it in.
 * Nothing in the data directory changes unless the copy is whole and no
 * terbit process (server or command) has the data directory open.
 */
int cli_restore(struct cli *c)
{
	struct buf stage = BUF_INIT, from = BUF_INIT, to = BUF_INIT;
	struct buf report = BUF_INIT, aside = BUF_INIT;
	struct proof p;
	int lock = -1, staged = 0;
	int rc = cli_expect(c, 1, NULL);
	if (rc < 0)
		return rc;
	const char *src = cli_pos(c, 0);
	rc = TB_ENOMEM;
	if (buf_addf(&from, "%s/terbit.db", src) < 0)
		goto nomem;
	struct stat st;
	if (!is_dir(src) || lstat(from.data, &st) != 0 ||
	    !S_ISREG(st.st_mode)) {
		rc = tb_err(&c->err, TB_EINVAL, "%s bukan cadangan terbit "
			    "(direktori berisi terbit.db dan keys/)", src);
		goto out;
	}
	if (mkdir(c->data_dir, 0700) != 0 && errno != EEXIST) {
		rc = tb_err(&c->err, TB_EIO, "tidak dapat membuat %s: %s",
			    c->data_dir, strerror(errno));
		goto out;
	}
	if ((rc = cli_data_lock(c->data_dir, 1, &lock, &c->err)) < 0)
		goto out;
	if ((rc = make_stage(&stage, c->data_dir, "/.pulih-", &c->err)) < 0)
		goto out;
	staged = 1;
	rc = TB_ENOMEM;
	if (buf_addf(&to, "%s/terbit.db", stage.data) < 0)
		goto nomem;
	if ((rc = copy_file(from.data, to.data, &c->err)) < 0)
		goto out;
	buf_reset(&from);
	buf_reset(&to);
	rc = TB_ENOMEM;
	if (buf_addf(&from, "%s/keys", src) < 0 ||
	    buf_addf(&to, "%s/keys", stage.data) < 0)
		goto nomem;
	if ((rc = copy_keys(from.data, to.data, &c->err)) < 0)
		goto out;
	if ((rc = prove(stage.data, &report, &p, &c->err)) < 0) {
		/* The reason is in c->err: taken out first, since the
		 * message that wraps it is written into the same buffer. */
		char *why = buf_detach(&c->err, NULL);
		fputs(report.data, stdout);
		rc = tb_err(&c->err, rc, "cadangan %s ditolak: %s; data %s "
			    "tidak diubah", src, why ? why : "?", c->data_dir);
		free(why);
		goto out;
	}
	const char *suffix = strrchr(stage.data, '-') + 1;
	if ((rc = swap_in(c->data_dir, stage.data, suffix, &aside,
			  &c->err)) < 0)
		goto out;
	printf("dipulihkan dari %s: %d dokumen diperiksa, kepala log audit "
	       "%lld:%s\n"
	       "bandingkan kepala itu dengan laporan bulanan terakhir "
	       "(terbit audit verify --head ID:HASH)\n",
	       src, p.ndocs, (long long)p.head_id, p.head);
	if (aside.len)
		printf("data sebelumnya disimpan di:%s\n", aside.data);
	rc = 0;
	goto out;
nomem:
	rc = tb_err(&c->err, TB_ENOMEM, "memori habis");
out:
	if (staged)
		remove_tree(stage.data, 1);
	if (lock >= 0)
		close(lock);
	buf_release(&stage);
	buf_release(&from);
	buf_release(&to);
	buf_release(&report);
	buf_release(&aside);
	return rc;
}
