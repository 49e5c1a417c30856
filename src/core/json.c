#include "core/json.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/str.h"
#include "core/utf8.h"

void json_init(struct json *j, struct buf *out)
{
	memset(j, 0, sizeof *j);
	j->out = out;
}

static void emit(struct json *j, const char *s, size_t n)
{
	if (!j->rc)
		j->rc = buf_add(j->out, s, n);
}

/* 1 for a byte not copied as it is: one that is escaped, or the first
 * of a UTF-8 sequence (checked whole). A table, so a run of plain bytes
 * costs a load and a test each: the verifier's answer is some 500 bytes
 * of strings, and a switch on every byte was a quarter of its
 * instructions. */
static const unsigned char special[256] = {
	[0x00 ... 0x1f] = 1, ['"'] = 1, ['\\'] = 1, ['<'] = 1, ['>'] = 1,
	['&'] = 1, [0x80 ... 0xff] = 1,
};

/* The special byte at p (of n left) into out; *used: bytes taken. */
static int escape_one(struct buf *out, const unsigned char *p, size_t n,
		      size_t *used)
{
	char u[7];
	const char *esc;
	*used = 1;
	switch (*p) {
	case '"': esc = "\\\""; break;
	case '\\': esc = "\\\\"; break;
	case '\n': esc = "\\n"; break;
	case '\r': esc = "\\r"; break;
	case '\t': esc = "\\t"; break;
	default:
		if (*p >= 0x80) {
			/* Bytes that are not UTF-8 (text stored before input
			 * was checked) would make the whole document invalid
			 * JSON: each becomes U+FFFD. */
			size_t k = utf8_seq_len(p, n, NULL);
			if (k) {
				*used = k;
				return buf_add(out, p, k);
			}
			esc = "\\ufffd";
		} else {
			/* Controls, and < > & (json.h). */
			memcpy(u, "\\u00", 4);
			str_hex(u + 4, p, 1);
			esc = u;
		}
	}
	return buf_adds(out, esc);
}

int json_escape(struct buf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, used;
	int rc = 0;
	while (rc == 0 && i < n) {
		size_t start = i;
		while (i < n && !special[p[i]])
			i++;
		rc = buf_add(out, s + start, i - start);
		if (rc == 0 && i < n) {
			rc = escape_one(out, p + i, n - i, &used);
			i += used;
		}
	}
	return rc;
}

/* Comma and key before a value; marks the level as non-empty. */
static void begin_value(struct json *j, const char *key)
{
	if (j->need_comma[j->depth])
		emit(j, ",", 1);
	j->need_comma[j->depth] = 1;
	if (key) {
		emit(j, "\"", 1);
		if (!j->rc)
			j->rc = json_escape(j->out, key, strlen(key));
		emit(j, "\":", 2);
	}
}

static void open_level(struct json *j, const char *key, char ch)
{
	begin_value(j, key);
	if (j->depth + 1 >= JSON_MAX_DEPTH) {
		if (!j->rc)
			j->rc = TB_EINVAL;
		return;
	}
	emit(j, &ch, 1);
	j->need_comma[++j->depth] = 0;
}

static void close_level(struct json *j, char ch)
{
	if (j->depth > 0)
		j->depth--;
	emit(j, &ch, 1);
}

void json_obj_open(struct json *j, const char *key) { open_level(j, key, '{'); }
void json_obj_close(struct json *j) { close_level(j, '}'); }
void json_arr_open(struct json *j, const char *key) { open_level(j, key, '['); }
void json_arr_close(struct json *j) { close_level(j, ']'); }

void json_strn(struct json *j, const char *key, const char *val, size_t n)
{
	begin_value(j, key);
	emit(j, "\"", 1);
	if (!j->rc)
		j->rc = json_escape(j->out, val, n);
	emit(j, "\"", 1);
}

void json_str(struct json *j, const char *key, const char *val)
{
	if (!val) {
		json_null(j, key);
		return;
	}
	json_strn(j, key, val, strlen(val));
}

void json_int(struct json *j, const char *key, int64_t val)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof tmp, "%" PRId64, val);
	begin_value(j, key);
	emit(j, tmp, (size_t)n);
}

void json_num(struct json *j, const char *key, double val)
{
	if (!isfinite(val)) {
		json_null(j, key);
		return;
	}
	char tmp[40];
	/* The shortest precision that reads back as the same double. */
	int n = 0;
	for (int prec = 1; prec <= 17; prec++) {
		n = snprintf(tmp, sizeof tmp, "%.*g", prec, val);
		if (strtod(tmp, NULL) == val)
			break;
	}
	begin_value(j, key);
	emit(j, tmp, (size_t)n);
}

void json_bool(struct json *j, const char *key, int val)
{
	begin_value(j, key);
	emit(j, val ? "true" : "false", val ? 4 : 5);
}

void json_null(struct json *j, const char *key)
{
	begin_value(j, key);
	emit(j, "null", 4);
}

void json_raw(struct json *j, const char *key, const char *raw)
{
	begin_value(j, key);
	emit(j, raw, strlen(raw));
}

int json_finish(struct json *j)
{
	if (!j->rc && j->depth != 0)
		j->rc = TB_EINTERNAL;
	return j->rc;
}
