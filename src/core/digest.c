#include "core/digest.h"

#include <pthread.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

/*
 * EVP_sha256() makes OpenSSL 3 look the implementation up again on every
 * digest (a fetch from its provider store, then a free): 0.46 us a
 * 420-byte digest against 0.28 us with the implementation fetched once. Fetched once per
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

/* Eight bytes at a time, every byte read whatever came before: the
 * verifier compares a 152-byte token an answer, and CRYPTO_memcmp's
 * byte loop was a thirtieth of its instructions. The empty asm keeps
 * the compiler from reasoning about acc, so it cannot stop early. */
int digest_equal(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;
	uint64_t acc = 0;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t x, y;
		memcpy(&x, p + i, 8);
		memcpy(&y, q + i, 8);
		acc |= x ^ y;
		__asm__("" : "+r"(acc));
	}
	for (; i < n; i++) {
		acc |= (uint64_t)(p[i] ^ q[i]);
		__asm__("" : "+r"(acc));
	}
	return acc == 0;
}

/*
 * digest_hash64: four lanes of 64-bit words, each word xored in and
 * multiplied by an odd constant then folded (so every bit of a word
 * reaches the high half); the lanes and the length mixed at the end.
 */
static uint64_t fold(uint64_t h, uint64_t w)
{
	h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 32);
}

uint64_t digest_mix64(uint64_t k)
{
	k ^= k >> 30;
	k *= 0xbf58476d1ce4e5b9ULL;
	k ^= k >> 27;
	k *= 0x94d049bb133111ebULL;
	return k ^ (k >> 31);
}

/* Little-endian on any host, so every host gives the same hash. */
static uint64_t le64(const unsigned char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

uint64_t digest_hash64(const void *data, size_t n)
{
	const unsigned char *p = data;
	uint64_t lane[4] = { 1, 2, 3, 4 };
	size_t i = 0;
	for (; i + 32 <= n; i += 32)
		for (int l = 0; l < 4; l++)
			lane[l] = fold(lane[l], le64(p + i + 8 * l));
	for (; i + 8 <= n; i += 8)
		lane[0] = fold(lane[0], le64(p + i));
	unsigned char tail[8] = { 0 };
	if (n > i)
		memcpy(tail, p + i, n - i);
	lane[1] = fold(lane[1], le64(tail));
	uint64_t h = digest_mix64(n);
	for (int l = 0; l < 4; l++)
		h = digest_mix64(h ^ lane[l]);
	return h;
}
