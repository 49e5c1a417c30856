#include "http/vcache.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/digest.h"
#include "core/err.h"

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

/* A set's hashes and pointers share one cache line, so a lookup touches
 * one line and then only the entry that matches: reading each way's
 * entry to compare was a cache miss per way. */
struct vc_way {
	uint64_t hash;              /* of the entry's token */
	struct vc_entry *e;         /* made on first use */
};

/* The doorkeeper: a token is kept the second time it is answered
 * within a window, not the first. Most scans are of a code no one else
 * scans that day; keeping each of them cost a 3 KB copy and pushed out
 * an answer that would have been asked for again. One bit a token hash,
 * all cleared once half of them have been set. */
#define SEEN_BITS (8 * VCACHE_SLOTS)

struct vcache {
	struct vc_way slot[VCACHE_SLOTS];
	unsigned victim[SETS];      /* next way to replace */
	uint64_t seen[SEEN_BITS / 64];
	unsigned seen_set;          /* bits set since the last clearing */
};

struct vcache *vcache_new(void)
{
	/* aligned_alloc wants a size that is a multiple of the alignment. */
	struct vcache *c = aligned_alloc(64, (sizeof(struct vcache) + 63) & ~(size_t)63);
	if (c)
		memset(c, 0, sizeof *c);
	return c;
}

void vcache_free(struct vcache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < VCACHE_SLOTS; i++) {
		if (!c->slot[i].e)
			continue;
		for (int k = 0; k < VCACHE__KINDS; k++)
			buf_release(&c->slot[i].e->body[k]);
		free(c->slot[i].e);
	}
	free(c);
}


/* The hash is the presented token's own: comparing it first tells an
 * asker nothing about a kept token but "some kept token hashes alike";
 * the bytes are then compared in constant time. */
static int same_token(const struct vc_way *w, uint64_t h, const char *token,
		      size_t n)
{
	return w->e && w->hash == h && w->e->toklen == n &&
	       digest_equal(w->e->token, token, n);
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
	/* It only spreads tokens over the sets and screens out other
	 * tokens; equality is checked in full. */
	uint64_t h = digest_hash64(token, n);
	const struct vc_way *set = &c->slot[h % SETS * WAYS];
	const struct vc_entry *e = NULL;
	for (int w = 0; w < WAYS && !e; w++)
		if (same_token(&set[w], h, token, n))
			e = set[w].e;
	if (!e || !(e->have & (1u << k)) || !fresh(e, st, today))
		return TB_ENOTFOUND;
	*body = e->body[k].data;
	*len = e->body[k].len;
	*state = e->state;
	return 0;
}

/* 1 when the token of hash h was seen in this window (it is then kept);
 * else it is marked seen, and 0. */
static int admit(struct vcache *c, uint64_t h)
{
	uint64_t bit = digest_mix64(h) % SEEN_BITS;
	uint64_t *word = &c->seen[bit / 64], mask = 1ull << (bit % 64);
	if (*word & mask)
		return 1;
	if (++c->seen_set > SEEN_BITS / 2) {
		memset(c->seen, 0, sizeof c->seen);
		c->seen_set = 1;
	}
	*word |= mask;
	return 0;
}

int vcache_put(struct vcache *c, const char *token,
	       const struct store_stamp *st, int64_t today, enum vcache_kind k,
	       int state, const void *body, size_t len)
{
	size_t n = strlen(token);
	if (n > VCACHE_TOKEN_MAX || (unsigned)k >= VCACHE__KINDS)
		return TB_EINVAL;
	uint64_t h = digest_hash64(token, n);
	size_t si = h % SETS;
	struct vc_way *set = &c->slot[si * WAYS], *way = NULL;
	/* This token's way, else an empty one, else the next in turn. */
	for (int w = 0; w < WAYS && !way; w++)
		if (same_token(&set[w], h, token, n))
			way = &set[w];
	if (!way && !admit(c, h))
		return 0;
	for (int w = 0; w < WAYS && !way; w++)
		if (!set[w].e)
			way = &set[w];
	if (!way)
		way = &set[c->victim[si]++ % WAYS];
	if (!way->e) {
		way->e = calloc(1, sizeof *way->e);
		if (!way->e)
			return TB_ENOMEM;
		for (int i = 0; i < VCACHE__KINDS; i++)
			buf_init(&way->e->body[i], 0);
	}
	struct vc_entry *e = way->e;
	/* Another token, or the database or the day moved on: whatever the
	 * entry held is no answer any more. */
	if (!same_token(way, h, token, n) || !fresh(e, st, today) ||
	    e->state != state) {
		e->have = 0;
		way->hash = h;
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
