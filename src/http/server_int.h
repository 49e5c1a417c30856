#ifndef TERBIT_SERVER_INT_H
#define TERBIT_SERVER_INT_H
/*
 * Inside the HTTP service: the state server.c (libmicrohttpd's side) and
 * lane.c (the verification lane, terbit's own reader) share, and the few
 * functions of one the other calls. Not a contract for anything outside
 * src/http.
 */
#include <arpa/inet.h>
#include <sys/socket.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "http/accesslog.h"
#include "http/server.h"

struct lane;

/*
 * Deadlines per connection (server.c): libmicrohttpd's timeout counts
 * idle time only, so a watcher thread cuts connections past their
 * deadline by phase.
 */
enum watch_phase {
	WATCH_HEADERS,              /* waiting for a request's headers */
	WATCH_BODY,                 /* headers in, the body arriving */
	WATCH_BUSY,                 /* handler or answer: our side's time */
};

struct watch {
	struct watch *prev, *next;
	MHD_socket fd;
	enum watch_phase phase;
	int64_t since_ms;           /* when the phase began */
	uint64_t body;              /* body bytes received in WATCH_BODY */
	int answered;               /* an answer went out before the body ended */
	int cut;                    /* the watcher shut the socket down */
	char client[INET6_ADDRSTRLEN];
};

struct http_server {
	const struct config *cfg;
	const struct http_backend *be;
	const struct route *routes;
	size_t nroutes;
	struct MHD_Daemon *d;
	struct ratelimit *rl;
	struct ratelimit *rl_strict; /* routes with ROUTE_STRICT_RATE */
	struct accesslog *log;      /* NULL: access log off */
	unsigned port;
	MHD_socket quiesced;        /* listen socket after drain, closed at stop */
	atomic_int inflight;
	atomic_int draining;
	pthread_key_t tls;          /* struct tls_store * per server thread */
	pthread_mutex_t watch_mu;   /* guards the list and every entry */
	pthread_cond_t watch_cv;    /* wakes the watcher to stop */
	struct watch watch_list;    /* sentinel of a circular list */
	pthread_t watcher;
	int watcher_on;             /* the thread was started */
	int watcher_stop;
	struct lane *lane;          /* the verification lane; NULL: none */
};

/* A thread's database handle, closed by the key's destructor when the
 * thread ends (libmicrohttpd joins its threads in MHD_stop_daemon; the
 * lane joins its own). */
struct tls_store {
	const struct http_backend *be;
	struct store *s;
	struct http_thread_slot slot;
	struct accesslog_thread log; /* this thread's access-log state */
};

/* The sentences of the refusals both listeners write, so they say the
 * same thing in the same words. */
#define HTTP_MSG_NO_HOST "An HTTP/1.1 request must carry a Host header."
#define HTTP_MSG_BAD_LENGTH "Content-Length is malformed."
#define HTTP_MSG_BAD_FORM "The form body is malformed."
#define HTTP_MSG_METHOD "This method is not allowed on this path; see Allow."
#define HTTP_MSG_BAD_TARGET "The request target holds a space or an encoded control character."
#define HTTP_MSG_NOT_PATH "The request target must be a path starting with /."

/* This thread's state, made on first use; NULL when memory runs out. */
struct tls_store *http_tls(struct http_server *srv);
/* Ends the snapshot this thread's handle may hold (a connection of this
 * thread closed: store_read_hold's contract). */
void http_tls_release(struct http_server *srv);

/* The JSON error (or a browser's page) for code into res, replacing its
 * body: message is English and not NULL (http_error_message(code) for
 * the code's own sentence), detail a module's message or NULL. */
int http_error_body(struct http_request *req, struct http_response *res,
		    int status, int code, const char *message,
		    const char *detail);

/* "host:port" or "[v6]:port" into a socket address; TB_EINVAL. */
int http_parse_listen(const char *listen, struct sockaddr_storage *ss,
		      struct buf *err);

/* 1 when a request target as sent (path and query, not yet decoded)
 * holds a raw space or an encoded control byte or DEL: both listeners
 * answer it 400 (HTTP_MSG_BAD_TARGET). */
int http_target_refused(const char *target);

/* A peer's address as text ("192.0.2.7", "2001:db8::1"); "unknown"
 * for NULL or another family. */
void http_addr_name(const struct sockaddr *sa, char *out, size_t size);

/* The English sentence for a TB_E code (server.c's one table). */
const char *http_error_message(int code);

/* Both rate limits of a request to route (NULL: none matched) from
 * client: 1 when it may go on, else 0 with *retry seconds. */
int http_rate_ok(struct http_server *srv, const struct route *route,
		 const char *client, unsigned *retry);

/* The lane's side of a request (lane.c): header, query and cookie
 * lookups for the accessors of server.h. */
const char *lane_header(const void *lr, const char *name);
const char *lane_query(const void *lr, const char *name);
/* How many threads the lane runs: cfg->verify_threads, or for 0 one
 * per CPU this process may run on (its affinity: a container's share,
 * not the host's count), at most 256. */
unsigned lane_threads(const struct config *cfg);
/* Stops accepting (drain); joins the threads and frees (stop). */
void lane_drain(struct lane *l);
void lane_stop(struct lane *l);

#endif
