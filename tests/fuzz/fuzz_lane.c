/*
 * Fuzz target: the verification lane (src/http/lane.c), terbit's own
 * HTTP/1.1 reader, on a real lane over loopback with a small table of
 * lane rows (a capture, a urlencoded form, a text body, a query). Each
 * input is sent whole on a new connection, the writing side shut, and
 * everything the lane answers read to its close.
 *
 * Checked: whatever came in, the answer is a sequence of whole HTTP/1.1
 * answers and nothing else: each a status line with a three-digit
 * status, headers, an empty line and exactly Content-Length bytes of
 * body (none for a 304, a 100 or an answer to HEAD), and the stream
 * ends on the boundary of one; at most one answer per request the input
 * could hold; the lane closes the connection (it never hangs on a
 * finished input).
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "http/config.h"
#include "http/form.h"
#include "http/route.h"
#include "http/server.h"

static int h_token(struct http_request *req, struct http_response *res,
		   struct buf *err)
{
	(void)err;
	const char *t = http_param(req, "token");
	res->content_type = "text/plain";
	return buf_addf(&res->body, "t=%s", t ? t : "-");
}

static int h_form(struct http_request *req, struct http_response *res,
		  struct buf *err)
{
	(void)err;
	const char *v = req->form ? http_form_get(req->form, "nik") : NULL;
	return buf_addf(&res->body, "{\"nik\":%zu}", v ? strlen(v) : 0);
}

static int h_body(struct http_request *req, struct http_response *res,
		  struct buf *err)
{
	if (req->body.len && req->body.data[0] == '!')
		return tb_err(err, TB_EREFUSED, "ditolak");
	return buf_addf(&res->body, "%zu", req->body.len);
}

static int h_query(struct http_request *req, struct http_response *res,
		   struct buf *err)
{
	(void)err;
	const char *q = http_query(req, "q");
	return buf_addf(&res->body, "%zu", q ? strlen(q) : 0);
}

static const struct route routes[] = {
	{ "GET", "/V/{token}", h_token, ROUTE_PUBLIC, 0, NULL, ROUTE_LANE },
	{ "POST", "/V/{token}", h_form, ROUTE_PUBLIC, 256,
	  "application/x-www-form-urlencoded", ROUTE_LANE },
	{ "POST", "/b", h_body, ROUTE_PUBLIC, 64, "text/plain", ROUTE_LANE },
	{ "GET", "/q", h_query, ROUTE_PUBLIC, 0, NULL, ROUTE_LANE },
	{ "GET", "/main-only", h_query, ROUTE_PUBLIC, 0, NULL, 0 },
};

static const struct http_backend backend = { 0 };
static struct config cfg;
static struct http_server *srv;
static unsigned port;

static void stop(void)
{
	http_server_stop(srv);
}

static void start(void)
{
	struct buf err = BUF_INIT;
	config_defaults(&cfg);
	if (config_set(&cfg, "listen", "127.0.0.1:0", &err) < 0 ||
	    config_set(&cfg, "threads", "1", &err) < 0 ||
	    config_set(&cfg, "access_log", "off", &err) < 0 ||
	    config_set(&cfg, "rate_limit", "0", &err) < 0 ||
	    http_server_start(&cfg, &backend, routes,
			      sizeof routes / sizeof routes[0], &srv, &err) < 0 ||
	    http_server_lane(srv, "127.0.0.1:0", &err) < 0) {
		fprintf(stderr, "fuzz_lane: %s\n", err.data);
		abort();
	}
	port = http_server_lane_port(srv);
	atexit(stop);
	buf_release(&err);
}

/* Everything the lane sends on one connection for data. */
static void exchange(const uint8_t *data, size_t n, struct buf *out)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	struct timeval tv = { 5, 0 };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) < 0 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
		abort();
	/* A refusal may close the connection before all of it is sent. */
	for (size_t off = 0; off < n;) {
		ssize_t w = send(fd, data + off, n - off, MSG_NOSIGNAL);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	shutdown(fd, SHUT_WR);
	char chunk[8192];
	ssize_t got;
	while ((got = recv(fd, chunk, sizeof chunk, 0)) > 0)
		buf_add(out, chunk, (size_t)got);
	/* A timeout, not the lane's close: it hung on a finished input. */
	if (got < 0)
		abort();
	close(fd);
}

/* The answers in out[0..n) are whole: returns how many. */
static size_t check_answers(const char *p, size_t n)
{
	size_t count = 0;
	while (n) {
		const char *end = memmem(p, n, "\r\n\r\n", 4);
		if (n < 13 || memcmp(p, "HTTP/1.1 ", 9) || !end)
			abort();
		int status = atoi(p + 9);
		if (status < 100 || status > 599)
			abort();
		size_t head = (size_t)(end + 4 - p), body = 0;
		const char *cl = memmem(p, head, "\r\nContent-Length: ", 18);
		if (cl)
			body = strtoul(cl + 18, NULL, 10);
		else if (status != 304 && status != 100)
			abort();
		if (head + body > n)
			abort();
		p += head + body;
		n -= head + body;
		count += status != 100;
	}
	return count;
}

/* Answers to HEAD carry a Content-Length but no body: the input's HEADs
 * are rewritten to GET, so every answer can be checked by its length. */
static void no_head(uint8_t *d, size_t n)
{
	for (size_t i = 0; i + 4 < n; i++)
		if ((i == 0 || d[i - 1] == '\n') && !memcmp(d + i, "HEAD", 4))
			memcpy(d + i, "GETX", 4);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!srv)
		start();
	uint8_t *d = malloc(size ? size : 1);
	if (!d)
		abort();
	memcpy(d, data, size);
	no_head(d, size);
	struct buf out = BUF_INIT;
	exchange(d, size, &out);
	size_t answers = check_answers(out.data, out.len);
	/* At most one answer for each head the input could hold (each ends
	 * in CRLF CRLF), or one refusal of what never became a head. */
	size_t heads = 0;
	for (size_t i = 0; i + 3 < size; i++)
		heads += !memcmp(d + i, "\r\n\r\n", 4);
	if (answers > heads + 1)
		abort();
	buf_release(&out);
	free(d);
	return 0;
}
