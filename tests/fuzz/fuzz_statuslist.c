/* Fuzz target: the signed status list's parser (sign/statuslist.h),
 * which reads files from any static host or a phone's cache. A parsed
 * list must hold count entries in strictly ascending order, each found
 * again by status_find. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sign/statuslist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf err = BUF_INIT;
	struct status_list l;
	if (status_parse((const char *)data, size, &l, &err) == 0) {
		for (size_t i = 0; i < l.n; i++) {
			if (i && memcmp(l.e[i - 1].serial, l.e[i].serial,
					STATUS_SERIAL_LEN) >= 0)
				abort();
			if (status_find(&l, l.e[i].serial) != &l.e[i])
				abort();
		}
		if (l.signed_len > size || l.made > l.next)
			abort();
		status_list_release(&l);
	}
	buf_release(&err);
	return 0;
}
