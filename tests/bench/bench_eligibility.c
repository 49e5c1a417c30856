/*
 * make bench: eligibility decisions per second. Loads the shipped policy,
 * builds a set of synthetic residents (answers spread over 1..4, some
 * incomplete, some PBI members, some outside the regency) and times
 * elig_decide over them. One row on stdout:
 *   name<TAB>value<TAB>unit<TAB>note
 * Usage: bench_eligibility [POLICY [DECISIONS]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "eligibility/eligibility.h"

#define NFACTS 1024
#define MAXIND 64

struct person {
	char nik[17], birth[11], village[11];
	char sex;
	struct elig_answer answers[MAXIND];
	struct elig_facts f;
};

static unsigned next(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

static void make_person(const struct policy *p, struct person *x, unsigned *seed)
{
	int women = next(seed) % 2;
	int y = 1940 + (int)(next(seed) % 80), m = 1 + (int)(next(seed) % 12);
	int d = 1 + (int)(next(seed) % 28);
	snprintf(x->birth, sizeof x->birth, "%04d-%02d-%02d", y, m, d);
	snprintf(x->nik, sizeof x->nik, "351005%02d%02d%02d%04u", d + 40 * women, m,
		 y % 100, 1 + next(seed) % 9999);
	/* One in sixteen lives outside the regency. */
	snprintf(x->village, sizeof x->village, "%s%02u2%03u",
		 next(seed) % 16 ? "3510" : "3515", 1 + next(seed) % 25,
		 next(seed) % 100);
	x->sex = women ? 'P' : 'L';
	/* Half the households answer like poor ones (the lower of two
	 * draws), so both outcomes are exercised. */
	int poor = next(seed) % 2;
	size_t n = 0;
	for (size_t i = 0; i < policy_indicator_count(p) && n < MAXIND; i++) {
		/* One in thirty-two answers left out: an incomplete survey. */
		if (next(seed) % 32 == 0)
			continue;
		x->answers[n].code = policy_indicator(p, i)->code;
		int v = (int)(next(seed) % 4), w = (int)(next(seed) % 4);
		x->answers[n++].value = 1 + (poor && w < v ? w : v);
	}
	x->f = (struct elig_facts){
		.nik = x->nik, .birth_date = x->birth, .sex = x->sex,
		.village_code = x->village,
		.pbi_jkn_active = next(seed) % 10 == 0,
		.pbi_apbd_active = next(seed) % 20 == 0,
		.nanswers = n, .answers = x->answers,
	};
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "policy/banyuwangi.policy";
	long n = argc > 2 ? atol(argv[2]) : 1000000;
	struct buf err = BUF_INIT;
	struct policy *p = NULL;
	if (policy_load(path, &p, &err)) {
		fprintf(stderr, "bench_eligibility: %s\n", err.data);
		return 1;
	}
	struct person *people = calloc(NFACTS, sizeof *people);
	if (!people)
		return 1;
	unsigned seed = 42;
	for (int i = 0; i < NFACTS; i++)
		make_person(p, &people[i], &seed);

	struct elig_decision dec;
	long eligible = 0;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < n; i++) {
		elig_decide(p, &people[i % NFACTS].f, &dec);
		eligible += dec.eligible;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("eligibility decisions per second\t%.0f\tdecisions/s\t"
	       "%ld decisions, %zu indicators, %.1f%% eligible, one core\n",
	       n / secs, n, policy_indicator_count(p), 100.0 * eligible / n);
	free(people);
	policy_free(p);
	buf_release(&err);
	return 0;
}
