/*
 * keys, signing and verification commands: thin wrappers over sign/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "cli/cli.h"
#include "core/err.h"
#include "core/fmt.h"
#include "core/json.h"
#include "core/str.h"
#include "sign/keys.h"
#include "sign/pades.h"
#include "sign/token.h"

/* PDFs handed to sign-pdf / verify-pdf: far above any letter or sheet. */
#define PDF_MAX (64u << 20)

static int write_stdout(const struct buf *b)
{
	return fwrite(b->data, 1, b->len, stdout) == b->len ? 0 : TB_EIO;
}

int cli_keys_init(struct cli *c)
{
	int rc = cli_expect(c, 0, NULL);
	if (rc)
		return rc;
	rc = keys_init(c->data_dir, &c->err);
	if (rc < 0)
		return rc;
	printf(rc == 1 ? "Kunci sudah ada di %s/keys; tidak diubah.\n"
		       : "Kunci dibuat di %s/keys.\n", c->data_dir);
	return 0;
}

/* The password file's first line, without its line end. */
static int read_password(struct cli *c, const char *path, struct buf *pw)
{
	int rc = buf_read_file(pw, path, 4096, &c->err);
	if (rc)
		return rc;
	buf_truncate(pw, strcspn(pw->data, "\r\n"));
	return 0;
}

int cli_keys_import(struct cli *c)
{
	static const char *const opts[] = { "--password-file", NULL };
	struct buf pw = BUF_INIT;
	const char *pwfile = cli_opt(c, "--password-file");
	char kid[9];
	int rc = cli_expect(c, 1, opts);
	if (!rc && pwfile)
		rc = read_password(c, pwfile, &pw);
	if (!rc)
		rc = keys_import_p12(c->data_dir, cli_pos(c, 0), pw.data, kid,
				     &c->err);
	if (!rc)
		printf("Sertifikat diimpor; penanda tangan PDF aktif: %s\n", kid);
	OPENSSL_cleanse(pw.data, pw.len);
	buf_release(&pw);
	return rc;
}

int cli_keys_rotate(struct cli *c)
{
	char kid[9];
	int rc = cli_expect(c, 0, NULL);
	if (!rc)
		rc = keys_rotate(c->data_dir, kid, &c->err);
	if (!rc)
		printf("Kunci QR baru aktif: %s (kunci lama tetap dapat "
		       "memverifikasi)\n", kid);
	return rc;
}

/* keys crl [--revoke KID|SERIAL] [--days N]: a new CRL from the local CA. */
int cli_keys_crl(struct cli *c)
{
	static const char *const opts[] = { "--revoke", "--days", NULL };
	const char *days = cli_opt(c, "--days");
	struct buf out = BUF_INIT;
	int rc = cli_expect(c, 0, opts);
	if (!rc && days && (!str_all_digits(days) || strlen(days) > 3))
		rc = tb_err(&c->err, TB_EINVAL, "--days harus 1 sampai %d",
			    KEYS_CRL_DAYS_MAX);
	if (!rc)
		rc = keys_crl(c->data_dir, cli_opt(c, "--revoke"),
			      days ? atoi(days) : KEYS_CRL_DAYS, &out, &c->err);
	if (!rc)
		printf("CRL baru di %s/keys/ca.crl: %s\n"
		       "Mulai ulang layanan agar dokumen baru memuatnya.\n",
		       c->data_dir, out.data);
	buf_release(&out);
	return rc;
}

int cli_keys_new_signer(struct cli *c)
{
	char kid[9];
	int rc = cli_expect(c, 0, NULL);
	if (!rc)
		rc = keys_new_signer(c->data_dir, kid, &c->err);
	if (!rc)
		printf("Penanda tangan PDF baru aktif: %s\n", kid);
	return rc;
}

int cli_keys_export(struct cli *c)
{
	static const char *const opts[] = { "--out", NULL };
	struct keyring *kr = NULL;
	struct buf json = BUF_INIT;
	const char *dir = cli_opt(c, "--out");
	int rc = cli_expect(c, 0, opts);
	if (rc || (rc = keyring_load(c->data_dir, &kr, &c->err)))
		goto out;
	if (dir) {
		rc = keyring_export_public(kr, dir, &c->err);
		if (!rc)
			printf("Kunci publik ditulis ke %s\n", dir);
	} else if (!(rc = keyring_public_json(kr, &json)) &&
		   !(rc = buf_addc(&json, '\n'))) {
		rc = write_stdout(&json);
	}
out:
	buf_release(&json);
	keyring_free(kr);
	return rc;
}

int cli_keys_export_verifier(struct cli *c)
{
	static const char *const opts[] = { "--out", NULL };
	struct keyring *kr = NULL;
	const char *dir = cli_opt(c, "--out");
	int rc = cli_expect(c, 0, opts);
	if (!rc && !dir)
		rc = tb_err(&c->err, TB_EINVAL, "--out DIR wajib diisi");
	if (!rc)
		rc = keyring_load(c->data_dir, &kr, &c->err);
	if (!rc)
		rc = keyring_export_verifier(kr, c->data_dir, dir, &c->err);
	if (!rc)
		printf("Kunci pemeriksa (publik dan kunci segel, tanpa kunci "
		       "tanda tangan) ditulis ke %s\n"
		       "Salin sebagai DATA/keys di mesin terbit serve "
		       "--verify-only.\n", dir);
	keyring_free(kr);
	return rc;
}

int cli_keys_list(struct cli *c)
{
	struct keyring *kr = NULL;
	struct buf out = BUF_INIT;
	int rc = cli_expect(c, 0, NULL);
	if (!rc)
		rc = keyring_load(c->data_dir, &kr, &c->err);
	if (!rc)
		rc = keyring_describe(kr, &out);
	if (!rc)
		rc = write_stdout(&out);
	buf_release(&out);
	keyring_free(kr);
	return rc;
}

int cli_sign_pdf(struct cli *c)
{
	struct keyring *kr = NULL;
	struct buf in = BUF_INIT, out = BUF_INIT;
	int rc = cli_expect(c, 2, NULL);
	if (rc || (rc = keyring_load(c->data_dir, &kr, &c->err)) ||
	    (rc = buf_read_file(&in, cli_pos(c, 0), PDF_MAX, &c->err)) ||
	    (rc = pades_sign(kr, in.data, in.len, 0, &out, &c->err)) ||
	    (rc = buf_write_file(cli_pos(c, 1), out.data, out.len, 0644,
				 &c->err)))
		goto out;
	printf("PDF ditandatangani: %s\n", cli_pos(c, 1));
out:
	buf_release(&in);
	buf_release(&out);
	keyring_free(kr);
	return rc;
}

static int print_time(struct buf *out, int64_t t)
{
	if (!t)
		return buf_adds(out, "-");
	int64_t days = t / 86400, s = t % 86400;
	int rc = fmt_days_id(out, days);
	return rc ? rc : buf_addf(out, " %02d:%02d:%02d UTC", (int)(s / 3600),
				   (int)(s / 60 % 60), (int)(s % 60));
}

/* Exit 0 only for a valid, trusted signature; the verdict is printed
 * either way. */
int cli_verify_pdf(struct cli *c)
{
	static const char *const opts[] = { "--json", NULL };
	struct keyring *kr = NULL;
	struct buf in = BUF_INIT, out = BUF_INIT, why = BUF_INIT, hex = BUF_INIT;
	struct pades_info info;
	int rc = cli_expect(c, 1, opts);
	if (rc || (rc = keyring_load(c->data_dir, &kr, &c->err)) ||
	    (rc = buf_read_file(&in, cli_pos(c, 0), PDF_MAX, &c->err)) ||
	    (rc = pades_verify(kr, in.data, in.len, &info, &why)) ||
	    (rc = buf_addhex(&hex, info.sha256, sizeof info.sha256)))
		goto out;
	if (cli_flag(c, "--json")) {
		struct json j;
		json_init(&j, &out);
		json_obj_open(&j, NULL);
		json_str(&j, "status", pades_status_name(info.status));
		json_str(&j, "signer", info.signer[0] ? info.signer : NULL);
		json_int(&j, "signing_time", info.signing_time);
		json_str(&j, "level", info.dss_crls ? "B-LT" : "B-B");
		json_int(&j, "dss_certs", info.dss_certs);
		json_int(&j, "dss_crls", info.dss_crls);
		if (info.revoked_at)
			json_int(&j, "revoked_at", info.revoked_at);
		json_str(&j, "sha256", hex.data);
		json_obj_close(&j);
		rc = json_finish(&j);
		if (!rc)
			rc = buf_addc(&out, '\n');
	} else {
		rc = buf_addf(&out, "Status: %s\nPenanda tangan: %s\nWaktu: ",
			      pades_status_name(info.status),
			      info.signer[0] ? info.signer : "-");
		if (!rc)
			rc = print_time(&out, info.signing_time);
		if (!rc)
			rc = buf_addf(&out, "\nTingkat: %s (DSS: %d sertifikat, "
				      "%d CRL)", info.dss_crls ? "B-LT" : "B-B",
				      info.dss_certs, info.dss_crls);
		if (!rc)
			rc = buf_addf(&out, "\nSHA-256: %s\n", hex.data);
		if (!rc && why.len)
			rc = buf_addf(&out, "Alasan: %s\n", why.data);
	}
	if (!rc)
		rc = write_stdout(&out);
	if (!rc && info.status != PADES_VALID)
		rc = tb_err(&c->err, TB_EREFUSED, "tanda tangan PDF tidak sah (%s)",
			    pades_status_name(info.status));
out:
	buf_release(&in);
	buf_release(&out);
	buf_release(&why);
	buf_release(&hex);
	keyring_free(kr);
	return rc;
}

/* Checks a token's signature only: revocation and expiry are the
 * registry's business (terbit verify). */
int cli_token_check(struct cli *c)
{
	static const char *const opts[] = { "--json", NULL };
	struct keyring *kr = NULL;
	struct buf out = BUF_INIT, serial = BUF_INIT;
	struct token t;
	char kid[2 * KEYS_KID_LEN + 1];
	int rc = cli_expect(c, 1, opts);
	if (rc || (rc = token_parse_url(cli_pos(c, 0), &t, &c->err)) ||
	    (rc = keyring_load(c->data_dir, &kr, &c->err)) ||
	    (rc = buf_addhex(&serial, t.serial, sizeof t.serial)))
		goto out;
	enum token_status st = token_verify(&t, kr);
	str_hex(kid, t.kid, sizeof t.kid);
	const char *kind = t.kind == TOKEN_LETTER ? "letter" : "card";
	if (cli_flag(c, "--json")) {
		struct json j;
		json_init(&j, &out);
		json_obj_open(&j, NULL);
		json_str(&j, "status", token_status_name(st));
		json_str(&j, "kid", kid);
		json_str(&j, "kind", kind);
		json_str(&j, "serial", serial.data);
		json_int(&j, "version", t.version);
		if (t.issuer)
			json_int(&j, "issuer", t.issuer);
		json_int(&j, "issued", t.issued);
		json_int(&j, "expires", t.expires);
		json_obj_close(&j);
		if (!(rc = json_finish(&j)))
			rc = buf_addc(&out, '\n');
	} else {
		rc = buf_addf(&out, "Status: %s\nKunci: %s\nJenis: %s\n"
			      "Seri: %s\nTerbit: ", token_status_name(st), kid,
			      t.kind == TOKEN_LETTER ? "surat" : "kartu",
			      serial.data);
		if (!rc)
			rc = fmt_days_id(&out, t.issued);
		if (!rc)
			rc = buf_adds(&out, "\nBerlaku s.d.: ");
		if (!rc)
			rc = fmt_days_id(&out, t.expires);
		if (!rc)
			rc = buf_addc(&out, '\n');
		if (!rc && t.issuer)
			rc = buf_addf(&out, "Penerbit: %u\n", t.issuer);
	}
	if (!rc)
		rc = write_stdout(&out);
	if (!rc && st != TOKEN_OK)
		rc = tb_err(&c->err, TB_EREFUSED, "token tidak sah (%s)",
			    token_status_name(st));
out:
	buf_release(&out);
	buf_release(&serial);
	keyring_free(kr);
	return rc;
}
