#ifndef TERBIT_ISSUE_STATUS_H
#define TERBIT_ISSUE_STATUS_H
/*
 * The registry's signed status list (format: sign/statuslist.h,
 * docs/token.md): which documents are not in force, for checkers that
 * have no line to the registry. `terbit status export` writes it; the
 * server publishes it at GET /.well-known/terbit/status through the cache
 * below.
 *
 * What goes in, one line per document, by serial:
 *   R  revoked,    dated the day of revoked_at (UTC)
 *   S  superseded, dated the day of revoked_at (set at the reissue)
 *   X  valid but past its last day: dated the day after expires_day,
 *      the first day it is not in force (issue_doc_state)
 * A document in force is not listed.
 */
#include <stdint.h>

#include "core/buf.h"
#include "sign/keys.h"
#include "store/store.h"

/* next = made + this, unless the caller says otherwise. */
#define ISSUE_STATUS_NEXT_DEFAULT (24 * 3600)
/* The server makes a new list (a new "made") at least this often, and
 * says Cache-Control max-age of the same: see docs/token.md. */
#define ISSUE_STATUS_REFRESH 300

/* The issuer code of the policy's regency ("3510" -> 3510); 0 when it is
 * not 2 or 4 digits. */
uint32_t issue_status_issuer(const char *regency);

/*
 * The list as of now (unix seconds) and today (days, date_today()),
 * signed with kr's current QR key, next = now + next_secs. Appends to out.
 * 0 or a TB_E code.
 */
int issue_status_make(struct store *s, const struct keyring *kr,
		      uint32_t issuer, int64_t now, int64_t today,
		      int64_t next_secs, struct buf *out, struct buf *err);

/*
 * For the server: one list shared by every thread, rebuilt only when
 * the asking thread's store stamp moved since that handle last looked,
 * or the list is ISSUE_STATUS_REFRESH seconds old. A rebuild whose
 * entries are what the list already says keeps the list (same bytes,
 * same ETag) until it is that old. Thread-safe.
 */
struct issue_status_cache;
int issue_status_cache_new(const struct keyring *kr, uint32_t issuer,
			   int64_t next_secs, struct issue_status_cache **out,
			   struct buf *err);
void issue_status_cache_free(struct issue_status_cache *c);
/*
 * Copies the current list into out (appended) and its strong ETag
 * ("\"<32 hex of its SHA-256>\"", NUL-terminated) into etag, checking the
 * registry through s (this thread's handle). 0 or a TB_E code.
 */
#define ISSUE_STATUS_ETAG_LEN 35 /* with the quotes and the NUL */
int issue_status_cache_get(struct issue_status_cache *c, struct store *s,
			   struct buf *out, char etag[ISSUE_STATUS_ETAG_LEN],
			   struct buf *err);

#endif
