#ifndef TERBIT_POOL_H
#define TERBIT_POOL_H
/*
 * A memory pool (arena) per HTTP request: handlers allocate small things
 * (copied strings, header values, records) without freeing each one; the
 * server frees the whole pool when the request completes, whatever path it
 * took (success, error, client gone). Not thread-safe: one request, one
 * thread at a time.
 *
 * Memory comes in chunks (first one inline-sized by `chunk`); an allocation
 * larger than a chunk gets a chunk of its own. `max` caps the total bytes
 * the pool may hold (0: no cap), so a request cannot grow it without bound.
 */
#include <stddef.h>

struct pool;

/* NULL when memory runs out. chunk 0: 4096. The caller frees with
 * pool_free. */
struct pool *pool_new(size_t chunk, size_t max);
/* Frees every allocation made from p, then p itself. NULL ok. */
void pool_free(struct pool *p);

/* n bytes aligned for any type, zeroed; NULL when out of memory or over
 * the cap. n == 0 returns a valid unique pointer. */
void *pool_alloc(struct pool *p, size_t n);
/* Copies s (NULL -> NULL) / the first n bytes of s, NUL-terminated. */
char *pool_strdup(struct pool *p, const char *s);
char *pool_strndup(struct pool *p, const char *s, size_t n);
/* Bytes handed out plus chunk overhead, for limits and tests. */
size_t pool_used(const struct pool *p);

#endif
