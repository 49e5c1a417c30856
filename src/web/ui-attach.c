/*
 * Attachments and documents as files: the village's upload on the case
 * page, an attachment shown inline (the referral in the health office's
 * browser), and the download of an issued letter or card. The checks
 * (magic bytes, size, who may, scope) and the audit rows are the cases
 * and issue modules'; these only carry the bytes.
 */
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "http/pool.h"
#include "issue/issue.h"
#include "web/ui_case.h"
#include "web/web_int.h"

int ui_attach_post(struct web_req *w)
{
	const struct http_file *f = web_file(w, "file");
	const char *kind = web_form(w, "kind");
	int64_t id;
	char path[48];
	int rc = web_case_id(w, "id", &id);
	if (rc < 0)
		return rc;
	if (!f || f->len == 0)
		return ui_case_refused(w, id, TB_EINVAL, "file_error",
				       "Pilih berkas PDF, JPEG atau PNG yang "
				       "akan diunggah.");
	rc = cases_attach(w->store, w->actor, id, kind, f->filename, f->data,
			  f->len, NULL, w->err);
	if (rc == TB_EMEDIA || rc == TB_ETOOBIG || rc == TB_EINVAL)
		return ui_case_refused(w, id, rc, "file_error", w->err->data);
	if (rc == TB_ECONFLICT)
		return ui_case_refused(w, id, rc, NULL, w->err->data);
	if (rc < 0)
		return rc;
	snprintf(path, sizeof path, "/kasus/%lld?ok=lampiran", (long long)id);
	return web_redirect(w, path);
}

/* Content-Disposition with the stored file name reduced to bytes that
 * are safe in a header (the name is the uploader's, not ours). */
static const char *disposition(struct web_req *w, const char *how,
			       const char *name)
{
	size_t n = strlen(how);
	char *v = pool_alloc(w->http->pool, n + 160);
	if (!v)
		return how;
	memcpy(v, how, n);
	n += (size_t)sprintf(v + n, "; filename=\"");
	for (size_t i = 0; name[i] && i < 120; i++)
		v[n++] = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				"0123456789._-", name[i]) ? name[i] : '_';
	strcpy(v + n, "\"");
	return v;
}

int ui_attach_get(struct web_req *w)
{
	struct store_attachment meta;
	int64_t id, att;
	int rc;
	if ((rc = web_case_id(w, "id", &id)) < 0 ||
	    (rc = web_case_id(w, "att", &att)) < 0)
		return rc;
	buf_reset(&w->res->body);
	if ((rc = cases_attachment_get(w->store, w->actor, id, att, &meta,
				       &w->res->body, w->err)) < 0) {
		buf_reset(&w->res->body);
		return rc;
	}
	/* The type the magic bytes gave when it was stored, never the
	 * uploader's; inline only for the three types a browser shows
	 * without running anything, anything else is a download. */
	int shown = strcmp(meta.mime, "application/pdf") == 0 ||
		    strcmp(meta.mime, "image/jpeg") == 0 ||
		    strcmp(meta.mime, "image/png") == 0;
	w->res->content_type = shown ? pool_strdup(w->http->pool, meta.mime)
				     : "application/octet-stream";
	if (!w->res->content_type)
		return tb_err(w->err, TB_ENOMEM, "kehabisan memori");
	return http_res_header(w->res, "Content-Disposition",
			       disposition(w, shown ? "inline" : "attachment",
					   meta.filename[0] ? meta.filename
							    : "lampiran")) < 0
		       ? tb_err(w->err, TB_EINTERNAL, "terlalu banyak header")
		       : 0;
}

int ui_download(struct web_req *w)
{
	struct store_document doc;
	char name[48];
	const char *p = http_param(w->http, "serial");
	size_t n = p ? strlen(p) : 0;
	/* Captures are whole segments: "/unduh/<serial>.pdf" arrives as
	 * "<serial>.pdf". Without the suffix it is not a file of ours. */
	if (n <= 4 || strcmp(p + n - 4, ".pdf") != 0)
		return tb_err(w->err, TB_ENOTFOUND, "berkas tidak dikenal");
	const char *serial = pool_strndup(w->http->pool, p, n - 4);
	if (!serial)
		return tb_err(w->err, TB_ENOMEM, "kehabisan memori");
	buf_reset(&w->res->body);
	/* issue_fetch checks the scope and writes the download's audit row
	 * (what takes the document off the village's "ready" list). */
	int rc = issue_fetch(w->store, w->actor, serial, &doc, &w->res->body,
			     w->err);
	if (rc < 0) {
		buf_reset(&w->res->body);
		return rc == TB_EINVAL ? tb_err(w->err, TB_ENOTFOUND,
						"nomor seri tidak dikenal")
				       : rc;
	}
	w->res->content_type = "application/pdf";
	snprintf(name, sizeof name, "%s-%s.pdf",
		 strcmp(doc.kind, "card") == 0 ? "kartu" : "surat", doc.serial);
	return http_res_header(w->res, "Content-Disposition",
			       disposition(w, "attachment", name)) < 0
		       ? tb_err(w->err, TB_EINTERNAL, "terlalu banyak header")
		       : 0;
}
