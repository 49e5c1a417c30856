#include "http/pool.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Each chunk starts with this header; allocations follow, aligned for
 * any type. */
struct chunk {
	struct chunk *next;
	size_t size;  /* usable bytes after the header */
	size_t used;
	alignas(max_align_t) unsigned char data[];
};

struct pool {
	struct chunk *head; /* current chunk first */
	size_t chunk;
	size_t max;
	size_t total;       /* bytes of chunks allocated, headers included */
};

#define ALIGN (alignof(max_align_t))

struct pool *pool_new(size_t chunk, size_t max)
{
	struct pool *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->chunk = chunk ? chunk : 4096;
	p->max = max;
	return p;
}

void pool_free(struct pool *p)
{
	if (!p)
		return;
	struct chunk *c = p->head;
	while (c) {
		struct chunk *next = c->next;
		free(c);
		c = next;
	}
	free(p);
}

static struct chunk *chunk_add(struct pool *p, size_t need)
{
	size_t size = need > p->chunk ? need : p->chunk;
	if (size > SIZE_MAX - sizeof(struct chunk))
		return NULL;
	size_t bytes = sizeof(struct chunk) + size;
	if (p->max && (bytes > p->max || p->total > p->max - bytes))
		return NULL;
	struct chunk *c = malloc(bytes);
	if (!c)
		return NULL;
	c->size = size;
	c->used = 0;
	p->total += bytes;
	/* A chunk made for one big allocation goes behind the current one,
	 * so the current chunk's free space stays in use. */
	if (p->head && size > p->chunk) {
		c->next = p->head->next;
		p->head->next = c;
	} else {
		c->next = p->head;
		p->head = c;
	}
	return c;
}

void *pool_alloc(struct pool *p, size_t n)
{
	if (n > SIZE_MAX - ALIGN)
		return NULL;
	size_t need = (n + ALIGN - 1) & ~(ALIGN - 1);
	if (need == 0)
		need = ALIGN;
	struct chunk *c = p->head;
	if (!c || c->size - c->used < need) {
		c = chunk_add(p, need);
		if (!c)
			return NULL;
	}
	void *ptr = c->data + c->used;
	c->used += need;
	memset(ptr, 0, n);
	return ptr;
}

char *pool_strndup(struct pool *p, const char *s, size_t n)
{
	if (!s || n == SIZE_MAX)
		return NULL;
	char *d = pool_alloc(p, n + 1);
	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *pool_strdup(struct pool *p, const char *s)
{
	return s ? pool_strndup(p, s, strlen(s)) : NULL;
}

size_t pool_used(const struct pool *p)
{
	return p->total;
}
