/* Fuzz target: the layout file parser on arbitrary text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render/layout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* layout_parse takes a C string: cut at the first NUL like a file
	 * read into a buffer would be. */
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	struct buf err = BUF_INIT;
	struct layout lay;
	memset(&lay, 0, sizeof lay);
	layout_parse(&lay, "fuzz", text, &err);
	layout_release(&lay);
	buf_release(&err);
	free(text);
	return 0;
}
