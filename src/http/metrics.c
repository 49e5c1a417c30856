#include "http/metrics.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "core/err.h"
#include "core/str.h"

/* Latency buckets in seconds: a verification should take milliseconds,
 * an issuance (render + sign) up to about a second. */
static const double le_bounds[] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
				    0.1, 0.25, 0.5, 1, 2.5, 5, 10 };
#define NLE ARRAY_SIZE(le_bounds)

/* Caps: routes are a fixed table and statuses a handful, so these are far
 * above what a running service reaches. */
#define MAX_STATUS_SERIES 256
#define MAX_ROUTES 64
#define MAX_LABELS 32
#define LABEL_MAX 96

/*
 * Every request records a sample, from every worker thread: counts are
 * atomics and a series, once published, is found without a lock. The
 * lock is taken only to add a series (rare: routes are a fixed table) and
 * to render. A series' label is written before the count of series that
 * publishes it (release), and read after it (acquire).
 */
struct status_series {
	char route[LABEL_MAX];
	char method[8];
	int status;
	atomic_ullong count;
};

struct latency_series {
	char route[LABEL_MAX];
	atomic_ullong le[NLE]; /* non-cumulative; summed when rendered */
	atomic_ullong count;
	atomic_ullong sum_ns;  /* integer, so it can be an atomic add */
};

struct label_series {
	char label[LABEL_MAX];
	atomic_ullong count;
};

static const struct {
	const char *name, *help, *label;
} counter_info[METRIC__COUNT] = {
	[METRIC_DOCUMENTS_ISSUED] = { "terbit_documents_issued_total",
				      "Documents issued by the issue gate, by kind.",
				      "kind" },
	[METRIC_VERIFICATIONS] = { "terbit_verifications_total",
				   "Verifications answered, by result.",
				   "result" },
};

static struct {
	pthread_mutex_t lock;
	struct status_series st[MAX_STATUS_SERIES];
	atomic_size_t nst;
	struct latency_series lat[MAX_ROUTES];
	atomic_size_t nlat;
	struct label_series ctr[METRIC__COUNT][MAX_LABELS];
	atomic_size_t nctr[METRIC__COUNT];
	atomic_ullong dropped;
} m = { .lock = PTHREAD_MUTEX_INITIALIZER };

#define ADD1(x) atomic_fetch_add_explicit(&(x), 1, memory_order_relaxed)
#define LOAD(x) atomic_load_explicit(&(x), memory_order_relaxed)
#define PUBLISHED(n) atomic_load_explicit(&(n), memory_order_acquire)

static void copy_label(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);
	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static struct status_series *status_find(const char *route,
					 const char *method, int status)
{
	size_t n = PUBLISHED(m.nst);
	for (size_t i = 0; i < n; i++)
		if (m.st[i].status == status &&
		    strcmp(m.st[i].route, route) == 0 &&
		    strcmp(m.st[i].method, method) == 0)
			return &m.st[i];
	return NULL;
}

/* Found without the lock, or added under it (looked for again there: two
 * threads may add the same series at once). */
static struct status_series *status_slot(const char *route,
					 const char *method, int status)
{
	struct status_series *s = status_find(route, method, status);
	if (s)
		return s;
	pthread_mutex_lock(&m.lock);
	s = status_find(route, method, status);
	size_t n = LOAD(m.nst);
	if (!s && n < MAX_STATUS_SERIES) {
		s = &m.st[n];
		copy_label(s->route, sizeof s->route, route);
		copy_label(s->method, sizeof s->method, method);
		s->status = status;
		atomic_store_explicit(&s->count, 0, memory_order_relaxed);
		atomic_store_explicit(&m.nst, n + 1, memory_order_release);
	}
	pthread_mutex_unlock(&m.lock);
	return s;
}

static struct latency_series *latency_find(const char *route)
{
	size_t n = PUBLISHED(m.nlat);
	for (size_t i = 0; i < n; i++)
		if (strcmp(m.lat[i].route, route) == 0)
			return &m.lat[i];
	return NULL;
}

static struct latency_series *latency_slot(const char *route)
{
	struct latency_series *s = latency_find(route);
	if (s)
		return s;
	pthread_mutex_lock(&m.lock);
	s = latency_find(route);
	size_t n = LOAD(m.nlat);
	if (!s && n < MAX_ROUTES) {
		s = &m.lat[n];
		copy_label(s->route, sizeof s->route, route);
		atomic_store_explicit(&m.nlat, n + 1, memory_order_release);
	}
	pthread_mutex_unlock(&m.lock);
	return s;
}

static struct label_series *label_find(enum metric_counter c,
				       const char *label)
{
	size_t n = PUBLISHED(m.nctr[c]);
	for (size_t i = 0; i < n; i++)
		if (strcmp(m.ctr[c][i].label, label) == 0)
			return &m.ctr[c][i];
	return NULL;
}

/* The method is client input: only the methods terbit knows get a series
 * of their own. */
static const char *method_label(const char *method)
{
	static const char *const known[] = { "GET", "HEAD", "POST", "PUT",
					     "PATCH", "DELETE", "OPTIONS" };
	for (size_t i = 0; method && i < ARRAY_SIZE(known); i++)
		if (strcmp(method, known[i]) == 0)
			return known[i];
	return "other";
}

void metrics_request(const char *route, const char *method, int status,
		     double seconds)
{
	if (!route)
		route = "none";
	method = method_label(method);
	if (seconds < 0)
		seconds = 0;
	struct status_series *s = status_slot(route, method, status);
	struct latency_series *l = latency_slot(route);
	if (s)
		ADD1(s->count);
	if (l) {
		size_t i = 0;
		while (i < NLE && seconds > le_bounds[i])
			i++;
		if (i < NLE)
			ADD1(l->le[i]);
		ADD1(l->count);
		atomic_fetch_add_explicit(&l->sum_ns,
					  (unsigned long long)(seconds * 1e9),
					  memory_order_relaxed);
	}
	if (!s || !l)
		ADD1(m.dropped);
}

void metrics_inc(enum metric_counter c, const char *label)
{
	if ((unsigned)c >= METRIC__COUNT)
		return;
	struct label_series *s = label_find(c, label);
	if (!s) {
		pthread_mutex_lock(&m.lock);
		s = label_find(c, label);
		size_t n = LOAD(m.nctr[c]);
		if (!s && n < MAX_LABELS) {
			s = &m.ctr[c][n];
			copy_label(s->label, sizeof s->label, label);
			atomic_store_explicit(&m.nctr[c], n + 1,
					      memory_order_release);
		}
		pthread_mutex_unlock(&m.lock);
	}
	if (s)
		ADD1(s->count);
	else
		ADD1(m.dropped);
}

void metrics_reset(void)
{
	/* Tests only, with no request running: the counts are not
	 * guarded against a sample recorded while they are cleared. */
	pthread_mutex_lock(&m.lock);
	atomic_store(&m.nst, 0);
	atomic_store(&m.nlat, 0);
	for (int c = 0; c < METRIC__COUNT; c++)
		atomic_store(&m.nctr[c], 0);
	memset(m.st, 0, sizeof m.st);
	memset(m.lat, 0, sizeof m.lat);
	memset(m.ctr, 0, sizeof m.ctr);
	atomic_store(&m.dropped, 0);
	pthread_mutex_unlock(&m.lock);
}

/* Label values escaped per the exposition format: \\, \" and \n. */
static int add_label(struct buf *out, const char *v)
{
	for (; *v; v++) {
		int rc = *v == '\\' ? buf_adds(out, "\\\\")
			 : *v == '"' ? buf_adds(out, "\\\"")
			 : *v == '\n' ? buf_adds(out, "\\n")
				      : buf_addc(out, *v);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int add_head(struct buf *out, const char *name, const char *help,
		    const char *type)
{
	return buf_addf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name,
			type);
}

static int render_requests(struct buf *out)
{
	int rc = add_head(out, "terbit_http_requests_total",
			  "HTTP requests answered, by route pattern, method and status.",
			  "counter");
	size_t n = PUBLISHED(m.nst);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		rc = buf_adds(out, "terbit_http_requests_total{route=\"");
		if (rc == 0)
			rc = add_label(out, m.st[i].route);
		if (rc == 0)
			rc = buf_addf(out, "\",method=\"%s\",status=\"%d\"} %llu\n",
				      m.st[i].method, m.st[i].status,
				      LOAD(m.st[i].count));
	}
	return rc;
}

static int render_latency_one(struct buf *out, const struct latency_series *l)
{
	static const char *name = "terbit_http_request_duration_seconds";
	unsigned long long cum = 0;
	int rc = 0;
	for (size_t b = 0; rc == 0 && b <= NLE; b++) {
		if (b < NLE)
			cum += LOAD(l->le[b]);
		rc = buf_addf(out, "%s_bucket{route=\"", name);
		if (rc == 0)
			rc = add_label(out, l->route);
		if (rc == 0 && b < NLE)
			rc = buf_addf(out, "\",le=\"%g\"} %llu\n", le_bounds[b], cum);
		else if (rc == 0)
			rc = buf_addf(out, "\",le=\"+Inf\"} %llu\n",
				      LOAD(l->count));
	}
	if (rc == 0)
		rc = buf_addf(out, "%s_sum{route=\"", name);
	if (rc == 0)
		rc = add_label(out, l->route);
	if (rc == 0)
		rc = buf_addf(out, "\"} %.6f\n%s_count{route=\"",
			      (double)LOAD(l->sum_ns) / 1e9, name);
	if (rc == 0)
		rc = add_label(out, l->route);
	if (rc == 0)
		rc = buf_addf(out, "\"} %llu\n", LOAD(l->count));
	return rc;
}

static int render_counters(struct buf *out)
{
	int rc = 0;
	for (int c = 0; rc == 0 && c < METRIC__COUNT; c++) {
		rc = add_head(out, counter_info[c].name, counter_info[c].help,
			      "counter");
		size_t n = PUBLISHED(m.nctr[c]);
		for (size_t i = 0; rc == 0 && i < n; i++) {
			rc = buf_addf(out, "%s{%s=\"", counter_info[c].name,
				      counter_info[c].label);
			if (rc == 0)
				rc = add_label(out, m.ctr[c][i].label);
			if (rc == 0)
				rc = buf_addf(out, "\"} %llu\n",
					      LOAD(m.ctr[c][i].count));
		}
	}
	return rc;
}

int metrics_render(struct buf *out)
{
	pthread_mutex_lock(&m.lock);
	int rc = render_requests(out);
	if (rc == 0)
		rc = add_head(out, "terbit_http_request_duration_seconds",
			      "Time from a request's headers to its completion.",
			      "histogram");
	size_t nlat = PUBLISHED(m.nlat);
	for (size_t i = 0; rc == 0 && i < nlat; i++)
		rc = render_latency_one(out, &m.lat[i]);
	if (rc == 0)
		rc = render_counters(out);
	if (rc == 0)
		rc = add_head(out, "terbit_metrics_dropped_total",
			      "Samples not stored because a series cap was reached.",
			      "counter");
	if (rc == 0)
		rc = buf_addf(out, "terbit_metrics_dropped_total %llu\n",
			      LOAD(m.dropped));
	pthread_mutex_unlock(&m.lock);
	return rc;
}
