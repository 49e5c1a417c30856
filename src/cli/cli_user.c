/*
 * CLI handlers for user accounts beyond `user add` (cli_data.c): set a
 * password from stdin, disable, reset to a one-time password, new API
 * token. All run as the console (whoever holds the data directory) and
 * are audited as such by the cases module.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "cases/cases.h"
#include "cli/cli.h"
#include "core/err.h"
#include "core/str.h"
#include "sign/passwd.h"
#include "store/store.h"

int cli_load_password_list(struct cli *c)
{
	struct buf path = BUF_INIT;
	int rc = cli_find_root(c, &path);
	if (rc == 0 && (rc = buf_adds(&path, "/policy/common-passwords.txt")) < 0)
		rc = tb_err(&c->err, rc, "memori habis");
	if (rc == 0)
		rc = cases_password_list_load(path.data, &c->err);
	buf_release(&path);
	return rc;
}

/* One line of stdin without its line end. Longer than a password may be
 * is refused rather than cut, so what is stored is what was typed. */
static int read_password(struct cli *c, char *pw, size_t n)
{
	if (!fgets(pw, (int)n, stdin))
		return tb_err(&c->err, TB_EINVAL,
			      "kata sandi baru dibaca dari stdin (satu baris)");
	size_t len = strcspn(pw, "\r\n");
	if (pw[len] == 0 && len == n - 1 && !feof(stdin))
		return tb_err(&c->err, TB_EINVAL,
			      "Kata sandi terlalu panjang (paling banyak %d byte)",
			      PASSWD_MAX);
	pw[len] = 0;
	return 0;
}

int cli_user_passwd(struct cli *c)
{
	static const char *const opts[] = { "--root", NULL };
	char pw[PASSWD_MAX + 2];
	struct store *s = NULL;
	int rc = cli_expect(c, 1, opts);
	if (rc < 0)
		return rc;
	/* The list first: a weak password is refused before the store is
	 * opened or anything is written. */
	if ((rc = cli_load_password_list(c)) < 0 ||
	    (rc = read_password(c, pw, sizeof pw)) < 0 ||
	    (rc = cases_password_ok(pw, cli_pos(c, 0), &c->err)) < 0 ||
	    (rc = cli_open_store(c, &s)) < 0)
		goto out;
	if ((rc = cases_password_set(s, NULL, cli_pos(c, 0), pw, &c->err)) == 0)
		fprintf(stderr, "Kata sandi %s disimpan; sesinya diakhiri.\n",
			cli_pos(c, 0));
out:
	OPENSSL_cleanse(pw, sizeof pw);
	store_close(s);
	return rc;
}

int cli_user_disable(struct cli *c)
{
	struct store *s = NULL;
	int rc = cli_expect(c, 1, NULL);
	if (rc < 0 || (rc = cli_open_store(c, &s)) < 0)
		return rc;
	if ((rc = cases_user_disable(s, NULL, cli_pos(c, 0), &c->err)) == 0)
		fprintf(stderr, "Pengguna %s dinonaktifkan: sesi dan token "
				"berhenti.\n", cli_pos(c, 0));
	store_close(s);
	return rc;
}

int cli_user_reset_password(struct cli *c)
{
	struct store *s = NULL;
	struct buf pw = BUF_INIT;
	int rc = cli_expect(c, 1, NULL);
	if (rc < 0 || (rc = cli_open_store(c, &s)) < 0)
		goto out;
	rc = cases_password_reset(s, NULL, cli_pos(c, 0), &pw, &c->err);
	if (rc == 0)
		printf("%s\n", pw.data);
out:
	OPENSSL_cleanse(pw.data, pw.len);
	buf_release(&pw);
	store_close(s);
	return rc;
}

int cli_user_token(struct cli *c)
{
	static const char *const allowed[] = { "--expires", NULL };
	struct store *s = NULL;
	struct buf tok = BUF_INIT;
	unsigned days = 0;
	int rc = cli_expect(c, 1, allowed);
	if (rc < 0)
		goto out;
	const char *exp = cli_opt(c, "--expires");
	if (exp) {
		/* Whole days, 1..CASES_TOKEN_DAYS_MAX: the digit check keeps
		 * "-1", "7d" and "1e3" out before the conversion. */
		unsigned long v = str_all_digits(exp) && strlen(exp) <= 5
					  ? strtoul(exp, NULL, 10) : 0;
		if (v == 0 || v > CASES_TOKEN_DAYS_MAX) {
			rc = tb_err(&c->err, TB_EINVAL,
				    "--expires harus jumlah hari 1..%d, bukan '%s'",
				    CASES_TOKEN_DAYS_MAX, exp);
			goto out;
		}
		days = (unsigned)v;
	}
	if ((rc = cli_open_store(c, &s)) < 0)
		goto out;
	rc = cases_token_new(s, NULL, cli_pos(c, 0), days, &tok, &c->err);
	if (rc == 0)
		printf("%s\n", tok.data);
out:
	buf_release(&tok);
	store_close(s);
	return rc;
}
