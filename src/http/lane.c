/*
 * The lane: the verifier's public routes on a listener of our own.
 *
 * Why a second HTTP reader beside libmicrohttpd: every scan of a QR code
 * is one GET of a different token, and on that path libmicrohttpd and
 * our wrapper of it (a request context, a response object with a copy of
 * every header, three locks and five clock reads of the deadline
 * watcher) cost about as much CPU as the verification itself. A GET
 * without a body is the simplest request HTTP has; reading that, and
 * the NIK checks' small bodies, with the deadlines kept by the thread
 * that owns the connection, costs a fraction. Everything with a large or
 * multipart body, a cookie or a role stays on libmicrohttpd: the lane
 * answers 404 for it.
 *
 * What it reads: "METHOD SP target SP HTTP/1.x CRLF", header lines, an
 * empty line, all within LANE_HEAD bytes (431 past that); a body only by
 * Content-Length and at most LANE_BODY bytes (411 for Transfer-Encoding,
 * 413 past that or past the row's limit); a Host on 1.1 (400), a target
 * without a raw space or an encoded control byte (400); another method
 * on a lane path is a 405 with the lane's Allow. Requests may be
 * pipelined: they are answered in order, and reading stops while an
 * answer waits for the client to take it.
 *
 * Threads: lane_threads(), each with its own epoll set; the listening
 * socket is in all of them with EPOLLEXCLUSIVE, so a connection wakes
 * one thread, which then owns it for its life (no locks on the path of a
 * request). Each thread checks its connections' deadlines every
 * LANE_TICK_MS: the headers of a request within header_timeout of its
 * first byte (408, then closed), an idle connection closed after
 * timeout, and a client that takes no bytes of an answer for timeout
 * closed. A connection that ends after an answer is shut for writing
 * and drained a moment before it is closed (LANE_LINGER_MS).
 */
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/log.h"
#include "core/str.h"
#include "http/config.h"
#include "core/digest.h"
#include "http/form.h"
#include "http/metrics.h"
#include "http/pool.h"
#include "http/route.h"
#include "http/server_int.h"

/* A request's line and headers: a token route's request is under 300
 * bytes; browsers send 1-2 KiB of headers. */
#define LANE_HEAD 8192
/* The largest body a lane row may take (the NIK's forms take 256 B);
 * http_server_lane refuses a table whose lane rows want more. */
#define LANE_BODY 1024
#define LANE_MAX_HEADERS 32
#define LANE_TICK_MS 250
/* After its last answer a connection that must close still reads, and
 * drops, what the client sends, until the client closes, this long
 * passes or this much has come: closing a socket with unread bytes
 * sends a reset, and a reset can destroy the answer before the client
 * has read it. */
#define LANE_LINGER_MS 2000
#define LANE_LINGER_MAX (1u << 20)
#define LANE_EVENTS 64
/* Pool of a request: the same first chunk as server.c's. */
#define LANE_POOL_CHUNK 960
#define LANE_POOL_MAX (1u << 20)

struct lane_req {
	const char *query;          /* after '?', as sent; NULL: none */
	struct pool *pool;          /* the request's, for decoded values */
	int nh;
	struct {
		const char *name, *value;
	} h[LANE_MAX_HEADERS];
};

/* What parse makes of a head; status 0 when it is a request to route. */
struct head {
	int status;                 /* 400, 431, 505: refused as it stands */
	const char *why;            /* the refusal's English sentence */
	char *method, *target;
	int http10;
	int keep_alive;
	long long clen;             /* Content-Length; -1 absent, -2 malformed */
	int chunked;                /* a Transfer-Encoding: refused (411) */
	int expect;                 /* Expect: 100-continue */
	int bad_target;
	int route_status;           /* 404 or 405 when no lane row matched */
	struct lane_req r;
};

struct lane_conn {
	struct lane_conn *prev, *next;
	int fd;
	int close_after;            /* close once out is sent */
	int lingering;              /* answered, shut for writing, draining */
	size_t drained;             /* bytes dropped while lingering */
	int64_t since_ms;           /* idle since, or a request's first byte */
	int64_t sent_ms;            /* last progress sending out */
	size_t in_len;
	size_t out_off;
	struct buf out;
	size_t head_len;            /* 0: no whole head in yet */
	int continued;              /* its 100 Continue went out */
	struct head h;              /* the head while its body arrives */
	char client[INET6_ADDRSTRLEN];
	char in[LANE_HEAD + LANE_BODY + 1];
};

/* Open connections of one address, for max_per_ip. */
struct per_ip {
	struct per_ip *next;
	unsigned n;
	char client[INET6_ADDRSTRLEN];
};
#define PER_IP_BUCKETS 256

struct lane_thread {
	struct http_server *srv;
	struct lane *lane;
	pthread_t th;
	int started;
	int ep;
	struct lane_conn list;      /* sentinel of a circular list */
	time_t date_sec;
	char date[40];              /* "Date: ...\r\n" of date_sec */
	/* The monotonic clock as the last epoll_wait returned: deadlines
	 * are in seconds, so one reading a wake-up serves every
	 * connection's stamps (a reading each was 1.5% of the CPU). */
	int64_t now;
};

struct lane {
	int fd;
	int stop_fd;                /* eventfd: wakes every thread to end */
	unsigned port;
	unsigned nthreads;
	unsigned per_ip_max;
	struct route *routes;       /* the table's ROUTE_LANE rows, in order */
	size_t nroutes;
	atomic_int conns;
	pthread_mutex_t ip_mu;
	struct per_ip *ip[PER_IP_BUCKETS];
	struct lane_thread *t;
};

/* ---- what a handler reads ---------------------------------------- */

const char *lane_header(const void *lr, const char *name)
{
	const struct lane_req *r = lr;
	for (int i = 0; i < r->nh; i++)
		if (strcasecmp(r->h[i].name, name) == 0)
			return r->h[i].value;
	return NULL;
}

/* s[0..n) decoded (http_url_unescape) into the pool; NULL without
 * memory. */
static char *form_decode(struct pool *pool, const char *s, size_t n)
{
	struct buf b = BUF_INIT;
	char *out = http_url_unescape(&b, s, n) == 0
			    ? pool_strndup(pool, b.data, b.len)
			    : NULL;
	buf_release(&b);
	return out;
}

/* The first value of name in the query string, decoded, as
 * libmicrohttpd's lookup gives it. */
const char *lane_query(const void *lr, const char *name)
{
	const struct lane_req *r = lr;
	for (const char *p = r->query; p && *p;) {
		size_t len = strcspn(p, "&"), kl = strcspn(p, "=&");
		char *key = form_decode(r->pool, p, kl);
		if (key && !strcmp(key, name))
			return kl < len ? form_decode(r->pool, p + kl + 1, len - kl - 1)
					: "";
		p += len + (p[len] == '&');
	}
	return NULL;
}

/* ---- reading a request ------------------------------------------- */

static int tchar(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* The path, percent-decoded in place (a target with an encoded control
 * byte was refused before: http_target_refused). A token's path has no
 * '%': nothing is moved. */
static void decode_path(char *p)
{
	if (!(p = strchr(p, '%')))
		return;
	char *w = p;
	for (; *p; p++) {
		int hi, lo;
		if (*p == '%' && (hi = str_hexval(p[1])) >= 0 && (lo = str_hexval(p[2])) >= 0) {
			*w++ = (char)(hi * 16 + lo);
			p += 2;
		} else {
			*w++ = *p;
		}
	}
	*w = '\0';
}

/* 1 when s holds a byte up to 0x20 (a control or a space) or 0x7f.
 * Eight bytes at a time, by the exact tests of whether a word holds a
 * byte below n (n <= 0x80) or a zero byte: a token's target is some 170
 * bytes every request. */
static int has_ctl(const char *s)
{
	const uint64_t ones = 0x0101010101010101ull, high = ones * 0x80;
	size_t n = strlen(s), i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w, del;
		memcpy(&w, s + i, 8);
		del = w ^ (ones * 0x7f);
		if (((w - ones * 0x21) & ~w & high) | ((del - ones) & ~del & high))
			return 1;
	}
	for (; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f)
			return 1;
	return 0;
}

static void refuse(struct head *h, int status, const char *why)
{
	if (!h->status) {
		h->status = status;
		h->why = why;
	}
}

static long long parse_length(const char *v)
{
	long long n = 0;
	if (!*v)
		return -2;
	for (; *v; v++) {
		if (*v < '0' || *v > '9' || n > (1LL << 40))
			return -2;
		n = n * 10 + (*v - '0');
	}
	return n;
}

/* One header line (NUL-terminated, without its CRLF). */
static void header_line(struct head *h, char *line)
{
	if (*line == ' ' || *line == '\t')
		return refuse(h, 400, "Header lines may not be folded.");
	char *colon = strchr(line, ':');
	if (!colon || colon == line)
		return refuse(h, 400, "A header line is malformed.");
	for (char *p = line; p < colon; p++)
		if (!tchar((unsigned char)*p))
			return refuse(h, 400, "A header name is malformed.");
	*colon = '\0';
	char *v = colon + 1, *end = v + strlen(v);
	while (*v == ' ' || *v == '\t')
		v++;
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	for (char *p = v; *p; p++)
		if ((unsigned char)*p < 0x20 && *p != '\t')
			return refuse(h, 400, "A header value holds a control character.");
	if (h->r.nh == LANE_MAX_HEADERS)
		return refuse(h, 431, "Too many header lines.");
	h->r.h[h->r.nh].name = line;
	h->r.h[h->r.nh].value = v;
	h->r.nh++;
	if (!strcasecmp(line, "Content-Length")) {
		long long n = parse_length(v);
		/* Two different lengths: no one can tell where the body ends. */
		h->clen = h->clen >= 0 && n != h->clen ? -2 : n;
	} else if (!strcasecmp(line, "Transfer-Encoding")) {
		h->chunked = 1;
	} else if (!strcasecmp(line, "Connection")) {
		h->keep_alive = strcasestr(v, "close")        ? 0
				: strcasestr(v, "keep-alive") ? 1
							       : h->keep_alive;
	} else if (!strcasecmp(line, "Expect")) {
		h->expect = !strcasecmp(v, "100-continue");
	}
}

/* The request line and the headers of head (its CRLF CRLF cut off),
 * split in place. */
static void parse(struct head *h, char *head)
{
	memset(h, 0, sizeof *h);
	h->clen = -1;
	char *line = head, *next = strstr(line, "\r\n");
	if (next)
		*next = '\0';
	char *sp1 = strchr(line, ' '), *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
	if (!sp1 || !sp2 || strchr(sp2 + 1, ' ') || sp1 == line)
		return refuse(h, 400, "The request line is malformed.");
	*sp1 = *sp2 = '\0';
	h->method = line;
	h->target = sp1 + 1;
	const char *ver = sp2 + 1;
	for (char *p = h->method; *p; p++)
		if (!tchar((unsigned char)*p))
			return refuse(h, 400, "The request line is malformed.");
	if (strncmp(ver, "HTTP/1.", 7) || ver[7] < '0' || ver[7] > '9' || ver[8])
		return refuse(h, 505, "Only HTTP/1.0 and HTTP/1.1 are served.");
	h->http10 = ver[7] == '0';
	h->keep_alive = !h->http10;
	while (next) {
		line = next + 2;
		next = strstr(line, "\r\n");
		if (next)
			*next = '\0';
		header_line(h, line);
	}
	/* Raw controls here; encoded ones, in the path or the query, by the
	 * main listener's own test. */
	h->bad_target = has_ctl(h->target) || http_target_refused(h->target);
	char *q = strchr(h->target, '?');
	if (q) {
		*q = '\0';
		h->r.query = q + 1;
	}
	if (!h->bad_target)
		decode_path(h->target);
	if (!h->http10 && !lane_header(&h->r, "Host"))
		refuse(h, 400, HTTP_MSG_NO_HOST);
}

/* The bytes of body to wait for after the head: none when the request
 * will be refused without its body (then the connection closes). */
static size_t body_wanted(const struct head *h)
{
	return !h->status && !h->chunked && h->clen > 0 && h->clen <= LANE_BODY
		       ? (size_t)h->clen
		       : 0;
}

/* ---- answering ----------------------------------------------------- */

static int add_header(struct buf *b, const char *name, const char *value)
{
	int rc = buf_adds(b, name);
	if (rc == 0)
		rc = buf_add(b, ": ", 2);
	if (rc == 0)
		rc = buf_adds(b, value);
	if (rc == 0)
		rc = buf_add(b, "\r\n", 2);
	return rc;
}

/* "Date: <IMF-fixdate>\r\n", spelled once a second per thread. */
static const char *date_line(struct lane_thread *t)
{
	time_t now = time(NULL);
	if (now != t->date_sec) {
		struct tm tm;
		gmtime_r(&now, &tm);
		strftime(t->date, sizeof t->date,
			 "Date: %a, %d %b %Y %H:%M:%S GMT\r\n", &tm);
		t->date_sec = now;
	}
	return t->date;
}

/* The status line, the headers server.c's queue() sends, and the body
 * (none for HEAD or a 304), appended to c->out. */
static int write_answer(struct lane_thread *t, struct lane_conn *c,
			const struct http_response *res, int head_only)
{
	const char *phrase = MHD_get_reason_phrase_for((unsigned)res->status);
	struct buf *b = &c->out;
	int has_cache = 0, rc = buf_add(b, "HTTP/1.1 ", 9);
	if (rc == 0)
		rc = fmt_dec(b, res->status, 1);
	if (rc == 0)
		rc = buf_add(b, " ", 1);
	if (rc == 0)
		rc = buf_adds(b, phrase ? phrase : "");
	if (rc == 0)
		rc = buf_add(b, "\r\n", 2);
	if (rc == 0)
		rc = buf_adds(b, date_line(t));
	if (rc == 0)
		rc = add_header(b, "Content-Type", res->content_type
						 ? res->content_type
						 : "application/json");
	if (rc == 0)
		rc = add_header(b, "X-Content-Type-Options", "nosniff");
	for (int i = 0; rc == 0 && i < res->nheaders; i++) {
		rc = add_header(b, res->headers[i].name, res->headers[i].value);
		has_cache |= !strcasecmp(res->headers[i].name, "Cache-Control");
	}
	if (rc == 0 && !has_cache)
		rc = add_header(b, "Cache-Control", "no-store");
	if (rc == 0 && c->close_after)
		rc = add_header(b, "Connection", "close");
	/* An HTTP/1.0 client keeps the connection only when told so. */
	else if (rc == 0 && c->h.http10 && c->head_len)
		rc = add_header(b, "Connection", "keep-alive");
	int bodiless = res->status == 304;
	if (rc == 0 && !bodiless) {
		rc = buf_add(b, "Content-Length: ", 16);
		if (rc == 0)
			rc = fmt_dec(b, (int64_t)res->body.len, 1);
		if (rc == 0)
			rc = buf_add(b, "\r\n", 2);
	}
	if (rc == 0)
		rc = buf_add(b, "\r\n", 2);
	if (rc == 0 && !head_only && !bodiless)
		rc = buf_add(b, res->body.data, res->body.len);
	return rc;
}

/* The lane's row for h, or NULL with h->route_status 404 or 405 (and the
 * 405's Allow in res). Only the lane's rows are looked at: another row
 * at the path is no route of this listener. */
static const struct route *route_of(const struct lane *l,
				    struct http_request *req,
				    struct http_response *res, struct head *h)
{
	int status = 404;
	struct buf allow = BUF_INIT;
	const struct route *r = route_find(l->routes, l->nroutes, h->method,
					   h->target, &req->params, &status,
					   &allow);
	char *v = !r && status == 405 ? pool_strdup(req->pool, allow.data) : NULL;
	if (v)
		http_res_header(res, "Allow", v);
	buf_release(&allow);
	if (!r)
		h->route_status = v ? 405 : 404;
	return r;
}

static int refusal(struct http_request *req, struct http_response *res,
		   int status, int code, const char *message)
{
	return http_error_body(req, res, status, code,
			       message ? message : http_error_message(code), NULL);
}

/* The body into req: a form parsed (form.h), anything else as bytes.
 * 0, or the refusal already in res. */
static int take_body(struct http_request *req, struct http_response *res,
		     const struct head *h, const char *body)
{
	const char *ct = lane_header(&h->r, "Content-Type");
	size_t n = (size_t)h->clen, max = req->route->body_max;
	if (!route_type_ok(req->route, ct))
		return refusal(req, res, 0, TB_EMEDIA, NULL), -1;
	if (max == 0 || n > max)
		return refusal(req, res, 0, TB_ETOOBIG, NULL), -1;
	if (http_form_is(ct)) {
		int rc = http_form_urlencoded(ct, body, n, max, &req->form);
		if (rc < 0)
			return refusal(req, res, 0, rc,
				       rc == TB_EMEDIA ? NULL
						       : HTTP_MSG_BAD_FORM), -1;
		return 0;
	}
	req->body.max = max;
	if (buf_add(&req->body, body, n) < 0)
		return refusal(req, res, 0, TB_ENOMEM, NULL), -1;
	return 0;
}

/* The checks of server.h's "life of a request", in its order, then the
 * handler: res holds the answer. */
static void run(const struct lane *l, struct http_server *srv,
		struct http_request *req, struct http_response *res,
		struct buf *err, struct head *h, const char *body)
{
	unsigned retry;
	int refused = h->status;
	if (!refused && h->target[0] == '/' && !h->bad_target)
		req->route = route_of(l, req, res, h);
	if (!http_rate_ok(srv, req->route, req->client, &retry)) {
		char *v = pool_alloc(req->pool, 16);
		if (v) {
			snprintf(v, 16, "%u", retry);
			http_res_header(res, "Retry-After", v);
		}
		refusal(req, res, 0, TB_ERATE, NULL);
		return;
	}
	if (refused) {
		refusal(req, res, refused, TB_EINVAL, h->why);
		return;
	}
	if (h->bad_target || h->target[0] != '/') {
		refusal(req, res, 400, TB_EINVAL,
			h->bad_target ? HTTP_MSG_BAD_TARGET : HTTP_MSG_NOT_PATH);
		return;
	}
	if (!req->route) {
		if (h->route_status == 405)
			refusal(req, res, 405, TB_EMETHOD,
				HTTP_MSG_METHOD);
		else
			refusal(req, res, 0, TB_ENOTFOUND,
				"No route for this path on this listener.");
		return;
	}
	if (h->clen == -2) {
		refusal(req, res, 0, TB_EINVAL, HTTP_MSG_BAD_LENGTH);
		return;
	}
	if (h->chunked) {
		refusal(req, res, 411, TB_EINVAL,
			"A body must come with a Content-Length here.");
		return;
	}
	if (h->clen > 0 && !body) {
		refusal(req, res, 0, TB_ETOOBIG, NULL);
		return;
	}
	if (h->clen > 0 && take_body(req, res, h, body) < 0)
		return;
	int rc = req->route->handler(req, res, err);
	if (rc < 0) {
		/* As server.c: only a server fault's text is logged. */
		if (err_http_status(rc) >= 500)
			log_error("%s %s: %s", req->route->method,
				  req->route->pattern, err->data);
		http_error_body(req, res, 0, rc, http_error_message(rc),
				err->data);
	}
}

/* One access-log line and one metrics sample for a finished request. */
static void record(struct http_server *srv, const struct http_request *req,
		   int status, size_t bytes, double s)
{
	metrics_request(req->route ? req->route->pattern : NULL, req->method,
			status, s);
	if (!srv->log)
		return;
	struct tls_store *ts = http_tls(srv);
	struct accesslog_entry e = {
		.client = req->client, .method = req->method,
		.route = req->route ? req->route->pattern : NULL,
		.status = status, .bytes = bytes, .ms = s * 1000.0,
		.end = status ? ACCESSLOG_END_OK : ACCESSLOG_END_ABORTED,
	};
	accesslog_request(srv->log, ts ? &ts->log : NULL, &e);
}

/* Answers the request whose head is c->h and whose body (NULL: not
 * read) is body; 0, or -1 when the connection must close now. */
static int answer(struct lane_thread *t, struct lane_conn *c,
		  const char *body)
{
	struct http_server *srv = t->srv;
	struct head *h = &c->h;
	struct timespec start, end;
	clock_gettime(CLOCK_MONOTONIC, &start);
	struct http_request req = { 0 };
	struct http_response res = { .status = 200 };
	struct buf err = BUF_INIT;
	req.method = h->method ? h->method : "-";
	req.path = h->target ? h->target : "";
	req.srv = srv;
	req.client = c->client;
	req.lane_ = &h->r;
	buf_init(&req.body, 0);
	buf_init(&res.body, 0);
	if (!(req.pool = pool_new(LANE_POOL_CHUNK, LANE_POOL_MAX)))
		return -1;
	h->r.pool = req.pool;
	atomic_fetch_add(&srv->inflight, 1);
	run(t->lane, srv, &req, &res, &err, h, body);
	/* A body left unread, or a head that could not be read, leaves
	 * nothing after it that can be told apart: the answer ends the
	 * connection. */
	c->close_after = !h->keep_alive || h->status || h->chunked ||
			 h->clen == -2 || (h->clen > 0 && !body) ||
			 atomic_load(&srv->draining);
	int head_only = h->method && !strcmp(h->method, "HEAD");
	int rc = write_answer(t, c, &res, head_only);
	clock_gettime(CLOCK_MONOTONIC, &end);
	record(srv, &req, rc == 0 ? res.status : 0, res.body.len,
	       (double)(end.tv_sec - start.tv_sec) +
		       (double)(end.tv_nsec - start.tv_nsec) / 1e9);
	http_form_free(req.form);
	pool_free(req.pool);
	buf_release(&req.body);
	buf_release(&res.body);
	buf_release(&err);
	atomic_fetch_sub(&srv->inflight, 1);
	return rc == 0 ? 0 : -1;
}

/* A refusal written without a request (431 for a head that does not
 * fit, 408 for one that did not come in time), logged; the connection
 * closes after it. */
static int refuse_raw(struct lane_thread *t, struct lane_conn *c, int status,
		      const char *message, double ms)
{
	struct http_response res = { .status = status };
	buf_init(&res.body, 0);
	c->close_after = 1;
	int rc = http_error_body(NULL, &res, status, TB_EINVAL, message, NULL);
	if (rc == 0)
		rc = write_answer(t, c, &res, 0);
	struct tls_store *ts = http_tls(t->srv);
	struct accesslog_entry e = {
		.client = c->client, .method = "-", .status = status,
		.bytes = res.body.len, .ms = ms,
		.end = status == 408 ? ACCESSLOG_END_TIMEOUT : ACCESSLOG_END_OK,
	};
	accesslog_request(t->srv->log, ts ? &ts->log : NULL, &e);
	metrics_request(NULL, "-", status, ms / 1000.0);
	buf_release(&res.body);
	return rc;
}

/* ---- connections --------------------------------------------------- */

static unsigned ip_bucket(const char *client)
{
	return (unsigned)(digest_hash64(client, strlen(client)) % PER_IP_BUCKETS);
}

/* Counts one more connection from client; 0 when it is over max_per_ip. */
static int ip_take(struct lane *l, const char *client)
{
	struct per_ip **pp = &l->ip[ip_bucket(client)], *e;
	int ok = 1;
	pthread_mutex_lock(&l->ip_mu);
	for (e = *pp; e && strcmp(e->client, client); e = e->next)
		;
	if (!e && (e = calloc(1, sizeof *e))) {
		snprintf(e->client, sizeof e->client, "%s", client);
		e->next = *pp;
		*pp = e;
	}
	if (!e || e->n >= l->per_ip_max)
		ok = 0;
	else
		e->n++;
	pthread_mutex_unlock(&l->ip_mu);
	return ok;
}

static void ip_give(struct lane *l, const char *client)
{
	struct per_ip **pp = &l->ip[ip_bucket(client)];
	pthread_mutex_lock(&l->ip_mu);
	for (; *pp; pp = &(*pp)->next) {
		struct per_ip *e = *pp;
		if (strcmp(e->client, client))
			continue;
		if (--e->n == 0) {
			*pp = e->next;
			free(e);
		}
		break;
	}
	pthread_mutex_unlock(&l->ip_mu);
}

static void conn_close(struct lane_thread *t, struct lane_conn *c)
{
	epoll_ctl(t->ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->prev->next = c->next;
	c->next->prev = c->prev;
	ip_give(t->lane, c->client);
	buf_release(&c->out);
	free(c);
	atomic_fetch_sub(&t->lane->conns, 1);
	/* This thread's snapshot ends with its connection, as server.c's
	 * does when libmicrohttpd closes one. */
	http_tls_release(t->srv);
}

/* Sends what c->out holds; 1 when all of it went, 0 when the socket is
 * full (wait for EPOLLOUT), -1 when the connection is gone. */
static int flush(struct lane_thread *t, struct lane_conn *c)
{
	while (c->out_off < c->out.len) {
		ssize_t k = send(c->fd, c->out.data + c->out_off,
				 c->out.len - c->out_off, MSG_NOSIGNAL);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (k <= 0)
			return -1;
		c->out_off += (size_t)k;
		c->sent_ms = t->now;
	}
	buf_reset(&c->out);
	c->out_off = 0;
	return 1;
}

static void watch_for(struct lane_thread *t, struct lane_conn *c, uint32_t ev)
{
	struct epoll_event e = { .events = ev, .data.ptr = c };
	epoll_ctl(t->ep, EPOLL_CTL_MOD, c->fd, &e);
}

/* The head at c->in when a whole one is there: parsed into c->h, 1; 0
 * when more must come; -1 when the connection must close (a NUL in a
 * head; a 431 is then in c->out). */
static int take_head(struct lane_thread *t, struct lane_conn *c)
{
	c->in[c->in_len] = '\0';
	char *end = strstr(c->in, "\r\n\r\n");
	size_t len = end ? (size_t)(end + 4 - c->in) : c->in_len;
	if (len > LANE_HEAD || (!end && c->in_len >= LANE_HEAD))
		return refuse_raw(t, c, 431, "The request's headers are too large.",
				  0), -1;
	/* strstr stops at a NUL: a head with one is no request. */
	if (!end && memchr(c->in, '\0', c->in_len))
		return refuse_raw(t, c, 400, "The request holds a NUL byte.", 0),
		       -1;
	if (!end)
		return 0;
	*end = '\0';
	parse(&c->h, c->in);
	c->head_len = len;
	c->continued = 0;
	return 1;
}

/* Answers every whole request in c->in, in order. 0, or -1: close now. */
static int serve_buffered(struct lane_thread *t, struct lane_conn *c)
{
	while (!c->close_after && c->in_len) {
		if (!c->head_len) {
			int rc = take_head(t, c);
			if (rc <= 0)
				return rc < 0 && !c->out.len ? -1 : 0;
		}
		size_t want = body_wanted(&c->h);
		if (c->in_len < c->head_len + want) {
			/* A client that waits to be asked for its body. */
			if (c->h.expect && !c->continued) {
				c->continued = 1;
				if (buf_adds(&c->out, "HTTP/1.1 100 Continue\r\n\r\n") < 0)
					return -1;
			}
			return 0;
		}
		if (answer(t, c, want ? c->in + c->head_len : NULL) < 0)
			return -1;
		size_t used = c->head_len + want;
		memmove(c->in, c->in + used, c->in_len - used);
		c->in_len -= used;
		c->head_len = 0;
		c->since_ms = t->now;
	}
	return 0;
}

/* Readable, or writable again after a full socket. */
/* The last answer is out: no more writing, the rest read and dropped
 * (LANE_LINGER_MS) before the close. */
static void linger(struct lane_thread *t, struct lane_conn *c)
{
	shutdown(c->fd, SHUT_WR);
	c->lingering = 1;
	c->since_ms = t->now;
	watch_for(t, c, EPOLLIN | EPOLLRDHUP);
}

static void drain(struct lane_thread *t, struct lane_conn *c)
{
	ssize_t k = recv(c->fd, c->in, sizeof c->in, 0);
	if (k < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (k <= 0 || (c->drained += (size_t)k) > LANE_LINGER_MAX)
		conn_close(t, c);
}

static void conn_event(struct lane_thread *t, struct lane_conn *c, uint32_t ev)
{
	if (c->lingering)
		return drain(t, c);
	if (ev & EPOLLOUT) {
		int f = flush(t, c);
		if (f < 0)
			return conn_close(t, c);
		if (f > 0 && c->close_after)
			return linger(t, c);
		if (f == 0)
			return;
		watch_for(t, c, EPOLLIN | EPOLLRDHUP);
	} else {
		size_t room = sizeof c->in - 1 - c->in_len;
		ssize_t k = room ? recv(c->fd, c->in + c->in_len, room, 0) : 0;
		if (k < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (k <= 0)
			return conn_close(t, c);
		if (c->in_len == 0)
			c->since_ms = t->now;
		c->in_len += (size_t)k;
	}
	int rc = serve_buffered(t, c);
	int f = flush(t, c);
	if (rc < 0 || f < 0)
		return conn_close(t, c);
	if (f > 0 && c->close_after)
		return linger(t, c);
	if (f == 0)
		/* Reading stops until the client takes its answers. */
		watch_for(t, c, EPOLLOUT);
}

/* A new connection on t, or closed at once when a limit is reached. */
static void adopt(struct lane_thread *t, int fd,
		  const struct sockaddr_storage *ss)
{
	struct lane *l = t->lane;
	char client[INET6_ADDRSTRLEN];
	http_addr_name((const struct sockaddr *)ss, client, sizeof client);
	if (atomic_fetch_add(&l->conns, 1) >= (int)t->srv->cfg->max_connections) {
		atomic_fetch_sub(&l->conns, 1);
		close(fd);
		return;
	}
	if (!ip_take(l, client)) {
		atomic_fetch_sub(&l->conns, 1);
		close(fd);
		return;
	}
	struct lane_conn *c = calloc(1, sizeof *c);
	if (!c) {
		ip_give(l, client);
		atomic_fetch_sub(&l->conns, 1);
		close(fd);
		return;
	}
	c->fd = fd;
	c->since_ms = c->sent_ms = t->now;
	buf_init(&c->out, 0);
	memcpy(c->client, client, sizeof client);
	c->next = t->list.next;
	c->prev = &t->list;
	c->next->prev = c;
	t->list.next = c;
	struct epoll_event e = { .events = EPOLLIN | EPOLLRDHUP, .data.ptr = c };
	if (epoll_ctl(t->ep, EPOLL_CTL_ADD, fd, &e) < 0)
		conn_close(t, c);
}

static void accept_all(struct lane_thread *t)
{
	for (;;) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof ss;
		int fd = accept4(t->lane->fd, (struct sockaddr *)&ss, &sl,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0) {
			adopt(t, fd, &ss);
			continue;
		}
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		/* Shut by a drain: this thread stops listening. Out of
		 * descriptors or memory: the next wake-up tries again. */
		if (errno == EINVAL)
			epoll_ctl(t->ep, EPOLL_CTL_DEL, t->lane->fd, NULL);
		return;
	}
}

/* Deadlines: a head begun and not whole within header_timeout gets its
 * 408; an idle connection past timeout, or one whose client has taken
 * nothing of its answer for that long, is closed. */
static void sweep(struct lane_thread *t, int64_t now)
{
	const struct config *cfg = t->srv->cfg;
	for (struct lane_conn *c = t->list.next, *next; c != &t->list; c = next) {
		next = c->next;
		int64_t idle = (int64_t)cfg->timeout * 1000;
		if (c->lingering) {
			if (now - c->since_ms > LANE_LINGER_MS)
				conn_close(t, c);
			continue;
		}
		int late = c->out.len ? now - c->sent_ms > idle
			   : c->in_len ? now - c->since_ms >
					 (int64_t)cfg->header_timeout * 1000
				       : now - c->since_ms > idle;
		if (!late)
			continue;
		if (!c->out.len && c->in_len &&
		    refuse_raw(t, c, 408, "The request did not arrive within "
				     "the server's deadline.",
			       (double)(now - c->since_ms)) == 0 &&
		    flush(t, c) > 0)
			linger(t, c);
		else
			conn_close(t, c);
	}
}

static void *lane_main(void *arg)
{
	struct lane_thread *t = arg;
	struct epoll_event ev[LANE_EVENTS];
	int64_t next_sweep = clock_mono_ms() + LANE_TICK_MS;
	for (;;) {
		int n = epoll_wait(t->ep, ev, LANE_EVENTS, LANE_TICK_MS);
		t->now = clock_mono_ms();
		for (int i = 0; i < n; i++) {
			void *p = ev[i].data.ptr;
			if (p == &t->lane->stop_fd)
				goto out;
			if (p == t->lane)
				accept_all(t);
			else
				conn_event(t, p, ev[i].events);
		}
		if (t->now >= next_sweep) {
			sweep(t, t->now);
			next_sweep = t->now + LANE_TICK_MS;
		}
	}
out:
	while (t->list.next != &t->list)
		conn_close(t, t->list.next);
	return NULL;
}

/* ---- start, drain, stop ----------------------------------------- */

/* The rows the lane serves: the table's ROUTE_LANE rows, each public,
 * with no browser session, a body it can hold, and a form only as
 * urlencoded. A row that is not is a mistake in the table, refused at
 * start rather than served wrong. */
static int lane_rows(struct lane *l, const struct http_server *srv,
		     struct buf *err)
{
	if (!(l->routes = calloc(srv->nroutes ? srv->nroutes : 1, sizeof *l->routes)))
		return tb_err(err, TB_ENOMEM, "kehabisan memori");
	for (size_t i = 0; i < srv->nroutes; i++) {
		const struct route *r = &srv->routes[i];
		if (!(r->flags & ROUTE_LANE))
			continue;
		if (r->roles || (r->flags & ROUTE_WEB) || r->body_max > LANE_BODY ||
		    (r->types && strstr(r->types, "multipart/")))
			return tb_err(err, TB_EINTERNAL,
				      "rute %s %s tidak dapat dilayani jalur "
				      "verifikasi", r->method, r->pattern);
		l->routes[l->nroutes++] = *r;
	}
	return 0;
}

static int listen_on(const char *addr, struct lane *l, struct buf *err)
{
	struct sockaddr_storage ss;
	int rc = http_parse_listen(addr, &ss, err);
	if (rc < 0)
		return rc;
	socklen_t len = ss.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
						 : sizeof(struct sockaddr_in);
	int one = 1;
	l->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (l->fd < 0 ||
	    setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    bind(l->fd, (struct sockaddr *)&ss, len) < 0 || listen(l->fd, 1024) < 0)
		return tb_err(err, TB_EIO, "tidak dapat mendengarkan di %s: %s",
			      addr, strerror(errno));
	if (getsockname(l->fd, (struct sockaddr *)&ss, &len) == 0)
		l->port = ntohs(ss.ss_family == AF_INET6
					? ((struct sockaddr_in6 *)&ss)->sin6_port
					: ((struct sockaddr_in *)&ss)->sin_port);
	return 0;
}

static int thread_start(struct lane *l, struct lane_thread *t,
			struct http_server *srv)
{
	t->srv = srv;
	t->lane = l;
	t->list.next = t->list.prev = &t->list;
	if ((t->ep = epoll_create1(EPOLL_CLOEXEC)) < 0)
		return -1;
	/* EXCLUSIVE: a connection wakes one thread, not all of them. */
	struct epoll_event lev = { .events = EPOLLIN | EPOLLEXCLUSIVE, .data.ptr = l };
	struct epoll_event sev = { .events = EPOLLIN, .data.ptr = &l->stop_fd };
	if (epoll_ctl(t->ep, EPOLL_CTL_ADD, l->fd, &lev) < 0 ||
	    epoll_ctl(t->ep, EPOLL_CTL_ADD, l->stop_fd, &sev) < 0 ||
	    pthread_create(&t->th, NULL, lane_main, t) != 0)
		return -1;
	t->started = 1;
	return 0;
}

unsigned lane_threads(const struct config *cfg)
{
	if (cfg->verify_threads)
		return cfg->verify_threads;
	/* A thread here never waits on anything but its sockets, so one
	 * per CPU keeps every CPU busy; more only took turns on them (4 on
	 * 2 CPUs: a tenth of the CPU in switching between them, and p99
	 * 3-4 ms against 1 ms with 2). */
	cpu_set_t set;
	long n = sched_getaffinity(0, sizeof set, &set) == 0
			 ? CPU_COUNT(&set)
			 : sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 256 ? 256 : (unsigned)n;
}

int http_server_lane(struct http_server *srv, const char *listen,
		     struct buf *err)
{
	if (srv->lane)
		return tb_err(err, TB_EINVAL, "jalur verifikasi sudah berjalan");
	struct lane *l = calloc(1, sizeof *l);
	if (!l)
		return tb_err(err, TB_ENOMEM, "kehabisan memori");
	l->fd = l->stop_fd = -1;
	l->nthreads = lane_threads(srv->cfg);
	/* The main listener's rule (http_server_start checked the values). */
	const struct config *cfg = srv->cfg;
	l->per_ip_max = cfg->max_per_ip ? cfg->max_per_ip
			: cfg->max_connections >= 8 ? cfg->max_connections / 8
						    : 1;
	pthread_mutex_init(&l->ip_mu, NULL);
	int rc = lane_rows(l, srv, err);
	if (rc == 0)
		rc = listen_on(listen, l, err);
	if (rc == 0 && (l->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0)
		rc = tb_err(err, TB_EIO, "eventfd: %s", strerror(errno));
	if (rc == 0 && !(l->t = calloc(l->nthreads, sizeof *l->t)))
		rc = tb_err(err, TB_ENOMEM, "kehabisan memori");
	for (unsigned i = 0; l->t && i < l->nthreads; i++)
		l->t[i].ep = -1;
	for (unsigned i = 0; rc == 0 && i < l->nthreads; i++)
		if (thread_start(l, &l->t[i], srv) < 0)
			rc = tb_err(err, TB_EIO, "tidak dapat memulai thread jalur "
				    "verifikasi: %s", strerror(errno));
	if (rc < 0) {
		lane_stop(l);
		return rc;
	}
	srv->lane = l;
	return 0;
}

unsigned http_server_lane_port(const struct http_server *srv)
{
	return srv->lane ? srv->lane->port : 0;
}

void lane_drain(struct lane *l)
{
	/* New connections are refused at once; each thread drops the
	 * listener when accept fails, and answers from now on carry
	 * Connection: close (srv->draining). */
	if (l && l->fd >= 0)
		shutdown(l->fd, SHUT_RDWR);
}

void lane_stop(struct lane *l)
{
	if (!l)
		return;
	uint64_t one = 1;
	if (l->stop_fd >= 0 && write(l->stop_fd, &one, sizeof one) < 0)
		log_error("jalur verifikasi: eventfd: %s", strerror(errno));
	for (unsigned i = 0; l->t && i < l->nthreads; i++) {
		if (l->t[i].started)
			pthread_join(l->t[i].th, NULL);
		if (l->t[i].ep >= 0)
			close(l->t[i].ep);
	}
	/* Every connection closed gave its count back: the table is empty. */
	for (size_t i = 0; i < PER_IP_BUCKETS; i++)
		for (struct per_ip *e = l->ip[i], *next; e; e = next) {
			next = e->next;
			free(e);
		}
	pthread_mutex_destroy(&l->ip_mu);
	free(l->routes);
	free(l->t);
	if (l->stop_fd >= 0)
		close(l->stop_fd);
	if (l->fd >= 0)
		close(l->fd);
	free(l);
}
