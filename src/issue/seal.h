#ifndef TERBIT_ISSUE_SEAL_H
#define TERBIT_ISSUE_SEAL_H
/*
 * Inside the issue module only: sealing a registry row in the writer's
 * transaction (issue.c after every insert and state change, and
 * issue_seal_unsealed). The public check is issue_doc_seal_ok in issue.h.
 */
#include "core/buf.h"
#include "sign/keys.h"
#include "store/store.h"

/*
 * Reads the row of serial back as stored (issued_at and the revocation
 * columns are SQLite's), seals it with the keyring's seal key and writes
 * the seal; the copy read is left in *out when out is not NULL. Inside the
 * caller's transaction, so a row is never committed unsealed or with a
 * seal over another state. TB_ENOTFOUND when the keyring has no seal key.
 */
int issue__reseal(struct store *s, const struct keyring *kr,
		  const char *serial, struct store_document *out,
		  struct buf *err);

#endif
