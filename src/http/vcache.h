#ifndef TERBIT_VCACHE_H
#define TERBIT_VCACHE_H
/*
 * vcache: one worker thread's cache of verifier answers (the JSON and the
 * HTML page), so a code scanned again is answered without reading its
 * registry row or writing the answer again. An answer is keyed by the
 * exact token text presented (compared in constant time) and is served
 * only while
 *   - the handle's store_stamp is the one it was made under: any commit
 *     anywhere (a revocation from the CLI, from another thread, or from
 *     the API on this very thread) makes every entry stale at once;
 *   - the day (date_today) is the one it was made on, for expiry.
 * So the answer is the one a fresh lookup would give, revocation,
 * supersession and expiry included.
 *
 * Only answers about a registry row are worth keeping (VALID, REVOKED,
 * SUPERSEDED, EXPIRED): the caller does not put FORGED or UNKNOWN ones,
 * so junk tokens cannot push real ones out. And only a token answered
 * before: its first put only marks it seen (in a bitmap of token hashes
 * cleared once half full), its second keeps it, so codes scanned once
 * do not push out those scanned again.
 *
 * Fixed size: VCACHE_SLOTS entries in sets of 4 chosen by a hash of the
 * token (a fifth token in a set replaces one in turn); an entry holds both
 * bodies (about 2.5 KB), so at most ~10 MiB a thread. Tokens longer than
 * VCACHE_TOKEN_MAX are not kept. Not thread-safe: one per thread
 * (http_thread_slot).
 */
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define VCACHE_SLOTS 4096
#define VCACHE_TOKEN_MAX 256

enum vcache_kind { VCACHE_JSON, VCACHE_PAGE, VCACHE__KINDS };

struct vcache;

/* NULL when memory runs out. vcache_free(NULL) is fine. */
struct vcache *vcache_new(void);
void vcache_free(struct vcache *c);

/*
 * The kept body of kind k for token, made under stamp st on day today:
 * 0 with *body (valid until the next vcache_put), *len and *state (the
 * enum verify_state it says); TB_ENOTFOUND when there is none that is
 * still good.
 */
int vcache_get(struct vcache *c, const char *token,
	       const struct store_stamp *st, int64_t today, enum vcache_kind k,
	       const char **body, size_t *len, int *state);

/* Keeps a copy of body (kind k, saying state) for token, made under st
 * on today, when token was put before (above) or is kept already; else
 * marks it seen. 0, TB_EINVAL for a token too long to keep, or
 * TB_ENOMEM (then nothing is kept for that token). */
int vcache_put(struct vcache *c, const char *token,
	       const struct store_stamp *st, int64_t today, enum vcache_kind k,
	       int state, const void *body, size_t len);

#endif
