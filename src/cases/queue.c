/*
 * What the web pages list: queues of cases by how long they have waited
 * in their state, a village operator's home (counts and "perlu
 * tindakan"), and a case's timeline. Read-only. The scope is wf_scope,
 * the prefix form of wf_can_see, applied in SQL; each row read is still
 * checked with wf_can_see.
 */
#include "cases/cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/fmt.h"
#include "core/ids.h"
#include "core/vec.h"

/* ---- timeline ----------------------------------------------------- */

struct steps {
	struct cases_step *v;
	size_t n, cap;
};

static struct cases_step *step_push(struct steps *l)
{
	if (vec_reserve(&l->v, &l->cap, l->n, sizeof *l->v, 8) < 0)
		return NULL;
	memset(&l->v[l->n], 0, sizeof l->v[0]);
	return &l->v[l->n++];
}

/*
 * case.new opens the case as a draft; a case.move note is "from -> to"
 * or "from -> to: note", as cases_move writes it.
 */
static int step_row(const struct store_audit *a, void *arg)
{
	struct steps *l = arg;
	const char *arrow = NULL;
	int is_new = !strcmp(a->action, "case.new");
	if (!is_new && (strcmp(a->action, "case.move") != 0 ||
			!(arrow = strstr(a->note, " -> "))))
		return 0;
	struct cases_step *st = step_push(l);
	if (!st)
		return TB_ENOMEM;
	snprintf(st->at, sizeof st->at, "%s", a->at);
	snprintf(st->actor, sizeof st->actor, "%s", a->actor);
	snprintf(st->role, sizeof st->role, "%s", a->role);
	if (is_new) {
		snprintf(st->to, sizeof st->to, "%s", state_name(ST_DRAFT));
		return 0;
	}
	const char *to = arrow + 4, *colon = strstr(to, ": ");
	size_t tolen = colon ? (size_t)(colon - to) : strlen(to);
	snprintf(st->from, sizeof st->from, "%.*s", (int)(arrow - a->note),
		 a->note);
	snprintf(st->to, sizeof st->to, "%.*s", (int)tolen, to);
	if (colon)
		snprintf(st->note, sizeof st->note, "%s", colon + 2);
	return 0;
}

/* Every step of case id, no access check (the callers have made it). */
static int steps_load(struct store *s, int64_t id, struct steps *l,
		      struct buf *err)
{
	char object[32];
	snprintf(object, sizeof object, "case:%lld", (long long)id);
	int rc = store_audit_each(s, object, step_row, l, err);
	if (rc == TB_ENOMEM)
		rc = tb_err(err, rc, "memori habis");
	if (rc < 0) {
		free(l->v);
		memset(l, 0, sizeof *l);
	}
	return rc;
}

int cases_timeline(struct store *s, const struct cases_actor *a, int64_t id,
		   struct cases_step **out, size_t *n, struct buf *err)
{
	struct store_case c;
	struct steps l = { 0 };
	*out = NULL;
	*n = 0;
	int rc = cases_get(s, a, id, &c, err);
	if (rc < 0 || (rc = steps_load(s, id, &l, err)) < 0)
		return rc;
	*out = l.v;
	*n = l.n;
	return 0;
}

/* ---- queues ------------------------------------------------------- */

/* The case row, and who brought it into its state with what note: the
 * timeline's last step, from the one audit row the queue brought with
 * the case (store_queue_row.step) rather than from the whole history. */
static int queue_item(const struct cases_actor *a,
		      const struct store_queue_row *q,
		      struct cases_queue_item *it, struct buf *err)
{
	struct steps l = { 0 };
	it->c = q->c;
	/* The SQL scope is wf_scope's prefix; this is the same rule, asked
	 * the way every single-case operation asks it. */
	if (a && !wf_can_see(a->role, a->region, it->c.village_code))
		return tb_err(err, TB_EPERM, "kasus %lld di luar wilayah %s",
			      (long long)q->id, a->name);
	snprintf(it->state_since, sizeof it->state_since, "%s", q->state_since);
	it->waiting_s = q->waiting_s;
	if (q->step.id && step_row(&q->step, &l) < 0)
		return tb_err(err, TB_ENOMEM, "memori habis");
	if (l.n && !strcmp(l.v[l.n - 1].to, it->c.state)) {
		snprintf(it->moved_by, sizeof it->moved_by, "%s",
			 l.v[l.n - 1].actor);
		snprintf(it->note, sizeof it->note, "%s", l.v[l.n - 1].note);
	}
	free(l.v);
	return 0;
}

/* cases_queue with the page's length: limit rows from offset. */
static int queue_page(struct store *s, const struct cases_actor *a,
		      const char *state, enum cases_wait_sort sort,
		      size_t offset, size_t limit,
		      struct cases_queue_item **out, size_t *n, size_t *total,
		      struct buf *err)
{
	struct store_queue_row *rows = NULL;
	size_t nrows = 0;
	char prefix[REGION_CODE_MAX + 1];
	int rc;
	*out = NULL;
	*n = 0;
	if ((rc = cases_scope(a, prefix, err)) < 0)
		return rc;
	if (state && state_parse(state) < 0)
		return tb_err(err, TB_EINVAL, "status tidak dikenal: %s", state);
	struct store_queue_query q = {
		.state = state,
		.prefix = prefix,
		.newest_first = sort == CASES_WAIT_SHORTEST,
		/* The precise clock state_since was stamped by (fmt.h). */
		.now = clock_now(),
		.offset = offset,
		.limit = limit,
	};
	if ((rc = store_case_queue(s, &q, &rows, &nrows, total, err)) < 0)
		return rc;
	if (nrows && !(*out = calloc(nrows, sizeof **out))) {
		rc = tb_err(err, TB_ENOMEM, "memori habis");
		goto out;
	}
	for (size_t i = 0; i < nrows; i++)
		if ((rc = queue_item(a, &rows[i], &(*out)[i], err)) < 0)
			goto out;
	*n = nrows;
out:
	free(rows);
	if (rc < 0) {
		free(*out);
		*out = NULL;
	}
	return rc;
}

int cases_queue(struct store *s, const struct cases_actor *a,
		const char *state, enum cases_wait_sort sort, size_t offset,
		struct cases_queue_item **out, size_t *n, size_t *total,
		struct buf *err)
{
	return queue_page(s, a, state, sort, offset, CASES_PAGE, out, n, total,
			  err);
}

int cases_queue_oldest(struct store *s, const struct cases_actor *a,
		       const char *state, struct cases_queue_item **out,
		       size_t *n, size_t *total, struct buf *err)
{
	return queue_page(s, a, state, CASES_WAIT_LONGEST, 0, 1, out, n, total,
			  err);
}

/* ---- home --------------------------------------------------------- */

/* The state from which role's move needs `need` (a WF_NEED_* bit): what
 * the actor has to supply there. -1 when role has no such move. */
static int state_needing(enum role role, unsigned need)
{
	for (size_t i = 0; i < wf_table_len; i++)
		if ((wf_table[i].roles & (1u << role)) &&
		    (wf_table[i].requires & need))
			return (int)wf_table[i].from;
	return -1;
}

static int home_list(struct store *s, const struct cases_actor *a, int st,
		     struct cases_queue_item **out, size_t *n, size_t *total,
		     struct buf *err)
{
	if (st < 0)
		return 0;
	return cases_queue(s, a, state_name((enum case_state)st),
			   CASES_WAIT_LONGEST, 0, out, n, total, err);
}

static int home_ready(struct store *s, const struct cases_actor *a,
		      const char *prefix, struct cases_home *h,
		      struct buf *err)
{
	struct store_doc_ref *refs = NULL;
	size_t nrefs = 0;
	int rc = store_doc_undownloaded(s, prefix, date_today(),
					role_name(a->role), 0, CASES_PAGE,
					&refs, &nrefs, &h->total_ready, err);
	if (rc < 0)
		return rc;
	if (nrefs && !(h->ready = calloc(nrefs, sizeof *h->ready))) {
		rc = tb_err(err, TB_ENOMEM, "memori habis");
		goto out;
	}
	for (size_t i = 0; i < nrefs && rc == 0; i++)
		if ((rc = store_doc_get(s, refs[i].serial, &h->ready[i], err)) == 0)
			h->nready++;
out:
	free(refs);
	return rc;
}

int cases_home(struct store *s, const struct cases_actor *a,
	       struct cases_home *h, struct buf *err)
{
	struct store_state_count *counts = NULL;
	size_t ncounts = 0;
	char prefix[REGION_CODE_MAX + 1];
	int rc;
	memset(h, 0, sizeof *h);
	if (!a)
		return tb_err(err, TB_EPERM, "halaman beranda memerlukan pengguna");
	if ((rc = cases_scope(a, prefix, err)) < 0)
		return rc;
	if ((rc = store_case_count_in(s, prefix, &counts, &ncounts, err)) < 0)
		return rc;
	for (size_t i = 0; i < ncounts; i++) {
		int st = state_parse(counts[i].state);
		if (st >= 0)
			h->counts[st] = counts[i].n;
		h->total += counts[i].n;
	}
	free(counts);
	if ((rc = home_list(s, a, ST_RETURNED, &h->returned, &h->nreturned,
			    &h->total_returned, err)) < 0 ||
	    (rc = home_list(s, a, state_needing(a->role, WF_NEED_SURVEY),
			    &h->survey, &h->nsurvey, &h->total_survey,
			    err)) < 0 ||
	    (rc = home_list(s, a, state_needing(a->role, WF_NEED_VERIFIKASI),
			    &h->verification, &h->nverification,
			    &h->total_verification, err)) < 0 ||
	    (rc = home_ready(s, a, prefix, h, err)) < 0)
		cases_home_release(h);
	return rc;
}

void cases_home_release(struct cases_home *h)
{
	free(h->returned);
	free(h->survey);
	free(h->verification);
	free(h->ready);
	memset(h, 0, sizeof *h);
}
