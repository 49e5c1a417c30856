#include "core/vec.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

int vec_reserve(void *arrp, size_t *cap, size_t n, size_t elem, size_t first)
{
	void *arr;
	if (n < *cap)
		return 0;
	size_t want = *cap ? *cap * 2 : first;
	if (want <= n || want > SIZE_MAX / elem)
		return TB_ENOMEM;
	/* The caller's pointer is of its own element type: copied in and out
	 * as bytes rather than written through a void ** it never was. */
	memcpy(&arr, arrp, sizeof arr);
	void *grown = realloc(arr, want * elem);
	if (!grown)
		return TB_ENOMEM;
	memcpy(arrp, &grown, sizeof grown);
	*cap = want;
	return 0;
}
