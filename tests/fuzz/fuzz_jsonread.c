/* Fuzz target: the strict JSON reader on arbitrary bytes; a parsed
 * document is then walked whole, as a handler would. */
#include <stdint.h>
#include <string.h>

#include "core/jsonread.h"

static size_t walk(const struct jsonread *d, const struct jr_val *v)
{
	size_t n = 1;
	if (v->key)
		n += strlen(v->key) > 0;
	if (v->type == JR_STR)
		n += strlen(v->str) == v->len;
	for (const struct jr_val *m = jsonread_first(d, v); m;
	     m = jsonread_next(d, m)) {
		n += walk(d, m);
		if (m->key)
			(void)jsonread_get(d, v, m->key);
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf err = BUF_INIT;
	struct jsonread d;
	if (jsonread_parse(&d, (const char *)data, size, &err) == 0) {
		walk(&d, jsonread_root(&d));
		(void)jsonread_str(&d, jsonread_root(&d), "nik");
	}
	jsonread_release(&d);
	buf_release(&err);
	return 0;
}
