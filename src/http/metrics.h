#ifndef TERBIT_METRICS_H
#define TERBIT_METRICS_H
/*
 * Process-wide metrics in the Prometheus text format (version 0.0.4),
 * served by GET /metrics. The server records every request; other modules
 * bump the counters below (the issue gate: documents issued; the verifier:
 * verifications by result). Thread-safe.
 *
 * Label values are route patterns and small fixed words chosen by the
 * caller, never request data: a raw path or a token would both leak into
 * the scrape and grow the series without bound. Series are capped (see
 * metrics.c); samples past the cap are counted in
 * terbit_metrics_dropped_total instead of being stored.
 */
#include "core/buf.h"

enum metric_counter {
	METRIC_DOCUMENTS_ISSUED, /* label "kind": "spm", "card" */
	METRIC_VERIFICATIONS,    /* label "result": "valid", "revoked", ... */
	METRIC__COUNT
};

/* One finished request: route pattern (NULL when nothing matched, shown
 * as "none"), method, status, and its duration in seconds. */
void metrics_request(const char *route, const char *method, int status,
		     double seconds);
/* Adds 1 to counter m's series for label. */
void metrics_inc(enum metric_counter m, const char *label);
/* Appends every metric, with # HELP and # TYPE lines. 0 or TB_ENOMEM /
 * TB_ETOOBIG from the buffer. */
int metrics_render(struct buf *out);
/* Forgets every sample (tests). */
void metrics_reset(void);

#endif
