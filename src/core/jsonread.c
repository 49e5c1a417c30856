#include "core/jsonread.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/utf8.h"

struct parser {
	struct jsonread *d;
	const char *s;
	size_t len, pos;
	char *out;        /* next free byte of d->strs */
	int depth;
	struct buf *err;
};

static int fail(struct parser *p, const char *what)
{
	return tb_err(p->err, TB_EINVAL, "invalid JSON at byte %zu: %s", p->pos,
		      what);
}

static void skip_ws(struct parser *p)
{
	while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
				   p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
		p->pos++;
}

/* A new value slot; its index, or a negative code. Indices, not
 * pointers: the array moves as it grows. */
static long new_val(struct parser *p, enum jr_type t, const char *key)
{
	struct jsonread *d = p->d;
	if (d->n == JSONREAD_MAX_VALUES)
		return fail(p, "too many values");
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		struct jr_val *v = realloc(d->v, cap * sizeof *v);
		if (!v)
			return tb_err(p->err, TB_ENOMEM, "out of memory");
		d->v = v;
		d->cap = cap;
	}
	memset(&d->v[d->n], 0, sizeof d->v[d->n]);
	d->v[d->n].type = t;
	d->v[d->n].key = key;
	return (long)d->n++;
}

static int hex4(struct parser *p, unsigned *out)
{
	unsigned v = 0;
	if (p->len - p->pos < 4)
		return fail(p, "short \\u escape");
	for (int i = 0; i < 4; i++) {
		char c = p->s[p->pos++];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return fail(p, "bad \\u escape");
	}
	*out = v;
	return 0;
}

static void put_utf8(struct parser *p, unsigned cp)
{
	if (cp < 0x80) {
		*p->out++ = (char)cp;
	} else if (cp < 0x800) {
		*p->out++ = (char)(0xc0 | (cp >> 6));
		*p->out++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*p->out++ = (char)(0xe0 | (cp >> 12));
		*p->out++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*p->out++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*p->out++ = (char)(0xf0 | (cp >> 18));
		*p->out++ = (char)(0x80 | ((cp >> 12) & 0x3f));
		*p->out++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*p->out++ = (char)(0x80 | (cp & 0x3f));
	}
}

static int escape(struct parser *p)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	if (p->pos == p->len)
		return fail(p, "unterminated string");
	char c = p->s[p->pos++];
	const char *k = c ? strchr(from, c) : NULL;
	if (k) {
		*p->out++ = to[k - from];
		return 0;
	}
	if (c != 'u')
		return fail(p, "bad escape");
	unsigned cp, lo;
	int rc = hex4(p, &cp);
	if (rc < 0)
		return rc;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return fail(p, "lone low surrogate");
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (p->len - p->pos < 2 || p->s[p->pos] != '\\' ||
		    p->s[p->pos + 1] != 'u')
			return fail(p, "lone high surrogate");
		p->pos += 2;
		if ((rc = hex4(p, &lo)) < 0)
			return rc;
		if (lo < 0xdc00 || lo > 0xdfff)
			return fail(p, "bad surrogate pair");
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	if (cp == 0)
		return fail(p, "NUL in string");
	put_utf8(p, cp);
	return 0;
}

/* A string at p->pos (on the opening quote), decoded into d->strs. */
static int string(struct parser *p, const char **out, size_t *len)
{
	char *start = p->out;
	p->pos++;
	for (;;) {
		if (p->pos == p->len)
			return fail(p, "unterminated string");
		unsigned char c = (unsigned char)p->s[p->pos];
		if (c == '"')
			break;
		if (c < 0x20)
			return fail(p, "control character in string");
		if (c == '\\') {
			p->pos++;
			int rc = escape(p);
			if (rc < 0)
				return rc;
			continue;
		}
		size_t n = utf8_seq_len((const unsigned char *)p->s + p->pos,
					p->len - p->pos, NULL);
		if (!n)
			return fail(p, "invalid UTF-8");
		memcpy(p->out, p->s + p->pos, n);
		p->out += n;
		p->pos += n;
	}
	p->pos++;
	*p->out++ = '\0';
	*out = start;
	if (len)
		*len = (size_t)(p->out - start - 1);
	return 0;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The JSON number grammar, checked by hand (strtod alone takes hex,
 * "inf", leading '+' and more), then converted by strtod. */
static int number(struct parser *p, double *out)
{
	size_t start = p->pos;
	char tmp[64];
	const char *s = p->s;
	if (p->pos < p->len && s[p->pos] == '-')
		p->pos++;
	if (p->pos == p->len || !is_digit(s[p->pos]))
		return fail(p, "bad number");
	if (s[p->pos] == '0')
		p->pos++;
	else
		while (p->pos < p->len && is_digit(s[p->pos]))
			p->pos++;
	if (p->pos < p->len && s[p->pos] == '.') {
		p->pos++;
		if (p->pos == p->len || !is_digit(s[p->pos]))
			return fail(p, "bad fraction");
		while (p->pos < p->len && is_digit(s[p->pos]))
			p->pos++;
	}
	if (p->pos < p->len && (s[p->pos] == 'e' || s[p->pos] == 'E')) {
		p->pos++;
		if (p->pos < p->len && (s[p->pos] == '+' || s[p->pos] == '-'))
			p->pos++;
		if (p->pos == p->len || !is_digit(s[p->pos]))
			return fail(p, "bad exponent");
		while (p->pos < p->len && is_digit(s[p->pos]))
			p->pos++;
	}
	size_t n = p->pos - start;
	if (n >= sizeof tmp)
		return fail(p, "number too long");
	memcpy(tmp, s + start, n);
	tmp[n] = '\0';
	*out = strtod(tmp, NULL);
	return 0;
}

static int literal(struct parser *p, const char *word)
{
	size_t n = strlen(word);
	if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0)
		return fail(p, "unexpected character");
	p->pos += n;
	return 0;
}

static int value(struct parser *p, const char *key, long *idx);

/* Links child as the last member of parent (tail tracked by caller). */
static void add_member(struct jsonread *d, long parent, long *tail, long child)
{
	if (*tail)
		d->v[*tail].next_ = (size_t)child;
	else
		d->v[parent].child_ = (size_t)child;
	*tail = child;
	d->v[parent].len++;
}

static int has_key(const struct jsonread *d, long obj, const char *key)
{
	for (size_t i = d->v[obj].child_; i; i = d->v[i].next_)
		if (strcmp(d->v[i].key, key) == 0)
			return 1;
	return 0;
}

static int container(struct parser *p, long self, int is_obj)
{
	char close = is_obj ? '}' : ']';
	long tail = 0, child;
	int rc;
	if (++p->depth > JSONREAD_MAX_DEPTH)
		return fail(p, "nested too deeply");
	p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == close) {
		p->pos++;
		p->depth--;
		return 0;
	}
	for (;;) {
		const char *key = NULL;
		skip_ws(p);
		if (is_obj) {
			if (p->pos == p->len || p->s[p->pos] != '"')
				return fail(p, "expected a member name");
			if ((rc = string(p, &key, NULL)) < 0)
				return rc;
			/* Capped so the duplicate check stays cheap. */
			if (p->d->v[self].len == JSONREAD_MAX_MEMBERS)
				return fail(p, "too many members in an object");
			if (has_key(p->d, self, key))
				return fail(p, "duplicate member name");
			skip_ws(p);
			if (p->pos == p->len || p->s[p->pos] != ':')
				return fail(p, "expected ':'");
			p->pos++;
		}
		if ((rc = value(p, key, &child)) < 0)
			return rc;
		add_member(p->d, self, &tail, child);
		skip_ws(p);
		if (p->pos == p->len)
			return fail(p, "unterminated array or object");
		if (p->s[p->pos] == close)
			break;
		if (p->s[p->pos] != ',')
			return fail(p, "expected ',' or the end");
		p->pos++;
	}
	p->pos++;
	p->depth--;
	return 0;
}

static int value(struct parser *p, const char *key, long *idx)
{
	skip_ws(p);
	if (p->pos == p->len)
		return fail(p, "expected a value");
	char c = p->s[p->pos];
	enum jr_type t = c == '{' ? JR_OBJ : c == '[' ? JR_ARR
		       : c == '"' ? JR_STR : c == 't' || c == 'f' ? JR_BOOL
		       : c == 'n' ? JR_NULL : JR_NUM;
	long i = new_val(p, t, key);
	if (i < 0)
		return (int)i;
	*idx = i;
	int rc;
	switch (t) {
	case JR_OBJ:
	case JR_ARR:
		return container(p, i, t == JR_OBJ);
	case JR_STR: {
		const char *s;
		size_t n;
		if ((rc = string(p, &s, &n)) < 0)
			return rc;
		p->d->v[i].str = s;
		p->d->v[i].len = n;
		return 0;
	}
	case JR_BOOL:
		p->d->v[i].boolean = c == 't';
		return literal(p, c == 't' ? "true" : "false");
	case JR_NULL:
		return literal(p, "null");
	case JR_NUM:
		return number(p, &p->d->v[i].num);
	}
	return fail(p, "unexpected character");
}

int jsonread_parse(struct jsonread *d, const char *text, size_t len,
		   struct buf *err)
{
	memset(d, 0, sizeof *d);
	/* Decoded strings are never longer than their quoted source, so one
	 * allocation of the input's size holds them all (and pointers into
	 * it stay put). */
	d->strs = malloc(len + 1);
	if (!d->strs)
		return tb_err(err, TB_ENOMEM, "out of memory");
	struct parser p = { .d = d, .s = text, .len = len, .out = d->strs,
			    .err = err };
	long root;
	int rc = value(&p, NULL, &root);
	if (rc == 0) {
		skip_ws(&p);
		if (p.pos != len)
			rc = fail(&p, "text after the value");
	}
	if (rc < 0)
		jsonread_release(d);
	return rc;
}

void jsonread_release(struct jsonread *d)
{
	free(d->v);
	free(d->strs);
	memset(d, 0, sizeof *d);
}

const struct jr_val *jsonread_root(const struct jsonread *d)
{
	return d->n ? &d->v[0] : NULL;
}

const struct jr_val *jsonread_first(const struct jsonread *d,
				    const struct jr_val *v)
{
	if (!v || (v->type != JR_ARR && v->type != JR_OBJ) || !v->child_)
		return NULL;
	return &d->v[v->child_];
}

const struct jr_val *jsonread_next(const struct jsonread *d,
				   const struct jr_val *v)
{
	return v && v->next_ ? &d->v[v->next_] : NULL;
}

const struct jr_val *jsonread_get(const struct jsonread *d,
				  const struct jr_val *obj, const char *key)
{
	if (!obj || obj->type != JR_OBJ)
		return NULL;
	for (const struct jr_val *m = jsonread_first(d, obj); m;
	     m = jsonread_next(d, m))
		if (strcmp(m->key, key) == 0)
			return m;
	return NULL;
}

const char *jsonread_str(const struct jsonread *d, const struct jr_val *obj,
			 const char *key)
{
	const struct jr_val *v = jsonread_get(d, obj, key);
	return v && v->type == JR_STR ? v->str : NULL;
}
