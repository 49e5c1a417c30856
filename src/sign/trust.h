#ifndef TERBIT_TRUST_H
#define TERBIT_TRUST_H
/*
 * Whose QR keys a verifier trusts, when they are not (only) the office's
 * own keyring: the offline checker (`terbit verify --offline --trust`)
 * and a server that verifies for several regencies (`trust` in the
 * server's configuration). Read-only once loaded; threads may share it.
 *
 * Two sources (docs/trust.md):
 *   - a directory written by `terbit keys export-public --out DIR`: one
 *     office's keys (DIR/keys.json). It does not say the office's issuer
 *     code: its keys accept the issuer a format 2 token names, until a
 *     status list signed by one of them says which issuer they are
 *     (trust_status_check);
 *   - a trust list file: signed by a trust-list key (Ed25519) that the
 *     verifier is given separately, naming each issuer (BPS code, name),
 *     its QR keys and optionally its status list's URL.
 *
 * A token's key is found by kid. A format 2 token must name the issuer
 * whose entry holds that kid; a format 1 token (no issuer field) is the
 * issuer's whose entry holds it. Kid unknown, or held by another issuer:
 * TOKEN_UNKNOWN_KEY, the same answer as a key the office never had.
 */
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "sign/statuslist.h"
#include "sign/token.h"

#define TRUST_NAME_MAX 128
#define TRUST_URL_MAX 256

struct trust;

/*
 * Loads path: a directory (export-public) or a trust list file, whose
 * signature must verify under list_key (the PEM public key of the
 * trust-list key, `terbit trust keygen`; required for a file, ignored for
 * a directory). *out is the caller's to free. 0, TB_ENOTFOUND, TB_EINVAL
 * (a malformed or badly signed list, named), TB_EIO.
 */
int trust_load(const char *path, const char *list_key, struct trust **out,
	       struct buf *err);
void trust_free(struct trust *t);

struct trust_issuer {
	uint32_t code;               /* 0: a directory's, not yet known */
	char name[TRUST_NAME_MAX];   /* "" for a directory's */
	char status_url[TRUST_URL_MAX]; /* "" when the list names none */
};

/*
 * The signature of tok under the trusted key of its kid, with the issuer
 * rule above. TOKEN_OK fills *who (may be NULL) with the issuer.
 */
enum token_status trust_verify_token(const struct trust *t,
				     const struct token *tok,
				     const struct trust_issuer **who);

/*
 * A status list (already parsed from text) checked against the trusted
 * keys: its kid must be a key of the issuer it names (or of a directory,
 * which then takes that issuer code) and its signature good. 0 or
 * TB_EINVAL with the reason.
 */
int trust_status_check(struct trust *t, const struct status_list *l,
		       const char *text, struct buf *err);

/* Number of issuers and keys, for messages. */
size_t trust_issuers(const struct trust *t);
size_t trust_keys(const struct trust *t);

/* ---- making trust lists (`terbit trust ...`) ---- */

/*
 * A new trust-list key: dir/trust-<kid>.key (0600, O_EXCL) and
 * dir/trust-<kid>.pub.pem (0644); dir is created 0700 if missing.
 * Writes the kid (8 hex + NUL) into kid_hex.
 */
int trust_keygen(const char *dir, char kid_hex[9], struct buf *err);

struct trust_source {
	uint32_t code;               /* BPS code: 2 or 4 digits */
	const char *name;
	const char *dir;             /* export-public directory */
	const char *status_url;      /* NULL or "" for none */
};

/*
 * The signed trust list of n issuers, each with every QR key in its
 * directory's keys.json, signed with the private key in key_file, made
 * at made (unix seconds). Appends to out.
 */
int trust_make(const char *key_file, const struct trust_source *src, size_t n,
	       int64_t made, struct buf *out, struct buf *err);

#endif
