/*
 * The dashboard's numbers are right: a database whose every move,
 * issuance, revocation, reissue and refusal happened at a time this test
 * chose (the store's clock, never sleep), made through the real case and
 * issue operations, with random returns and resubmissions; then every
 * figure of stats_compute is checked against a recount done here from
 * the test's own list of what it did (never from the database), for the
 * regency, a kecamatan officer and a village operator, a rolling window
 * and a past calendar month. Run from the repository root (or set
 * TERBIT_ROOT).
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/csv.h"
#include "core/err.h"
#include "core/fmt.h"
#include "core/jsonread.h"
#include "core/str.h"
#include "issue/issue.h"
#include "render/render.h"
#include "sign/keys.h"
#include "stats/stats.h"

#define NCASES 72
#define DAY 86400
#define HOUR 3600
#define SUBMITTED_LIMIT_H 48 /* the test policy's stage_limit_hours_submitted */

static const char *const villages[] = { "3510052001", "3510052002",
					"3510062001", "3510062002" };

/* ---- what the test did, in its own words --------------------------- */

struct move {
	int64_t t;
	enum case_state from, to;
};

struct tcase {
	int64_t id;
	const char *village;
	int64_t created;
	struct move moves[40];
	size_t nmoves;
};

struct tdoc {
	int64_t case_id, t;
	int letter;                 /* 0: card */
	int reissue;                /* 1: document.reissue */
};

struct tevent {
	int64_t case_id, t;
	char key[64];
};

struct env {
	char dir[64];
	struct store *s;
	struct policy *p;
	struct render_ctx *r;
	struct keyring *kr;
	struct issue_ctx ctx;
	struct cases_actor desa[4], dinkes, camat5, camat6, dinsos, admin,
		faskes;
	int64_t clock, now;
	uint64_t rng;
	struct tcase cases[NCASES];
	struct tdoc docs[NCASES * 4];
	size_t ndocs;
	struct tevent revokes[NCASES], reissues[NCASES], refusals[NCASES * 2];
	size_t nrevokes, nreissues, nrefusals;
	struct elig_answer *ans;
	size_t nans;
	struct buf err;
};

static int64_t test_clock(void *arg)
{
	return *(int64_t *)arg;
}

/* xorshift64*: the test's own dice, the same on every run. */
static unsigned dice(struct env *e, unsigned n)
{
	e->rng ^= e->rng >> 12;
	e->rng ^= e->rng << 25;
	e->rng ^= e->rng >> 27;
	return (unsigned)((e->rng * 2685821657736338717ull) >> 33) % n;
}

/* The next moment of a case: minutes to days later, mostly hours. */
static void later(struct env *e)
{
	static const int64_t spans[] = { 20 * 60, 3 * HOUR, 20 * HOUR,
					 60 * HOUR };
	e->clock += 60 + dice(e, (unsigned)spans[dice(e, 4)]);
}

/* ---- set-up ---------------------------------------------------------- */

static const char *root(void)
{
	const char *r = getenv("TERBIT_ROOT");
	return r && *r ? r : ".";
}

static int load_file(const char *rel, struct buf *out, struct buf *err)
{
	struct buf path = BUF_INIT;
	int rc = buf_addf(&path, "%s/%s", root(), rel);
	if (rc == 0)
		rc = buf_read_file(out, path.data, 0, err);
	buf_release(&path);
	return rc;
}

/* The sample policy with a 48-hour limit for "submitted". */
static int test_policy(struct env *e)
{
	struct buf text = BUF_INIT;
	int rc = load_file("policy/banyuwangi.policy", &text, &e->err);
	char *at = rc == 0 ? strstr(text.data, "[settings]\n") : NULL;
	if (!at) {
		buf_release(&text);
		return -1;
	}
	struct buf edited = BUF_INIT;
	size_t head = (size_t)(at - text.data) + strlen("[settings]\n");
	buf_add(&edited, text.data, head);
	buf_addf(&edited, "stage_limit_hours_submitted = %d\n",
		 SUBMITTED_LIMIT_H);
	buf_adds(&edited, text.data + head);
	rc = policy_parse(edited.data, edited.len, "uji.policy", &e->p,
			  &e->err);
	buf_release(&text);
	buf_release(&edited);
	return rc;
}

static int poorest_answers(struct env *e)
{
	e->nans = policy_indicator_count(e->p);
	e->ans = calloc(e->nans, sizeof *e->ans);
	if (!e->ans)
		return -1;
	for (size_t i = 0; i < e->nans; i++) {
		const struct policy_indicator *ind = policy_indicator(e->p, i);
		int min = ind->answers[0].value;
		for (size_t k = 1; k < ind->nanswers; k++)
			if (ind->answers[k].value < min)
				min = ind->answers[k].value;
		e->ans[i] = (struct elig_answer){ ind->code, min };
	}
	return 0;
}

static int people(struct env *e)
{
	struct buf csv = BUF_INIT, report = BUF_INIT, token = BUF_INIT;
	int rc = buf_adds(&csv, "nik,kk,name,birth_place,birth_date,sex,"
				"address,rt,rw,village_code\n");
	for (unsigned i = 0; rc == 0 && i < NCASES; i++) {
		const char *v = villages[i % 4];
		unsigned day = i % 28 + 1, month = i / 28 % 12 + 1;
		rc = buf_addf(&csv,
			      "%.6s%02u%02u70%04u,3510050101%06u,Warga Statistik %u,"
			      "Banyuwangi,1970-%02u-%02u,L,Dusun Krajan,001,002,%s\n",
			      v, day, month, i + 1, i, i, month, day, v);
	}
	if (rc == 0)
		rc = cases_import(e->s, NULL, CASES_IMPORT_RESIDENTS, csv.data,
				  csv.len, 0, &report, NULL, &e->err);
	rc = rc < 0 ? rc : 0; /* the import returns how many rows */
	static const struct {
		const char *name, *role, *region;
	} u[] = {
		{ "d0", "desa", "3510052001" }, { "d1", "desa", "3510052002" },
		{ "d2", "desa", "3510062001" }, { "d3", "desa", "3510062002" },
		{ "dk", "dinkes", NULL },       { "c5", "kecamatan", "351005" },
		{ "c6", "kecamatan", "351006" }, { "ds", "dinsos", NULL },
		{ "adm", "admin", NULL },       { "fk", "faskes", NULL },
	};
	struct cases_actor *slot[] = { &e->desa[0], &e->desa[1], &e->desa[2],
				       &e->desa[3], &e->dinkes,  &e->camat5,
				       &e->camat6,  &e->dinsos,  &e->admin,
				       &e->faskes };
	for (size_t i = 0; rc == 0 && i < ARRAY_SIZE(u); i++) {
		buf_reset(&token);
		rc = cases_user_add(e->s, NULL, u[i].name, u[i].role,
				    u[i].region, &token, &e->err);
		if (rc == 0)
			rc = cases_actor_load(e->s, u[i].name, slot[i], &e->err);
	}
	buf_release(&csv);
	buf_release(&report);
	buf_release(&token);
	return rc;
}

/* ---- the history ------------------------------------------------------ */

static const char pdf[] = "%PDF-1.4\nuji\n%%EOF\n";

static const char *const revoke_reasons[] = { "Data penduduk salah",
					       "Meninggal dunia",
					       "=HYPERLINK(\"x\")" };
static const char *const reissue_reasons[] = { "Kartu hilang",
					       "Kartu rusak" };

static int move(struct env *e, struct tcase *c, const struct cases_actor *a,
		enum case_state to, const char *note)
{
	struct store_case sc;
	later(e);
	if (e->clock >= e->now)
		return 1; /* the case is still waiting at the test's now */
	int rc = store_case_get(e->s, c->id, &sc, &e->err);
	if (rc == 0)
		rc = cases_move(e->s, e->p, a, c->id, state_name(to), note,
				&e->err);
	if (rc < 0) {
		fprintf(stderr, "move %lld -> %s: %s\n", (long long)c->id,
			state_name(to), e->err.data);
		return rc;
	}
	struct move *m = &c->moves[c->nmoves++];
	m->t = e->clock;
	m->from = (enum case_state)state_parse(sc.state);
	m->to = to;
	return 0;
}

static int refuse(struct env *e, struct tcase *c)
{
	struct issue_result res;
	later(e);
	if (e->clock >= e->now)
		return 1;
	if (issue_document(&e->ctx, &e->dinsos, c->id, ISSUE_LETTER, &res,
			   NULL, &e->err) != TB_ECONFLICT)
		return -1;
	struct tevent *ev = &e->refusals[e->nrefusals++];
	ev->case_id = c->id;
	ev->t = e->clock;
	snprintf(ev->key, sizeof ev->key, "not_approved");
	return 0;
}

/* After approval: a letter and maybe a card, then maybe a revocation
 * or a reissue. */
static int documents(struct env *e, struct tcase *c)
{
	struct issue_result res;
	for (int kind = 0; kind < 2; kind++) {
		if (kind == 1 && dice(e, 2))
			continue;
		later(e);
		if (e->clock >= e->now)
			return 1;
		enum issue_kind k = kind ? ISSUE_CARD : ISSUE_LETTER;
		if (issue_document(&e->ctx, &e->dinsos, c->id, k, &res, NULL,
				   &e->err) < 0)
			return -1;
		e->docs[e->ndocs++] = (struct tdoc){ c->id, e->clock, !kind, 0 };
		unsigned what = dice(e, 6);
		if (what > 1)
			continue;
		later(e);
		if (e->clock >= e->now)
			return 1;
		char serial[SERIAL_LEN + 1];
		memcpy(serial, res.doc.serial, sizeof serial);
		if (what == 0) {
			const char *why = revoke_reasons[dice(e, 3)];
			if (issue_revoke(&e->ctx, &e->dinsos, serial, why,
					 &e->err) < 0)
				return -1;
			struct tevent *ev = &e->revokes[e->nrevokes++];
			*ev = (struct tevent){ c->id, e->clock, "" };
			snprintf(ev->key, sizeof ev->key, "%s", why);
		} else {
			const char *why = reissue_reasons[dice(e, 2)];
			if (issue_reissue(&e->ctx, &e->dinsos, serial, why, &res,
					  NULL, &e->err) < 0)
				return -1;
			e->docs[e->ndocs++] =
				(struct tdoc){ c->id, e->clock, !kind, 1 };
			struct tevent *ev = &e->reissues[e->nreissues++];
			*ev = (struct tevent){ c->id, e->clock, "" };
			snprintf(ev->key, sizeof ev->key, "%s", why);
		}
	}
	return 0;
}

/* One case's life from its opening until it ends or reaches now. */
static int live(struct env *e, struct tcase *c, unsigned i)
{
	const struct cases_actor *desa = &e->desa[i % 4];
	const struct cases_actor *camat = i % 4 < 2 ? &e->camat5 : &e->camat6;
	char nik[NIK_LEN + 1];
	int rc, surveyed = 0, verified = 0;
	snprintf(nik, sizeof nik, "%.6s%02u%02u70%04u", villages[i % 4],
		 i % 28 + 1, i / 28 % 12 + 1, i + 1);
	/* Opened any time in the last 75 days: the rolling window, the
	 * month before it and cases waiting now. */
	e->clock = e->now - 75 * DAY + dice(e, 75 * DAY);
	c->village = villages[i % 4];
	c->created = e->clock;
	if ((rc = cases_create(e->s, desa, nik, &c->id, &e->err)) < 0 ||
	    (rc = cases_attach(e->s, desa, c->id, "rujukan", "r.pdf", pdf,
			       sizeof pdf - 1, NULL, &e->err)) < 0)
		return rc;
	enum case_state st = ST_DRAFT;
	for (int steps = 0; steps < 30; steps++) {
		unsigned d = dice(e, 100);
		if (d < 3)
			return 0; /* left waiting where it is */
		if (d < 8 && st != ST_APPROVED && (rc = refuse(e, c)) != 0)
			return rc < 0 ? rc : 0;
		switch (st) {
		case ST_DRAFT:
		case ST_RETURNED:
			rc = move(e, c, desa, ST_SUBMITTED, NULL);
			st = ST_SUBMITTED;
			break;
		case ST_SUBMITTED:
			st = d < 75 ? ST_HEALTH_CHECKED
				    : d < 92 ? ST_RETURNED : ST_REJECTED;
			rc = move(e, c, &e->dinkes, st,
				  st == ST_HEALTH_CHECKED ? NULL : "catatan");
			break;
		case ST_HEALTH_CHECKED:
			if (!surveyed++ &&
			    (rc = cases_answers(e->s, e->p, desa, c->id, e->ans,
						e->nans, &e->err)) < 0)
				return rc;
			rc = move(e, c, desa, ST_SURVEYED, NULL);
			st = ST_SURVEYED;
			break;
		case ST_SURVEYED:
			st = d < 75 ? ST_RECOMMENDED
				    : d < 90 ? ST_RETURNED : ST_REJECTED;
			rc = move(e, c, camat, st, "catatan");
			break;
		case ST_RECOMMENDED:
			if (!verified++ &&
			    (rc = cases_attach(e->s, desa, c->id, "verifikasi",
					       "v.pdf", pdf, sizeof pdf - 1,
					       NULL, &e->err)) < 0)
				return rc;
			rc = move(e, c, desa, ST_VERIFIED, NULL);
			st = ST_VERIFIED;
			break;
		case ST_VERIFIED:
			st = d < 75 ? ST_APPROVED
				    : d < 90 ? ST_RETURNED : ST_REJECTED;
			rc = move(e, c, &e->dinsos, st,
				  st == ST_APPROVED ? NULL : "catatan");
			break;
		case ST_APPROVED:
			rc = documents(e, c);
			return rc < 0 ? rc : 0;
		default:
			return 0; /* rejected */
		}
		if (rc != 0)
			return rc < 0 ? rc : 0;
	}
	return 0;
}

static int env_setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	struct buf regions = BUF_INIT;
	buf_init(&e->err, 0);
	snprintf(e->dir, sizeof e->dir, "/tmp/terbit-stats-XXXXXX");
	if (!mkdtemp(e->dir))
		return -1;
	e->rng = 0x5EED5EED1234ull;
	e->now = date_to_days(2026, 11, 30) * DAY + 10 * HOUR;
	if (store_open(e->dir, &e->s, &e->err) < 0 ||
	    keys_init(e->dir, &e->err) < 0 || test_policy(e) < 0 ||
	    poorest_answers(e) < 0 ||
	    load_file("regions/3510.csv", &regions, &e->err) < 0 ||
	    cases_regions_import(e->s, regions.data, regions.len, "3510.csv",
				 &e->err) < 0 ||
	    people(e) < 0 || render_ctx_new(&e->r, root(), &e->err) < 0 ||
	    keyring_load(e->dir, &e->kr, &e->err) < 0) {
		fprintf(stderr, "set-up: %s\n", e->err.data);
		buf_release(&regions);
		return -1;
	}
	buf_release(&regions);
	e->ctx = (struct issue_ctx){ .store = e->s, .policy = e->p,
				     .render = e->r, .keys = e->kr };
	store_clock_set(e->s, test_clock, &e->clock);
	for (unsigned i = 0; i < NCASES; i++)
		if (live(e, &e->cases[i], i) < 0) {
			fprintf(stderr, "case %u: %s\n", i, e->err.data);
			return -1;
		}
	store_clock_set(e->s, NULL, NULL);
	*state = e;
	return 0;
}

static int env_teardown(void **state)
{
	struct env *e = *state;
	char cmd[96];
	if (!e)
		return 0; /* the set-up failed and said why */
	store_close(e->s);
	policy_free(e->p);
	render_ctx_free(e->r);
	keyring_free(e->kr);
	free(e->ans);
	buf_release(&e->err);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", e->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", e->dir);
	free(e);
	return 0;
}

/* ---- the recount, by brute force -------------------------------------- */

/* The smallest value v with at least p % of the values <= v: the
 * nearest-rank percentile by its definition, not by an index formula. */
static int64_t pct(const int64_t *v, size_t n, unsigned p)
{
	int64_t best = INT64_MAX;
	for (size_t i = 0; i < n; i++) {
		size_t le = 0;
		for (size_t k = 0; k < n; k++)
			le += v[k] <= v[i];
		if (le * 100 >= p * n && v[i] < best)
			best = v[i];
	}
	return best;
}

static void check_dist(const int64_t *v, size_t n,
		       const struct stats_dist *d, const char *what)
{
	int64_t max = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i] > max)
			max = v[i];
	if (d->n != n)
		fprintf(stderr, "%s: n %zu, expected %zu\n", what, d->n, n);
	assert_int_equal(d->n, n);
	if (!n)
		return;
	assert_int_equal(d->median_s, pct(v, n, 50));
	assert_int_equal(d->p90_s, pct(v, n, 90));
	assert_int_equal(d->max_s, max);
}

struct want {
	int by_state[ST__COUNT], total, overdue[STATS_NSTAGES];
	int submitted, returned, approved, rejected, letters, cards;
	int64_t wait[STATS_NSTAGES][NCASES];
	size_t nwait[STATS_NSTAGES];
	int64_t appr[NCASES], letter[NCASES];
	size_t nappr, nletter;
};

static int in_area(const char *village, const char *area)
{
	return !strncmp(village, area, strlen(area));
}

static int64_t limit_of(int stage)
{
	return stats_stages[stage] == ST_SUBMITTED ? SUBMITTED_LIMIT_H * HOUR
						   : 24 * HOUR;
}

/* Everything about the cases of area, in [from, to) as of at. */
static void recount(struct env *e, const char *area, int64_t from,
		    int64_t to, int64_t at, struct want *w)
{
	memset(w, 0, sizeof *w);
	for (size_t i = 0; i < NCASES; i++) {
		const struct tcase *c = &e->cases[i];
		if (!in_area(c->village, area) || c->created >= to)
			continue;
		int64_t sum[STATS_NSTAGES] = { 0 }, end[STATS_NSTAGES] = { 0 };
		int seen[STATS_NSTAGES] = { 0 };
		enum case_state st = ST_DRAFT;
		int64_t since = c->created, first_submit = -1;
		for (size_t k = 0; k < c->nmoves && c->moves[k].t < to; k++) {
			const struct move *m = &c->moves[k];
			int s = stats_stage_index(m->from);
			sum[s] += m->t - since;
			end[s] = m->t;
			seen[s] = 1;
			int inw = m->t >= from && m->t < to;
			if (m->from == ST_DRAFT && first_submit < 0) {
				first_submit = m->t;
				w->submitted += inw;
			}
			w->returned += inw && m->to == ST_RETURNED;
			w->rejected += inw && m->to == ST_REJECTED;
			if (inw && m->to == ST_APPROVED) {
				w->approved++;
				w->appr[w->nappr++] = m->t - first_submit;
			}
			st = m->to;
			since = m->t;
		}
		for (int s = 0; s < STATS_NSTAGES; s++)
			if (seen[s] && end[s] >= from && end[s] < to)
				w->wait[s][w->nwait[s]++] = sum[s];
		w->by_state[st]++;
		w->total++;
		int s = stats_stage_index(st);
		if (s >= 0 && at - since > limit_of(s))
			w->overdue[s]++;
		/* The first letter, its time from the approval. */
		int64_t approved = -1;
		for (size_t k = 0; k < c->nmoves; k++)
			if (c->moves[k].to == ST_APPROVED)
				approved = c->moves[k].t;
		int64_t first = -1;
		for (size_t k = 0; k < e->ndocs; k++)
			if (e->docs[k].case_id == c->id && e->docs[k].letter &&
			    !e->docs[k].reissue &&
			    (first < 0 || e->docs[k].t < first))
				first = e->docs[k].t;
		if (first >= from && first < to && approved >= 0)
			w->letter[w->nletter++] = first - approved;
		for (size_t k = 0; k < e->ndocs; k++)
			if (e->docs[k].case_id == c->id && e->docs[k].t >= from &&
			    e->docs[k].t < to) {
				w->letters += e->docs[k].letter;
				w->cards += !e->docs[k].letter;
			}
	}
}

static void check_area(struct env *e, const struct stats *st,
		       const struct stats_area *a, const char *area)
{
	struct want w;
	char what[64];
	recount(e, area, st->from, st->to, st->at, &w);
	for (int s = 0; s < ST__COUNT; s++)
		assert_int_equal(a->by_state[s], w.by_state[s]);
	assert_int_equal(a->total, w.total);
	for (int s = 0; s < STATS_NSTAGES; s++) {
		snprintf(what, sizeof what, "%s %s", area,
			 state_name(stats_stages[s]));
		check_dist(w.wait[s], w.nwait[s], &a->wait[s], what);
		assert_int_equal(a->overdue[s], w.overdue[s]);
	}
	check_dist(w.appr, w.nappr, &a->to_approval, "to approval");
	check_dist(w.letter, w.nletter, &a->to_letter, "to letter");
	assert_int_equal(a->submitted, w.submitted);
	assert_int_equal(a->returned, w.returned);
	assert_int_equal(a->approved, w.approved);
	assert_int_equal(a->rejected, w.rejected);
	assert_int_equal(a->letters, w.letters);
	assert_int_equal(a->cards, w.cards);
}

static const struct tcase *case_of(struct env *e, int64_t id)
{
	for (size_t i = 0; i < NCASES; i++)
		if (e->cases[i].id == id)
			return &e->cases[i];
	return NULL;
}

static int64_t wib_day(int64_t t)
{
	return (t + 7 * HOUR) / DAY;
}

/* How many of events in [from, to) inside scope carry key ("" = all). */
static int events_n(struct env *e, const struct tevent *ev, size_t n,
		    const char *scope, int64_t from, int64_t to,
		    const char *key)
{
	int k = 0;
	for (size_t i = 0; i < n; i++)
		k += ev[i].t >= from && ev[i].t < to &&
		     in_area(case_of(e, ev[i].case_id)->village, scope) &&
		     (!*key || !strcmp(ev[i].key, key));
	return k;
}

static void check_reasons(struct env *e, const struct stats *st,
			  const struct stats_reasons *r,
			  const struct tevent *ev, size_t n)
{
	int listed = 0;
	assert_int_equal(r->total,
			 events_n(e, ev, n, st->scope, st->from, st->to, ""));
	for (size_t i = 0; i < r->n; i++) {
		assert_int_equal(r->r[i].n, events_n(e, ev, n, st->scope,
						     st->from, st->to,
						     r->r[i].key));
		if (i)
			assert_true(r->r[i - 1].n >= r->r[i].n);
		listed += r->r[i].n;
	}
	assert_int_equal(listed, r->total);
}

/* Every figure of st against the recount. */
static void check_all(struct env *e, const struct stats *st)
{
	check_area(e, st, &st->all, st->scope);
	size_t areas = 0;
	for (size_t i = 0; i < st->nareas; i++) {
		assert_true(in_area(st->areas[i].code, st->scope));
		assert_int_equal(strlen(st->areas[i].code),
				 (size_t)st->area_digits);
		check_area(e, st, &st->areas[i], st->areas[i].code);
		areas++;
	}
	/* Every village of the scope with a case has its row. */
	size_t want_areas = 0;
	for (size_t v = 0; v < ARRAY_SIZE(villages); v++) {
		int first = 1;
		for (size_t k = 0; k < v; k++)
			first &= strncmp(villages[k], villages[v],
					 (size_t)st->area_digits) != 0;
		want_areas += first && in_area(villages[v], st->scope);
	}
	assert_int_equal(areas, want_areas);

	/* The overdue list: the cases open beyond their limit, longest
	 * waiting first. */
	size_t n = 0;
	int64_t prev_wait = INT64_MAX, prev_id = 0;
	for (size_t i = 0; i < NCASES; i++) {
		const struct tcase *c = &e->cases[i];
		if (!in_area(c->village, st->scope) || c->created >= st->to)
			continue;
		enum case_state s = ST_DRAFT;
		int64_t since = c->created;
		for (size_t k = 0; k < c->nmoves && c->moves[k].t < st->to; k++) {
			s = c->moves[k].to;
			since = c->moves[k].t;
		}
		int stage = stats_stage_index(s);
		if (stage < 0 || st->at - since <= limit_of(stage))
			continue;
		n++;
		size_t k;
		for (k = 0; k < st->noverdue; k++)
			if (st->overdue[k].case_id == c->id)
				break;
		assert_true(k < st->noverdue);
		assert_int_equal(st->overdue[k].state, s);
		assert_int_equal(st->overdue[k].since, since);
		assert_int_equal(st->overdue[k].waiting_s, st->at - since);
		assert_int_equal(st->overdue[k].limit_s, limit_of(stage));
	}
	assert_int_equal(st->noverdue, n);
	assert_true(n > 0 || st->all.total < 10);
	for (size_t k = 0; k < st->noverdue; k++) {
		const struct stats_overdue *o = &st->overdue[k];
		assert_true(o->waiting_s < prev_wait ||
			    (o->waiting_s == prev_wait && o->case_id > prev_id));
		prev_wait = o->waiting_s;
		prev_id = o->case_id;
	}

	/* Documents per day over the trend's 90 days. */
	int64_t last = wib_day(st->at - 1);
	for (int d = 0; d < STATS_TREND_DAYS; d++) {
		int letters = 0, cards = 0;
		assert_int_equal(st->trend[d].day, last - 89 + d);
		for (size_t k = 0; k < e->ndocs; k++) {
			const struct tdoc *doc = &e->docs[k];
			if (wib_day(doc->t) != st->trend[d].day ||
			    doc->t >= st->to ||
			    !in_area(case_of(e, doc->case_id)->village,
				     st->scope))
				continue;
			letters += doc->letter;
			cards += !doc->letter;
		}
		assert_int_equal(st->trend[d].letters, letters);
		assert_int_equal(st->trend[d].cards, cards);
	}
	check_reasons(e, st, &st->revocations, e->revokes, e->nrevokes);
	check_reasons(e, st, &st->reissues, e->reissues, e->nreissues);
	check_reasons(e, st, &st->refusals, e->refusals, e->nrefusals);
}

static void compute(struct env *e, const struct cases_actor *a, int days,
		    int year, int month, struct stats *st)
{
	struct stats_query q = { .actor = a, .now = e->now, .days = days,
				 .year = year, .month = month,
				 .policy = e->p };
	buf_reset(&e->err);
	int rc = stats_compute(e->s, &q, st, &e->err);
	if (rc < 0)
		fprintf(stderr, "stats: %s\n", e->err.data);
	assert_int_equal(rc, 0);
}

/* ---- the tests ------------------------------------------------------- */

/* The history the test made is varied enough to mean something. */
static void test_history_is_varied(void **state)
{
	struct env *e = *state;
	int returned = 0, resubmitted = 0, approved = 0, open = 0;
	for (size_t i = 0; i < NCASES; i++) {
		const struct tcase *c = &e->cases[i];
		for (size_t k = 0; k < c->nmoves; k++) {
			returned += c->moves[k].to == ST_RETURNED;
			resubmitted += c->moves[k].from == ST_RETURNED;
			approved += c->moves[k].to == ST_APPROVED;
		}
		enum case_state s = c->nmoves ? c->moves[c->nmoves - 1].to
					      : ST_DRAFT;
		open += stats_stage_index(s) >= 0;
	}
	assert_true(returned >= 5);
	assert_true(resubmitted >= 3);
	assert_true(approved >= 10);
	assert_true(open >= 10);
	assert_true(e->ndocs >= 10);
	assert_true(e->nrevokes >= 1);
	assert_true(e->nreissues >= 1);
	assert_true(e->nrefusals >= 3);
}

/* The regency, last 30 days: every figure against the recount. */
static void test_regency_30_days(void **state)
{
	struct env *e = *state;
	struct stats st;
	compute(e, &e->dinsos, 0, 0, 0, &st);
	assert_int_equal(st.days, 30);
	assert_int_equal(st.to, e->now);
	assert_int_equal(st.from, e->now - 30 * DAY);
	assert_int_equal(st.area_digits, 6);
	assert_int_equal(st.limit_s[stats_stage_index(ST_SUBMITTED)],
			 SUBMITTED_LIMIT_H * HOUR);
	assert_int_equal(st.all.total, NCASES);
	assert_non_null(strstr(st.areas[0].name, "Muncar"));
	/* Not a vacuous agreement: every kind of figure has values. */
	for (int i = 1; i < STATS_NSTAGES; i++)
		assert_true(st.all.wait[i].n > 0);
	assert_true(st.all.to_approval.n > 2);
	assert_true(st.all.to_letter.n > 2);
	assert_true(st.all.wait[1].median_s < st.all.wait[1].p90_s);
	if (getenv("STATS_DUMP")) {
		struct buf j = BUF_INIT;
		stats_to_json(&st, &j);
		fprintf(stderr, "%s\n", j.data);
		buf_release(&j);
	}
	check_all(e, &st);
	/* The names of the overdue cases, for the page. */
	assert_true(st.noverdue > 0);
	assert_memory_equal(st.overdue[0].name, "Warga Statistik ", 16);
	stats_release(&st);
}

/* Other windows: a week, and the whole 75 days. */
static void test_other_windows(void **state)
{
	struct env *e = *state;
	struct stats st;
	compute(e, &e->dinkes, 7, 0, 0, &st);
	check_all(e, &st);
	stats_release(&st);
	compute(e, &e->dinsos, 80, 0, 0, &st);
	check_all(e, &st);
	stats_release(&st);
}

/* A past calendar month (WIB): the state of every case at its end,
 * rebuilt from the log, and only that month's flows. */
static void test_past_month(void **state)
{
	struct env *e = *state;
	struct stats st;
	compute(e, &e->dinsos, 0, 2026, 10, &st);
	assert_int_equal(st.from, date_to_days(2026, 10, 1) * DAY - 7 * HOUR);
	assert_int_equal(st.to, date_to_days(2026, 11, 1) * DAY - 7 * HOUR);
	assert_int_equal(st.at, st.to);
	assert_true(st.all.total < NCASES);
	check_all(e, &st);
	stats_release(&st);
}

/* A kecamatan officer sees their kecamatan, village by village; a
 * village operator their village; nothing of the others. */
static void test_scope(void **state)
{
	struct env *e = *state;
	struct stats st;
	compute(e, &e->camat5, 0, 0, 0, &st);
	assert_string_equal(st.scope, "351005");
	assert_int_equal(st.area_digits, 10);
	assert_int_equal(st.nareas, 2);
	assert_string_equal(st.areas[0].code, "3510052001");
	assert_string_equal(st.areas[1].code, "3510052002");
	for (size_t k = 0; k < st.noverdue; k++)
		assert_memory_equal(st.overdue[k].village, "351005", 6);
	check_all(e, &st);
	stats_release(&st);

	compute(e, &e->desa[2], 0, 0, 0, &st);
	assert_string_equal(st.scope, "3510062001");
	assert_int_equal(st.nareas, 1);
	assert_string_equal(st.areas[0].code, "3510062001");
	for (size_t k = 0; k < st.noverdue; k++)
		assert_string_equal(st.overdue[k].village, "3510062001");
	check_all(e, &st);
	stats_release(&st);

	/* The administrator: the regency's figures, no residents' names;
	 * a health facility: nothing. */
	compute(e, &e->admin, 0, 0, 0, &st);
	assert_int_equal(st.all.total, NCASES);
	for (size_t k = 0; k < st.noverdue; k++)
		assert_string_equal(st.overdue[k].name, "");
	stats_release(&st);
	struct stats_query q = { .actor = &e->faskes, .now = e->now };
	assert_int_equal(stats_compute(e->s, &q, &st, &e->err), TB_EPERM);
	stats_release(&st);
}

static void test_bad_queries(void **state)
{
	struct env *e = *state;
	struct stats st;
	struct stats_query q = { .actor = &e->dinsos, .now = e->now,
				 .days = STATS_DAYS_MAX + 1 };
	assert_int_equal(stats_compute(e->s, &q, &st, &e->err), TB_EINVAL);
	stats_release(&st);
	q = (struct stats_query){ .actor = &e->dinsos, .now = e->now,
				  .year = 2027, .month = 1 };
	assert_int_equal(stats_compute(e->s, &q, &st, &e->err), TB_EINVAL);
	stats_release(&st);
	int y, m;
	assert_int_equal(stats_month_parse("2026-11", &y, &m, &e->err), 0);
	assert_int_equal(y * 100 + m, 202611);
	assert_int_equal(stats_month_parse("2026-13", &y, &m, &e->err),
			 TB_EINVAL);
	assert_int_equal(stats_month_parse("2026-1", &y, &m, &e->err),
			 TB_EINVAL);
}

/* The JSON is JSON and carries the same numbers. */
static void test_json(void **state)
{
	struct env *e = *state;
	struct stats st;
	struct buf out = BUF_INIT;
	struct jsonread d = { 0 };
	compute(e, &e->camat5, 0, 0, 0, &st);
	assert_int_equal(stats_to_json(&st, &out), 0);
	assert_int_equal(jsonread_parse(&d, out.data, out.len, &e->err), 0);
	char want[64];
	snprintf(want, sizeof want, "\"total\":%d", st.all.total);
	assert_non_null(strstr(out.data, want));
	snprintf(want, sizeof want, "\"median_s\":%lld",
		 (long long)st.all.to_approval.median_s);
	assert_non_null(strstr(out.data, want));
	assert_non_null(strstr(out.data, "\"area_level\":\"village\""));
	jsonread_release(&d);
	buf_release(&out);
	stats_release(&st);
}

/* The CSV reads back with the project's reader, numbers plain with a
 * '.', the revocation reason that looks like a formula defused. */
static void test_csv(void **state)
{
	struct env *e = *state;
	struct stats st;
	struct buf out = BUF_INIT;
	struct csv c;
	int rc, rows = 0, semua = 0;
	compute(e, &e->dinsos, 0, 0, 0, &st);
	assert_int_equal(stats_to_csv(&st, &out), 0);
	assert_memory_equal(out.data, "\xEF\xBB\xBF", 3);
	csv_init(&c, out.data, out.len);
	while ((rc = csv_next(&c, &e->err)) > 0) {
		rows++;
		for (size_t i = 0; i < c.nfields; i++) {
			assert_true(c.fields[i][0] != '=' &&
				    c.fields[i][0] != '-');
			assert_null(strchr(c.fields[i], ','));
		}
		if (c.nfields == 9 && !strcmp(c.fields[1], "Semua") &&
		    !strcmp(c.fields[2], "Diajukan")) {
			char h[32];
			int64_t v = st.all.wait[1].median_s;
			snprintf(h, sizeof h, "%lld.%02lld",
				 (long long)((v * 100 + 1800) / 360000),
				 (long long)((v * 100 + 1800) / 3600 % 100));
			assert_string_equal(c.fields[5], h);
			assert_string_equal(c.fields[3], "48.00");
			semua++;
		}
	}
	assert_int_equal(rc, 0);
	assert_int_equal(semua, 1);
	assert_true(rows > STATS_TREND_DAYS);
	if (st.revocations.total &&
	    events_n(e, e->revokes, e->nrevokes, "", st.from, st.to,
		     revoke_reasons[2]))
		assert_non_null(strstr(out.data, "\"'=HYPERLINK(\"\"x\"\")\""));
	csv_release(&c);
	buf_release(&out);
	stats_release(&st);
}

/* csv_row: quoting, and cells a spreadsheet would run defused. */
static void test_csv_row(void **state)
{
	(void)state;
	struct buf out = BUF_INIT;
	const char *f[] = { "biasa", "a,b", "kata \"kutip\"", "=1+2", "+62",
			    "-3", "@SUM(A1)", "\tx", "\ry", "", NULL, "1.5" };
	assert_int_equal(csv_row(&out, f, ARRAY_SIZE(f)), 0);
	assert_string_equal(out.data,
			    "biasa,\"a,b\",\"kata \"\"kutip\"\"\",\"'=1+2\","
			    "\"'+62\",\"'-3\",\"'@SUM(A1)\",\"'\tx\",\"'\ry\","
			    ",,1.5\r\n");
	buf_release(&out);
}

/* ---- the shared cache ------------------------------------------------ */

struct getter {
	const char *dir;
	struct stats_cache *c;
	struct stats_query q;
	pthread_barrier_t *go;
	int total;                  /* the figures' case count, -1 failed */
};

/* One server thread: its own handle, then the regency's figures. */
static void *get_in_thread(void *arg)
{
	struct getter *g = arg;
	struct store *s = NULL;
	struct buf err = BUF_INIT;
	const struct stats *st;
	g->total = -1;
	int rc = store_open(g->dir, &s, &err);
	pthread_barrier_wait(g->go);
	if (rc == 0 && stats_cache_get(g->c, s, &g->q, &st, &err) == 0) {
		g->total = st->all.total;
		stats_cache_put(g->c, st);
	}
	store_close(s);
	buf_release(&err);
	return NULL;
}

/* stats_cache_memo's maker and releaser, counting. */
static int memos_made, memos_freed;

static void *memo_make(const struct stats *st, void *arg)
{
	(void)arg;
	int *m = malloc(sizeof *m);
	if (m) {
		*m = st->all.total;
		memos_made++;
	}
	return m;
}

static void memo_free(void *m)
{
	memos_freed++;
	free(m);
}

/* An open case whose last step is an hour or more before now: one it
 * is safe to move at now minus a minute. */
static struct tcase *waiting_case(struct env *e, enum case_state state)
{
	for (size_t i = 0; i < NCASES; i++) {
		struct tcase *c = &e->cases[i];
		enum case_state s = c->nmoves ? c->moves[c->nmoves - 1].to
					      : ST_DRAFT;
		int64_t last = c->nmoves ? c->moves[c->nmoves - 1].t
					 : c->created;
		if (s == state && last < e->now - HOUR)
			return c;
	}
	return NULL;
}

/*
 * The cache serves the same figures until a commit: a second get in the
 * same minute is a hit; a workflow move (the shared commit counter
 * moves) makes the next get compute again, and those figures have the
 * move, agreeing with the recount; figures handed out before stay
 * readable until put back; threads asking at once compute once.
 */
static void test_cache(void **state)
{
	struct env *e = *state;
	struct stats_cache *c = stats_cache_new();
	struct stats_cache_counts n;
	const struct stats *a, *b, *d;
	struct stats_query q = { .actor = &e->dinsos, .now = e->now,
				 .policy = e->p };
	assert_non_null(c);
	assert_int_equal(stats_cache_get(c, e->s, &q, &a, &e->err), 0);
	check_all(e, a);
	q.now = e->now + 59; /* the same minute: the kept figures */
	assert_int_equal(stats_cache_get(c, e->s, &q, &b, &e->err), 0);
	assert_ptr_equal(a, b);
	stats_cache_counts(c, &n);
	assert_int_equal(n.computes, 1);
	assert_int_equal(n.hits, 1);
	/* A memo of the figures is made once, whoever asks. */
	const int *m1 = stats_cache_memo(c, a, memo_make, memo_free, NULL);
	const int *m2 = stats_cache_memo(c, b, memo_make, memo_free, NULL);
	assert_non_null(m1);
	assert_ptr_equal(m1, m2);
	assert_int_equal(*m1, NCASES);
	assert_int_equal(memos_made, 1);
	stats_cache_put(c, b);

	/* Another scope is another entry. */
	struct stats_query qk = q;
	qk.actor = &e->camat5;
	assert_int_equal(stats_cache_get(c, e->s, &qk, &d, &e->err), 0);
	assert_string_equal(d->scope, "351005");
	stats_cache_put(c, d);

	/* A move a minute before now, inside the window. */
	struct tcase *tc = waiting_case(e, ST_SUBMITTED);
	assert_non_null(tc);
	int si = ST_SUBMITTED, hi = ST_HEALTH_CHECKED;
	int was_sub = a->all.by_state[si], was_hc = a->all.by_state[hi];
	e->clock = e->now - 60;
	store_clock_set(e->s, test_clock, &e->clock);
	int rc = cases_move(e->s, e->p, &e->dinkes, tc->id,
			    state_name(ST_HEALTH_CHECKED), NULL, &e->err);
	store_clock_set(e->s, NULL, NULL);
	assert_int_equal(rc, 0);
	tc->moves[tc->nmoves++] =
		(struct move){ e->clock, ST_SUBMITTED, ST_HEALTH_CHECKED };

	/* Same key, new figures: computed again, with the move. */
	assert_int_equal(stats_cache_get(c, e->s, &q, &b, &e->err), 0);
	assert_ptr_not_equal(a, b);
	assert_int_equal(b->all.by_state[si], was_sub - 1);
	assert_int_equal(b->all.by_state[hi], was_hc + 1);
	check_all(e, b);
	stats_cache_counts(c, &n);
	assert_int_equal(n.computes, 3);
	/* The old figures are still whole while held (ASan would say). */
	assert_int_equal(a->all.by_state[si], was_sub);
	/* New figures, a new memo; the old one goes with its figures. */
	assert_ptr_not_equal(stats_cache_memo(c, b, memo_make, memo_free,
					      NULL), m1);
	assert_int_equal(memos_made, 2);
	assert_int_equal(memos_freed, 0);
	stats_cache_put(c, a);
	assert_int_equal(memos_freed, 1);
	stats_cache_put(c, b);

	/* The next minute is another key: computed again, no commit. */
	q.now = e->now + 60;
	assert_int_equal(stats_cache_get(c, e->s, &q, &b, &e->err), 0);
	stats_cache_put(c, b);
	stats_cache_counts(c, &n);
	assert_int_equal(n.computes, 4);

	/* Bad queries come back as stats_compute's errors; none is kept. */
	struct stats_query bad = q;
	bad.days = STATS_DAYS_MAX + 1;
	assert_int_equal(stats_cache_get(c, e->s, &bad, &b, &e->err),
			 TB_EINVAL);
	assert_null(b);
	bad = q;
	bad.actor = &e->faskes;
	assert_int_equal(stats_cache_get(c, e->s, &bad, &b, &e->err),
			 TB_EPERM);

	/* Eight threads on their own handles ask for a key nobody has yet
	 * (the minute after): one computes, the others wait for it or
	 * find it kept. */
	enum { NT = 8 };
	pthread_t t[NT];
	struct getter g[NT];
	pthread_barrier_t go;
	pthread_barrier_init(&go, NULL, NT);
	stats_cache_counts(c, &n);
	uint64_t before = n.computes;
	for (int i = 0; i < NT; i++) {
		g[i] = (struct getter){ e->dir, c, q, &go, 0 };
		g[i].q.now = e->now + 120;
		assert_int_equal(pthread_create(&t[i], NULL, get_in_thread,
						&g[i]), 0);
	}
	for (int i = 0; i < NT; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(g[i].total, NCASES);
	}
	pthread_barrier_destroy(&go);
	stats_cache_counts(c, &n);
	assert_int_equal(n.computes, before + 1);

	/* A move in the very second of a compute, committed before it: the
	 * figures at that second leave it out (the window ends at now.000),
	 * and a request later in the minute must not be served them. */
	int64_t sec = e->now + 180;
	tc = waiting_case(e, ST_SUBMITTED);
	assert_non_null(tc);
	e->clock = sec;
	store_clock_set(e->s, test_clock, &e->clock);
	rc = cases_move(e->s, e->p, &e->dinkes, tc->id,
			state_name(ST_HEALTH_CHECKED), NULL, &e->err);
	store_clock_set(e->s, NULL, NULL);
	assert_int_equal(rc, 0);
	tc->moves[tc->nmoves++] =
		(struct move){ sec, ST_SUBMITTED, ST_HEALTH_CHECKED };
	q.now = sec;
	assert_int_equal(stats_cache_get(c, e->s, &q, &a, &e->err), 0);
	check_all(e, a); /* without the move: it is not before now */
	q.now = sec + 30;
	assert_int_equal(stats_cache_get(c, e->s, &q, &b, &e->err), 0);
	check_all(e, b); /* with it */
	assert_int_equal(b->all.by_state[si], a->all.by_state[si] - 1);
	assert_int_equal(b->all.by_state[hi], a->all.by_state[hi] + 1);
	stats_cache_put(c, a);
	stats_cache_put(c, b);
	/* Computed at a later second than every row: kept from now on. */
	stats_cache_counts(c, &n);
	before = n.computes;
	q.now = sec + 59;
	assert_int_equal(stats_cache_get(c, e->s, &q, &b, &e->err), 0);
	stats_cache_put(c, b);
	stats_cache_counts(c, &n);
	assert_int_equal(n.computes, before);
	stats_cache_free(c);
	assert_int_equal(memos_freed, memos_made);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_row),
		cmocka_unit_test(test_history_is_varied),
		cmocka_unit_test(test_regency_30_days),
		cmocka_unit_test(test_other_windows),
		cmocka_unit_test(test_past_month),
		cmocka_unit_test(test_scope),
		cmocka_unit_test(test_bad_queries),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_cache),
	};
	return cmocka_run_group_tests(tests, env_setup, env_teardown);
}
