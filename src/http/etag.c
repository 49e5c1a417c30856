#include "http/etag.h"

#include <stdint.h>
#include <string.h>

#include "core/buf.h"
#include "core/digest.h"
#include "core/err.h"
#include "core/str.h"
#include "http/pool.h"
#include "http/server.h"

void etag_of(const void *body, size_t n, char out[ETAG_LEN + 1])
{
	/* A validator, not a signature: nothing is trusted because of it,
	 * and the bytes are ours. SHA-256 of the 3 KB page was a tenth of
	 * a verification's CPU. */
	uint64_t v = digest_hash64(body, n);
	unsigned char h[8];
	for (int i = 0; i < 8; i++)
		h[i] = (unsigned char)(v >> (56 - 8 * i));
	out[0] = '"';
	/* 64 bits tell apart the few answers one URL ever has. */
	str_hex_put(out + 1, h, sizeof h);
	out[ETAG_LEN - 1] = '"';
	out[ETAG_LEN] = 0;
}

static const char *skip_ows(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

int etag_match(const char *inm, const char *tag)
{
	size_t tl = strlen(tag);
	if (!inm)
		return 0;
	const char *p = skip_ows(inm);
	if (*p == '*')
		return *skip_ows(p + 1) == 0;
	while (*p) {
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (*p != '"')
			return 0;
		const char *end = strchr(p + 1, '"');
		if (!end)
			return 0;
		size_t n = (size_t)(end - p) + 1;
		if (n == tl && memcmp(p, tag, n) == 0)
			return 1;
		p = skip_ows(end + 1);
		if (*p == 0)
			break;
		if (*p != ',')
			return 0;
		p = skip_ows(p + 1);
	}
	return 0;
}

int http_res_etag(struct http_request *req, struct http_response *res,
		  const char *cache_control)
{
	char *tag = pool_alloc(req->pool, ETAG_LEN + 1);
	if (!tag)
		return TB_ENOMEM;
	etag_of(res->body.data, res->body.len, tag);
	int rc = http_res_header(res, "ETag", tag);
	if (rc == 0)
		rc = http_res_header(res, "Cache-Control", cache_control);
	if (rc == 0 && etag_match(http_header(req, "If-None-Match"), tag)) {
		res->status = 304;
		buf_reset(&res->body);
	}
	return rc;
}
