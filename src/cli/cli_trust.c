/*
 * Trust that travels: the signed status list (`status export`). Thin
 * over issue/status.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/err.h"
#include "core/fmt.h"
#include "eligibility/eligibility.h"
#include "issue/status.h"
#include "sign/keys.h"
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
