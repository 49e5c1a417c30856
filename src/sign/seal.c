/*
 * The seal key's HMAC. Keyed once at keyring_load; each call duplicates
 * the keyed context, so no call touches the shared one but to read it
 * (threads share the keyring), and the key schedule (two SHA-256 blocks)
 * is not redone per call. The verifier checks a seal on every answer that
 * reads a registry row, so this is on its hot path.
 */
#include "sign/keys.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "core/err.h"
#include "sign/keyring_int.h"

int keys_seal_load(struct keyring *kr, const unsigned char *key, size_t n,
		   struct buf *err)
{
	EVP_MAC *mac = NULL;
	EVP_MAC_CTX *ctx = NULL;
	char digest[] = "SHA256";
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest,
						 0),
		OSSL_PARAM_construct_end(),
	};
	int rc = TB_ECRYPTO;
	/* Any other length is a file damaged or not ours: refuse rather than
	 * seal with a different key than the one that sealed the rows. */
	if (n != KEYS_SEAL_LEN) {
		rc = tb_err(err, TB_ECRYPTO,
			    "kunci segel rusak: %zu bita, seharusnya %d", n,
			    KEYS_SEAL_LEN);
		goto out;
	}
	if (!(mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) ||
	    !(ctx = EVP_MAC_CTX_new(mac)) ||
	    !EVP_MAC_init(ctx, key, n, params)) {
		rc = tb_err(err, TB_ECRYPTO, "kunci segel tidak dapat dipakai");
		goto out;
	}
	EVP_MAC_CTX_free(kr->seal);
	kr->seal = ctx;
	ctx = NULL;
	rc = 0;
out:
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return rc;
}

int keyring_has_seal(const struct keyring *kr)
{
	return kr && kr->seal != NULL;
}

int keyring_seal(const struct keyring *kr, const void *msg, size_t n,
		 unsigned char mac[KEYS_MAC_LEN], struct buf *err)
{
	size_t len = 0;
	int rc = TB_ECRYPTO;
	if (!keyring_has_seal(kr))
		return tb_err(err, TB_ENOTFOUND,
			      "kunci segel belum ada; jalankan: terbit "
			      "document seal");
	EVP_MAC_CTX *ctx = EVP_MAC_CTX_dup(kr->seal);
	if (ctx && EVP_MAC_update(ctx, msg, n) &&
	    EVP_MAC_final(ctx, mac, &len, KEYS_MAC_LEN) && len == KEYS_MAC_LEN)
		rc = 0;
	else
		rc = tb_err(err, TB_ECRYPTO, "menghitung segel gagal");
	EVP_MAC_CTX_free(ctx);
	/* A failure never leaves bytes that could equal a stored seal. */
	if (rc < 0)
		OPENSSL_cleanse(mac, KEYS_MAC_LEN);
	return rc;
}
