#ifndef TERBIT_STATS_INT_H
#define TERBIT_STATS_INT_H
/* Private to src/stats/: what stats.c and cache.c share. */
#include "stats/stats.h"

/* The village-code prefix the actor's figures cover ("" the regency)
 * and whether the overdue list may name residents (not for admin).
 * TB_EPERM for an actor that sees no case data. */
int stats__scope(const struct cases_actor *a,
		 char scope[REGION_CODE_MAX + 1], int *names, struct buf *err);

#endif
