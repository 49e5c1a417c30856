#ifndef TERBIT_HTTP_SW_H
#define TERBIT_HTTP_SW_H
/*
 * The offline verifier for phones (docs/token.md, "Offline on a phone"):
 * the files a /V/ page brings along, read or made once at start and then
 * served from memory, read-only, by every thread:
 *
 *   /V/sw.js, /v/sw.js   the service worker (static/verify-sw.js); served
 *                        under each spelling of the path so that its
 *                        default scope covers that spelling's pages
 *   /V/sw-register.js    the page's one script (static/verify-register.js)
 *   /V/offline.html      the page shell the worker fills in
 *                        (page_offline_shell)
 *
 * Each answer carries an ETag (the first 8 bytes of the SHA-256 of the
 * bytes) and a week's Cache-Control; If-None-Match with that ETag gets a
 * 304. None of them holds anything about a document.
 */
#include "core/buf.h"
#include "http/server.h"

struct sw_file {
	const char *type;       /* Content-Type */
	struct buf body;
	char etag[19];          /* "\"" + 16 hex + "\"" */
};

struct sw_files {
	struct sw_file worker, reg, shell;
};

/*
 * Reads root/static/verify-sw.js and verify-register.js and makes the
 * shell. *out is the caller's to free with sw_files_free. 0, TB_EIO (a
 * file missing: the message names it), TB_ENOMEM.
 */
int sw_files_load(const char *root, struct sw_files **out,
		 struct buf *err);
void sw_files_free(struct sw_files *f);

/*
 * Answers a GET with f: 200 and the bytes, or 304 when the request's
 * If-None-Match is f's ETag. 0 or TB_ENOMEM/TB_EINVAL.
 */
int sw_file_serve(const struct sw_file *f, struct http_request *req,
		  struct http_response *res);

#endif
