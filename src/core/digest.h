#ifndef TERBIT_DIGEST_H
#define TERBIT_DIGEST_H
/*
 * SHA-256 for attachments, documents, API token lookup and the token's
 * field digest. A core utility (store, cases, http, issue and sign all
 * use it); it runs on libcrypto's EVP SHA-256, which is much faster than
 * a portable C version on large PDFs and attachments.
 */
#include <stddef.h>

#include "core/buf.h"

#define SHA256_LEN 32

void digest_sha256(const void *data, size_t n, unsigned char out[SHA256_LEN]);
/* Appends the 64-character lower-case hex digest of data to out. */
int digest_sha256_hex(struct buf *out, const void *data, size_t n);
/* Constant-time comparison of n bytes: 1 when equal. */
int digest_equal(const void *a, const void *b, size_t n);

#endif
