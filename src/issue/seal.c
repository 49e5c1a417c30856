/*
 * Registry seals: an HMAC-SHA256, with the seal key under DATA/keys/
 * (never in the database), over store_doc_canon's encoding of a row. A
 * row changed by anything but the issue gate (the sqlite3 shell with the
 * triggers dropped, a restored old copy of a single row, a disk error
 * that kept the page checksum-free) no longer matches its seal, and the
 * verifier then never answers VALID for it. docs/issuance.md.
 */
#include "issue/issue.h"
#include "issue/seal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ids.h"
#include "core/digest.h"
#include "core/err.h"

/* The seal of d as 64 hex + NUL. */
static int seal_of(const struct keyring *kr, const struct store_document *d,
		   char out[65], struct buf *err)
{
	struct buf enc = BUF_INIT, hex = BUF_INIT;
	unsigned char mac[KEYS_MAC_LEN];
	int rc = store_doc_canon(d, &enc);
	if (rc < 0) {
		rc = tb_err(err, rc, "memori habis");
		goto out;
	}
	if ((rc = keyring_seal(kr, enc.data, enc.len, mac, err)) < 0)
		goto out;
	if ((rc = buf_addhex(&hex, mac, sizeof mac)) < 0) {
		rc = tb_err(err, rc, "memori habis");
		goto out;
	}
	memcpy(out, hex.data, 65);
out:
	buf_release(&enc);
	buf_release(&hex);
	return rc;
}

int issue_doc_seal_ok(const struct keyring *kr, const struct store_document *d)
{
	char want[65];
	/* Unsealed, no key, no memory: never "sealed". */
	if (strlen(d->seal) != 64 || seal_of(kr, d, want, NULL) < 0)
		return 0;
	return digest_equal(want, d->seal, 64);
}

int issue__reseal(struct store *s, const struct keyring *kr,
		  const char *serial, struct store_document *out,
		  struct buf *err)
{
	struct store_document d;
	char seal[65];
	int rc = store_doc_get(s, serial, &d, err);
	if (rc < 0 || (rc = seal_of(kr, &d, seal, err)) < 0 ||
	    (rc = store_doc_set_seal(s, serial, seal, err)) < 0)
		return rc;
	if (out) {
		*out = d;
		memcpy(out->seal, seal, sizeof seal);
	}
	return 0;
}

struct unsealed {
	char (*sn)[SERIAL_LEN + 1];
	size_t n;
};

static int collect_unsealed(const struct store_document *d, void *arg)
{
	struct unsealed *u = arg;
	if (d->seal[0])
		return 0;
	char (*grown)[SERIAL_LEN + 1] = realloc(u->sn, (u->n + 1) * sizeof *grown);
	if (!grown)
		return TB_ENOMEM;
	u->sn = grown;
	memcpy(u->sn[u->n++], d->serial, 17);
	return 0;
}

int issue_seal_unsealed(struct store *s, const struct keyring *kr,
			struct buf *err)
{
	struct unsealed u = { NULL, 0 };
	char note[64];
	if (!keyring_has_seal(kr))
		return tb_err(err, TB_ENOTFOUND, "kunci segel belum ada");
	int rc = store_begin(s, err);
	if (rc < 0)
		return rc;
	rc = store_doc_each(s, NULL, collect_unsealed, &u, err);
	if (rc == TB_ENOMEM)
		rc = tb_err(err, rc, "memori habis");
	for (size_t i = 0; i < u.n && rc == 0; i++)
		rc = issue__reseal(s, kr, u.sn[i], NULL, err);
	if (rc == 0 && u.n) {
		snprintf(note, sizeof note, "%zu dokumen disegel", u.n);
		rc = store_audit_add(s, "console", "admin", "document.seal",
				     "registry", note, err);
	}
	free(u.sn);
	if (rc < 0) {
		store_rollback(s);
		return rc;
	}
	rc = store_commit(s, err);
	return rc < 0 ? rc : (int)u.n;
}
