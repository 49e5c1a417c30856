#ifndef TERBIT_CONFIG_H
#define TERBIT_CONFIG_H
/*
 * Service configuration: defaults, then a file of `key = value` lines,
 * then TERBIT_<KEY> environment variables, then command-line flags (the
 * serve command applies those through config_set). Every key, its type,
 * default and meaning is one row of the table in config.c, which
 * docs/server.md mirrors.
 *
 * File syntax: one `key = value` per line; blank lines and lines starting
 * with '#' are ignored; spaces around key and value are trimmed; values
 * are not quoted. An unknown key or a bad value is an error naming the
 * file and line, so a typo never silently leaves a default in place.
 */
#include <stddef.h>

#include "core/buf.h"

#define CONFIG_STR_MAX 256

struct config {
	char listen[CONFIG_STR_MAX];     /* "127.0.0.1:8080" */
	char verify_listen[CONFIG_STR_MAX]; /* the lane's address; "" none */
	char data[CONFIG_STR_MAX];       /* data directory (TERBIT_DATA, --data) */
	char access_log[CONFIG_STR_MAX]; /* "stderr", "off" or a file path */
	unsigned threads;                /* worker threads (epoll each) */
	unsigned verify_threads;         /* the lane's threads; 0: one a CPU */
	unsigned max_connections;        /* total open connections */
	unsigned max_per_ip;             /* open connections per address;
					  * 0: max_connections / 8 */
	size_t connection_memory;        /* bytes per connection (headers) */
	unsigned timeout;                /* idle seconds before a connection is cut */
	unsigned header_timeout;         /* seconds for a request's headers */
	size_t body_rate;                /* body bytes/s after the grace; 0: none */
	unsigned rate_limit;             /* requests per minute per address; 0 off */
	unsigned drain_timeout;          /* seconds to finish requests on SIGTERM */
	char secure_cookies[CONFIG_STR_MAX]; /* "on", "off", "auto" (web pages) */
	unsigned status_next_hours;      /* the status list's "next" after "made" */
	unsigned verify_memory;          /* 1: registry rows in memory (vindex) */
	char trust[CONFIG_STR_MAX];      /* other issuers: dir or trust list; "" */
	char trust_key[CONFIG_STR_MAX];  /* the trust list's public key (PEM) */
	char trust_status[CONFIG_STR_MAX]; /* their status lists: file or dir */
};

/* Fills c with the defaults. */
void config_defaults(struct config *c);
/* Sets one key from its text value; TB_EINVAL (unknown key, bad value). */
int config_set(struct config *c, const char *key, const char *value,
	       struct buf *err);
/* Applies a file's lines; TB_EIO when unreadable, TB_EINVAL with
 * "file:line: ..." for a bad line. */
int config_load_file(struct config *c, const char *path, struct buf *err);
/* Parses a file's contents already in memory (name is for messages). */
int config_parse(struct config *c, const char *text, const char *name,
		 struct buf *err);
/* Applies TERBIT_<KEY> for every key present in the environment. */
int config_load_env(struct config *c, struct buf *err);

/* The key table, for docs and tests: name and one-line description. */
struct config_key_info {
	const char *key;
	const char *help;
};
/* i-th key (NULL past the end). */
const struct config_key_info *config_key(size_t i);

#endif
