#ifndef TERBIT_ETAG_H
#define TERBIT_ETAG_H
/*
 * Conditional GET for answers that are bytes made on request (the
 * verifier's JSON and page): an entity tag computed from the body itself,
 * so it is right whatever the body shows (a state, a time of the check)
 * and two servers on the same registry give the same tag for the same
 * bytes; and a 304 when the client's If-None-Match already names it.
 * An HTTP cache in front (deploy/nginx-verifier.conf) can then keep or
 * revalidate an answer without terbit writing it again.
 */
#include <stddef.h>

struct http_request;
struct http_response;

/* "\"" + 16 hex digits + "\"": a 64-bit hash of the bytes (etag.c). */
#define ETAG_LEN 18

/* Writes the quoted tag of body[0..n) into out (ETAG_LEN + NUL). */
void etag_of(const void *body, size_t n, char out[ETAG_LEN + 1]);

/*
 * 1 when the If-None-Match header value inm names tag (RFC 9110 13.1.2:
 * a comma-separated list of entity tags compared weakly, so W/"x" names
 * "x"; or "*"), 0 otherwise (also for NULL or a malformed list).
 */
int etag_match(const char *inm, const char *tag);

/*
 * For an answer whose final bytes are in res->body: adds ETag and
 * Cache-Control (cache_control, a literal), and when the request's
 * If-None-Match names the tag, makes res a 304 Not Modified with no body
 * (the headers stay, as RFC 9110 15.4.5 wants). 0, TB_ENOMEM, or
 * TB_EINVAL when the response's header table is full.
 */
int http_res_etag(struct http_request *req, struct http_response *res,
		  const char *cache_control);

#endif
