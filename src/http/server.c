#include "http/server.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/json.h"
#include "core/log.h"
#include "core/str.h"
#include "http/accesslog.h"
#include "http/form.h"
#include "http/metrics.h"
#include "http/pool.h"
#include "http/ratelimit.h"
#include "http/server_int.h"
#include "workflow/workflow.h"

/* A request pool holds small things (copied strings, records); a handler
 * that needs more is building something that belongs in a buffer. */
#define POOL_MAX (1u << 20)
/* The first chunk, header included, stays under 1 KiB so malloc serves it
 * from its per-thread cache: 4 KiB chunks went through the arena's
 * locks for every request. A verification uses ~150 bytes of it. */
#define POOL_CHUNK 960
/* Bytes of a chunked body read and thrown away after its early 413
 * (raw_answer) before the connection is closed: reading on lets the
 * client see the 413 rather than a reset, and a mebibyte bounds what a
 * client that never stops sending costs. */
#define DISCARD_MAX (1024u * 1024)
/* How often the watcher looks for requests past their deadline: the
 * deadlines are whole seconds, so a quarter second is precise enough and
 * costs nothing. */
#define WATCH_TICK_MS 250

/*
 * Deadlines per connection. libmicrohttpd's timeout counts idle time
 * only: a client sending one header line every 4 s held a connection
 * for ever, and 110 of them held every slot. libmicrohttpd calls us only
 * once the headers are complete, so the deadline of the headers cannot
 * be kept from the request callback: every connection is on a list
 * (added and removed by the connection notifier, in its worker thread),
 * and a watcher thread cuts the ones past their deadline by shutting
 * their socket down. libmicrohttpd then sees the end of the stream and
 * closes the connection itself, in its own thread. The socket stays
 * valid while the entry is on the list: libmicrohttpd removes it (the
 * CLOSED notification) before it closes the descriptor, and both sides
 * hold the list's lock.
 */
/* Everything one request owns; freed in on_completed. */
struct req_ctx {
	struct http_request req;
	struct http_response res;
	struct cases_actor actor;
	struct buf err;
	struct timespec start;
	char client[INET6_ADDRSTRLEN];
	int status;                 /* queued status; 0 until one is */
	size_t bytes;               /* response body bytes */
	int has_body;               /* Content-Length > 0 or chunked */
	int too_big;                /* body dropped from here on: 413 */
	int bad_form;               /* ... because the form was malformed: 400 */
	int raw_sent;               /* answered by raw_answer, not libmicrohttpd */
	int bad_target;             /* an encoded control byte: 400 */
	int no_host;                /* HTTP/1.1 without Host: 400 */
	size_t discarded;
	const char *session;        /* cookie value, on ROUTE_WEB rows */
	struct watch *watch;        /* the connection's deadlines; may be NULL */
};

static void tls_close(void *p)
{
	struct tls_store *t = p;
	if (t->s && t->be->close)
		t->be->close(t->s);
	if (t->slot.p && t->slot.free_fn)
		t->slot.free_fn(t->slot.p);
	free(t);
}

/* ---- request accessors ------------------------------------------- */

static struct MHD_Connection *conn_of(const struct http_request *req)
{
	return req->conn_;
}

const char *http_query(const struct http_request *req, const char *name)
{
	if (req->lane_)
		return lane_query(req->lane_, name);
	return MHD_lookup_connection_value(conn_of(req), MHD_GET_ARGUMENT_KIND,
					   name);
}

const char *http_header(const struct http_request *req, const char *name)
{
	if (req->lane_)
		return lane_header(req->lane_, name);
	return MHD_lookup_connection_value(conn_of(req), MHD_HEADER_KIND, name);
}

const struct http_web *http_web_of(const struct http_request *req)
{
	return req->srv->be ? req->srv->be->web : NULL;
}

/* The lane serves public routes only, and they read no cookie. */
const char *http_cookie(const struct http_request *req, const char *name)
{
	if (req->lane_)
		return NULL;
	return MHD_lookup_connection_value(conn_of(req), MHD_COOKIE_KIND, name);
}

const char *http_param(struct http_request *req, const char *name)
{
	size_t n = strlen(name);
	for (int i = 0; i < req->params.n; i++)
		if (req->params.p[i].name_len == n &&
		    memcmp(req->params.p[i].name, name, n) == 0)
			return pool_strndup(req->pool, req->params.p[i].val,
					    req->params.p[i].val_len);
	return NULL;
}

struct tls_store *http_tls(struct http_server *srv)
{
	struct tls_store *t = pthread_getspecific(srv->tls);
	if (t)
		return t;
	t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->be = srv->be;
	if (pthread_setspecific(srv->tls, t) != 0) {
		free(t);
		return NULL;
	}
	return t;
}

struct http_thread_slot *http_thread_slot(struct http_request *req)
{
	struct tls_store *t = http_tls(req->srv);
	return t ? &t->slot : NULL;
}

int http_store(struct http_request *req, struct store **out, struct buf *err)
{
	int rc = http_store_keep(req, out, err);
	if (rc == 0 && req->srv->be->release)
		req->srv->be->release(*out);
	return rc;
}

int http_store_keep(struct http_request *req, struct store **out,
		    struct buf *err)
{
	struct http_server *srv = req->srv;
	struct tls_store *t = pthread_getspecific(srv->tls);
	if (t && t->s) {
		*out = t->s;
		return 0;
	}
	if (!srv->be || !srv->be->open)
		return tb_err(err, TB_EINTERNAL, "basis data tidak tersambung");
	if (!(t = http_tls(srv)))
		return tb_err(err, TB_ENOMEM, "kehabisan memori");
	int rc = srv->be->open(srv->cfg->data, &t->s, err);
	if (rc < 0) {
		t->s = NULL;
		return rc;
	}
	*out = t->s;
	return 0;
}

int http_ping(struct http_request *req, struct buf *err)
{
	struct store *s;
	int rc = http_store(req, &s, err);
	if (rc == 0 && req->srv->be->ping)
		rc = req->srv->be->ping(s, err);
	return rc;
}

int http_draining(const struct http_request *req)
{
	return atomic_load(&req->srv->draining);
}

const struct config *http_config(const struct http_request *req)
{
	return req->srv->cfg;
}

const void *http_app(const struct http_request *req)
{
	return req->srv->be ? req->srv->be->app : NULL;
}

void http_addr_name(const struct sockaddr *sa, char *out, size_t size)
{
	snprintf(out, size, "unknown");
	if (!sa)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
			  out, (socklen_t)size);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
			  &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
			  out, (socklen_t)size);
}

static void client_addr(struct MHD_Connection *conn, char *out, size_t size)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	http_addr_name(ci ? ci->client_addr : NULL, out, size);
}

/* ---- deadlines (struct watch) ----------------------------------- */

/* The connection's entry; NULL when it could not be made (out of memory:
 * the connection is then only under libmicrohttpd's idle timeout). */
static struct watch *watch_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

/* Moves w to phase, starting the phase's clock now. 1 when the watcher
 * has already cut the connection (nothing more may be sent on it). */
static int watch_set(struct http_server *srv, struct watch *w,
		     enum watch_phase phase)
{
	if (!w)
		return 0;
	pthread_mutex_lock(&srv->watch_mu);
	w->phase = phase;
	w->since_ms = clock_mono_ms();
	w->body = 0;
	int cut = w->cut;
	pthread_mutex_unlock(&srv->watch_mu);
	return cut;
}

static void watch_body(struct http_server *srv, struct watch *w, size_t n)
{
	if (!w)
		return;
	pthread_mutex_lock(&srv->watch_mu);
	w->body += n;
	pthread_mutex_unlock(&srv->watch_mu);
}

/* Writes a whole answer on the socket ourselves, for the two moments
 * libmicrohttpd 0.9.75 will not send one: while a body is arriving, and
 * before the headers are complete. The socket is non-blocking and the
 * answer small, so it fits the empty send buffer; a client that does
 * not read gets less, and is closed anyway. */
static void send_all(MHD_socket fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = send(fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return;
		p += k;
		n -= (size_t)k;
	}
}

/* The 408 of a request that did not arrive in time: fixed text, since
 * the watcher has no request (and no route) to word it for. */
static const char timeout_body[] =
	"{\"error\":\"timeout\",\"message\":\"The request did not arrive "
	"within the server's deadline.\"}\n";

/* Past its deadline? Under the lock. */
static int watch_late(const struct config *cfg, const struct watch *w,
		      int64_t now)
{
	int64_t grace = (int64_t)cfg->header_timeout * 1000;
	switch (w->phase) {
	case WATCH_HEADERS:
		return now - w->since_ms > grace;
	case WATCH_BODY:
		/* The grace, then body_rate bytes a second on average: a
		 * large upload on a slow line gets the time its size needs. */
		if (!cfg->body_rate)
			return 0;
		return now - w->since_ms >
		       grace + (int64_t)(w->body * 1000 / cfg->body_rate);
	case WATCH_BUSY:
		break;
	}
	return 0;
}

/* Cuts w: a 408 when nothing was answered yet, then the socket shut in
 * both directions so libmicrohttpd closes it. A connection cut waiting
 * for its headers has no request, so its access-log line is written
 * here; one cut during its body is logged when the request completes. */
static void watch_cut(struct http_server *srv, struct watch *w, int64_t now)
{
	if (!w->answered) {
		char head[256];
		int n = snprintf(head, sizeof head,
				 "HTTP/1.1 408 Request Timeout\r\n"
				 "Content-Type: application/json\r\n"
				 "X-Content-Type-Options: nosniff\r\n"
				 "Cache-Control: no-store\r\n"
				 "Connection: close\r\n"
				 "Content-Length: %zu\r\n\r\n",
				 sizeof timeout_body - 1);
		send_all(w->fd, head, (size_t)n);
		send_all(w->fd, timeout_body, sizeof timeout_body - 1);
	}
	shutdown(w->fd, SHUT_RDWR);
	w->cut = 1;
	if (w->phase == WATCH_HEADERS) {
		struct accesslog_entry e = {
			.client = w->client, .method = "-", .status = 408,
			.ms = (double)(now - w->since_ms),
			.end = ACCESSLOG_END_TIMEOUT,
		};
		accesslog_request(srv->log, NULL, &e);
	}
}

static void *watcher_main(void *arg)
{
	struct http_server *srv = arg;
	pthread_mutex_lock(&srv->watch_mu);
	while (!srv->watcher_stop) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += WATCH_TICK_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&srv->watch_cv, &srv->watch_mu, &until);
		int64_t now = clock_mono_ms();
		for (struct watch *w = srv->watch_list.next; w != &srv->watch_list;
		     w = w->next)
			if (!w->cut && watch_late(srv->cfg, w, now))
				watch_cut(srv, w, now);
	}
	pthread_mutex_unlock(&srv->watch_mu);
	return NULL;
}

/* libmicrohttpd's connection notifier: every accepted connection is on
 * the list until it closes. */
static void on_connection(void *cls, struct MHD_Connection *conn,
			  void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	struct http_server *srv = cls;
	struct watch *w = *socket_context;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *fd = MHD_get_connection_info(
			conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		if (!fd || !(w = calloc(1, sizeof *w)))
			return;
		w->fd = fd->connect_fd;
		w->phase = WATCH_HEADERS;
		w->since_ms = clock_mono_ms();
		client_addr(conn, w->client, sizeof w->client);
		pthread_mutex_lock(&srv->watch_mu);
		w->next = srv->watch_list.next;
		w->prev = &srv->watch_list;
		w->next->prev = w;
		srv->watch_list.next = w;
		pthread_mutex_unlock(&srv->watch_mu);
		*socket_context = w;
		return;
	}
	/* Closed, in the thread that served it: a verifier's snapshot held
	 * across answers (store_read_hold) ends here too, so a thread left
	 * idle does not keep the writer's checkpoints from passing it for
	 * longer than its last connection lives (the idle timeout). */
	http_tls_release(srv);
	if (!w)
		return;
	pthread_mutex_lock(&srv->watch_mu);
	w->prev->next = w->next;
	w->next->prev = w->prev;
	pthread_mutex_unlock(&srv->watch_mu);
	*socket_context = NULL;
	free(w);
}

void http_tls_release(struct http_server *srv)
{
	struct tls_store *t = pthread_getspecific(srv->tls);
	if (t && t->s && srv->be && srv->be->release)
		srv->be->release(t->s);
}

/* The marker on_uri leaves in *con_cls for a request target holding an
 * encoded control byte or a raw space: on_request answers it 400. */
static char bad_target_mark;

/*
 * The request target as sent, before it is decoded. A "%00" decodes to
 * a NUL, and the path we are handed then simply ends there:
 * "/v/TOKEN%00junk" was served as "/v/TOKEN". Any encoded control byte
 * (below 0x20, or DEL) in the path or the query is refused, so no
 * decoded string a handler sees can hold one. A raw space is refused too:
 * libmicrohttpd's strict mode, which would refuse it, is off (see
 * http_server_start), and a target of "/a b" is no request a client of ours
 * sends.
 */
int http_target_refused(const char *target)
{
	/* A token's target has no '%': one search, and nothing more. */
	if (strchr(target, ' '))
		return 1;
	for (const char *p = strchr(target, '%'); p; p = strchr(p + 1, '%')) {
		int hi = str_hexval(p[1]), lo = hi < 0 ? -1 : str_hexval(p[2]);
		if (lo >= 0 && (hi * 16 + lo < 0x20 || hi * 16 + lo == 0x7f))
			return 1;
	}
	return 0;
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	(void)cls;
	(void)conn;
	return http_target_refused(uri) ? &bad_target_mark : NULL;
}

/* ---- responses ---------------------------------------------------- */

int http_res_header(struct http_response *res, const char *name,
		    const char *value)
{
	if (res->nheaders == HTTP_MAX_HEADERS || strpbrk(name, "\r\n:") ||
	    strpbrk(value, "\r\n"))
		return TB_EINVAL;
	res->headers[res->nheaders].name = name;
	res->headers[res->nheaders].value = value;
	res->nheaders++;
	return 0;
}

/*
 * The API speaks English to programs; the modules speak Indonesian to
 * people. So every error carries the English sentence for its code, and
 * the module's own message, when there is one, as "detail". One table,
 * so no handler words its own errors.
 */
static const struct {
	int code;
	const char *message;
} error_messages[] = {
	{ TB_EINVAL, "The request is malformed or a value in it is not valid." },
	{ TB_ENOTFOUND, "No such resource." },
	{ TB_EPERM, "Not allowed: your role or region does not permit this." },
	{ TB_ECONFLICT, "The request conflicts with the current state (an illegal "
			"workflow move, or a duplicate)." },
	{ TB_EREFUSED, "A rule is not met: a requirement is missing or the case "
		       "is not eligible." },
	{ TB_EAUTH, "Authentication required: send Authorization: Bearer <token>." },
	{ TB_ETOOBIG, "The request body is too large for this route." },
	{ TB_EMEDIA, "The request body's content type is not accepted by this route." },
	{ TB_ERATE, "Too many requests from this address; retry later." },
	{ TB_EMETHOD, "This method is not allowed on this path." },
	{ TB_ENOMEM, "The server ran out of memory." },
	{ TB_EIO, "A server-side input/output failure." },
	{ TB_EDB, "A database failure on the server." },
	{ TB_ECRYPTO, "A key or signature failure on the server." },
};

const char *http_error_message(int code)
{
	for (size_t i = 0; i < ARRAY_SIZE(error_messages); i++)
		if (error_messages[i].code == code)
			return error_messages[i].message;
	return "An internal error on the server.";
}

/* A browser's request: a web row; or a path outside /api/ (no row, or
 * the verifier's page, whose NIK form can meet its 429) asked for by a
 * client that takes HTML (a browser says so in Accept; curl and programs
 * keep the JSON error). */
static int is_web(const struct http_request *req)
{
	const struct http_backend *be = req->srv->be;
	if (!be || !be->web)
		return 0;
	if (req->route && (req->route->flags & ROUTE_WEB))
		return 1;
	const char *accept = http_header(req, "Accept");
	return strncmp(req->path, "/api/", 5) != 0 && accept &&
	       strstr(accept, "text/html");
}

int http_error_body(struct http_request *req, struct http_response *res,
		      int status, int code, const char *message,
		      const char *detail)
{
	struct json j;
	buf_reset(&res->body);
	res->status = status ? status : err_http_status(code);
	if (req && is_web(req))
		return req->srv->be->web->error_page(req, res, res->status, code,
						     detail);
	res->content_type = "application/json";
	json_init(&j, &res->body);
	json_obj_open(&j, NULL);
	json_str(&j, "error", err_name(code));
	json_str(&j, "message", message);
	/* A server fault's text names files and SQL: logged, never shown. */
	if (detail && *detail && res->status != 500)
		json_str(&j, "detail", detail);
	json_obj_close(&j);
	int rc = json_finish(&j);
	if (rc == 0)
		rc = buf_addc(&res->body, '\n');
	return rc;
}

int http_res_error(struct http_response *res, int status, int code,
		   const char *detail)
{
	return http_error_body(NULL, res, status, code, http_error_message(code), detail);
}

/* Hands res to libmicrohttpd. The body buffer is detached to it (freed
 * with free() once sent). */
static enum MHD_Result queue(struct http_server *srv, struct req_ctx *c,
			     int close_after)
{
	struct http_response *res = &c->res;
	/* Our side's time from here; a connection the watcher has cut
	 * already got its 408. */
	if (watch_set(srv, c->watch, WATCH_BUSY))
		return MHD_NO;
	size_t len;
	char *body = buf_detach(&res->body, &len);
	if (!body)
		return MHD_NO;
	struct MHD_Response *r = MHD_create_response_from_buffer(
		len, body, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	int has_cache = 0;
	MHD_add_response_header(r, "Content-Type", res->content_type
					   ? res->content_type
					   : "application/json");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	for (int i = 0; i < res->nheaders; i++) {
		MHD_add_response_header(r, res->headers[i].name,
					res->headers[i].value);
		has_cache |= strcasecmp(res->headers[i].name,
					"Cache-Control") == 0;
	}
	if (!has_cache)
		MHD_add_response_header(r, "Cache-Control", "no-store");
	if (close_after || atomic_load(&srv->draining))
		MHD_add_response_header(r, "Connection", "close");
	enum MHD_Result ok = MHD_queue_response(
		(struct MHD_Connection *)c->req.conn_, (unsigned)res->status, r);
	MHD_destroy_response(r);
	if (ok == MHD_YES) {
		c->status = res->status;
		c->bytes = len;
	}
	return ok;
}

/*
 * Sends res ourselves while the body is still arriving: libmicrohttpd
 * 0.9.75 refuses to queue an answer then, and closing without one left
 * a client uploading too much with a reset instead of its 413. The
 * connection is closed once the body ends (or DISCARD_MAX more bytes
 * have come), so nothing libmicrohttpd would send can follow ours.
 */
static enum MHD_Result raw_answer(struct http_server *srv, struct req_ctx *c)
{
	struct http_response *res = &c->res;
	struct buf head = BUF_INIT;
	const char *type = res->content_type ? res->content_type
					     : "application/json";
	const char *phrase = MHD_get_reason_phrase_for((unsigned)res->status);
	int has_cache = 0, rc = buf_addf(&head,
					 "HTTP/1.1 %d %s\r\nContent-Type: %s\r\n"
					 "X-Content-Type-Options: nosniff\r\n",
					 res->status, phrase ? phrase : "", type);
	for (int i = 0; rc == 0 && i < res->nheaders; i++) {
		rc = buf_addf(&head, "%s: %s\r\n", res->headers[i].name,
			      res->headers[i].value);
		has_cache |= strcasecmp(res->headers[i].name, "Cache-Control") == 0;
	}
	if (rc == 0 && !has_cache)
		rc = buf_adds(&head, "Cache-Control: no-store\r\n");
	if (rc == 0)
		rc = buf_addf(&head, "Connection: close\r\nContent-Length: %zu\r\n\r\n",
			      res->body.len);
	if (rc == 0) {
		pthread_mutex_lock(&srv->watch_mu);
		if (c->watch)
			c->watch->answered = 1;
		pthread_mutex_unlock(&srv->watch_mu);
		MHD_socket fd = c->watch ? c->watch->fd : MHD_INVALID_SOCKET;
		if (fd != MHD_INVALID_SOCKET) {
			send_all(fd, head.data, head.len);
			send_all(fd, res->body.data, res->body.len);
			c->status = res->status;
			c->bytes = res->body.len;
			c->raw_sent = 1;
		}
	}
	buf_release(&head);
	return c->raw_sent ? MHD_YES : MHD_NO;
}

/* Answers with the JSON error now: message is the server's own English
 * text (NULL: the code's sentence), detail a module's message or NULL. A
 * body still on its way will not be read, so then the connection cannot
 * be reused. */
static enum MHD_Result reject_detail(struct http_server *srv,
				     struct req_ctx *c, int status, int code,
				     const char *message, const char *detail)
{
	if (http_error_body(&c->req, &c->res, status, code,
		       message ? message : http_error_message(code), detail) < 0)
		return MHD_NO;
	return queue(srv, c, c->has_body && !c->req.body.len);
}

static enum MHD_Result reject(struct http_server *srv, struct req_ctx *c,
			      int status, int code, const char *message)
{
	return reject_detail(srv, c, status, code, message, NULL);
}

/* "case:12" / "document:<serial>" from the route's captures, for the
 * audit row of a refused attempt; "-" when the route names neither.
 * Only safe characters are kept: the value is the client's. */
static void denied_object(struct http_request *req, char *out, size_t n)
{
	static const struct {
		const char *param, *prefix;
	} objs[] = { { "id", "case:" }, { "serial", "document:" } };
	snprintf(out, n, "-");
	for (size_t i = 0; i < ARRAY_SIZE(objs); i++) {
		const char *v = http_param(req, objs[i].param);
		if (!v)
			continue;
		size_t len = (size_t)snprintf(out, n, "%s", objs[i].prefix);
		/* Up to a '.': "<serial>.pdf" names the document. */
		for (; *v && *v != '.' && len + 1 < n && len < 40; v++)
			if (isalnum((unsigned char)*v) || *v == '-')
				out[len++] = *v;
		out[len] = '\0';
		return;
	}
}

/*
 * Every 403 goes through here, whether the route refused the role or a
 * module refused the region, so each refused attempt is in the audit log
 * once. An audit failure is logged and the 403 still goes out.
 */
static enum MHD_Result deny(struct http_server *srv, struct req_ctx *c,
			    const char *message, const char *detail)
{
	char what[128], object[64];
	struct store *s;
	struct buf aerr = BUF_INIT;
	if (srv->be && srv->be->audit_denied && c->req.actor) {
		snprintf(what, sizeof what, "%s %s", c->req.route->method,
			 c->req.route->pattern);
		denied_object(&c->req, object, sizeof object);
		if (http_store(&c->req, &s, &aerr) < 0 ||
		    srv->be->audit_denied(s, c->req.actor, what, object, &aerr) < 0)
			log_error("audit of a refused request failed: %s",
				  aerr.data);
	}
	buf_release(&aerr);
	return reject_detail(srv, c, 0, TB_EPERM, message, detail);
}

/* ---- the request's life ------------------------------------------- */

static struct req_ctx *ctx_new(struct http_server *srv,
			       struct MHD_Connection *conn, const char *url,
			       const char *method)
{
	struct req_ctx *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->req.pool = pool_new(POOL_CHUNK, POOL_MAX);
	if (!c->req.pool) {
		free(c);
		return NULL;
	}
	clock_gettime(CLOCK_MONOTONIC, &c->start);
	buf_init(&c->req.body, 0);
	buf_init(&c->res.body, 0);
	buf_init(&c->err, 0);
	c->req.method = method;
	c->req.path = url;
	c->req.srv = srv;
	c->req.conn_ = conn;
	c->res.status = 200;
	client_addr(conn, c->client, sizeof c->client);
	c->req.client = c->client;
	c->watch = watch_of(conn);
	atomic_fetch_add(&srv->inflight, 1);
	return c;
}

/*
 * 401 answers carry the scheme the client should use (RFC 6750); a
 * browser's page is sent to sign in instead (error_page). An API 401 is
 * audited with the client's address and why (why: the audit note, never
 * the credential), so that guessing tokens leaves a trace; a browser
 * sent to its sign-in page is not (the sign-in is audited itself). The
 * rate limit, taken before authentication, bounds how many rows one
 * address can add. An audit failure is logged and the 401 still goes
 * out.
 */
static enum MHD_Result reject_auth(struct http_server *srv, struct req_ctx *c,
				   const char *message, const char *why)
{
	if (!is_web(&c->req)) {
		http_res_header(&c->res, "WWW-Authenticate", "Bearer");
		if (srv->be && srv->be->audit_unauth) {
			char what[128];
			struct store *s;
			struct buf aerr = BUF_INIT;
			snprintf(what, sizeof what, "%s %s", c->req.route->method,
				 c->req.route->pattern);
			if (http_store(&c->req, &s, &aerr) < 0 ||
			    srv->be->audit_unauth(s, c->client, what, why, &aerr) < 0)
				log_error("audit of a refused credential failed: %s",
					  aerr.data);
			buf_release(&aerr);
		}
	}
	return reject(srv, c, 0, TB_EAUTH, message);
}

/* The credential as presented: the session cookie on a browser's page,
 * else the bearer token of the Authorization header (HTTP's, so parsed
 * here). NULL after queueing the 401. */
static const char *credential(struct http_server *srv, struct req_ctx *c,
			      enum cases_cred *kind)
{
	const char *tok;
	if (c->req.route->flags & ROUTE_WEB) {
		*kind = CASES_CRED_SESSION;
		tok = srv->be->web ? http_cookie(&c->req, srv->be->web->cookie) : NULL;
		if (!tok || !*tok || strlen(tok) > CASES_SECRET_MAX) {
			reject_auth(srv, c, "Sign in first.", NULL);
			return NULL;
		}
		return c->session = tok;
	}
	*kind = CASES_CRED_BEARER;
	const char *h = http_header(&c->req, "Authorization");
	if (!h) {
		reject_auth(srv, c, "Authentication required: send "
				    "Authorization: Bearer <token>.",
			    "tanpa header Authorization");
		return NULL;
	}
	if (strncasecmp(h, "Bearer ", 7) != 0) {
		reject_auth(srv, c, "The authorization scheme must be Bearer.",
			    "skema otorisasi bukan Bearer");
		return NULL;
	}
	tok = h + 7;
	while (*tok == ' ')
		tok++;
	size_t n = strlen(tok);
	if (n == 0 || n > CASES_SECRET_MAX) {
		reject_auth(srv, c, "The bearer token is malformed.",
			    "token kosong atau terlalu panjang");
		return NULL;
	}
	return tok;
}

/*
 * The caller of a route with roles. Who the credential belongs to is the
 * backend's authenticate (cases_authenticate), the one path both faces
 * and both kinds of credential share.
 */
static enum MHD_Result authenticate(struct http_server *srv, struct req_ctx *c)
{
	enum cases_cred kind;
	const char *tok = credential(srv, c, &kind);
	if (!tok)
		return c->status ? MHD_YES : MHD_NO;
	struct store *s;
	int rc = http_store(&c->req, &s, &c->err);
	if (rc == 0)
		rc = srv->be->authenticate
			     ? srv->be->authenticate(s, kind, tok, &c->actor,
						     &c->err)
			     : tb_err(&c->err, TB_EINTERNAL, "autentikasi tidak tersambung");
	if (rc == TB_EAUTH)
		return reject_auth(srv, c,
				   kind == CASES_CRED_SESSION
					   ? "The session has ended; sign in again."
					   : "The bearer token is not known.",
				   "token tidak dikenal, kedaluwarsa, atau "
				   "penggunanya nonaktif");
	if (rc < 0) {
		/* A database fault, or a stored role the workflow does not
		 * know: the 500 hides the text, so the log keeps it. */
		log_error("authentication: %s", c->err.data);
		return reject_detail(srv, c, 0, rc, NULL, c->err.data);
	}
	c->req.actor = &c->actor;
	c->req.session = kind == CASES_CRED_SESSION ? c->session : NULL;
	if (!(c->req.route->roles & ROUTE_ROLE(c->actor.role)))
		return deny(srv, c, "Not allowed: this route does not accept "
				    "your role.", NULL);
	return MHD_YES;
}

/* Content-Length, or -1 when absent; -2 when malformed. */
static long long content_length(const struct http_request *req)
{
	const char *v = http_header(req, "Content-Length");
	if (!v)
		return -1;
	if (!isdigit((unsigned char)*v))
		return -2;
	errno = 0;
	char *end;
	long long n = strtoll(v, &end, 10);
	return errno || *end ? -2 : n;
}

static enum MHD_Result reject_rate(struct http_server *srv, struct req_ctx *c,
				   unsigned retry)
{
	char *v = pool_alloc(c->req.pool, 16);
	if (v) {
		snprintf(v, 16, "%u", retry);
		http_res_header(&c->res, "Retry-After", v);
	}
	return reject(srv, c, 0, TB_ERATE,
		      "Too many requests from this address; retry later.");
}

static enum MHD_Result reject_route(struct http_server *srv, struct req_ctx *c,
				    int status, const struct buf *allow)
{
	if (status == 404)
		return reject(srv, c, 0, TB_ENOTFOUND, "No route for this path.");
	char *v = pool_strdup(c->req.pool, allow->data);
	if (v)
		http_res_header(&c->res, "Allow", v);
	return reject(srv, c, 405, TB_EMETHOD,
		      HTTP_MSG_METHOD);
}

int http_rate_ok(struct http_server *srv, const struct route *route,
		 const char *client, unsigned *retry)
{
	/* Off (behind a proxy that limits per real client): not even the
	 * clock is read. */
	if (!srv->cfg->rate_limit)
		return 1;
	return ratelimit_take(srv->rl, client, clock_mono_ms(), retry) &&
	       !(route && (route->flags & ROUTE_STRICT_RATE) &&
		 !ratelimit_take(srv->rl_strict, client, clock_mono_ms(),
				 retry));
}

/* Every check that needs no body, in the order the header promises. The
 * route is looked up first only so that a 429 is logged under it. */
static enum MHD_Result begin(struct http_server *srv, struct req_ctx *c)
{
	unsigned retry;
	int status = 400;
	long long len = content_length(&c->req);
	c->has_body = len > 0 || http_header(&c->req, "Transfer-Encoding");
	struct buf allow = BUF_INIT;
	/* A refused target is never routed: its decoded path was cut short. */
	if (c->req.path[0] == '/' && !c->bad_target)
		c->req.route = route_find(srv->routes, srv->nroutes,
					  c->req.method, c->req.path,
					  &c->req.params, &status, &allow);
	enum MHD_Result r = MHD_YES;
	if (!http_rate_ok(srv, c->req.route, c->client, &retry))
		r = reject_rate(srv, c, retry);
	else if (c->bad_target)
		r = reject(srv, c, 400, TB_EINVAL,
			   HTTP_MSG_BAD_TARGET);
	else if (c->no_host)
		r = reject(srv, c, 400, TB_EINVAL,
			   HTTP_MSG_NO_HOST);
	else if (status == 400)
		r = reject(srv, c, 0, TB_EINVAL,
			   HTTP_MSG_NOT_PATH);
	else if (!c->req.route)
		r = reject_route(srv, c, status, &allow);
	buf_release(&allow);
	if (r != MHD_YES || c->status)
		return r;
	if (c->req.route->roles) {
		r = authenticate(srv, c);
		if (r != MHD_YES || c->status)
			return r;
	}
	if (len == -2)
		return reject(srv, c, 0, TB_EINVAL, HTTP_MSG_BAD_LENGTH);
	if (c->has_body && !route_type_ok(c->req.route,
					  http_header(&c->req, "Content-Type")))
		return reject(srv, c, 0, TB_EMEDIA, NULL);
	if (c->has_body && (c->req.route->body_max == 0 ||
			    len > (long long)c->req.route->body_max))
		return reject(srv, c, 0, TB_ETOOBIG, NULL);
	c->req.body.max = c->req.route->body_max;
	/* A form the route accepts is parsed as it arrives (form.h). */
	if (c->has_body && c->req.route->types &&
	    http_form_is(http_header(&c->req, "Content-Type")) &&
	    !(c->req.form = http_form_new(conn_of(&c->req),
					  c->req.route->body_max)))
		return reject(srv, c, 0, TB_EINVAL, "The form body cannot be parsed.");
	return MHD_YES;
}

static enum MHD_Result dispatch(struct http_server *srv, struct req_ctx *c)
{
	/* The whole request is in: from here the time is the handler's
	 * (an issuance may take seconds), not the client's. */
	if (watch_set(srv, c->watch, WATCH_BUSY))
		return MHD_NO;
	if (c->too_big)
		return c->bad_form ? reject(srv, c, 0, TB_EINVAL,
					    HTTP_MSG_BAD_FORM)
				   : reject(srv, c, 0, TB_ETOOBIG, NULL);
	if (c->req.form && http_form_finish(c->req.form) < 0)
		return reject(srv, c, 0, TB_EINVAL, HTTP_MSG_BAD_FORM);
	int rc = c->req.route->handler(&c->req, &c->res, &c->err);
	if (rc < 0) {
		/* Log the failure's message only for server faults: a client's
		 * bad input is answered, not logged (it may hold a NIK). */
		if (err_http_status(rc) >= 500)
			log_error("%s %s: %s", c->req.route->method,
				  c->req.route->pattern, c->err.data);
		if (rc == TB_EPERM)
			return deny(srv, c, NULL, c->err.data);
		return reject_detail(srv, c, 0, rc, NULL, c->err.data);
	}
	return queue(srv, c, 0);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct http_server *srv = cls;
	struct req_ctx *c = *con_cls;
	if (!c || c == (void *)&bad_target_mark) {
		int bad = c != NULL;
		c = ctx_new(srv, conn, url, method);
		if (!c)
			return MHD_NO;
		c->bad_target = bad;
		/* HTTP/1.1 (and any later 1.x) needs a Host header (RFC 9112
		 * 3.2). We check it here, not libmicrohttpd: its own 400 for
		 * this goes out with the status line and headers twice. */
		c->no_host = version && !strncmp(version, "HTTP/1.", 7) &&
			     strcmp(version, "HTTP/1.0") &&
			     !http_header(&c->req, "Host");
		*con_cls = c;
		/* The headers are in: the body's clock starts. */
		if (watch_set(srv, c->watch, WATCH_BODY))
			return MHD_NO;
		return begin(srv, c);
	}
	if (c->raw_sent) {
		/* Our answer is out: read the rest of the body and drop it,
		 * so the client reads the answer instead of a reset, then
		 * close, since libmicrohttpd knows nothing of what we sent. */
		c->discarded += *upload_size;
		if (!*upload_size || c->discarded > DISCARD_MAX)
			return MHD_NO;
		*upload_size = 0;
		return MHD_YES;
	}
	if (c->status) {
		/* Answered before the body: drop whatever still arrives. */
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size) {
		watch_body(srv, c->watch, *upload_size);
		int rc = c->too_big ? 0
			 : c->req.form ? http_form_feed(c->req.form, upload,
							*upload_size)
				       : buf_add(&c->req.body, upload, *upload_size);
		if (rc < 0) {
			/* Over the limit, or a malformed form: answered at once
			 * (raw_answer), the rest read and dropped. */
			c->bad_form = rc == TB_EINVAL;
			c->too_big = 1;
			buf_release(&c->req.body);
			http_form_free(c->req.form);
			c->req.form = NULL;
			*upload_size = 0;
			int erc = c->bad_form
					  ? http_error_body(&c->req, &c->res, 0, TB_EINVAL,
						       HTTP_MSG_BAD_FORM, NULL)
					  : http_error_body(&c->req, &c->res, 0, TB_ETOOBIG,
						       http_error_message(TB_ETOOBIG), NULL);
			return erc < 0 ? MHD_NO : raw_answer(srv, c);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	return dispatch(srv, c);
}

/* ---- completion: access log, metrics, freeing ------------------- */

/* One access-log line for the request that has just completed. */
static void access_log(struct http_server *srv, const struct req_ctx *c,
		       double ms, enum MHD_RequestTerminationCode toe)
{
	if (!srv->log)
		return;
	struct tls_store *t = http_tls(srv);
	struct accesslog_entry e = {
		.client = c->client,
		.method = c->req.method,
		.route = c->req.route ? c->req.route->pattern : NULL,
		.status = c->status,
		.bytes = c->bytes,
		.ms = ms,
		.end = toe == MHD_REQUEST_TERMINATED_COMPLETED_OK || c->raw_sent
			       ? ACCESSLOG_END_OK
		       : toe == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED
			       ? ACCESSLOG_END_TIMEOUT
			       : ACCESSLOG_END_ABORTED,
	};
	accesslog_request(srv->log, t ? &t->log : NULL, &e);
}

static void on_completed(void *cls, struct MHD_Connection *conn,
			 void **con_cls, enum MHD_RequestTerminationCode toe)
{
	struct http_server *srv = cls;
	struct req_ctx *c = *con_cls;
	*con_cls = NULL;
	if (!c || c == (void *)&bad_target_mark)
		return;
	/* The next request on a kept-alive connection has the headers'
	 * deadline again; a request the watcher cut got its 408. */
	if (c->watch) {
		pthread_mutex_lock(&srv->watch_mu);
		if (c->watch->cut && !c->status) {
			c->status = 408;
			toe = MHD_REQUEST_TERMINATED_TIMEOUT_REACHED;
		}
		c->watch->phase = WATCH_HEADERS;
		c->watch->since_ms = clock_mono_ms();
		pthread_mutex_unlock(&srv->watch_mu);
	}
	(void)conn;
	struct timespec end;
	clock_gettime(CLOCK_MONOTONIC, &end);
	double s = (double)(end.tv_sec - c->start.tv_sec) +
		   (double)(end.tv_nsec - c->start.tv_nsec) / 1e9;
	metrics_request(c->req.route ? c->req.route->pattern : NULL,
			c->req.method, c->status, s);
	access_log(srv, c, s * 1000.0, toe);
	pool_free(c->req.pool);
	buf_release(&c->req.body);
	http_form_free(c->req.form);
	buf_release(&c->res.body);
	buf_release(&c->err);
	free(c);
	atomic_fetch_sub(&srv->inflight, 1);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	(void)cls;
	vsnprintf(msg, sizeof msg, fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	/* Debug level: most of these are a client's malformed request, and a
	 * client must not be able to flood the log. Start-up failures come
	 * back through http_server_start's own message. */
	log_debug("http: %s", msg);
}

/* ---- start and stop ----------------------------------------------- */

int http_parse_listen(const char *listen, struct sockaddr_storage *ss,
			struct buf *err)
{
	char host[CONFIG_STR_MAX];
	const char *colon = strrchr(listen, ':');
	if (!colon || !str_all_digits(colon + 1))
		return tb_err(err, TB_EINVAL,
			      "alamat listen tidak sah: '%s' (contoh 127.0.0.1:8080)",
			      listen);
	size_t hl = (size_t)(colon - listen);
	const char *h = listen;
	if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']') {
		h++;
		hl -= 2;
	}
	memcpy(host, h, hl);
	host[hl] = '\0';
	struct addrinfo hints = { .ai_family = AF_UNSPEC,
				  .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
	struct addrinfo *ai = NULL;
	int g = getaddrinfo(hl ? host : NULL, colon + 1, &hints, &ai);
	if (g != 0 || !ai || ai->ai_addrlen > sizeof *ss) {
		if (ai)
			freeaddrinfo(ai);
		return tb_err(err, TB_EINVAL, "alamat listen tidak sah: '%s' (%s)",
			      listen, g ? gai_strerror(g) : "tidak dikenal");
	}
	memset(ss, 0, sizeof *ss);
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	freeaddrinfo(ai);
	return 0;
}

int http_server_start(const struct config *cfg, const struct http_backend *be,
		      const struct route *routes, size_t n,
		      struct http_server **out, struct buf *err)
{
	struct sockaddr_storage ss;
	int rc = http_parse_listen(cfg->listen, &ss, err);
	if (rc < 0)
		return rc;
	/* libmicrohttpd divides the connection limit evenly among the worker
	 * threads: a thread with a share of 0 would refuse every connection
	 * it accepts. */
	if (cfg->max_connections < cfg->threads)
		return tb_err(err, TB_EINVAL,
			      "max_connections (%u) harus paling sedikit sama "
			      "dengan threads (%u)",
			      cfg->max_connections, cfg->threads);
	/* Past half the slots, two addresses could take every one of them
	 * (110 trickling sockets from two addresses did, at 64 a piece on a
	 * server of 100). */
	if (cfg->max_per_ip > cfg->max_connections / 2 && cfg->max_connections > 1)
		return tb_err(err, TB_EINVAL,
			      "max_per_ip (%u) paling banyak separuh dari "
			      "max_connections (%u), agar dua alamat tidak dapat "
			      "memakai semua sambungan",
			      cfg->max_per_ip, cfg->max_connections);
	unsigned per_ip = cfg->max_per_ip ? cfg->max_per_ip
			  : cfg->max_connections >= 8 ? cfg->max_connections / 8
						      : 1;
	struct http_server *srv = calloc(1, sizeof *srv);
	if (!srv)
		return tb_err(err, TB_ENOMEM, "kehabisan memori");
	if (pthread_mutex_init(&srv->watch_mu, NULL) != 0) {
		free(srv);
		return tb_err(err, TB_ENOMEM, "kehabisan memori");
	}
	if (pthread_cond_init(&srv->watch_cv, NULL) != 0) {
		pthread_mutex_destroy(&srv->watch_mu);
		free(srv);
		return tb_err(err, TB_ENOMEM, "kehabisan memori");
	}
	srv->watch_list.next = srv->watch_list.prev = &srv->watch_list;
	srv->cfg = cfg;
	srv->be = be;
	srv->routes = routes;
	srv->nroutes = n;
	srv->quiesced = MHD_INVALID_SOCKET;
	if (pthread_key_create(&srv->tls, tls_close) != 0) {
		pthread_cond_destroy(&srv->watch_cv);
		pthread_mutex_destroy(&srv->watch_mu);
		free(srv);
		return tb_err(err, TB_ENOMEM, "kehabisan memori");
	}
	srv->rl = ratelimit_new(cfg->rate_limit, 0);
	srv->rl_strict = ratelimit_new(
		cfg->rate_limit ? (cfg->rate_limit >= 20 ? cfg->rate_limit / 20 : 1)
				: 0, 0);
	if (!srv->rl || !srv->rl_strict) {
		rc = tb_err(err, TB_ENOMEM, "kehabisan memori");
		goto out;
	}
	/* A buffer per thread: libmicrohttpd's, and the lane's when there
	 * is one (a thread without a buffer writes a line a request). */
	rc = accesslog_new(cfg->access_log,
			   cfg->threads +
				   (cfg->verify_listen[0] ? lane_threads(cfg) : 0),
			   &srv->log, err);
	if (rc < 0)
		goto out;
	if (pthread_create(&srv->watcher, NULL, watcher_main, srv) != 0) {
		rc = tb_err(err, TB_ENOMEM, "tidak dapat memulai thread pengawas");
		goto out;
	}
	srv->watcher_on = 1;
	/* TURBO: accept4 and optimistic reads instead of extra fcntl and
	 * epoll round trips per connection; the shutdown() calls it skips
	 * are not needed (drain shuts the listening socket itself). */
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC |
			 MHD_USE_ERROR_LOG | MHD_USE_TURBO;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	srv->d = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, srv,
		/* First, or libmicrohttpd prints to stderr itself. */
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, cfg->threads,
		MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->connection_memory,
		MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
		/* Not strict: in 0.9.75 strictness only refuses a missing
		 * Host and a space in the target, and its 400 for the first
		 * sends the status line and headers twice; on_uri and
		 * on_request refuse both themselves, with one clean 400. */
		MHD_OPTION_STRICT_FOR_CLIENT, 0,
		MHD_OPTION_END);
	if (!srv->d) {
		rc = tb_err(err, TB_EIO, "tidak dapat mendengarkan di %s: %s",
			    cfg->listen, strerror(errno));
		goto out;
	}
	const union MHD_DaemonInfo *di =
		MHD_get_daemon_info(srv->d, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = di ? di->port : 0;
	*out = srv;
	return 0;
out:
	http_server_stop(srv);
	return rc;
}

unsigned http_server_port(const struct http_server *srv)
{
	return srv->port;
}

int http_server_drain(struct http_server *srv, unsigned timeout_ms)
{
	atomic_store(&srv->draining, 1);
	if (srv->quiesced == MHD_INVALID_SOCKET) {
		srv->quiesced = MHD_quiesce_daemon(srv->d);
		/* The socket stays open until MHD_stop_daemon (a worker may
		 * still hold it), but the kernel would keep queueing new
		 * connections on it that nobody accepts: shut it, so they
		 * are refused at once and a client retries elsewhere. */
		if (srv->quiesced != MHD_INVALID_SOCKET)
			shutdown(srv->quiesced, SHUT_RDWR);
	}
	lane_drain(srv->lane);
	int64_t deadline = clock_mono_ms() + timeout_ms;
	while (atomic_load(&srv->inflight) > 0 &&
	       clock_mono_ms() < deadline) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	/* The drained requests' lines are out before anyone looks. */
	accesslog_flush(srv->log);
	return atomic_load(&srv->inflight);
}

void http_server_stop(struct http_server *srv)
{
	if (!srv)
		return;
	if (srv->d)
		MHD_stop_daemon(srv->d);
	lane_stop(srv->lane);
	/* After the workers: their last CLOSED notices emptied the list. */
	if (srv->watcher_on) {
		pthread_mutex_lock(&srv->watch_mu);
		srv->watcher_stop = 1;
		pthread_cond_signal(&srv->watch_cv);
		pthread_mutex_unlock(&srv->watch_mu);
		pthread_join(srv->watcher, NULL);
	}
	/* Closed only now: a worker thread may still have used it. */
	if (srv->quiesced != MHD_INVALID_SOCKET)
		close(srv->quiesced);
	/* After the workers are joined: none can write a line any more. */
	accesslog_free(srv->log);
	ratelimit_free(srv->rl);
	ratelimit_free(srv->rl_strict);
	pthread_key_delete(srv->tls);
	pthread_cond_destroy(&srv->watch_cv);
	pthread_mutex_destroy(&srv->watch_mu);
	free(srv);
}
