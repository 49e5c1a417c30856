/*
 * Handing a document's bytes out: the registry lookup of issue_get plus
 * the audit row that says who took a copy. Kept apart from the gate: it
 * writes only the audit log, never a document row.
 */
#include <stdio.h>

#include "core/err.h"
#include "issue/issue.h"

int issue_fetch(struct store *s, const struct cases_actor *a,
		const char *serial, struct store_document *out,
		struct buf *pdf, struct buf *err)
{
	char object[32];
	size_t before = pdf->len;
	int rc = store_begin(s, err);
	if (rc < 0)
		return rc;
	if ((rc = issue_get(s, a, serial, out, pdf, err)) < 0)
		goto out;
	snprintf(object, sizeof object, "document:%s", out->serial);
	rc = store_audit_add(s, a ? a->name : "console",
			     role_name(a ? a->role : ROLE_ADMIN),
			     "document.download", object, out->kind, err);
out:
	if (rc < 0) {
		store_rollback(s);
		buf_truncate(pdf, before);
		return rc;
	}
	return store_commit(s, err);
}
