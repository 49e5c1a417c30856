#include "cli/cli.h"

#include <stdarg.h>
#include <string.h>

#include "core/err.h"
#include "core/utf8.h"

const char *const cli_bool_flags[] = { "--json", "--skip-bad", "--help",
				       "--force", "--all-valid", "--passwords",
				       "--offline", "--verify-only", "--reprint",
				       "--sheets", NULL };

static int is_bool_flag(const char *arg)
{
	for (int i = 0; cli_bool_flags[i]; i++)
		if (strcmp(arg, cli_bool_flags[i]) == 0)
			return 1;
	return 0;
}

/* An option that takes its value from the next argument. */
static int takes_next(const char *arg)
{
	return strncmp(arg, "--", 2) == 0 && !strchr(arg, '=') &&
	       !is_bool_flag(arg);
}

const char *cli_opt(const struct cli *c, const char *name)
{
	size_t n = strlen(name);
	for (int i = 0; i < c->argc; i++) {
		const char *a = c->argv[i];
		if (strncmp(a, name, n) == 0 && a[n] == '=')
			return a + n + 1;
		if (strcmp(a, name) == 0 && takes_next(a))
			return i + 1 < c->argc ? c->argv[i + 1] : NULL;
		if (takes_next(a))
			i++;
	}
	return NULL;
}

int cli_flag(const struct cli *c, const char *name)
{
	for (int i = 0; i < c->argc; i++) {
		if (strcmp(c->argv[i], name) == 0)
			return 1;
		if (takes_next(c->argv[i]))
			i++;
	}
	return 0;
}

const char *cli_pos(const struct cli *c, int want)
{
	int k = 0;
	for (int i = 0; i < c->argc; i++) {
		const char *a = c->argv[i];
		if (strncmp(a, "--", 2) == 0) {
			if (takes_next(a))
				i++;
			continue;
		}
		if (k++ == want)
			return a;
	}
	return NULL;
}

int cli_npos(const struct cli *c)
{
	int n = 0;
	while (cli_pos(c, n))
		n++;
	return n;
}

int cli_expect(struct cli *c, int n, const char *const *allowed)
{
	int np = cli_npos(c);
	if (np != n)
		return tb_err(&c->err, TB_EINVAL,
			      "jumlah argumen salah (%d, seharusnya %d); lihat --help",
			      np, n);
	for (int i = 0; i < c->argc; i++) {
		const char *a = c->argv[i];
		if (strncmp(a, "--", 2) != 0)
			continue;
		size_t len = strcspn(a, "=");
		int ok = strncmp(a, "--data", len) == 0 && len == 6;
		for (int k = 0; allowed && allowed[k] && !ok; k++)
			ok = strlen(allowed[k]) == len &&
			     strncmp(a, allowed[k], len) == 0;
		if (!ok)
			return tb_err(&c->err, TB_EINVAL,
				      "opsi tidak dikenal: %.*s", (int)len, a);
		if (takes_next(a)) {
			if (i + 1 >= c->argc)
				return tb_err(&c->err, TB_EINVAL,
					      "opsi %s memerlukan nilai", a);
			i++;
		}
	}
	return 0;
}

void cli_fputs(const char *s, FILE *f)
{
	struct buf out = BUF_INIT;
	/* Without memory the text is dropped, never printed raw. */
	if (utf8_escape_controls(&out, s) == 0)
		fputs(out.data, f);
	buf_release(&out);
}

void cli_printf(FILE *f, const char *fmt, ...)
{
	struct buf line = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	int rc = buf_vaddf(&line, fmt, ap);
	va_end(ap);
	if (rc == 0)
		cli_fputs(line.data, f);
	buf_release(&line);
}
