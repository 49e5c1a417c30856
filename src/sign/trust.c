/*
 * Trusted QR keys of one or several issuers (trust.h; the trust list's
 * format is in docs/trust.md): read from an export-public directory or
 * from a signed trust list, and the token and status list checks
 * against them.
 */
#include "sign/trust.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/pem.h>

#include "core/err.h"
#include "core/jsonread.h"
#include "core/str.h"
#include "core/utf8.h"
#include "core/vec.h"
#include "sign/keyring_int.h"

static const char list_magic[] = "terbit-trust 1\n";
static const char list_prefix[] = "terbit-trust-v1"; /* + its NUL */
/* A trust list is a few lines per issuer: a whole country's regencies
 * (514) with a few keys each is far below this. */
#define LIST_MAX (4u << 20)

struct tkey {
	unsigned char kid[KEYS_KID_LEN];
	unsigned char pub[32];
	EVP_PKEY *pkey;
	size_t issuer;               /* index into issuers */
};

struct trust {
	struct trust_issuer *issuers;
	size_t nissuers, icap;
	struct tkey *keys;
	size_t nkeys, kcap;
	int from_dir;
};

void trust_free(struct trust *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nkeys; i++)
		EVP_PKEY_free(t->keys[i].pkey);
	free(t->keys);
	free(t->issuers);
	free(t);
}

size_t trust_issuers(const struct trust *t)
{
	return t->nissuers;
}

size_t trust_keys(const struct trust *t)
{
	return t->nkeys;
}

static const struct tkey *find_key(const struct trust *t,
				   const unsigned char kid[KEYS_KID_LEN])
{
	for (size_t i = 0; i < t->nkeys; i++)
		if (memcmp(t->keys[i].kid, kid, KEYS_KID_LEN) == 0)
			return &t->keys[i];
	return NULL;
}

static int add_issuer(struct trust *t, uint32_t code, const char *name,
		      size_t name_len, struct buf *err)
{
	if (vec_reserve(&t->issuers, &t->icap, t->nissuers, sizeof *t->issuers,
			4) < 0)
		return tb_err(err, TB_ENOMEM, "memori habis");
	struct trust_issuer *is = &t->issuers[t->nissuers++];
	memset(is, 0, sizeof *is);
	is->code = code;
	snprintf(is->name, sizeof is->name, "%.*s", (int)name_len, name);
	return 0;
}

/* A raw 32-byte key with its claimed kid; refuses a kid that is not the
 * key's, or one already trusted (for any issuer). */
static int add_key(struct trust *t, const unsigned char kid[KEYS_KID_LEN],
		   const unsigned char pub[32], struct buf *err)
{
	unsigned char real[KEYS_KID_LEN];
	char hex[9];
	keys_kid_of_raw(pub, 32, real);
	keys_kid_hex(kid, hex);
	if (memcmp(real, kid, KEYS_KID_LEN))
		return tb_err(err, TB_EINVAL, "kid %s bukan milik kuncinya", hex);
	if (find_key(t, kid))
		return tb_err(err, TB_EINVAL, "kunci %s disebut dua kali", hex);
	if (vec_reserve(&t->keys, &t->kcap, t->nkeys, sizeof *t->keys, 8) < 0)
		return tb_err(err, TB_ENOMEM, "memori habis");
	struct tkey *k = &t->keys[t->nkeys];
	memcpy(k->kid, kid, KEYS_KID_LEN);
	memcpy(k->pub, pub, 32);
	k->issuer = t->nissuers - 1;
	k->pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, 32);
	if (!k->pkey)
		return tb_err(err, TB_ECRYPTO, "kunci %s tidak terbaca", hex);
	t->nkeys++;
	return 0;
}

/* ---- an export-public directory ---- */

static int load_dir(struct trust *t, const char *dir, struct buf *err)
{
	struct buf path = BUF_INIT, text = BUF_INIT;
	struct jsonread d = { 0 };
	int rc = buf_addf(&path, "%s/keys.json", dir) ? TB_ENOMEM : 0;
	if (rc == 0)
		rc = buf_read_file(&text, path.data, LIST_MAX, err);
	if (rc == 0)
		rc = jsonread_parse(&d, text.data, text.len, err);
	if (rc < 0)
		goto out;
	const struct jr_val *root = jsonread_root(&d);
	const char *format = jsonread_str(&d, root, "format");
	const struct jr_val *keys = jsonread_get(&d, root, "qr_keys");
	if (!format || strcmp(format, "terbit-keys-1") || !keys ||
	    keys->type != JR_ARR) {
		rc = tb_err(err, TB_EINVAL, "%s bukan keys.json terbit",
			    path.data);
		goto out;
	}
	t->from_dir = 1;
	if ((rc = add_issuer(t, 0, "", 0, err)) < 0)
		goto out;
	for (const struct jr_val *k = jsonread_first(&d, keys); k;
	     k = jsonread_next(&d, k)) {
		const char *kid = jsonread_str(&d, k, "kid"),
			   *x = jsonread_str(&d, k, "x"),
			   *crv = jsonread_str(&d, k, "crv");
		unsigned char kb[KEYS_KID_LEN], pub[32];
		if (!kid || !x || !crv || strcmp(crv, "Ed25519") ||
		    keys_kid_parse(kid, kb) ||
		    keys_b64url_decode(x, strlen(x), pub, sizeof pub)) {
			rc = tb_err(err, TB_EINVAL, "%s: kunci QR tidak terbaca",
				    path.data);
			goto out;
		}
		if ((rc = add_key(t, kb, pub, err)) < 0)
			goto out;
	}
	if (!t->nkeys)
		rc = tb_err(err, TB_EINVAL, "%s tidak memuat kunci QR", path.data);
out:
	if (rc == TB_ENOMEM && !err->len)
		tb_err(err, rc, "memori habis");
	jsonread_release(&d);
	buf_release(&path);
	buf_release(&text);
	return rc;
}

/* ---- a trust list file ---- */

/* The next line without its LF; NULL at the end or without a LF. */
static const char *next_line(const char **p, const char *end, size_t *len)
{
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));
	if (!nl)
		return NULL;
	const char *line = *p;
	*len = (size_t)(nl - line);
	*p = nl + 1;
	return line;
}

static int starts(const char *line, size_t len, const char *word)
{
	size_t n = strlen(word);
	return len > n && memcmp(line, word, n) == 0;
}

/* A BPS code: 2 or 4 digits, the first not 0. */
static int parse_code(const char *s, size_t len, uint32_t *code)
{
	if ((len != 2 && len != 4) || s[0] == '0')
		return TB_EINVAL;
	uint32_t v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return TB_EINVAL;
		v = v * 10 + (uint32_t)(s[i] - '0');
	}
	*code = v;
	return 0;
}

/* Text for a name or URL: valid UTF-8, no control characters. */
static int text_ok(const char *s, size_t len, size_t max)
{
	return len > 0 && len < max &&
	       utf8_text_check(s, len, 0, "teks", NULL) == 0;
}

static int list_signed_msg(struct buf *msg, const char *text, size_t n)
{
	int rc = buf_add(msg, list_prefix, sizeof list_prefix);
	return rc ? rc : buf_add(msg, text, n);
}

static int bad_list(struct buf *err, int line, const char *what)
{
	return tb_err(err, TB_EINVAL, "daftar kepercayaan tidak sah (baris "
		      "%d): %s", line, what);
}

static int parse_list(struct trust *t, const char *text, size_t len,
		      EVP_PKEY *list_key, struct buf *err)
{
	const char *p = text, *end = text + len, *l;
	size_t n;
	int line = 1;
	unsigned char signer[KEYS_KID_LEN], want[KEYS_KID_LEN], pub[32];
	size_t publen = sizeof pub;
	char hex[9];
	if (len < sizeof list_magic - 1 ||
	    memcmp(text, list_magic, sizeof list_magic - 1))
		return bad_list(err, 1, "bukan daftar kepercayaan terbit versi 1");
	p += sizeof list_magic - 1;
	line++;
	if (!(l = next_line(&p, end, &n)) || !starts(l, n, "signer ") ||
	    n != 15)
		return bad_list(err, line, "signer");
	memcpy(hex, l + 7, 8);
	hex[8] = 0;
	if (strspn(hex, "0123456789abcdef") != 8 || keys_kid_parse(hex, signer))
		return bad_list(err, line, "signer");
	line++;
	if (!(l = next_line(&p, end, &n)) || !starts(l, n, "made ") || n != 25)
		return bad_list(err, line, "made");
	uint32_t last = 0;
	for (;;) {
		const char *at = p;
		line++;
		if (!(l = next_line(&p, end, &n)))
			return bad_list(err, line, "baris tanpa akhir");
		if (starts(l, n, "sig ")) {
			size_t signed_len = (size_t)(at - text);
			unsigned char sig[KEYS_ED25519_SIG_LEN];
			struct buf msg = BUF_INIT;
			if (p != end || !t->nissuers ||
			    keys_b64url_decode(l + 4, n - 4, sig, sizeof sig))
				return bad_list(err, line, "sig (atau ada isi "
						"sesudahnya)");
			if (!EVP_PKEY_get_raw_public_key(list_key, pub, &publen))
				return tb_err(err, TB_ECRYPTO, "kunci daftar "
					      "kepercayaan tidak terbaca");
			keys_kid_of_raw(pub, 32, want);
			if (memcmp(want, signer, KEYS_KID_LEN))
				return tb_err(err, TB_EINVAL, "daftar kepercayaan "
					      "ditandatangani kunci lain "
					      "(signer %s)", hex);
			int ok = list_signed_msg(&msg, text, signed_len) == 0 &&
				 keys_ed25519_ok(list_key, msg.data, msg.len, sig);
			buf_release(&msg);
			return ok ? 0 : tb_err(err, TB_EINVAL, "tanda tangan "
					       "daftar kepercayaan tidak sah");
		}
		if (starts(l, n, "issuer ")) {
			uint32_t code;
			size_t cl = strcspn(l + 7, " \n");
			if (7 + cl >= n || parse_code(l + 7, cl, &code) ||
			    code <= last || !text_ok(l + 8 + cl, n - 8 - cl,
						      TRUST_NAME_MAX))
				return bad_list(err, line, "issuer (kode 2 atau "
						"4 digit, naik, lalu nama)");
			if (t->nissuers && !t->nkeys)
				return bad_list(err, line, "penerbit tanpa kunci");
			last = code;
			int rc = add_issuer(t, code, l + 8 + cl, n - 8 - cl, err);
			if (rc < 0)
				return rc;
			continue;
		}
		if (starts(l, n, "key ")) {
			unsigned char kid[KEYS_KID_LEN];
			if (!t->nissuers || n != 4 + 8 + 1 + 43 || l[12] != ' ')
				return bad_list(err, line, "key");
			memcpy(hex, l + 4, 8);
			if (strspn(hex, "0123456789abcdef") != 8 ||
			    keys_kid_parse(hex, kid) ||
			    keys_b64url_decode(l + 13, 43, pub, sizeof pub))
				return bad_list(err, line, "key");
			int rc = add_key(t, kid, pub, err);
			if (rc < 0)
				return rc == TB_EINVAL ? bad_list(err, line, err->data)
						       : rc;
			continue;
		}
		if (starts(l, n, "status ")) {
			struct trust_issuer *is = t->nissuers
							  ? &t->issuers[t->nissuers - 1]
							  : NULL;
			if (!is || is->status_url[0] ||
			    !text_ok(l + 7, n - 7, TRUST_URL_MAX) ||
			    memchr(l + 7, ' ', n - 7) ||
			    (strncmp(l + 7, "https://", 8) &&
			     strncmp(l + 7, "http://", 7)))
				return bad_list(err, line, "status (satu URL "
						"http(s) per penerbit)");
			snprintf(is->status_url, sizeof is->status_url, "%.*s",
				 (int)(n - 7), l + 7);
			continue;
		}
		return bad_list(err, line, "baris tidak dikenal");
	}
}

static EVP_PKEY *read_public_pem(const char *path, struct buf *err)
{
	struct buf pem = BUF_INIT;
	EVP_PKEY *key = NULL;
	if (buf_read_file(&pem, path, 1 << 16, err) == 0) {
		BIO *bio = BIO_new_mem_buf(pem.data, (int)pem.len);
		key = bio ? PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL) : NULL;
		BIO_free(bio);
		if (!key || EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
			EVP_PKEY_free(key);
			key = NULL;
			tb_err(err, TB_EINVAL, "%s bukan kunci publik Ed25519 "
			       "(PEM)", path);
		}
	}
	buf_release(&pem);
	return key;
}

int trust_load(const char *path, const char *list_key, struct trust **out,
	       struct buf *err)
{
	struct stat st;
	struct buf text = BUF_INIT;
	EVP_PKEY *key = NULL;
	int rc;
	struct trust *t = calloc(1, sizeof *t);
	if (!t)
		return tb_err(err, TB_ENOMEM, "memori habis");
	if (stat(path, &st) != 0) {
		rc = tb_err(err, errno == ENOENT ? TB_ENOTFOUND : TB_EIO,
			    "%s: %s", path, strerror(errno));
	} else if (S_ISDIR(st.st_mode)) {
		rc = load_dir(t, path, err);
	} else if (!list_key) {
		rc = tb_err(err, TB_EINVAL, "daftar kepercayaan %s perlu kunci "
			    "publik penandatangannya", path);
	} else if (!(key = read_public_pem(list_key, err))) {
		rc = TB_EINVAL;
	} else if ((rc = buf_read_file(&text, path, LIST_MAX, err)) == 0) {
		rc = parse_list(t, text.data, text.len, key, err);
	}
	EVP_PKEY_free(key);
	buf_release(&text);
	if (rc < 0) {
		trust_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

enum token_status trust_verify_token(const struct trust *t,
				     const struct token *tok,
				     const struct trust_issuer **who)
{
	const struct tkey *k = find_key(t, tok->kid);
	if (!k)
		return TOKEN_UNKNOWN_KEY;
	const struct trust_issuer *is = &t->issuers[k->issuer];
	/* The kid belongs to another issuer than the token names: the
	 * token's issuer has no such key. */
	if (tok->version == TOKEN_V2 && is->code && is->code != tok->issuer)
		return TOKEN_UNKNOWN_KEY;
	enum token_status st = token_verify_pkey(tok, k->pkey);
	if (st == TOKEN_OK && who)
		*who = is;
	return st;
}

int trust_status_check(struct trust *t, const struct status_list *l,
		       const char *text, struct buf *err)
{
	char hex[9];
	const struct tkey *k = find_key(t, l->kid);
	keys_kid_hex(l->kid, hex);
	if (!k)
		return tb_err(err, TB_EINVAL, "daftar status ditandatangani "
			      "kunci %s yang tidak dipercaya", hex);
	struct trust_issuer *is = &t->issuers[k->issuer];
	if (is->code && is->code != l->issuer)
		return tb_err(err, TB_EINVAL, "daftar status penerbit %u "
			      "ditandatangani kunci penerbit %u", l->issuer,
			      is->code);
	if (!status_sig_ok(l, text, k->pub))
		return tb_err(err, TB_EINVAL, "tanda tangan daftar status "
			      "tidak sah");
	/* A directory's keys are one office's: now we know which. */
	if (!is->code)
		is->code = l->issuer;
	return 0;
}

/* ---- making ---- */

int trust_keygen(const char *dir, char kid_hex[9], struct buf *err)
{
	unsigned char kid[KEYS_KID_LEN];
	EVP_PKEY *key = NULL;
	char name[64];
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return tb_err(err, TB_EIO, "tidak dapat membuat %s: %s", dir,
			      strerror(errno));
	int rc = keys_ed25519_new(dir, "trust", kid, &key, err);
	if (rc < 0)
		return rc;
	keys_kid_hex(kid, kid_hex);
	BIO *bio = BIO_new(BIO_s_mem());
	char *p;
	if (!bio || !PEM_write_bio_PUBKEY(bio, key)) {
		rc = tb_err(err, TB_ECRYPTO, "gagal menulis kunci publik");
	} else {
		long n = BIO_get_mem_data(bio, &p);
		snprintf(name, sizeof name, "trust-%s.pub.pem", kid_hex);
		rc = keys_write_new(dir, name, p, (size_t)n, 0644, err);
	}
	BIO_free(bio);
	EVP_PKEY_free(key);
	return rc;
}

static int cmp_source(const void *a, const void *b)
{
	uint32_t x = ((const struct trust_source *)a)->code,
		 y = ((const struct trust_source *)b)->code;
	return x < y ? -1 : x > y;
}

int trust_make(const char *key_file, const struct trust_source *src, size_t n,
	       int64_t made, struct buf *out, struct buf *err)
{
	struct trust_source *sorted = NULL;
	struct buf msg = BUF_INIT, dir = BUF_INIT;
	unsigned char pub[32], kid[KEYS_KID_LEN], sig[KEYS_ED25519_SIG_LEN];
	size_t publen = sizeof pub, start = out->len;
	char hex[9], when[21];
	EVP_PKEY *key = NULL;
	int rc = 0;
	/* keys_load_private takes a directory and a name. */
	const char *slash = strrchr(key_file, '/');
	if (buf_add(&dir, key_file, slash ? (size_t)(slash - key_file) : 1) < 0 ||
	    !(sorted = malloc((n ? n : 1) * sizeof *sorted))) {
		rc = tb_err(err, TB_ENOMEM, "memori habis");
		goto out;
	}
	if (!slash) {
		buf_reset(&dir);
		buf_addc(&dir, '.');
	}
	if (!(key = keys_load_private(dir.data, slash ? slash + 1 : key_file,
				      err)) ||
	    EVP_PKEY_get_id(key) != EVP_PKEY_ED25519 ||
	    !EVP_PKEY_get_raw_public_key(key, pub, &publen)) {
		rc = err->len ? TB_ECRYPTO
			      : tb_err(err, TB_ECRYPTO, "%s bukan kunci "
				       "Ed25519", key_file);
		goto out;
	}
	if (!n) {
		rc = tb_err(err, TB_EINVAL, "daftar kepercayaan tanpa penerbit");
		goto out;
	}
	memcpy(sorted, src, n * sizeof *sorted);
	qsort(sorted, n, sizeof *sorted, cmp_source);
	keys_kid_of_raw(pub, 32, kid);
	keys_kid_hex(kid, hex);
	status_time_format(made, when);
	rc = buf_addf(out, "%ssigner %s\nmade %s\n", list_magic, hex, when);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct trust *t = NULL;
		char code[12];
		snprintf(code, sizeof code, "%u", sorted[i].code);
		uint32_t check;
		if (parse_code(code, strlen(code), &check) ||
		    (i && sorted[i].code == sorted[i - 1].code) ||
		    !sorted[i].name ||
		    !text_ok(sorted[i].name, strlen(sorted[i].name), TRUST_NAME_MAX) ||
		    strchr(sorted[i].name, '\n')) {
			rc = tb_err(err, TB_EINVAL, "penerbit %s: kode (2 atau 4 "
				    "digit, sekali saja) atau nama tidak sah", code);
			break;
		}
		if ((rc = trust_load(sorted[i].dir, NULL, &t, err)) < 0)
			break;
		rc = buf_addf(out, "issuer %u %s\n", sorted[i].code, sorted[i].name);
		for (size_t k = 0; rc == 0 && k < t->nkeys; k++) {
			keys_kid_hex(t->keys[k].kid, hex);
			rc = buf_addf(out, "key %s ", hex);
			if (rc == 0)
				rc = keys_b64url(out, t->keys[k].pub, 32);
			if (rc == 0)
				rc = buf_addc(out, '\n');
		}
		trust_free(t);
		const char *url = sorted[i].status_url;
		if (rc == 0 && url && *url) {
			if (!text_ok(url, strlen(url), TRUST_URL_MAX) ||
			    strpbrk(url, " \n") ||
			    (strncmp(url, "https://", 8) && strncmp(url, "http://", 7))) {
				rc = tb_err(err, TB_EINVAL, "URL daftar status tidak "
					    "sah: %s", url);
				break;
			}
			rc = buf_addf(out, "status %s\n", url);
		}
	}
	if (rc == 0)
		rc = list_signed_msg(&msg, out->data + start, out->len - start);
	if (rc == 0 && !keys_sign_with(key, msg.data, msg.len, sig))
		rc = tb_err(err, TB_ECRYPTO, "gagal menandatangani daftar "
			    "kepercayaan");
	if (rc == 0 && ((rc = buf_adds(out, "sig ")) ||
			(rc = keys_b64url(out, sig, sizeof sig)) ||
			(rc = buf_addc(out, '\n'))))
		rc = tb_err(err, TB_ENOMEM, "memori habis");
out:
	if (rc < 0)
		buf_truncate(out, start);
	EVP_PKEY_free(key);
	free(sorted);
	buf_release(&msg);
	buf_release(&dir);
	return rc;
}
