/*
 * Shared by the sign module's unit tests: a scratch data directory with
 * fresh keys (keys_init), removed again afterwards.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fcntl.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "core/buf.h"
#include "core/digest.h"
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

/*
 * The worked examples' key (docs/token.md): the Ed25519 key whose seed is
 * the bytes 0x00..0x1f, installed as the current QR key of f's data
 * directory (reload the keyring after). Ed25519 is deterministic, so
 * what it signs is a fixed vector.
 */
static inline void install_fixed_key(struct fixture *f)
{
	unsigned char seed[32], pub[32], md[SHA256_LEN];
	size_t publen = sizeof pub;
	char path[256], hex[9];
	for (int i = 0; i < 32; i++)
		seed[i] = (unsigned char)i;
	EVP_PKEY *k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL,
						   seed, sizeof seed);
	if (!k)
		abort();
	if (EVP_PKEY_get_raw_public_key(k, pub, &publen) != 1)
		abort();
	digest_sha256(pub, sizeof pub, md);
	snprintf(hex, sizeof hex, "%02x%02x%02x%02x", md[0], md[1], md[2], md[3]);
	snprintf(path, sizeof path, "%s/keys/qr-%s.key", f->dir, hex);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		abort();
	FILE *fp = fdopen(fd, "w");
	if (PEM_write_PrivateKey(fp, k, NULL, NULL, 0, NULL, NULL) != 1)
		abort();
	fclose(fp);
	snprintf(path, sizeof path, "%s/keys/qr-current", f->dir);
	fp = fopen(path, "w");
	fprintf(fp, "%s\n", hex);
	fclose(fp);
	EVP_PKEY_free(k);
	printf("vector public key: ");
	for (int i = 0; i < 32; i++)
		printf("%02x", pub[i]);
	printf("\nvector kid: %s\n", hex);
}

