#ifndef TERBIT_KEYRING_INT_H
#define TERBIT_KEYRING_INT_H
/*
 * Inside the sign module only: the keyring's fields, shared by keys.c,
 * token.c and pades.c. Everything here is read-only after keyring_load.
 */
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "sign/keys.h"

struct qr_key {
	unsigned char kid[KEYS_KID_LEN];
	unsigned char pub[32];
	EVP_PKEY *pkey; /* private Ed25519 key */
};

struct pdf_signer {
	unsigned char kid[KEYS_KID_LEN];
	EVP_PKEY *pkey;
	X509 *cert;
	STACK_OF(X509) *chain; /* issuers, nearest first; may be empty */
};

struct keyring {
	struct qr_key *qr;
	size_t nqr;
	size_t qr_current;
	struct pdf_signer *pdf;
	size_t npdf;
	size_t pdf_current;
	STACK_OF(X509) *trusted; /* local CA, then roots of imported chains */
	X509_STORE *store;       /* the same, for CMS_verify */
	size_t cms_reserve;      /* bytes of /Contents for the current signer */
	/* The registry's seal key (keys/seal.key, see seal.c); NULL when the
	 * data directory has none yet. An HMAC context keyed once, which
	 * keyring_seal duplicates per call: a read, so threads may share. */
	EVP_MAC_CTX *seal;
};

/* keys/seal.key: KEYS_SEAL_LEN raw random bytes, 0600. */
#define KEYS_SEAL_FILE "seal.key"
/* seal.c: keys the HMAC context from the key file's bytes. */
int keys_seal_load(struct keyring *kr, const unsigned char *key, size_t n,
		   struct buf *err);

/* Key ids: SHA-256 of the raw Ed25519 key / of the DER SPKI, first 4. */
void keys_kid_of_raw(const unsigned char *pub, size_t n,
		     unsigned char kid[KEYS_KID_LEN]);
int keys_kid_of_pkey(EVP_PKEY *pkey, unsigned char kid[KEYS_KID_LEN]);
void keys_kid_hex(const unsigned char kid[KEYS_KID_LEN], char hex[9]);

#define KEYS_ED25519_SIG_LEN 64

/* The QR key with this kid, or NULL. */
const struct qr_key *keys_qr_find(const struct keyring *kr,
				  const unsigned char kid[KEYS_KID_LEN]);
/* Ed25519 (RFC 8032, pure) over msg with the current QR key; its kid
 * into kid when not NULL. 0 or TB_ECRYPTO. Any thread. */
int keys_qr_sign(const struct keyring *kr, const void *msg, size_t n,
		 unsigned char sig[KEYS_ED25519_SIG_LEN],
		 unsigned char kid[KEYS_KID_LEN]);
/* Ed25519 with a private key; 1 on success, 0 on failure. */
int keys_sign_with(EVP_PKEY *key, const void *msg, size_t n,
		   unsigned char sig[KEYS_ED25519_SIG_LEN]);
/* 1 when sig is key's Ed25519 signature over msg (key may be a private
 * or a public key), else 0. Any thread. */
int keys_ed25519_ok(EVP_PKEY *key, const void *msg, size_t n,
		    const unsigned char sig[KEYS_ED25519_SIG_LEN]);
/* Unpadded base64url (RFC 4648 section 5) of n <= 96 bytes, appended. */
int keys_b64url(struct buf *out, const unsigned char *p, size_t n);
/* Decodes the canonical unpadded base64url of exactly want (<= 96)
 * bytes from s[0..len). 0 or TB_EINVAL. */
int keys_b64url_decode(const char *s, size_t len, unsigned char *out,
		       size_t want);

/* A new file dir/name with exactly mode, O_EXCL (an existing key is
 * never overwritten), fsync-ed. TB_ECONFLICT when it exists. */
int keys_write_new(const char *dir, const char *name, const void *data,
		   size_t n, int mode, struct buf *err);
/* A new Ed25519 key written as dir/<prefix>-<kid>.key (PKCS#8 PEM, 0600);
 * its kid into kid, the key into *out when out is not NULL (the
 * caller's to free). */
int keys_ed25519_new(const char *dir, const char *prefix,
		     unsigned char kid[KEYS_KID_LEN], EVP_PKEY **out,
		     struct buf *err);
/* The PEM private key dir/name; NULL with the reason in err. */
EVP_PKEY *keys_load_private(const char *dir, const char *name, struct buf *err);

/* Size in bytes of a CMS this signer makes, for the /Contents reserve. */
int pades_cms_size(const struct pdf_signer *s, size_t *size, struct buf *err);

#endif
