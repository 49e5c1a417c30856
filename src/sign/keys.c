#include "sign/keys.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509v3.h>

#include "core/digest.h"
#include "core/err.h"
#include "core/json.h"
#include "core/random.h"
#include "core/str.h"
#include "sign/keyring_int.h"

#define CA_DAYS (10 * 365 + 2)
#define SIGNER_DAYS (5 * 365 + 1)
/* Files under keys/ are small; anything bigger is not ours. */
#define KEYFILE_MAX (1 << 20)

/* ---- key ids ---- */

void keys_kid_of_raw(const unsigned char *pub, size_t n,
		     unsigned char kid[KEYS_KID_LEN])
{
	unsigned char md[SHA256_LEN];
	digest_sha256(pub, n, md);
	memcpy(kid, md, KEYS_KID_LEN);
}

int keys_kid_of_pkey(EVP_PKEY *pkey, unsigned char kid[KEYS_KID_LEN])
{
	unsigned char *der = NULL;
	int n = i2d_PUBKEY(pkey, &der);
	if (n <= 0)
		return TB_ECRYPTO;
	keys_kid_of_raw(der, (size_t)n, kid);
	OPENSSL_free(der);
	return 0;
}

void keys_kid_hex(const unsigned char kid[KEYS_KID_LEN], char hex[9])
{
	str_hex(hex, kid, KEYS_KID_LEN);
}

/* Exactly 8 hex characters at hex (more may follow). */
static int kid_parse8(const char *hex, unsigned char kid[KEYS_KID_LEN])
{
	for (int i = 0; i < KEYS_KID_LEN; i++) {
		unsigned v = 0;
		for (int k = 0; k < 2; k++) {
			char c = hex[2 * i + k];
			int d = c >= '0' && c <= '9' ? c - '0'
				: c >= 'a' && c <= 'f' ? c - 'a' + 10
				: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
			if (d < 0)
				return TB_EINVAL;
			v = v * 16 + (unsigned)d;
		}
		kid[i] = (unsigned char)v;
	}
	return 0;
}

int keys_kid_parse(const char *hex, unsigned char kid[KEYS_KID_LEN])
{
	if (!hex || strlen(hex) != 2 * KEYS_KID_LEN)
		return TB_EINVAL;
	return kid_parse8(hex, kid);
}

/* ---- files ---- */

static int crypto_err(struct buf *err, const char *what)
{
	unsigned long e = ERR_get_error();
	char msg[256] = "";
	if (e)
		ERR_error_string_n(e, msg, sizeof msg);
	ERR_clear_error();
	return tb_err(err, TB_ECRYPTO, "%s gagal%s%s", what, *msg ? ": " : "",
		      msg);
}

/*
 * Creates a new file with exactly mode: O_EXCL so an existing key is never
 * overwritten, and the mode given to open so a private key is never for a
 * moment readable by others (no chmod afterwards).
 */
int keys_write_new(const char *dir, const char *name, const void *data,
		   size_t n, int mode, struct buf *err)
{
	struct buf path = BUF_INIT;
	int rc = TB_EIO, fd = -1;
	if (buf_addf(&path, "%s/%s", dir, name)) {
		rc = tb_err(err, TB_ENOMEM, "memori habis");
		goto out;
	}
	fd = open(path.data, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		  (mode_t)mode);
	if (fd < 0) {
		rc = tb_err(err, errno == EEXIST ? TB_ECONFLICT : TB_EIO,
			    "tidak dapat membuat %s: %s", path.data,
			    strerror(errno));
		goto out;
	}
	if (buf_write_all(fd, data, n))
		goto fail;
	if (fsync(fd) != 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	rc = tb_err(err, TB_EIO, "gagal menulis %s: %s", path.data,
		    strerror(errno));
	unlink(path.data);
out:
	if (fd >= 0)
		close(fd);
	buf_release(&path);
	return rc;
}

/* Appends PEM of a private key (private=1) or certificate to out. */
static int pem_append(struct buf *out, EVP_PKEY *key, X509 *cert)
{
	BIO *bio = BIO_new(BIO_s_mem());
	int rc = TB_ECRYPTO;
	if (!bio)
		return TB_ENOMEM;
	if (key ? PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL)
		: PEM_write_bio_X509(bio, cert)) {
		char *p;
		long n = BIO_get_mem_data(bio, &p);
		rc = buf_add(out, p, (size_t)n);
	}
	BIO_free(bio);
	return rc;
}

static int write_key(const char *dir, const char *name, EVP_PKEY *key,
		     struct buf *err)
{
	struct buf pem = BUF_INIT;
	int rc = pem_append(&pem, key, NULL);
	if (rc)
		rc = crypto_err(err, "menulis kunci");
	else
		rc = keys_write_new(dir, name, pem.data, pem.len, 0600, err);
	OPENSSL_cleanse(pem.data, pem.len);
	buf_release(&pem);
	return rc;
}

static int write_certs(const char *dir, const char *name, X509 *cert,
		       STACK_OF(X509) *chain, struct buf *err)
{
	struct buf pem = BUF_INIT;
	int rc = pem_append(&pem, NULL, cert);
	for (int i = 0; !rc && chain && i < sk_X509_num(chain); i++)
		rc = pem_append(&pem, NULL, sk_X509_value(chain, i));
	if (rc)
		rc = crypto_err(err, "menulis sertifikat");
	else
		rc = keys_write_new(dir, name, pem.data, pem.len, 0644, err);
	buf_release(&pem);
	return rc;
}

static int keys_dir(struct buf *path, const char *data_dir, struct buf *err)
{
	if (buf_addf(path, "%s/keys", data_dir))
		return tb_err(err, TB_ENOMEM, "memori habis");
	return 0;
}

/* Replaces keys/<name> (a "current" pointer) atomically with kid. */
static int set_current(const char *dir, const char *name,
		       const unsigned char kid[KEYS_KID_LEN], struct buf *err)
{
	struct buf path = BUF_INIT;
	char hex[10];
	keys_kid_hex(kid, hex);
	hex[8] = '\n';
	hex[9] = '\0';
	int rc = buf_addf(&path, "%s/%s", dir, name);
	if (rc)
		rc = tb_err(err, TB_ENOMEM, "memori habis");
	else
		rc = buf_write_file(path.data, hex, 9, 0600, err);
	buf_release(&path);
	return rc;
}

/* ---- certificates ---- */

static int add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer ? issuer : cert, cert, NULL, NULL, 0);
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!ext)
		return TB_ECRYPTO;
	int ok = X509_add_ext(cert, ext, -1);
	X509_EXTENSION_free(ext);
	return ok ? 0 : TB_ECRYPTO;
}

static const struct {
	int nid;
	const char *ca, *leaf;
} cert_exts[] = {
	{ NID_basic_constraints, "critical,CA:TRUE,pathlen:0",
	  "critical,CA:FALSE" },
	{ NID_key_usage, "critical,keyCertSign,cRLSign",
	  "critical,digitalSignature,nonRepudiation" },
	/* The key identifier must exist before the authority one reads it. */
	{ NID_subject_key_identifier, "hash", "hash" },
	{ NID_authority_key_identifier, "keyid:always", "keyid:always" },
};

/* A certificate for key, signed by issuer_key (self-signed when issuer is
 * NULL). Returns NULL on failure. */
static X509 *make_cert(EVP_PKEY *key, const char *cn, EVP_PKEY *issuer_key,
		       X509 *issuer, int days)
{
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();
	BIGNUM *bn = NULL;
	unsigned char serial[16];
	int ok = 0;
	if (!x || !name || rand_bytes(serial, sizeof serial) < 0)
		goto out;
	serial[0] &= 0x7f; /* positive, as RFC 5280 wants */
	serial[0] |= 0x01; /* and no shorter than 16 bytes */
	bn = BN_bin2bn(serial, sizeof serial, NULL);
	if (!bn || !BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)))
		goto out;
	if (!X509_set_version(x, 2) ||
	    !X509_gmtime_adj(X509_getm_notBefore(x), -3600) ||
	    !X509_gmtime_adj(X509_getm_notAfter(x), (long)days * 86400) ||
	    !X509_set_pubkey(x, key))
		goto out;
	if (!X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC,
					(const unsigned char *)"ID", -1, -1, 0) ||
	    !X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
					(const unsigned char *)"Pemerintah Kabupaten Banyuwangi",
					-1, -1, 0) ||
	    !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
					(const unsigned char *)cn, -1, -1, 0))
		goto out;
	if (!X509_set_subject_name(x, name) ||
	    !X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer)
					    : name))
		goto out;
	for (size_t i = 0; i < ARRAY_SIZE(cert_exts); i++)
		if (add_ext(x, issuer, cert_exts[i].nid,
			    issuer ? cert_exts[i].leaf : cert_exts[i].ca))
			goto out;
	ok = X509_sign(x, issuer_key, EVP_sha256()) > 0;
out:
	BN_free(bn);
	X509_NAME_free(name);
	if (!ok) {
		X509_free(x);
		x = NULL;
	}
	return x;
}

/* ---- administration ---- */

static X509_CRL *make_crl(X509 *ca, EVP_PKEY *ca_key, X509_CRL *old,
			  const ASN1_INTEGER *serial, int days);
static int write_crl(const char *dir, X509_CRL *crl, struct buf *err);

int keys_ed25519_new(const char *dir, const char *prefix,
		     unsigned char kid[KEYS_KID_LEN], EVP_PKEY **out,
		     struct buf *err)
{
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	unsigned char pub[32];
	size_t publen = sizeof pub;
	char name[64], hex[9];
	int rc;
	if (!key || !EVP_PKEY_get_raw_public_key(key, pub, &publen)) {
		rc = crypto_err(err, "membuat kunci Ed25519");
		goto out;
	}
	keys_kid_of_raw(pub, publen, kid);
	keys_kid_hex(kid, hex);
	snprintf(name, sizeof name, "%s-%s.key", prefix, hex);
	rc = write_key(dir, name, key, err);
	if (rc == 0 && out) {
		*out = key;
		key = NULL;
	}
out:
	EVP_PKEY_free(key);
	return rc;
}

static int new_qr_key(const char *dir, unsigned char kid[KEYS_KID_LEN],
		      struct buf *err)
{
	return keys_ed25519_new(dir, "qr", kid, NULL, err);
}

/* A new seal key: random bytes straight into a new 0600 file. */
static int new_seal_key(const char *dir, struct buf *err)
{
	unsigned char key[KEYS_SEAL_LEN];
	int rc = rand_bytes(key, sizeof key) == 0
			 ? keys_write_new(dir, KEYS_SEAL_FILE, key, sizeof key, 0600,
				     err)
			 : tb_err(err, TB_ECRYPTO, "gagal membuat kunci segel");
	OPENSSL_cleanse(key, sizeof key);
	return rc;
}

static int write_signer(const char *dir, EVP_PKEY *key, X509 *cert,
			STACK_OF(X509) *chain, unsigned char kid[KEYS_KID_LEN],
			struct buf *err)
{
	char name[32], hex[9];
	int rc = keys_kid_of_pkey(key, kid);
	if (rc)
		return crypto_err(err, "menghitung kid");
	keys_kid_hex(kid, hex);
	snprintf(name, sizeof name, "pdf-%s.key", hex);
	rc = write_key(dir, name, key, err);
	if (rc)
		return rc;
	snprintf(name, sizeof name, "pdf-%s.pem", hex);
	return write_certs(dir, name, cert, chain, err);
}

static int init_files(const char *dir, struct buf *err)
{
	EVP_PKEY *ca_key = EVP_EC_gen("P-256");
	EVP_PKEY *sign_key = EVP_EC_gen("P-256");
	X509 *ca = NULL, *leaf = NULL;
	X509_CRL *crl = NULL;
	STACK_OF(X509) *chain = sk_X509_new_null();
	unsigned char kid[KEYS_KID_LEN];
	int rc = TB_ECRYPTO;
	if (!ca_key || !sign_key || !chain) {
		rc = crypto_err(err, "membuat kunci");
		goto out;
	}
	ca = make_cert(ca_key, "CA " KEYS_OFFICE_NAME, ca_key, NULL, CA_DAYS);
	leaf = ca ? make_cert(sign_key, KEYS_OFFICE_NAME, ca_key, ca,
			      SIGNER_DAYS) : NULL;
	if (!leaf || !sk_X509_push(chain, ca)) {
		rc = crypto_err(err, "membuat sertifikat");
		goto out;
	}
	if (!(crl = make_crl(ca, ca_key, NULL, NULL, KEYS_CRL_DAYS))) {
		rc = crypto_err(err, "membuat CRL");
		goto out;
	}
	if ((rc = write_key(dir, "ca.key", ca_key, err)) ||
	    (rc = write_certs(dir, "ca.pem", ca, NULL, err)) ||
	    (rc = write_crl(dir, crl, err)) ||
	    (rc = write_signer(dir, sign_key, leaf, chain, kid, err)) ||
	    (rc = set_current(dir, "pdf-current", kid, err)) ||
	    (rc = new_qr_key(dir, kid, err)) ||
	    (rc = set_current(dir, "qr-current", kid, err)) ||
	    (rc = new_seal_key(dir, err)))
		goto out;
	rc = 0;
out:
	sk_X509_free(chain); /* ca is freed below, not through the stack */
	X509_CRL_free(crl);
	X509_free(leaf);
	X509_free(ca);
	EVP_PKEY_free(sign_key);
	EVP_PKEY_free(ca_key);
	return rc;
}

static void remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct buf p = BUF_INIT;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		buf_reset(&p);
		if (!buf_addf(&p, "%s/%s", dir, e->d_name))
			unlink(p.data);
	}
	if (d)
		closedir(d);
	rmdir(dir);
	buf_release(&p);
}

int keys_init(const char *data_dir, struct buf *err)
{
	struct buf final = BUF_INIT, tmp = BUF_INIT;
	struct stat st;
	int rc = keys_dir(&final, data_dir, err);
	if (rc)
		goto out;
	if (stat(final.data, &st) == 0) {
		rc = 1;
		goto out;
	}
	if (mkdir(data_dir, 0750) != 0 && errno != EEXIST) {
		rc = tb_err(err, TB_EIO, "tidak dapat membuat %s: %s",
			    data_dir, strerror(errno));
		goto out;
	}
	/* Built aside and renamed: a crash never leaves a half key store
	 * that a later run would take as complete. mkdtemp makes it 0700. */
	if (buf_addf(&tmp, "%s/.keys.XXXXXX", data_dir)) {
		rc = tb_err(err, TB_ENOMEM, "memori habis");
		goto out;
	}
	if (!mkdtemp(tmp.data)) {
		rc = tb_err(err, TB_EIO, "tidak dapat membuat %s: %s",
			    tmp.data, strerror(errno));
		goto out;
	}
	rc = init_files(tmp.data, err);
	if (!rc && rename(tmp.data, final.data) != 0) {
		rc = errno == EEXIST || errno == ENOTEMPTY ? 1
			: tb_err(err, TB_EIO, "tidak dapat membuat %s: %s",
				 final.data, strerror(errno));
	}
	if (rc)
		remove_tree(tmp.data);
out:
	buf_release(&tmp);
	buf_release(&final);
	return rc;
}

int keys_rotate(const char *data_dir, char kid_hex[9], struct buf *err)
{
	struct buf dir = BUF_INIT;
	unsigned char kid[KEYS_KID_LEN];
	int rc = keys_dir(&dir, data_dir, err);
	if (!rc && access(dir.data, F_OK) != 0)
		rc = tb_err(err, TB_ENOTFOUND,
			    "kunci belum dibuat; jalankan: terbit keys init");
	if (!rc)
		rc = new_qr_key(dir.data, kid, err);
	if (!rc)
		rc = set_current(dir.data, "qr-current", kid, err);
	if (!rc && kid_hex)
		keys_kid_hex(kid, kid_hex);
	buf_release(&dir);
	return rc;
}

int keys_seal_init(const char *data_dir, struct buf *err)
{
	struct buf dir = BUF_INIT;
	int rc = keys_dir(&dir, data_dir, err);
	if (!rc && access(dir.data, F_OK) != 0)
		rc = tb_err(err, TB_ENOTFOUND,
			    "kunci belum dibuat; jalankan: terbit keys init");
	if (!rc) {
		/* O_EXCL inside: a key that exists is never replaced, so two
		 * runs at once keep the first one's key. */
		struct buf why = BUF_INIT;
		rc = new_seal_key(dir.data, &why);
		if (rc == TB_ECONFLICT)
			rc = 1;
		else if (rc < 0)
			tb_err(err, rc, "%s", why.data);
		buf_release(&why);
	}
	buf_release(&dir);
	return rc;
}

int keys_import_p12(const char *data_dir, const char *p12_path,
		    const char *password, char kid_hex[9], struct buf *err)
{
	struct buf dir = BUF_INIT, der = BUF_INIT;
	PKCS12 *p12 = NULL;
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	STACK_OF(X509) *chain = NULL;
	unsigned char kid[KEYS_KID_LEN];
	int rc = keys_dir(&dir, data_dir, err);
	if (rc)
		goto out;
	if (access(dir.data, F_OK) != 0) {
		rc = tb_err(err, TB_ENOTFOUND,
			    "kunci belum dibuat; jalankan: terbit keys init");
		goto out;
	}
	if ((rc = buf_read_file(&der, p12_path, KEYFILE_MAX, err)))
		goto out;
	const unsigned char *p = (const unsigned char *)der.data;
	p12 = d2i_PKCS12(NULL, &p, (long)der.len);
	if (!p12) {
		rc = tb_err(err, TB_EINVAL, "%s bukan berkas PKCS#12", p12_path);
		ERR_clear_error();
		goto out;
	}
	if (!PKCS12_parse(p12, password ? password : "", &key, &cert, &chain)) {
		rc = tb_err(err, TB_EAUTH,
			    "tidak dapat membuka %s (kata sandi salah?)", p12_path);
		ERR_clear_error();
		goto out;
	}
	if (!key || !cert || X509_check_private_key(cert, key) != 1) {
		rc = tb_err(err, TB_EINVAL,
			    "%s harus berisi kunci privat dan sertifikatnya",
			    p12_path);
		ERR_clear_error();
		goto out;
	}
	rc = write_signer(dir.data, key, cert, chain, kid, err);
	if (rc == TB_ECONFLICT) /* imported before: just make it current */
		rc = 0;
	if (!rc)
		rc = set_current(dir.data, "pdf-current", kid, err);
	if (!rc && kid_hex)
		keys_kid_hex(kid, kid_hex);
out:
	OPENSSL_cleanse(der.data, der.len);
	buf_release(&der);
	buf_release(&dir);
	PKCS12_free(p12);
	EVP_PKEY_free(key);
	X509_free(cert);
	sk_X509_pop_free(chain, X509_free);
	return rc;
}

/* ---- loading ---- */

static int read_pem_file(const char *dir, const char *name, struct buf *out,
			 struct buf *err)
{
	struct buf path = BUF_INIT;
	int rc = buf_addf(&path, "%s/%s", dir, name);
	if (rc)
		rc = tb_err(err, TB_ENOMEM, "memori habis");
	else
		rc = buf_read_file(out, path.data, KEYFILE_MAX, err);
	buf_release(&path);
	return rc;
}

/* A key PEM file of dir: a private key, or a public one (export-public's
 * qr-KID.pub.pem). */
static EVP_PKEY *load_key(const char *dir, const char *name, int private,
			  struct buf *err)
{
	struct buf pem = BUF_INIT;
	EVP_PKEY *key = NULL;
	if (read_pem_file(dir, name, &pem, err) == 0) {
		BIO *bio = BIO_new_mem_buf(pem.data, (int)pem.len);
		if (bio)
			key = private ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL)
				      : PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
		BIO_free(bio);
		if (!key)
			crypto_err(err, name);
	}
	OPENSSL_cleanse(pem.data, pem.len);
	buf_release(&pem);
	return key;
}

EVP_PKEY *keys_load_private(const char *dir, const char *name, struct buf *err)
{
	return load_key(dir, name, 1, err);
}

/* Reads every certificate of a PEM file: the first into *first, the rest
 * pushed on rest. */
static int load_certs(const char *dir, const char *name, X509 **first,
		      STACK_OF(X509) *rest, struct buf *err)
{
	struct buf pem = BUF_INIT;
	BIO *bio = NULL;
	X509 *x;
	int rc = read_pem_file(dir, name, &pem, err);
	if (rc)
		goto out;
	rc = TB_ENOMEM;
	if (!(bio = BIO_new_mem_buf(pem.data, (int)pem.len)))
		goto out;
	*first = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	if (!*first) {
		rc = crypto_err(err, name);
		goto out;
	}
	while (rest && (x = PEM_read_bio_X509(bio, NULL, NULL, NULL)))
		if (!sk_X509_push(rest, x)) {
			X509_free(x);
			goto out;
		}
	ERR_clear_error(); /* the end of the file reads as an error */
	rc = 0;
out:
	BIO_free(bio);
	buf_release(&pem);
	return rc;
}

static int read_current(const char *dir, const char *name,
			unsigned char kid[KEYS_KID_LEN], struct buf *err)
{
	struct buf s = BUF_INIT;
	int rc = read_pem_file(dir, name, &s, err);
	if (!rc) {
		while (s.len && (s.data[s.len - 1] == '\n' ||
				 s.data[s.len - 1] == '\r'))
			buf_truncate(&s, s.len - 1);
		if (keys_kid_parse(s.data, kid))
			rc = tb_err(err, TB_EINVAL, "%s/%s rusak", dir, name);
	}
	buf_release(&s);
	return rc;
}

/* ---- the CA's revocation list ---- */

#define KEYS_CRL_FILE "ca.crl"

static int64_t time_of(const ASN1_TIME *t)
{
	struct tm tm;
	return t && ASN1_TIME_to_tm(t, &tm) ? (int64_t)timegm(&tm) : 0;
}

/*
 * A CRL from ca: every entry of old (may be NULL), plus serial when not
 * NULL and not listed yet; crlNumber one past old's; valid days from now.
 * NULL on failure.
 */
static X509_CRL *make_crl(X509 *ca, EVP_PKEY *ca_key, X509_CRL *old,
			  const ASN1_INTEGER *serial, int days)
{
	X509_CRL *crl = X509_CRL_new();
	ASN1_TIME *now = X509_gmtime_adj(NULL, 0);
	ASN1_TIME *next = X509_gmtime_adj(NULL, (long)days * 86400);
	ASN1_INTEGER *num = NULL;
	X509_REVOKED *r = NULL;
	X509_EXTENSION *akid = NULL;
	X509V3_CTX ctx;
	long n = 1;
	int ok = 0;
	if (!crl || !now || !next || !X509_CRL_set_version(crl, 1) ||
	    !X509_CRL_set_issuer_name(crl, X509_get_subject_name(ca)) ||
	    !X509_CRL_set1_lastUpdate(crl, now) ||
	    !X509_CRL_set1_nextUpdate(crl, next))
		goto out;
	STACK_OF(X509_REVOKED) *was = old ? X509_CRL_get_REVOKED(old) : NULL;
	for (int i = 0; i < sk_X509_REVOKED_num(was); i++) {
		if (!(r = X509_REVOKED_dup(sk_X509_REVOKED_value(was, i))) ||
		    !X509_CRL_add0_revoked(crl, r))
			goto out;
		r = NULL;
	}
	if (old) {
		ASN1_INTEGER *on = X509_CRL_get_ext_d2i(old, NID_crl_number,
						       NULL, NULL);
		n = on ? ASN1_INTEGER_get(on) + 1 : 1;
		ASN1_INTEGER_free(on);
	}
	X509_REVOKED *listed = NULL;
	if (serial && !(old && X509_CRL_get0_by_serial(old, &listed,
						      serial) == 1)) {
		if (!(r = X509_REVOKED_new()) ||
		    !X509_REVOKED_set_serialNumber(r, (ASN1_INTEGER *)serial) ||
		    !X509_REVOKED_set_revocationDate(r, now) ||
		    !X509_CRL_add0_revoked(crl, r))
			goto out;
		r = NULL;
	}
	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, ca, NULL, NULL, crl, 0);
	if (!(num = ASN1_INTEGER_new()) || !ASN1_INTEGER_set(num, n) ||
	    !X509_CRL_add1_ext_i2d(crl, NID_crl_number, num, 0, 0) ||
	    !(akid = X509V3_EXT_conf_nid(NULL, &ctx,
					 NID_authority_key_identifier,
					 "keyid:always")) ||
	    !X509_CRL_add_ext(crl, akid, -1) || !X509_CRL_sort(crl))
		goto out;
	ok = X509_CRL_sign(crl, ca_key, EVP_sha256()) > 0;
out:
	X509_REVOKED_free(r);
	X509_EXTENSION_free(akid);
	ASN1_INTEGER_free(num);
	ASN1_TIME_free(now);
	ASN1_TIME_free(next);
	if (!ok) {
		X509_CRL_free(crl);
		crl = NULL;
	}
	return crl;
}

static int add_time(struct buf *out, const ASN1_TIME *t);

/* "nomor 3, 1 sertifikat dicabut, terbit 2026-11-30, berlaku s.d. ..." */
static int crl_describe(struct buf *out, X509_CRL *crl)
{
	ASN1_INTEGER *num = X509_CRL_get_ext_d2i(crl, NID_crl_number, NULL, NULL);
	int n = sk_X509_REVOKED_num(X509_CRL_get_REVOKED(crl)); /* -1: none */
	int rc = buf_addf(out, "nomor %ld, %d sertifikat dicabut, terbit ",
			  num ? ASN1_INTEGER_get(num) : 0L, n > 0 ? n : 0);
	ASN1_INTEGER_free(num);
	if (!rc)
		rc = add_time(out, X509_CRL_get0_lastUpdate(crl));
	if (!rc)
		rc = buf_adds(out, ", berlaku s.d. ");
	if (!rc)
		rc = add_time(out, X509_CRL_get0_nextUpdate(crl));
	return rc;
}

/* Appends the PEM of crl to out. */
static int crl_pem(struct buf *out, X509_CRL *crl)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *p = NULL;
	long n = bio && PEM_write_bio_X509_CRL(bio, crl)
			 ? BIO_get_mem_data(bio, &p) : -1;
	int rc = n > 0 ? buf_add(out, p, (size_t)n) : TB_ENOMEM;
	BIO_free(bio);
	return rc;
}

static int write_crl(const char *dir, X509_CRL *crl, struct buf *err)
{
	struct buf path = BUF_INIT, pem = BUF_INIT;
	int rc = crl_pem(&pem, crl);
	if (!rc)
		rc = buf_addf(&path, "%s/" KEYS_CRL_FILE, dir);
	if (rc)
		rc = tb_err(err, rc, "gagal menulis CRL");
	else
		rc = buf_write_file(path.data, pem.data, pem.len, 0644, err);
	buf_release(&pem);
	buf_release(&path);
	return rc;
}

/* keys/ca.crl when present (NULL in *out when not), its signature checked
 * against ca: a CRL the CA did not sign is refused, never used. */
static int read_crl(const char *dir, X509 *ca, X509_CRL **out,
		    struct buf *err)
{
	struct buf pem = BUF_INIT, path = BUF_INIT;
	BIO *bio = NULL;
	int rc = buf_addf(&path, "%s/" KEYS_CRL_FILE, dir);
	*out = NULL;
	if (rc) {
		rc = tb_err(err, TB_ENOMEM, "memori habis");
		goto out;
	}
	if (access(path.data, F_OK) != 0 && errno == ENOENT)
		goto out;
	if ((rc = buf_read_file(&pem, path.data, KEYFILE_MAX, err)))
		goto out;
	if (!(bio = BIO_new_mem_buf(pem.data, (int)pem.len)) ||
	    !(*out = PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL)) ||
	    X509_CRL_verify(*out, X509_get0_pubkey(ca)) != 1) {
		X509_CRL_free(*out);
		*out = NULL;
		ERR_clear_error();
		rc = tb_err(err, TB_ECRYPTO, "%s rusak atau tidak ditandatangani "
			    "CA lokal", path.data);
	}
out:
	BIO_free(bio);
	buf_release(&pem);
	buf_release(&path);
	return rc;
}

/* The serial a --revoke names: a PDF signer's kid (its certificate must be
 * the local CA's), or a serial in hex. */
static int revoke_serial(const char *dir, X509 *ca, const char *what,
			 ASN1_INTEGER **serial, struct buf *err)
{
	size_t n = strlen(what);
	unsigned char kid[KEYS_KID_LEN];
	*serial = NULL;
	if (keys_kid_parse(what, kid) == 0) {
		char name[32];
		X509 *cert = NULL;
		struct buf why = BUF_INIT;
		snprintf(name, sizeof name, "pdf-%s.pem", what);
		int rc = load_certs(dir, name, &cert, NULL, &why);
		buf_release(&why);
		if (rc)
			return tb_err(err, TB_ENOTFOUND, "penanda tangan PDF %s "
				      "tidak ada (lihat: terbit keys list)", what);
		if (X509_check_issued(ca, cert) != X509_V_OK)
			rc = tb_err(err, TB_EINVAL, "sertifikat %s tidak "
				    "diterbitkan CA lokal; cabut pada "
				    "penerbitnya", what);
		else if (!(*serial = ASN1_INTEGER_dup(
				   X509_get0_serialNumber(cert))))
			rc = tb_err(err, TB_ENOMEM, "memori habis");
		X509_free(cert);
		return rc;
	}
	BIGNUM *bn = NULL;
	if (n < 10 || n > 40 || strspn(what, "0123456789abcdefABCDEF") != n ||
	    !BN_hex2bn(&bn, what))
		return tb_err(err, TB_EINVAL, "--revoke: beri kid penanda tangan "
			      "(8 digit heksa) atau nomor seri sertifikat (10-40 "
			      "digit heksa), bukan '%s'", what);
	*serial = BN_to_ASN1_INTEGER(bn, NULL);
	BN_free(bn);
	return *serial ? 0 : tb_err(err, TB_ENOMEM, "memori habis");
}

/* keys/ (its path into dir), the local CA's certificate and key: what
 * making a CRL or a signer certificate needs. */
static int load_ca(const char *data_dir, struct buf *dir, X509 **ca,
		   EVP_PKEY **key, struct buf *err)
{
	int rc = keys_dir(dir, data_dir, err);
	if (rc)
		return rc;
	if (access(dir->data, F_OK) != 0)
		return tb_err(err, TB_ENOTFOUND,
			      "kunci belum dibuat; jalankan: terbit keys init");
	if ((rc = load_certs(dir->data, "ca.pem", ca, NULL, err)))
		return rc;
	return (*key = keys_load_private(dir->data, "ca.key", err)) ? 0 : TB_ECRYPTO;
}

int keys_crl(const char *data_dir, const char *revoke, int days,
	     struct buf *out, struct buf *err)
{
	struct buf dir = BUF_INIT;
	EVP_PKEY *ca_key = NULL;
	X509 *ca = NULL;
	X509_CRL *old = NULL, *crl = NULL;
	ASN1_INTEGER *serial = NULL;
	int rc = 0;
	if (days < 1 || days > KEYS_CRL_DAYS_MAX) {
		rc = tb_err(err, TB_EINVAL, "--days harus 1 sampai %d",
			    KEYS_CRL_DAYS_MAX);
		goto out;
	}
	if ((rc = load_ca(data_dir, &dir, &ca, &ca_key, err)) ||
	    (rc = read_crl(dir.data, ca, &old, err)) ||
	    (revoke && (rc = revoke_serial(dir.data, ca, revoke, &serial, err))))
		goto out;
	if (!(crl = make_crl(ca, ca_key, old, serial, days))) {
		rc = crypto_err(err, "membuat CRL");
		goto out;
	}
	if ((rc = write_crl(dir.data, crl, err)))
		goto out;
	if (out)
		rc = crl_describe(out, crl);
out:
	ASN1_INTEGER_free(serial);
	X509_CRL_free(crl);
	X509_CRL_free(old);
	X509_free(ca);
	EVP_PKEY_free(ca_key);
	buf_release(&dir);
	return rc;
}

int keys_new_signer(const char *data_dir, char kid_hex[9], struct buf *err)
{
	struct buf dir = BUF_INIT;
	EVP_PKEY *ca_key = NULL, *key = NULL;
	X509 *ca = NULL, *leaf = NULL;
	STACK_OF(X509) *chain = NULL;
	unsigned char kid[KEYS_KID_LEN];
	int rc = load_ca(data_dir, &dir, &ca, &ca_key, err);
	if (rc)
		goto out;
	if (!(key = EVP_EC_gen("P-256")) || !(chain = sk_X509_new_null()) ||
	    !(leaf = make_cert(key, KEYS_OFFICE_NAME, ca_key, ca, SIGNER_DAYS)) ||
	    !sk_X509_push(chain, ca)) {
		rc = crypto_err(err, "membuat sertifikat");
		goto out;
	}
	if ((rc = write_signer(dir.data, key, leaf, chain, kid, err)) ||
	    (rc = set_current(dir.data, "pdf-current", kid, err)))
		goto out;
	if (kid_hex)
		keys_kid_hex(kid, kid_hex);
out:
	sk_X509_free(chain); /* ca is freed below */
	X509_free(leaf);
	X509_free(ca);
	EVP_PKEY_free(key);
	EVP_PKEY_free(ca_key);
	buf_release(&dir);
	return rc;
}

/* Adds key (taken: freed on failure), read from the file name
 * (qr-KID...), whose kid it must have. */
static int add_qr_key(struct keyring *kr, const char *name, EVP_PKEY *key,
		      struct buf *err)
{
	unsigned char kid[KEYS_KID_LEN];
	size_t publen = 32;
	struct qr_key *q = realloc(kr->qr, (kr->nqr + 1) * sizeof *q);
	if (!q) {
		EVP_PKEY_free(key);
		return tb_err(err, TB_ENOMEM, "memori habis");
	}
	kr->qr = q;
	q = &kr->qr[kr->nqr];
	if (EVP_PKEY_get_id(key) != EVP_PKEY_ED25519 ||
	    !EVP_PKEY_get_raw_public_key(key, q->pub, &publen) || publen != 32) {
		EVP_PKEY_free(key);
		return tb_err(err, TB_ECRYPTO, "%s bukan kunci Ed25519", name);
	}
	keys_kid_of_raw(q->pub, 32, kid);
	if (kid_parse8(name + 3, q->kid) || memcmp(kid, q->kid, sizeof kid)) {
		EVP_PKEY_free(key);
		return tb_err(err, TB_ECRYPTO, "%s: kid tidak cocok", name);
	}
	q->pkey = key;
	kr->nqr++;
	return 0;
}

static int add_qr(struct keyring *kr, const char *dir, const char *name,
		  struct buf *err)
{
	EVP_PKEY *key = keys_load_private(dir, name, err);
	return key ? add_qr_key(kr, name, key, err) : TB_ECRYPTO;
}


static int add_pdf(struct keyring *kr, const char *dir, const char *name,
		   struct buf *err)
{
	char keyname[32];
	struct pdf_signer *s = realloc(kr->pdf, (kr->npdf + 1) * sizeof *s);
	if (!s)
		return tb_err(err, TB_ENOMEM, "memori habis");
	kr->pdf = s;
	s = &kr->pdf[kr->npdf];
	memset(s, 0, sizeof *s);
	kr->npdf++; /* counted now so keyring_free frees a half-filled one */
	if (kid_parse8(name + 4, s->kid))
		return tb_err(err, TB_EINVAL, "nama berkas aneh: %s", name);
	if (!(s->chain = sk_X509_new_null()))
		return tb_err(err, TB_ENOMEM, "memori habis");
	int rc = load_certs(dir, name, &s->cert, s->chain, err);
	if (rc)
		return rc;
	snprintf(keyname, sizeof keyname, "pdf-%.8s.key", name + 4);
	if (!(s->pkey = keys_load_private(dir, keyname, err)))
		return TB_ECRYPTO;
	if (X509_check_private_key(s->cert, s->pkey) != 1) {
		ERR_clear_error();
		return tb_err(err, TB_ECRYPTO, "%s: kunci dan sertifikat tidak "
			      "cocok", name);
	}
	return 0;
}

/* "qr-0123abcd.key" or "pdf-0123abcd.pem": prefix, 8 hex, suffix. */
static int name_is(const char *name, const char *prefix, const char *suffix)
{
	size_t np = strlen(prefix), ns = strlen(suffix);
	return strlen(name) == np + 8 + ns && strncmp(name, prefix, np) == 0 &&
	       strcmp(name + np + 8, suffix) == 0 &&
	       strspn(name + np, "0123456789abcdef") == 8;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists keys/ sorted, so key order (and the JSON) is stable. */
/* The writer's key files: private QR keys and PDF signers. */
static int is_signing_file(const char *name)
{
	return name_is(name, "qr-", ".key") || name_is(name, "pdf-", ".pem");
}

/* A read-only verifier's QR keys: export-public's public halves. */
static int is_public_qr(const char *name)
{
	return name_is(name, "qr-", ".pub.pem");
}

static int list_dir(const char *dir, int (*want)(const char *name),
		    char ***names, size_t *n, struct buf *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	if (!d)
		return tb_err(err, errno == ENOENT ? TB_ENOTFOUND : TB_EIO,
			      errno == ENOENT ? "kunci belum dibuat; jalankan: "
			      "terbit keys init" : "tidak dapat membaca %s", dir);
	while ((e = readdir(d))) {
		if (!want(e->d_name))
			continue;
		char **more = realloc(*names, (*n + 1) * sizeof *more);
		char *dup = strdup(e->d_name);
		if (!more || !dup) {
			free(dup);
			if (more)
				*names = more;
			closedir(d);
			return tb_err(err, TB_ENOMEM, "memori habis");
		}
		*names = more;
		(*names)[(*n)++] = dup;
	}
	closedir(d);
	/* qsort wants an array even for no elements. */
	if (*n)
		qsort(*names, *n, sizeof **names, cmp_name);
	return 0;
}

static int add_trusted(struct keyring *kr, X509 *x)
{
	for (int i = 0; i < sk_X509_num(kr->trusted); i++)
		if (X509_cmp(sk_X509_value(kr->trusted, i), x) == 0)
			return 0;
	if (!X509_up_ref(x))
		return TB_ENOMEM;
	if (!sk_X509_push(kr->trusted, x)) {
		X509_free(x);
		return TB_ENOMEM;
	}
	return X509_STORE_add_cert(kr->store, x) ? 0 : TB_ECRYPTO;
}

/*
 * Trust: the local CA, and the top of every imported chain. When that top
 * is not self-signed (the p12 left the root out), it is trusted as is.
 */
static int load_trust(struct keyring *kr, const char *dir, struct buf *err)
{
	X509 *ca = NULL;
	int partial = 0;
	int rc = load_certs(dir, "ca.pem", &ca, NULL, err);
	if (rc)
		return rc;
	rc = add_trusted(kr, ca);
	X509_free(ca);
	for (size_t i = 0; !rc && i < kr->npdf; i++) {
		STACK_OF(X509) *ch = kr->pdf[i].chain;
		int n = sk_X509_num(ch);
		if (n == 0)
			continue;
		X509 *top = sk_X509_value(ch, n - 1);
		partial |= X509_check_issued(top, top) != X509_V_OK;
		rc = add_trusted(kr, top);
	}
	if (!rc && partial)
		X509_STORE_set_flags(kr->store, X509_V_FLAG_PARTIAL_CHAIN);
	return rc ? tb_err(err, rc, "gagal memuat sertifikat tepercaya") : 0;
}

/* keys/seal.key when present: a data directory from before seals has
 * none until `terbit document seal` makes it. */
static int load_seal(struct keyring *kr, const char *dir, struct buf *err)
{
	struct buf path = BUF_INIT, key = BUF_INIT;
	int rc = buf_addf(&path, "%s/" KEYS_SEAL_FILE, dir);
	if (rc)
		rc = tb_err(err, TB_ENOMEM, "memori habis");
	else if (access(path.data, F_OK) != 0 && errno == ENOENT)
		rc = 0;
	else if ((rc = buf_read_file(&key, path.data, KEYFILE_MAX, err)) == 0)
		rc = keys_seal_load(kr, (unsigned char *)key.data, key.len,
				    err);
	OPENSSL_cleanse(key.data, key.len);
	buf_release(&key);
	buf_release(&path);
	return rc;
}

int keyring_revoked(const struct keyring *kr, X509 *cert, int64_t *at)
{
	X509_REVOKED *r = NULL;
	if (!kr->crl || X509_NAME_cmp(X509_CRL_get_issuer(kr->crl),
				      X509_get_issuer_name(cert)) != 0 ||
	    X509_CRL_get0_by_serial(kr->crl, &r,
				    X509_get0_serialNumber(cert)) != 1)
		return 0;
	*at = time_of(X509_REVOKED_get0_revocationDate(r));
	return 1;
}

int64_t keyring_crl_next_update(const struct keyring *kr)
{
	return kr->crl ? time_of(X509_CRL_get0_nextUpdate(kr->crl)) : 0;
}

int keyring_crl_for(const struct keyring *kr, X509 *cert, int64_t when)
{
	time_t t = (time_t)when;
	const ASN1_TIME *next = kr->crl ? X509_CRL_get0_nextUpdate(kr->crl)
				       : NULL;
	return kr->crl && next &&
	       X509_NAME_cmp(X509_CRL_get_issuer(kr->crl),
			     X509_get_issuer_name(cert)) == 0 &&
	       X509_cmp_time(X509_CRL_get0_lastUpdate(kr->crl), &t) < 0 &&
	       X509_cmp_time(next, &t) > 0;
}

/* keys/ca.crl, checked against the local CA (the first trusted
 * certificate); each signer learns whether it is revoked. The lookups
 * here also sort the CRL's entries once, before threads share it. */
static int load_crl(struct keyring *kr, const char *dir, struct buf *err)
{
	unsigned char *der = NULL;
	int rc = read_crl(dir, sk_X509_value(kr->trusted, 0), &kr->crl, err);
	if (rc || !kr->crl)
		return rc;
	int n = i2d_X509_CRL(kr->crl, &der);
	rc = n > 0 ? buf_add(&kr->crl_der, der, (size_t)n) : TB_ECRYPTO;
	OPENSSL_free(der);
	if (rc)
		return tb_err(err, rc, "gagal memuat CRL");
	for (size_t i = 0; i < kr->npdf; i++)
		keyring_revoked(kr, kr->pdf[i].cert, &kr->pdf[i].revoked_at);
	return 0;
}

static int find_kid(const unsigned char *kids, size_t stride, size_t n,
		    const unsigned char kid[KEYS_KID_LEN], size_t *at)
{
	for (size_t i = 0; i < n; i++)
		if (memcmp(kids + i * stride, kid, KEYS_KID_LEN) == 0) {
			*at = i;
			return 0;
		}
	return TB_ENOTFOUND;
}

/*
 * The key files are the office's signature: a private key (or the seal
 * key) that the group or others can read, or a keys directory they can
 * write (and so swap a key in), is refused, naming the fix. keys_init
 * makes them 0600 in a 0700 directory; a copy, an unpack or a umask of
 * an editor is what loosens them, and it must not pass unnoticed.
 */
static int check_modes(const char *dir, struct buf *err)
{
	struct stat st;
	struct dirent *e;
	int rc = 0;
	if (stat(dir, &st) != 0)
		return 0; /* list_dir names a missing directory */
	if (st.st_mode & 022)
		return tb_err(err, TB_EIO,
			      "direktori kunci %s dapat ditulis grup atau pengguna "
			      "lain (mode %04o), kunci ditolak; perbaiki: chmod 700 %s",
			      dir, (unsigned)(st.st_mode & 07777), dir);
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	while (!rc && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 4, ".key") != 0 ||
		    fstatat(dirfd(d), e->d_name, &st, 0) != 0 ||
		    !S_ISREG(st.st_mode) || !(st.st_mode & 077))
			continue;
		rc = tb_err(err, TB_EIO,
			    "kunci privat %s/%s dapat dibaca grup atau pengguna "
			    "lain (mode %04o), kunci ditolak; perbaiki: "
			    "chmod 600 %s/*.key; chmod 700 %s",
			    dir, e->d_name, (unsigned)(st.st_mode & 07777), dir, dir);
	}
	closedir(d);
	return rc;
}

static void names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* The QR key dir/qr-current names becomes the current one. */
static int current_qr(struct keyring *kr, const char *dir, struct buf *err)
{
	unsigned char kid[KEYS_KID_LEN];
	int rc = read_current(dir, "qr-current", kid, err);
	if (rc == 0 && (!kr->nqr || find_kid(kr->qr->kid, sizeof *kr->qr,
					    kr->nqr, kid, &kr->qr_current)))
		rc = tb_err(err, TB_ECRYPTO, "kunci QR aktif tidak ditemukan");
	return rc;
}

int keyring_load(const char *data_dir, struct keyring **out, struct buf *err)
{
	struct buf dir = BUF_INIT;
	char **names = NULL;
	size_t nnames = 0;
	unsigned char kid[KEYS_KID_LEN];
	struct keyring *kr = calloc(1, sizeof *kr);
	int rc = TB_ENOMEM;
	*out = NULL;
	if (!kr || !(kr->trusted = sk_X509_new_null()) ||
	    !(kr->store = X509_STORE_new())) {
		rc = tb_err(err, TB_ENOMEM, "memori habis");
		goto out;
	}
	buf_init(&kr->crl_der, 0);
	if ((rc = keys_dir(&dir, data_dir, err)) ||
	    (rc = check_modes(dir.data, err)) ||
	    (rc = list_dir(dir.data, is_signing_file, &names, &nnames, err)))
		goto out;
	for (size_t i = 0; i < nnames && !rc; i++)
		rc = names[i][0] == 'q' ? add_qr(kr, dir.data, names[i], err)
					: add_pdf(kr, dir.data, names[i], err);
	if (rc || (rc = load_trust(kr, dir.data, err)) ||
	    (rc = load_crl(kr, dir.data, err)) ||
	    (rc = load_seal(kr, dir.data, err)))
		goto out;
	if ((rc = current_qr(kr, dir.data, err)))
		goto out;
	if ((rc = read_current(dir.data, "pdf-current", kid, err)))
		goto out;
	if (!kr->npdf || find_kid(kr->pdf->kid, sizeof *kr->pdf, kr->npdf, kid,
		     &kr->pdf_current)) {
		rc = tb_err(err, TB_ECRYPTO, "penanda tangan PDF aktif tidak "
			    "ditemukan");
		goto out;
	}
	rc = pades_cms_size(&kr->pdf[kr->pdf_current], &kr->cms_reserve, err);
	if (rc)
		goto out;
	*out = kr;
	kr = NULL;
out:
	names_free(names, nnames);
	buf_release(&dir);
	keyring_free(kr);
	return rc;
}

int keyring_load_public(const char *dir, struct keyring **out,
			struct buf *err)
{
	X509 *first = NULL;
	STACK_OF(X509) *rest = sk_X509_new_null();
	struct keyring *kr = calloc(1, sizeof *kr);
	int rc = 0;
	*out = NULL;
	if (!rest || !kr || !(kr->trusted = sk_X509_new_null()) ||
	    !(kr->store = X509_STORE_new()))
		rc = tb_err(err, TB_ENOMEM, "memori habis");
	if (kr)
		buf_init(&kr->crl_der, 0);
	if (rc == 0)
		rc = load_certs(dir, "ca.pem", &first, rest, err);
	if (rc == 0)
		rc = add_trusted(kr, first);
	for (int i = 0; rc == 0 && i < sk_X509_num(rest); i++)
		rc = add_trusted(kr, sk_X509_value(rest, i));
	/* The exported CRL (export-public writes the office CA's, which is
	 * ca.pem's first certificate): offline, a PDF signed by a revoked
	 * certificate is REVOKED too. */
	if (rc == 0)
		rc = load_crl(kr, dir, err);
	/* The export lists every anchor the office trusts, an imported
	 * chain's top among them even when it is not a root. */
	if (rc == 0)
		X509_STORE_set_flags(kr->store, X509_V_FLAG_PARTIAL_CHAIN);
	X509_free(first);
	sk_X509_pop_free(rest, X509_free);
	if (rc) {
		keyring_free(kr);
		return err->len ? rc : tb_err(err, rc, "gagal memuat %s/ca.pem", dir);
	}
	*out = kr;
	return 0;
}

void keyring_free(struct keyring *kr)
{
	if (!kr)
		return;
	for (size_t i = 0; i < kr->nqr; i++)
		EVP_PKEY_free(kr->qr[i].pkey);
	free(kr->qr);
	for (size_t i = 0; i < kr->npdf; i++) {
		EVP_PKEY_free(kr->pdf[i].pkey);
		X509_free(kr->pdf[i].cert);
		sk_X509_pop_free(kr->pdf[i].chain, X509_free);
	}
	free(kr->pdf);
	sk_X509_pop_free(kr->trusted, X509_free);
	X509_STORE_free(kr->store);
	X509_CRL_free(kr->crl);
	buf_release(&kr->crl_der);
	EVP_MAC_CTX_free(kr->seal);
	free(kr);
}

void keyring_qr_current(const struct keyring *kr, char kid_hex[9])
{
	keys_kid_hex(kr->qr[kr->qr_current].kid, kid_hex);
}

void keyring_pdf_current(const struct keyring *kr, char kid_hex[9])
{
	keys_kid_hex(kr->pdf[kr->pdf_current].kid, kid_hex);
}

/* ---- public export ---- */

int keys_b64url(struct buf *out, const unsigned char *p, size_t n)
{
	unsigned char enc[132];
	if (n > 96)
		return TB_EINTERNAL;
	int len = EVP_EncodeBlock(enc, p, (int)n);
	while (len > 0 && enc[len - 1] == '=')
		len--;
	for (int i = 0; i < len; i++)
		enc[i] = enc[i] == '+' ? '-' : enc[i] == '/' ? '_' : enc[i];
	return buf_add(out, enc, (size_t)len);
}

int keys_b64url_decode(const char *s, size_t len, unsigned char *out,
		       size_t want)
{
	/* Canonical only: exactly the length want encodes to, the URL
	 * alphabet, no padding, and zero spare bits in the last character
	 * (else two spellings would decode to the same bytes). */
	unsigned char in[132], dec[100];
	if (want > 96 || len != (want * 4 + 2) / 3)
		return TB_EINVAL;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return TB_EINVAL;
		in[i] = c == '-' ? '+' : c == '_' ? '/' : (unsigned char)c;
	}
	size_t padded = len;
	while (padded % 4)
		in[padded++] = '=';
	int n = EVP_DecodeBlock(dec, in, (int)padded);
	if (n < 0)
		return TB_EINVAL;
	/* EVP_DecodeBlock counts the padding's zero bytes too. */
	if ((size_t)n < want)
		return TB_EINVAL;
	for (size_t i = want; i < (size_t)n; i++)
		if (dec[i])
			return TB_EINVAL;
	memcpy(out, dec, want);
	/* Spare bits: re-encoding must give the same text. */
	struct buf again = BUF_INIT;
	int rc = keys_b64url(&again, out, want);
	if (rc == 0 && (again.len != len || memcmp(again.data, s, len)))
		rc = TB_EINVAL;
	buf_release(&again);
	return rc;
}

const struct qr_key *keys_qr_find(const struct keyring *kr,
				  const unsigned char kid[KEYS_KID_LEN])
{
	for (size_t i = 0; i < kr->nqr; i++)
		if (memcmp(kr->qr[i].kid, kid, KEYS_KID_LEN) == 0)
			return &kr->qr[i];
	return NULL;
}

int keys_sign_with(EVP_PKEY *key, const void *msg, size_t n,
		   unsigned char sig[KEYS_ED25519_SIG_LEN])
{
	size_t siglen = KEYS_ED25519_SIG_LEN;
	/* A context per call: the key is shared, the context is not. */
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx && EVP_DigestSignInit(ctx, NULL, NULL, NULL, key) == 1 &&
		 EVP_DigestSign(ctx, sig, &siglen, msg, n) == 1 &&
		 siglen == KEYS_ED25519_SIG_LEN;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		ERR_clear_error();
	return ok;
}

int keys_qr_sign(const struct keyring *kr, const void *msg, size_t n,
		 unsigned char sig[KEYS_ED25519_SIG_LEN],
		 unsigned char kid[KEYS_KID_LEN])
{
	const struct qr_key *key = &kr->qr[kr->qr_current];
	if (!keys_sign_with(key->pkey, msg, n, sig))
		return TB_ECRYPTO;
	if (kid)
		memcpy(kid, key->kid, KEYS_KID_LEN);
	return 0;
}

int keys_ed25519_ok(EVP_PKEY *key, const void *msg, size_t n,
		    const unsigned char sig[KEYS_ED25519_SIG_LEN])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key) == 1 &&
		 EVP_DigestVerify(ctx, sig, KEYS_ED25519_SIG_LEN, msg, n) == 1;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		ERR_clear_error();
	return ok;
}

/* 1 when dir holds a private QR key: a writer's keys directory. */
static int has_private_qr(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;
	while (d && !found && (e = readdir(d)))
		found = name_is(e->d_name, "qr-", ".key");
	if (d)
		closedir(d);
	return found;
}

int keyring_load_verifier(const char *data_dir, struct keyring **out,
			  struct buf *err)
{
	struct buf dir = BUF_INIT;
	char **names = NULL;
	size_t nnames = 0;
	struct keyring *kr = NULL;
	*out = NULL;
	int rc = keys_dir(&dir, data_dir, err);
	if (rc == 0 && has_private_qr(dir.data)) {
		buf_release(&dir);
		return keyring_load(data_dir, out, err);
	}
	if (rc == 0)
		rc = check_modes(dir.data, err);
	if (rc == 0)
		rc = keyring_load_public(dir.data, &kr, err);
	if (rc == 0)
		rc = list_dir(dir.data, is_public_qr, &names, &nnames, err);
	for (size_t i = 0; rc == 0 && i < nnames; i++) {
		EVP_PKEY *key = load_key(dir.data, names[i], 0, err);
		rc = key ? add_qr_key(kr, names[i], key, err) : TB_ECRYPTO;
	}
	if (rc == 0)
		rc = load_seal(kr, dir.data, err);
	if (rc == 0)
		rc = current_qr(kr, dir.data, err);
	if (rc == 0) {
		*out = kr;
		kr = NULL;
	}
	names_free(names, nnames);
	buf_release(&dir);
	keyring_free(kr);
	return rc;
}

int keyring_public_json(const struct keyring *kr, struct buf *out)
{
	struct json j;
	struct buf tmp = BUF_INIT;
	char hex[9];
	int rc = 0;
	json_init(&j, out);
	json_obj_open(&j, NULL);
	json_str(&j, "format", "terbit-keys-1");
	json_arr_open(&j, "qr_keys");
	for (size_t i = 0; i < kr->nqr && !rc; i++) {
		keys_kid_hex(kr->qr[i].kid, hex);
		buf_reset(&tmp);
		rc = keys_b64url(&tmp, kr->qr[i].pub, 32);
		json_obj_open(&j, NULL);
		json_str(&j, "kid", hex);
		json_str(&j, "kty", "OKP");
		json_str(&j, "crv", "Ed25519");
		json_str(&j, "x", tmp.data);
		json_bool(&j, "current", i == kr->qr_current);
		json_obj_close(&j);
	}
	json_arr_close(&j);
	json_arr_open(&j, "ca_certificates");
	for (int i = 0; i < sk_X509_num(kr->trusted) && !rc; i++) {
		buf_reset(&tmp);
		rc = pem_append(&tmp, NULL, sk_X509_value(kr->trusted, i));
		json_str(&j, NULL, tmp.data);
	}
	json_arr_close(&j);
	json_obj_close(&j);
	buf_release(&tmp);
	return rc ? rc : json_finish(&j);
}

static int write_public_file(const char *dir, const char *name,
			     struct buf *data, struct buf *err)
{
	struct buf path = BUF_INIT;
	int rc = buf_addf(&path, "%s/%s", dir, name);
	if (rc)
		rc = tb_err(err, TB_ENOMEM, "memori habis");
	else
		rc = buf_write_file(path.data, data->data, data->len, 0644, err);
	buf_release(&path);
	return rc;
}

int keyring_export_public(const struct keyring *kr, const char *dir,
			  struct buf *err)
{
	struct buf data = BUF_INIT;
	char name[40], hex[9];
	int rc = 0;
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return tb_err(err, TB_EIO, "tidak dapat membuat %s: %s", dir,
			      strerror(errno));
	if ((rc = keyring_public_json(kr, &data)) || (rc = buf_addc(&data, '\n')) ||
	    (rc = write_public_file(dir, "keys.json", &data, err)))
		goto out;
	for (size_t i = 0; i < kr->nqr; i++) {
		BIO *bio = BIO_new(BIO_s_mem());
		char *p;
		buf_reset(&data);
		if (!bio || !PEM_write_bio_PUBKEY(bio, kr->qr[i].pkey)) {
			BIO_free(bio);
			rc = crypto_err(err, "mengekspor kunci");
			goto out;
		}
		long n = BIO_get_mem_data(bio, &p);
		rc = buf_add(&data, p, (size_t)n);
		BIO_free(bio);
		keys_kid_hex(kr->qr[i].kid, hex);
		snprintf(name, sizeof name, "qr-%s.pub.pem", hex);
		if (rc || (rc = write_public_file(dir, name, &data, err)))
			goto out;
	}
	buf_reset(&data);
	for (int i = 0; i < sk_X509_num(kr->trusted) && !rc; i++)
		rc = pem_append(&data, NULL, sk_X509_value(kr->trusted, i));
	if (!rc)
		rc = write_public_file(dir, "ca.pem", &data, err);
	/* The office's current CRL, for readers checking revocation now
	 * (a letter's DSS holds the one of its signing time). */
	if (!rc && kr->crl) {
		buf_reset(&data);
		if (!(rc = crl_pem(&data, kr->crl)))
			rc = write_public_file(dir, KEYS_CRL_FILE, &data, err);
	}
out:
	if (rc && err && !err->len)
		tb_err(err, rc, "gagal mengekspor kunci publik");
	buf_release(&data);
	return rc;
}

int keyring_export_verifier(const struct keyring *kr, const char *data_dir,
			    const char *dir, struct buf *err)
{
	struct buf from = BUF_INIT, key = BUF_INIT, path = BUF_INIT;
	char hex[KEYS_KID_LEN * 2 + 2];
	int rc = keyring_export_public(kr, dir, err);
	/* The seal key is a secret: the directory becomes the owner's. */
	if (rc == 0 && chmod(dir, 0700) != 0)
		rc = tb_err(err, TB_EIO, "chmod %s: %s", dir, strerror(errno));
	if (rc == 0 && (keys_dir(&from, data_dir, err) ||
			buf_adds(&from, "/" KEYS_SEAL_FILE) ||
			buf_addf(&path, "%s/" KEYS_SEAL_FILE, dir)))
		rc = err->len ? TB_ENOMEM : tb_err(err, TB_ENOMEM, "memori habis");
	if (rc == 0)
		rc = buf_read_file(&key, from.data, 1024, err);
	if (rc == 0)
		rc = buf_write_file(path.data, key.data, key.len, 0600, err);
	if (rc == 0) {
		keys_kid_hex(kr->qr[kr->qr_current].kid, hex);
		strcat(hex, "\n");
		buf_reset(&key);
		rc = buf_adds(&key, hex) ? tb_err(err, TB_ENOMEM, "memori habis")
					  : write_public_file(dir, "qr-current",
							      &key, err);
	}
	OPENSSL_cleanse(key.data, key.len);
	buf_release(&key);
	buf_release(&from);
	buf_release(&path);
	return rc;
}

/* ---- listing ---- *//* ---- listing ---- */

static int add_name(struct buf *out, X509_NAME *name)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *p;
	int rc = TB_ENOMEM;
	if (bio && X509_NAME_print_ex(bio, name, 0,
				      XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
		long n = BIO_get_mem_data(bio, &p);
		rc = buf_add(out, p, (size_t)n);
	}
	BIO_free(bio);
	return rc;
}

static int add_time(struct buf *out, const ASN1_TIME *t)
{
	struct tm tm;
	if (!ASN1_TIME_to_tm(t, &tm))
		return buf_adds(out, "?");
	return buf_addf(out, "%04d-%02d-%02d", tm.tm_year + 1900,
			tm.tm_mon + 1, tm.tm_mday);
}

int keyring_describe(const struct keyring *kr, struct buf *out)
{
	char hex[9];
	int rc = 0;
	for (size_t i = 0; i < kr->nqr && !rc; i++) {
		keys_kid_hex(kr->qr[i].kid, hex);
		rc = buf_addf(out, "qr   %s  Ed25519%s\n", hex,
			      i == kr->qr_current ? "  (aktif)" : "");
	}
	for (size_t i = 0; i < kr->npdf && !rc; i++) {
		const struct pdf_signer *s = &kr->pdf[i];
		keys_kid_hex(s->kid, hex);
		if ((rc = buf_addf(out, "pdf  %s  ", hex)) ||
		    (rc = add_name(out, X509_get_subject_name(s->cert))) ||
		    (rc = buf_adds(out, "  berlaku ")) ||
		    (rc = add_time(out, X509_get0_notBefore(s->cert))) ||
		    (rc = buf_adds(out, " s.d. ")) ||
		    (rc = add_time(out, X509_get0_notAfter(s->cert))))
			break;
		if (!rc && s->revoked_at)
			rc = buf_adds(out, "  DICABUT");
		if (!rc)
			rc = buf_adds(out, i == kr->pdf_current ? "  (aktif)\n"
							       : "\n");
	}
	for (int i = 0; i < sk_X509_num(kr->trusted) && !rc; i++) {
		X509 *x = sk_X509_value(kr->trusted, i);
		if ((rc = buf_adds(out, "ca   ")) ||
		    (rc = add_name(out, X509_get_subject_name(x))) ||
		    (rc = buf_adds(out, "  berlaku s.d. ")) ||
		    (rc = add_time(out, X509_get0_notAfter(x))))
			break;
		rc = buf_addc(out, '\n');
	}
	if (!rc && kr->crl && !(rc = buf_adds(out, "crl  ")) &&
	    !(rc = crl_describe(out, kr->crl)))
		rc = buf_addc(out, '\n');
	return rc;
}

/* ---- the keys in use, field by field (the admin's page) ---- */

static void name_text(X509_NAME *name, char *out, size_t cap)
{
	struct buf b = BUF_INIT;
	out[0] = 0;
	if (add_name(&b, name) == 0 && b.data)
		snprintf(out, cap, "%s", b.data);
	buf_release(&b);
}

/* ASN1_TIME -> "YYYY-MM-DD"; "" when it cannot be read. */
static void time_text(const ASN1_TIME *t, char out[11])
{
	struct tm tm;
	out[0] = 0;
	if (t && ASN1_TIME_to_tm(t, &tm))
		snprintf(out, 11, "%04u-%02u-%02u",
			 (unsigned)(tm.tm_year + 1900) % 10000u,
			 (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u);
}

int keyring_each(const struct keyring *kr,
		 int (*fn)(const struct keyring_entry *e, void *arg),
		 void *arg)
{
	struct keyring_entry e;
	int rc = 0;
	for (size_t i = 0; i < kr->nqr && !rc; i++) {
		memset(&e, 0, sizeof e);
		e.kind = KEYRING_QR;
		keys_kid_hex(kr->qr[i].kid, e.kid);
		e.current = i == kr->qr_current;
		rc = fn(&e, arg);
	}
	for (size_t i = 0; i < kr->npdf && !rc; i++) {
		const struct pdf_signer *s = &kr->pdf[i];
		memset(&e, 0, sizeof e);
		e.kind = KEYRING_PDF;
		keys_kid_hex(s->kid, e.kid);
		name_text(X509_get_subject_name(s->cert), e.subject,
			  sizeof e.subject);
		time_text(X509_get0_notBefore(s->cert), e.not_before);
		time_text(X509_get0_notAfter(s->cert), e.not_after);
		e.current = i == kr->pdf_current;
		e.revoked = s->revoked_at != 0;
		rc = fn(&e, arg);
	}
	for (int i = 0; i < sk_X509_num(kr->trusted) && !rc; i++) {
		X509 *x = sk_X509_value(kr->trusted, i);
		unsigned char kid[KEYS_KID_LEN];
		memset(&e, 0, sizeof e);
		e.kind = KEYRING_CA;
		if (keys_kid_of_pkey(X509_get0_pubkey(x), kid) == 0)
			keys_kid_hex(kid, e.kid);
		name_text(X509_get_subject_name(x), e.subject, sizeof e.subject);
		time_text(X509_get0_notBefore(x), e.not_before);
		time_text(X509_get0_notAfter(x), e.not_after);
		rc = fn(&e, arg);
	}
	return rc;
}
