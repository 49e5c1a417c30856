#ifndef TERBIT_STATUSLIST_H
#define TERBIT_STATUSLIST_H
/*
 * The signed status list (docs/token.md, "The status list"): every
 * document of one issuer that is not in force, with its state and the
 * day it changed, signed with the issuer's current QR key. UTF-8 text,
 * LF line ends, exactly:
 *
 *   terbit-status 1
 *   issuer 3510
 *   kid 1a2b3c4d
 *   made 2026-11-30T10:30:00Z
 *   next 2026-12-01T10:30:00Z
 *   count 2
 *   0123456789ABCDEF R 2026-11-02
 *   FEDCBA9876543210 S 2026-11-20
 *   sig <base64url, no padding, of the 64-byte Ed25519 signature>
 *
 * The signature covers "terbit-status-v1" 0x00 followed by every byte
 * before the "sig " line. This module only writes, reads and checks the
 * bytes; which documents go in is the issue module's rule
 * (issue/status.h), and which keys are trusted is the caller's.
 */
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "sign/keys.h"

#define STATUS_SERIAL_LEN 8 /* bytes; 16 upper-case hex in the file */
/* An issuer is a BPS region code as an integer: 2 digits for a
 * province, 4 for a regency or city. */
#define STATUS_ISSUER_MAX 9999u
/* The largest file status_parse reads: 30 bytes a line, so about 1.1
 * million entries; far more than any regency's revocations. */
#define STATUS_TEXT_MAX (32u << 20)

enum status_code {
	STATUS_REVOKED = 'R',
	STATUS_SUPERSEDED = 'S',
	STATUS_OTHER = 'X', /* expired, or otherwise not in force */
};

struct status_entry {
	unsigned char serial[STATUS_SERIAL_LEN];
	char code;        /* enum status_code */
	int64_t day;      /* days since 1970-01-01 of the change */
};

struct status_list {
	uint32_t issuer;
	unsigned char kid[KEYS_KID_LEN];
	int64_t made, next;          /* unix seconds, whole */
	struct status_entry *e;      /* n entries, ascending serials; owned */
	size_t n;
	size_t signed_len;           /* bytes before the "sig " line */
	unsigned char sig[64];
};

/*
 * Writes the list signed with kr's current QR key: entries must be in
 * strictly ascending serial order with a known code; made <= next.
 * Appends to out. 0, TB_EINVAL, TB_ECRYPTO, TB_ENOMEM.
 */
int status_make(const struct keyring *kr, uint32_t issuer, int64_t made,
		int64_t next, const struct status_entry *e, size_t n,
		struct buf *out, struct buf *err);

/*
 * Strict parse of the text (every line exactly as above, the file ending
 * with the LF of the sig line; serials strictly ascending). Does NOT check
 * the signature: status_sig_ok with the key the caller trusts for l->kid.
 * On success the caller releases l. 0 or TB_EINVAL (message in err).
 */
int status_parse(const char *text, size_t len, struct status_list *l,
		 struct buf *err);
void status_list_release(struct status_list *l);

/* 1 when l's signature over text (the same bytes status_parse read) is
 * good under the raw 32-byte Ed25519 public key pub, else 0. */
int status_sig_ok(const struct status_list *l, const char *text,
		  const unsigned char pub[32]);

/* The entry for serial, or NULL (binary search). */
const struct status_entry *status_find(const struct status_list *l,
				       const unsigned char serial[STATUS_SERIAL_LEN]);

/* "2026-11-30T10:30:00Z" for unix seconds t (the list's time form). */
void status_time_format(int64_t t, char out[21]);

#endif
