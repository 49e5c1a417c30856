/*
 * Fuzz target: the residents and PBI imports (row checks, NIK rules,
 * duplicate detection, resynchronising after a malformed row) on
 * arbitrary bytes, into an in-memory database. With skip_bad the good
 * rows are written, so the store's statements run too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct store *s;
	struct buf err = BUF_INIT, report = BUF_INIT;
	size_t nbad;
	if (!s && store_open_file(":memory:", &s, &err) != 0)
		abort();
	for (int skip = 0; skip < 2; skip++) {
		cases_import(s, NULL, CASES_IMPORT_RESIDENTS, (const char *)data,
			     size, skip, &report, &nbad, &err);
		cases_import(s, NULL, CASES_IMPORT_PBI, (const char *)data, size,
			     skip, &report, &nbad, &err);
		/* A report line per bad row, and nothing half-written. */
		if (report.len && report.data[report.len - 1] != '\n')
			abort();
		buf_reset(&report);
	}
	buf_release(&err);
	buf_release(&report);
	return 0;
}
