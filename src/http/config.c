#include "http/config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/str.h"

enum ktype { K_STR, K_UINT, K_SIZE };

/* Every key: defaults, bounds and help in one row. The environment
 * variable is TERBIT_ followed by the key in capitals. */
static const struct key {
	struct config_key_info info;
	enum ktype type;
	size_t off;
	unsigned long long min, max;
	const char *def;
} keys[] = {
	{ { "listen",
	    "address:port to listen on ([::1]:8080 for IPv6; port 0 picks a free one)" },
	  K_STR, offsetof(struct config, listen), 0, 0, "127.0.0.1:8080" },
	{ { "verify_listen",
	    "address:port of the verification lane: the public GET routes of "
	    "verification on a reader of terbit's own (docs/server.md); empty: none" },
	  K_STR, offsetof(struct config, verify_listen), 0, 0, "" },
	{ { "data",
	    "data directory holding terbit.db" },
	  K_STR, offsetof(struct config, data), 0, 0, "./terbit-data" },
	{ { "access_log",
	    "where access lines go: stderr, off, or a file path" },
	  K_STR, offsetof(struct config, access_log), 0, 0, "stderr" },
	{ { "threads",
	    "worker threads, each with its own epoll loop" },
	  K_UINT, offsetof(struct config, threads), 1, 256, "4" },
	{ { "verify_threads",
	    "threads of the verification lane, each with its own epoll loop "
	    "(0: one per CPU it may run on)" },
	  K_UINT, offsetof(struct config, verify_threads), 0, 256, "0" },
	{ { "max_connections",
	    "open connections in total" },
	  K_UINT, offsetof(struct config, max_connections), 1, 65535, "512" },
	{ { "max_per_ip",
	    "open connections per client address (0: an eighth of max_connections)" },
	  K_UINT, offsetof(struct config, max_per_ip), 0, 65535, "0" },
	{ { "connection_memory",
	    "bytes per connection for the request line and headers" },
	  K_SIZE, offsetof(struct config, connection_memory), 8192, 16u << 20, "16k" },
	{ { "timeout",
	    "seconds a connection may stay idle (or trickle) before it is cut" },
	  K_UINT, offsetof(struct config, timeout), 1, 3600, "15" },
	{ { "header_timeout",
	    "seconds from a connection's start (or its previous answer) to its "
	    "request's last header line" },
	  K_UINT, offsetof(struct config, header_timeout), 1, 3600, "10" },
	{ { "body_rate",
	    "bytes a second a body must keep up after header_timeout's grace (0: no minimum)" },
	  K_SIZE, offsetof(struct config, body_rate), 0, 1u << 30, "10k" },
	{ { "rate_limit",
	    "requests per minute per client address (0: off)" },
	  K_UINT, offsetof(struct config, rate_limit), 0, 1000000, "600" },
	{ { "drain_timeout",
	    "seconds to let requests in flight finish on SIGTERM/SIGINT" },
	  K_UINT, offsetof(struct config, drain_timeout), 0, 600, "10" },
	{ { "secure_cookies",
	    "the sign-in cookie: on (Secure, __Host-; behind HTTPS), off, or auto "
	    "(on unless listening on loopback)" },
	  K_STR, offsetof(struct config, secure_cookies), 0, 0, "auto" },
	{ { "status_next_hours",
	    "hours from a status list's made to its next: offline checkers warn "
	    "on a list older than that (docs/token.md)" },
	  K_UINT, offsetof(struct config, status_next_hours), 1, 720, "24" },
	{ { "verify_memory",
	    "1: the verifier keeps the registry's rows in memory, read once "
	    "and then only as they change (about 600 bytes a document); 0: "
	    "every verification reads the database" },
	  K_UINT, offsetof(struct config, verify_memory), 0, 1, "1" },
	{ { "trust",
	    "other issuers whose tokens the verifier checks: an export-public "
	    "directory or a signed trust list (docs/trust.md); empty: none" },
	  K_STR, offsetof(struct config, trust), 0, 0, "" },
	{ { "trust_key",
	    "the trust list's public key (PEM, terbit trust keygen)" },
	  K_STR, offsetof(struct config, trust_key), 0, 0, "" },
	{ { "trust_status",
	    "those issuers' signed status lists: a file or a directory of "
	    "them, read at start" },
	  K_STR, offsetof(struct config, trust_status), 0, 0, "" },
};
#define NKEYS ARRAY_SIZE(keys)

const struct config_key_info *config_key(size_t i)
{
	return i < NKEYS ? &keys[i].info : NULL;
}

/* Decimal, with an optional k or m suffix (x1024) for sizes. */
static int parse_num(const struct key *k, const char *v,
		     unsigned long long *out)
{
	if (!isdigit((unsigned char)*v))
		return TB_EINVAL;
	errno = 0;
	char *end;
	unsigned long long n = strtoull(v, &end, 10);
	if (errno)
		return TB_EINVAL;
	if (k->type == K_SIZE && (*end == 'k' || *end == 'K') && !end[1]) {
		n = n > ULLONG_MAX / 1024 ? ULLONG_MAX : n * 1024;
		end++;
	} else if (k->type == K_SIZE && (*end == 'm' || *end == 'M') &&
		   !end[1]) {
		n = n > ULLONG_MAX / (1024 * 1024) ? ULLONG_MAX
						   : n * 1024 * 1024;
		end++;
	}
	if (*end || n < k->min || n > k->max)
		return TB_EINVAL;
	*out = n;
	return 0;
}

int config_set(struct config *c, const char *key, const char *value,
	       struct buf *err)
{
	const struct key *k = NULL;
	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].info.key, key) == 0)
			k = &keys[i];
	if (!k)
		return tb_err(err, TB_EINVAL, "kunci konfigurasi tidak dikenal: %s",
			      key);
	char *field = (char *)c + k->off;
	if (k->type == K_STR) {
		size_t n = strlen(value);
		if (n == 0 || n >= CONFIG_STR_MAX)
			return tb_err(err, TB_EINVAL,
				      "nilai %s kosong atau terlalu panjang", key);
		memcpy(field, value, n + 1);
		return 0;
	}
	unsigned long long n;
	if (parse_num(k, value, &n) < 0)
		return tb_err(err, TB_EINVAL,
			      "nilai %s tidak sah: '%s' (harus bilangan %llu..%llu)",
			      key, value, k->min, k->max);
	if (k->type == K_UINT)
		*(unsigned *)(void *)field = (unsigned)n;
	else
		*(size_t *)(void *)field = (size_t)n;
	return 0;
}

void config_defaults(struct config *c)
{
	memset(c, 0, sizeof *c);
	for (size_t i = 0; i < NKEYS; i++)
		config_set(c, keys[i].info.key, keys[i].def, NULL);
}

/* Puts "where:line: " (line 0: "where: ") before err's message, so a
 * bad value names the file line or variable that carried it. */
static void err_prefix(struct buf *err, const char *where, int line)
{
	if (!err)
		return;
	struct buf msg = BUF_INIT;
	int rc = line ? buf_addf(&msg, "%s:%d: %s", where, line, err->data)
		      : buf_addf(&msg, "%s: %s", where, err->data);
	if (rc == 0) {
		buf_reset(err);
		buf_add(err, msg.data, msg.len);
	}
	buf_release(&msg);
}

static char *trim(char *s, char *end)
{
	while (s < end && isspace((unsigned char)*s))
		s++;
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	return s;
}

/* One line, already cut out and writable. */
static int parse_line(struct config *c, char *line, const char *name,
		      int lineno, struct buf *err)
{
	char *end = line + strlen(line);
	char *s = trim(line, end);
	if (!*s || *s == '#')
		return 0;
	char *eq = strchr(s, '=');
	if (!eq)
		return tb_err(err, TB_EINVAL, "%s:%d: baris tanpa '='", name,
			      lineno);
	char *value = trim(eq + 1, eq + 1 + strlen(eq + 1));
	char *key = trim(s, eq);
	int rc = config_set(c, key, value, err);
	if (rc < 0)
		err_prefix(err, name, lineno);
	return rc;
}

int config_parse(struct config *c, const char *text, const char *name,
		 struct buf *err)
{
	struct buf line = BUF_INIT;
	int rc = 0, lineno = 0;
	const char *p = text;
	while (*p && rc == 0) {
		size_t n = strcspn(p, "\n");
		lineno++;
		buf_reset(&line);
		rc = buf_add(&line, p, n);
		if (rc < 0) {
			tb_err(err, rc, "%s: kehabisan memori", name);
			break;
		}
		rc = parse_line(c, line.data, name, lineno, err);
		p += n;
		p += *p == '\n';
	}
	buf_release(&line);
	return rc;
}

int config_load_file(struct config *c, const char *path, struct buf *err)
{
	struct buf text = BUF_INIT;
	/* A config file is a few lines; a megabyte means a wrong path. */
	int rc = buf_read_file(&text, path, 1u << 20, err);
	if (rc < 0)
		goto out;
	if (memchr(text.data, '\0', text.len)) {
		rc = tb_err(err, TB_EINVAL, "%s: bukan berkas teks", path);
		goto out;
	}
	rc = config_parse(c, text.data, path, err);
out:
	buf_release(&text);
	return rc;
}

int config_load_env(struct config *c, struct buf *err)
{
	for (size_t i = 0; i < NKEYS; i++) {
		char name[64] = "TERBIT_";
		size_t n = strlen(name);
		for (const char *k = keys[i].info.key; *k && n < sizeof name - 1; k++)
			name[n++] = (char)toupper((unsigned char)*k);
		name[n] = '\0';
		const char *v = getenv(name);
		if (!v || !*v)
			continue;
		int rc = config_set(c, keys[i].info.key, v, err);
		if (rc < 0) {
			err_prefix(err, name, 0);
			return rc;
		}
	}
	return 0;
}
