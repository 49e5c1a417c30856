#ifndef TERBIT_PADES_H
#define TERBIT_PADES_H
/*
 * The PDF signature: a PAdES (ETSI.CAdES.detached) signature added to a
 * classic-xref PDF (what libharu writes) as one incremental update: an
 * invisible signature field on page 1, an AcroForm in a rewritten catalog,
 * the signature dictionary and a new xref section. The CMS is PAdES
 * baseline B-B: detached, SHA-256, signed attributes contentType,
 * messageDigest and ESS signing-certificate-v2 and no signingTime (the
 * time is /M), with the signer's certificate chain.
 *
 * A second incremental update follows (B-LT): the signer's certificate
 * and chain and the keyring's CRL (when it is the signer's issuer's and
 * in force at the signing time) as streams, a /DSS dictionary naming
 * them, and the catalog again with /DSS added. docs/keys.md.
 *
 * Each signed document gets its own trailer /ID: both elements are fresh
 * random bytes (libharu's ID is not unique per document); the first is
 * also patched, same length, into the original trailer so the file keeps
 * one permanent ID across its revisions.
 */
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/digest.h"
#include "sign/keys.h"

/*
 * Signs pdf (n bytes) with the keyring's current PDF signer and puts the
 * whole signed file, DSS update included, into out, which must be empty
 * (the offsets written into the file are offsets in out). signing_time is
 * seconds since the epoch (0: now). TB_EINVAL when the input is not a PDF
 * this parser handles (object streams, xref streams, encrypted, no page);
 * TB_ECRYPTO when the keyring's CRL revokes the current signer, signing
 * fails or the CMS would not fit the reserved /Contents space.
 */
int pades_sign(const struct keyring *kr, const void *pdf, size_t n,
	       int64_t signing_time, struct buf *out, struct buf *err);

enum pades_status {
	PADES_VALID = 0,
	PADES_NO_SIGNATURE,  /* no /ByteRange signature found */
	PADES_BAD_RANGE,     /* ranges do not cover the signed revision minus
				/Contents, or what follows it is more than
				the DSS update (bytes appended, an edit) */
	PADES_BAD_SIGNATURE, /* CMS does not verify over the ranges */
	PADES_UNTRUSTED,     /* signature fine, chain not to a trusted CA */
	PADES_REVOKED,       /* signature fine, but the keyring's CRL revokes
				the signer's certificate */
};

struct pades_info {
	enum pades_status status;
	char signer[256];       /* subject of the signing certificate, RFC 2253 */
	int64_t signing_time;   /* /M (a CMS signingTime, in files signed
				   before B-B, wins); 0 unknown */
	int64_t revoked_at;     /* PADES_REVOKED: the CRL's revocation date */
	int dss_certs, dss_crls; /* B-LT: what the /DSS update holds; 0 0
				    for B-B (nothing after the signature) */
	unsigned char sha256[SHA256_LEN]; /* of the whole file, always set */
};

/*
 * Verifies the last signature of pdf against the keyring's trusted CAs
 * (the local CA and the roots of imported chains) and the keyring's CRL;
 * after the signed revision only the DSS update may follow. Returns 0 when it
 * reached a verdict (in info->status, with a reason in err when not
 * valid), or a negative TB_E code when it could not (no memory).
 * Read-only on kr: safe from many threads.
 */
int pades_verify(const struct keyring *kr, const void *pdf, size_t n,
		 struct pades_info *info, struct buf *err);

/* "VALID", "NO_SIGNATURE", ...: stable names for logs and JSON. */
const char *pades_status_name(enum pades_status s);

#endif
