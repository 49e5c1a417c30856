#ifndef TERBIT_RATELIMIT_H
#define TERBIT_RATELIMIT_H
/*
 * Per-client rate limit: a token bucket per address holding at most N
 * tokens, refilled at N per minute, one token per request. A client may
 * burst N requests, then gets one every 60/N seconds.
 *
 * Memory is fixed at creation: buckets live in a set-associative table
 * (8 slots per set). A new address takes a free slot of its set, or the
 * one used least recently; the evicted address starts again with a full
 * bucket. That bounds memory under a flood of addresses, at the cost of
 * forgetting the quietest clients first. Thread-safe (one mutex).
 */
#include <stddef.h>
#include <stdint.h>

struct ratelimit;

/* per_minute 0: limiting off. slots 0: 4096. NULL when out of memory.
 * The caller frees with ratelimit_free. */
struct ratelimit *ratelimit_new(unsigned per_minute, size_t slots);
void ratelimit_free(struct ratelimit *rl); /* NULL ok */

/*
 * Takes one token for client (an address as text; longer than 63 bytes is
 * cut) at now_ms (clock_mono_ms, or a test's clock). Returns 1 when the
 * request may proceed; 0 when limited, with *retry_after (may be NULL) set
 * to the whole seconds until a token is back (at least 1).
 */
int ratelimit_take(struct ratelimit *rl, const char *client, int64_t now_ms,
		   unsigned *retry_after);

#endif
