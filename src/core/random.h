#ifndef TERBIT_RANDOM_H
#define TERBIT_RANDOM_H
/*
 * The one source of unpredictable bytes: API tokens, document serials,
 * certificate serials and the PDF /ID all come from here, so there is one
 * place to audit (and, for tests that want fixed output, one place that
 * would need a hook).
 *
 * It reads the kernel's CSPRNG with getrandom(2) rather than OpenSSL's
 * RAND_bytes: no user-space generator state, no library error queue to
 * clear on failure, and the kernel pool is what OpenSSL seeds from
 * anyway. getrandom blocks only until the pool is first initialised at
 * boot, never afterwards.
 */
#include <stddef.h>

/* Fills n bytes at out. 0, or TB_ECRYPTO with errno set by the failing
 * getrandom (ENOSYS on a kernel older than 3.17); callers word the
 * message, as buf_write_all's do. */
int rand_bytes(void *out, size_t n);

#endif
