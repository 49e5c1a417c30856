#include "http/ratelimit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/digest.h"

#define WAYS 8
#define KEY_MAX 64

struct bucket {
	char key[KEY_MAX];  /* "" when free */
	double tokens;
	int64_t last_ms;
};

struct ratelimit {
	pthread_mutex_t lock;
	unsigned per_minute;
	size_t nsets;
	struct bucket *b;   /* nsets * WAYS */
};

struct ratelimit *ratelimit_new(unsigned per_minute, size_t slots)
{
	struct ratelimit *rl = calloc(1, sizeof *rl);
	if (!rl)
		return NULL;
	rl->per_minute = per_minute;
	rl->nsets = (slots ? slots : 4096) / WAYS;
	if (rl->nsets == 0)
		rl->nsets = 1;
	rl->b = calloc(rl->nsets * WAYS, sizeof *rl->b);
	if (!rl->b) {
		free(rl);
		return NULL;
	}
	pthread_mutex_init(&rl->lock, NULL);
	return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
	if (!rl)
		return;
	pthread_mutex_destroy(&rl->lock);
	free(rl->b);
	free(rl);
}


/* The client's bucket in its set, or a free / least recent one reset to
 * a full bucket for it. */
static struct bucket *bucket_for(struct ratelimit *rl, const char *key,
				 int64_t now_ms)
{
	/* Addresses are not chosen to collide in any way that matters more
	 * than an eviction. */
	struct bucket *set =
		rl->b + (digest_hash64(key, strlen(key)) % rl->nsets) * WAYS;
	struct bucket *victim = &set[0];
	for (int i = 0; i < WAYS; i++) {
		if (strcmp(set[i].key, key) == 0)
			return &set[i];
		if (!set[i].key[0] ||
		    (victim->key[0] && set[i].last_ms < victim->last_ms))
			victim = &set[i];
	}
	memcpy(victim->key, key, strlen(key) + 1);
	victim->tokens = rl->per_minute;
	victim->last_ms = now_ms;
	return victim;
}

int ratelimit_take(struct ratelimit *rl, const char *client, int64_t now_ms,
		   unsigned *retry_after)
{
	if (!rl || rl->per_minute == 0)
		return 1;
	char key[KEY_MAX];
	size_t n = strlen(client);
	if (n >= KEY_MAX)
		n = KEY_MAX - 1;
	memcpy(key, client, n);
	key[n] = '\0';
	double per_ms = rl->per_minute / 60000.0;
	int ok;

	pthread_mutex_lock(&rl->lock);
	struct bucket *b = bucket_for(rl, key, now_ms);
	if (now_ms > b->last_ms) {
		b->tokens += (double)(now_ms - b->last_ms) * per_ms;
		if (b->tokens > rl->per_minute)
			b->tokens = rl->per_minute;
		b->last_ms = now_ms;
	}
	ok = b->tokens >= 1.0;
	if (ok)
		b->tokens -= 1.0;
	else if (retry_after) {
		double wait_ms = (1.0 - b->tokens) / per_ms;
		unsigned s = (unsigned)((wait_ms + 999.0) / 1000.0);
		*retry_after = s ? s : 1;
	}
	pthread_mutex_unlock(&rl->lock);
	return ok;
}
