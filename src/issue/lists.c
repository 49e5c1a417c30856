/*
 * The document lists of the web pages: the print queue (cards and
 * letters in force never printed nor in a print job under way) and the
 * document search. Read through the registry's one row reader
 * (store_doc_get); scope through cases_scope, the prefix form of
 * wf_can_see.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/ids.h"
#include "core/str.h"
#include "issue/issue.h"

/* The documents behind a page of serials, each checked once more with
 * wf_can_see as single-document reads are. */
static int docs_of(struct store *s, const struct cases_actor *a,
		   const struct store_doc_ref *refs, size_t nrefs,
		   struct store_document **out, size_t *n, struct buf *err)
{
	int rc = 0;
	*out = NULL;
	*n = 0;
	if (nrefs == 0)
		return 0;
	if (!(*out = calloc(nrefs, sizeof **out)))
		return tb_err(err, TB_ENOMEM, "memori habis");
	for (size_t i = 0; i < nrefs && rc == 0; i++) {
		struct store_document *d = &(*out)[i];
		if ((rc = store_doc_get(s, refs[i].serial, d, err)) == 0 && a &&
		    !wf_can_see(a->role, a->region, d->village_code))
			rc = tb_err(err, TB_EPERM, "dokumen %s di luar wilayah %s",
				    d->serial, a->name);
	}
	if (rc < 0) {
		free(*out);
		*out = NULL;
		return rc;
	}
	*n = nrefs;
	return 0;
}

static int need_printer(const struct cases_actor *a, struct buf *err)
{
	if (!a || a->role != ROLE_DINSOS)
		return tb_err(err, TB_EPERM, "hanya petugas Dinas Sosial yang "
			      "mencetak dokumen");
	return 0;
}

int issue_print_queue(struct store *s, const struct cases_actor *a,
		      enum issue_kind kind, int newest_first, size_t offset,
		      struct store_document **out, size_t *n, size_t *total,
		      struct buf *err)
{
	struct store_doc_ref *refs = NULL;
	size_t nrefs = 0;
	char prefix[REGION_CODE_MAX + 1];
	*out = NULL;
	*n = 0;
	int rc = need_printer(a, err);
	if (rc < 0 || (rc = cases_scope(a, prefix, err)) < 0)
		return rc;
	if ((rc = store_doc_unprinted(s, issue_kind_name(kind), prefix,
				      date_today(), newest_first, offset,
				      CASES_PAGE, &refs, &nrefs, total, err)) < 0)
		return rc;
	rc = docs_of(s, a, refs, nrefs, out, n, err);
	free(refs);
	return rc;
}

static int search_run(struct store *s, const struct store_doc_query *q,
		      struct store_doc_ref **refs, size_t *nrefs,
		      size_t *total, struct buf *err)
{
	size_t all = 0;
	int rc = store_doc_search(s, q, refs, nrefs, &all, err);
	if (rc == 0 && total)
		*total = all;
	return rc < 0 ? rc : (int)(all > 0);
}

int issue_doc_search(struct store *s, const struct cases_actor *a,
		     const char *query, size_t offset,
		     struct store_document **out, size_t *n, size_t *total,
		     struct buf *err)
{
	struct store_doc_ref *refs = NULL;
	size_t nrefs = 0, len;
	char prefix[REGION_CODE_MAX + 1], q[STORE_NAME_MAX], serial[SERIAL_LEN + 1];
	struct buf why = BUF_INIT;
	int rc;
	*out = NULL;
	*n = 0;
	if (total)
		*total = 0;
	if ((rc = cases_scope(a, prefix, err)) < 0)
		return rc;
	query = query ? query + strspn(query, " \t") : "";
	len = strlen(query);
	while (len && strchr(" \t\r\n", query[len - 1]))
		len--;
	if (len < 2 || len >= sizeof q)
		return tb_err(err, TB_EINVAL, "ketik nomor seri, NIK atau nama "
			      "(paling sedikit 2 huruf)");
	snprintf(q, sizeof q, "%.*s", (int)len, query);
	struct store_doc_query sq = {
		.prefix = prefix, .offset = offset, .limit = CASES_PAGE,
	};
	int digits = str_all_digits(q);
	int is_serial = issue_serial_parse(q, serial, &why) == 0;
	buf_release(&why);
	if (digits && len <= 16)
		sq.nik = q;
	else if (is_serial)
		sq.serial = serial;
	else
		sq.name = q;
	rc = search_run(s, &sq, &refs, &nrefs, total, err);
	if (rc == 0 && digits && is_serial) {
		/* 16 digits matching no NIK: a serial that is all digits */
		sq.nik = NULL;
		sq.serial = serial;
		rc = search_run(s, &sq, &refs, &nrefs, total, err);
	}
	if (rc >= 0)
		rc = docs_of(s, a, refs, nrefs, out, n, err);
	free(refs);
	return rc;
}
