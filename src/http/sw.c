#include "http/sw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/digest.h"
#include "core/err.h"
#include "http/page.h"

/* A script is a few KB; anything near this is not ours. */
#define OFFLINE_FILE_MAX (256u * 1024)

static void etag_of(struct sw_file *f)
{
	unsigned char md[SHA256_LEN];
	digest_sha256(f->body.data, f->body.len, md);
	snprintf(f->etag, sizeof f->etag,
		 "\"%02x%02x%02x%02x%02x%02x%02x%02x\"", md[0], md[1], md[2],
		 md[3], md[4], md[5], md[6], md[7]);
}

static int read_static(const char *root, const char *name,
		       struct sw_file *f, struct buf *err)
{
	struct buf path = BUF_INIT;
	int rc = buf_addf(&path, "%s/static/%s", root, name);
	if (rc == 0)
		rc = buf_read_file(&f->body, path.data, OFFLINE_FILE_MAX, err);
	buf_release(&path);
	if (rc == 0)
		etag_of(f);
	return rc;
}

int sw_files_load(const char *root, struct sw_files **out,
		 struct buf *err)
{
	struct sw_files *f = calloc(1, sizeof *f);
	if (!f)
		return tb_err(err, TB_ENOMEM, "kehabisan memori");
	f->worker = (struct sw_file){ "text/javascript; charset=utf-8",
					   BUF_INIT, "" };
	f->reg = f->worker;
	f->shell = (struct sw_file){ "text/html; charset=utf-8",
					  BUF_INIT, "" };
	int rc = read_static(root, "verify-sw.js", &f->worker, err);
	if (rc == 0)
		rc = read_static(root, "verify-register.js", &f->reg, err);
	if (rc == 0 && (rc = page_offline_shell(&f->shell.body)) < 0)
		tb_err(err, rc, "halaman luring tidak dapat dibuat");
	if (rc == 0)
		etag_of(&f->shell);
	if (rc < 0) {
		sw_files_free(f);
		return rc;
	}
	*out = f;
	return 0;
}

void sw_files_free(struct sw_files *f)
{
	if (!f)
		return;
	buf_release(&f->worker.body);
	buf_release(&f->reg.body);
	buf_release(&f->shell.body);
	free(f);
}

int sw_file_serve(const struct sw_file *f, struct http_request *req,
		  struct http_response *res)
{
	const char *inm = http_header(req, "If-None-Match");
	/* The worker revalidates these on every refresh; a week keeps a
	 * phone from asking on every page in between. The browser checks
	 * the worker script itself past its HTTP cache (updateViaCache). */
	int rc = http_res_header(res, "Cache-Control", "public, max-age=604800");
	if (rc == 0)
		rc = http_res_header(res, "ETag", f->etag);
	if (rc < 0)
		return rc;
	res->content_type = f->type;
	if (inm && strcmp(inm, f->etag) == 0) {
		res->status = 304;
		return 0;
	}
	return buf_add(&res->body, f->body.data, f->body.len);
}
