#ifndef TERBIT_ACCESSLOG_H
#define TERBIT_ACCESSLOG_H
/*
 * The HTTP access log: one line per completed request, naming the route's
 * pattern, never the path (a path may hold a verification token):
 *
 *   2026-11-23T14:40:03.127Z access client=192.0.2.7 method=GET
 *   route=/v/{token} status=200 bytes=912 ms=0.41[ end=timeout| end=aborted]
 *
 * The client address is there so that a flood or a run of refusals can
 * be traced to its source; the path is not (it may hold a token).
 *
 * Where it goes: "off" (no log), "stderr" or "-" (each line written as it
 * comes: a terminal or journald reader wants it now), or a file path
 * (created 0600, appended to).
 *
 * Buffering, for a file only: each worker thread claims one buffer of
 * ACCESSLOG_BUF bytes on its first line; the buffer is written with one
 * write(2) when the next line would not fit, at least once a second (a
 * flusher thread this module starts), on accesslog_flush and on
 * accesslog_free. A write per request was one syscall in six of a
 * verification. The price: a crash (SIGKILL, power cut) loses up to the
 * last second of lines; a clean stop loses none. The same policy as
 * nginx's "access_log ... buffer=8k flush=1s". A thread that finds every
 * buffer claimed (more threads than were announced) writes its lines
 * directly.
 *
 * Write failures (a full disk) are ignored: the log must not stop the
 * service.
 *
 * Threads: accesslog_request may be called from any number of threads at
 * once, each with its own struct accesslog_thread; accesslog_flush from
 * any thread; accesslog_free once no thread can call accesslog_request
 * any more (after the HTTP workers are joined).
 */
#include <stddef.h>
#include <time.h>

#include "core/buf.h"

#define ACCESSLOG_BUF 8192
#define ACCESSLOG_FLUSH_S 1

struct accesslog;
struct accesslog_buf;

/*
 * One worker thread's state, kept by the caller in storage of that thread
 * (zeroed before its first use, never shared): the buffer it has claimed
 * and the time stamp it last spelled (made once a second, not once a
 * line).
 */
struct accesslog_thread {
	struct accesslog_buf *buf;  /* NULL: write directly */
	int claimed;
	time_t sec;                 /* the second that stamp spells */
	char stamp[20];             /* "2026-11-23T14:40:03" */
};

enum accesslog_end {
	ACCESSLOG_END_OK,           /* the response went out whole */
	ACCESSLOG_END_TIMEOUT,      /* " end=timeout" */
	ACCESSLOG_END_ABORTED,      /* " end=aborted": any other end */
};

/* What one line says about a request. */
struct accesslog_entry {
	const char *client;         /* peer address ("-" when NULL) */
	const char *method;         /* as the client sent it: letters kept */
	const char *route;          /* the route's pattern; NULL: "-" */
	int status;                 /* 0 when no answer was queued */
	size_t bytes;               /* response body bytes */
	double ms;                  /* duration; printed with 2 decimals */
	enum accesslog_end end;
};

/*
 * Opens the log at where (see above) with one buffer per thread for up to
 * threads threads, and starts the flusher when where is a file. *out is
 * NULL for "off"; otherwise the caller's to end with accesslog_free.
 * TB_EIO when the file cannot be opened, TB_ENOMEM; on failure nothing is
 * left open.
 */
int accesslog_new(const char *where, unsigned threads, struct accesslog **out,
		  struct buf *err);

/* Appends the request's line. l NULL: nothing (the log is off). t may be
 * NULL (no per-thread state: the line is written directly). */
void accesslog_request(struct accesslog *l, struct accesslog_thread *t,
		       const struct accesslog_entry *e);

/* Writes out every buffered line now (a drained server's lines are out
 * before anyone looks). NULL ok. */
void accesslog_flush(struct accesslog *l);

/* Stops the flusher, writes the last lines, closes the file, frees l.
 * NULL ok. */
void accesslog_free(struct accesslog *l);

#endif
