#ifndef TERBIT_VEC_H
#define TERBIT_VEC_H
/*
 * The one way a growable array of fixed-size elements makes room: the
 * pattern "when full, double the capacity (first when empty) and
 * realloc" that lists of rows, nodes and values all need.
 *
 *   struct row *rows = NULL; size_t n = 0, cap = 0;
 *   if (vec_reserve(&rows, &cap, n, sizeof *rows, 16) < 0) ...
 *   rows[n++] = r;
 */
#include <stddef.h>

/*
 * Makes room for one more element in the array *arrp (a pointer to the
 * caller's element pointer) that holds n elements of elem bytes in *cap:
 * when n == *cap, reallocates to twice *cap (first when *cap is 0) and
 * updates *arrp and *cap. 0, or TB_ENOMEM with the array unchanged.
 */
int vec_reserve(void *arrp, size_t *cap, size_t n, size_t elem, size_t first);

#endif
