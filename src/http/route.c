#include "http/route.h"

#include <string.h>
#include <strings.h>

int route_match(const char *pattern, const char *path,
		struct route_params *out)
{
	struct route_params got = { 0 };
	const char *p = pattern, *s = path;
	while (*p) {
		if (*p == '{') {
			const char *end = strchr(p, '}');
			size_t len = strcspn(s, "/");
			if (!end || len == 0 || got.n == ROUTE_MAX_PARAMS)
				return 0;
			got.p[got.n].name = p + 1;
			got.p[got.n].name_len = (size_t)(end - p - 1);
			got.p[got.n].val = s;
			got.p[got.n].val_len = len;
			got.n++;
			p = end + 1;
			s += len;
			continue;
		}
		if (*p != *s)
			return 0;
		p++;
		s++;
	}
	if (*s)
		return 0;
	if (out)
		*out = got;
	return 1;
}

/* HEAD is answered by the GET row (libmicrohttpd drops the body). */
static int method_fits(const char *row, const char *method)
{
	return strcmp(row, method) == 0 ||
	       (strcmp(method, "HEAD") == 0 && strcmp(row, "GET") == 0);
}

static void allow_add(const char **seen, int *n, const char *m)
{
	for (int i = 0; i < *n; i++)
		if (strcmp(seen[i], m) == 0)
			return;
	if (*n < 16)
		seen[(*n)++] = m;
}

const struct route *route_find(const struct route *table, size_t n,
			       const char *method, const char *path,
			       struct route_params *params, int *status,
			       struct buf *allow)
{
	const char *seen[16];
	int nseen = 0;
	for (size_t i = 0; i < n; i++) {
		if (!route_match(table[i].pattern, path, params))
			continue;
		if (method_fits(table[i].method, method)) {
			*status = 200;
			return &table[i];
		}
		allow_add(seen, &nseen, table[i].method);
		if (strcmp(table[i].method, "GET") == 0)
			allow_add(seen, &nseen, "HEAD");
	}
	*status = nseen ? 405 : 404;
	if (allow) {
		buf_reset(allow);
		for (int i = 0; i < nseen; i++)
			if (buf_adds(allow, i ? ", " : "") < 0 ||
			    buf_adds(allow, seen[i]) < 0)
				break;
	}
	return NULL;
}

int route_type_ok(const struct route *r, const char *content_type)
{
	if (!r->types)
		return 1;
	if (!content_type)
		return 0;
	while (*content_type == ' ' || *content_type == '\t')
		content_type++;
	size_t want = strcspn(content_type, ";");
	while (want && (content_type[want - 1] == ' ' ||
			content_type[want - 1] == '\t'))
		want--;
	for (const char *t = r->types; *t;) {
		size_t len = strcspn(t, ",");
		if (len == want && strncasecmp(t, content_type, len) == 0)
			return 1;
		t += len;
		t += *t == ',';
	}
	return 0;
}
