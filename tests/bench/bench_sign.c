/*
 * make bench: the cost of the two signatures every issued document gets,
 * the Ed25519 QR token and the PAdES CMS (ECDSA P-256), and of checking
 * them. Keys are loaded once, as the service does. Rows on stdout:
 *   name<TAB>value<TAB>unit<TAB>note
 * Usage: bench_sign DATA_DIR FILE.pdf [ROUNDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/buf.h"
#include "sign/keys.h"
#include "sign/pades.h"
#include "sign/token.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const struct token_field fields[] = {
	{ "nama", "Siti Aminah" }, { "nik", "3510014107850001" },
	{ "nomor", "460/0001/429.107/2026" }, { "tanggal_lahir", "1985-07-01" },
};

int main(int argc, char **argv)
{
	struct buf err = BUF_INIT, pdf = BUF_INIT, out = BUF_INIT, tok = BUF_INIT;
	struct keyring *kr = NULL;
	int rounds = argc > 3 ? atoi(argv[3]) : 2000, rc = 1;
	unsigned char serial[TOKEN_SERIAL_LEN] = { 0 };
	struct token t;
	if (argc < 3 || rounds <= 0) {
		fprintf(stderr, "usage: bench_sign DATA_DIR FILE.pdf [ROUNDS]\n");
		return 2;
	}
	if (keyring_load(argv[1], &kr, &err) ||
	    buf_read_file(&pdf, argv[2], 0, &err))
		goto out;
	double t0 = now();
	for (int i = 0; i < rounds; i++) {
		buf_reset(&tok);
		serial[0] = (unsigned char)i;
		if (token_make(kr, TOKEN_LETTER, 3510, serial, 20780, 21145, fields, 4,
			       &t, &tok, &err))
			goto out;
	}
	double t1 = now();
	for (int i = 0; i < rounds; i++)
		if (token_verify(&t, kr) != TOKEN_OK)
			goto out;
	double t2 = now();
	for (int i = 0; i < rounds; i++) {
		buf_reset(&out);
		if (pades_sign(kr, pdf.data, pdf.len, 0, &out, &err))
			goto out;
	}
	double t3 = now();
	struct pades_info info;
	for (int i = 0; i < rounds / 4 + 1; i++)
		if (pades_verify(kr, out.data, out.len, &info, &err) ||
		    info.status != PADES_VALID)
			goto out;
	double t4 = now();
	double tm = (t1 - t0) / rounds * 1e6, tv = (t2 - t1) / rounds * 1e6;
	double ps = (t3 - t2) / rounds * 1e6, pv = (t4 - t3) / (rounds / 4 + 1) * 1e6;
	printf("sign: QR token make (Ed25519)\t%.1f\tus/op\t%d rounds\n", tm, rounds);
	printf("sign: QR token verify\t%.1f\tus/op\t%d rounds\n", tv, rounds);
	printf("sign: PAdES sign (ECDSA P-256 CMS, %zu-byte letter)\t%.1f\tus/op\t"
	       "parse + update + CMS\n", pdf.len, ps);
	printf("sign: token + PAdES per document\t%.1f\tus/op\ttarget ~500\n", tm + ps);
	printf("sign: PAdES verify\t%.1f\tus/op\tchain to the office CA\n", pv);
	rc = 0;
out:
	if (rc)
		fprintf(stderr, "bench_sign: %s\n", err.len ? err.data : "failed");
	keyring_free(kr);
	buf_release(&err);
	buf_release(&pdf);
	buf_release(&out);
	buf_release(&tok);
	return rc;
}
