#ifndef TERBIT_KEYS_H
#define TERBIT_KEYS_H
/*
 * The office's keys and certificates, kept under DATA/keys/ (mode 0700,
 * every private key file 0600, created that way, never chmod-ed after):
 *
 *   ca.pem, ca.key            local certificate authority (ECDSA P-256,
 *                             self-signed, CA:TRUE, keyCertSign)
 *   pdf-<kid>.pem, .key       a PDF signer: its certificate followed by its
 *                             chain; the one made by keys_init is issued by
 *                             the local CA, others come from keys_import_p12
 *   pdf-current               the kid of the signer used for new PDFs
 *   qr-<kid>.key              an Ed25519 key for QR tokens (every one ever
 *                             made stays, so old tokens keep verifying)
 *   qr-current                the kid of the key used for new tokens
 *   ca.crl                    the local CA's certificate revocation list
 *                             (PEM, 0644): keys_crl makes it
 *   seal.key                  32 random bytes: the HMAC key that seals
 *                             the document registry's rows (not the
 *                             database's to hold: see src/issue/seal.c)
 *
 * A key id (kid) is the first 4 bytes of SHA-256 over the public key, shown
 * as 8 lower-case hex characters: for Ed25519 the raw 32-byte public key,
 * for certificates the DER SubjectPublicKeyInfo (see docs/keys.md).
 *
 * Administration functions (keys_*) work on the files; a running service
 * loads them once with keyring_load and then only reads the keyring.
 */
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define KEYS_KID_LEN 4 /* bytes; 8 hex characters */

/* The office named in the local signing certificate. */
#define KEYS_OFFICE_NAME "Dinas Sosial Kabupaten Banyuwangi"

/*
 * Creates DATA/keys/ with the local CA, a PDF signing certificate issued by
 * it (valid 5 years; the CA 10) and a first QR key. Built in a temporary
 * directory and renamed into place, so a crash leaves no half key store.
 * Returns 1 when DATA/keys/ already exists (nothing is touched, so
 * `terbit init` can run twice), 0 when it made the keys, or a TB_E code.
 */
int keys_init(const char *data_dir, struct buf *err);

/* Makes a new QR key and makes it current; writes its kid (8 hex + NUL)
 * into kid_hex when not NULL. Old QR keys stay and still verify. */
int keys_rotate(const char *data_dir, char kid_hex[9], struct buf *err);

/*
 * Imports a PKCS#12 file (private key, certificate, chain) as the PDF
 * signer for new documents. password may be NULL (empty). The key must
 * match the certificate. Writes kid_hex like keys_rotate.
 */
int keys_import_p12(const char *data_dir, const char *p12_path,
		    const char *password, char kid_hex[9], struct buf *err);

/*
 * Makes a new PDF signing key and certificate issued by the local CA (as
 * keys_init does) and makes it current: what follows revoking the
 * current one. Writes kid_hex like keys_rotate.
 */
int keys_new_signer(const char *data_dir, char kid_hex[9], struct buf *err);

/* ---- the local CA's certificate revocation list ---- */

#define KEYS_CRL_DAYS 30    /* default time to the CRL's nextUpdate */
#define KEYS_CRL_DAYS_MAX 366

/*
 * Issues a new keys/ca.crl, signed by the local CA: every entry of the
 * CRL before it kept, plus revoke when not NULL (the kid of a PDF signer
 * in keys/ whose certificate the local CA issued, or a certificate serial
 * number in hex, 10 to 40 digits), the CRL number one more than before,
 * thisUpdate now and nextUpdate days later (1..KEYS_CRL_DAYS_MAX).
 * Written atomically, 0644. Appends one Indonesian line describing the
 * new CRL to out when not NULL. TB_EINVAL for a bad revoke or days,
 * TB_ENOTFOUND without keys/.
 */
int keys_crl(const char *data_dir, const char *revoke, int days,
	     struct buf *out, struct buf *err);

/* ---- the loaded keyring ---- */

struct keyring;

/*
 * Loads every key and certificate under DATA/keys/ once. Refuses
 * (TB_EIO, the chmod that fixes it in the message) a keys directory the
 * group or others can write, or a *.key file they can read or write. The
 * keyring is
 * then read-only: sign and verify calls from many threads may share it.
 * Hands *out to the caller, who frees it with keyring_free.
 */
int keyring_load(const char *data_dir, struct keyring **out, struct buf *err);
void keyring_free(struct keyring *kr);
/*
 * A keyring that only checks PDF signatures: the CA certificates of an
 * export-public directory (dir/ca.pem, docs/token.md), for the offline
 * checker. It holds no QR key and signs nothing: pass it to pades_verify
 * only.
 */
int keyring_load_public(const char *dir, struct keyring **out,
			struct buf *err);
/*
 * The keyring of a read-only verifier (`serve --verify-only`) from
 * DATA/keys as `keyring_export_verifier` writes it: the QR keys' public
 * halves, the CA certificates and CRL, the registry's seal key, and which
 * QR key is current. It verifies tokens, PDFs and seals and signs
 * nothing: no private signing key is read, so a machine holding a copy
 * of the registry cannot make documents. A writer's whole keys directory
 * (one holding a private QR key) is loaded as keyring_load does.
 */
int keyring_load_verifier(const char *data_dir, struct keyring **out,
			  struct buf *err);
/*
 * Writes into dir what keyring_load_verifier reads: export-public's
 * files, the seal key (0600, read from data_dir's keys) and qr-current;
 * dir is made 0700.
 */
int keyring_export_verifier(const struct keyring *kr, const char *data_dir,
			    const char *dir, struct buf *err);

/*
 * The public half for offline checkers, as one JSON document (what
 * /.well-known/terbit/keys serves):
 *   {"format":"terbit-keys-1",
 *    "qr_keys":[{"kid":"1a2b3c4d","kty":"OKP","crv":"Ed25519",
 *                "x":"<base64url raw key>","current":true}, ...],
 *    "ca_certificates":["-----BEGIN CERTIFICATE-----\n..."]}
 * Appends to out.
 */
int keyring_public_json(const struct keyring *kr, struct buf *out);

/*
 * Writes into dir (created 0755 if missing): keys.json (as above),
 * qr-<kid>.pub.pem for every QR key, ca.pem (the certificates to trust)
 * and, when keys/ca.crl exists, ca.crl (the local CA's current CRL).
 */
int keyring_export_public(const struct keyring *kr, const char *dir,
			  struct buf *err);

/* Human listing for `terbit keys list` (Indonesian labels). */
int keyring_describe(const struct keyring *kr, struct buf *out);

/*
 * The CRL's nextUpdate (seconds since the epoch), 0 when the keyring has
 * no CRL. Past it, new PDFs carry no CRL in their DSS (it says nothing
 * about their signing time): `terbit serve` warns at start.
 */
int64_t keyring_crl_next_update(const struct keyring *kr);

/* kid of the current QR key and of the current PDF signer (8 hex + NUL). */
void keyring_qr_current(const struct keyring *kr, char kid_hex[9]);
void keyring_pdf_current(const struct keyring *kr, char kid_hex[9]);

/* ---- the registry's seal key ---- */

#define KEYS_SEAL_LEN 32 /* bytes of keys/seal.key */
#define KEYS_MAC_LEN 32  /* HMAC-SHA256 */

/*
 * Makes keys/seal.key (KEYS_SEAL_LEN random bytes, 0600, O_EXCL) when it
 * is missing: for data directories made before seals existed (keys_init
 * makes it with the other keys). 1 when it was there (untouched), 0 when
 * made, TB_ENOTFOUND when keys/ itself is missing.
 */
int keys_seal_init(const char *data_dir, struct buf *err);
/* 1 when the loaded keyring holds a seal key (keyring_load reads it when
 * present; a keyring without one still signs and verifies). */
int keyring_has_seal(const struct keyring *kr);
/* HMAC-SHA256 of msg under the seal key into mac. 0, TB_ENOTFOUND when
 * the keyring has no seal key, TB_ECRYPTO. Any thread. */
int keyring_seal(const struct keyring *kr, const void *msg, size_t n,
		 unsigned char mac[KEYS_MAC_LEN], struct buf *err);

/* Parses 8 hex characters into a kid. 0 or TB_EINVAL. */
int keys_kid_parse(const char *hex, unsigned char kid[KEYS_KID_LEN]);

/* ---- the keys in use, field by field (the admin's web page) ---- */

enum keyring_kind { KEYRING_QR = 1, KEYRING_PDF, KEYRING_CA };

struct keyring_entry {
	enum keyring_kind kind;
	char kid[9];           /* 8 hex; a CA's from its public key too */
	char subject[256];     /* certificate subject, RFC 2253; "" for QR keys */
	char not_before[11];   /* "YYYY-MM-DD"; "" for QR keys */
	char not_after[11];
	int current;           /* the key used for new tokens / PDFs */
	int revoked;           /* a PDF signer the CA's CRL revokes */
};

/*
 * Calls fn for every key keyring_describe lists, in its order: QR keys,
 * PDF signers, trusted CA certificates. Stops at fn's first non-zero
 * return and returns it; 0 when every call returned 0.
 */
int keyring_each(const struct keyring *kr,
		 int (*fn)(const struct keyring_entry *e, void *arg),
		 void *arg);

#endif
