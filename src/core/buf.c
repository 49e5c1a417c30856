#include "core/buf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/err.h"
#include "core/str.h"

char buf_empty_[1];

void buf_init(struct buf *b, size_t max)
{
	b->data = buf_empty_;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void buf_release(struct buf *b)
{
	if (b->cap)
		free(b->data);
	b->data = buf_empty_;
	b->len = 0;
	b->cap = 0;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	/* The shared empty string is already "": writing it from several
	 * threads at once would be a data race. */
	if (b->cap)
		b->data[0] = '\0';
}

int buf_grow(struct buf *b, size_t extra)
{
	if (extra > SIZE_MAX - b->len - 1)
		return TB_ENOMEM;
	size_t need = b->len + extra + 1;
	if (b->max && b->len + extra > b->max)
		return TB_ETOOBIG;
	if (need <= b->cap)
		return 0;
	/* Doubling keeps appends amortised O(1); 64 avoids tiny reallocs. */
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	char *p = b->cap ? realloc(b->data, cap) : malloc(cap);
	if (!p)
		return TB_ENOMEM;
	if (!b->cap)
		p[0] = '\0';
	b->data = p;
	b->cap = cap;
	return 0;
}

int buf_add_grow_(struct buf *b, const void *data, size_t n)
{
	int rc = buf_grow(b, n);
	if (rc)
		return rc;
	if (n)
		memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	/* Try in the room we have first: most formats are short. */
	size_t room = b->cap > b->len ? b->cap - b->len : 0;
	int n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, cp);
	va_end(cp);
	if (n < 0)
		return TB_EINVAL;
	if ((size_t)n < room) {
		if (b->max && b->len + (size_t)n > b->max) {
			b->data[b->len] = '\0';
			return TB_ETOOBIG;
		}
		b->len += (size_t)n;
		return 0;
	}
	int rc = buf_grow(b, (size_t)n);
	if (rc) {
		if (b->cap)
			b->data[b->len] = '\0';
		return rc;
	}
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

int buf_setf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	buf_reset(b);
	va_start(ap, fmt);
	int rc = buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

int buf_addhex(struct buf *b, const void *data, size_t n)
{
	int rc = buf_grow(b, n * 2);
	if (rc)
		return rc;
	/* buf_grow left room for the NUL str_hex writes. */
	str_hex(b->data + b->len, data, n);
	b->len += n * 2;
	return 0;
}

void buf_truncate(struct buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->data[len] = '\0';
	}
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *p = b->cap ? b->data : strdup("");
	if (len)
		*len = b->cap ? b->len : 0;
	b->data = buf_empty_;
	b->len = 0;
	b->cap = 0;
	return p;
}

int buf_read_file(struct buf *b, const char *path, size_t max, struct buf *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return tb_err(err, errno == ENOENT ? TB_ENOTFOUND : TB_EIO,
			      "tidak dapat membuka berkas %s: %s", path,
			      strerror(errno));
	int rc = 0;
	size_t start = b->len;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (max && b->len - start + n > max) {
			rc = tb_err(err, TB_ETOOBIG,
				    "berkas %s lebih besar dari %zu byte", path,
				    max);
			goto out;
		}
		rc = buf_add(b, chunk, n);
		if (rc) {
			tb_err(err, rc, "berkas %s terlalu besar", path);
			goto out;
		}
	}
	if (ferror(f))
		rc = tb_err(err, TB_EIO, "gagal membaca berkas %s", path);
out:
	if (rc)
		buf_truncate(b, start);
	fclose(f);
	return rc;
}

int buf_write_all(int fd, const void *data, size_t n)
{
	const char *p = data;
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return TB_EIO;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int buf_write_file(const char *path, const void *data, size_t n, int mode,
		   struct buf *err)
{
	struct buf tmp = BUF_INIT;
	int fd = -1, rc = TB_EIO;
	if (buf_addf(&tmp, "%s" BUF_TMP_MARK "%ld", path, (long)getpid())) {
		rc = tb_err(err, TB_ENOMEM, "memori habis");
		goto out;
	}
	fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0) {
		tb_err(err, TB_EIO, "tidak dapat menulis %s: %s", path,
		       strerror(errno));
		goto out;
	}
	/* open() honours the umask; keys must end up exactly at mode. */
	if (fchmod(fd, (mode_t)mode) != 0)
		goto fail;
	if (buf_write_all(fd, data, n))
		goto fail;
	if (fsync(fd) != 0 || close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp.data, path) != 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	tb_err(err, TB_EIO, "gagal menulis %s: %s", path, strerror(errno));
	unlink(tmp.data);
out:
	if (fd >= 0) {
		close(fd);
		unlink(tmp.data);
	}
	buf_release(&tmp);
	return rc;
}

/* "NAME.terbit-tmp.PID" -> PID, or 0 when name is not such a file. */
static long tmp_owner(const char *name)
{
	const char *mark = strstr(name, BUF_TMP_MARK);
	if (!mark || mark == name)
		return 0;
	const char *digits = mark + strlen(BUF_TMP_MARK);
	/* The last mark counts ("a.terbit-tmp.1.pdf.terbit-tmp.2"). */
	const char *again;
	while ((again = strstr(digits, BUF_TMP_MARK)))
		digits = again + strlen(BUF_TMP_MARK);
	size_t n = strlen(digits);
	if (n == 0 || n > 9 || strspn(digits, "0123456789") != n)
		return 0;
	return strtol(digits, NULL, 10);
}

int buf_sweep_stale(const char *path)
{
	struct buf dir = BUF_INIT, victim = BUF_INIT;
	const char *slash = strrchr(path, '/');
	int removed = 0;
	DIR *d = NULL;
	if (slash ? buf_add(&dir, path, (size_t)(slash - path + 1))
		  : buf_adds(&dir, "./")) {
		removed = TB_ENOMEM;
		goto out;
	}
	if (!(d = opendir(dir.data)))
		goto out;
	for (struct dirent *e; (e = readdir(d));) {
		long pid = tmp_owner(e->d_name);
		/* A pid that is alive (or that we may not signal, EPERM) is
		 * a writer still at work: only ESRCH means nobody is. */
		if (pid <= 0 || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		buf_reset(&victim);
		if (buf_addf(&victim, "%s%s", dir.data, e->d_name)) {
			removed = TB_ENOMEM;
			goto out;
		}
		if (unlink(victim.data) == 0)
			removed++;
	}
out:
	if (d)
		closedir(d);
	buf_release(&dir);
	buf_release(&victim);
	return removed;
}
