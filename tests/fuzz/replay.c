/*
 * Replays a fuzz corpus without libFuzzer: `make check` builds every
 * tests/fuzz/fuzz_*.c with this main (plain and under ASan+UBSan) and runs
 * it over tests/fuzz/corpus/<name>/, so every input the fuzzer ever kept
 * stays a regression test. `make fuzz` builds the same targets with
 * clang's libFuzzer to find new inputs.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	struct buf b = BUF_INIT;
	int rc = buf_read_file(&b, path, 0, NULL);
	if (rc == 0)
		LLVMFuzzerTestOneInput((const uint8_t *)b.data, b.len);
	buf_release(&b);
	return rc;
}

int main(int argc, char **argv)
{
	int files = 0;
	for (int i = 1; i < argc; i++) {
		DIR *d = opendir(argv[i]);
		if (!d) {
			if (run_file(argv[i]) != 0) {
				fprintf(stderr, "replay: cannot read %s\n", argv[i]);
				return 1;
			}
			files++;
			continue;
		}
		struct dirent *e;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			char path[4096];
			snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
			if (run_file(path) != 0) {
				fprintf(stderr, "replay: cannot read %s\n", path);
				closedir(d);
				return 1;
			}
			files++;
		}
		closedir(d);
	}
	printf("replay: %d inputs ok\n", files);
	return files ? 0 : 1;
}
