/*
 * Trust that travels: the signed status list (`status export`). Thin
 * over issue/status.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "core/err.h"
#include "core/fmt.h"
#include "eligibility/eligibility.h"
#include "issue/offline.h"
#include "issue/status.h"
#include "sign/keys.h"
#include "sign/trust.h"
#include "store/store.h"

/* Whole hours, 1..720 (30 days), as the server's status_next_hours. */
static int next_hours(struct cli *c, int64_t *secs)
{
	const char *v = cli_opt(c, "--next-hours");
	char *end;
	*secs = ISSUE_STATUS_NEXT_DEFAULT;
	if (!v)
		return 0;
	long h = strtol(v, &end, 10);
	if (*v < '0' || *v > '9' || *end || h < 1 || h > 720)
		return tb_err(&c->err, TB_EINVAL,
			      "--next-hours harus bilangan 1 sampai 720");
	*secs = (int64_t)h * 3600;
	return 0;
}

int cli_status_export(struct cli *c)
{
	static const char *const opts[] = { "--out", "--next-hours", "--policy",
					    NULL };
	struct store *s = NULL;
	struct keyring *kr = NULL;
	struct policy *p = NULL;
	struct buf out = BUF_INIT;
	const char *file = cli_opt(c, "--out");
	int64_t next;
	int rc = cli_expect(c, 0, opts);
	if (rc < 0 || (rc = next_hours(c, &next)) < 0 ||
	    (rc = cli_load_policy(c, &p)) < 0)
		goto out;
	uint32_t issuer = issue_status_issuer(policy_regency(p));
	if (!issuer) {
		rc = tb_err(&c->err, TB_EINVAL, "kode kabupaten kebijakan tidak "
			    "sah: %s", policy_regency(p));
		goto out;
	}
	if ((rc = cli_open_store(c, &s)) < 0 ||
	    (rc = keyring_load(c->data_dir, &kr, &c->err)) < 0 ||
	    (rc = issue_status_make(s, kr, issuer, (int64_t)time(NULL),
				    date_today(), next, &out, &c->err)) < 0)
		goto out;
	if (file) {
		/* Public: any static host may serve it. */
		if ((rc = buf_write_file(file, out.data, out.len, 0644, &c->err)) == 0)
			printf("Daftar status ditulis ke %s\n", file);
	} else if (fwrite(out.data, 1, out.len, stdout) != out.len) {
		rc = tb_err(&c->err, TB_EIO, "gagal menulis ke stdout");
	}
out:
	buf_release(&out);
	policy_free(p);
	keyring_free(kr);
	store_close(s);
	return rc;
}

/* ---- offline verification ---- */

int cli_verify_offline(struct cli *c)
{
	static const char *const opts[] = { "--offline", "--trust", "--trust-key",
					    "--status", "--json", NULL };
	struct trust *t = NULL;
	struct offline_lists *lists = NULL;
	struct keyring *pub = NULL;
	struct offline_result o;
	struct buf pdf = BUF_INIT, out = BUF_INIT;
	const char *arg = cli_pos(c, 0), *trust = cli_opt(c, "--trust");
	struct stat st;
	int rc = cli_expect(c, 1, opts);
	if (rc < 0)
		return rc;
	if (!trust) {
		rc = tb_err(&c->err, TB_EINVAL, "--offline perlu --trust DIR "
			    "(keys export-public) atau daftar kepercayaan");
		goto out;
	}
	if ((rc = trust_load(trust, cli_opt(c, "--trust-key"), &t, &c->err)) < 0 ||
	    (rc = offline_lists_load(t, cli_opt(c, "--status"), &lists,
				     &c->err)) < 0)
		goto out;
	int64_t now = offline_now();
	if (stat(arg, &st) == 0 && S_ISREG(st.st_mode)) {
		/* A PDF's signature chains to the CA certificates that only
		 * an export-public directory carries. */
		if (stat(trust, &st) != 0 || !S_ISDIR(st.st_mode)) {
			rc = tb_err(&c->err, TB_EINVAL, "memeriksa PDF tanpa "
				    "sambungan perlu --trust DIR dari keys "
				    "export-public (ca.pem)");
			goto out;
		}
		if ((rc = keyring_load_public(trust, &pub, &c->err)) < 0 ||
		    (rc = buf_read_file(&pdf, arg, VERIFY_PDF_MAX, &c->err)) < 0 ||
		    (rc = verify_offline_pdf(pub, t, lists, pdf.data, pdf.len, now,
					     &o, &c->err)) < 0)
			goto out;
	} else if (strlen(arg) > 4 && !strcasecmp(arg + strlen(arg) - 4, ".pdf")) {
		rc = tb_err(&c->err, TB_ENOTFOUND, "berkas %s tidak ditemukan", arg);
		goto out;
	} else {
		verify_offline_token(t, lists, arg, now, &o);
	}
	rc = cli_flag(c, "--json") ? offline_result_json(&o, &out)
				   : offline_result_text(&o, &out);
	if (rc == 0 && cli_flag(c, "--json"))
		rc = buf_addc(&out, '\n');
	if (rc < 0) {
		rc = tb_err(&c->err, TB_ENOMEM, "memori habis");
		goto out;
	}
	cli_fputs(out.data, stdout);
	if (o.r.state == VERIFY_STALE)
		cli_printf(stderr, "PERINGATAN: %s\n", o.r.detail);
	/* The online command's exit codes: 0 only for VALID. */
	rc = o.r.state == VERIFY_VALID ? 0 : 10 + (int)o.r.state;
out:
	buf_release(&pdf);
	buf_release(&out);
	keyring_free(pub);
	offline_lists_free(lists);
	trust_free(t);
	return rc;
}

/* ---- trust lists ---- */

int cli_trust_keygen(struct cli *c)
{
	char kid[9];
	int rc = cli_expect(c, 1, NULL);
	if (rc == 0)
		rc = trust_keygen(cli_pos(c, 0), kid, &c->err);
	if (rc == 0)
		printf("Kunci daftar kepercayaan dibuat: %s/trust-%s.key (rahasia) "
		       "dan trust-%s.pub.pem (untuk pemeriksa)\n", cli_pos(c, 0),
		       kid, kid);
	return rc;
}

/* "3510:Kabupaten Banyuwangi:DIR[:URL]" (the URL keeps its own colons). */
static int parse_source(struct cli *c, char *spec, struct trust_source *s)
{
	char *name = strchr(spec, ':'), *dir = name ? strchr(name + 1, ':') : NULL;
	char *url = dir ? strchr(dir + 1, ':') : NULL;
	char *end;
	if (!dir)
		return tb_err(&c->err, TB_EINVAL, "penerbit harus KODE:NAMA:DIR"
			      "[:URL-STATUS], bukan %s", spec);
	*name++ = 0;
	*dir++ = 0;
	if (url)
		*url++ = 0;
	unsigned long code = strtoul(spec, &end, 10);
	if (*end || !*spec || code > 9999)
		return tb_err(&c->err, TB_EINVAL, "kode penerbit tidak sah: %s",
			      spec);
	*s = (struct trust_source){ (uint32_t)code, name, dir, url };
	return 0;
}

int cli_trust_make(struct cli *c)
{
	static const char *const opts[] = { "--key", "--out", NULL };
	const char *key = cli_opt(c, "--key"), *file = cli_opt(c, "--out");
	struct trust_source *src = NULL;
	struct buf out = BUF_INIT;
	char **specs = NULL;
	int n = cli_npos(c), rc = cli_expect(c, n, opts);
	if (rc < 0)
		return rc;
	if (!key || !file || n < 1) {
		rc = tb_err(&c->err, TB_EINVAL, "perlu --key, --out dan paling "
			    "sedikit satu penerbit KODE:NAMA:DIR");
		goto out;
	}
	if (!(src = calloc((size_t)n, sizeof *src)) ||
	    !(specs = calloc((size_t)n, sizeof *specs))) {
		rc = tb_err(&c->err, TB_ENOMEM, "memori habis");
		goto out;
	}
	for (int i = 0; i < n && rc == 0; i++) {
		if (!(specs[i] = strdup(cli_pos(c, i))))
			rc = tb_err(&c->err, TB_ENOMEM, "memori habis");
		else
			rc = parse_source(c, specs[i], &src[i]);
	}
	if (rc == 0)
		rc = trust_make(key, src, (size_t)n, (int64_t)time(NULL), &out,
				&c->err);
	if (rc == 0 &&
	    (rc = buf_write_file(file, out.data, out.len, 0644, &c->err)) == 0)
		printf("Daftar kepercayaan ditulis ke %s (%d penerbit)\n", file, n);
out:
	for (int i = 0; specs && i < n; i++)
		free(specs[i]);
	free(specs);
	free(src);
	buf_release(&out);
	return rc;
}
