#ifndef TERBIT_BUF_H
#define TERBIT_BUF_H
/*
 * struct buf: the one growable byte buffer for every output terbit makes
 * (JSON, HTML, PDF bytes, data to sign, error messages).
 *
 * Invariants, after buf_init and after every call below:
 *   - b->data is never NULL and is always NUL-terminated at b->data[b->len],
 *     so it can be handed to anything that wants a C string;
 *   - b->len <= b->max when b->max is not 0.
 * A buffer fed from the network gets a cap (max): an append that would pass
 * it fails with TB_ETOOBIG and leaves the buffer as it was. A failed append
 * (no memory, over the cap) never leaves a half-written value.
 *
 * Zero-initialised memory is NOT a valid buffer: call buf_init (or use
 * BUF_INIT) first, so that data points at the shared empty string.
 */
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

struct buf {
	char *data;
	size_t len;
	size_t cap; /* bytes allocated, 0 while data is the shared "" */
	size_t max; /* 0: no cap */
};

extern char buf_empty_[1];
#define BUF_INIT { buf_empty_, 0, 0, 0 }

/* Empty buffer with an optional cap (0: none). Allocates nothing. */
void buf_init(struct buf *b, size_t max);
/* Frees what the buffer holds; it is then empty and reusable. */
void buf_release(struct buf *b);
/* Empties the buffer, keeping its memory. */
void buf_reset(struct buf *b);
/* Makes room for at least extra more bytes. 0, TB_ENOMEM or TB_ETOOBIG. */
int buf_grow(struct buf *b, size_t extra);

/* buf_add's way when the bytes do not fit the room there is: grow, then
 * append. */
int buf_add_grow_(struct buf *b, const void *data, size_t n);

/*
 * Appends n bytes (a string, a byte). Inline because output is made of
 * many short appends into room the buffer already has: a verifier page
 * is some 150 of them, and the calls were a fifth of its instructions.
 * Inline, an append of a literal is a store of known size.
 */
static inline int buf_add(struct buf *b, const void *data, size_t n)
{
	/* cap is 0 for the shared "": every first append grows. */
	if (n >= b->cap - b->len || (b->max && n > b->max - b->len))
		return buf_add_grow_(b, data, n);
	if (n)
		memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

static inline int buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

static inline int buf_addc(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}
int buf_addf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int buf_vaddf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Appends n bytes as lower-case hex. */
int buf_addhex(struct buf *b, const void *data, size_t n);
/* Shortens to len (len <= b->len). */
void buf_truncate(struct buf *b, size_t len);
/* Replaces the contents with a formatted string (used for error messages). */
int buf_setf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Hands the bytes to the caller, who frees them with free(); the buffer is
 * left empty. Never returns NULL unless memory runs out (the empty buffer
 * detaches as a fresh "" allocation). *len may be NULL.
 */
char *buf_detach(struct buf *b, size_t *len);

/* Reads a whole file into b (appending). max 0: no limit of its own. */
int buf_read_file(struct buf *b, const char *path, size_t max, struct buf *err);
/* Writes all n bytes to fd, retrying short writes and EINTR. 0, or
 * TB_EIO with errno set by the failing write. */
int buf_write_all(int fd, const void *data, size_t n);
/*
 * Writes data to path atomically (temp file, fsync, rename), with mode
 * exactly (fchmod, not the umask). The temp file is
 * "<path>" BUF_TMP_MARK "<pid>" in the same directory: a process killed
 * between open and rename leaves it behind, complete or not, and the
 * name says whose it was (buf_sweep_stale).
 */
#define BUF_TMP_MARK ".terbit-tmp."
int buf_write_file(const char *path, const void *data, size_t n, int mode,
		   struct buf *err);
/*
 * Removes the temp files of buf_write_file left in the directory of path
 * by processes that no longer run (kill(pid, 0) says ESRCH); a live
 * process's, this one's included, are left alone. Returns how many were
 * removed (0 when the directory cannot be read), or TB_ENOMEM.
 */
int buf_sweep_stale(const char *path);

#endif
