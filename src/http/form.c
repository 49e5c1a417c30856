#include "http/form.h"

#include <microhttpd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"

/* A form of ours has a few dozen fields; a body with thousands of tiny
 * ones is an attack on the list below, not a form. */
#define FIELDS_MAX 256
#define NAME_LEN 64
/* libmicrohttpd's own buffer for a key or a multipart header. */
#define PP_BUFFER 1024

struct field {
	char name[NAME_LEN];
	char *filename, *mime;
	int is_file;
	struct buf value;
	struct http_file file;      /* filled at finish for file parts */
	struct field *next;
};

struct http_form {
	struct MHD_PostProcessor *pp;
	struct field *first, *last;
	size_t nfields, fed, max;
	int failed;                 /* TB_ code the iterator met, or 0 */
};

int http_form_is(const char *ct)
{
	if (!ct)
		return 0;
	size_t n = strcspn(ct, "; \t");
	return (n == 33 && strncasecmp(ct, "application/x-www-form-urlencoded", n) == 0) ||
	       (n == 19 && strncasecmp(ct, "multipart/form-data", n) == 0);
}

static enum MHD_Result on_field(void *cls, enum MHD_ValueKind kind,
				const char *key, const char *filename,
				const char *content_type,
				const char *transfer_encoding, const char *data,
				uint64_t off, size_t size)
{
	struct http_form *f = cls;
	struct field *fd = f->last;
	(void)kind;
	(void)transfer_encoding;
	if (!key)
		key = "";
	/* The same field goes on while off grows; off 0 starts a new one. */
	if (off == 0 || !fd || strcmp(fd->name, key) != 0) {
		if (f->nfields == FIELDS_MAX || strlen(key) >= NAME_LEN) {
			f->failed = TB_EINVAL;
			return MHD_NO;
		}
		if (!(fd = calloc(1, sizeof *fd))) {
			f->failed = TB_ENOMEM;
			return MHD_NO;
		}
		strcpy(fd->name, key);
		buf_init(&fd->value, f->max);
		fd->is_file = filename != NULL;
		fd->filename = filename ? strdup(filename) : NULL;
		fd->mime = content_type ? strdup(content_type) : NULL;
		if (f->last)
			f->last->next = fd;
		else
			f->first = fd;
		f->last = fd;
		f->nfields++;
		if ((filename && !fd->filename) || (content_type && !fd->mime)) {
			f->failed = TB_ENOMEM;
			return MHD_NO;
		}
	}
	if (size && buf_add(&fd->value, data, size) < 0) {
		f->failed = TB_ENOMEM;
		return MHD_NO;
	}
	return MHD_YES;
}

struct http_form *http_form_new(struct MHD_Connection *conn, size_t max)
{
	struct http_form *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	f->max = max;
	f->pp = MHD_create_post_processor(conn, PP_BUFFER, on_field, f);
	if (!f->pp) {
		free(f);
		return NULL;
	}
	return f;
}

int http_form_feed(struct http_form *f, const char *data, size_t n)
{
	/* Counted before parsing: whatever the encoding, the fields can
	 * never hold more than the bytes that carried them. */
	if (n > f->max - f->fed)
		return TB_ETOOBIG;
	f->fed += n;
	if (MHD_post_process(f->pp, data, n) != MHD_YES)
		return f->failed ? f->failed : TB_EINVAL;
	return 0;
}

int http_form_finish(struct http_form *f)
{
	enum MHD_Result ok = MHD_destroy_post_processor(f->pp);
	f->pp = NULL;
	if (f->failed)
		return f->failed;
	for (struct field *fd = f->first; fd; fd = fd->next)
		if (fd->is_file)
			fd->file = (struct http_file){ fd->filename,
						       fd->mime ? fd->mime : "",
						       fd->value.data, fd->value.len };
	return ok == MHD_YES ? 0 : TB_EINVAL;
}

void http_form_free(struct http_form *f)
{
	if (!f)
		return;
	if (f->pp)
		MHD_destroy_post_processor(f->pp);
	for (struct field *fd = f->first, *next; fd; fd = next) {
		next = fd->next;
		buf_release(&fd->value);
		free(fd->filename);
		free(fd->mime);
		free(fd);
	}
	free(f);
}

static const struct field *get(const struct http_form *f, const char *name,
			       int file)
{
	for (const struct field *fd = f ? f->first : NULL; fd; fd = fd->next)
		if (fd->is_file == file && strcmp(fd->name, name) == 0)
			return fd;
	return NULL;
}

const char *http_form_get(const struct http_form *f, const char *name)
{
	const struct field *fd = get(f, name, 0);
	return fd ? fd->value.data : NULL;
}

const struct http_file *http_form_get_file(const struct http_form *f,
					   const char *name)
{
	const struct field *fd = get(f, name, 1);
	return fd ? &fd->file : NULL;
}

int http_url_unescape(struct buf *out, const char *s, size_t n)
{
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		int hi, lo;
		char ch = s[i];
		if (ch == '+') {
			ch = ' ';
		} else if (ch == '%' && i + 2 < n && (hi = str_hexval(s[i + 1])) >= 0 &&
			   (lo = str_hexval(s[i + 2])) >= 0) {
			ch = (char)(hi * 16 + lo);
			i += 2;
		}
		rc = buf_addc(out, ch);
	}
	return rc;
}

int http_form_urlencoded(const char *content_type, const char *body, size_t n,
			 size_t max, struct http_form **out)
{
	*out = NULL;
	size_t ctl = content_type ? strcspn(content_type, "; \t") : 0;
	if (ctl != 33 ||
	    strncasecmp(content_type, "application/x-www-form-urlencoded", ctl))
		return TB_EMEDIA;
	if (n > max)
		return TB_ETOOBIG;
	struct http_form *f = calloc(1, sizeof *f);
	if (!f)
		return TB_ENOMEM;
	f->max = max;
	f->fed = n;
	struct buf key = BUF_INIT, val = BUF_INIT;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n;) {
		size_t len = 0;
		while (i + len < n && body[i + len] != '&')
			len++;
		const char *pair = body + i, *eq = memchr(pair, '=', len);
		size_t kl = eq ? (size_t)(eq - pair) : len;
		i += len + 1;
		if (!len)
			continue;
		buf_reset(&key);
		buf_reset(&val);
		rc = http_url_unescape(&key, pair, kl);
		if (rc == 0 && eq)
			rc = http_url_unescape(&val, eq + 1, len - kl - 1);
		/* A NUL in a name would cut it short where it is compared. */
		if (rc == 0 && memchr(key.data ? key.data : "", '\0', key.len))
			rc = TB_EINVAL;
		if (rc == 0 && on_field(f, MHD_POSTDATA_KIND, key.data ? key.data : "",
					NULL, NULL, NULL, val.data ? val.data : "",
					0, val.len) != MHD_YES)
			rc = f->failed ? f->failed : TB_EINVAL;
	}
	buf_release(&key);
	buf_release(&val);
	if (rc < 0) {
		http_form_free(f);
		return rc;
	}
	*out = f;
	return 0;
}
