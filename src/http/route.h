#ifndef TERBIT_ROUTE_H
#define TERBIT_ROUTE_H
/*
 * The HTTP route table: one row per (method, path pattern), with the
 * handler, who may call it, how big a body it takes and in which content
 * types. The server checks every column before a handler runs, so a
 * handler never sees an unauthenticated caller, a body over its limit or a
 * content type it did not declare.
 *
 * Patterns are literal segments and `{name}` captures, each capture one
 * whole non-empty segment: "/api/v1/cases/{id}/documents". No wildcards,
 * no regexes: a route is readable at a glance, and the access log names
 * the pattern (never the raw path, so tokens in paths stay out of logs).
 *
 * The table itself is http_routes[] in routes.c; rows are added there.
 */
#include <stddef.h>

#include "core/buf.h"

struct http_request;
struct http_response;

/*
 * A handler fills res (status defaults to 200, content type to JSON) and
 * returns 0, or returns a negative TB_E code with a message in err; the
 * server then answers {"error": err_name(code), "message": err} with
 * err_http_status(code). Handlers are thin: parse, call module functions,
 * serialise; no business rule lives in one.
 */
typedef int (*route_handler)(struct http_request *req,
			     struct http_response *res, struct buf *err);

/* Role bits for route.roles: ROUTE_ROLE(ROLE_DINSOS) | ROUTE_ROLE(...). */
#define ROUTE_ROLE(r) (1u << (r))
#define ROUTE_PUBLIC 0u
/* Every role of enum role (workflow.h): any authenticated user. */
#define ROUTE_ANY_USER 0xffffu

struct route {
	const char *method;   /* "GET", "POST", ... (HEAD is served by GET rows) */
	const char *pattern;  /* "/api/v1/cases/{id}" */
	route_handler handler;
	unsigned roles;       /* ROUTE_PUBLIC, or ROUTE_ROLE bits allowed */
	size_t body_max;      /* bytes; 0: the request must carry no body */
	/* Accepted request media types, comma-separated
	 * ("application/json,text/csv"), compared without parameters
	 * (";charset=..."). NULL: no body expected, type not checked. */
	const char *types;
	unsigned flags;       /* ROUTE_* flags below; 0 for most rows */
};

/* Also takes a token from a second, stricter per-address bucket (a
 * twentieth of rate_limit a minute, at least 1): for routes whose answer
 * leaks something per call (the NIK check). */
#define ROUTE_STRICT_RATE 1u
/* A browser page (the web module, server.h's struct http_web): signed in
 * by the session cookie instead of a bearer token, refused with HTML
 * pages instead of JSON. */
#define ROUTE_WEB 2u
/* Also served by the lane (server.h's http_server_lane): a public row
 * whose handler reads no cookie, and whose body, if it takes one, is at
 * most 1 KiB and not multipart. */
#define ROUTE_LANE 4u

#define ROUTE_MAX_PARAMS 4

/* Captures of one match; name and value point into the pattern and the
 * path (not NUL-terminated: use the lengths). */
struct route_params {
	int n;
	struct {
		const char *name;
		size_t name_len;
		const char *val;
		size_t val_len;
	} p[ROUTE_MAX_PARAMS];
};

/* 1 when path matches pattern (captures into *out when out is not NULL),
 * 0 otherwise. The query string must already be cut off. */
int route_match(const char *pattern, const char *path,
		struct route_params *out);

/*
 * Finds the row for method and path in table[0..n).
 * Returns the row, or NULL with *status set: 404 when no pattern matches
 * the path, 405 when some do but not for this method; then `allow` (when
 * not NULL) receives the methods that would match, "GET, HEAD, POST" style,
 * for the Allow header. HEAD matches GET rows.
 */
const struct route *route_find(const struct route *table, size_t n,
			       const char *method, const char *path,
			       struct route_params *params, int *status,
			       struct buf *allow);

/* 1 when content_type (a request header value, NULL when absent) is one
 * of r->types; always 1 when r->types is NULL. */
int route_type_ok(const struct route *r, const char *content_type);

/* The service's table (routes.c), in match order. */
extern const struct route http_routes[];
extern const size_t http_routes_len;

#endif
