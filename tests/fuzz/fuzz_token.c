/* Fuzz target: token and verification-URL parsing, then formatting back. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sign/token.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf err = BUF_INIT, out = BUF_INIT;
	struct token t;
	int parsed = token_parse((const char *)data, size, &t, &err) == 0;
	if (parsed) {
		/* A parsed token must format to the same text, upper-cased. */
		token_format(&t, &out);
		if (out.len != size || strncasecmp(out.data, (const char *)data, size) != 0)
			abort();
	}
	char *url = malloc(size + 1);
	if (url) {
		memcpy(url, data, size);
		url[size] = '\0';
		/* The serial the verifier's fast path reads from the first
		 * characters is the one the whole parse finds. */
		unsigned char serial[TOKEN_SERIAL_LEN];
		int peeked = token_peek_serial(url, serial) == 0;
		if (parsed && (!peeked || memcmp(serial, t.serial, sizeof serial)))
			abort();
		token_parse_url(url, &t, &err);
		free(url);
	}
	buf_release(&out);
	buf_release(&err);
	return 0;
}
