/*
 * The dashboard's figures on a filled database: stats_compute for a
 * regency officer, a kecamatan officer and a village operator, and the
 * monthly report's month, many times each; median and p99 of each on
 * stdout as bench rows:
 *   name<TAB>value<TAB>unit<TAB>note
 * Usage: bench_stats DATA_DIR [RUNS]
 * The database: `terbit init` then `terbit demo-data --residents 12000
 * --history-days 365 --cases 10000` (scripts/bench.d/45-stats.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "stats/stats.h"

static double clock_us(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

struct job {
	const char *name, *user;
	int month;                  /* 1: the last whole month */
};

int main(int argc, char **argv)
{
	static const struct job jobs[] = {
		{ "stats dinsos (regency, 30 days)", "dinsos", 0 },
		{ "stats kecamatan (351005, 30 days)", "kecamatan-351005", 0 },
		{ "stats desa (3510052001, 30 days)", "desa-3510052001", 0 },
		{ "stats monthly report month (regency)", "dinsos", 1 },
	};
	struct buf err = BUF_INIT;
	struct store *s = NULL;
	int runs = argc > 2 ? atoi(argv[2]) : 200, rc = 1;
	double *t = NULL, *cpu = NULL;
	if (argc < 2 || runs < 1) {
		fprintf(stderr, "usage: bench_stats DATA_DIR [RUNS]\n");
		return 2;
	}
	t = calloc((size_t)runs, sizeof *t);
	cpu = calloc((size_t)runs, sizeof *cpu);
	if (!t || !cpu || store_open(argv[1], &s, &err) < 0)
		goto out;
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	for (size_t k = 0; k < sizeof jobs / sizeof jobs[0]; k++) {
		struct cases_actor a;
		struct stats st;
		if (cases_actor_load(s, jobs[k].user, &a, &err) < 0)
			goto out;
		struct stats_query q = { .actor = &a, .now = (int64_t)now };
		if (jobs[k].month) {
			q.year = tm.tm_mon ? tm.tm_year + 1900 : tm.tm_year + 1899;
			q.month = tm.tm_mon ? tm.tm_mon : 12;
		}
		int cases = 0;
		for (int i = 0; i < runs; i++) {
			double t0 = clock_us(CLOCK_MONOTONIC);
			double c0 = clock_us(CLOCK_PROCESS_CPUTIME_ID);
			if (stats_compute(s, &q, &st, &err) < 0) {
				stats_release(&st);
				goto out;
			}
			t[i] = clock_us(CLOCK_MONOTONIC) - t0;
			cpu[i] = clock_us(CLOCK_PROCESS_CPUTIME_ID) - c0;
			cases = st.all.total;
			stats_release(&st);
		}
		qsort(t, (size_t)runs, sizeof *t, cmp);
		qsort(cpu, (size_t)runs, sizeof *cpu, cmp);
		printf("%s median\t%.2f\tms\t%d cases in scope, %d runs\n",
		       jobs[k].name, t[runs / 2] / 1000, cases, runs);
		printf("%s p99\t%.2f\tms\t\n", jobs[k].name,
		       t[(size_t)runs * 99 / 100] / 1000);
		/* CPU time apart: on a shared machine the wall clock also
		 * counts other processes. */
		printf("%s CPU median / p99\t%.2f / %.2f\tms\t\n", jobs[k].name,
		       cpu[runs / 2] / 1000, cpu[(size_t)runs * 99 / 100] / 1000);
	}
	rc = 0;
out:
	if (rc)
		fprintf(stderr, "bench_stats: %s\n", err.data ? err.data : "?");
	free(t);
	free(cpu);
	store_close(s);
	buf_release(&err);
	return rc;
}
