#ifndef TERBIT_FORM_H
#define TERBIT_FORM_H
/*
 * Form bodies (application/x-www-form-urlencoded and multipart/form-data)
 * parsed by libmicrohttpd's post processor as the body arrives: the raw
 * body is never kept, and what the fields hold together never passes the
 * route's body limit (the raw bytes are counted against it, and a value
 * is never longer than the bytes that carried it).
 *
 * The server makes one for a request whose content type is a form type
 * that the route accepts (route->types), feeds it the body and finishes
 * it before the handler runs; handlers read it with http_form_value and
 * http_form_file (server.h).
 */
#include <stddef.h>

#include "core/buf.h"

struct MHD_Connection;
struct http_form;

/* 1 when content_type (a header value, parameters allowed) is one of the
 * two form types. */
int http_form_is(const char *content_type);

/* NULL when memory runs out or libmicrohttpd cannot parse this content
 * type (a multipart without its boundary): the server answers 400. */
struct http_form *http_form_new(struct MHD_Connection *conn, size_t max);
/* s[0..n) with '+' and %XX decoded, as libmicrohttpd decodes form fields
 * and query arguments (a '%' without two hex digits after it stays),
 * appended to out. 0 or TB_ENOMEM. */
int http_url_unescape(struct buf *out, const char *s, size_t n);

/*
 * A whole urlencoded body already in memory (the lane reads bodies
 * itself): the same fields libmicrohttpd's post processor would give.
 * TB_EMEDIA unless content_type is application/x-www-form-urlencoded,
 * TB_ETOOBIG past max, TB_EINVAL for too many fields or a NUL in a
 * name, TB_ENOMEM. *out is the caller's to free.
 */
int http_form_urlencoded(const char *content_type, const char *body, size_t n,
			 size_t max, struct http_form **out);
/* The next n body bytes. TB_ETOOBIG past max; TB_EINVAL when the body is
 * malformed or has too many fields; TB_ENOMEM. */
int http_form_feed(struct http_form *f, const char *data, size_t n);
/* After the last byte: flushes the last field. TB_EINVAL when the body
 * ended half way. */
int http_form_finish(struct http_form *f);
void http_form_free(struct http_form *f);

/* One uploaded file (or any multipart part with a file name). */
struct http_file {
	const char *filename;   /* as the browser sent it: not a path to use */
	const char *mime;       /* the part's Content-Type: not to be trusted */
	const char *data;
	size_t len;
};

/* The first value of the field name, NUL-terminated; NULL when absent.
 * Valid until the form is freed (the request completes). */
const char *http_form_get(const struct http_form *f, const char *name);
/* The first file part named name; NULL when absent. */
const struct http_file *http_form_get_file(const struct http_form *f,
					   const char *name);

#endif
