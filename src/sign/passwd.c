#include "sign/passwd.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"

/*
 * Bounds on what a stored string may ask for. ln above 20 (1 GiB at
 * r = 8) or odd r/p would be a tampered or foreign row: refusing it is
 * cheaper than letting one sign-in allocate the machine's memory.
 */
#define LN_MIN 10
#define LN_MAX 20
#define R_MAX 32
#define P_MAX 16

static int derive(const char *pw, const unsigned char *salt,
		  const struct passwd_params *pp,
		  unsigned char out[PASSWD_HASH_LEN], struct buf *err)
{
	uint64_t n = (uint64_t)1 << pp->ln;
	uint32_t r = pp->r, p = pp->p;
	/* Cap the memory at what these parameters need (plus slack for
	 * OpenSSL's own buffers) rather than trusting a library default. */
	uint64_t maxmem = 128u * (uint64_t)r * (n + p + 2) + (1u << 20);
	size_t pwlen = strlen(pw);
	int rc = TB_ECRYPTO;
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "SCRYPT", NULL);
	EVP_KDF_CTX *ctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD,
						  (void *)pw, pwlen),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
						  (void *)salt,
						  PASSWD_SALT_LEN),
		OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
		OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
		OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
		OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM,
					    &maxmem),
		OSSL_PARAM_construct_end(),
	};
	if (!ctx || EVP_KDF_derive(ctx, out, PASSWD_HASH_LEN, params) != 1) {
		OPENSSL_cleanse(out, PASSWD_HASH_LEN);
		tb_err(err, rc, "gagal menghitung hash kata sandi (scrypt)");
		goto out;
	}
	rc = 0;
out:
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	return rc;
}

int passwd_hash(const char *pw, struct buf *out, struct buf *err)
{
	static const struct passwd_params cur = { PASSWD_LN, PASSWD_R,
						  PASSWD_P };
	unsigned char salt[PASSWD_SALT_LEN], hash[PASSWD_HASH_LEN];
	int rc;
	if (strlen(pw) > PASSWD_MAX)
		return tb_err(err, TB_EINVAL, "kata sandi terlalu panjang");
	if (RAND_bytes(salt, sizeof salt) != 1)
		return tb_err(err, TB_ECRYPTO, "gagal membuat garam acak");
	if ((rc = derive(pw, salt, &cur, hash, err)) < 0)
		return rc;
	size_t mark = out->len;
	if (buf_addf(out, "$scrypt$ln=%u,r=%u,p=%u$", cur.ln, cur.r,
		     cur.p) < 0 ||
	    buf_addhex(out, salt, sizeof salt) < 0 || buf_addc(out, '$') < 0 ||
	    buf_addhex(out, hash, sizeof hash) < 0) {
		buf_truncate(out, mark);
		rc = tb_err(err, TB_ENOMEM, "memori habis");
	}
	OPENSSL_cleanse(hash, sizeof hash);
	return rc;
}

/* Exactly 2 * n lower-case hex digits into n bytes; the length of the
 * field is checked by the caller. */
static int unhex(const char *s, unsigned char *out, size_t n)
{
	for (size_t i = 0; i < 2 * n; i++) {
		char c = s[i];
		int v = c >= '0' && c <= '9' ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
					       : -1;
		if (v < 0)
			return -1;
		if (i % 2 == 0)
			out[i / 2] = (unsigned char)(v << 4);
		else
			out[i / 2] |= (unsigned char)v;
	}
	return 0;
}

/* A decimal number of 1 to 2 digits followed by stop; advances *p. */
static int number(const char **p, unsigned *out, char stop)
{
	const char *s = *p;
	unsigned v = 0;
	int digits = 0;
	while (*s >= '0' && *s <= '9' && digits < 3) {
		v = v * 10 + (unsigned)(*s++ - '0');
		digits++;
	}
	if (digits == 0 || digits > 2 || *s != stop)
		return -1;
	*out = v;
	*p = s + 1;
	return 0;
}

int passwd_parse(const char *encoded, struct passwd_params *pp,
		 unsigned char salt[PASSWD_SALT_LEN],
		 unsigned char hash[PASSWD_HASH_LEN], struct buf *err)
{
	static const char prefix[] = "$scrypt$ln=";
	unsigned char sbuf[PASSWD_SALT_LEN], hbuf[PASSWD_HASH_LEN];
	struct passwd_params v;
	const char *p = encoded;
	if (!p || strncmp(p, prefix, sizeof prefix - 1) != 0)
		goto bad;
	p += sizeof prefix - 1;
	if (number(&p, &v.ln, ',') < 0 || strncmp(p, "r=", 2) != 0)
		goto bad;
	p += 2;
	if (number(&p, &v.r, ',') < 0 || strncmp(p, "p=", 2) != 0)
		goto bad;
	p += 2;
	if (number(&p, &v.p, '$') < 0)
		goto bad;
	if (v.ln < LN_MIN || v.ln > LN_MAX || v.r < 1 || v.r > R_MAX ||
	    v.p < 1 || v.p > P_MAX)
		goto bad;
	if (strlen(p) != 2 * PASSWD_SALT_LEN + 1 + 2 * PASSWD_HASH_LEN ||
	    p[2 * PASSWD_SALT_LEN] != '$' ||
	    unhex(p, sbuf, PASSWD_SALT_LEN) < 0 ||
	    unhex(p + 2 * PASSWD_SALT_LEN + 1, hbuf, PASSWD_HASH_LEN) < 0)
		goto bad;
	if (pp)
		*pp = v;
	if (salt)
		memcpy(salt, sbuf, sizeof sbuf);
	if (hash)
		memcpy(hash, hbuf, sizeof hbuf);
	return 0;
bad:
	return tb_err(err, TB_EINVAL, "hash kata sandi tersimpan rusak");
}

int passwd_verify(const char *pw, const char *encoded, struct buf *err)
{
	struct passwd_params pp;
	unsigned char salt[PASSWD_SALT_LEN], want[PASSWD_HASH_LEN],
		got[PASSWD_HASH_LEN];
	int rc = passwd_parse(encoded, &pp, salt, want, err);
	if (rc < 0)
		return rc;
	if (strlen(pw) > PASSWD_MAX)
		return tb_err(err, TB_EAUTH, "kata sandi salah");
	if ((rc = derive(pw, salt, &pp, got, err)) < 0)
		return rc;
	rc = CRYPTO_memcmp(got, want, sizeof got) == 0
		     ? 0
		     : tb_err(err, TB_EAUTH, "kata sandi salah");
	OPENSSL_cleanse(got, sizeof got);
	return rc;
}

int passwd_needs_rehash(const char *encoded)
{
	struct passwd_params pp;
	if (passwd_parse(encoded, &pp, NULL, NULL, NULL) < 0)
		return 0;
	return pp.ln < PASSWD_LN || pp.r < PASSWD_R || pp.p < PASSWD_P;
}
