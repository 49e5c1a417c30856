#include "core/digest.h"

#include <pthread.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

/*
 * EVP_sha256() makes OpenSSL 3 look the implementation up again on every
 * digest (a fetch from its provider store, then a free): 0.46 us a
 * 420-byte digest against 0.28 us with the implementation fetched once,
 * and the verifier hashes every answer for its ETag. Fetched once per
 * process and kept; NULL (the fetch failed) falls back to EVP_sha256().
 */
static EVP_MD *sha256_md;

static void fetch_sha256(void)
{
	sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
}

void digest_sha256(const void *data, size_t n, unsigned char out[SHA256_LEN])
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	unsigned int len = SHA256_LEN;
	pthread_once(&once, fetch_sha256);
	/* EVP_Digest only fails on allocation; zero the output so a failure
	 * can never look like a matching digest. */
	if (!EVP_Digest(data, n, out, &len,
			sha256_md ? sha256_md : EVP_sha256(), NULL))
		OPENSSL_cleanse(out, SHA256_LEN);
}

int digest_sha256_hex(struct buf *out, const void *data, size_t n)
{
	unsigned char md[SHA256_LEN];
	digest_sha256(data, n, md);
	return buf_addhex(out, md, sizeof md);
}

int digest_equal(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0;
}
