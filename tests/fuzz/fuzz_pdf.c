/*
 * Fuzz target: the PDF reader behind pades_sign and pades_verify, on
 * arbitrary bytes. Keys are made once per process in a scratch directory.
 */
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sign/keys.h"
#include "sign/pades.h"

static struct keyring *kr;
static char dir[] = "/tmp/terbit-fuzz-pdf-XXXXXX";

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static void cleanup(void)
{
	keyring_free(kr);
	nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

static struct keyring *keyring(void)
{
	if (kr)
		return kr;
	if (!mkdtemp(dir) || keys_init(dir, NULL) != 0 ||
	    keyring_load(dir, &kr, NULL) != 0)
		abort();
	atexit(cleanup);
	return kr;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct keyring *kr = keyring();
	struct buf out = BUF_INIT;
	struct pades_info info;
	if (pades_verify(kr, data, size, &info, NULL) != 0)
		abort();
	if (pades_sign(kr, data, size, 1795444800, &out, NULL) == 0) {
		/* Whatever we managed to sign must verify. */
		if (pades_verify(kr, out.data, out.len, &info, NULL) != 0 ||
		    info.status != PADES_VALID)
			abort();
	}
	buf_release(&out);
	return 0;
}
