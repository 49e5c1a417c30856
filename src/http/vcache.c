#include "http/vcache.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "sign/digest.h"

struct vc_entry {
	size_t toklen;
	char token[VCACHE_TOKEN_MAX];
	struct store_stamp stamp;
	int64_t today;
	int state;
	unsigned have;              /* bit k: body[k] holds an answer */
	struct buf body[VCACHE__KINDS];
};

/* 4-way sets: direct-mapped, 1,500 tokens in 4,096 slots left a third
 * of them sharing a slot and throwing each other out. */
#define WAYS 4
#define SETS (VCACHE_SLOTS / WAYS)

struct vcache {
	struct vc_entry *slot[VCACHE_SLOTS]; /* made on first use */
	unsigned victim[SETS];               /* next way to replace */
};

struct vcache *vcache_new(void)
{
	return calloc(1, sizeof(struct vcache));
}

void vcache_free(struct vcache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < VCACHE_SLOTS; i++) {
		if (!c->slot[i])
			continue;
		for (int k = 0; k < VCACHE__KINDS; k++)
			buf_release(&c->slot[i]->body[k]);
		free(c->slot[i]);
	}
	free(c);
}

/* FNV-1a: the set only spreads tokens; equality is checked in full. */
static size_t set_of(const char *token, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)token[i]) * 16777619u;
	return h % SETS;
}

static int same_token(const struct vc_entry *e, const char *token, size_t n)
{
	return e->toklen == n && digest_equal(e->token, token, n);
}

static int fresh(const struct vc_entry *e, const struct store_stamp *st,
		 int64_t today)
{
	return e->stamp.others == st->others && e->stamp.own == st->own &&
	       e->today == today;
}

int vcache_get(struct vcache *c, const char *token,
	       const struct store_stamp *st, int64_t today, enum vcache_kind k,
	       const char **body, size_t *len, int *state)
{
	size_t n = strlen(token);
	if (n > VCACHE_TOKEN_MAX || (unsigned)k >= VCACHE__KINDS)
		return TB_ENOTFOUND;
	struct vc_entry *const *set = &c->slot[set_of(token, n) * WAYS];
	const struct vc_entry *e = NULL;
	for (int w = 0; w < WAYS && !e; w++)
		if (set[w] && same_token(set[w], token, n))
			e = set[w];
	if (!e || !(e->have & (1u << k)) || !fresh(e, st, today))
		return TB_ENOTFOUND;
	*body = e->body[k].data;
	*len = e->body[k].len;
	*state = e->state;
	return 0;
}

int vcache_put(struct vcache *c, const char *token,
	       const struct store_stamp *st, int64_t today, enum vcache_kind k,
	       int state, const void *body, size_t len)
{
	size_t n = strlen(token);
	if (n > VCACHE_TOKEN_MAX || (unsigned)k >= VCACHE__KINDS)
		return TB_EINVAL;
	size_t si = set_of(token, n);
	struct vc_entry **set = &c->slot[si * WAYS], **ep = NULL;
	/* This token's way, else an empty one, else the next in turn. */
	for (int w = 0; w < WAYS && !ep; w++)
		if (set[w] && same_token(set[w], token, n))
			ep = &set[w];
	for (int w = 0; w < WAYS && !ep; w++)
		if (!set[w])
			ep = &set[w];
	if (!ep)
		ep = &set[c->victim[si]++ % WAYS];
	if (!*ep) {
		*ep = calloc(1, sizeof **ep);
		if (!*ep)
			return TB_ENOMEM;
		for (int i = 0; i < VCACHE__KINDS; i++)
			buf_init(&(*ep)->body[i], 0);
	}
	struct vc_entry *e = *ep;
	/* Another token, or the database or the day moved on: whatever the
	 * entry held is no answer any more. */
	if (!same_token(e, token, n) || !fresh(e, st, today) ||
	    e->state != state) {
		e->have = 0;
		memcpy(e->token, token, n);
		e->toklen = n;
		e->stamp = *st;
		e->today = today;
		e->state = state;
	}
	buf_reset(&e->body[k]);
	if (buf_add(&e->body[k], body, len) < 0) {
		e->have = 0;
		return TB_ENOMEM;
	}
	e->have |= 1u << k;
	return 0;
}
