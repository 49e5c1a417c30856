#ifndef TERBIT_VINDEX_H
#define TERBIT_VINDEX_H
/*
 * vindex: the verifier's registry in memory. Every document row is read
 * once (vindex_load) and kept, by serial, only when its seal holds
 * (issue_doc_seal_ok); afterwards only the rows the change log names
 * (store_doc_changes, written by triggers for every writer) are read
 * again and their seals checked again (vindex_sync). A verification then
 * reads no database page and computes no HMAC, and gets the row that
 * store_doc_lookup followed by the seal check would give, with these
 * differences:
 *   - a row whose seal fails is not kept: vindex_get says absent, and
 *     the caller takes the database path, which answers FORGED;
 *   - a change made behind terbit's back by a program that also dropped
 *     the change log's triggers is not seen until the next load: the
 *     answer stays the last sealed state, never the unsealed one
 *     (`terbit document check` finds the edit).
 * The log keeps its last 65,536 entries (migration 14): a sync that
 * finds it no longer reaching back to the index's position (a thread
 * idle while more changed, or a log emptied) reads every row again.
 *
 * Memory: each row packed, its strings as long as they are, and the
 * table: about 660 bytes a letter (65 MB for 100,000, measured by
 * `make bench`).
 *
 * Thread-safe: lookups share a read lock; applying a sync takes the
 * write lock only to swap rows in, after the rows were read and checked.
 */
#include <stdint.h>

#include "core/buf.h"
#include "sign/keys.h"
#include "store/store.h"

struct vindex;

/* Reads and checks every row on s. TB_ENOMEM or a store error. */
int vindex_load(struct store *s, const struct keyring *kr,
		struct vindex **out, struct buf *err);
void vindex_free(struct vindex *ix);

/*
 * Reads the rows changed since the last sync (or load) on s, which must
 * hold one snapshot for the call (store_read_hold), and puts them in:
 * a row whose seal fails, or that is gone, leaves the index. A sync on
 * an older snapshot than one already applied changes nothing.
 */
int vindex_sync(struct vindex *ix, struct store *s, struct buf *err);

/* 1 with *out filled (every member store_doc_lookup fills; the rest of
 * *out untouched), 0 when the serial is not kept. */
int vindex_get(struct vindex *ix, const char *serial,
	       struct store_document *out);

/* Rows kept and bytes they take (rows and table). */
void vindex_stats(struct vindex *ix, size_t *rows, size_t *bytes);

#endif
