#ifndef TERBIT_TOKEN_H
#define TERBIT_TOKEN_H
/*
 * The QR verification token (format in docs/token.md). Format 2, made
 * for every new document, is 95 bytes
 *
 *   version=2(1) kid(4) kind(1) serial(8) issued(2) expires(2)
 *   field digest(8) issuer(4) reserved=0(1) Ed25519 signature(64)
 *
 * written as 152 upper-case base32 characters (RFC 4648, no padding);
 * format 1, which documents issued before it carry and which still
 * verifies, is the same without issuer and reserved byte: 90 bytes, 144
 * characters. The QR code holds "HTTPS://<HOST>/V/<TOKEN>" (upper case
 * so the whole URL encodes in QR alphanumeric mode: version 8-M with a
 * host of up to TOKEN_HOST_MAX characters). The token carries no
 * personal data: the printed fields are bound only through a truncated
 * SHA-256.
 *
 * Parsing accepts lower or mixed case (phones and scanners lower-case
 * URLs; base32 letters are case-insensitive) and nothing else loose: no
 * padding, no spaces, exactly 144 (version 1) or 152 (version 2)
 * characters, a version byte that agrees with the length, a non-zero
 * issuer and a zero reserved byte.
 */
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "core/buf.h"
#include "core/ids.h"
#include "sign/keys.h"

#define TOKEN_V1 1
#define TOKEN_V2 2
#define TOKEN_SERIAL_LEN 8
/* The text form of a serial (core/ids.h) is these bytes in hex. */
_Static_assert(SERIAL_LEN == 2 * TOKEN_SERIAL_LEN, "SERIAL_LEN is the hex of the serial");
#define TOKEN_DIGEST_LEN 8
#define TOKEN_SIG_LEN 64
#define TOKEN_V1_BIN_LEN 90  /* bytes */
#define TOKEN_V2_BIN_LEN 95
#define TOKEN_BIN_MAX TOKEN_V2_BIN_LEN
#define TOKEN_V1_STR_LEN 144 /* base32 characters */
#define TOKEN_V2_STR_LEN 152
#define TOKEN_STR_MAX TOKEN_V2_STR_LEN
/* The longest verifier host (port included) whose URL with a format 2
 * token fits QR version 8 at level M: 221 - 8 - 3 - 152. */
#define TOKEN_HOST_MAX 58

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
	uint8_t version;                   /* TOKEN_V1 or TOKEN_V2 */
	uint32_t issuer;                   /* BPS code (3510); 0 in format 1 */
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
 * its string to out: format 2 naming issuer (the issuing office's BPS
 * code, 3510), or format 1 when issuer is 0 (what documents issued
 * before format 2 carry; kept for tests of that path). Dates must fit
 * 0..65535; expires must not be before issued. Fills *t (may be NULL)
 * with the signed struct.
 */
int token_make(const struct keyring *kr, enum token_kind kind,
	       uint32_t issuer, const unsigned char serial[TOKEN_SERIAL_LEN],
	       int64_t issued, int64_t expires, const struct token_field *fields,
	       size_t n, struct token *t, struct buf *out, struct buf *err);

/* Appends the canonical (upper-case) string of t to out. */
int token_format(const struct token *t, struct buf *out);

/*
 * The serial a token string names, from its first characters, when it
 * has a token's length: the rest is not read, so nothing about the
 * token is known from it but where its registry row would be. For a
 * lookup whose row's token is then compared with the whole string
 * (verify's fast path). 0 or TB_EINVAL.
 */
int token_peek_serial(const char *s, unsigned char serial[TOKEN_SERIAL_LEN]);

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
/* Checks the signature with key (an Ed25519 public or private key): the
 * trust module's check, for keys that are not the office's own. */
enum token_status token_verify_pkey(const struct token *t, EVP_PKEY *key);

/* 1 when t's field digest matches fields (constant time), else 0. */
int token_fields_match(const struct token *t, const struct token_field *fields,
		       size_t n);

/* "OK", "UNKNOWN_KEY", "FORGED": stable names for logs and JSON. */
const char *token_status_name(enum token_status s);

#endif
