/*
 * The figures cache the server's threads share (stats.h, "A cache of
 * computed figures"). One mutex guards the slots and every reference
 * count; stats_compute itself runs outside it, so a slow regency compute
 * holds up only the requests for that same key, which wait on `done`.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "stats/stats.h"
#include "stats/stats_int.h"

/* One computed struct stats and who holds it: the slot that keeps it
 * (one) and every reader between get and put. Freed at zero, so a slot
 * replaced while a page is still being drawn from it is not pulled out
 * from under that page. */
struct held {
	struct stats st;            /* first: put finds the held from it */
	int refs;
	void *memo;                 /* stats_cache_memo's, or NULL */
	void (*memo_free)(void *memo);
};

struct key {
	char scope[REGION_CODE_MAX + 1];
	int names;
	int days, year, month;      /* days 0 in a month's key */
	int64_t minute;             /* q->now / 60 */
	const struct policy *policy;
};

struct slot {
	struct key k;
	int used;                   /* k is set */
	int computing;              /* a thread is computing k */
	uint64_t gen;               /* h computed under this generation */
	int64_t now;                /* ... for this q->now */
	int settled;                /* ... and no row it is made of was
				     * written in now's second */
	struct held *h;             /* NULL until computed */
	uint64_t last_use;          /* for least recently used */
};

struct stats_cache {
	pthread_mutex_t mu;
	pthread_cond_t done;        /* a compute finished (or failed) */
	struct slot slot[STATS_CACHE_SLOTS];
	uint64_t tick;
	struct stats_cache_counts n;
};

struct stats_cache *stats_cache_new(void)
{
	struct stats_cache *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	if (pthread_mutex_init(&c->mu, NULL) != 0) {
		free(c);
		return NULL;
	}
	if (pthread_cond_init(&c->done, NULL) != 0) {
		pthread_mutex_destroy(&c->mu);
		free(c);
		return NULL;
	}
	return c;
}

static void held_drop(struct held *h)
{
	if (h && --h->refs == 0) {
		if (h->memo)
			h->memo_free(h->memo);
		stats_release(&h->st);
		free(h);
	}
}

void stats_cache_free(struct stats_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < STATS_CACHE_SLOTS; i++)
		held_drop(c->slot[i].h);
	pthread_cond_destroy(&c->done);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

static int key_of(const struct stats_query *q, struct key *k,
		  struct buf *err)
{
	memset(k, 0, sizeof *k);
	int rc = stats__scope(q->actor, k->scope, &k->names, err);
	if (rc < 0)
		return rc;
	k->year = q->year;
	k->month = q->month;
	k->days = q->month ? 0 : q->days ? q->days : STATS_DAYS_DEFAULT;
	k->minute = q->now / 60;
	k->policy = q->policy;
	return 0;
}

static int key_eq(const struct key *a, const struct key *b)
{
	return a->names == b->names && a->days == b->days &&
	       a->year == b->year && a->month == b->month &&
	       a->minute == b->minute && a->policy == b->policy &&
	       !strcmp(a->scope, b->scope);
}

static struct slot *find(struct stats_cache *c, const struct key *k)
{
	for (size_t i = 0; i < STATS_CACHE_SLOTS; i++)
		if (c->slot[i].used && key_eq(&c->slot[i].k, k))
			return &c->slot[i];
	return NULL;
}

/* A slot for a new key: an unused one, else the least recently used one
 * nobody is computing; NULL when every slot is being computed. */
static struct slot *claim(struct stats_cache *c, const struct key *k)
{
	struct slot *best = NULL;
	for (size_t i = 0; i < STATS_CACHE_SLOTS; i++) {
		struct slot *s = &c->slot[i];
		if (s->computing)
			continue;
		if (!s->used) {
			best = s;
			break;
		}
		if (!best || s->last_use < best->last_use)
			best = s;
	}
	if (!best)
		return NULL;
	held_drop(best->h);
	memset(best, 0, sizeof *best);
	best->k = *k;
	best->used = 1;
	return best;
}

/* stats_compute into a new held with one reference (the caller's). */
static int compute(struct store *s, const struct stats_query *q,
		   struct held **out, struct buf *err)
{
	struct held *h = calloc(1, sizeof *h);
	if (!h)
		return tb_err(err, TB_ENOMEM, "memori habis");
	int rc = stats_compute(s, q, &h->st, err);
	if (rc < 0) {
		stats_release(&h->st);
		free(h);
		return rc;
	}
	h->refs = 1;
	*out = h;
	return 0;
}

/*
 * The figures at now leave out the rows of now's own second (the window
 * ends at now.000). A commit of that second, made before the compute,
 * is already in the generation the figures are kept under, so they
 * would stay without it for the rest of the minute: such figures are
 * served only to requests of that same second (a later one computes
 * again). 1 when no row the figures are made of is that recent.
 */
static int settled_at(struct store *s, int64_t now)
{
	char last[32], end[32];
	struct buf ignore = BUF_INIT;
	int rc = store_stats_last_at(s, last, &ignore);
	buf_release(&ignore);
	fmt_iso_utc(now, end);
	return rc == 0 && strcmp(last, end) < 0;
}

int stats_cache_get(struct stats_cache *c, struct store *s,
		    const struct stats_query *q, const struct stats **out,
		    struct buf *err)
{
	struct key k;
	struct held *h = NULL;
	uint64_t gen;
	int rc;
	*out = NULL;
	if ((rc = key_of(q, &k, err)) < 0)
		return rc;
	if (store_generation(s, &gen) < 0) {
		/* No shared counter: nothing says when kept figures went
		 * stale, so none are kept. */
		if ((rc = compute(s, q, &h, err)) < 0)
			return rc;
		pthread_mutex_lock(&c->mu);
		c->n.computes++;
		pthread_mutex_unlock(&c->mu);
		*out = &h->st;
		return 0;
	}
	pthread_mutex_lock(&c->mu);
	struct slot *sl;
	for (;;) {
		sl = find(c, &k);
		if (sl && sl->h && sl->gen == gen &&
		    (sl->settled || q->now <= sl->now)) {
			sl->h->refs++;
			sl->last_use = ++c->tick;
			c->n.hits++;
			*out = &sl->h->st;
			pthread_mutex_unlock(&c->mu);
			return 0;
		}
		if (!sl || !sl->computing)
			break;
		/* Another thread is computing these figures: its result is
		 * ours too, unless a commit came since it began. */
		c->n.waits++;
		pthread_cond_wait(&c->done, &c->mu);
		store_generation(s, &gen);
	}
	if (!sl)
		sl = claim(c, &k);
	if (sl)
		sl->computing = 1;
	pthread_mutex_unlock(&c->mu);

	/* gen was read before the figures are: a commit during the compute
	 * leaves them under the older number, so the next get recomputes. */
	rc = compute(s, q, &h, err);
	int settled = rc == 0 && settled_at(s, q->now);

	pthread_mutex_lock(&c->mu);
	c->n.computes++;
	if (sl) {
		sl->computing = 0;
		sl->last_use = ++c->tick;
		if (rc == 0) {
			held_drop(sl->h);
			sl->h = h;
			sl->gen = gen;
			sl->now = q->now;
			sl->settled = settled;
			h->refs++;
		}
		pthread_cond_broadcast(&c->done);
	}
	pthread_mutex_unlock(&c->mu);
	if (rc == 0)
		*out = &h->st;
	return rc;
}

void stats_cache_put(struct stats_cache *c, const struct stats *st)
{
	if (!st)
		return;
	/* st is the first member of its held (stats_cache_get hands out
	 * nothing else). */
	struct held *h = (struct held *)(void *)st;
	pthread_mutex_lock(&c->mu);
	held_drop(h);
	pthread_mutex_unlock(&c->mu);
}

const void *stats_cache_memo(struct stats_cache *c, const struct stats *st,
			     void *(*make)(const struct stats *st, void *arg),
			     void (*release)(void *memo), void *arg)
{
	struct held *h = (struct held *)(void *)st;
	pthread_mutex_lock(&c->mu);
	void *m = h->memo;
	pthread_mutex_unlock(&c->mu);
	if (m)
		return m;
	/* Made outside the lock: it is the slow part, and other keys'
	 * readers should not wait for it. */
	void *mine = make(st, arg);
	if (!mine)
		return NULL;
	pthread_mutex_lock(&c->mu);
	if (!h->memo) {
		h->memo = mine;
		h->memo_free = release;
		mine = NULL;
	}
	m = h->memo;
	pthread_mutex_unlock(&c->mu);
	if (mine)
		release(mine);
	return m;
}

void stats_cache_counts(struct stats_cache *c, struct stats_cache_counts *out)
{
	pthread_mutex_lock(&c->mu);
	*out = c->n;
	pthread_mutex_unlock(&c->mu);
}
