/*
 * Fuzz target: form bodies (multipart/form-data and urlencoded) through
 * src/http/form.c on a real libmicrohttpd connection (mhd_conn.h), fed the
 * way the server feeds them (server.c on_request): MHD's upload chunks,
 * cut again into smaller pieces so that field and boundary edges fall
 * anywhere.
 *
 * Input: one byte choosing the piece size (0: whole chunks), the
 * Content-Type value up to the first '\n', then the body.
 * Checked: every value found is NUL-terminated within what was fed, and
 * a file part's length never passes the form's limit.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "http/form.h"
#include "mhd_conn.h"

/* Small enough that a fuzzed body reaches TB_ETOOBIG now and then. */
#define FORM_MAX 4096

struct form_run {
	struct http_form *form;
	size_t piece;
	int failed;
};

static struct form_run run;

static void form_check(const struct http_form *f)
{
	static const char *const names[] = { "csrf", "nik", "name", "note", "", "a" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		const char *v = http_form_get(f, names[i]);
		if (v && strlen(v) > FORM_MAX)
			abort();
		const struct http_file *file = http_form_get_file(f, names[i]);
		if (file && (file->len > FORM_MAX || !file->filename || !file->mime))
			abort();
		if (file && file->len)
			(void)((volatile const char *)file->data)[file->len - 1];
	}
}

static enum MHD_Result form_answer(struct MHD_Connection *conn, unsigned status)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
	if (!r)
		abort();
	enum MHD_Result ok = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result form_handler(void *cls, struct MHD_Connection *conn,
				    const char *url, const char *method,
				    const char *version, const char *upload,
				    size_t *upload_size, void **con_cls)
{
	(void)cls;
	(void)url;
	(void)method;
	(void)version;
	if (!*con_cls) {
		*con_cls = &run;
		const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							     "Content-Type");
		if (http_form_is(ct) && !(run.form = http_form_new(conn, FORM_MAX)))
			run.failed = 1;
		return MHD_YES;
	}
	if (*upload_size) {
		for (size_t off = 0; !run.failed && run.form && off < *upload_size;) {
			size_t n = *upload_size - off;
			if (run.piece && n > run.piece)
				n = run.piece;
			if (http_form_feed(run.form, upload + off, n) < 0)
				run.failed = 1;
			off += n;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (run.form && !run.failed && http_form_finish(run.form) == 0)
		form_check(run.form);
	return form_answer(conn, run.failed ? 400 : 200);
}

static void form_done(void *cls, struct MHD_Connection *conn, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	if (*con_cls) {
		http_form_free(run.form);
		run.form = NULL;
		*con_cls = NULL;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct MHD_Daemon *d = mhd_conn_daemon(form_handler, form_done);
	run = (struct form_run){ .piece = data[0] % 64 };
	data++, size--;
	const uint8_t *nl = memchr(data, '\n', size);
	size_t ctlen = nl ? (size_t)(nl - data) : size;
	if (ctlen > 512)
		ctlen = 512;
	const char *body = nl ? (const char *)nl + 1 : "";
	size_t blen = nl ? size - (size_t)(nl + 1 - data) : 0;

	/* The header value as a browser could send it: no control bytes,
	 * which MHD would refuse before any form code runs. */
	struct buf req = BUF_INIT;
	char head[160];
	buf_adds(&req, "POST /f HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
		       "Content-Type: ");
	for (size_t i = 0; i < ctlen; i++) {
		char c = (char)data[i];
		buf_addc(&req, (unsigned char)c < 0x20 || c == 0x7f ? ' ' : c);
	}
	snprintf(head, sizeof head, "\r\nContent-Length: %zu\r\n\r\n", blen);
	buf_adds(&req, head);
	buf_add(&req, body, blen);
	mhd_conn_request(d, &req);
	buf_release(&req);
	return 0;
}
