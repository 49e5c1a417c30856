#include "core/digest.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

void digest_sha256(const void *data, size_t n, unsigned char out[SHA256_LEN])
{
	unsigned int len = SHA256_LEN;
	/* EVP_Digest only fails on allocation; zero the output so a failure
	 * can never look like a matching digest. */
	if (!EVP_Digest(data, n, out, &len, EVP_sha256(), NULL))
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
