#ifndef TERBIT_JSON_H
#define TERBIT_JSON_H
/*
 * A small JSON writer appending to a struct buf. It tracks nesting so the
 * caller never writes commas by hand:
 *
 *   struct json j; json_init(&j, &out);
 *   json_obj_open(&j, NULL);
 *     json_str(&j, "state", "approved");
 *     json_num(&j, "score", 1.842);
 *     json_arr_open(&j, "rules"); ... json_arr_close(&j);
 *   json_obj_close(&j);
 *   rc = json_finish(&j);   // first error seen (TB_ENOMEM, TB_ETOOBIG), or 0
 *
 * key is NULL inside arrays and at top level, a name inside objects.
 * Strings are escaped per RFC 8259 (control characters as \u00XX, and
 * '<', '>', '&' too so JSON can sit inside HTML). Numbers: json_num uses
 * the shortest form that round-trips ("%.17g" trimmed), never NaN/Inf
 * (written as null).
 */
#include <stdint.h>

#include "core/buf.h"

#define JSON_MAX_DEPTH 32

struct json {
	struct buf *out;
	int depth;
	int rc;
	unsigned char need_comma[JSON_MAX_DEPTH];
};

void json_init(struct json *j, struct buf *out);
void json_obj_open(struct json *j, const char *key);
void json_obj_close(struct json *j);
void json_arr_open(struct json *j, const char *key);
void json_arr_close(struct json *j);
void json_str(struct json *j, const char *key, const char *val); /* NULL -> null */
void json_strn(struct json *j, const char *key, const char *val, size_t n);
void json_int(struct json *j, const char *key, int64_t val);
void json_num(struct json *j, const char *key, double val);
void json_bool(struct json *j, const char *key, int val);
void json_null(struct json *j, const char *key);
/* Appends already-serialised JSON as a value (caller vouches for it). */
void json_raw(struct json *j, const char *key, const char *raw);
int json_finish(struct json *j);

/* Escapes s as a JSON string body (no quotes) onto out. */
int json_escape(struct buf *out, const char *s, size_t n);

#endif
