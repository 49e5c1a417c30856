#ifndef TERBIT_PASSWD_H
#define TERBIT_PASSWD_H
/*
 * Password hashing: scrypt through OpenSSL's EVP_KDF "SCRYPT", a fresh
 * 16-byte random salt per hash, and a self-describing string so the cost
 * can be raised later without invalidating stored hashes:
 *
 *   $scrypt$ln=15,r=8,p=1$<salt, 32 hex>$<hash, 64 hex>
 *
 * (the PHC string layout, with hex instead of PHC's base64 because the
 * project already reads and writes hex). N = 2^ln. One hash at the
 * current cost takes about 70 ms on the development machine (2 cores) and
 * 32 MiB of memory (128 * r * N bytes).
 */
#include <stddef.h>

#include "core/buf.h"

#define PASSWD_LN 15        /* N = 2^15 */
#define PASSWD_R 8
#define PASSWD_P 1
#define PASSWD_SALT_LEN 16
#define PASSWD_HASH_LEN 32
/* Refused before hashing: scrypt's first PBKDF2 pass reads all of it. */
#define PASSWD_MAX 1024

struct passwd_params {
	unsigned ln, r, p;
};

/* Appends the encoded hash of pw at the current parameters. 0,
 * TB_EINVAL (pw longer than PASSWD_MAX), TB_ECRYPTO, TB_ENOMEM. */
int passwd_hash(const char *pw, struct buf *out, struct buf *err);

/*
 * Checks pw against an encoded hash, in constant time over the hash
 * bytes. 0 when it matches, TB_EAUTH when not, TB_EINVAL when encoded is
 * not a string passwd_hash could have written (the cost is bounded, so a
 * tampered row cannot make the server spend gigabytes), TB_ECRYPTO.
 */
int passwd_verify(const char *pw, const char *encoded, struct buf *err);

/* Splits an encoded hash into its parts. 0 or TB_EINVAL. salt and hash
 * may be NULL. */
int passwd_parse(const char *encoded, struct passwd_params *pp,
		 unsigned char salt[PASSWD_SALT_LEN],
		 unsigned char hash[PASSWD_HASH_LEN], struct buf *err);

/* 1 when encoded was made with a lower cost than the current one (hash
 * the password again at the next sign-in), 0 otherwise. */
int passwd_needs_rehash(const char *encoded);

#endif
