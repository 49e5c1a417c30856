/*
 * The registry's status list: the rows not in force (store), as the
 * signed file (sign/statuslist), and the server's shared copy of it.
 */
#include "issue/status.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/digest.h"
#include "core/err.h"
#include "core/fmt.h"
#include "core/str.h"
#include "core/vec.h"
#include "sign/statuslist.h"

uint32_t issue_status_issuer(const char *regency)
{
	size_t n = regency ? strlen(regency) : 0;
	if ((n != 2 && n != 4) || !str_is_digits(regency, n))
		return 0;
	return (uint32_t)strtoul(regency, NULL, 10);
}

struct entries {
	struct status_entry *e;
	size_t n, cap;
	struct buf *err;
};

static int day_of(const char *iso, int64_t *day)
{
	char d[11];
	int y, m, dd;
	if (strlen(iso) < 10)
		return TB_EINVAL;
	memcpy(d, iso, 10);
	d[10] = 0;
	if (date_parse(d, &y, &m, &dd) < 0)
		return TB_EINVAL;
	*day = date_to_days(y, m, dd);
	return 0;
}

static int add_entry(const struct store_doc_status *d, void *arg)
{
	struct entries *es = arg;
	struct status_entry e = { .code = STATUS_OTHER };
	if (str_unhex_upper(e.serial, d->serial, STATUS_SERIAL_LEN) < 0)
		return tb_err(es->err, TB_EDB, "nomor seri tidak sah: %s",
			      d->serial);
	if (d->state == DOC_REVOKED || d->state == DOC_SUPERSEDED) {
		e.code = d->state == DOC_REVOKED ? STATUS_REVOKED
						 : STATUS_SUPERSEDED;
		if (day_of(d->changed_at, &e.day) < 0)
			return tb_err(es->err, TB_EDB, "waktu pencabutan %s "
				      "tidak terbaca", d->serial);
	} else {
		e.day = d->expires_day + 1;
	}
	if (vec_reserve(&es->e, &es->cap, es->n, sizeof *es->e, 256) < 0)
		return tb_err(es->err, TB_ENOMEM, "memori habis");
	es->e[es->n++] = e;
	return 0;
}

static int collect(struct store *s, int64_t today, struct entries *es,
		   struct buf *err)
{
	es->err = err;
	return store_doc_status_each(s, today, add_entry, es, err);
}

int issue_status_make(struct store *s, const struct keyring *kr,
		      uint32_t issuer, int64_t now, int64_t today,
		      int64_t next_secs, struct buf *out, struct buf *err)
{
	struct entries es = { 0 };
	int rc = collect(s, today, &es, err);
	if (rc == 0)
		rc = status_make(kr, issuer, now, now + next_secs, es.e, es.n,
				 out, err);
	free(es.e);
	return rc;
}

/* ---- the server's copy ---- */

/* Handles seen, one per server thread; past this many the cache still
 * answers right, it just looks more often. */
#define MAX_HANDLES 64

struct issue_status_cache {
	pthread_mutex_t lock;
	const struct keyring *kr;
	uint32_t issuer;
	int64_t next_secs;
	struct entries es;          /* what text says */
	struct buf text;
	char etag[ISSUE_STATUS_ETAG_LEN];
	int64_t made;               /* of text; 0: none yet */
	int64_t today;              /* the day es was read for */
	struct {
		const struct store *s;
		struct store_stamp st;
	} seen[MAX_HANDLES];
	size_t nseen;
};

int issue_status_cache_new(const struct keyring *kr, uint32_t issuer,
			   int64_t next_secs, struct issue_status_cache **out,
			   struct buf *err)
{
	struct issue_status_cache *c = calloc(1, sizeof *c);
	if (!c)
		return tb_err(err, TB_ENOMEM, "memori habis");
	if (issuer == 0 || issuer > STATUS_ISSUER_MAX) {
		free(c);
		return tb_err(err, TB_EINVAL, "kode penerbit tidak sah");
	}
	pthread_mutex_init(&c->lock, NULL);
	c->kr = kr;
	c->issuer = issuer;
	c->next_secs = next_secs;
	buf_init(&c->text, 0);
	*out = c;
	return 0;
}

void issue_status_cache_free(struct issue_status_cache *c)
{
	if (!c)
		return;
	pthread_mutex_destroy(&c->lock);
	free(c->es.e);
	buf_release(&c->text);
	free(c);
}

static int same_entries(const struct entries *a, const struct entries *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (memcmp(a->e[i].serial, b->e[i].serial, STATUS_SERIAL_LEN) ||
		    a->e[i].code != b->e[i].code || a->e[i].day != b->e[i].day)
			return 0;
	return 1;
}

/* Reads the rows again; a new text only when they differ or the old one
 * is due. Under the lock. */
static int refresh(struct issue_status_cache *c, struct store *s, int64_t now,
		   int64_t today, struct buf *err)
{
	struct entries es = { 0 };
	struct buf text = BUF_INIT;
	unsigned char md[SHA256_LEN];
	int rc = collect(s, today, &es, err);
	if (rc < 0)
		goto out;
	if (c->made && now - c->made < ISSUE_STATUS_REFRESH &&
	    same_entries(&es, &c->es))
		goto out;
	if ((rc = status_make(c->kr, c->issuer, now, now + c->next_secs, es.e,
			      es.n, &text, err)) < 0)
		goto out;
	digest_sha256(text.data, text.len, md);
	c->etag[0] = '"';
	str_hex(c->etag + 1, md, 16);
	c->etag[33] = '"';
	c->etag[34] = 0;
	buf_release(&c->text);
	c->text = text;
	text = (struct buf)BUF_INIT;
	free(c->es.e);
	c->es = es;
	es = (struct entries){ 0 };
	c->made = now;
	c->today = today;
out:
	free(es.e);
	buf_release(&text);
	return rc;
}

int issue_status_cache_get(struct issue_status_cache *c, struct store *s,
			   struct buf *out, char etag[ISSUE_STATUS_ETAG_LEN],
			   struct buf *err)
{
	struct store_stamp st;
	int64_t now = (int64_t)time(NULL), today = date_today();
	/* Taken before the rows are read, like the answer cache's. */
	int rc = store_stamp(s, &st, err);
	if (rc < 0)
		return rc;
	pthread_mutex_lock(&c->lock);
	size_t i = 0;
	while (i < c->nseen && c->seen[i].s != s)
		i++;
	int known = i < c->nseen && c->seen[i].st.others == st.others &&
		    c->seen[i].st.own == st.own;
	if (!known || !c->made || today != c->today ||
	    now - c->made >= ISSUE_STATUS_REFRESH)
		rc = refresh(c, s, now, today, err);
	if (rc == 0 && i == c->nseen && c->nseen < MAX_HANDLES)
		c->nseen++;
	if (rc == 0 && i < c->nseen) {
		c->seen[i].s = s;
		c->seen[i].st = st;
	}
	if (rc == 0 && buf_add(out, c->text.data, c->text.len) < 0)
		rc = tb_err(err, TB_ENOMEM, "memori habis");
	if (rc == 0)
		memcpy(etag, c->etag, ISSUE_STATUS_ETAG_LEN);
	pthread_mutex_unlock(&c->lock);
	return rc;
}
