/*
 * The signed status list's bytes (format in statuslist.h and
 * docs/token.md). Strict both ways: one spelling per list, so the bytes
 * a phone caches, an HTTP cache keeps and a checker verifies are the
 * same.
 */
#include "sign/statuslist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/str.h"
#include "sign/keyring_int.h"

/* Domain separation, as for tokens: a list signature can never pass for
 * a token's or anything else the QR key signs. */
static const char sig_prefix[] = "terbit-status-v1"; /* + its NUL */
static const char magic[] = "terbit-status 1\n";

#define ENTRY_LEN 30 /* "<16 hex> C YYYY-MM-DD\n" */
#define SIG_B64_LEN 86

void status_time_format(int64_t t, char out[21])
{
	/* The audit log's form without its milliseconds. */
	char full[32];
	fmt_iso_utc(t, full);
	memcpy(out, full, 19);
	out[19] = 'Z';
	out[20] = 0;
}

static int add_day(struct buf *out, int64_t day)
{
	int y, m, d;
	days_to_date(day, &y, &m, &d);
	return buf_addf(out, "%04d-%02d-%02d", y, m, d);
}

/* The signed message: prefix, NUL, the first n bytes of text. */
static int signed_msg(struct buf *msg, const char *text, size_t n)
{
	int rc = buf_add(msg, sig_prefix, sizeof sig_prefix);
	return rc ? rc : buf_add(msg, text, n);
}

int status_make(const struct keyring *kr, uint32_t issuer, int64_t made,
		int64_t next, const struct status_entry *e, size_t n,
		struct buf *out, struct buf *err)
{
	struct buf msg = BUF_INIT;
	unsigned char kid[KEYS_KID_LEN], sig[KEYS_ED25519_SIG_LEN];
	char t1[21], t2[21], hex[2 * STATUS_SERIAL_LEN + 1], kidhex[9];
	size_t start = out->len;
	int rc;
	if (issuer == 0 || issuer > STATUS_ISSUER_MAX)
		return tb_err(err, TB_EINVAL, "kode penerbit tidak sah: %u",
			      issuer);
	if (made < 0 || next < made || next > 253402300799LL)
		return tb_err(err, TB_EINVAL, "waktu daftar status tidak sah");
	for (size_t i = 0; i < n; i++) {
		if (e[i].code != STATUS_REVOKED && e[i].code != STATUS_SUPERSEDED &&
		    e[i].code != STATUS_OTHER)
			return tb_err(err, TB_EINVAL, "kode status tidak dikenal");
		if (i && memcmp(e[i - 1].serial, e[i].serial, STATUS_SERIAL_LEN) >= 0)
			return tb_err(err, TB_EINVAL, "nomor seri daftar status "
				      "tidak urut");
	}
	/* The kid written must be the signer's: taken from the key itself. */
	keys_kid_hex(kr->qr[kr->qr_current].kid, kidhex);
	status_time_format(made, t1);
	status_time_format(next, t2);
	rc = buf_addf(out, "%sissuer %u\nkid %s\nmade %s\nnext %s\ncount %zu\n",
		      magic, issuer, kidhex, t1, t2, n);
	if (rc == 0)
		rc = buf_grow(out, n * ENTRY_LEN + SIG_B64_LEN + 8);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		str_hex_upper(hex, e[i].serial, STATUS_SERIAL_LEN);
		if ((rc = buf_addf(out, "%s %c ", hex, e[i].code)) == 0 &&
		    (rc = add_day(out, e[i].day)) == 0)
			rc = buf_addc(out, '\n');
	}
	if (rc == 0)
		rc = signed_msg(&msg, out->data + start, out->len - start);
	if (rc) {
		rc = tb_err(err, TB_ENOMEM, "memori habis");
		goto out;
	}
	if (keys_qr_sign(kr, msg.data, msg.len, sig, kid) < 0) {
		rc = tb_err(err, TB_ECRYPTO, "gagal menandatangani daftar status");
		goto out;
	}
	if ((rc = buf_adds(out, "sig ")) || (rc = keys_b64url(out, sig, sizeof sig)) ||
	    (rc = buf_addc(out, '\n')))
		rc = tb_err(err, TB_ENOMEM, "memori habis");
out:
	if (rc)
		buf_truncate(out, start);
	buf_release(&msg);
	return rc;
}

/* ---- reading ---- */

struct cursor {
	const char *p, *end;
	int line;
};

/* The next line after the literal key (with its space), without its LF;
 * NULL when the line does not start so or has no LF. */
static const char *field(struct cursor *c, const char *key, size_t *len)
{
	size_t k = strlen(key);
	const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
	c->line++;
	if (!nl || (size_t)(nl - c->p) < k || memcmp(c->p, key, k))
		return NULL;
	const char *v = c->p + k;
	*len = (size_t)(nl - v);
	c->p = nl + 1;
	return v;
}

/* A decimal without sign or leading zero ("0" itself allowed). */
static int decimal(const char *s, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	if (len == 0 || len > 18 || (len > 1 && s[0] == '0'))
		return TB_EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return TB_EINVAL;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > max)
		return TB_EINVAL;
	*out = v;
	return 0;
}

/* Exactly the form status_time_format writes. */
static int time_value(const char *s, size_t len, int64_t *out)
{
	char tmp[21], again[21];
	if (len != 20)
		return TB_EINVAL;
	memcpy(tmp, s, 20);
	tmp[20] = 0;
	if (iso_utc_parse(tmp, out) < 0)
		return TB_EINVAL;
	status_time_format(*out, again);
	return strcmp(tmp, again) == 0 ? 0 : TB_EINVAL;
}

static int day_value(const char *s, int64_t *out)
{
	char tmp[11];
	int y, m, d;
	memcpy(tmp, s, 10);
	tmp[10] = 0;
	if (date_parse(tmp, &y, &m, &d) < 0)
		return TB_EINVAL;
	*out = date_to_days(y, m, d);
	return 0;
}

static int bad(struct buf *err, const struct cursor *c, const char *what)
{
	return tb_err(err, TB_EINVAL, "daftar status tidak sah (baris %d): %s",
		      c->line, what);
}

int status_parse(const char *text, size_t len, struct status_list *l,
		 struct buf *err)
{
	struct cursor c = { text, text + len, 0 };
	const char *v;
	size_t vlen;
	uint64_t num;
	char kidhex[9];
	memset(l, 0, sizeof *l);
	if (len > STATUS_TEXT_MAX)
		return tb_err(err, TB_EINVAL, "daftar status terlalu besar");
	if (len < sizeof magic - 1 || memcmp(text, magic, sizeof magic - 1)) {
		c.line = 1;
		return bad(err, &c, "bukan daftar status terbit versi 1");
	}
	c.p += sizeof magic - 1;
	c.line = 1;
	if (!(v = field(&c, "issuer ", &vlen)) ||
	    decimal(v, vlen, STATUS_ISSUER_MAX, &num) || num == 0)
		return bad(err, &c, "issuer");
	l->issuer = (uint32_t)num;
	if (!(v = field(&c, "kid ", &vlen)) || vlen != 8)
		return bad(err, &c, "kid");
	memcpy(kidhex, v, 8);
	kidhex[8] = 0;
	/* Lower case only, as written: one spelling. */
	if (strspn(kidhex, "0123456789abcdef") != 8 ||
	    keys_kid_parse(kidhex, l->kid))
		return bad(err, &c, "kid");
	if (!(v = field(&c, "made ", &vlen)) || time_value(v, vlen, &l->made))
		return bad(err, &c, "made");
	if (!(v = field(&c, "next ", &vlen)) || time_value(v, vlen, &l->next) ||
	    l->next < l->made)
		return bad(err, &c, "next");
	if (!(v = field(&c, "count ", &vlen)) ||
	    decimal(v, vlen, (uint64_t)(c.end - c.p) / ENTRY_LEN, &num))
		return bad(err, &c, "count");
	if (num && !(l->e = calloc((size_t)num, sizeof *l->e)))
		return tb_err(err, TB_ENOMEM, "memori habis");
	for (size_t i = 0; i < (size_t)num; i++) {
		struct status_entry *e = &l->e[i];
		const char *p = c.p;
		c.line++;
		if (c.end - p < ENTRY_LEN || p[16] != ' ' || p[18] != ' ' ||
		    p[29] != '\n' || str_unhex_upper(e->serial, p, STATUS_SERIAL_LEN) ||
		    (p[17] != STATUS_REVOKED && p[17] != STATUS_SUPERSEDED &&
		     p[17] != STATUS_OTHER) ||
		    day_value(p + 19, &e->day)) {
			status_list_release(l);
			return bad(err, &c, "entri");
		}
		e->code = p[17];
		if (i && memcmp(l->e[i - 1].serial, e->serial, STATUS_SERIAL_LEN) >= 0) {
			status_list_release(l);
			return bad(err, &c, "nomor seri tidak urut atau ganda");
		}
		l->n++;
		c.p += ENTRY_LEN;
	}
	l->signed_len = (size_t)(c.p - text);
	if (!(v = field(&c, "sig ", &vlen)) ||
	    keys_b64url_decode(v, vlen, l->sig, sizeof l->sig) || c.p != c.end) {
		status_list_release(l);
		return bad(err, &c, "sig (atau ada isi sesudahnya)");
	}
	return 0;
}

void status_list_release(struct status_list *l)
{
	free(l->e);
	l->e = NULL;
	l->n = 0;
}

int status_sig_ok(const struct status_list *l, const char *text,
		  const unsigned char pub[32])
{
	struct buf msg = BUF_INIT;
	EVP_PKEY *key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, 32);
	int ok = key && signed_msg(&msg, text, l->signed_len) == 0 &&
		 keys_ed25519_ok(key, msg.data, msg.len, l->sig);
	EVP_PKEY_free(key);
	buf_release(&msg);
	return ok;
}

static int cmp_serial(const void *key, const void *elem)
{
	return memcmp(key, ((const struct status_entry *)elem)->serial,
		      STATUS_SERIAL_LEN);
}

const struct status_entry *status_find(const struct status_list *l,
				       const unsigned char serial[STATUS_SERIAL_LEN])
{
	return l->n ? bsearch(serial, l->e, l->n, sizeof *l->e, cmp_serial) : NULL;
}
