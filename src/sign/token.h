#ifndef TERBIT_TOKEN_H
#define TERBIT_TOKEN_H
/*
 * The QR verification token (format in docs/token.md): 90 bytes
 *
 *   version(1) kid(4) kind(1) serial(8) issued(2) expires(2)
 *   field digest(8) Ed25519 signature(64)
 *
 * written as 144 upper-case base32 characters (RFC 4648, no padding), and
 * put in the QR code as "HTTPS://<HOST>/V/<TOKEN>" (upper case so the
 * whole URL encodes in QR alphanumeric mode: version 8-M with a host of up
 * to ~60 characters). The token carries no personal data: the printed
 * fields are bound only through a truncated SHA-256.
 *
 * Parsing accepts lower or mixed case (phones and scanners lower-case
 * URLs; base32 letters are case-insensitive) and nothing else loose: no
 * padding, no spaces, exactly 144 characters, version 1.
 */
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/ids.h"
#include "sign/keys.h"

#define TOKEN_VERSION 1
#define TOKEN_SERIAL_LEN 8
/* The text form of a serial (core/ids.h) is these bytes in hex. */
_Static_assert(SERIAL_LEN == 2 * TOKEN_SERIAL_LEN, "SERIAL_LEN is the hex of the serial");
#define TOKEN_DIGEST_LEN 8
#define TOKEN_SIG_LEN 64
#define TOKEN_BIN_LEN 90  /* bytes */
#define TOKEN_STR_LEN 144 /* base32 characters */

enum token_kind {
	TOKEN_LETTER = 1, /* the SPM letter */
	TOKEN_CARD = 2,   /* the KIS-style card */
};

enum token_status {
	TOKEN_OK = 0,
	TOKEN_UNKNOWN_KEY = 1, /* no QR key with this kid in the keyring */
	TOKEN_BAD_SIGNATURE = 2, /* forged or altered */
};

struct token {
	uint8_t version;
	unsigned char kid[KEYS_KID_LEN];
	uint8_t kind;                      /* enum token_kind */
	unsigned char serial[TOKEN_SERIAL_LEN];
	uint16_t issued;                   /* days since 1970-01-01 */
	uint16_t expires;                  /* days since 1970-01-01 */
	unsigned char digest[TOKEN_DIGEST_LEN];
	unsigned char sig[TOKEN_SIG_LEN];
};

/* One bound field: name is [a-z0-9_]+, value UTF-8 without control
 * characters. The gate chooses the list and the value forms (the
 * registry's, e.g. an ISO date): docs/token.md, "The field digest". */
struct token_field {
	const char *name;
	const char *value;
};

/* A fresh random serial (rand_bytes). 0 or TB_ECRYPTO. */
int token_serial_new(unsigned char serial[TOKEN_SERIAL_LEN], struct buf *err);

/*
 * The field digest: first 8 bytes of SHA-256 over
 *   "terbit-fields-v1\n" then, sorted by name (bytewise), "name=value\n"
 * for each field. Names must be unique. 0 or TB_EINVAL.
 */
int token_field_digest(const struct token_field *fields, size_t n,
		       unsigned char out[TOKEN_DIGEST_LEN], struct buf *err);

/*
 * Makes and signs a token with the keyring's current QR key and appends
 * its 144-character string to out. Dates must fit 0..65535; expires must
 * not be before issued. Fills *t (may be NULL) with the signed struct.
 */
int token_make(const struct keyring *kr, enum token_kind kind,
	       const unsigned char serial[TOKEN_SERIAL_LEN], int64_t issued,
	       int64_t expires, const struct token_field *fields, size_t n,
	       struct token *t, struct buf *out, struct buf *err);

/* Appends the canonical (upper-case) string of t to out. */
int token_format(const struct token *t, struct buf *out);

/* Strict parse of a token string of len bytes. 0 or TB_EINVAL. */
int token_parse(const char *s, size_t len, struct token *t, struct buf *err);

/*
 * Accepts a bare token, "HTTPS://HOST/V/TOKEN" or "https://host/v/token"
 * (any case; "http://" too, and a trailing "/" or query is refused) and
 * parses the token. 0 or TB_EINVAL.
 */
int token_parse_url(const char *in, struct token *t, struct buf *err);

/* Appends "HTTPS://<HOST>/V/<TOKEN>" (host upper-cased) to out. The host
 * must be a plain DNS name with an optional :port. */
int token_url(struct buf *out, const char *host, const char *token,
	      struct buf *err);

/* Checks the signature with the key named by t->kid. Safe to call from
 * many threads on one keyring. */
enum token_status token_verify(const struct token *t,
			       const struct keyring *kr);

/* 1 when t's field digest matches fields (constant time), else 0. */
int token_fields_match(const struct token *t, const struct token_field *fields,
		       size_t n);

/* "OK", "UNKNOWN_KEY", "FORGED": stable names for logs and JSON. */
const char *token_status_name(enum token_status s);

#endif
