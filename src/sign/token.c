#include "sign/token.h"

#include <stdlib.h>
#include <string.h>

#include "core/digest.h"
#include "core/err.h"
#include "core/random.h"
#include "sign/base32.h"
#include "sign/keyring_int.h"

/* Byte offsets in the token (docs/token.md has the table). Both formats
 * share the first 26 bytes; format 2 adds the issuer and a reserved
 * byte before the signature. */
enum {
	OFF_VERSION = 0,
	OFF_KID = 1,
	OFF_KIND = 5,
	OFF_SERIAL = 6,
	OFF_ISSUED = 14,
	OFF_EXPIRES = 16,
	OFF_DIGEST = 18,
	OFF_SIG_V1 = 26, /* everything before the signature is signed */
	OFF_ISSUER = 26, /* format 2 */
	OFF_RESERVED = 30,
	OFF_SIG_V2 = 31,
};
_Static_assert(OFF_SIG_V1 + TOKEN_SIG_LEN == TOKEN_V1_BIN_LEN, "format 1");
_Static_assert(OFF_SIG_V2 + TOKEN_SIG_LEN == TOKEN_V2_BIN_LEN, "format 2");

/* Domain separation: a signature over a token can never be mistaken for
 * one over anything else the key might sign later, nor one format's for
 * the other's. Both 12 characters. */
static const char sig_prefix_v1[] = "terbit-qr-v1"; /* + its NUL */
static const char sig_prefix_v2[] = "terbit-qr-v2";
#define PREFIX_LEN sizeof sig_prefix_v1
static const char fields_prefix[] = "terbit-fields-v1\n";

/* QR version 8 at level M holds 221 alphanumeric characters: "HTTPS://"
 * + host + "/V/" + the token leaves 66 for the host with a format 1
 * token, TOKEN_HOST_MAX (58) with format 2. */
#define QR_V8M_ALNUM 221

int token_serial_new(unsigned char serial[TOKEN_SERIAL_LEN], struct buf *err)
{
	if (rand_bytes(serial, TOKEN_SERIAL_LEN) < 0)
		return tb_err(err, TB_ECRYPTO, "gagal membuat nomor seri acak");
	return 0;
}

static int field_name_ok(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '_'))
			return 0;
	return 1;
}

static int field_value_ok(const char *s)
{
	if (!s)
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

static int cmp_field(const void *a, const void *b)
{
	return strcmp((*(const struct token_field *const *)a)->name,
		      (*(const struct token_field *const *)b)->name);
}

int token_field_digest(const struct token_field *fields, size_t n,
		       unsigned char out[TOKEN_DIGEST_LEN], struct buf *err)
{
	const struct token_field **sorted = NULL;
	struct buf text = BUF_INIT;
	unsigned char md[SHA256_LEN];
	int rc = TB_ENOMEM;
	if (n && !(sorted = malloc(n * sizeof *sorted)))
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (!field_name_ok(fields[i].name) ||
		    !field_value_ok(fields[i].value)) {
			rc = tb_err(err, TB_EINVAL, "kolom token tidak sah: %s",
				    fields[i].name ? fields[i].name : "(null)");
			goto out;
		}
		sorted[i] = &fields[i];
	}
	if (n)
		qsort(sorted, n, sizeof *sorted, cmp_field);
	if (buf_adds(&text, fields_prefix))
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (i && strcmp(sorted[i - 1]->name, sorted[i]->name) == 0) {
			rc = tb_err(err, TB_EINVAL, "kolom token ganda: %s",
				    sorted[i]->name);
			goto out;
		}
		if (buf_addf(&text, "%s=%s\n", sorted[i]->name, sorted[i]->value))
			goto out;
	}
	digest_sha256(text.data, text.len, md);
	memcpy(out, md, TOKEN_DIGEST_LEN);
	rc = 0;
out:
	if (rc == TB_ENOMEM)
		tb_err(err, rc, "memori habis");
	free(sorted);
	buf_release(&text);
	return rc;
}

static void put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static uint16_t get16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Bytes of t's format: 90 or 95. */
static size_t bin_len(const struct token *t)
{
	return t->version == TOKEN_V2 ? TOKEN_V2_BIN_LEN : TOKEN_V1_BIN_LEN;
}

static size_t sig_off(const struct token *t)
{
	return t->version == TOKEN_V2 ? OFF_SIG_V2 : OFF_SIG_V1;
}

static void pack(const struct token *t, unsigned char b[TOKEN_BIN_MAX])
{
	b[OFF_VERSION] = t->version;
	memcpy(b + OFF_KID, t->kid, KEYS_KID_LEN);
	b[OFF_KIND] = t->kind;
	memcpy(b + OFF_SERIAL, t->serial, TOKEN_SERIAL_LEN);
	put16(b + OFF_ISSUED, t->issued);
	put16(b + OFF_EXPIRES, t->expires);
	memcpy(b + OFF_DIGEST, t->digest, TOKEN_DIGEST_LEN);
	if (t->version == TOKEN_V2) {
		put16(b + OFF_ISSUER, (uint16_t)(t->issuer >> 16));
		put16(b + OFF_ISSUER + 2, (uint16_t)t->issuer);
		b[OFF_RESERVED] = 0;
	}
	memcpy(b + sig_off(t), t->sig, TOKEN_SIG_LEN);
}

/* The signed message: the format's prefix, its NUL, then every byte
 * before the signature. Returns its length. */
static size_t signed_input(const struct token *t,
			   const unsigned char b[TOKEN_BIN_MAX],
			   unsigned char msg[PREFIX_LEN + OFF_SIG_V2])
{
	memcpy(msg, t->version == TOKEN_V2 ? sig_prefix_v2 : sig_prefix_v1,
	       PREFIX_LEN);
	memcpy(msg + PREFIX_LEN, b, sig_off(t));
	return PREFIX_LEN + sig_off(t);
}

int token_make(const struct keyring *kr, enum token_kind kind,
	       uint32_t issuer, const unsigned char serial[TOKEN_SERIAL_LEN],
	       int64_t issued, int64_t expires, const struct token_field *fields,
	       size_t n, struct token *out_t, struct buf *out, struct buf *err)
{
	struct token t = { .version = issuer ? TOKEN_V2 : TOKEN_V1,
			   .kind = (uint8_t)kind, .issuer = issuer };
	unsigned char b[TOKEN_BIN_MAX], msg[PREFIX_LEN + OFF_SIG_V2];
	int rc;
	if (kind != TOKEN_LETTER && kind != TOKEN_CARD)
		return tb_err(err, TB_EINVAL, "jenis dokumen token tidak dikenal");
	if (issued < 0 || issued > 65535 || expires < issued || expires > 65535)
		return tb_err(err, TB_EINVAL, "tanggal token di luar jangkauan");
	if ((rc = token_field_digest(fields, n, t.digest, err)))
		return rc;
	memcpy(t.serial, serial, TOKEN_SERIAL_LEN);
	t.issued = (uint16_t)issued;
	t.expires = (uint16_t)expires;
	/* The kid is part of what is signed: the current key's. */
	memcpy(t.kid, kr->qr[kr->qr_current].kid, KEYS_KID_LEN);
	pack(&t, b);
	size_t mlen = signed_input(&t, b, msg);
	if (keys_qr_sign(kr, msg, mlen, t.sig, NULL) < 0)
		return tb_err(err, TB_ECRYPTO, "gagal menandatangani token");
	if ((rc = token_format(&t, out)))
		return tb_err(err, rc, "memori habis");
	if (out_t)
		*out_t = t;
	return 0;
}

int token_format(const struct token *t, struct buf *out)
{
	unsigned char b[TOKEN_BIN_MAX];
	pack(t, b);
	return base32_encode(out, b, bin_len(t));
}

int token_peek_serial(const char *s, unsigned char serial[TOKEN_SERIAL_LEN])
{
	/* 24 characters are the first 15 bytes, the serial's among them. */
	enum { PEEK_CHARS = 24 };
	_Static_assert(PEEK_CHARS * 5 / 8 >= OFF_SERIAL + TOKEN_SERIAL_LEN,
		       "the serial is in the characters peeked at");
	unsigned char b[PEEK_CHARS * 5 / 8];
	size_t len = strlen(s);
	if ((len != TOKEN_V1_STR_LEN && len != TOKEN_V2_STR_LEN) ||
	    base32_decode_to(b, s, PEEK_CHARS) < 0)
		return TB_EINVAL;
	memcpy(serial, b + OFF_SERIAL, TOKEN_SERIAL_LEN);
	return 0;
}

int token_parse(const char *s, size_t len, struct token *t, struct buf *err)
{
	unsigned char b[TOKEN_BIN_MAX];
	const int rc = TB_EINVAL;
	/* The length says the format; byte 0 must agree. */
	size_t want = len == TOKEN_V1_STR_LEN ? TOKEN_V1_BIN_LEN
		      : len == TOKEN_V2_STR_LEN ? TOKEN_V2_BIN_LEN : 0;
	if (!want)
		return tb_err(err, rc, "panjang token salah (%zu, seharusnya "
			      "%d atau %d)", len, TOKEN_V1_STR_LEN,
			      TOKEN_V2_STR_LEN);
	if (base32_decode_to(b, s, len) != (int)want)
		return tb_err(err, rc, "token memuat karakter tidak sah");
	uint8_t version = want == TOKEN_V2_BIN_LEN ? TOKEN_V2 : TOKEN_V1;
	if (b[OFF_VERSION] != version)
		return tb_err(err, rc, "versi token tidak dikenal: %u",
			      b[OFF_VERSION]);
	if (b[OFF_KIND] != TOKEN_LETTER && b[OFF_KIND] != TOKEN_CARD)
		return tb_err(err, rc, "jenis dokumen token tidak dikenal");
	memset(t, 0, sizeof *t);
	t->version = version;
	if (version == TOKEN_V2) {
		t->issuer = (uint32_t)get16(b + OFF_ISSUER) << 16 |
			    get16(b + OFF_ISSUER + 2);
		if (!t->issuer || b[OFF_RESERVED])
			return tb_err(err, rc, "penerbit token tidak sah");
	}
	memcpy(t->kid, b + OFF_KID, KEYS_KID_LEN);
	t->kind = b[OFF_KIND];
	memcpy(t->serial, b + OFF_SERIAL, TOKEN_SERIAL_LEN);
	t->issued = get16(b + OFF_ISSUED);
	t->expires = get16(b + OFF_EXPIRES);
	memcpy(t->digest, b + OFF_DIGEST, TOKEN_DIGEST_LEN);
	memcpy(t->sig, b + sig_off(t), TOKEN_SIG_LEN);
	return 0;
}

/* Case-insensitive prefix match; returns the length matched or 0. */
static size_t iprefix(const char *s, const char *prefix)
{
	size_t i = 0;
	for (; prefix[i]; i++) {
		char c = s[i];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c != prefix[i])
			return 0;
	}
	return i;
}

static int host_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':';
}

int token_parse_url(const char *in, struct token *t, struct buf *err)
{
	const char *p = in;
	size_t skip = iprefix(p, "HTTPS://");
	if (!skip)
		skip = iprefix(p, "HTTP://");
	if (skip) {
		p += skip;
		const char *host = p;
		while (host_char(*p))
			p++;
		size_t v = iprefix(p, "/V/");
		if (p == host || !v)
			return tb_err(err, TB_EINVAL, "alamat verifikasi tidak "
				      "dikenal");
		p += v;
	}
	return token_parse(p, strlen(p), t, err);
}

int token_url(struct buf *out, const char *host, const char *token,
	      struct buf *err)
{
	size_t n = strlen(host), colon = strcspn(host, ":"), tl = strlen(token);
	size_t host_max = QR_V8M_ALNUM - 11 - tl;
	int ok = n > 0 && n <= host_max && colon > 0 &&
		 (tl == TOKEN_V1_STR_LEN || tl == TOKEN_V2_STR_LEN);
	for (size_t i = 0; ok && i < n; i++)
		ok = i < colon ? host_char(host[i]) && host[i] != ':'
			       : i == colon || (host[i] >= '0' && host[i] <= '9');
	if (!ok || (colon < n && colon + 1 == n))
		return tb_err(err, TB_EINVAL, "nama host verifikasi tidak sah "
			      "(paling banyak %zu karakter)",
			      tl <= TOKEN_V2_STR_LEN ? host_max : (size_t)0);
	size_t start = out->len;
	int rc = buf_adds(out, "HTTPS://");
	for (size_t i = 0; !rc && i < n; i++) {
		char c = host[i];
		rc = buf_addc(out, c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c);
	}
	if (!rc)
		rc = buf_adds(out, "/V/");
	if (!rc)
		rc = buf_adds(out, token);
	if (rc) {
		buf_truncate(out, start);
		return tb_err(err, rc, "memori habis");
	}
	return 0;
}

enum token_status token_verify(const struct token *t, const struct keyring *kr)
{
	const struct qr_key *key = keys_qr_find(kr, t->kid);
	return key ? token_verify_pkey(t, key->pkey) : TOKEN_UNKNOWN_KEY;
}

enum token_status token_verify_pkey(const struct token *t, EVP_PKEY *key)
{
	unsigned char b[TOKEN_BIN_MAX], msg[PREFIX_LEN + OFF_SIG_V2];
	pack(t, b);
	size_t mlen = signed_input(t, b, msg);
	return keys_ed25519_ok(key, msg, mlen, t->sig) ? TOKEN_OK
						       : TOKEN_BAD_SIGNATURE;
}

int token_fields_match(const struct token *t, const struct token_field *fields,
		       size_t n)
{
	unsigned char d[TOKEN_DIGEST_LEN];
	if (token_field_digest(fields, n, d, NULL))
		return 0;
	return digest_equal(d, t->digest, TOKEN_DIGEST_LEN);
}

const char *token_status_name(enum token_status s)
{
	switch (s) {
	case TOKEN_OK: return "OK";
	case TOKEN_UNKNOWN_KEY: return "UNKNOWN_KEY";
	case TOKEN_BAD_SIGNATURE: return "FORGED";
	}
	return "FORGED";
}
