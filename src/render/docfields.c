/* The document fields (struct render_fields). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "render/render.h"

void render_fields_init(struct render_fields *f)
{
	memset(f, 0, sizeof(*f));
}

int render_fields_set(struct render_fields *f, const char *key,
		      const char *value)
{
	char *v = strdup(value);
	if (!v)
		return TB_ENOMEM;
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->item[i].key, key) == 0) {
			free(f->item[i].value);
			f->item[i].value = v;
			return 0;
		}
	if (f->n >= RENDER_FIELDS_MAX) {
		free(v);
		return TB_ETOOBIG;
	}
	char *k = strdup(key);
	if (!k) {
		free(v);
		return TB_ENOMEM;
	}
	f->item[f->n].key = k;
	f->item[f->n].value = v;
	f->n++;
	return 0;
}

const char *render_fields_get(const struct render_fields *f, const char *key)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->item[i].key, key) == 0)
			return f->item[i].value;
	return NULL;
}

void render_fields_release(struct render_fields *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->item[i].key);
		free(f->item[i].value);
	}
	f->n = 0;
}

static size_t trim(const char **s, size_t n)
{
	while (n && isspace((unsigned char)**s))
		(*s)++, n--;
	while (n && isspace((unsigned char)(*s)[n - 1]))
		n--;
	return n;
}

int render_fields_parse(struct render_fields *f, const char *text,
			struct buf *err)
{
	struct buf key = BUF_INIT, val = BUF_INIT;
	int rc = 0, lineno = 0;
	for (const char *p = text; *p && rc == 0;) {
		size_t n = strcspn(p, "\n");
		const char *line = p;
		p += n + (p[n] == '\n');
		lineno++;
		n = trim(&line, n);
		if (!n || *line == '#')
			continue;
		const char *eq = memchr(line, '=', n);
		if (!eq) {
			rc = tb_err(err, TB_EINVAL, "baris %d: tanpa '='",
				    lineno);
			break;
		}
		const char *k = line, *v = eq + 1;
		size_t kn = trim(&k, (size_t)(eq - line));
		size_t vn = trim(&v, n - (size_t)(v - line));
		buf_reset(&key);
		buf_reset(&val);
		if (buf_add(&key, k, kn) < 0 || buf_add(&val, v, vn) < 0 ||
		    (rc = render_fields_set(f, key.data, val.data)) < 0)
			rc = tb_err(err, rc < 0 ? rc : TB_ENOMEM,
				    "baris %d: field tidak dapat disimpan",
				    lineno);
	}
	buf_release(&key);
	buf_release(&val);
	return rc;
}
