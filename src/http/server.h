#ifndef TERBIT_SERVER_H
#define TERBIT_SERVER_H
/*
 * The HTTP service on libmicrohttpd: an epoll thread pool, explicit limits
 * (connections in total and per address, memory per connection, idle
 * timeout, body size per route), one route table (route.h), bearer-token
 * authentication (the header parsed here, the token judged by the
 * backend's authenticate: cases_authenticate), a per-client rate limit,
 * Prometheus metrics and an access log naming route patterns only.
 *
 * Life of a request, all decided before the body is read: rate limit (429
 * + Retry-After), route lookup (404; 405 + Allow), authentication when the
 * route has roles (401, 403), content type (415), Content-Length against
 * the route's limit (413). The body is then collected into req->body (a
 * form body into req->form, parsed as it arrives: form.h), never past the
 * limit (a chunked body that passes it is answered 413 and
 * the rest discarded, or the connection closed). Then the handler runs.
 * Whatever happens, the request's pool and body are freed when the request
 * completes, and one access-log line and one metrics sample are recorded.
 *
 * Errors are JSON: {"error": "<err_name>", "message": "<English sentence
 * for the code>", "detail": "<the module's Indonesian message>"}; the
 * English sentences are one table in server.c (http_res_error). Browser
 * pages' refusals are HTML instead (struct http_web).
 */
#include <stdint.h>

#include "cases/cases.h"
#include "core/buf.h"
#include "http/config.h"
#include "http/route.h"
#include "store/store.h"

struct http_server;
struct http_form;
struct pool;
struct http_request;
struct http_response;

/*
 * Browser pages served beside the API (the web module fills this). Rows
 * flagged ROUTE_WEB are signed in by the cookie named here instead of a
 * bearer token (the same backend authenticate, CASES_CRED_SESSION), and
 * every refusal of a web request (a ROUTE_WEB row, or, when no row
 * matched, a path outside /api/ from a client whose Accept takes
 * text/html) is written by error_page as an HTML
 * page instead of the JSON error; the server still decides the status and
 * still writes the audit row of a 403 (deny).
 */
struct http_web {
	const char *cookie;
	/* Replaces res's body (and may add headers: a 401 becomes a 303 to
	 * the sign-in page) for a refusal: status, code, and the module's
	 * Indonesian message or NULL. 0 or TB_ENOMEM. */
	int (*error_page)(struct http_request *req, struct http_response *res,
			  int status, int code, const char *detail);
};

/*
 * Database access, as function pointers so the server does not decide how
 * the store is opened (the serve command wires the real store; unit tests
 * may wire a fake). Each server thread opens its own handle on first use
 * (a store handle is used by one thread at a time) and closes it when the
 * server stops.
 */
struct http_backend {
	int (*open)(const char *data_dir, struct store **out, struct buf *err);
	void (*close)(struct store *s);
	/* Ends what the verifier may hold on a handle between requests
	 * (store_read_release); called by http_store. May be NULL. */
	void (*release)(struct store *s);
	/* Who presents this credential: cases_authenticate's contract
	 * (the server passes CASES_CRED_BEARER and the raw token; TB_EAUTH
	 * when not known). */
	int (*authenticate)(struct store *s, enum cases_cred kind,
			    const char *secret, struct cases_actor *out,
			    struct buf *err);
	/* 0 when the database answers a query. */
	int (*ping)(struct store *s, struct buf *err);
	/* Records a refused attempt (any 403: a role the route does not
	 * take, or TB_EPERM from a handler) in the audit log. what is
	 * "METHOD /route/{pattern}", object "case:12", "document:<serial>"
	 * or "-". May be NULL (no audit). */
	int (*audit_denied)(struct store *s, const struct cases_actor *a,
			    const char *what, const char *object,
			    struct buf *err);
	/* Records a refused credential on the API (every 401 of a row not
	 * flagged ROUTE_WEB): the client's address, what was tried
	 * ("GET /api/v1/cases") and why ("token tidak dikenal"), never the
	 * credential itself. May be NULL (no audit). */
	int (*audit_unauth)(struct store *s, const char *client,
			    const char *what, const char *why, struct buf *err);
	/* Read-only state shared by every handler (the serve command's
	 * policy, layouts, keyring: struct http_app in handlers.h); NULL in
	 * tests that do not need it. */
	const void *app;
	/* Browser pages; NULL: none (every answer is the API's). */
	const struct http_web *web;
};

struct http_request {
	const char *method;
	const char *path;           /* without the query string */
	const struct route *route;
	struct route_params params;
	struct buf body;            /* capped at route->body_max */
	/* The caller, on routes with roles (NULL on public routes), as
	 * the backend's authenticate found it. */
	const struct cases_actor *actor;
	/* The raw session id from the cookie, on ROUTE_WEB rows with roles
	 * (NULL otherwise): the web module derives the CSRF token from it. */
	const char *session;
	/* The parsed body of a form request (form.h), NULL otherwise; then
	 * body stays empty. */
	struct http_form *form;
	const char *client;         /* peer address, "127.0.0.1" style */
	struct pool *pool;          /* freed when the request completes */
	struct http_server *srv;
	void *conn_;                /* private to server.c */
	const void *lane_;          /* private to lane.c: NULL unless it
				     * came through the lane */
};

/* Query argument / request header value (header names are
 * case-insensitive); NULL when absent. Valid until the request completes. */
const char *http_query(const struct http_request *req, const char *name);
const char *http_header(const struct http_request *req, const char *name);
/* The server's browser-page hooks (NULL when it has none). */
const struct http_web *http_web_of(const struct http_request *req);
/* A cookie's value; NULL when absent. */
const char *http_cookie(const struct http_request *req, const char *name);
/* The {name} capture, copied into req->pool (libmicrohttpd has already
 * percent-decoded the path); NULL when the route has no such capture or
 * memory runs out. */
const char *http_param(struct http_request *req, const char *name);
/* This thread's database handle (opened on first use). Not the caller's
 * to close. */
int http_store(struct http_request *req, struct store **out,
	       struct buf *err);
/* The same handle as the previous request on this thread left it: a read
 * snapshot the verifier holds (store_read_hold) stays held. Only for the
 * verifier's token routes; http_store releases it for everyone else. */
int http_store_keep(struct http_request *req, struct store **out,
		    struct buf *err);
/*
 * One pointer a handler may keep per worker thread (the verifier's answer
 * cache): NULL until the handler sets it. free_fn, when set, is called
 * with p when the thread ends. Never shared between threads, so it needs
 * no lock. NULL when memory runs out.
 */
struct http_thread_slot {
	void *p;
	void (*free_fn)(void *p);
};
struct http_thread_slot *http_thread_slot(struct http_request *req);
/* 0 when the database answers (the backend's ping on this thread's
 * handle). */
int http_ping(struct http_request *req, struct buf *err);
/* 1 once http_server_drain has begun (health checks report it). */
int http_draining(const struct http_request *req);
/* The configuration the server was started with. */
const struct config *http_config(const struct http_request *req);
/* The backend's app pointer (see struct http_backend). */
const void *http_app(const struct http_request *req);

#define HTTP_MAX_HEADERS 12

struct http_response {
	int status;                 /* 200 unless set */
	const char *content_type;   /* "application/json" unless set */
	struct buf body;
	int nheaders;
	struct {
		const char *name, *value;
	} headers[HTTP_MAX_HEADERS];
};

/* Adds a response header. name and value must outlive the request
 * (literals, or strings in req->pool). TB_EINVAL when the table is full or
 * a value holds CR or LF. */
int http_res_header(struct http_response *res, const char *name,
		    const char *value);
/*
 * Replaces the body with the JSON error for code (status from
 * err_http_status unless status is not 0): {"error": err_name(code),
 * "message": the English sentence for the code, "detail": detail}.
 * detail is the module's (Indonesian) message; it is left out when NULL
 * or empty, and on a 500 (a server fault's text is logged, not shown).
 * 0 or TB_ENOMEM.
 */
int http_res_error(struct http_response *res, int status, int code,
		   const char *message);

/*
 * Starts listening on cfg->listen ("127.0.0.1:8080", "[::1]:8080"; port 0
 * picks a free one, see http_server_port) with cfg's limits, serving
 * routes[0..n). cfg, be and routes must outlive the server. *out is the
 * caller's to end with http_server_stop. TB_EINVAL for a bad address,
 * TB_EIO when the socket cannot be bound.
 */
int http_server_start(const struct config *cfg, const struct http_backend *be,
		      const struct route *routes, size_t n,
		      struct http_server **out, struct buf *err);
/* The port actually bound. */
unsigned http_server_port(const struct http_server *srv);

/*
 * The lane: a second listener, on listen, for the rows of the same table
 * flagged ROUTE_LANE (the verifier's public routes), served by an
 * HTTP/1.1 reader of our own instead of libmicrohttpd (lane.c says why).
 * It takes GET, HEAD, and POST with a Content-Length of at most 1 KiB,
 * and refuses the rest; every check of the life of a request above
 * applies, with the same answers, the same access log and metrics.
 * Started after http_server_start, once; drained and stopped with the
 * server. TB_EINVAL for a bad address or a second lane, TB_EINTERNAL for
 * a lane row it cannot serve (route.h), TB_EIO when it cannot be bound.
 */
int http_server_lane(struct http_server *srv, const char *listen,
		     struct buf *err);
/* The lane's port; 0 without a lane. */
unsigned http_server_lane_port(const struct http_server *srv);
/*
 * Graceful end, first half: stops accepting connections, answers with
 * "Connection: close" from now on, and waits up to timeout_ms for the
 * requests in flight to complete. Returns how many were still running at
 * the deadline (0: drained). Idle keep-alive connections are not waited
 * for: http_server_stop closes them.
 */
int http_server_drain(struct http_server *srv, unsigned timeout_ms);
/* Stops the threads, closes every connection and database handle, frees
 * srv. NULL ok. */
void http_server_stop(struct http_server *srv);

#endif
