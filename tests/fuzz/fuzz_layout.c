/* Fuzz target: the layout file parser on arbitrary text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render/layout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* every byte, NULs included: a file read into a buffer keeps them,
	 * and the parser must refuse them rather than stop at one. A copy
	 * of exactly size bytes, so that ASan sees any read past the end. */
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	if (size)
		memcpy(text, data, size);
	struct buf err = BUF_INIT;
	struct layout lay;
	memset(&lay, 0, sizeof lay);
	layout_parse(&lay, "fuzz", text, size, &err);
	layout_release(&lay);
	buf_release(&err);
	free(text);
	return 0;
}
