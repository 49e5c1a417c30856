#ifndef TERBIT_DIGEST_H
#define TERBIT_DIGEST_H
/*
 * SHA-256 for attachments, documents, API token lookup and the token's
 * field digest. A core utility (store, cases, http, issue and sign all
 * use it); it runs on libcrypto's EVP SHA-256, which is much faster than
 * a portable C version on large PDFs and attachments. And one fast
 * non-cryptographic hash for tables and validators.
 */
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define SHA256_LEN 32

void digest_sha256(const void *data, size_t n, unsigned char out[SHA256_LEN]);
/* Appends the 64-character lower-case hex digest of data to out. */
int digest_sha256_hex(struct buf *out, const void *data, size_t n);
/*
 * A fast 64-bit hash of n bytes, for tables and cache validators (the
 * verifier's ETag, its answer cache, the rate limiter): a few hundred
 * cycles for 3 KB, the same on every host (words read little-endian).
 * Not a digest: anyone can make two inputs collide on purpose.
 */
uint64_t digest_hash64(const void *data, size_t n);
/* SplitMix64's finaliser: every bit of k reaches every bit of the
 * result (for keys that are not random, as a table index). */
uint64_t digest_mix64(uint64_t k);
/* Constant-time comparison of n bytes: 1 when equal. */
int digest_equal(const void *a, const void *b, size_t n);

#endif
