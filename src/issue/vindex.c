#include "issue/vindex.h"

#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/digest.h"
#include "core/err.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/str.h"
#include "core/vec.h"
#include "issue/issue.h"

/* Every member store_doc_lookup fills, in the order a packed row holds
 * them: numbers as their bytes, strings as long as they are. */
#define NUM(m) { offsetof(struct store_document, m), \
		 sizeof(((struct store_document *)0)->m), 0 }
#define TEXT(m) { offsetof(struct store_document, m), \
		  sizeof(((struct store_document *)0)->m), 1 }
static const struct {
	size_t off, size;
	int text;
} members[] = {
	NUM(case_id),      NUM(seq),           NUM(issued_day),
	NUM(expires_day),  NUM(size),          NUM(score),
	NUM(year),         NUM(state),         TEXT(serial),
	TEXT(kind),        TEXT(nik),          TEXT(name),
	TEXT(village_code), TEXT(number),      TEXT(token),
	TEXT(sha256),      TEXT(policy_version), TEXT(office),
	TEXT(faskes),      TEXT(issued_by),    TEXT(issued_at),
	TEXT(revoked_at),  TEXT(revoked_by),   TEXT(reason),
	TEXT(superseded_by), TEXT(replaces),   TEXT(fields_sha256),
	TEXT(seal),
};
#define NMEMBERS (sizeof members / sizeof members[0])

/* One row as it is kept: each member's bytes one after the other (a
 * string with its NUL), and each one's length. */
struct row {
	uint32_t bytes; /* of the whole row */
	uint16_t len[NMEMBERS];
	unsigned char data[];
};

/* Open addressing by the serial's 64 bits. row NULL: never used; GONE:
 * the key's row left the index (the slot stays, so probing goes on). */
struct slot {
	uint64_t key;
	struct row *row;
};
static struct row gone_row;
#define GONE (&gone_row)

struct vindex {
	pthread_rwlock_t lock;
	const struct keyring *kr;
	struct slot *slots;
	size_t cap;   /* a power of two */
	size_t used;  /* slots with a key, GONE ones included */
	size_t rows;
	size_t bytes; /* of the kept rows */
	int64_t last; /* the newest change applied */
};

/* The serial's 64 bits; 0 when it is not 16 upper-case hex digits. */
static int serial_key(const char *serial, uint64_t *key)
{
	unsigned char b[8];
	if (strlen(serial) != SERIAL_LEN || str_unhex_upper(b, serial, 8) < 0)
		return 0;
	uint64_t k = 0;
	for (int i = 0; i < 8; i++)
		k = k << 8 | b[i];
	*key = k;
	return 1;
}

/* Serials are chosen by the gate, not at random by anyone: mixed, so a
 * run of them cannot pile up in one stretch of the table. */
static size_t slot_of(const struct vindex *ix, uint64_t k)
{
	return (size_t)digest_mix64(k) & (ix->cap - 1);
}

static struct slot *find(const struct vindex *ix, uint64_t k)
{
	for (size_t i = slot_of(ix, k);; i = (i + 1) & (ix->cap - 1)) {
		struct slot *sl = &ix->slots[i];
		if (!sl->row || sl->key == k)
			return sl;
	}
}

static struct row *pack(const struct store_document *d)
{
	uint16_t len[NMEMBERS];
	size_t total = 0;
	for (size_t i = 0; i < NMEMBERS; i++) {
		const char *m = (const char *)d + members[i].off;
		len[i] = (uint16_t)(members[i].text
					    ? strnlen(m, members[i].size - 1) + 1
					    : members[i].size);
		total += len[i];
	}
	struct row *r = malloc(sizeof *r + total);
	if (!r)
		return NULL;
	r->bytes = (uint32_t)(sizeof *r + total);
	memcpy(r->len, len, sizeof len);
	unsigned char *p = r->data;
	for (size_t i = 0; i < NMEMBERS; i++) {
		memcpy(p, (const char *)d + members[i].off, len[i]);
		p += len[i];
		if (members[i].text)
			p[-1] = 0;
	}
	return r;
}

static void unpack(const struct row *r, struct store_document *d)
{
	const unsigned char *p = r->data;
	for (size_t i = 0; i < NMEMBERS; i++) {
		memcpy((char *)d + members[i].off, p, r->len[i]);
		p += r->len[i];
	}
}

/* Twice the slots, the GONE ones left behind. */
static int grow(struct vindex *ix)
{
	struct slot *old = ix->slots;
	size_t oldcap = ix->cap;
	size_t cap = oldcap ? oldcap * 2 : 1024;
	struct slot *slots = calloc(cap, sizeof *slots);
	if (!slots)
		return TB_ENOMEM;
	ix->slots = slots;
	ix->cap = cap;
	ix->used = 0;
	for (size_t i = 0; i < oldcap; i++) {
		if (!old[i].row || old[i].row == GONE)
			continue;
		*find(ix, old[i].key) = old[i];
		ix->used++;
	}
	free(old);
	return 0;
}

/* Puts r (NULL: takes the key's row out). Under the write lock. */
static int place(struct vindex *ix, uint64_t k, struct row *r)
{
	if ((ix->used + 1) * 4 > ix->cap * 3 && grow(ix) < 0)
		return TB_ENOMEM;
	struct slot *sl = find(ix, k);
	if (sl->row && sl->row != GONE) {
		ix->bytes -= sl->row->bytes;
		ix->rows--;
		free(sl->row);
	} else if (!sl->row) {
		if (!r)
			return 0;
		ix->used++;
		sl->key = k;
	}
	sl->row = r ? r : GONE;
	if (r) {
		ix->bytes += r->bytes;
		ix->rows++;
	}
	return 0;
}

/* A row read from the store, if it may be kept: sealed. *out NULL
 * otherwise (or when memory ran out, which only costs speed). */
static struct row *checked(const struct vindex *ix,
			   const struct store_document *d)
{
	return issue_doc_seal_ok(ix->kr, d) ? pack(d) : NULL;
}

struct loading {
	struct vindex *ix;
	size_t left_out;
};

static int load_row(const struct store_document *d, void *arg)
{
	struct loading *l = arg;
	uint64_t k;
	struct row *r = serial_key(d->serial, &k) ? checked(l->ix, d) : NULL;
	if (!r) {
		l->left_out++;
		return 0;
	}
	if (place(l->ix, k, r) < 0) {
		free(r);
		return TB_ENOMEM;
	}
	return 0;
}

int vindex_load(struct store *s, const struct keyring *kr,
		struct vindex **out, struct buf *err)
{
	struct vindex *ix = calloc(1, sizeof *ix);
	*out = NULL;
	if (!ix)
		return tb_err(err, TB_ENOMEM, "memori habis");
	pthread_rwlock_init(&ix->lock, NULL);
	ix->kr = kr;
	struct loading l = { ix, 0 };
	/* The log's position first: a row changed while the scan runs is
	 * read again by the next sync, never missed. */
	int64_t first;
	int rc = grow(ix);
	if (rc == 0)
		rc = store_doc_changes_span(s, &first, &ix->last, err);
	if (rc == 0)
		rc = store_doc_scan(s, load_row, &l, err);
	if (rc == TB_ENOMEM && !err->len)
		rc = tb_err(err, rc, "memori habis");
	if (rc < 0) {
		vindex_free(ix);
		return rc;
	}
	/* Those rows are answered from the database, which says FORGED
	 * and logs each serial as it is asked. */
	if (l.left_out)
		log_warn("verifikasi: %zu dokumen tanpa segel yang sah tidak "
			 "dimuat ke memori", l.left_out);
	*out = ix;
	return 0;
}

void vindex_free(struct vindex *ix)
{
	if (!ix)
		return;
	for (size_t i = 0; i < ix->cap; i++)
		if (ix->slots[i].row != GONE)
			free(ix->slots[i].row);
	free(ix->slots);
	pthread_rwlock_destroy(&ix->lock);
	free(ix);
}

/* The rows of one sync, read and checked before the lock is taken. */
struct change {
	uint64_t key;
	struct row *row; /* NULL: the row leaves the index */
};
struct changes {
	struct change *v;
	size_t n, cap;
	int64_t end;
	char (*serials)[SERIAL_LEN + 1];
	size_t ns, scap;
};

static int collect(int64_t seq, const char *serial, void *arg)
{
	struct changes *c = arg;
	c->end = seq;
	/* The gate inserts a row and then seals it: one read for both. */
	if (strlen(serial) != SERIAL_LEN ||
	    (c->ns && strcmp(c->serials[c->ns - 1], serial) == 0))
		return 0;
	if (vec_reserve(&c->serials, &c->scap, c->ns, sizeof *c->serials,
			16) < 0)
		return TB_ENOMEM;
	memcpy(c->serials[c->ns++], serial, SERIAL_LEN + 1);
	return 0;
}

/* Each collected serial's row as it is now (on the caller's snapshot). */
static int read_rows(struct vindex *ix, struct store *s, struct changes *c,
		     struct buf *err)
{
	struct store_document d;
	for (size_t i = 0; i < c->ns; i++) {
		uint64_t k;
		if (!serial_key(c->serials[i], &k))
			continue;
		int rc = store_doc_lookup(s, c->serials[i], &d, err);
		if (rc < 0 && rc != TB_ENOTFOUND)
			return rc;
		buf_reset(err);
		if (vec_reserve(&c->v, &c->cap, c->n, sizeof *c->v, 16) < 0)
			return TB_ENOMEM;
		c->v[c->n].key = k;
		c->v[c->n].row = rc == 0 ? checked(ix, &d) : NULL;
		c->n++;
	}
	return 0;
}

/*
 * The log no longer reaches back to the index's position: pruned past
 * it (migration 14 keeps the last 65,536 entries) or, behind terbit's
 * back, emptied (its seq then starts again below ours: backwards). Every
 * row is read again on this snapshot and the whole table swapped in,
 * unless another thread has already put in one as new.
 */
static int reload(struct vindex *ix, struct store *s, int backwards,
		  struct buf *err)
{
	struct vindex *fresh;
	int rc = vindex_load(s, ix->kr, &fresh, err);
	if (rc < 0)
		return rc;
	pthread_rwlock_wrlock(&ix->lock);
	if (backwards || fresh->last > ix->last) {
		/* fresh takes the old table, and frees it below. */
		struct slot *old_slots = ix->slots;
		size_t old_cap = ix->cap;
		ix->slots = fresh->slots;
		ix->cap = fresh->cap;
		ix->used = fresh->used;
		ix->rows = fresh->rows;
		ix->bytes = fresh->bytes;
		ix->last = fresh->last;
		fresh->slots = old_slots;
		fresh->cap = old_cap;
		log_info("verifikasi: log perubahan tidak lagi menjangkau "
			 "posisi memori; registri dibaca ulang (%zu dokumen)",
			 ix->rows);
	}
	pthread_rwlock_unlock(&ix->lock);
	vindex_free(fresh);
	return 0;
}

int vindex_sync(struct vindex *ix, struct store *s, struct buf *err)
{
	struct changes c = { 0 };
	pthread_rwlock_rdlock(&ix->lock);
	int64_t after = ix->last;
	pthread_rwlock_unlock(&ix->lock);
	int64_t first, newest;
	int rc = store_doc_changes_span(s, &first, &newest, err);
	if (rc < 0)
		return rc;
	if (newest < after || first > after + 1)
		return reload(ix, s, newest < after, err);
	rc = store_doc_changes(s, after, collect, &c, err);
	if (rc == 0)
		rc = read_rows(ix, s, &c, err);
	size_t applied = 0;
	if (rc == 0 && c.end > after) {
		pthread_rwlock_wrlock(&ix->lock);
		/* Another thread may have applied a newer snapshot since. */
		if (c.end > ix->last) {
			while (applied < c.n &&
			       (rc = place(ix, c.v[applied].key,
					   c.v[applied].row)) == 0)
				applied++;
			ix->last = rc == 0 ? c.end : ix->last;
		}
		pthread_rwlock_unlock(&ix->lock);
	}
	/* A row not placed (an older snapshot, or no memory) is freed; a
	 * failed place leaves the index as it was for that row, and the
	 * next sync reads it all again (ix->last did not move). */
	for (size_t i = applied; i < c.n; i++)
		free(c.v[i].row);
	free(c.v);
	free(c.serials);
	if (rc == TB_ENOMEM && !err->len)
		rc = tb_err(err, rc, "memori habis");
	return rc;
}

int vindex_get(struct vindex *ix, const char *serial,
	       struct store_document *out)
{
	uint64_t k;
	if (!ix || !serial_key(serial, &k))
		return 0;
	pthread_rwlock_rdlock(&ix->lock);
	const struct slot *sl = find(ix, k);
	int found = sl->row && sl->row != GONE;
	if (found)
		unpack(sl->row, out);
	pthread_rwlock_unlock(&ix->lock);
	return found;
}

void vindex_stats(struct vindex *ix, size_t *rows, size_t *bytes)
{
	pthread_rwlock_rdlock(&ix->lock);
	*rows = ix->rows;
	*bytes = ix->bytes + ix->cap * sizeof *ix->slots;
	pthread_rwlock_unlock(&ix->lock);
}
