/*
 * Shared by the sign module's unit tests: a scratch data directory with
 * fresh keys (keys_init), removed again afterwards.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "sign/keys.h"

struct fixture {
	char dir[64];
	struct keyring *kr;
};

static void fixture_rmdir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];
	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (unlink(path) != 0)
			fixture_rmdir(path);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

/* 0 on success; f->kr is loaded. */
static int fixture_open(struct fixture *f)
{
	struct buf err = BUF_INIT;
	int rc = -1;
	strcpy(f->dir, "/tmp/terbit-sign-XXXXXX");
	if (!mkdtemp(f->dir))
		goto out;
	if (keys_init(f->dir, &err) != 0 || keyring_load(f->dir, &f->kr, &err))
		goto out;
	rc = 0;
out:
	if (rc)
		fprintf(stderr, "fixture: %s\n", err.data);
	buf_release(&err);
	return rc;
}

static void fixture_close(struct fixture *f)
{
	keyring_free(f->kr);
	f->kr = NULL;
	fixture_rmdir(f->dir);
}

static int fixture_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f || fixture_open(f)) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int fixture_teardown(void **state)
{
	fixture_close(*state);
	free(*state);
	return 0;
}
