/*
 * The access log's buffers, their flusher and the line itself (contract
 * in accesslog.h).
 */
#include "http/accesslog.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"

struct accesslog_buf {
	pthread_mutex_t lock;
	size_t len;
	char data[ACCESSLOG_BUF];
};

struct accesslog {
	int fd;
	/* File only: one buffer per worker thread, claimed on first use;
	 * the flusher empties them every second. */
	struct accesslog_buf *bufs;
	unsigned nbufs;
	atomic_uint bufs_used;
	pthread_t flusher;
	int flusher_on;
	int flusher_stop;           /* under flush_lock */
	pthread_mutex_t flush_lock;
	pthread_cond_t flush_cond;
};

static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* a full disk must not stop the service */
		p += w;
		n -= (size_t)w;
	}
}

static void flush_locked(struct accesslog *l, struct accesslog_buf *b)
{
	write_all(l->fd, b->data, b->len);
	b->len = 0;
}

void accesslog_flush(struct accesslog *l)
{
	if (!l)
		return;
	for (unsigned i = 0; i < l->nbufs; i++) {
		pthread_mutex_lock(&l->bufs[i].lock);
		flush_locked(l, &l->bufs[i]);
		pthread_mutex_unlock(&l->bufs[i].lock);
	}
}

/* The calling thread's buffer, or NULL (no buffering, or more threads
 * than buffers: then it writes directly). */
static struct accesslog_buf *buf_mine(struct accesslog *l,
				      struct accesslog_thread *t)
{
	if (!l->bufs || !t)
		return NULL;
	if (!t->claimed) {
		unsigned i = atomic_fetch_add(&l->bufs_used, 1);
		t->buf = i < l->nbufs ? &l->bufs[i] : NULL;
		t->claimed = 1;
	}
	return t->buf;
}

static void put_line(struct accesslog *l, struct accesslog_thread *t,
		     const char *line, size_t n)
{
	struct accesslog_buf *b = buf_mine(l, t);
	if (!b) {
		write_all(l->fd, line, n);
		return;
	}
	pthread_mutex_lock(&b->lock);
	if (b->len + n > sizeof b->data)
		flush_locked(l, b);
	memcpy(b->data + b->len, line, n);
	b->len += n;
	pthread_mutex_unlock(&b->lock);
}

static void *flusher(void *arg)
{
	struct accesslog *l = arg;
	pthread_mutex_lock(&l->flush_lock);
	while (!l->flusher_stop) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += ACCESSLOG_FLUSH_S;
		pthread_cond_timedwait(&l->flush_cond, &l->flush_lock, &ts);
		accesslog_flush(l);
	}
	pthread_mutex_unlock(&l->flush_lock);
	return NULL;
}

/* Buffers and their flusher, for an access log going to a file. On
 * failure what was made is left for accesslog_free. */
static int buffers_start(struct accesslog *l, unsigned threads,
			 struct buf *err)
{
	pthread_condattr_t ca;
	l->bufs = calloc(threads, sizeof *l->bufs);
	if (!l->bufs)
		return tb_err(err, TB_ENOMEM, "kehabisan memori");
	l->nbufs = threads;
	for (unsigned i = 0; i < l->nbufs; i++)
		pthread_mutex_init(&l->bufs[i].lock, NULL);
	pthread_mutex_init(&l->flush_lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&l->flush_cond, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&l->flusher, NULL, flusher, l) != 0)
		return tb_err(err, TB_ENOMEM, "tidak dapat memulai thread log");
	l->flusher_on = 1;
	return 0;
}

int accesslog_new(const char *where, unsigned threads, struct accesslog **out,
		  struct buf *err)
{
	struct accesslog *l = NULL;
	int rc = TB_ENOMEM;
	*out = NULL;
	if (strcmp(where, "off") == 0)
		return 0;
	if (!(l = calloc(1, sizeof *l))) {
		rc = tb_err(err, TB_ENOMEM, "kehabisan memori");
		goto out;
	}
	l->fd = -1;
	if (strcmp(where, "stderr") == 0 || strcmp(where, "-") == 0) {
		l->fd = STDERR_FILENO;
		rc = 0;
		goto out;
	}
	l->fd = open(where, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (l->fd < 0) {
		rc = tb_err(err, TB_EIO, "tidak dapat membuka log akses %s: %s",
			    where, strerror(errno));
		goto out;
	}
	rc = buffers_start(l, threads, err);
out:
	if (rc < 0)
		accesslog_free(l);
	else
		*out = l;
	return rc;
}

void accesslog_free(struct accesslog *l)
{
	if (!l)
		return;
	if (l->bufs) {
		if (l->flusher_on) {
			pthread_mutex_lock(&l->flush_lock);
			l->flusher_stop = 1;
			pthread_cond_signal(&l->flush_cond);
			pthread_mutex_unlock(&l->flush_lock);
			pthread_join(l->flusher, NULL);
		}
		accesslog_flush(l);
		for (unsigned i = 0; i < l->nbufs; i++)
			pthread_mutex_destroy(&l->bufs[i].lock);
		pthread_mutex_destroy(&l->flush_lock);
		pthread_cond_destroy(&l->flush_cond);
		free(l->bufs);
	}
	if (l->fd > STDERR_FILENO)
		close(l->fd);
	free(l);
}

/* Appends the string, or as much as fits (the line is cut, never
 * overflows). */
static size_t put(char *line, size_t at, size_t cap, const char *s)
{
	size_t n = strlen(s);
	if (n > cap - at)
		n = cap - at;
	memcpy(line + at, s, n);
	return at + n;
}

static size_t put_uint(char *line, size_t at, size_t cap,
		       unsigned long long v, int min_digits)
{
	char d[24];
	int n = 0;
	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v || n < min_digits);
	while (n && at < cap)
		line[at++] = d[--n];
	return at;
}

/* "YYYY-MM-DDTHH:MM:SS" for sec, made once a second per thread. */
static const char *stamp(struct accesslog_thread *t, time_t sec, char *tmp)
{
	char *out = t ? t->stamp : tmp;
	if (t && t->sec == sec && out[0])
		return out;
	struct tm tm;
	gmtime_r(&sec, &tm);
	strftime(out, 20, "%Y-%m-%dT%H:%M:%S", &tm);
	if (t)
		t->sec = sec;
	return out;
}

/* One line, put together by hand: snprintf with a float and strftime
 * were a tenth of a verification's user time. */
void accesslog_request(struct accesslog *l, struct accesslog_thread *t,
		       const struct accesslog_entry *e)
{
	if (!l)
		return;
	/* The method is client text: keep letters only, so a line cannot be
	 * forged or broken by it. */
	char method[17];
	size_t n = 0;
	for (const char *m = e->method; *m && n < sizeof method - 1; m++)
		if (isalpha((unsigned char)*m))
			method[n++] = *m;
	method[n] = '\0';
	char line[512], tmp[20];
	const size_t cap = sizeof line - 1; /* room for the newline */
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	size_t at = put(line, 0, cap, stamp(t, now.tv_sec, tmp));
	at = put(line, at, cap, ".");
	at = put_uint(line, at, cap, (unsigned long long)now.tv_nsec / 1000000, 3);
	/* The peer address as inet_ntop spelled it: digits, dots and
	 * colons only, so it cannot forge a line either. */
	at = put(line, at, cap, "Z access client=");
	at = put(line, at, cap, e->client && *e->client ? e->client : "-");
	at = put(line, at, cap, " method=");
	at = put(line, at, cap, n ? method : "-");
	at = put(line, at, cap, " route=");
	at = put(line, at, cap, e->route ? e->route : "-");
	at = put(line, at, cap, " status=");
	at = put_uint(line, at, cap, (unsigned)e->status, 1);
	at = put(line, at, cap, " bytes=");
	at = put_uint(line, at, cap, e->bytes, 1);
	/* Milliseconds with two decimals, rounded. */
	unsigned long long hundredths =
		(unsigned long long)(e->ms > 0 ? e->ms * 100.0 + 0.5 : 0);
	at = put(line, at, cap, " ms=");
	at = put_uint(line, at, cap, hundredths / 100, 1);
	at = put(line, at, cap, ".");
	at = put_uint(line, at, cap, hundredths % 100, 2);
	at = put(line, at, cap,
		 e->end == ACCESSLOG_END_OK ? ""
		 : e->end == ACCESSLOG_END_TIMEOUT ? " end=timeout"
						   : " end=aborted");
	line[at++] = '\n';
	put_line(l, t, line, at);
}
