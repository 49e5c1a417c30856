#ifndef TERBIT_JSONREAD_H
#define TERBIT_JSONREAD_H
/*
 * A small strict JSON reader for request bodies (RFC 8259): the whole text
 * is parsed into a flat array of values, and the caller walks it with the
 * accessors below.
 *
 *   struct jsonread d;
 *   if (jsonread_parse(&d, body, len, &err) == 0) {
 *       const struct jr_val *nik = jsonread_get(&d, jsonread_root(&d), "nik");
 *       if (nik && nik->type == JR_STR) use(nik->str);
 *   }
 *   jsonread_release(&d);
 *
 * Strict on purpose, because the input comes from the network: no
 * comments, no trailing commas, no single quotes, no leading zeros, no
 * NaN, one top-level value and only whitespace after it, every string
 * valid UTF-8 with no NUL (not even as \u0000), no duplicate keys in an
 * object, nesting at most JSONREAD_MAX_DEPTH, at most JSONREAD_MAX_VALUES
 * values and JSONREAD_MAX_MEMBERS members per object. Any of these is TB_EINVAL with an English message naming the
 * byte offset (the API answers in English).
 */
#include <stddef.h>

#include "core/buf.h"

#define JSONREAD_MAX_DEPTH 16
#define JSONREAD_MAX_VALUES 100000
#define JSONREAD_MAX_MEMBERS 1024 /* per object */

enum jr_type { JR_NULL, JR_BOOL, JR_NUM, JR_STR, JR_ARR, JR_OBJ };

struct jr_val {
	enum jr_type type;
	const char *key;  /* member name inside an object, else NULL */
	const char *str;  /* JR_STR: decoded, NUL-terminated */
	size_t len;       /* JR_STR: bytes; JR_ARR, JR_OBJ: members */
	double num;       /* JR_NUM */
	int boolean;      /* JR_BOOL */
	size_t child_;    /* private: first member's index, 0 when none */
	size_t next_;     /* private: next sibling's index, 0 when none */
};

struct jsonread {
	struct jr_val *v; /* v[0] is the root */
	size_t n, cap;
	char *strs;       /* decoded strings and keys */
};

/* Parses text[0..len). On success d holds the values until
 * jsonread_release; on failure d is released already (releasing it again
 * is harmless). */
int jsonread_parse(struct jsonread *d, const char *text, size_t len,
		   struct buf *err);
void jsonread_release(struct jsonread *d);

const struct jr_val *jsonread_root(const struct jsonread *d);
/* The member named key of obj; NULL when obj is not an object or has no
 * such member. */
const struct jr_val *jsonread_get(const struct jsonread *d,
				  const struct jr_val *obj, const char *key);
/* First member of an array or object, then the next one; NULL at the end
 * (or when v is not a container). */
const struct jr_val *jsonread_first(const struct jsonread *d,
				    const struct jr_val *v);
const struct jr_val *jsonread_next(const struct jsonread *d,
				   const struct jr_val *v);

/* Member key of obj as a string: NULL when absent or not a string. */
const char *jsonread_str(const struct jsonread *d, const struct jr_val *obj,
			 const char *key);

#endif
