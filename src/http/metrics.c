#include "http/metrics.h"

#include <pthread.h>
#include <string.h>

#include "core/err.h"

/* Latency buckets in seconds: a verification should take milliseconds,
 * an issuance (render + sign) up to about a second. */
static const double le_bounds[] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
				    0.1, 0.25, 0.5, 1, 2.5, 5, 10 };
#define NLE (sizeof le_bounds / sizeof le_bounds[0])

/* Caps: routes are a fixed table and statuses a handful, so these are far
 * above what a running service reaches. */
#define MAX_STATUS_SERIES 256
#define MAX_ROUTES 64
#define MAX_LABELS 32
#define LABEL_MAX 96

struct status_series {
	char route[LABEL_MAX];
	char method[8];
	int status;
	unsigned long long count;
};

struct latency_series {
	char route[LABEL_MAX];
	unsigned long long le[NLE]; /* non-cumulative; summed when rendered */
	unsigned long long count;
	double sum;
};

struct label_series {
	char label[LABEL_MAX];
	unsigned long long count;
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
	size_t nst;
	struct latency_series lat[MAX_ROUTES];
	size_t nlat;
	struct label_series ctr[METRIC__COUNT][MAX_LABELS];
	size_t nctr[METRIC__COUNT];
	unsigned long long dropped;
} m = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void copy_label(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);
	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static struct status_series *status_slot(const char *route,
					 const char *method, int status)
{
	for (size_t i = 0; i < m.nst; i++)
		if (m.st[i].status == status &&
		    strcmp(m.st[i].route, route) == 0 &&
		    strcmp(m.st[i].method, method) == 0)
			return &m.st[i];
	if (m.nst == MAX_STATUS_SERIES)
		return NULL;
	struct status_series *s = &m.st[m.nst++];
	copy_label(s->route, sizeof s->route, route);
	copy_label(s->method, sizeof s->method, method);
	s->status = status;
	return s;
}

static struct latency_series *latency_slot(const char *route)
{
	for (size_t i = 0; i < m.nlat; i++)
		if (strcmp(m.lat[i].route, route) == 0)
			return &m.lat[i];
	if (m.nlat == MAX_ROUTES)
		return NULL;
	struct latency_series *s = &m.lat[m.nlat++];
	copy_label(s->route, sizeof s->route, route);
	return s;
}

/* The method is client input: only the methods terbit knows get a series
 * of their own. */
static const char *method_label(const char *method)
{
	static const char *const known[] = { "GET", "HEAD", "POST", "PUT",
					     "PATCH", "DELETE", "OPTIONS" };
	for (size_t i = 0; method && i < sizeof known / sizeof known[0]; i++)
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
	pthread_mutex_lock(&m.lock);
	struct status_series *s = status_slot(route, method, status);
	struct latency_series *l = latency_slot(route);
	if (s)
		s->count++;
	if (l) {
		size_t i = 0;
		while (i < NLE && seconds > le_bounds[i])
			i++;
		if (i < NLE)
			l->le[i]++;
		l->count++;
		l->sum += seconds;
	}
	if (!s || !l)
		m.dropped++;
	pthread_mutex_unlock(&m.lock);
}

void metrics_inc(enum metric_counter c, const char *label)
{
	if ((unsigned)c >= METRIC__COUNT)
		return;
	pthread_mutex_lock(&m.lock);
	struct label_series *s = NULL;
	for (size_t i = 0; i < m.nctr[c]; i++)
		if (strcmp(m.ctr[c][i].label, label) == 0)
			s = &m.ctr[c][i];
	if (!s && m.nctr[c] < MAX_LABELS) {
		s = &m.ctr[c][m.nctr[c]++];
		copy_label(s->label, sizeof s->label, label);
	}
	if (s)
		s->count++;
	else
		m.dropped++;
	pthread_mutex_unlock(&m.lock);
}

void metrics_reset(void)
{
	pthread_mutex_lock(&m.lock);
	m.nst = m.nlat = 0;
	memset(m.st, 0, sizeof m.st);
	memset(m.lat, 0, sizeof m.lat);
	memset(m.ctr, 0, sizeof m.ctr);
	memset(m.nctr, 0, sizeof m.nctr);
	m.dropped = 0;
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
	for (size_t i = 0; rc == 0 && i < m.nst; i++) {
		rc = buf_adds(out, "terbit_http_requests_total{route=\"");
		if (rc == 0)
			rc = add_label(out, m.st[i].route);
		if (rc == 0)
			rc = buf_addf(out, "\",method=\"%s\",status=\"%d\"} %llu\n",
				      m.st[i].method, m.st[i].status,
				      m.st[i].count);
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
			cum += l->le[b];
		rc = buf_addf(out, "%s_bucket{route=\"", name);
		if (rc == 0)
			rc = add_label(out, l->route);
		if (rc == 0 && b < NLE)
			rc = buf_addf(out, "\",le=\"%g\"} %llu\n", le_bounds[b], cum);
		else if (rc == 0)
			rc = buf_addf(out, "\",le=\"+Inf\"} %llu\n", l->count);
	}
	if (rc == 0)
		rc = buf_addf(out, "%s_sum{route=\"", name);
	if (rc == 0)
		rc = add_label(out, l->route);
	if (rc == 0)
		rc = buf_addf(out, "\"} %.6f\n%s_count{route=\"", l->sum, name);
	if (rc == 0)
		rc = add_label(out, l->route);
	if (rc == 0)
		rc = buf_addf(out, "\"} %llu\n", l->count);
	return rc;
}

static int render_counters(struct buf *out)
{
	int rc = 0;
	for (int c = 0; rc == 0 && c < METRIC__COUNT; c++) {
		rc = add_head(out, counter_info[c].name, counter_info[c].help,
			      "counter");
		for (size_t i = 0; rc == 0 && i < m.nctr[c]; i++) {
			rc = buf_addf(out, "%s{%s=\"", counter_info[c].name,
				      counter_info[c].label);
			if (rc == 0)
				rc = add_label(out, m.ctr[c][i].label);
			if (rc == 0)
				rc = buf_addf(out, "\"} %llu\n",
					      m.ctr[c][i].count);
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
	for (size_t i = 0; rc == 0 && i < m.nlat; i++)
		rc = render_latency_one(out, &m.lat[i]);
	if (rc == 0)
		rc = render_counters(out);
	if (rc == 0)
		rc = add_head(out, "terbit_metrics_dropped_total",
			      "Samples not stored because a series cap was reached.",
			      "counter");
	if (rc == 0)
		rc = buf_addf(out, "terbit_metrics_dropped_total %llu\n",
			      m.dropped);
	pthread_mutex_unlock(&m.lock);
	return rc;
}
