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

struct vcache {
	struct vc_entry *slot[VCACHE_SLOTS]; /* made on first use */
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

/* FNV-1a: the slot only spreads tokens; equality is checked in full. */
static size_t slot_of(const char *token, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)token[i]) * 16777619u;
	return h % VCACHE_SLOTS;
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
	const struct vc_entry *e = c->slot[slot_of(token, n)];
	if (!e || !(e->have & (1u << k)) || !same_token(e, token, n) ||
	    !fresh(e, st, today))
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
	struct vc_entry **ep = &c->slot[slot_of(token, n)];
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
