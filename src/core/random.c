#include "core/random.h"

#include <errno.h>
#include <sys/random.h>

#include "core/err.h"

int rand_bytes(void *out, size_t n)
{
	unsigned char *p = out;
	while (n > 0) {
		/* Requests over 256 bytes may return short when a signal
		 * arrives, and a signal before any byte gives EINTR: both
		 * just mean "ask again for the rest". */
		ssize_t got = getrandom(p, n, 0);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return TB_ECRYPTO;
		}
		p += got;
		n -= (size_t)got;
	}
	return 0;
}
